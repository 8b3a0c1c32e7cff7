"""Keys typed ahead of the screen (a fast typist, a busy machine) go where they were typed."""

from __future__ import annotations

import pytest
from textual.widgets import TextArea
from waiting import wait_until

from intake_assistant.tui.screens.review import ReviewScreen

from .conftest import make_test_app, open_example


async def _send_unwaited(app, keys: list[str], gap: float) -> None:
    """Keys as the terminal sends them: one after another, not waiting for the app."""
    import asyncio

    from textual import events

    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)
        await asyncio.sleep(gap)


@pytest.mark.parametrize("question", ["project_public_summary", "circ_savings_basis"])
async def test_tab_enter_typed_quickly_on_a_long_text_goes_on(tmp_path, question):
    """Tab then Enter in quick succession: the Enter used to reach the text area before the
    Tab's move to Next (a new line; the keys after it then pressed Back)."""
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_example(pilot, at=question)
        assert isinstance(app.focused, TextArea)
        before = app.session.value(question)
        await _send_unwaited(app, ["X", "tab", "enter"], 0.0005)
        await wait_until(lambda: isinstance(app.screen, ReviewScreen))
        await pilot.pause()  # the review mounted (its header too) before the app stops
        assert app.session.value(question) == before + "X"  # no new line
        assert isinstance(app.screen, ReviewScreen)  # gone on (from the review: back to it)


async def test_keys_typed_ahead_of_the_next_screen_never_answer_another_question(tmp_path):
    """A fast typist (or a slow machine): keys arrive while the next question replaces the
    last one. The replaced field's messages must neither stop the app (it did: a missing
    message line) nor give its text to the question now shown."""
    import asyncio

    from textual import events

    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        typed = {"project_title": "Titel", "project_public_summary": "Samenvatting",
                 "project_description": "Beschrijving"}
        keys = [*typed["project_title"], "enter", *typed["project_public_summary"], "tab",
                "enter", *typed["project_description"], "tab", "enter"]
        for key in keys:  # as the terminal sends them: not waiting for the app
            event = events.Key(key, key if len(key) == 1 else None)
            event.set_sender(app)
            app._driver.send_message(event)
            await asyncio.sleep(0.002)  # a fast typist's pace, on purpose
        await pilot.pause(1.0)  # a window: whatever the keys set off comes within it
        assert app.return_code is None and app.is_running  # still running: no traceback
        for key, text in typed.items():
            answer = app.session.value(key)
            assert answer is None or text.endswith(answer), (key, answer)


@pytest.mark.parametrize("save_takes", [0.0, 0.15])
async def test_a_form_typed_in_one_go_gives_each_field_its_own_keys(tmp_path, save_takes):
    """The dates form typed without waiting, on a quick and on a busy machine (each save
    takes a while): the keys typed after each Enter belong to the next field. They reached
    the field just answered (an application date became the end date; a "j" typed after
    "nee" and Enter could choose "ja"), and a late answer took the focus back."""
    import time

    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        app.jump_to("project_application_date")
        await pilot.pause()
        await pilot.pause()
        save = app.autosave

        def slow_save(*args, **kwargs):
            time.sleep(save_takes)  # the loop stands still, as on a loaded machine
            return save(*args, **kwargs)

        app.autosave = slow_save
        await _send_unwaited(app, [*"01-06-2020", "enter", *"01-09-2020", "enter",
                                   *"31-08-2022", "enter", "n", "enter", "j"], 0)
        await wait_until(lambda: app.session.state == "circ_r_strategy")
        await pilot.pause()  # the keys still queued (the last "j") reach where they go
        assert app.session.state == "circ_r_strategy"  # the next screen: nothing refused
    assert [str(app.session.value(key)) for key in (
        "project_application_date", "project_start_date", "project_end_date")] == [
        "2020-06-01", "2020-09-01", "2022-08-31"]
    assert app.session.value("project_work_started") is False

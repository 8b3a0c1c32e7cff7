"""A whole run of answers: the question screen is updated in place and leaves nothing behind.

Every answer used to build a new question screen (kept alive by app-level watchers), and
then removed answer fields stayed alive, held by the screen (Textual's text widgets
subscribe to a screen signal and never unsubscribe); memory grew with every answer. The
area now keeps a bounded number of hidden fields for later screens. These tests count
screens, widgets and live fields after many answers: no growth, no timing.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from textual.widget import Widget
from textual.widgets import Input, TextArea
from waiting import wait_until

from intake_assistant.tui.screens.question import HIDDEN_FIELDS_KEPT, QuestionScreen
from intake_assistant.tui.widgets.footer import Footer
from intake_assistant.tui.widgets.question_field import QuestionField

from .conftest import SIZE, go_on, make_test_app, reference_session


def _resume_at_first_question(app) -> None:
    """The example intake, saved at its first question (Enter goes on, not to the review)."""
    from intake_assistant.storage import IntakeMeta

    session = reference_session("en")
    first = session.sections()[0][2][0]
    state = dict(session.to_state_dict(), state=first, return_to_review=False)
    app.storage.save("20240501-100000-000001", state, IntakeMeta(
        title="Chairs", participants=(), updated="2024-05-01T10:00:00+02:00",
        verdict="eligible", language="en", state=first))
    app.resume("20240501-100000-000001")


def _detached(kind: type) -> list[Widget]:
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, kind) and not o.is_attached]


async def _answer(pilot, app, times: int) -> None:
    for _ in range(times):
        view = app.session.current
        assert view is not None
        if view.kind == "long_text":  # Tab to the Next button, as a user does
            await pilot.press("tab")
            await pilot.pause()
        before = app.session.state
        await go_on(pilot, "enter")  # keeps the shown answer, goes on
        assert app.session.state != before, before


@asynccontextmanager
async def _at_the_first_question(tmp_path) -> AsyncIterator[tuple[Any, Any, QuestionScreen]]:
    """The real app (en), on the example intake's first question: (pilot, app, screen)."""
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        _resume_at_first_question(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        yield pilot, app, screen


async def test_answers_update_one_question_screen_and_leave_no_widgets_behind(tmp_path):
    async with _at_the_first_question(tmp_path) as (pilot, app, screen):
        stack = len(app.screen_stack)
        draft = app.session.draft.model_dump()
        # warm-up: every kind of field has been shown (the area keeps them for later screens)
        await _answer(pilot, app, 25)
        widgets = len(list(screen.walk_children()))
        await _answer(pilot, app, 25)
        assert app.screen is screen and len(app.screen_stack) == stack
        assert len(list(screen.walk_children())) <= widgets + 2  # an optional text or two
        hidden = [f for f in screen.query(QuestionField) if not f.display]
        assert len(hidden) <= HIDDEN_FIELDS_KEPT
        # Enter kept every shown answer: each field (many shown again for other questions)
        # showed its own question's stored answer
        assert app.session.draft.model_dump() == draft
        assert _detached(QuestionField) == []
        assert [w for w in _detached(Input) if w.id == "answer"] == []
        footer_keys = [w for w in gc.get_objects() if type(w).__name__ == "FooterKey"]
        shown_keys = list(screen.query_one(Footer).children)
        assert len(footer_keys) <= len(shown_keys) + 30  # other screens' footers, not one per answer


async def test_each_next_screen_is_laid_out_and_painted_once(tmp_path):
    """Going on to the next screen lays the question screen out and paints it once: the
    widgets' own requests for a second layout (a new size) and the scroll bar's repaint
    used to make a second frame, one frame after the first, for every answer."""
    async with _at_the_first_question(tmp_path) as (pilot, app, screen):
        await _answer(pilot, app, 50)  # a whole participant: later screens reuse its fields
        for widget in [*screen.query(Input), *screen.query(TextArea)]:
            widget.cursor_blink = False  # a blink is a frame of its own
        counts = {"layouts": 0, "frames": 0}
        layout, paint = screen._refresh_layout, screen._compositor_refresh

        def counted_layout(*args, **kwargs):
            counts["layouts"] += 1
            return layout(*args, **kwargs)

        def counted_paint():
            counts["frames"] += 1
            return paint()

        screen._refresh_layout = counted_layout  # type: ignore[method-assign]
        screen._compositor_refresh = counted_paint  # type: ignore[method-assign]
        screens = 0
        for _ in range(25):
            page = list(screen.page)
            await _answer(pilot, app, 1)
            for _tick in range(3):  # whatever would come a frame or two later
                await pilot.pause(0.05)
            screens += screen.page != page
        assert screens >= 8
        # one layout and one frame per answer (a focus move in a form paints without a layout)
        assert counts["layouts"] <= 25 + 1, counts
        assert counts["frames"] <= 25 + 1, counts


def _footer_shows(screen) -> list[tuple[str, str, bool]]:
    """The footer's shown keys but the palette's: (key, description, enabled)."""
    return [(key.key_display, key.description, not key.has_class("-disabled"))
            for key in screen.query_one(Footer).children
            if key.display and not key.has_class("-command-palette")]


def _bindings_of(screen, app) -> list[tuple[str, str, bool]]:
    """What Textual's footer composes of the screen's bindings: one key per action."""
    first: dict[str, tuple[str, str, bool]] = {}
    for key, (_node, binding, enabled, _tooltip) in screen.active_bindings.items():
        if binding.show and key != app.COMMAND_PALETTE_BINDING:
            first.setdefault(binding.action, (app.get_key_display(binding),
                                              binding.description, enabled))
    return list(first.values())


async def test_the_footer_shows_each_screens_keys_in_the_keys_it_has(tmp_path):
    """The footer's keys change between screens (ctrl+j on a long text, Back on the first
    question): the footer shows them in the keys it has, before the frame, instead of
    mounting a new set a frame later (the screen was painted twice)."""
    async with _at_the_first_question(tmp_path) as (pilot, app, screen):
        keys = set(screen.query_one(Footer).children)
        seen: set[tuple[tuple[str, str, bool], ...]] = set()
        for _ in range(20):
            await _answer(pilot, app, 1)
            shown = _footer_shows(screen)
            assert shown == _bindings_of(screen, app)
            seen.add(tuple(shown))
            assert keys <= set(screen.query_one(Footer).children)  # none was replaced
            for key in screen.query_one(Footer).children:
                if not key.display:  # kept for a later screen: it shows and names nothing
                    assert (key.key, key.description) == ("", "")
        assert len(seen) >= 2  # the keys did change
        # a long text's key, once: the first after the App's help, language and quit
        assert any(shown[3][0] == "ctrl+j" for shown in seen)


async def test_full_collections_are_made_while_nobody_types(tmp_path):
    """A full collection (40-100 ms late in an intake) is made when no key came for a
    while, and what lives on is frozen (an opened intake's too), so that Python's own,
    made during an answer, pass it by. Not while one types."""
    import time

    from intake_assistant.tui.idle_collection import (
        FULL_COLLECTION_AFTER,
        IDLE_BEFORE_FULL_COLLECTION_S,
    )

    app = make_test_app(tmp_path, "en")
    app.manages_collections = True  # as ``launch`` sets it
    gc.unfreeze()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert gc.get_freeze_count() == 0
            _resume_at_first_question(app)
            # the opened intake, once painted
            assert await wait_until(lambda: gc.get_freeze_count() > 0)
            gc.unfreeze()
            for _ in range(FULL_COLLECTION_AFTER):
                gc.collect(1)  # each counts towards a full one, as Python's do
            app._last_input = time.monotonic() + 60  # typing: no full collection
            await pilot.pause(0.7)  # a window (the app looks every 0.5 s): none comes in it
            assert gc.get_count()[2] >= FULL_COLLECTION_AFTER
            assert gc.get_freeze_count() == 0
            app._last_input = time.monotonic() - IDLE_BEFORE_FULL_COLLECTION_S  # idle now
            # the app looks every 0.5 s (later on a busy machine)
            await wait_until(lambda: gc.get_freeze_count() > 0)
            assert gc.get_count()[2] < FULL_COLLECTION_AFTER
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("kind", ["choices", "ticks", "long_text"])
async def test_a_list_or_text_given_a_new_width_is_painted_in_that_layouts_frame(kind):
    """A choice list, a ticked list and a long text make their lines for the width a layout
    gives them before that layout's frame is painted; Textual's make them again on the
    Resize event after it, and painted the field (and the screen's frame) a second time."""
    from textual.app import App
    from textual.widgets.option_list import Option

    from intake_assistant.tui.widgets.long_text import LongText
    from intake_assistant.tui.widgets.multi_choice import MultiChoice
    from intake_assistant.tui.widgets.question_field import ChoiceList

    words = "a choice that is long enough to wrap at a narrow width " * 2
    field: Widget = {
        "choices": lambda: ChoiceList(Option(words), Option("no")),
        "ticks": lambda: MultiChoice((words, "a"), ("other", "b")),
        "long_text": lambda: LongText(words * 3),
    }[kind]()

    class Holder(App[None]):
        def compose(self):
            yield field

    app = Holder()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        for text_area in app.query(TextArea):
            text_area.cursor_blink = False
        frames = {"n": 0}
        paint = app.screen._compositor_refresh

        def counted_paint():
            frames["n"] += 1
            return paint()

        app.screen._compositor_refresh = counted_paint  # type: ignore[method-assign]
        field.styles.width = 40
        await wait_until(lambda: frames["n"] > 0)  # the layout's frame (later on a busy machine)
        for _tick in range(3):  # whatever would come a frame or two later
            await pilot.pause(0.05)
        assert frames["n"] == 1
        lines = app.screen._compositor.render_update(full=True)  # what is painted now
        assert lines is not None
        shown = [strip.text for strip in app.screen._compositor.render_strips()]
        assert all(len(line.rstrip()) <= 40 for line in shown)  # made for 40 cells
        assert "a choi" in "".join(shown)
        if kind != "ticks":  # wrapped (a ticked list cuts a line short)
            assert any("narrow" in line for line in shown[:12]), shown

"""Helpers for driving the intake UI with key presses (Pilot)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from waiting import wait_until

from intake_assistant.i18n import set_language
from intake_assistant.service.outcomes import DraftSource, IntakeProblem
from intake_assistant.storage import Settings, Storage
from intake_assistant.tui.app import IntakeApp

DATA = Path(__file__).parent / "data"
SIZE = (120, 40)


@pytest.fixture(scope="session", autouse=True)
def _flow_loaded():
    """Load the flow, the models and the rules once, before the first test's clock runs.

    The App imports them when the first intake opens (the start screen does not need them);
    on a busy machine that first import can outlast a toast that a snapshot shows."""
    from intake_assistant.flow.schema import cached_flow
    from intake_assistant.flow.session import IntakeSession

    cached_flow("sce-2020")
    IntakeSession.new("nl").report  # noqa: B018 - the rules and the report, imported and run


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    set_language("nl")


def expected_draft(language: str) -> dict[str, Any]:
    data = json.loads((DATA / "eligible-draft.json").read_text(encoding="utf-8"))
    data["language"] = language
    return data


def make_test_app(tmp_path: Path, language: str | None = "en",
                  settings: Settings | None = None) -> IntakeApp:
    storage = Storage(tmp_path / "data")
    return IntakeApp(storage, settings or storage.load_settings(), language,
                     export_dir=tmp_path / "exports")


def import_file(app: IntakeApp, path: Path) -> bool:
    """Import the draft at ``path`` through the intake service's own API and show it, as
    ctrl+o does once the path is given (False, with why shown, when it cannot be)."""
    return _imported(app, DraftSource.file(path))


def import_text(app: IntakeApp, text: str) -> bool:
    """Import a pasted draft through the intake service's own API and show it, as the
    served tab's paste dialog does (False, with why shown, when it cannot be)."""
    return _imported(app, DraftSource.pasted(text))


def _imported(app: IntakeApp, source: DraftSource) -> bool:
    try:
        opened = app.intake.import_draft(source, app.language)
    except IntakeProblem as problem:
        app.show_problem(problem)
        return False
    app.show_new(opened)
    return True


#: The SME figures of a participant: without them, the first participant's SME form is the
#: first open question of the test draft.
SME_FIGURES = ("staff_units", "annual_turnover_eur", "balance_sheet_total_eur",
               "figures_include_linked_and_partner", "public_bodies_control_25pct",
               "in_difficulty")


def draft_without_sme_figures(tmp_path: Path) -> Path:
    """The test draft without the first participant's SME figures, written to tmp_path."""
    data = json.loads((DATA / "eligible-draft.json").read_text(encoding="utf-8"))
    for name in SME_FIGURES:
        data["participants"][0].pop(name, None)
    path = tmp_path / "draft.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


async def imported_at(pilot, path: Path = DATA / "eligible-draft.json",
                      key: str | None = None) -> None:
    """The draft at ``path`` imported (its notices cleared), then question ``key`` shown."""
    app = pilot.app
    await pilot.pause()
    assert import_file(app, path)
    await pilot.pause()
    app.clear_notifications()
    if key is not None:
        app.jump_to(key)
        await pilot.pause()


async def import_data(pilot, path: Path, data: dict[str, Any]) -> None:
    """Write the draft ``data`` to ``path`` and import it into the running app, as ctrl+o
    does (the imported intake then shows)."""
    path.write_text(json.dumps(data), encoding="utf-8")
    await pilot.pause()
    assert import_file(pilot.app, path)
    await pilot.pause()


def reference_session(language: str):
    """A session holding the expected answers: it says what to type for every question."""
    from intake_assistant.flow.session import IntakeSession
    from intake_assistant.loading import load_draft_file

    return IntakeSession.from_draft(load_draft_file(DATA / "eligible-draft.json"), language)


async def enter_text(pilot, widget, text: str) -> None:
    """Type short texts key by key; paste long ones, as people do."""
    from textual import events

    if len(text) <= 12:
        await type_keys(pilot, widget, text)
    else:
        # as the terminal driver does: the App hands a paste to the focused widget
        assert pilot.app.focused is widget
        pilot.app.post_message(events.Paste(text))
        await pilot.pause()


def send_keys(app: IntakeApp, *keys: str) -> None:
    """Send ``keys`` to the app as the terminal sends them: in order, none waiting for the app
    to handle the one before (a quick typist; tests/tui/test_walk.py types a whole intake so).
    The caller then waits for what they do. Named as for ``pilot.press``, made the same way.

    ``pilot.press`` waits for the app to go idle twice after every key (at least 40 ms each,
    up to a second each on a busy machine): over a whole intake that was most of its time."""
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        original = REPLACED_KEYS.get(key, key)
        try:
            character: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
        except KeyError:
            character = key if len(key) == 1 else None
        event = events.Key(key, character)
        event.set_sender(app)
        app._driver.send_message(event)


async def type_keys(pilot, widget, text: str) -> None:
    """Type ``text`` into the focused ``widget``, a key per character (``send_keys``), and
    wait until the field shows it."""
    assert pilot.app.focused is widget
    send_keys(pilot.app, *text)
    assert await wait_until(lambda: text in _field_text(widget)), (text, _field_text(widget))
    await pilot.pause()


def _field_text(widget) -> str:
    from textual.widgets import Input, TextArea

    return widget.value if isinstance(widget, Input) else (
        widget.text if isinstance(widget, TextArea) else "")


async def go_on(pilot, *keys: str) -> None:
    """Send the keys that go on from the current question (``send_keys``) and wait until the
    intake is at another one (the caller says what is wrong when it does not get there), then
    until the app is idle (its next screen drawn)."""
    app = pilot.app
    before = app.session.state
    send_keys(app, *keys)
    await wait_until(lambda: app.session.state != before)
    await pilot.pause()


async def type_answer(pilot, app: IntakeApp, reference) -> None:
    """Answer the current question as a user would, with keys only."""
    from textual.widgets import Input, OptionList, SelectionList, TextArea

    key = app.session.state
    view = reference.view(key)
    assert view is not None, f"the reference draft does not answer {key}"
    # the field of the current question (a form has one per question; Enter goes on to
    # the next field, and on the last one to the next screen)
    widget = app.screen.field_for(key).query_one("#answer")
    assert app.focused is widget, f"{key}: the focus is on {app.focused!r}"
    value = reference.value(key)
    # the keys that fill the field go at once (send_keys) and the test waits until the field
    # shows their outcome; so do the keys that go on (go_on)
    if isinstance(widget, Input):
        text = view.current_text
        if len(text) <= 12:  # to the start, delete to the end, type it
            send_keys(app, "ctrl+a", "ctrl+k", *text)
            assert await wait_until(lambda: widget.value == text), (key, widget.value, text)
        else:
            await pilot.press("ctrl+a", "ctrl+k")  # handled before the paste comes
            await enter_text(pilot, widget, text)
        await go_on(pilot, "enter")
    elif isinstance(widget, TextArea):
        await enter_text(pilot, widget, view.current_text)
        await go_on(pilot, "tab", "enter")  # Tab goes to Next
    elif isinstance(widget, SelectionList):
        wanted = set(value or ())
        keys = []
        for i, (code, _label) in enumerate(view.choices):
            if (code in wanted) != (code in widget.selected):
                keys.append("space")
            if i < len(view.choices) - 1:
                keys.append("down")
        send_keys(app, *keys)
        last = len(view.choices) - 1
        assert await wait_until(lambda: set(widget.selected) == wanted
                                and widget.highlighted == last), (key, widget.selected)
        await go_on(pilot, "enter")
    elif isinstance(widget, OptionList):
        if view.kind == "yes_no":
            target = 0 if value is True else 1
        else:
            target = [code for code, _label in view.choices].index(value)
        current = widget.highlighted
        keys = ["down"] if current is None else []  # a list starts with nothing chosen
        current = 0 if current is None else current
        step = "down" if target > current else "up"
        keys += [step] * abs(target - current)
        send_keys(app, *keys)
        assert await wait_until(lambda: widget.highlighted == target), (key, widget.highlighted)
        await go_on(pilot, "enter")
    else:  # pragma: no cover - a new kind of field
        raise AssertionError(f"unknown field {widget!r}")
    await pilot.pause()


async def answer_until(pilot, app: IntakeApp, reference, stop: int | None = None) -> int:
    """Answer questions until the review (or ``stop`` answers); returns how many."""
    count = 0
    while app.session.state not in ("review", "summary"):
        if stop is not None and count >= stop:
            break
        before = app.session.state
        await type_answer(pilot, app, reference)
        assert app.session.state != before or app.session.state in ("review",), (
            f"stuck at {before}: {app.screen.query_one('#error-0').render()}"
        )
        count += 1
        assert count < 400
    return count


async def summary_and_export(pilot, app: IntakeApp) -> list[Path]:
    """From the review: F7 to the summary, ctrl+e to the export, Enter on its button; the
    files written (the export screen stays open). The verdict is the caller's to check."""
    from intake_assistant.tui.screens.export import ExportScreen
    from intake_assistant.tui.screens.review import ReviewScreen
    from intake_assistant.tui.screens.summary import SummaryScreen

    assert isinstance(app.screen, ReviewScreen)
    await pilot.press("f7")
    await pilot.pause()
    assert isinstance(app.screen, SummaryScreen)
    await pilot.press("ctrl+e")
    await pilot.pause()
    assert isinstance(app.screen, ExportScreen)
    await pilot.press("enter")  # the Export button has the focus
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return list(app.screen.written)


async def open_example(pilot, at: str | None = None) -> None:
    """The eligible example draft imported (the app shows its review), notices cleared;
    with ``at``, then the question of that key shown (and drawn)."""
    assert import_file(pilot.app, DATA / "eligible-draft.json")
    await pilot.pause()
    pilot.app.clear_notifications()
    if at is not None:
        pilot.app.jump_to(at)
        await pilot.pause()
        await pilot.pause()


async def press_settled(pilot, *keys: str) -> None:
    """Press the keys, then wait until the app is idle twice (a screen pushed and drawn)."""
    await pilot.press(*keys)
    await pilot.pause()
    await pilot.pause()


def static_text(app: IntakeApp, selector: str) -> str:
    """What the ``Static`` at ``selector`` on the current screen shows."""
    from textual.widgets import Static

    return str(app.screen.query_one(selector, Static).render())


def in_sight(app: IntakeApp, widget) -> bool:
    """The whole widget lies inside the screen (not scrolled or pushed out of sight)."""
    region = widget.region
    screen = app.screen.region
    return (region.height > 0 and region.width > 0 and screen.contains_region(region)
            and widget.visible)

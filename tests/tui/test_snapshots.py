"""Snapshots of the key screens in both languages (pytest-textual-snapshot).

Update only after looking at the pictures: ``pytest tests/tui/test_snapshots.py
--snapshot-update``, then review the SVG files in ``__snapshots__``.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from intake_assistant.storage import IntakeMeta

from .conftest import DATA, SIZE, import_file, make_test_app

LANGUAGES = ["nl", "en"]


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    """The review shows when each answer was given: at a fixed time, for a stable picture."""
    import datetime as dt

    from intake_assistant.flow import answer_provenance as provenance

    when = dt.datetime(2026, 11, 24, 14, 2, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    monkeypatch.setattr(provenance, "now", lambda: when)


def _no_blink(app) -> None:
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    for widget in app.screen.query(TextArea):
        widget.cursor_blink = False


def _app(tmp_path, language):
    app = make_test_app(tmp_path, language)
    app.storage.save(
        "20240501-101500-abcdef",
        {"note": "a snapshot fixture; resuming it is not part of this test"},
        IntakeMeta(title="Circulaire kantoorstoel", participants=("Ergozit B.V.", "Meubelmakerij Hout"),
                   updated="2024-05-01T10:15:00+02:00", verdict="incomplete", language="nl"),
    )
    app.storage.save(
        "20240412-090000-123456",
        {"note": "fixture"},
        IntakeMeta(title="Matras terug", participants=("Slaap B.V.",),
                   updated="2024-04-12T09:00:00+02:00", verdict="eligible", language="nl"),
    )
    return app


async def _imported(pilot) -> None:
    assert import_file(pilot.app, DATA / "eligible-draft.json")
    await pilot.pause()
    # The toast names the file, and whether it still shows depends on the machine's speed.
    pilot.app.clear_notifications()
    await pilot.pause()


@pytest.mark.parametrize("language", LANGUAGES)
def test_start(snap_compare, tmp_path, language):
    async def before(pilot):
        await pilot.pause()
        # the covered rounds come from a thread after the first paint: wait for them
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        _no_blink(pilot.app)

    assert snap_compare(_app(tmp_path, language), terminal_size=SIZE, run_before=before)


@pytest.mark.parametrize("language", LANGUAGES)
def test_question_with_validation_error(snap_compare, tmp_path, language):
    async def before(pilot):
        await _imported(pilot)
        pilot.app.jump_to("participant_kvk[1]")
        await pilot.pause()
        _no_blink(pilot.app)
        await pilot.press("ctrl+a", "ctrl+k", *"1234x")
        await pilot.pause()

    assert snap_compare(_app(tmp_path, language), terminal_size=SIZE, run_before=before)


@pytest.mark.parametrize("language", LANGUAGES)
def test_participants_table(snap_compare, tmp_path, language):
    async def before(pilot):
        await _imported(pilot)
        pilot.app.action_participants()
        await pilot.pause()

    assert snap_compare(_app(tmp_path, language), terminal_size=SIZE, run_before=before)


@pytest.mark.parametrize("language", LANGUAGES)
def test_review(snap_compare, tmp_path, language):
    async def before(pilot):
        await _imported(pilot)

    assert snap_compare(_app(tmp_path, language), terminal_size=SIZE, run_before=before)


@pytest.mark.parametrize("language", LANGUAGES)
def test_summary(snap_compare, tmp_path, language):
    async def before(pilot):
        await _imported(pilot)
        await pilot.press("f7")
        await pilot.pause()

    assert snap_compare(_app(tmp_path, language), terminal_size=SIZE, run_before=before)


# -- 80x24 (issue 10): the pre-check beside a question, the summary, the start screen --------
SMALL = (80, 24)


@pytest.mark.parametrize("language", LANGUAGES)
def test_start_80x24(snap_compare, tmp_path, language):
    async def before(pilot):
        await pilot.pause()
        _no_blink(pilot.app)

    assert snap_compare(_app(tmp_path, language), terminal_size=SMALL, run_before=before)


@pytest.mark.parametrize("language", LANGUAGES)
def test_question_with_precheck_80x24(snap_compare, tmp_path, language):
    async def before(pilot):
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press(*"Stoel", "enter")
        await pilot.pause()
        _no_blink(pilot.app)

    assert snap_compare(_app(tmp_path, language), terminal_size=SMALL, run_before=before)


@pytest.mark.parametrize("language", LANGUAGES)
def test_summary_80x24(snap_compare, tmp_path, language):
    async def before(pilot):
        await _imported(pilot)
        await pilot.press("f7")
        await pilot.pause()

    assert snap_compare(_app(tmp_path, language), terminal_size=SMALL, run_before=before)


@pytest.mark.parametrize("language", LANGUAGES)
def test_summary_with_hints(snap_compare, tmp_path, language):
    """Issue 14: what would change the outcome, under the cost-share failure (shared example)."""
    example = DATA.parents[3] / "shared" / "examples" / "cost-share-over-70.json"

    async def before(pilot):
        assert import_file(pilot.app, example)
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()

    assert snap_compare(_app(tmp_path, language), terminal_size=SIZE, run_before=before)

"""Who gave each answer, the advisor mode and notes, and the comparison screen (issue 14)."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from textual.widgets import Input, OptionList

from intake_assistant.flow import answer_provenance as provenance
from intake_assistant.tui.screens.export import ExportScreen
from intake_assistant.tui.screens.modals import MessageScreen, PathScreen
from intake_assistant.tui.screens.provenance import CompareScreen, CompareSourceScreen, NoteScreen
from intake_assistant.tui.screens.review import ReviewScreen
from intake_assistant.tui.screens.start import StartScreen

from .conftest import DATA, SIZE, enter_text, import_file, make_test_app

WHEN = dt.datetime(2026, 11, 24, 14, 2, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(provenance, "now", lambda: WHEN)


def review_text(app) -> str:
    options = app.screen.query_one("#review-list", OptionList)
    return "\n".join(str(options.get_option_at_index(i).prompt)
                     for i in range(options.option_count))


async def highlight(pilot, key: str) -> None:
    options = pilot.app.screen.query_one("#review-list", OptionList)
    options.highlighted = options.get_option_index(key)
    await pilot.pause()


async def add_note(pilot, key: str, text: str) -> None:
    await highlight(pilot, key)
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, NoteScreen)
    field = pilot.app.screen.query_one("#note", Input)
    await enter_text(pilot, field, text)
    await pilot.press("enter")
    await pilot.pause()


async def export(pilot, folder) -> list:
    app = pilot.app
    app.action_export()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    screen.query_one("#json-path", Input).value = str(folder / "chair.json")
    screen.query_one("#md-path", Input).value = str(folder / "chair.md")
    await pilot.click("#do-export")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    written = list(screen.written)
    await pilot.press("escape")
    await pilot.pause()
    return written


async def test_advisor_mode_is_chosen_at_the_start_switched_and_remembered(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await pilot.click("#mode-advisor")
        await pilot.pause()
        assert app.screen.query_one("#mode-advisor").variant == "primary"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.session.mode == "advisor"
        await pilot.press(*"Chair", "enter")
        await pilot.pause()
        assert app.session.provenance("project_title").by == "advisor"
        await pilot.press("f8")  # switched back for the entrepreneur at the keyboard
        await pilot.pause()
        assert app.session.mode == "entrepreneur"
        await pilot.press("escape")  # back to the title, changed by the entrepreneur
        await pilot.pause()
        assert app.session.state == "project_title"
        await pilot.press("ctrl+a", "ctrl+k", *"Stool", "enter")
        await pilot.pause()
        assert app.session.provenance("project_title").by == "entrepreneur"
    assert app.storage.load_settings().mode == "entrepreneur"
    again = make_test_app(tmp_path, "en")
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
    assert again.storage.load_settings().mode == "advisor"


async def test_an_advisor_adds_a_note_shown_as_text_in_the_review(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert import_file(app, DATA / "eligible-draft.json")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "herkomst: geïmporteerd, 24-11-2026 14:02" in review_text(app)
        await highlight(pilot, "project_title")
        await pilot.press("n")  # not an advisor: refused, nothing opens
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("f8")
        await pilot.pause()
        await add_note(pilot, "project_title", "[bold]klant\x1b twijfelt")
        assert isinstance(app.screen, ReviewScreen)
        assert app.session.provenance("project_title").note is None  # a control: refused
        await add_note(pilot, "project_title", "[bold]klant twijfelt[/bold]")
        note = app.session.provenance("project_title").note
        assert note == "[bold]klant twijfelt[/bold]"
        assert "Notitie: [bold]klant twijfelt[/bold]" in review_text(app)  # text, not markup
        options = app.screen.query_one("#review-list", OptionList)
        assert options.get_option_at_index(options.highlighted).id == "project_title"
        saved = app.storage.load(app.intake_id)
        assert saved.state["provenance"]["project_title"]["note"] == note


async def test_provenance_survives_save_quit_resume_language_switch_and_export(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#mode-advisor")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press(*"Stoel", "enter")
        await pilot.pause()
        intake_id = app.intake_id
        await pilot.press("ctrl+q")
        await pilot.pause()
    again = make_test_app(tmp_path, None)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # resume
        await pilot.pause()
        assert again.intake_id == intake_id
        again.action_review()
        await pilot.pause()
        assert isinstance(again.screen, ReviewScreen)
        assert "herkomst: adviseur, 24-11-2026 14:02" in review_text(again)
        await add_note(pilot, "project_title", "werktitel")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.pause()
        assert "source: advisor, 2026-11-24" in review_text(again)
        assert "Note: werktitel" in review_text(again)
        written = await export(pilot, tmp_path / "out")
    side = tmp_path / "out" / "chair.provenance.json"
    assert side in written
    document = json.loads(side.read_text(encoding="utf-8"))
    assert document["format"] == "intake-assistant-provenance"
    assert document["answers"] == [{
        "key": "project_title", "question": "What is the title of the project?",
        "by": "advisor", "at": "2026-11-24T14:02:00+01:00", "note": "werktitel"}]


async def test_the_draft_json_is_the_same_bytes_with_or_without_provenance(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert import_file(app, DATA / "eligible-draft.json")
        await pilot.pause()
        plain = await export(pilot, tmp_path / "plain")
        await pilot.press("f8")
        await pilot.pause()
        await add_note(pilot, "project_title", "checked on site")
        await add_note(pilot, "participant_name[1]", "second partner")
        noted = await export(pilot, tmp_path / "noted")
    assert plain[0].read_bytes() == noted[0].read_bytes()
    assert b"checked on site" not in noted[0].read_bytes()
    assert b"checked on site" in (tmp_path / "noted" / "chair.provenance.json").read_bytes()
    assert json.loads(noted[0].read_bytes())["format_version"] == 1


async def test_import_reads_the_side_file_and_marks_a_draft_without_one_imported(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert import_file(app, DATA / "eligible-draft.json")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        await add_note(pilot, "project_title", "from the advisor")
        written = await export(pilot, tmp_path / "out")
        assert import_file(app, written[0])
        await pilot.pause()
        assert app.session.provenance("project_title").note == "from the advisor"
        copy = tmp_path / "bare.json"
        shutil.copy(written[0], copy)
        assert import_file(app, copy)
        await pilot.pause()
        assert {app.session.provenance(k).by for k in app.session.answered_keys} == {
            "imported"}
        (tmp_path / "bad.json").write_bytes(written[0].read_bytes())
        (tmp_path / "bad.provenance.json").write_text("[" * 100 + "]" * 100, encoding="utf-8")
        assert import_file(app, tmp_path / "bad.json")  # a bad side file: the draft still comes
        await pilot.pause()
        assert app.session.provenance("project_title").by == "imported"


async def _to_start(pilot) -> None:
    pilot.app.action_start_screen()
    await pilot.pause()
    await pilot.pause()
    assert isinstance(pilot.app.screen, StartScreen)


async def _choose(pilot, option_id: str) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, CompareSourceScreen)
    options = screen.query_one("#compare-sources", OptionList)
    options.highlighted = options.get_option_index(option_id)
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_compare_a_saved_intake_with_an_earlier_export(tmp_path, language):
    app = make_test_app(tmp_path, language)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert import_file(app, DATA / "eligible-draft.json")
        await pilot.pause()
        written = await export(pilot, tmp_path / "out")
        app.jump_to("project_title")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", *"Kruk", "enter")
        await pilot.pause()
        await _to_start(pilot)
        await pilot.press("ctrl+d")
        await pilot.pause()
        await _choose(pilot, "exported-file")
        assert isinstance(app.screen, PathScreen)
        field = app.screen.query_one("#path", Input)
        field.value = str(written[0])
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        text = str(app.screen.query_one("#comparison").render())
        changed = "Gewijzigde antwoorden: 1" if language == "nl" else "Answers changed: 1"
        assert changed in text
        assert "Circulaire kantoorstoel" in text and "Kruk" in text
        await pilot.press("f2")  # in the other language at once
        await pilot.pause()
        await pilot.pause()
        text = str(app.screen.query_one("#comparison").render())
        assert ("Answers changed: 1" if language == "nl" else "Gewijzigde antwoorden: 1") in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)


async def test_compare_with_an_earlier_saved_state_and_keep_only_n(tmp_path):
    from intake_assistant.storage import Settings

    app = make_test_app(tmp_path, "en", settings=Settings(kept_states=2))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert import_file(app, DATA / "eligible-draft.json")
        await pilot.pause()
        intake_id = app.intake_id
        for title in ("Stool", "Bench", "Sofa"):
            await _to_start(pilot)
            app.resume(intake_id)  # each opening keeps the state it had
            await pilot.pause()
            app.jump_to("project_title")
            await pilot.pause()
            await pilot.press("ctrl+a", "ctrl+k", *title, "enter")
            await pilot.pause()
        states = app.storage.earlier_states(intake_id)
        assert len(states) == 2  # N in the settings
        assert [s.state["answers"]["project_title"] for s in states] == ["Bench", "Stool"]
        await _to_start(pilot)
        await pilot.press("ctrl+d")
        await pilot.pause()
        await _choose(pilot, states[0].path.name)
        assert isinstance(app.screen, CompareScreen)
        text = str(app.screen.query_one("#comparison").render())
        assert "Answers changed: 1" in text and "Bench" in text and "Sofa" in text
        assert "Verdict: Eligible -> Eligible" in text


async def test_a_hostile_file_to_compare_with_gets_a_message(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert import_file(app, DATA / "eligible-draft.json")
        await pilot.pause()
        await _to_start(pilot)
        deep = tmp_path / "deep.json"
        deep.write_text("[" * 10_000 + "]" * 10_000, encoding="utf-8")
        await pilot.press("ctrl+d")
        await pilot.pause()
        await _choose(pilot, "exported-file")
        app.screen.query_one("#path", Input).value = str(deep)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MessageScreen)
        assert "nested too deeply" in str(app.screen.query_one("#message-text").render())

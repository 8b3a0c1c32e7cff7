"""Whole intakes by key presses: complete, export, change from the review, quit and resume."""

from __future__ import annotations

import json
import stat

import pytest

from intake_assistant.tui.screens.question import QuestionScreen
from intake_assistant.tui.screens.review import ReviewScreen
from intake_assistant.tui.screens.start import StartScreen

from .conftest import (
    DATA,
    SIZE,
    answer_until,
    expected_draft,
    import_file,
    make_test_app,
    reference_session,
    summary_and_export,
)


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_complete_eligible_intake_and_export(tmp_path, language):
    app = make_test_app(tmp_path, language)
    reference = reference_session(language)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        answered = await answer_until(pilot, app, reference)
        assert answered > 50
        written = await summary_and_export(pilot, app)
        assert str(app.session.report.verdict) == "eligible"
        assert len(written) == 3  # the draft, the report and who gave the answers (issue 14)
        result = str(app.screen.query_one("#export-result").render())
        assert str(written[0]) in result.replace("\n", "")
    exported = json.loads(written[0].read_text(encoding="utf-8"))
    assert exported == expected_draft(language)
    report = written[1].read_text(encoding="utf-8")
    assert "RVO" in report
    assert ("€ 20.000,00" if language == "nl" else "€20,000.00") in report.replace("\xa0", " ")
    assert stat.S_IMODE(written[0].stat().st_mode) == 0o600


async def test_export_never_overwrites_without_asking(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        app.action_export()
        await pilot.pause()
        screen = app.screen
        json_path = tmp_path / "exports" / "intake-draft.json"
        json_path.parent.mkdir()
        json_path.write_text("precious", encoding="utf-8")
        await pilot.press("enter")
        await pilot.pause()
        # asked; keep them
        assert app.screen.__class__.__name__ == "ConfirmScreen"
        await pilot.press("escape")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert json_path.read_text(encoding="utf-8") == "precious"
        assert screen.written == []
        # and replace when the user says so
        await pilot.press("enter")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert json.loads(json_path.read_text(encoding="utf-8"))["format_version"] == 1
    # the next export proposes the same folder
    assert app.storage.load_settings().export_dir == str(json_path.parent.resolve())


async def test_change_an_answer_from_the_review(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert import_file(app, DATA / "eligible-draft.json")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        # choose the title in the review and change it
        review = app.screen.query_one("#review-list")
        review.highlighted = next(
            i for i in range(review.option_count)
            if review.get_option_at_index(i).id == "project_title"
        )
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.session.state == "project_title"
        await pilot.press("ctrl+a", "ctrl+k", *"Better chair", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)  # back to the review, not the start
        assert app.session.draft.project.title == "Better chair"
        # an answer set aside by a changed condition is shown as such
        review = app.screen.query_one("#review-list")
        key = next(i for i in range(review.option_count)
                   if review.get_option_at_index(i).id == "facilitator_appointed")
        review.highlighted = key
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.state == "facilitator_appointed"
        await pilot.press("down", "enter")  # No
        await pilot.pause()
        assert app.session.set_aside()
        assert isinstance(app.screen, ReviewScreen)
        review = app.screen.query_one("#review-list")
        texts = [str(review.get_option_at_index(i).prompt) for i in range(review.option_count)]
        assert any("(set aside)" in t for t in texts)
    saved = app.storage.load(app.intake_id)
    assert saved.meta.title == "Better chair"


async def test_quit_halfway_and_resume_with_nothing_lost(tmp_path):
    app = make_test_app(tmp_path, "nl")
    reference = reference_session("nl")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        await answer_until(pilot, app, reference, stop=25)
        state = app.session.state
        answers = app.session.to_state_dict()["answers"]
        intake_id = app.intake_id
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert len(answers) >= 25
    again = make_test_app(tmp_path, None)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        start = again.screen
        assert isinstance(start, StartScreen)
        assert [s.id for s in start.saved] == [intake_id]
        table = start.query_one("#intakes")
        assert table.row_count == 1
        await pilot.press("enter")  # the newest intake is highlighted: resume it
        await pilot.pause()
        assert isinstance(again.screen, QuestionScreen)
        assert again.session.state == state
        assert again.session.to_state_dict()["answers"] == answers
        # and go on from there
        await answer_until(pilot, again, reference, stop=5)
        assert len(again.session.to_state_dict()["answers"]) == len(answers) + 5


async def test_killed_without_quitting_loses_no_accepted_answer(tmp_path):
    app = make_test_app(tmp_path, "en")
    reference = reference_session("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        await answer_until(pilot, app, reference, stop=3)
        answers = app.session.to_state_dict()["answers"]
        # no quit: the file on disk must already hold every accepted answer
        saved = app.storage.load(app.intake_id)
        assert saved.state["answers"] == answers
        assert len(answers) == 3


async def test_import_damaged_file_shows_the_message(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('{"format": "sck-draft-application", "format_version": 1, '
                   '"project": {"start_date": "31-02-2020"}, "colour": 1}', encoding="utf-8")
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k")
        field = app.screen.query_one("#path")
        from .conftest import enter_text

        await enter_text(pilot, field, str(bad))
        await pilot.press("enter")
        await pilot.pause()
        # issue 10: the path dialog stays open with the message (it closed for a message box)
        assert app.screen.__class__.__name__ == "PathScreen"
        text = str(app.screen.query_one("#path-error").render())
        assert "colour" in text
        assert "start_date" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert app.session is None
    assert bad.exists()


async def test_import_good_draft_opens_the_review(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert import_file(app, tmp_path.parent / "missing.json") is False
        await pilot.press("escape")
        await pilot.pause()
        assert import_file(app, DATA / "eligible-draft.json")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert str(app.session.report.verdict) == "eligible"
    assert app.storage.list_headers().intakes[0].meta.title == "Circulaire kantoorstoel"


async def test_damaged_save_is_set_aside_with_a_message(tmp_path):
    app = make_test_app(tmp_path, "en")
    app.storage.ensure()
    (app.storage.intakes_dir / "old.json").write_text("{half a file", encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        texts = [str(w.render()) for w in app.screen.query(".damaged")]
        assert len(texts) == 1 and "old.json" in texts[0] and "set aside" in texts[0]
    aside = list(app.storage.intakes_dir.glob("old.json.damaged-*"))
    assert len(aside) == 1 and aside[0].read_text() == "{half a file"

"""The live pre-check: brief at the start, the full list one key away, what fails named; the
summary names criteria by title and shows what each finding rests on (b)."""

from __future__ import annotations

from textual.widgets import Static

from intake_assistant.tui.screens.modals import PrecheckListScreen
from intake_assistant.tui.screens.question import QuestionScreen
from intake_assistant.tui.widgets.precheck import PrecheckPanel

from .conftest import SIZE, make_test_app, open_example, static_text


async def test_precheck_at_the_start_is_brief_and_the_full_list_one_key_away(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        panel = str(app.screen.query_one(PrecheckPanel).query_one("#precheck-text").render())
        assert "van" in panel and "criteria zijn al te beoordelen" in panel
        assert panel.startswith("Voorcheck: Onvolledig")
        assert "Nog nodig in Project" in panel
        assert panel.count("ontbreekt") == 0  # not the wall of "missing"
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, PrecheckListScreen)
        full = static_text(app, "#precheck-list-text")
        assert full.count("ontbreekt") >= 10 and "PARTNERSHIP-SIZE" in full
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)


async def test_precheck_names_what_fails(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_example(pilot, at="project_work_started")
        await pilot.press(*"yes", "enter")  # work has started: fails
        await pilot.pause()
        app.jump_to("project_title")
        await pilot.pause()
        panel = str(app.screen.query_one(PrecheckPanel).query_one("#precheck-text").render())
        assert "✘" in panel and "art. 1.3" in panel


async def test_summary_names_criteria_by_title_with_the_id_after(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await open_example(pilot, at="project_work_started")
        await pilot.press(*"ja", "enter")
        await pilot.pause()
        app.action_summary()
        await pilot.pause()
        texts = [str(w.render()) for w in app.screen.query(Static)]
        failure = next(t for t in texts if "GBER-INCENTIVE" in t)
        assert failure.startswith("• Geen werkzaamheden")
        assert failure.index("GBER-INCENTIVE") > failure.index("Geen werkzaamheden")


async def test_b_on_the_summary_shows_what_each_finding_rests_on(tmp_path):
    """Issue 23: the answers (by their question) and parameter values under each finding."""
    from intake_assistant.tui.screens.summary import SummaryScreen

    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_example(pilot)
        app.action_summary()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)

        def texts() -> str:
            return " ".join(str(w.render()) for w in app.screen.query(Static))

        assert "Rests on:" not in texts()
        await pilot.press("b")
        await pilot.pause()
        shown_texts = texts()
        assert "Rests on:" in shown_texts
        # an answer by its question with its value and path, a parameter by its description
        assert "On which date will you submit the application?" in shown_texts
        assert "project.application_date" in shown_texts
        assert "Period in which applications are accepted" in shown_texts
        assert "unverified" in shown_texts
        await pilot.press("b")
        await pilot.pause()
        assert "Rests on:" not in texts()

"""The intake under each round, driven as a user drives it (Pilot)."""

from __future__ import annotations

from flow.helpers import typical_answer
from scenarios.test_rounds import ROUNDS, base_data, dated, inside

from intake_assistant.tui.screens.start import StartScreen

from .conftest import SIZE, import_data, make_test_app


def _submit(app, value) -> str | None:
    """Answer and move on through the App's one change path, as the question screen does."""
    def change(session):
        result = session.answer(value)
        assert result.accepted, result.message
        session.next()

    return app.change_session(change)


async def test_the_intake_follows_the_round_of_the_application_date(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert "No round is open today" in str(app.screen.query_one("#rounds").render())
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.session.ruleset == "sce-2020"
        for _ in range(50):
            view = app.session.current
            if view.question_id == "project_application_date":
                break
            assert _submit(app, typical_answer(app.session)) is None
            await pilot.pause()
        target = ROUNDS[2023]
        assert _submit(app, inside(target).isoformat()) is None
        await pilot.pause()
        assert app.session.ruleset == target.ruleset_id
        assert app.session.draft.ruleset == target.ruleset_id
        assert app.session.current.question_id == "project_start_date"  # nothing lost


async def test_a_2022_draft_is_summarised_with_its_round(tmp_path):
    data = dated(base_data(), inside(ROUNDS[2022]), 2022)
    data["ruleset"] = "sce-2022"
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await import_data(pilot, tmp_path / "v2.json", data)
        await pilot.press("f6")  # the review, then the summary
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        text = str(app.screen.query_one("#round").render())
        assert "Circulaire ketenprojecten, ronde 2022" in text
        assert str(app.session.report.verdict) == "eligible"


async def test_an_imported_draft_with_one_kvk_number_twice_is_not_eligible_on_the_summary(
        tmp_path):
    data = dated(base_data(), inside(ROUNDS[2021]), 2021)
    data["ruleset"] = "sce-2021"
    twice = data["participants"][1]["kvk_number"]
    data["participants"][3]["kvk_number"] = twice
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await import_data(pilot, tmp_path / "twice.json", data)
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        assert "not eligible" in str(app.screen.query_one("#verdict").render()).lower()
        shown = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "NO-GROUP" in shown and twice in shown
        for participant in (data["participants"][1], data["participants"][3]):
            assert participant["name"] in shown

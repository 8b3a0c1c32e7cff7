"""The export dialog's words: keeping the files says nothing was written, a write error lists
only what was written; once closed, the summary says where it wrote, its buttons in sight."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input, Static

from .conftest import SIZE, make_test_app, open_example, summary_and_export


async def _export_dialog(pilot):
    """The example open and its export dialog shown; the dialog."""
    await open_example(pilot)
    pilot.app.action_export()
    await pilot.pause()
    return pilot.app.screen


async def _export_done(pilot) -> None:
    """Click Export and wait until the export's worker is done and its result drawn."""
    await pilot.click("#do-export")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_export_keeping_the_files_says_nothing_was_written(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _export_dialog(pilot)
        await _export_done(pilot)
        written = str(screen.query_one("#export-result", Static).render())
        # the draft, its report and the answers' provenance beside it
        assert written.count(".json") == 2 and ".provenance.json" in written and ".md" in written
        # again: they exist now (pressed, not clicked: the list of three files written
        # may have pushed the button out of a 24-line screen)
        screen.query_one("#do-export", Button).press()
        for _wait in range(50):  # the question whether to replace them (slow machines)
            await pilot.pause()
            if app.screen is not screen:
                break
        assert app.screen is not screen
        await pilot.press("escape")  # keep them
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Er is niets geschreven" in str(screen.query_one("#export-error").render())
        assert str(screen.query_one("#export-result", Static).render()).strip() == ""


async def test_export_write_error_lists_only_what_was_written(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _export_dialog(pilot)
        folder = tmp_path / "a-folder.md"
        folder.mkdir()
        screen.query_one("#json-path", Input).value = str(tmp_path / "ok.json")
        screen.query_one("#md-path", Input).value = str(tmp_path / "missing" / "x" / "r.md")
        (tmp_path / "missing").write_text("a file where a folder should be", encoding="utf-8")
        await _export_done(pilot)
        result = str(screen.query_one("#export-result", Static).render())
        assert "ok.json" in result and "r.md" not in result
        assert "Could not write" in str(screen.query_one("#export-error").render())
        # nothing written at all: said so
        screen.query_one("#json-path", Input).value = str(tmp_path / "missing" / "y.json")
        screen.query_one("#do-export", Button).press()  # the message may have moved it
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Nothing was written" in str(screen.query_one("#export-error").render())
        assert str(screen.query_one("#export-result", Static).render()).strip() == ""


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_summary_says_where_it_exported_with_its_buttons_in_sight(
        tmp_path, language, size):
    """A toast "Exported to ..." covered the summary's buttons for seconds: the summary says
    it itself, above them, and every button stays painted whole."""
    from intake_assistant.tui.screens.summary import SummaryScreen

    app = make_test_app(tmp_path, language)
    async with app.run_test(size=size) as pilot:
        await open_example(pilot)
        written = await summary_and_export(pilot, app)
        assert written
        await pilot.press("escape")  # the dialog closed: back on the summary
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        lines = [strip.text for strip in screen._compositor.render_strips()]
        painted = " ".join(" ".join(lines).split())
        said = {"nl": "Geëxporteerd naar", "en": "Exported to"}[language]
        assert said in painted and written[0].name in painted, painted
        toasts = [toast.region for toast in app.screen.query("Toast")]
        for button in screen.query("#question-buttons Button"):
            region = button.region
            assert not any(region.overlaps(toast) for toast in toasts), str(button.label)
            label = str(button.label)
            assert region.height > 0, label
            row = lines[region.y + region.height // 2][region.x:region.right]
            assert label in row, (label, row, "\n".join(lines))

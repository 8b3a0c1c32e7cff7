"""The export dialog's words: keeping the files says nothing was written, a write error lists
only what was written."""

from __future__ import annotations

from textual.widgets import Button, Input, Static

from .conftest import SIZE, make_test_app, open_example


async def test_export_keeping_the_files_says_nothing_was_written(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await open_example(pilot)
        app.action_export()
        await pilot.pause()
        screen = app.screen
        await pilot.click("#do-export")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
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
        await open_example(pilot)
        app.action_export()
        await pilot.pause()
        screen = app.screen
        folder = tmp_path / "a-folder.md"
        folder.mkdir()
        screen.query_one("#json-path", Input).value = str(tmp_path / "ok.json")
        screen.query_one("#md-path", Input).value = str(tmp_path / "missing" / "x" / "r.md")
        (tmp_path / "missing").write_text("a file where a folder should be", encoding="utf-8")
        await pilot.click("#do-export")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
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

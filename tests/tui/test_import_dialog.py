"""The import dialog: the proposed folder, Tab completion of paths, a failed import, Escape back
to the start."""

from __future__ import annotations

from textual.widgets import Input

from intake_assistant.tui.screens.modals import (
    PathScreen,
    complete_path,
    restarted_path,
)
from intake_assistant.tui.screens.review import ReviewScreen
from intake_assistant.tui.screens.start import StartScreen

from .conftest import DATA, make_test_app, static_text


def test_a_typed_absolute_path_or_home_replaces_the_proposed_folder():
    assert restarted_path("/home/a/exports//tmp/x.json") == "/tmp/x.json"
    assert restarted_path("/home/a/exports/~/x.json") == "~/x.json"
    assert restarted_path("/home/a/exports/x.json") == "/home/a/exports/x.json"


def test_tab_completion_of_paths(tmp_path):
    (tmp_path / "draft-one.json").write_text("{}", encoding="utf-8")
    (tmp_path / "draft-two.json").write_text("{}", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    assert complete_path(f"{tmp_path}/dr") == (f"{tmp_path}/draft-", ["draft-one.json",
                                                                      "draft-two.json"])
    assert complete_path(f"{tmp_path}/draft-o") == (f"{tmp_path}/draft-one.json", [])
    assert complete_path(f"{tmp_path}/fo") == (f"{tmp_path}/folder/", [])
    assert complete_path(f"{tmp_path}/nothing") == (f"{tmp_path}/nothing", [])


async def test_import_dialog_typing_tab_and_a_failed_import(tmp_path):
    draft = tmp_path / "elsewhere" / "my-draft.json"
    draft.parent.mkdir()
    draft.write_text((DATA / "eligible-draft.json").read_text(encoding="utf-8"),
                     encoding="utf-8")
    bad = tmp_path / "elsewhere" / "broken.json"
    bad.write_text('{"format": ', encoding="utf-8")
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        field = app.screen.query_one("#path", Input)
        assert field.value.endswith("exports/")
        # typing an absolute path over the proposed folder replaces it
        await pilot.press(*f"{tmp_path}/elsewhere/b", "tab")
        await pilot.pause()
        assert field.value == str(bad)
        await pilot.press("enter")
        await pilot.pause()
        # the dialog stays, with the parser's complaint in Dutch and where
        assert isinstance(app.screen, PathScreen)
        error = static_text(app, "#path-error")
        assert "geen geldige JSON (regel 1, kolom 12)" in error and "Expecting" not in error
        field.value = f"{app.export_dir}/"  # the proposed folder again; ~ starts anew
        await pilot.pause()
        await pilot.press("end", "~")
        await pilot.pause()
        assert field.value == "~"
        field.value = f"{tmp_path}/elsewhere/my"
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.session.draft.project.title


async def test_start_screen_still_opens_after_escape_from_import(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)

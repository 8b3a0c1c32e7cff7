"""Issue 22, readable at 80x24 and 60x20 in both languages: the footer's first keys are the
ones that work everywhere, the help wraps its texts, the export dialog keeps its buttons and
its list of written files in sight."""

from __future__ import annotations

import pytest

from intake_assistant.tui.screens.question import QuestionScreen
from intake_assistant.tui.widgets.footer import FooterKey

from .conftest import DATA, import_file, make_test_app


async def _imported_at(pilot, key: str) -> None:
    app = pilot.app
    assert import_file(app, DATA / "eligible-draft.json")
    await pilot.pause()
    app.clear_notifications()
    app.jump_to(key)
    await pilot.pause()


def _keys_in_sight(app) -> list[str]:
    """The keys of the footer that are wholly on the screen, left to right."""
    width = app.screen.region.width
    keys = [key for key in app.screen.query(FooterKey)
            if key.display and key.region.width > 0 and key.region.right <= width]
    return [key.key for key in sorted(keys, key=lambda k: k.region.x)]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("question", ["project_title", "participant_name[0]",
                                      "project_public_summary"])
async def test_help_language_and_quit_are_the_footers_first_keys_at_80_columns(
        tmp_path, language, question):
    app = make_test_app(tmp_path, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await _imported_at(pilot, question)
        assert isinstance(app.screen, QuestionScreen)
        assert _keys_in_sight(app)[:3] == ["f1", "f2", "ctrl+q"]

"""Issue 22, readable at 80x24 and 60x20 in both languages: the footer's first keys are the
ones that work everywhere, the help wraps its texts, the export dialog keeps its buttons and
its list of written files in sight."""

from __future__ import annotations

import pytest

from intake_assistant.tui.screens.question import QuestionScreen
from intake_assistant.tui.widgets.footer import FooterKey

from .conftest import imported_at, make_test_app


def _keys_in_sight(app) -> list[str]:
    """The keys of the footer that are wholly on the screen, line by line, left to right."""
    width = app.screen.region.width
    keys = [key for key in app.screen.query(FooterKey)
            if key.display and key.region.width > 0 and key.region.right <= width]
    return [key.key for key in sorted(keys, key=lambda k: (k.region.y, k.region.x))]


def _footer_painted(app) -> str:
    """The footer's lines as painted (the bottom of the screen, below every other widget)."""
    from intake_assistant.tui.widgets.footer import Footer

    footer = app.screen.query_one(Footer)
    lines = [strip.text for strip in app.screen._compositor.render_strips()]
    return "\n".join(lines[footer.region.y:footer.region.bottom])


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@pytest.mark.parametrize("where", ["question", "summary", "start"])
async def test_every_key_of_the_screen_is_painted_in_the_footer(tmp_path, language, size, where):
    """At 80 columns F5 and F6 fell off the end (from F3 at 60): the footer goes on on a
    next line, each key whole ("f6 Nakijken"), the palette's last."""
    app = make_test_app(tmp_path, language)
    async with app.run_test(size=size) as pilot:
        if where != "start":
            await imported_at(pilot, key="participant_name[0]" if where == "question" else None)
        if where == "summary":  # from the review the import shows
            await pilot.press("f7")
        await pilot.pause()
        assert type(app.screen).__name__ == {"question": "QuestionScreen", "start": "StartScreen",
                                             "summary": "SummaryScreen"}[where]
        painted = _footer_painted(app)
        shown = [(app.get_key_display(binding), binding.description)
                 for _key, (_node, binding, _enabled, _tip) in app.screen.active_bindings.items()
                 if binding.show or _key == app.COMMAND_PALETTE_BINDING]
        assert len(shown) >= 5
        for key_display, description in shown:
            assert f"{key_display} {description}" in painted, (key_display, description, painted)
        assert len(painted.splitlines()) <= 2


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("question", ["project_title", "participant_name[0]",
                                      "project_public_summary"])
async def test_help_language_and_quit_are_the_footers_first_keys_at_80_columns(
        tmp_path, language, question):
    app = make_test_app(tmp_path, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await imported_at(pilot, key=question)
        assert isinstance(app.screen, QuestionScreen)
        assert _keys_in_sight(app)[:3] == ["f1", "f2", "ctrl+q"]


def _within(outer, widget) -> bool:
    region = widget.region
    return region.width > 0 and region.height > 0 and outer.contains_region(region)


_BLOCKS = str.maketrans("", "", "▁▂▃▄▅▆▇█▔▏▎▊▌▐")


def _words(text: str) -> str:
    return " ".join(text.translate(_BLOCKS).split())


async def _table_text(pilot, table) -> str:
    """Every line of a data table, from its top to its bottom (scrolled through), as the
    screen shows them."""
    app = pilot.app
    lines: dict[int, str] = {}
    table.scroll_to(y=0, animate=False)
    await pilot.pause()
    while True:
        region = table.scrollable_content_region
        strips = app.screen._compositor.render_strips()
        for row in range(region.y + table.header_height, region.bottom):
            lines[int(table.scroll_y) + row - region.y - table.header_height] = (
                strips[row].text[region.x:region.right])
        if table.scroll_y >= table.max_scroll_y:
            break
        table.scroll_to(y=table.scroll_y + region.height - table.header_height, animate=False)
        await pilot.pause()
    return _words(" ".join(lines[y] for y in sorted(lines)))


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_help_wraps_every_text_and_keeps_its_button_in_sight(tmp_path, language, size):
    from textual.widgets import DataTable

    from intake_assistant.i18n import _
    from intake_assistant.tui.screens.modals import HELP_KEYS, HelpScreen

    app = make_test_app(tmp_path, language)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        table = screen.query_one("#help-keys", DataTable)
        assert table.region.height >= 8  # room for the keys, not only for the frame
        assert _within(screen.region, screen.query_one("#close"))
        text = await _table_text(pilot, table)
        for _where, key, what in HELP_KEYS:
            assert _words(f"{_(key)} {_(what)}") in text, (key, what)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_export_keeps_its_buttons_and_its_written_files_in_sight(
        tmp_path, language, size):
    from intake_assistant.tui.screens.export import ExportScreen

    app = make_test_app(tmp_path, language)
    async with app.run_test(size=size) as pilot:
        await imported_at(pilot)
        app.action_summary()
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        dialog = screen.query_one("#export-dialog")
        for button in ("#do-export", "#close"):
            assert _within(screen.region, screen.query_one(button))
            assert _within(dialog.region, screen.query_one(button))
        await pilot.press("enter")  # Export has the focus
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert len(screen.written) == 3
        result = screen.query_one("#export-result")
        assert _within(dialog.region, result)
        assert _within(dialog.region, screen.query_one("#close"))
        for path in screen.written:
            assert str(path) in str(result.render())
        assert not app._notifications  # no toast over the list while it shows
        await pilot.press("escape")
        await pilot.pause()
        # said by the summary itself, above its buttons (a toast covered them)
        assert not app._notifications
        outcome = app.screen.query_one("#export-outcome")
        assert outcome.display and str(screen.written[0].parent) in str(outcome.render())

"""No English on Dutch screens: the palette, yes/no answers, the help with every key."""

from __future__ import annotations

from textual.widgets import DataTable, Input
from waiting import wait_until

from .conftest import SIZE, make_test_app, open_example


async def _open_palette(pilot) -> None:
    await pilot.pause()
    await pilot.press("ctrl+p")
    await pilot.pause()


async def test_palette_placeholder_in_dutch(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await _open_palette(pilot)
        field = app.screen.query_one(Input)
        assert field.placeholder == "Zoek een opdracht…"


async def test_palette_says_no_matches_in_dutch(tmp_path):
    from textual.command import CommandList

    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await _open_palette(pilot)
        await pilot.press(*"xyzzy")
        options = app.screen.query_one(CommandList)

        def prompts() -> list[str]:
            prompts = (options.get_option_at_index(i).prompt for i in range(options.option_count))
            return [str(getattr(prompt, "renderable", prompt)) for prompt in prompts]

        # Textual waits half a second before it says so (longer on a busy machine)
        await wait_until(lambda: prompts() == ["Geen opdracht gevonden"])
        assert prompts() == ["Geen opdracht gevonden"]


async def test_yes_no_answers_read_alike_in_review_and_field(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await open_example(pilot)
        items = {i.key: i.answer for i in app.session.review_items()}
        assert items["project_work_started"] == "Nee"
        assert "ja" not in items.values() and "nee" not in items.values()


async def test_help_lists_f7_and_ctrl_l(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        table = app.screen.query_one("#help-keys", DataTable)
        keys = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert "F7" in keys and "ctrl+l" in keys and "ctrl+j" in keys

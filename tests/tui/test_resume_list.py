"""The resume list (issues 10 and 14): verdict and last change visible at 120 columns, two
intakes with the same title told apart, sorted and filtered by keys and clicks, both languages."""

from __future__ import annotations

import pytest
from textual.widgets import Button, DataTable, Input, Static

from intake_assistant.storage import IntakeMeta, Storage, now_iso

from .conftest import make_test_app

LONG_TITLE = "Circulaire kantoorstoel " + "met een heel lange omschrijving " * 10
VERDICT_TEXT = {"nl": ("Komt in aanmerking", "Komt niet in aanmerking", "Onvolledig"),
                "en": ("Eligible", "Not eligible", "Incomplete")}


def _fill(storage: Storage) -> None:
    today = now_iso()
    storage.save("20240301-100000-aaaaaa", {}, IntakeMeta(
        title=LONG_TITLE, participants=("Ergozit B.V.", "Hout B.V."),
        updated="2024-03-01T10:00:00+01:00", verdict="eligible"))
    storage.save("20240302-100000-bbbbbb", {}, IntakeMeta(
        title=LONG_TITLE, participants=("Stof B.V.",), updated="2024-03-02T11:30:00+01:00",
        verdict="not_eligible"))
    storage.save("20240101-100000-cccccc", {}, IntakeMeta(
        title="Matras", participants=("Slaap B.V.", "Zzz B.V."), updated=today,
        verdict="incomplete"))


def _rows(table: DataTable) -> list[list[str]]:
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


def _status(app) -> str:
    return str(app.screen.query_one("#list-status", Static).render())


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_verdict_and_last_change_shown_at_120_columns_and_same_titles_told_apart(
        tmp_path, language):
    app = make_test_app(tmp_path, language)
    _fill(app.storage)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#intakes", DataTable)
        assert table.row_count == 3
        # nothing scrolls sideways: every column is on the screen, however long the title
        await pilot.pause()
        assert table.virtual_size.width <= table.scrollable_content_region.width, (
            table.virtual_size, table.scrollable_content_region)
        eligible, not_eligible, _incomplete = VERDICT_TEXT[language]
        shown = [table.render_line(y).text for y in range(1, 4)]  # the rows as painted
        by_id = {line.split()[-1]: line for line in shown}
        assert set(by_id) == {"aaaaaa", "bbbbbb", "cccccc"}  # the ids' ends tell them apart
        assert eligible in by_id["aaaaaa"] and not_eligible in by_id["bbbbbb"]
        date = "02-03-2024 11:30" if language == "nl" else "2024-03-02 11:30"
        assert date in by_id["bbbbbb"]
        assert "…" in by_id["aaaaaa"]  # the long title is cut, not the verdict
        assert _rows(table)[1][0] == LONG_TITLE  # the cell keeps the whole title


async def test_sort_by_keys_and_header_clicks(tmp_path):
    app = make_test_app(tmp_path, "en")
    _fill(app.storage)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#intakes", DataTable)
        ids = lambda: [row[-1] for row in _rows(table)]  # noqa: E731
        assert ids() == ["cccccc", "bbbbbb", "aaaaaa"]  # newest first
        assert "sorted by last change, newest first" in _status(app)
        await pilot.press("f3")  # by project, A to Z
        await pilot.pause()
        assert ids() == ["aaaaaa", "bbbbbb", "cccccc"]
        assert "sorted by project, A to Z" in _status(app)
        await pilot.press("f3")  # by verdict: what is not eligible first
        await pilot.pause()
        assert ids() == ["bbbbbb", "cccccc", "aaaaaa"]
        await pilot.press("f3")  # by participants
        await pilot.pause()
        assert ids() == ["aaaaaa", "cccccc", "bbbbbb"]
        await pilot.press("f3")  # and round again: last change
        await pilot.pause()
        assert ids() == ["cccccc", "bbbbbb", "aaaaaa"]
        # a click on a header sorts by that column; a second click the other way round
        app.screen.post_message(DataTable.HeaderSelected(
            table, table.ordered_columns[2].key, 2, table.ordered_columns[2].label))
        await pilot.pause()
        assert ids() == ["aaaaaa", "bbbbbb", "cccccc"]
        assert "oldest first" in _status(app)
        title_column = table.ordered_columns[0]
        app.screen.post_message(DataTable.HeaderSelected(table, title_column.key, 0,
                                                         title_column.label))
        await pilot.pause()
        assert ids() == ["aaaaaa", "bbbbbb", "cccccc"]
        app.screen.post_message(DataTable.HeaderSelected(table, title_column.key, 0,
                                                         title_column.label))
        await pilot.pause()
        assert ids() == ["cccccc", "bbbbbb", "aaaaaa"]
        assert "Z to A" in _status(app)


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_filter_by_verdict_last_change_and_participant(tmp_path, language):
    app = make_test_app(tmp_path, language)
    _fill(app.storage)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#intakes", DataTable)
        eligible = VERDICT_TEXT[language][0]
        await pilot.press("f4")  # eligible only
        await pilot.pause()
        assert [r[-1] for r in _rows(table)] == ["aaaaaa"]
        assert str(app.screen.query_one("#verdict-filter", Button).label) == eligible
        await pilot.click("#verdict-filter")  # the button steps on too: not eligible
        await pilot.pause()
        assert [r[-1] for r in _rows(table)] == ["bbbbbb"]
        assert ("1 of 3" if language == "en" else "1 van 3") in _status(app)
        await pilot.press("f4", "f4")  # incomplete, then every verdict again
        await pilot.pause()
        assert table.row_count == 3
        await pilot.press("f5")  # changed today: the one saved now
        await pilot.pause()
        assert [r[-1] for r in _rows(table)] == ["cccccc"]
        await pilot.press("f5", "f5", "f5")  # more than 30 days ago
        await pilot.pause()
        assert sorted(r[-1] for r in _rows(table)) == ["aaaaaa", "bbbbbb"]
        await pilot.press(*"stof")  # typing filters by participant (and project, id)
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == "stof"
        assert [r[-1] for r in _rows(table)] == ["bbbbbb"]
        await pilot.press("f2")  # the other language keeps the filters
        await pilot.pause()
        table = app.screen.query_one("#intakes", DataTable)
        assert [r[-1] for r in _rows(table)] == ["bbbbbb"]
        assert app.screen.query_one("#filter", Input).value == "stof"


@pytest.mark.parametrize(("language", "said"), [
    ("nl", "1 van 1 intake getoond; gesorteerd op laatste wijziging"),
    ("en", "1 of 1 intake shown; sorted by last change"),
])
async def test_the_list_of_one_saved_intake_says_so_in_the_singular(tmp_path, language, said):
    app = make_test_app(tmp_path, language)
    app.storage.save("20240301-100000-aaaaaa", {}, IntakeMeta(
        title="Matras", updated="2024-03-01T10:00:00+01:00", verdict="eligible"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert _status(app).startswith(said)


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (100, 30)])
async def test_resume_list_and_start_buttons_in_sight_on_a_small_terminal(tmp_path, size):
    app = make_test_app(tmp_path, "nl")
    _fill(app.storage)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#intakes", DataTable)
        for widget in [*screen.query("#start-actions Button"), table,
                       screen.query_one("#filter", Input)]:
            region = widget.region
            assert region.height > 0 and screen.region.contains_region(region), widget
            assert widget.content_region.width >= len(str(getattr(widget, "label", "")))
        assert table.region.height >= 3  # the header and the first rows
        # as painted: the header and a row, with its verdict (narrow: in a word, "ja/nee")
        header, first_row = table.render_line(0).text, table.render_line(1).text
        assert "Matras" in first_row  # the newest
        if size[0] >= 100:  # at 100x30 no row showed: the buttons took the room
            assert "Deelnemers" in header
            assert any(verdict in first_row for verdict in VERDICT_TEXT["nl"]), first_row
            return
        assert "In aanmerking?" in header, header
        assert any(f"{mark} {word}" in first_row for mark, word in (
            ("✔", "ja"), ("✘", "nee"), ("…", "onvolledig"))), first_row
        assert "Deelnemers" not in header  # left out below 100 columns, for the title
        if size[0] >= 80:  # the title is readable (it was cut to "Circula…" at 80)
            rows = [table.render_line(y).text for y in range(1, table.row_count + 1)]
            assert any("Circulaire kantoorstoel met" in row for row in rows), rows

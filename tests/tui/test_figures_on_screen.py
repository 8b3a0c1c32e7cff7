"""Every figure a screen shows can be read whole from the screen, at 80x24 and 60x20.

A name may end in "…"; an amount never loses a digit or its mark: these tests read the
painted screen (not the widgets' data), scrolled as a user scrolls, and look for each amount
as the intake writes it.
"""

from __future__ import annotations

import json
import re

import pytest
from textual.widgets import OptionList

from intake_assistant.i18n import set_language
from intake_assistant.tui.screens.participants import ParticipantsScreen
from intake_assistant.tui.screens.review import ReviewScreen
from intake_assistant.tui.screens.summary import SummaryScreen

from .conftest import DATA, import_file, make_test_app

SIZES = [(80, 24), (60, 20)]


def _capped_draft(tmp_path):
    """The four-partner example, one partner's costs so high that its subsidy is capped."""
    data = json.loads((DATA / "eligible-draft.json").read_text(encoding="utf-8"))
    data["participants"][1]["cost_lines"][0]["amount_eur"] = 180000
    path = tmp_path / "capped.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


async def _capped_on(pilot, tmp_path, key: str | None = None) -> None:
    """The capped draft imported (the summary shown), then ``key`` pressed."""
    assert import_file(pilot.app, _capped_draft(tmp_path))
    await pilot.pause()
    pilot.app.clear_notifications()
    if key is not None:
        await pilot.press(key)
        await pilot.pause()


async def _scrolled_through(pilot, widget) -> list[str]:
    """The painted lines of ``widget``, scrolled down a screenful less one at a time."""
    seen: list[str] = []
    for y in range(0, int(widget.max_scroll_y) + widget.size.height,
                   max(1, widget.size.height - 1)):
        widget.scroll_to(y=y, animate=False)
        await pilot.pause()
        seen += _painted(pilot.app, widget)
    return seen


def _painted(app, widget) -> list[str]:
    """The lines of the screen where ``widget`` is painted, as a user sees them."""
    lines = [strip.text for strip in app.screen._compositor.render_strips()]
    region = widget.region.intersection(app.screen.region)
    return [line[region.x:region.right] for line in lines[region.y:region.bottom]]


async def _table_as_seen(pilot, table) -> str:
    """A table as the screen shows it, scrolled sideways to its start and to its end, once it
    is fitted to the width it has (on a busy machine its Resize may come a frame later)."""
    table.scroll_visible(animate=False)
    await pilot.pause()
    for _ in range(60):  # up to 3 s
        if table.laid_out_for_its_width:
            break
        await pilot.pause(0.05)
    await pilot.pause()
    seen: list[str] = []
    for x in sorted({0, int(table.max_scroll_x)}):
        table.scroll_to(x=x, animate=False)
        seen += await _settled_paint(pilot, table)
    return "\n".join(seen)


async def _settled_paint(pilot, table) -> list[str]:
    """The table's painted lines once two paints in a row agree: a DataTable sizes its auto
    columns on a later refresh than the rows' own, so on a busy machine one paint can show the
    first rows at the widths of before."""
    await pilot.pause()
    painted = _painted(pilot.app, table)
    for _ in range(60):  # up to 3 s
        await pilot.pause(0.05)
        again = _painted(pilot.app, table)
        if again == painted:
            break
        painted = again
    return painted


def _whole(figure: str, text: str) -> bool:
    """``figure`` stands in ``text`` with no digit, separator or mark cut from either end."""
    return re.search(r"(?<![\d.,])" + re.escape(figure) + r"(?![\d.,])", text) is not None


def _subsidy_figures(session, language: str) -> list[str]:
    from intake_assistant.reports.wording import summarize

    def whole_euros(text: str) -> str:  # as the table writes them: no cents where none
        return text.removesuffix(",00").removesuffix(".00")

    s = summarize(session.report, session.draft, language)
    figures = []
    for row in s.subsidy_rows:
        figures += [whole_euros(row.eligible), whole_euros(row.excluded), row.share,
                    whole_euros(row.subsidy) + (" *" if row.capped else "")]
    return [*figures, whole_euros(s.total_eligible), whole_euros(s.total_subsidy)]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_summary_shows_every_amount_whole(tmp_path, size, language):
    app = make_test_app(tmp_path, language)
    async with app.run_test(size=size) as pilot:
        await _capped_on(pilot, tmp_path)
        app.action_summary()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        table = app.screen.query_one("#subsidy-table")
        seen = await _table_as_seen(pilot, table)
        figures = _subsidy_figures(app.session, language)
        # it fits, at 60 columns too (Dutch headers on three lines): nothing to scroll
        # sideways for, and every header is read whole
        assert table.max_scroll_x == 0, seen
        headers = [line.strip() for column in table.columns.values()
                   for line in column.label.plain.split("\n")]
    assert all(h and "…" not in h and h in seen for h in headers[1:]), (headers, seen)
    assert any(f.endswith(" *") for f in figures)
    missing = [f for f in figures if not _whole(f, seen)]
    assert not missing, f"not whole on the screen: {missing}\n{seen}"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_cost_lines_show_every_amount_whole(tmp_path, size, language):
    from intake_assistant.i18n import translator

    app = make_test_app(tmp_path, language)
    async with app.run_test(size=size) as pilot:
        await _capped_on(pilot, tmp_path, "f5")
        assert isinstance(app.screen, ParticipantsScreen)
        for index, participant in enumerate(app.session.draft.participants or []):
            app.screen.query_one("#participants-table").move_cursor(row=index)
            await pilot.pause()
            seen = await _table_as_seen(pilot, app.screen.query_one("#cost-lines-table"))
            for line in participant.cost_lines or []:
                amount = translator(language).money(line.amount_eur)
                assert _whole(amount, seen), f"{amount} not whole:\n{seen}"
            kvk = participant.kvk_number
            people = await _table_as_seen(pilot, app.screen.query_one("#participants-table"))
            assert kvk is None or _whole(kvk, people), people


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_review_shows_every_amount_whole(tmp_path, size, language):
    from intake_assistant.flow import values

    app = make_test_app(tmp_path, language)
    async with app.run_test(size=size) as pilot:
        await _capped_on(pilot, tmp_path, "f6")
        assert isinstance(app.screen, ReviewScreen)
        seen = await _scrolled_through(pilot, app.screen.query_one("#review-list", OptionList))
        session = app.session
        money = [values.format_answer(slot.question, session.value(slot.key), language)
                 for slot in session._slots
                 if slot.question.kind == "money" and session.value(slot.key) is not None]
    set_language("nl")
    text = "\n".join(seen)
    assert money
    missing = [m for m in money if not _whole(m, text)]
    assert not missing, f"not whole on the screen: {missing}"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_live_precheck_shows_every_figure_whole(tmp_path, size, language):
    """The failing cost share of the shared example: its amounts and percentages, in the
    narrow panel beside the question, each whole on one line of the screen."""
    from intake_assistant.tui.widgets.precheck import PrecheckPanel

    example = DATA.parents[3] / "shared" / "examples" / "cost-share-over-70.json"
    app = make_test_app(tmp_path, language)
    async with app.run_test(size=size) as pilot:
        assert import_file(app, example)
        await pilot.pause()
        app.clear_notifications()
        app.jump_to("project_title")
        await pilot.pause()
        panels = list(app.screen.query(PrecheckPanel))
        if not panels or not panels[0].display:
            await pilot.press("f3")  # shown on request where the screen is narrow
            await pilot.pause()
        panel = app.screen.query_one(PrecheckPanel)
        text = panel.query_one("#precheck-text").render()
        plain = text.plain if hasattr(text, "plain") else str(text)
        seen = await _scrolled_through(pilot, panel)
    figures = re.findall(r"€\s?[\d.,]*\d|\d[\d.,]*\d\s?%", plain)
    assert len(figures) >= 2, plain
    missing = [f for f in figures if not any(_whole(f, line) for line in seen)]
    assert not missing, f"not whole on one line: {missing}\n" + "\n".join(seen)

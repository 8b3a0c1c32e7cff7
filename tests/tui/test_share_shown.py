"""A share just above the limit reads above it everywhere (screens, report)."""

from __future__ import annotations

import json

from textual.widgets import DataTable, Static

from intake_assistant.tui.widgets.precheck import PrecheckPanel

from .conftest import DATA, SIZE, import_data, make_test_app


async def test_a_share_above_70_percent_reads_above_it_everywhere(tmp_path):
    from intake_assistant.tui.screens.summary import SummaryScreen

    data = json.loads((DATA / "eligible-draft.json").read_text(encoding="utf-8"))
    data["participants"][2]["cost_lines"][0]["amount_eur"] = 93951  # 70.0031 % of all costs
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await import_data(pilot, tmp_path / "share.json", data)
        app.jump_to("project_title")
        await pilot.pause()
        panel = str(app.screen.query_one(PrecheckPanel).query_one("#precheck-text").render())
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        summary = " ".join(str(w.render()) for w in app.screen.query(Static))
        table = app.screen.query_one("#subsidy-table", DataTable)
        cells = [str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)]
        report = app.intake.export("md", "nl").data.decode()
    assert "70,003%" in panel
    assert "70,003%" in summary and "70,003%" in cells
    assert "70,003%" in report
    for text in (panel, summary, report, " ".join(cells)):
        assert "70,0%" not in text and "(70%)" not in text

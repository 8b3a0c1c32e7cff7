"""The intake as ``serve`` runs it in a browser tab, driven with Pilot (no browser needed).

A client lists no saved intakes and comes back only with its resume code; an advisor lists
them all; a draft is imported by pasting its JSON; exports are delivered as downloads; no
binding sits on a key the browser keeps.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from textual.widgets import Button, DataTable, Input, TextArea
from waiting import wait_until

from intake_assistant.reports.pdf import available as pdf_available
from intake_assistant.service.resume_codes import (
    ServedStorage,
    normalize_code,
)
from intake_assistant.tui.screens.modals import MessageScreen
from intake_assistant.tui.screens.start import StartScreen
from intake_assistant.tui.served.popups import (
    DownloadScreen,
    PasteDraftScreen,
    ResumeCodeScreen,
    ResumeCodeShownScreen,
)
from intake_assistant.tui.served.tab import (
    BROWSER_KEPT,
    ServedIntakeApp,
    make_served_app,
)

from .conftest import SIZE, import_text

EXAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "examples" / "eligible-office-chair.json"


def served(tmp_path: Path, *, advisor: bool = False, resume: str | None = None,
           language: str = "en") -> ServedIntakeApp:
    return make_served_app({
        "INTAKE_ASSISTANT_SERVED_ROLE": "advisor" if advisor else "client",
        "INTAKE_ASSISTANT_SERVED_DATA_DIR": str(tmp_path / "data"),
        "INTAKE_ASSISTANT_SERVED_LANG": language,
        "INTAKE_ASSISTANT_SERVED_URL": "http://127.0.0.1:8000/?token=abc",
        **({"INTAKE_ASSISTANT_SERVED_RESUME": resume} if resume else {}),
    })


async def test_a_new_intake_gives_its_resume_code_and_the_code_brings_it_back(tmp_path) -> None:
    app = served(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f9")  # new intake (ctrl+n never reaches a page)
        await pilot.pause()
        assert isinstance(app.screen, ResumeCodeShownScreen)
        code = app.screen.query_one("#code-value", Input).value
        link = app.screen.query_one("#code-link", Input).value
        assert link == f"http://127.0.0.1:8000/?token=abc&resume={code}"
        await pilot.press("escape")
        await pilot.press(*"Gamma")
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.draft.project.title == "Gamma"
    assert normalize_code(code) == code

    # Another tab: the list shows nothing; the code opens the intake.
    other = served(tmp_path)
    async with other.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(other.screen, StartScreen)
        assert not other.screen.query(DataTable)
        assert other.screen.query_one("#resume-with-code", Button)
        await pilot.click("#resume-with-code")
        await pilot.pause()
        assert isinstance(other.screen, ResumeCodeScreen)
        await pilot.press(*"WRONG-CODE", "enter")
        await pilot.pause()
        assert "no intake with this code" in str(other.screen.query_one("#resume-error").render())
        other.screen.query_one("#resume-code", Input).value = code.lower()
        await pilot.press("enter")
        await pilot.pause()
        assert other.session is not None
        assert other.session.draft.project.title == "Gamma"

    # A link with the code resumes at once; an advisor lists every served intake.
    linked = served(tmp_path, resume=code)
    async with linked.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert linked.session is not None and linked.session.draft.project.title == "Gamma"
    advisor = served(tmp_path, advisor=True)
    async with advisor.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = advisor.screen.query_one("#intakes", DataTable)
        assert table.row_count == 1


async def test_a_pasted_draft_is_imported_and_a_bad_one_is_explained(tmp_path) -> None:
    app = served(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, PasteDraftScreen)
        app.screen.query_one("#paste-text", TextArea).text = '{"format": "nope"'
        await pilot.click("#paste-import")
        await pilot.pause()
        assert isinstance(app.screen, MessageScreen)
        assert "not valid JSON" in app.screen.text
        assert not list((tmp_path / "data" / "intakes").glob("*.json"))
        await pilot.press("escape")
        app.action_import()  # the loader's bounds hold for a paste as for a file
        await pilot.pause()
        app.screen.query_one("#paste-text", TextArea).text = "[" * 100 + "]" * 100
        await pilot.click("#paste-import")
        await pilot.pause()
        assert isinstance(app.screen, MessageScreen)
        assert "nested too deeply" in app.screen.text
        await pilot.press("escape")
        app.action_import()
        await pilot.pause()
        app.screen.query_one("#paste-text", TextArea).text = EXAMPLE.read_text(encoding="utf-8")
        await pilot.click("#paste-import")
        await pilot.pause()
        assert app.session is not None
        assert app.session.draft.project.title == "Circulaire kantoorstoel"
        assert isinstance(app.screen, ResumeCodeShownScreen)
        assert len(list((tmp_path / "data" / "intakes").glob("*.json"))) == 1


class _Parsed(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)


async def test_exports_are_delivered_to_the_browser(tmp_path, monkeypatch) -> None:
    delivered: list[tuple[str, bytes, str]] = []

    def deliver(self, file, *, save_filename=None, mime_type=None, open_method="download", **_kw):
        delivered.append((save_filename, file.read(), mime_type))
        return "key"

    monkeypatch.setattr(ServedIntakeApp, "deliver_binary", deliver)
    app = served(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        import_text(app, EXAMPLE.read_text(encoding="utf-8"))
        await pilot.pause()
        await pilot.press("escape")
        app.action_export()
        await pilot.pause()
        assert isinstance(app.screen, DownloadScreen)
        await pilot.click("#download-json")
        await app.workers.wait_for_complete()
        await pilot.click("#download-html")
        await app.workers.wait_for_complete()
        await pilot.pause()
    names = [name for name, _data, _mime in delivered]
    assert names == ["circulaire-kantoorstoel-draft.json", "circulaire-kantoorstoel-precheck-en.html"]
    assert json.loads(delivered[0][1])["project"]["title"] == "Circulaire kantoorstoel"
    parser = _Parsed()
    parser.feed(delivered[1][1].decode("utf-8"))
    assert "script" not in parser.tags and "table" in parser.tags
    assert delivered[1][2] == "text/html"


async def test_pdf_download_where_the_server_can_make_one(tmp_path, monkeypatch) -> None:
    import pytest

    if pdf_available() is None:
        pytest.skip("no Chromium and no WeasyPrint installed: no PDF to download")
    app = served(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        import_text(app, EXAMPLE.read_text(encoding="utf-8"))
        await pilot.pause()
        name, data, mime = app.download_file("pdf")
    assert name.endswith(".pdf") and mime == "application/pdf" and data.startswith(b"%PDF-")


async def test_no_binding_sits_on_a_key_the_browser_keeps(tmp_path) -> None:
    app = served(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for node in (app, app.screen):
            keys = set(node._bindings.key_to_bindings)
            assert not keys & set(BROWSER_KEPT), (node, keys & set(BROWSER_KEPT))
        assert "f9" in app.screen._bindings.key_to_bindings
        assert "f10" in app._bindings.key_to_bindings
        # The moved bindings are still translated after a switch (as the footer shows them).
        await app.set_ui_language("nl")
        await pilot.pause()
        assert app.screen.active_bindings["f10"].binding.description == "Stoppen"


async def test_a_served_visitor_changes_no_shared_settings(tmp_path) -> None:
    app = served(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.set_ui_language("nl")
        await pilot.pause()
    assert not (tmp_path / "data" / "settings.json").exists()
    assert isinstance(app.storage, ServedStorage)


async def test_a_client_start_screen_is_laid_out_without_others_intakes(tmp_path) -> None:
    first = served(tmp_path)
    async with first.run_test(size=SIZE) as pilot:
        import_text(first, EXAMPLE.read_text(encoding="utf-8"))
        await pilot.pause()
    assert first.storage.intakes_dir.is_dir() and any(first.storage.intakes_dir.glob("*.json"))
    # The first paint already has no list (it is not rebuilt once the saves are read).
    assert not served(tmp_path).storage.has_intakes()
    assert served(tmp_path, advisor=True).storage.has_intakes()



async def test_the_served_help_lists_only_keys_that_reach_a_page(tmp_path) -> None:
    from intake_assistant.tui.screens.modals import HelpScreen

    app = served(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-keys", DataTable)
        keys = {str(table.get_row_at(row)[1]) for row in range(table.row_count)}
        assert not keys & set(BROWSER_KEPT), keys & set(BROWSER_KEPT)
        assert {"F9", "F10", "F8", "ctrl+o"} <= keys


async def test_who_answers_follows_the_link_a_client_cannot_claim_the_advisor(tmp_path) -> None:
    """A client's answers are the entrepreneur's, whatever the page is asked; the advisor's
    link records the advisor's (the provenance the save and the export's side file carry)."""
    client = served(tmp_path)
    async with client.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not client.screen.query("#mode-row")  # no choice offered on the start screen
        client.action_toggle_mode()  # as a stale binding would
        client.set_mode("advisor")
        await pilot.pause()
        assert client.settings.mode == "entrepreneur"
        notices = [n.message for n in client._notifications]
        assert any("advisor's link" in text for text in notices)
        titles = [c.title for c in client.get_system_commands(client.screen)]
        assert "Resume code" in titles and "Switch mode" not in titles  # the palette's list
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("escape", *"Gamma", "enter")
        await pilot.pause()
        assert client.session.mode == "entrepreneur"
        assert client.session.provenance("project_title").by == "entrepreneur"

    advisor = served(tmp_path, advisor=True)
    async with advisor.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert advisor.settings.mode == "advisor"
        assert advisor.screen.query_one("#mode-advisor", Button).variant == "primary"
        assert "Switch mode" in [c.title for c in advisor.get_system_commands(advisor.screen)]
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("escape", *"Delta", "enter")
        await pilot.pause()
        assert advisor.session.provenance("project_title").by == "advisor"


async def test_tab_then_enter_right_after_a_paste_imports_the_draft(tmp_path) -> None:
    """A paste, Tab and Enter, sent as the page sends them (none waits for the app): the
    paste used to take the focus back one message after it, so the Tab's move to Import was
    undone and the Enter wrote a new line into the pasted draft (a browser test failed now
    and then)."""

    from textual import events

    app = served(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, PasteDraftScreen)
        for event in (events.Paste(EXAMPLE.read_text(encoding="utf-8")),
                      events.Key("tab", None), events.Key("enter", None)):
            event.set_sender(app)
            app._driver.send_message(event)
        assert await wait_until(lambda: isinstance(app.screen, ResumeCodeShownScreen))
        assert app.session is not None
        assert app.session.draft.project.title == "Circulaire kantoorstoel"


async def test_a_draft_pasted_with_the_line_ends_a_browser_terminal_sends_imports(tmp_path) -> None:
    """xterm.js pastes each line end as a lone carriage return: it is a line end of the pasted
    draft, not a control character written as its escape (the JSON was refused as damaged)."""
    from textual import events

    app = served(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, PasteDraftScreen)
        pasted = EXAMPLE.read_text(encoding="utf-8").replace("\n", "\r")
        for event in (events.Paste(pasted), events.Key("tab", None), events.Key("enter", None)):
            event.set_sender(app)
            app._driver.send_message(event)
        assert await wait_until(lambda: isinstance(app.screen, ResumeCodeShownScreen))
        assert app.session is not None
        assert app.session.draft.project.title == "Circulaire kantoorstoel"


async def test_the_served_compare_dialog_never_offers_a_file_on_the_server(tmp_path) -> None:
    from textual.widgets import OptionList

    from intake_assistant.tui.asking import compare_intake
    from intake_assistant.tui.screens.provenance import EXPORTED_FILE, CompareSourceScreen

    app = served(tmp_path, advisor=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.press(*"Gamma")
        await pilot.press("enter")
        await pilot.pause()
        intake_id = app.intake_id
        assert intake_id is not None
        compare_intake(app, intake_id)
        await pilot.pause()
        assert isinstance(app.screen, CompareSourceScreen)
        options = app.screen.query_one("#compare-sources", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert EXPORTED_FILE not in ids  # a served process never opens a server path

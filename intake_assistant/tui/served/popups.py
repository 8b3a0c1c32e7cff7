"""Pop-ups of the served intake (``intake-assistant serve``): paste a draft, the resume code,
the downloads. The terminal intake does not use them.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from intake_assistant.i18n import N_, _
from intake_assistant.tui.screens.base import LocalizedBindings
from intake_assistant.tui.widgets.button import Button
from intake_assistant.tui.widgets.long_text import PasteArea


class PasteDraftScreen(LocalizedBindings, ModalScreen[str | None]):
    """Paste the JSON of a draft application (a served visitor cannot give a server path).

    The text goes to ``loading.parse_draft_text``: the size and depth bounds of a file.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="paste-dialog"):
            yield Label(_("Import a draft"), classes="dialog-title")
            yield Static(_("Paste the content of a draft application JSON file below "
                           "(ctrl+v or shift+insert), then choose Import."))
            yield PasteArea(id="paste-text", soft_wrap=True, show_line_numbers=False)
            yield Static("", id="paste-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Import"), id="paste-import", variant="primary")
                yield Button(_("Cancel"), id="paste-cancel")

    def on_mount(self) -> None:
        self.query_one("#paste-text", TextArea).focus()

    @on(TextArea.Changed, "#paste-text")
    def _changed(self) -> None:
        self.query_one("#paste-error", Static).update("")

    @on(Button.Pressed, "#paste-import")
    def action_import(self) -> None:
        text = self.query_one("#paste-text", TextArea).text
        error = self.query_one("#paste-error", Static)
        if not text.strip():
            error.update(_("Paste the draft's JSON first."))
            return
        self.dismiss(text)

    @on(Button.Pressed, "#paste-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ResumeCodeScreen(LocalizedBindings, ModalScreen[str | None]):
    """Ask for the resume code an earlier intake gave."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, problem: str = "") -> None:
        super().__init__()
        self.problem = problem

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="resume-dialog"):
            yield Label(_("Resume with your code"), classes="dialog-title")
            yield Static(_("Type or paste the resume code your intake gave you "
                           "(groups of letters and digits; dashes and spaces do not matter)."))
            yield Input(id="resume-code", placeholder="XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
            yield Static(self.problem, id="resume-error", classes="field-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Resume"), id="resume-ok", variant="primary")
                yield Button(_("Cancel"), id="resume-cancel")

    def on_mount(self) -> None:
        self.query_one("#resume-code", Input).focus()

    @on(Input.Submitted, "#resume-code")
    @on(Button.Pressed, "#resume-ok")
    def action_ok(self) -> None:
        value = self.query_one("#resume-code", Input).value.strip()
        if not value:
            self.query_one("#resume-error", Static).update(_("Give the resume code."))
            return
        self.dismiss(value)

    @on(Button.Pressed, "#resume-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ResumeCodeShownScreen(LocalizedBindings, ModalScreen[None]):
    """The personal resume code and link of this intake (like "save and return")."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", N_("Close"))]

    def __init__(self, code: str, link: str) -> None:
        super().__init__()
        self.code, self.link = code, link

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="code-dialog"):
            yield Label(_("Your resume code"), classes="dialog-title")
            yield Static(_("Your answers are saved on the server as you go. To come back "
                           "later, keep this code or this link; anyone who has it can open "
                           "this intake, and nobody can find it without it."))
            yield Input(self.code, id="code-value")
            yield Label(_("Resume link:"))
            yield Input(self.link, id="code-link")
            yield Static(_("Select the text and copy it (ctrl+c), or write the code down."),
                         classes="hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Close"), id="code-close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#code-close", Button).focus()

    @on(Button.Pressed, "#code-close")
    def action_close(self) -> None:
        self.dismiss(None)


class DownloadScreen(LocalizedBindings, ModalScreen[None]):
    """Download the draft JSON, the HTML report (and the PDF where the server can make one)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", N_("Close"))]

    def __init__(self, pdf: bool) -> None:
        super().__init__()
        self.pdf = pdf

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="download-dialog"):
            yield Label(_("Download the draft and the report"), classes="dialog-title")
            yield Static(_("Your browser saves each file in its downloads folder."))
            with Vertical(id="download-buttons"):
                yield Button(_("Draft application (JSON)"), id="download-json", variant="primary",
                             action="app.download('json')")
                yield Button(_("Pre-check report (HTML, to print)"), id="download-html",
                             action="app.download('html')")
                if self.pdf:
                    yield Button(_("Pre-check report (PDF)"), id="download-pdf",
                                 action="app.download('pdf')")
                yield Button(_("Pre-check report (Markdown)"), id="download-md",
                             action="app.download('md')")
            if not self.pdf:
                yield Static(_("This server cannot make a PDF; print the HTML report from "
                               "your browser instead."), classes="hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Close"), id="download-close")

    def on_mount(self) -> None:
        self.query_one("#download-json", Button).focus()

    @on(Button.Pressed, "#download-close")
    def action_close(self) -> None:
        self.dismiss(None)

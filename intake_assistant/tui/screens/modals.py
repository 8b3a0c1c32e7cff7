"""Pop-ups: a message, a question, a path, the help with the keys."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, DataTable, Input, Label, Static

from intake_assistant.i18n import N_, _
from intake_assistant.tui.screens.base import LocalizedBindings
from intake_assistant.tui.widgets.safe import shown


class MessageScreen(LocalizedBindings, ModalScreen[None]):
    """A message the user must see (a damaged file, an import that failed)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "close", N_("Close"))]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="message-dialog"):
            yield Label(shown(self.title_text), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(shown(self.text, keep_newlines=True), id="message-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Close"), id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)


class ConfirmScreen(LocalizedBindings, ModalScreen[bool]):
    """A yes/no question; Escape is no. Enter presses the focused button: "no" unless
    ``default_yes`` (a confirmation of a key the user pressed on purpose)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "no", N_("No"))]

    def __init__(self, title: str, text: str, yes: str, no: str, *,
                 default_yes: bool = False) -> None:
        super().__init__()
        self.title_text, self.text, self.yes, self.no = title, text, yes, no
        self.default_yes = default_yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(shown(self.title_text), classes="dialog-title")
            yield Static(shown(self.text, keep_newlines=True), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, id="yes", variant="warning")
                yield Button(self.no, id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#yes" if self.default_yes else "#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        self.dismiss(False)


class _ExistingFile(Validator):
    def validate(self, value: str) -> ValidationResult:
        path = Path(value.strip()).expanduser()
        if not value.strip():
            return self.failure(_("Give a path."))
        if not path.is_file():
            return self.failure(_("There is no file at this path."))
        return self.success()


class PathScreen(LocalizedBindings, ModalScreen[str | None]):
    """Ask for a file path."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, prompt: str, value: str = "", *,
                 must_exist: bool = False) -> None:
        super().__init__()
        self.title_text, self.prompt, self.value, self.must_exist = title, prompt, value, must_exist

    def compose(self) -> ComposeResult:
        validators = [_ExistingFile()] if self.must_exist else []
        with Vertical(classes="dialog"):
            yield Label(shown(self.title_text), classes="dialog-title")
            yield Label(shown(self.prompt))
            yield Input(self.value, id="path", validators=validators,
                        validate_on=["changed", "submitted"])
            yield Static("", id="path-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("OK"), id="ok", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        field = self.query_one("#path", Input)
        field.focus()
        field.cursor_position = len(field.value)

    @on(Input.Changed, "#path")
    def _changed(self, event: Input.Changed) -> None:
        self.query_one("#path-error", Static).update("")

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#ok")
    def action_ok(self) -> None:
        field = self.query_one("#path", Input)
        result = field.validate(field.value)
        if result is not None and not result.is_valid:
            self.query_one("#path-error", Static).update(
                shown(result.failure_descriptions[0]))
            return
        self.dismiss(field.value.strip())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


#: Keys shown by the help screen: (keys, what they do). English ids, translated when shown.
HELP_KEYS: list[tuple[str, str, str]] = [
    (N_("Everywhere"), "F1", N_("this help")),
    (N_("Everywhere"), "F2", N_("switch between Nederlands and English")),
    (N_("Everywhere"), "F8", N_("switch who answers: entrepreneur or advisor")),
    (N_("Everywhere"), "ctrl+p", N_("command palette: new, import, review, summary, export")),
    (N_("Everywhere"), "ctrl+q", N_("save and quit")),
    (N_("Everywhere"), "tab / shift+tab", N_("next / previous field or button")),
    (N_("Start"), "ctrl+n", N_("new intake")),
    (N_("Start"), "ctrl+o", N_("import a draft JSON file")),
    (N_("Start"), N_("type"), N_("filter the saved intakes")),
    (N_("Start"), "enter", N_("resume the chosen intake")),
    (N_("Start"), "ctrl+d", N_("compare the chosen intake with an export or an earlier state")),
    (N_("Question"), "enter", N_("accept the answer and go on")),
    (N_("Question"), "escape", N_("back to the previous question")),
    (N_("Question"), "F3", N_("show or hide the pre-check")),
    (N_("Question"), "F4", N_("sections: jump to an answered question")),
    (N_("Question"), "F5", N_("participants table")),
    (N_("Question"), "F6", N_("review all answers")),
    (N_("Question"), "space", N_("tick a box, choose an option")),
    (N_("Participants"), "a", N_("add a participant")),
    (N_("Participants"), "e / enter", N_("edit the chosen participant")),
    (N_("Participants"), "c", N_("add a cost line to the chosen participant")),
    (N_("Participants"), "delete", N_("remove the chosen participant")),
    (N_("Review"), "enter", N_("change the chosen answer")),
    (N_("Review"), "n", N_("advisor: a note on the chosen answer")),
    (N_("Summary"), "ctrl+e", N_("export the draft and the report")),
]


class HelpScreen(LocalizedBindings, ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "close", N_("Close"))]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help-dialog"):
            yield Label(_("Keys"), classes="dialog-title")
            table: DataTable[str] = DataTable(id="help-keys", cursor_type="row")
            table.add_columns(_("Where"), _("Key"), _("What it does"))
            for where, key, what in HELP_KEYS:
                table.add_row(_(where), _(key), _(what))
            yield table
            yield Static(
                _("Everything works from the keyboard. This is a pre-check, not a "
                  "decision: RVO decides. Every accepted answer is saved at once."),
                classes="dialog-body",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Close"), id="close", variant="primary")

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)

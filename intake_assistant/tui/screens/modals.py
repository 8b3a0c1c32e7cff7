"""Pop-ups: a message, a question, a path, the help with the keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widgets import DataTable, Input, Label, Static

from intake_assistant.i18n import N_, _
from intake_assistant.tui.screens.base import LocalizedBindings
from intake_assistant.tui.widgets.button import Button
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


class ReadingScreen(LocalizedBindings, ModalScreen[str | None]):
    """Which of the readings of a figure typed (Dutch ``4,000``: € 4,00 or € 4.000,00) is
    meant: one button per reading, written so that it reads one way only; Escape (or
    "Neither") keeps what was typed, to correct it. The intake never picks one itself."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "neither", N_("Correct it"))]

    def __init__(self, question: str, typed: str, readings: list[str]) -> None:
        super().__init__()
        self.question, self.typed, self.readings = question, typed, readings

    def compose(self) -> ComposeResult:
        if len(self.readings) == 2:
            title = _("Did you mean {one} or {other}?", one=self.readings[0],
                      other=self.readings[1])
            body = _("{question}: “{typed}” reads two ways.", question=self.question,
                     typed=self.typed)
        else:
            title = _("Did you mean {other}?", other=self.readings[0])
            body = _("{question}: “{typed}” reads two ways, and only this one is an answer "
                     "here.", question=self.question, typed=self.typed)
        with Vertical(classes="dialog", id="reading-dialog"):
            yield Label(shown(title), classes="dialog-title")
            yield Static(shown(body), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                for i, reading in enumerate(self.readings):
                    yield Button(shown(reading), id=f"reading-{i}", variant="primary")
                yield Button(_("Neither: correct it"), id="neither")

    def on_mount(self) -> None:
        self.query_one("#reading-0", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if button_id.startswith("reading-"):
            self.dismiss(self.readings[int(button_id.removeprefix("reading-"))])
        else:
            self.dismiss(None)

    def action_neither(self) -> None:
        self.dismiss(None)


class _ExistingFile(Validator):
    def validate(self, value: str) -> ValidationResult:
        path = Path(value.strip()).expanduser()
        if not value.strip():
            return self.failure(_("Give a path."))
        if not path.is_file():
            return self.failure(_("There is no file at this path."))
        return self.success()


#: At most this many names are listed when Tab finds several (a folder may hold thousands).
_LISTED_NAMES = 8


def restarted_path(value: str) -> str:
    """A path typed over the proposed folder starts anew where an absolute path or ``~``
    begins: ``/home/a/exports//tmp/x.json`` is ``/tmp/x.json``, ``.../exports/~/x`` is ``~/x``.
    """
    cut = max(value.rfind("//") + 1, value.rfind("/~") + 1)
    return value[cut:] if cut > 0 else value


def complete_path(value: str) -> tuple[str, list[str]]:
    """Tab completion: the path completed as far as it is unambiguous, and the names that
    still fit (none when the completion is unique or nothing fits)."""
    folder_text, _sep, start = value.rpartition("/")
    folder = Path(folder_text or ("/" if value.startswith("/") else ".")).expanduser()
    try:
        # a name with control characters is not completed into the field (shown as text
        # it would not be the name any more); hidden names only when asked for with "."
        names = sorted(entry.name + ("/" if entry.is_dir() else "")
                       for entry in islice(folder.iterdir(), 5000) if entry.name.startswith(start)
                       and (start.startswith(".") or not entry.name.startswith("."))
                       and entry.name.isprintable())
    except OSError:  # not a folder, or not readable: nothing to complete
        return value, []
    if not names:
        return value, []
    common = names[0]
    for name in names[1:]:
        while not name.startswith(common):
            common = common[:-1]
    prefix = value[: len(value) - len(start)]
    return prefix + common, [] if len(names) == 1 else names


class PathInput(Input):
    """A path field: typing an absolute path or ``~`` replaces the proposed folder; Tab
    completes names (a second Tab, with nothing to complete, goes to the next button)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "complete", N_("Complete the path"), show=False)]

    @dataclass
    class Completions(Message):
        """Tab found several names that fit (shown under the field)."""

        field: PathInput
        names: list[str]

        @property
        def control(self) -> PathInput:
            return self.field

    def action_complete(self) -> None:
        completed, names = complete_path(self.value)
        if completed == self.value and not names:
            self.screen.focus_next()
            return
        self.value = completed
        self.cursor_position = len(completed)
        self.post_message(self.Completions(self, names))


class PathScreen(LocalizedBindings, ModalScreen[str | None]):
    """Ask for a file path; ``check`` (when given) says why a path will not do, and the
    dialog stays open with that text until the path is changed or the dialog cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, prompt: str, value: str = "", *,
                 must_exist: bool = False,
                 check: Callable[[str], str | None] | None = None) -> None:
        super().__init__()
        self.title_text, self.prompt, self.value, self.must_exist = title, prompt, value, must_exist
        self.check = check

    def compose(self) -> ComposeResult:
        validators = [_ExistingFile()] if self.must_exist else []
        with Vertical(classes="dialog"):
            yield Label(shown(self.title_text), classes="dialog-title")
            yield Label(shown(self.prompt))
            yield PathInput(self.value, id="path", validators=validators,
                            validate_on=["submitted"])
            yield Static(_("Type a path from / or ~ to replace the folder; Tab completes."),
                         id="path-hint", classes="field-hint")
            with VerticalScroll(id="path-error-scroll"):
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
        restarted = restarted_path(event.value)
        if restarted != event.value:
            event.input.value = restarted
            event.input.cursor_position = len(restarted)
        self.query_one("#path-error", Static).update("")

    @on(PathInput.Completions)
    def _completions(self, event: PathInput.Completions) -> None:
        names = event.names[:_LISTED_NAMES]
        more = len(event.names) - len(names)
        text = "  ".join(names) + ("  " + _("and {count} more", count=str(more)) if more else "")
        self.query_one("#path-error", Static).update(shown(text))

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#ok")
    def action_ok(self) -> None:
        field = self.query_one("#path", Input)
        error = self.query_one("#path-error", Static)
        result = field.validate(field.value)
        if result is not None and not result.is_valid:
            error.update(shown(result.failure_descriptions[0]))
            return
        value = field.value.strip()
        problem = self.check(value) if self.check is not None else None
        if problem:
            error.update(shown(problem, keep_newlines=True))
            field.focus()
            return
        self.dismiss(value)

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
    (N_("Start"), "F3", N_("sort the saved intakes by the next column (a click on a column's "
                           "header sorts by it)")),
    (N_("Start"), "F4", N_("show only the intakes with the next verdict")),
    (N_("Start"), "F5", N_("show only the intakes changed in the next period")),
    (N_("Start"), "ctrl+d", N_("compare the chosen intake with an export or an earlier state")),
    (N_("Question"), "enter", N_("accept the answer and go on")),
    (N_("Question"), "escape", N_("back where you came from: the screen before, or the "
                                  "review the question was chosen in")),
    (N_("Question"), "F3", N_("show or hide the pre-check")),
    (N_("Question"), "F4", N_("sections: jump to an answered question")),
    (N_("Question"), "F5", N_("participants table")),
    (N_("Question"), "F6", N_("review all answers")),
    (N_("Question"), "ctrl+l", N_("every criterion of the live pre-check")),
    (N_("Question"), "ctrl+j", N_("long text: accept the text and go on")),
    (N_("Question"), "space", N_("tick a box, choose an option")),
    (N_("Participants"), "a", N_("add a participant")),
    (N_("Participants"), "e / enter", N_("edit the chosen participant")),
    (N_("Participants"), "c", N_("add a cost line to the chosen participant")),
    (N_("Participants"), "delete", N_("remove the chosen participant")),
    (N_("Review"), "enter", N_("change the chosen answer")),
    (N_("Review"), "n", N_("advisor: a note on the chosen answer")),
    (N_("Review"), "F7", N_("the summary: verdict, failures, subsidy")),
    (N_("Summary"), "ctrl+e", N_("export the draft and the report")),
    (N_("Summary"), "b", N_("show or hide what each finding rests on: the answers and "
                            "parameter values it used")),
]


class PrecheckListScreen(LocalizedBindings, ModalScreen[None]):
    """The full live pre-check: every criterion with its status and reasons."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+l,q", "close", N_("Close"))]

    def __init__(self, text: Text) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="precheck-dialog"):
            yield Label(_("Every criterion of the pre-check"), classes="dialog-title")
            with VerticalScroll(id="precheck-list"):
                yield Static(self.text, id="precheck-list-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Close"), id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#precheck-list", VerticalScroll).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)


class LocalizedPalette(LocalizedBindings, CommandPalette):
    """Textual's command palette with its placeholder and keys in the UI's language."""

    def __init__(self) -> None:
        super().__init__(placeholder=_("Search for commands…"), id="--command-palette")

    def on_mount(self) -> None:
        # Textual adds its "No matches found" line (an option with a known id) in English,
        # from inside a timer: the line is swapped for ours as it is added
        from rich.align import Align
        from textual.command import CommandList
        from textual.widgets.option_list import Option

        command_list = self.query_one(CommandList)
        add_option = command_list.add_option
        no_matches = self._NO_MATCHES

        def add_localized(item, *args, **kwargs):  # type: ignore[no-untyped-def]
            if isinstance(item, Option) and item.id == no_matches:
                item = Option(Align.center(Text(_("No matches found"), style="not bold")),
                              disabled=True, id=no_matches)
            return add_option(item, *args, **kwargs)

        command_list.add_option = add_localized  # type: ignore[method-assign]


class HelpScreen(LocalizedBindings, ModalScreen[None]):
    """The keys, where they work and what they do; the descriptions wrap to the width there
    is (a table of fixed cells cut them at 80 columns)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "close", N_("Close"))]

    def __init__(self, keys: list[tuple[str, str, str]] | None = None) -> None:
        super().__init__()
        self.keys = HELP_KEYS if keys is None else keys  # the served intake gives its own
        self._filled_for = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help-dialog"):
            yield Label(_("Keys"), classes="dialog-title")
            yield Static(
                _("Everything works from the keyboard. This is a pre-check, not a "
                  "decision: RVO decides. Every accepted answer is saved at once."),
                classes="dialog-body", id="help-intro",
            )
            table: DataTable[Text] = DataTable(id="help-keys", cursor_type="row")
            self._fill(table, _help_width(self.app.size.width))
            yield table
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Close"), id="close", variant="primary")

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def on_mount(self) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        table = self.query_one("#help-keys", DataTable)
        width = table.scrollable_content_region.width
        if width > 0 and width != self._filled_for:
            self._fill(table, width)

    def _fill(self, table: DataTable[Text], width: int) -> None:
        """The rows, the description's column as wide as ``width`` leaves it (each row as
        high as its wrapped description); "where" named once per group."""
        self._filled_for = width
        rows: list[tuple[str, str, str]] = []
        last = None
        for where, key, what in self.keys:
            rows.append((_(where) if where != last else "", _(key), _(what)))
            last = where
        where_width = max(len(_("Where")), *(len(r[0]) for r in rows))
        key_width = max(len(_("Key")), *(len(r[1]) for r in rows))
        # each column has a cell of padding on both sides; a scroll bar may take two more
        what_width = max(12, width - where_width - key_width - 6 - 2)
        cursor = table.cursor_row
        table.clear(columns=True)
        table.add_column(_("Where"), width=where_width)
        table.add_column(_("Key"), width=key_width)
        table.add_column(_("What it does"), width=what_width)
        for where, key, what in rows:
            table.add_row(Text(where, style="bold"), Text(key), Text(what), height=None)
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)


def _help_width(screen_width: int) -> int:
    """The help table's width at first, before it is laid out (as app.tcss sizes the
    dialog: the whole width below 110 columns, else 80% up to 100; its border and padding)."""
    dialog = screen_width if screen_width < 110 else min(100, screen_width * 4 // 5)
    return max(20, dialog - 2 - (2 if screen_width < 110 else 4))

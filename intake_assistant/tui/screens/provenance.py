"""The advisor's note on an answer, and the comparison of a saved intake with an earlier draft.

``NoteScreen`` asks for the note (bounded as the session bounds it) and dismisses with the
text; the App stores it through its one change path. ``CompareSourceScreen`` lets the user
choose what to compare with (an earlier saved state, or an exported draft by path);
``CompareScreen`` shows ``compare``'s result in the UI's language, as text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from intake_assistant.flow.answer_provenance import MAX_NOTE_CHARS
from intake_assistant.i18n import N_, _, get_language
from intake_assistant.tui.screens.base import LocalizedBindings, LocalizedScreen
from intake_assistant.tui.widgets.button import Button
from intake_assistant.tui.widgets.footer import Footer
from intake_assistant.tui.widgets.safe import shown

if TYPE_CHECKING:
    from intake_assistant.models import DraftApplication

#: The choice of CompareSourceScreen that asks for an exported draft's path.
EXPORTED_FILE = "exported-file"


class NoteScreen(LocalizedBindings, ModalScreen[str | None]):
    """The advisor's note on one answer: one line, at most ``MAX_NOTE_CHARS`` characters.
    Dismisses with the text (empty: remove the note) or None (cancelled)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, question: str, note: str | None) -> None:
        super().__init__()
        self.question, self.note = question, note or ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="note-dialog"):
            yield Label(_("Advisor's note"), classes="dialog-title")
            yield Static(shown(self.question), classes="dialog-body")
            yield Label(_("Note (at most {limit} characters; empty removes it):",
                          limit=str(MAX_NOTE_CHARS)))
            yield Input(self.note, id="note", max_length=MAX_NOTE_CHARS)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save the note"), id="save", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()

    @on(Input.Submitted, "#note")
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss(self.query_one("#note", Input).value)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class CompareSourceScreen(LocalizedBindings, ModalScreen[str | None]):
    """What to compare the intake with: one of its earlier states (``choices``: id, label)
    or an exported draft (``EXPORTED_FILE``). Dismisses with the choice, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, choices: list[tuple[str, str]], *, files: bool = True) -> None:
        super().__init__()
        self.title_text, self.choices = title, choices
        #: Whether an exported file may be chosen (a path on this machine; never when served).
        self.files = files

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="compare-source-dialog"):
            yield Label(shown(_("Compare {title} with…", title=self.title_text)),
                        classes="dialog-title")
            options = [Option(_("An exported draft (JSON file)…"), id=EXPORTED_FILE)
                       ] if self.files else []
            if self.choices:
                options.append(Option(_("Its state at an earlier save:"), disabled=True))
                options += [Option(shown("  " + label), id=choice)
                            for choice, label in self.choices]
            else:
                options.append(Option(_("(no earlier state kept yet: one is kept each time "
                                        "the intake is opened again)"), disabled=True))
            yield OptionList(*options, id="compare-sources")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#compare-sources", OptionList).focus()

    @on(OptionList.OptionSelected, "#compare-sources")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(event.option.id)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class CompareScreen(LocalizedScreen):
    """What changed from ``old`` to ``new``: answers by question, criteria, subsidy."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", N_("Close"))]

    def __init__(self, old: DraftApplication, new: DraftApplication, old_name: str,
                 new_name: str) -> None:
        super().__init__()
        self.old, self.new, self.old_name, self.new_name = old, new, old_name, new_name

    def compose(self) -> ComposeResult:
        from intake_assistant.compare import compare, to_text

        language = get_language()
        text = to_text(compare(self.old, self.new, language), language, self.old_name,
                       self.new_name)
        yield Header()
        with VerticalScroll(id="compare-scroll"):
            yield Static(shown(text, keep_newlines=True), id="comparison")
        with Horizontal(id="question-buttons"):
            yield Button(_("Close"), id="close", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#compare-scroll", VerticalScroll).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)

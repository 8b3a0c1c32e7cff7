"""The review: every answer grouped by section, each with a change action."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from intake_assistant.i18n import N_, _
from intake_assistant.tui.screens.base import IntakeScreen
from intake_assistant.tui.widgets.button import Button
from intake_assistant.tui.widgets.footer import Footer
from intake_assistant.tui.widgets.safe import shown

if TYPE_CHECKING:
    from intake_assistant.flow.session import IntakeSession


class ReviewScreen(IntakeScreen):
    """Enter on an answer changes it; the session brings the user back here afterwards."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.back", N_("Back")),
        Binding("f5", "app.participants", N_("Participants")),
        Binding("f7", "app.summary", N_("Summary")),
        Binding("n", "note", N_("Note")),
    ]

    @dataclass
    class NoteRequested(Message):
        """The advisor wants to add or change the note on the answer of ``key``."""

        screen: ReviewScreen
        key: str

        @property
        def control(self) -> ReviewScreen:
            return self.screen

    def compose(self) -> ComposeResult:
        session = self.session
        items = session.review_items()
        missing = set(session.missing_required())
        yield Header()
        yield Static(_("Your answers. Choose one and press Enter to change it; you come "
                       "back here afterwards."), id="review-intro")
        options: list[Option] = []
        section = None
        aside_started = False
        for item in items:
            if item.set_aside and not aside_started:
                aside_started = True
                options.append(Option(
                    Text(_("Set aside: these answers no longer apply after a changed "
                           "answer; they are kept and not in the draft"),
                         style="bold yellow"), disabled=True))
                section = None
            if item.section_label != section and not item.set_aside:
                section = item.section_label
                options.append(Option(shown(section, style="bold underline"), disabled=True))
            text = Text()
            text.append_text(shown(item.label))
            text.append("\n    ")
            if item.answer:
                text.append_text(shown(item.answer, keep_newlines=True,
                                       style="yellow" if item.set_aside else "green"))
            elif item.key in missing:
                text.append(_("(not answered yet, needed)"), style="red")
            else:
                text.append(_("(not answered)"), style="dim")
            if item.set_aside:
                text.append("  " + _("(set aside)"), style="italic yellow")
            given = session.provenance_text(item.key)
            if given:  # who gave it and when; the advisor's note as text
                text.append("\n    ")
                text.append(_("source: {who}", who=given), style="dim")
                entry = session.provenance(item.key)
                if entry is not None and entry.note:
                    text.append("\n    " + _("Note:") + " ", style="italic")
                    text.append_text(shown(entry.note, style="italic"))
            options.append(Option(text, id=None if item.set_aside else item.key))
        yield OptionList(*options, id="review-list")
        with Horizontal(id="question-buttons"):
            yield Button(_("To the summary"), id="summary", variant="primary",
                         action="app.summary")
            yield Button(_("Participants table"), id="participants", action="app.participants")
            yield Button(_("Back"), id="back", action="app.back")
        yield Footer()

    def __init__(self, session: IntakeSession, *, focus_key: str | None = None) -> None:
        super().__init__(session)
        #: The answer the user changed last: the review opens on it, not at the top.
        self.focus_key = focus_key

    def on_mount(self) -> None:
        answers = self.query_one("#review-list", OptionList)
        answers.focus()
        if self.focus_key is not None:
            try:
                index = answers.get_option_index(self.focus_key)
            except OptionDoesNotExist:  # the answer no longer applies
                return
            answers.highlighted = index
            answers.scroll_to_highlight(top=False)

    async def session_changed(self, session: IntakeSession) -> None:
        """Shown again as it is now, on the answer that was chosen (a note was added)."""
        highlighted = self.query_one("#review-list", OptionList).highlighted
        await super().session_changed(session)
        if highlighted is not None:
            self.query_one("#review-list", OptionList).highlighted = highlighted

    def action_note(self) -> None:
        options = self.query_one("#review-list", OptionList)
        if options.highlighted is None:
            return
        key = options.get_option_at_index(options.highlighted).id
        if key:
            self.post_message(self.NoteRequested(self, key))

    @on(OptionList.OptionSelected, "#review-list")
    def _change(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.post_message(self.QuestionChosen(self, event.option.id))

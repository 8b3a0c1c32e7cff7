"""The question screen: one question at a time, with its help and the live pre-check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Header, OptionList, Static
from textual.widgets.option_list import Option

from intake_assistant.i18n import N_, _
from intake_assistant.tui.screens.base import IntakeScreen
from intake_assistant.tui.widgets.footer import Footer
from intake_assistant.tui.widgets.precheck import PrecheckPanel
from intake_assistant.tui.widgets.question_field import QuestionField
from intake_assistant.tui.widgets.safe import shown

if TYPE_CHECKING:
    from intake_assistant.flow.session import IntakeSession, QuestionView


def example_for(kind: str, language: str) -> str:
    from intake_assistant.flow import values

    return values.example(kind, language)


def progress_text(session: IntakeSession, current_section: str | None) -> Text:
    """One line per intake: every section with its answered count, the current one bold."""
    text = Text()
    for i, p in enumerate(session.progress()):
        if i:
            text.append("  ")
        done = p.total > 0 and p.answered == p.total
        style = "bold reverse" if p.section == current_section else (
            "green" if done else "")
        mark = "✔ " if done else ""
        text.append_text(shown(f"{mark}{p.label} {p.answered}/{p.total}", style=style))
    return text


#: The texts of the question area above and below the answer field, by id.
_TEXTS_ABOVE = ("progress", "section-title", "instance-label", "question-label")
_TEXTS_BELOW = ("question-help", "question-why", "question-article")


class QuestionScreen(IntakeScreen):
    """One question at a time, with its help, why we ask, article, and the live pre-check."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.back", N_("Back")),
        Binding("f3", "toggle_precheck", N_("Pre-check")),
        Binding("f4", "sections", N_("Sections")),
        Binding("f5", "app.participants", N_("Participants")),
        Binding("f6", "app.review", N_("Review")),
    ]

    @dataclass
    class AnswerSubmitted(Message):
        """The user gave an answer (the raw value, for the session to parse and judge).

        The App answers with ``refuse`` when the session does not accept it."""

        screen: QuestionScreen
        value: Any

        @property
        def control(self) -> QuestionScreen:
            return self.screen

    @dataclass
    class PrecheckToggled(Message):
        """The pre-check panel was shown or hidden (a setting the App remembers)."""

        screen: QuestionScreen
        shown: bool

        @property
        def control(self) -> QuestionScreen:
            return self.screen

    def __init__(self, session: IntakeSession, *, show_precheck: bool = True) -> None:
        super().__init__(session)
        self.show_precheck = show_precheck
        self.view: QuestionView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="intake-body"):
            yield OptionList(id="sections")
            with VerticalScroll(id="question-area"):
                yield from self._question_widgets()
            panel = PrecheckPanel(id="precheck")
            if not self.show_precheck:
                panel.add_class("hidden")
            yield panel
        yield Footer()

    def _question_widgets(self) -> list[Widget]:
        """The question area's widgets, filled for the current question by ``_show_question``.

        They stay from one question to the next (see ``session_changed``): only the answer
        field is new for each question; a text that is the same is not laid out again."""
        self._texts = {name: Static("", id=name) for name in (*_TEXTS_ABOVE, *_TEXTS_BELOW)}
        self._shown_texts: dict[str, Text | None] = {}
        self._back = Button(_("Back"), id="back", action="app.back")
        self._participants = Button(_("Participants table"), id="participants",
                                    action="app.participants")
        self._field = self._show_question()
        return [
            *(self._texts[name] for name in _TEXTS_ABOVE),
            self._field,
            *(self._texts[name] for name in _TEXTS_BELOW),
            Horizontal(Button(_("Next"), id="next", variant="primary"), self._back,
                       self._participants, Button(_("Review"), id="review",
                                                  action="app.review"),
                       id="question-buttons"),
        ]

    def _show_question(self) -> QuestionField:
        """Show the current question in the question area; its new answer field (not mounted)."""
        session = self.session
        view = self.view = session.current
        assert view is not None
        sections = [p.section for p in session.progress()]
        number = sections.index(view.section) + 1 if view.section in sections else 0
        label = view.label if view.required else _("{question} (optional)",
                                                    question=view.label)
        self._show_text("progress", progress_text(session, view.section))
        self._show_text("section-title", shown(_(
            "Section {number} of {total}: {section}", number=str(number),
            total=str(len(sections)), section=view.section_label)))
        self._show_text("instance-label", shown(view.instance_label) if view.instance_label
                        else None)
        self._show_text("question-label", shown(label))
        self._show_text("question-help", shown(view.help, keep_newlines=True) if view.help
                        else None)
        self._show_text("question-why", shown(_("Why we ask: {why}", why=view.why),
                                              keep_newlines=True) if view.why else None)
        self._show_text("question-article", shown(_("Article {article}",
                                                    article=view.article)))
        self._back.disabled = not session.can_go_back
        self._participants.display = (view.participant_index is not None
                                      or view.section == "participants")
        return QuestionField(
            view.kind,
            current_text=view.current_text,
            current_value=view.current_value,
            choices=view.choices,
            placeholder=self._placeholder(view),
            check=session.validate,
            id="question-field",
        )

    def _show_text(self, name: str, text: Text | None) -> None:
        """One text of the question area; None hides it. The same text is left alone."""
        static = self._texts[name]
        static.display = text is not None
        if text is not None and text != self._shown_texts.get(name):
            static.update(text)
        self._shown_texts[name] = text

    async def session_changed(self, session: IntakeSession) -> None:
        """The next question, in place: the screen, its texts, buttons and panels stay.

        (A new screen per answer would leave the old ones alive, held by app-level
        watchers; remounting every widget of the area cost most of an answer's time.)
        Widgets are held, not queried: a screen's query cache would keep removed ones."""
        self.session = session
        area = self.query_one("#question-area", VerticalScroll)
        nav = self.query_one("#sections", OptionList)
        nav.remove_class("shown")
        with self.app.batch_update():
            old = self._field
            self._field = self._show_question()
            await old.remove()
            await area.mount(self._field, after=self._texts[_TEXTS_ABOVE[-1]])
            area.scroll_home(animate=False)
            self._after_compose()

    def _placeholder(self, view: QuestionView) -> str:
        example = example_for(view.kind, self.session.language)
        if view.kind == "kvk":
            return "12345678"
        if view.kind == "money":
            return _("amount in euros, e.g. {example}", example=example)
        if view.kind == "date":
            return _("date, e.g. {example}", example=example)
        if example:
            return _("e.g. {example}", example=example)
        return ""

    def on_mount(self) -> None:
        self._after_compose()

    async def relocalize(self) -> None:
        typed = self._field.typed()  # a language switch keeps what is typed
        await super().relocalize()
        self._field.restore(typed)
        self._after_compose()

    def _after_compose(self) -> None:
        self.query_one(PrecheckPanel).show(self.session.report, self.session.draft)
        self._field.focus_field()

    # -- answering -------------------------------------------------------------------
    @on(QuestionField.Submitted)
    def _submitted(self, event: QuestionField.Submitted) -> None:
        self.submit(event.value)

    @on(Button.Pressed, "#next")
    def _next(self) -> None:
        self.submit(self._field.value())

    def submit(self, value: Any) -> None:
        self.post_message(self.AnswerSubmitted(self, value))

    def refuse(self, problem: str) -> None:
        """The session did not accept the answer: say why, keep what was typed."""
        self._field.show_problem(problem)
        self._field.focus_field()

    # -- panels ------------------------------------------------------------------------
    def action_toggle_precheck(self) -> None:
        panel = self.query_one(PrecheckPanel)
        panel.toggle_class("hidden")
        self.show_precheck = not panel.has_class("hidden")
        self.post_message(self.PrecheckToggled(self, self.show_precheck))

    def action_sections(self) -> None:
        nav = self.query_one("#sections", OptionList)
        if nav.has_class("shown"):
            nav.remove_class("shown")
            self._field.focus_field()
            return
        nav.clear_options()
        session = self.session
        answered = set(session.answered_keys)
        highlight = None
        for _sid, label, keys in session.sections():
            done = [k for k in keys if k in answered]
            nav.add_option(Option(shown(f"{label} ({len(done)}/{len(keys)})", style="bold"),
                                  disabled=True))
            for key in done:
                view = session.view(key)
                if view is None:
                    continue
                if key == session.state:
                    highlight = nav.option_count
                nav.add_option(Option(shown(f"  {view.label}"), id=key))
        nav.add_class("shown")
        nav.focus()
        if highlight is not None:
            nav.highlighted = highlight

    @on(OptionList.OptionSelected, "#sections")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.QuestionChosen(self, event.option.id))

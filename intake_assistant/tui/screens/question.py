"""The question screen: one question at a time, with its help and the live pre-check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeGuard

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from intake_assistant.i18n import N_, _
from intake_assistant.tui.screens.base import IntakeScreen
from intake_assistant.tui.widgets.button import Button
from intake_assistant.tui.widgets.footer import Footer
from intake_assistant.tui.widgets.laid_out import AreaText, QuestionArea
from intake_assistant.tui.widgets.precheck import PrecheckPanel
from intake_assistant.tui.widgets.question_field import QuestionField
from intake_assistant.tui.widgets.safe import shown
from intake_assistant.tui.widgets.typed_ahead import (
    HoldsTypedAhead,
    QuestionButton,
    forward_keys,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from intake_assistant.flow.session import IntakeSession, QuestionView, SectionStep

#: Below this width the progress list is left out (the section line says where one is);
#: with the pre-check shown it needs more, or the question and its buttons would not fit.
PROGRESS_LIST_MIN_WIDTH = 110
PROGRESS_LIST_WITH_PRECHECK_MIN_WIDTH = 140
#: Below this many rows a long list (the eleven chain roles) scrolls within itself, so that
#: the question above it stays in sight (at 60x20 the list filled the whole question area).
SHORT_LIST_BELOW_ROWS = 22
#: Hidden fields the question area keeps for later screens (a field per kind and choice
#: list, as many of one kind as a form has): enough for every screen of an intake to
#: reuse them, and a bound on what each restyle of the area walks.
HIDDEN_FIELDS_KEPT = 16
#: The question area's texts besides each field's: above the fields, then below them.
AREA_TEXTS = ("section-title", "instance-label", "question-why", "question-article")


def progress_text(session: IntakeSession, current_section: str | None = None) -> Text:
    """The progress list, one step a line: what is done of it, the current step marked.

    The sections asked participant by participant are one step counted in participants
    ("Participants 2 of 4"), so the list does not start again for every participant."""
    text = Text()
    for i, step in enumerate(session.section_steps()):
        if i:
            text.append("\n")
        current = step.current or (current_section is not None and step.section == current_section)
        finished = step.total > 0 and step.done == step.total
        mark = "▶ " if current else ("✔ " if finished else "  ")
        style = "bold reverse" if current else ("green" if finished else "")
        text.append_text(shown(mark + step_text(step, short=True), style=style))
        if current and step.current_part:
            text.append("\n")
            text.append_text(shown(f"    {step.current_part}", style="bold"))
    return text


def step_text(step: SectionStep, *, short: bool = False) -> str:
    """"Participants 2 of 4": a step with what is done of it (its name alone while
    nothing of it is known yet: no participants counted)."""
    label = step.short_label if short and step.short_label else step.label
    if not step.total:
        return label
    return _("{section} {done} of {total}", section=label, done=str(step.done),
             total=str(step.total))


class QuestionScreen(IntakeScreen):
    """One screen of the interview: a question, or a form of related questions (one field
    each, with its own validation message), with help, why we ask, article, the progress
    list and the live pre-check.

    In a form, Tab and shift+Tab go from field to field; Enter answers what was typed and
    goes to the next field; Enter on the last field (or Next) answers every field typed in
    and goes on. A refused field keeps what was typed and says why; the others are kept."""

    #: Textual repaints the whole screen on every change of focus (several per answer, a
    #: full render of every widget each time); the widgets that gain and lose the focus
    #: repaint themselves, and their styles follow the focus anyway.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back")),
        Binding("f3", "toggle_precheck", N_("Pre-check")),
        Binding("f4", "sections", N_("Sections")),
        Binding("f5", "app.participants", N_("Participants")),
        Binding("f6", "app.review", N_("Review")),
    ]

    @dataclass
    class AnswerSubmitted(Message):
        """The user gave answers (raw values, for the session to parse and judge).

        ``value``: the answer to the current question (a one-question screen). ``answers``:
        a form's fields by question key; with ``go_on`` the screen is left once all are
        accepted, otherwise ``then`` is the field to go to. ``key``: the question ``value``
        answers (keys typed ahead can arrive when the session has moved on: then it answers
        nothing). The App answers with ``refuse`` (or ``refuse_fields``) when the session
        does not accept them."""

        screen: QuestionScreen
        value: Any
        answers: dict[str, Any] | None = None
        go_on: bool = True
        then: str | None = None
        key: str | None = None
        #: The field or button that gave the answer (it holds the keys typed after it).
        holder: HoldsTypedAhead | None = None
        #: Answered as its field was left (Tab, a click): a refusal says why in that field
        #: and leaves the focus where the user went.
        left: bool = False

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
        #: The question keys of the screen shown, in order (one, or a form's).
        self.page: list[str] = []
        #: Fields for the next screen are being mounted (``_show_page``): what the fields
        #: send meanwhile answers nothing.
        self._replacing = False
        #: The fields shown, in order (one per question of ``page``).
        self._fields: list[QuestionField] = []
        #: Every field in the area, shown or hidden (the last used last).
        self._pool: list[QuestionField] = []
        #: Per field shown: its label, message line and help (more kept hidden).
        self._slots: list[tuple[Static, Static, Static]] = []
        #: The area's other texts, by id (``AREA_TEXTS``).
        self._texts: dict[str, Static] = {}
        self._buttons: list[QuestionButton] = []
        #: What was last sent as each field's answer (Enter, Tab away): a field left right
        #: after Enter does not answer the same again.
        self._sent: dict[str, Any] = {}
        #: The fields whose typed text a language switch keeps (``typed_kept``): typed,
        #: and not recorded; the others show the answers in the new language.
        self._typed_keys: set[str] = set()
        self._restore: set[str] | None = None

    def compose(self) -> ComposeResult:
        # before the first layout: the list must not squeeze the question to nothing
        self._set_narrow()
        yield Header()
        with Horizontal(id="intake-body"):
            yield OptionList(id="sections")
            yield Static(progress_text(self.session), id="progress")
            # not focusable: when the fields are replaced Textual gave the area the focus,
            # styled and painted it so, and painted the screen again when a field took it
            with QuestionArea(id="question-area", can_focus=False):
                yield from self._question_widgets()
            panel = PrecheckPanel(id="precheck")
            if not self.show_precheck:
                panel.add_class("hidden")
            yield panel
        yield Footer()

    def _section_line(self) -> Text:
        steps = self.session.section_steps()
        number = next((i + 1 for i, step in enumerate(steps) if step.current), 0)
        step = steps[number - 1] if number else None
        assert self.view is not None
        where = step_text(step) if step is not None else self.view.section_label
        if step is not None and step.current_part:
            where = f"{where} · {step.current_part}"
        return shown(_("Section {number} of {total}: {section}", number=str(number),
                       total=str(len(steps)), section=where))

    def _question_widgets(self) -> list[Widget]:
        """The question area made anew (compose, a language switch) for the screen shown:
        what changes from one screen to the next. ``_show_page`` shows the next one in it."""
        session = self.session
        view = session.current
        assert view is not None
        views = self._views()
        self._slots = [self._new_slot(i) for i in range(len(views))]
        self._pool = [self._field(v) for v in views]
        self._fields = list(self._pool)
        self._texts = {id: AreaText("", id=id) for id in AREA_TEXTS}
        widgets: list[Widget] = [self._texts["section-title"], self._texts["instance-label"]]
        for (label, error, help_line), field in zip(self._slots, self._fields, strict=True):
            widgets += [label, field, error, help_line]
        widgets += [self._texts["question-why"], self._texts["question-article"]]
        buttons = [
            QuestionButton(_("Next"), id="next", variant="primary"),
            QuestionButton(_("Back"), id="back", action="app.back"),
            QuestionButton(_("Participants table"), id="participants", action="app.participants"),
            QuestionButton(_("Review"), id="review", action="app.review"),
        ]
        widgets.append(Horizontal(*buttons, id="question-buttons"))
        self._buttons = buttons
        self._show_texts(views)
        return widgets

    def _views(self) -> list[QuestionView]:
        """The views of the screen to show (one, or a form's); sets ``view`` and ``page``."""
        session = self.session
        view = self.view = session.current
        assert view is not None
        keys = session.page_keys() or [view.key]
        views = [v for v in (session.view(key) for key in keys) if v is not None]
        self.page = [v.key for v in views]
        return views

    @staticmethod
    def _new_slot(i: int) -> tuple[Static, Static, Static]:
        """The texts around the ``i``-th field: its label, its message line, its help."""
        return (AreaText("", id=f"label-{i}", classes="form-label"),
                AreaText("", id=f"error-{i}", classes="form-error", markup=False),
                AreaText("", id=f"help-{i}", classes="form-help"))

    def _show_texts(self, views: list[QuestionView]) -> None:
        """The area's texts and buttons for ``views``: a text a screen does not have is
        hidden, not removed (the next screen may have it again)."""

        def text(static: Static | str, content: Text | str, show: bool = True) -> None:
            if isinstance(static, str):
                static = self._texts[static]
            _update(static, content if show else "")
            static.display = show

        session = self.session
        view = self.view
        assert view is not None
        single = len(views) == 1
        text("section-title", self._section_line())
        text("instance-label", shown(view.instance_label or ""), bool(view.instance_label))
        for i, (label, error, help_line) in enumerate(self._slots):
            if i >= len(views):
                for static in (label, error, help_line):
                    static.display = False
                continue
            v = views[i]
            label.set_class(single, "single")
            help_line.set_class(single, "single")
            text(label, self._numbered_label(i, v, single=single))
            text(error, "")
            text(help_line, shown(v.help or "", keep_newlines=True), bool(v.help))
        whys = " ".join(dict.fromkeys(v.why for v in views if v.why))
        text("question-why", shown(_("Why we ask: {why}", why=whys), keep_newlines=True)
             if whys else "", bool(whys))
        articles = ", ".join(dict.fromkeys(v.article for v in views))
        text("question-article", shown(_("Article {article}", article=articles)))
        back, participants = self._buttons[1], self._buttons[2]
        back.disabled = not session.can_go_back_screen
        participants.display = view.participant_index is not None or view.section == "participants"

    @property
    def focus_chain(self) -> list[Widget]:
        """Tab order: every field of the question area, then its buttons. (The buttons stay
        in sight at the area's bottom; Textual orders focus by place on screen, which would
        put them between a form's fields in sight and those below.)"""
        chain = super().focus_chain
        buttons = [w for w in chain if w.parent is not None and w.parent.id == "question-buttons"]
        if not buttons:
            return chain
        rest = [w for w in chain if w not in buttons]
        area = self.query("#question-area").first()
        last = max((i for i, w in enumerate(rest) if area in w.ancestors), default=len(rest) - 1)
        return [*rest[: last + 1], *buttons, *rest[last + 1:]]

    def _check(self, key: str) -> Callable[[str], str | None]:
        """The live check of question ``key``'s field: the session's."""
        session = self.session
        return lambda value: session.validate(value, key)

    def _field(self, view: QuestionView) -> QuestionField:
        key = view.key
        return QuestionField(
            view.kind,
            current_text=view.current_text,
            current_value=view.current_value,
            choices=view.choices,
            placeholder=self._placeholder(view),
            check=self._check(key),
            advised_length=view.advised_length,
            max_length=view.max_length,
            name=key,
        )

    @staticmethod
    def _label(view: QuestionView) -> str:
        return view.label if view.required else _("{question} (optional)", question=view.label)

    def _numbered_label(self, i: int, view: QuestionView, *, single: bool) -> Text:
        """The label of the ``i``-th field: numbered in a form, alone on its own."""
        label = self._label(view)
        return shown(label if single else f"{i + 1}. {label}")

    # -- the fields ------------------------------------------------------------------
    def fields(self) -> list[QuestionField]:
        """The fields of the screen, in order (one per question)."""
        return list(self._fields)

    def field_for(self, key: str) -> QuestionField:
        """The field of question ``key`` on this screen."""
        return next(f for f in self.fields() if f.name == key)

    def error_for(self, key: str) -> Static:
        """The message line of question ``key``'s field."""
        return self._slots[self.page.index(key)][1]

    async def session_changed(self, session: IntakeSession) -> None:
        """The next screen, in place: the screen, its header, footer and panels stay.

        (A new screen per answer would leave the old ones alive, held by app-level
        watchers, and rebuild what does not change.) On the same form the fields stay as
        they are (what is typed in the others is kept); only the texts around them follow."""
        self.session = session
        if session.current is None or not self.is_current:
            return  # left for the review, the summary or a table: that screen shows it
        self.refresh_bindings()  # Esc shows where there is something to go back to
        self.query_one("#sections", OptionList).remove_class("shown")
        same_page = session.page_keys() == self.page
        if len(self.page) > 1 and same_page:
            self._update_form()
            return
        # the same question shown again (the mode switched, an answer kept as it was
        # left): what is typed in it and not answered yet stays
        typed = [(f.name, f.typed()) for f in self.fields()] if same_page else []
        await self._show_page()
        for name, kept in typed:
            if name in self.page:
                self.field_for(name).restore(kept)

    async def _show_page(self) -> None:
        """Show the session's screen in the question area, reusing its widgets.

        A field that can show a question of the next screen (the same kind, the same
        choices) shows it, as a new field would (its stored answer, placeholder and
        validation); the others are hidden and kept for a later screen, and only a field
        of a kind not kept is mounted. (Mounting and removing fields cost a style pass and
        two layouts of the area per answer: twice a key-to-paint.) At most
        ``HIDDEN_FIELDS_KEPT`` hidden fields are kept."""
        area = self.query_one("#question-area", VerticalScroll)
        why = self._texts["question-why"]
        self._sent.clear()
        before = self._fields
        holders = self._holders()
        views = self._views()
        free = list(self._pool)
        fields: list[QuestionField] = []
        made: list[Widget] = []
        for i, v in enumerate(views):
            here = [before[i]] if i < len(before) else []
            field = next((f for f in [*here, *free] if f in free and f.can_refill(
                v.kind, v.choices, v.advised_length, v.max_length)), None)
            if field is None:
                field = self._field(v)
                made.append(field)
            else:
                free.remove(field)
            fields.append(field)
        for i in range(len(self._slots), len(views)):
            self._slots.append(self._new_slot(i))
            made += self._slots[-1]
        with self.app.batch_update():
            if made:
                self._replacing = True  # messages of fields mounting answer nothing yet
                try:
                    await area.mount_all(made, before=why)
                finally:
                    self._replacing = False
            # what the fields and buttons hold (keys typed after the answer, also while new
            # fields mounted) is for the fields shown now, some of which they may be
            held = [key for holder in holders for key in holder.take_typed_ahead()]
            self._pool = [*(f for f in self._pool if f not in fields), *fields]
            self._fields = fields
            order = [widget for (label, error, help_line), field
                     in zip(self._slots, fields, strict=False)
                     for widget in (label, field, error, help_line)]
            children = list(area.children)
            start = children.index(order[0])
            if children[start:start + len(order) + 1] != [*order, why]:
                for widget in order:  # (each move lays the area out again)
                    area.move_child(widget, before=why)
            for field in fields:
                field.display = True  # (Textual lays out again only when it changes)
            for field, v in zip(fields, views, strict=True):
                if field not in made:
                    field.refill(name=v.key, current_text=v.current_text,
                                 current_value=v.current_value, placeholder=self._placeholder(v),
                                 check=self._check(v.key))
            self._show_texts(views)
            area.scroll_home(animate=False)
            self._after_compose()
            for field in free:  # after the focus moved: a hidden field gives it to no other
                field.display = False
            # Each widget asks for the layout its change needs when it is next idle: many
            # only after the screen's next frame (the App is busy with the answer until
            # then), and the screen was laid out and painted a second time. Asked now, the
            # first frame has them all.
            for widget in area.walk_children(with_self=True):
                widget._check_refresh()
        self._hand_on_typed_ahead(held)
        if len(free) > HIDDEN_FIELDS_KEPT:
            unused = free[: len(free) - HIDDEN_FIELDS_KEPT]  # the longest unused first
            self._pool = [f for f in self._pool if f not in unused]
            # the screen's query cache (Textual's, up to 1024 results) would keep them alive
            self._query_one_cache.clear()
            self.call_after_refresh(area.remove_children, unused)

    def _update_form(self) -> None:
        """The form stays; its texts (a name just given) and the panels follow the session."""
        session = self.session
        self.view = session.current
        assert self.view is not None
        _update(self._texts["section-title"], self._section_line())
        if self.view.instance_label:
            _update(self._texts["instance-label"], shown(self.view.instance_label))
        for i, key in enumerate(self.page):
            view = session.view(key)
            if view is not None:
                _update(self._slots[i][0], self._numbered_label(i, view, single=False))
        self._buttons[1].disabled = not session.can_go_back_screen
        # an answer of this form, taken while one types on in the next field, or one after
        # it, or on Next (the keys are ahead of the session): the focus stays where one is
        self._after_compose(focus=not self._typing_in_the_form())

    def _typing_in_the_form(self) -> bool:
        """The focus is in the form (or its section list): an answer taken leaves it there."""
        focused = self.focused
        return focused is not None and (self.query_one("#question-area") in focused.ancestors
                                        or focused.id == "sections")

    def _placeholder(self, view: QuestionView) -> str:
        example = view.example  # within the question's bounds: a count is no amount
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
        self._set_narrow()
        self._after_compose()

    def on_resize(self) -> None:
        self._set_narrow()

    def _set_narrow(self) -> None:
        width = self.app.size.width
        self.set_class(self.app.size.height < SHORT_LIST_BELOW_ROWS, "tiny")
        self.set_class(width < PROGRESS_LIST_MIN_WIDTH or (
            self.show_precheck and width < PROGRESS_LIST_WITH_PRECHECK_MIN_WIDTH), "narrow")
        for progress in self.query("#progress"):  # also where the App's stylesheet is not
            shown_before = progress.display
            progress.display = not self.has_class("narrow")
            if progress.display and not shown_before and self.view is not None:
                self._show_progress()

    def _show_progress(self) -> None:
        """The progress list, where it shows (hidden, it is filled once it shows)."""
        progress = self.query_one("#progress", Static)
        if progress.display:
            _update(progress, progress_text(self.session))

    async def relocalize(self) -> None:
        # a language switch keeps what is typed and not recorded, in every field
        restore, self._restore = self._restore, None
        typed = {field.name: field.typed() for field in self.fields()
                 if restore is None or field.name in restore}
        await super().relocalize()
        for field in self.fields():
            if field.name in typed:
                field.restore(typed[field.name])
        self._after_compose()

    def _after_compose(self, *, focus: bool = True) -> None:
        session = self.session
        view = self.view
        self._show_progress()
        self.query_one(PrecheckPanel).show(
            session.report, session.draft, view.section_label if view else "",
            session.section_paths(view.section) if view else ())
        if focus:
            self._focus_current()
        self._hand_on_typed_ahead()

    def _hand_on_typed_ahead(self, held: list[events.Key | events.Paste] | None = None, *,
                             every_field: bool = False) -> None:
        """Give the keys typed after an answer to the field that has the focus now, in the
        order typed. A field that still has the focus keeps holding them (its answer is on
        its way), unless ``every_field`` (the answer was refused: they go on in it)."""
        keys = list(held or ())
        focused = self.focused
        for holder in self._holders():
            if every_field or focused is None or holder not in focused.ancestors_with_self:
                keys += holder.take_typed_ahead()
        forward_keys(focused, keys)

    def _holders(self) -> list[HoldsTypedAhead]:
        """The fields and buttons of the question area (what holds keys typed ahead)."""
        return [*self._fields, *self._buttons]

    def on_screen_suspend(self) -> None:
        # left for the review or the summary: keys typed ahead were for a question, not for it
        for holder in self._holders():
            holder.take_typed_ahead()

    def _focus_current(self, *, go_on_typing: bool = False) -> None:
        """The field of the current question (in a form: where one goes on or came back to)."""
        key = self.session.state
        fields = self.fields()
        field = next((f for f in fields if f.name == key), fields[0] if fields else None)
        if field is not None:
            field.focus_field(go_on_typing=go_on_typing)

    # -- answering -------------------------------------------------------------------
    @on(QuestionField.Problem)
    def _problem(self, event: QuestionField.Problem) -> None:
        field = event.control
        if self._on_this_page(field):
            # no problem: "" as the line starts and is cleared (an empty Text differs from
            # it, and would lay the screen out again in a frame of its own)
            _update(self.error_for(field.name), shown(event.text) if event.text else "")

    def _on_this_page(self, field: object) -> TypeGuard[QuestionField]:
        """``field`` is one of the fields shown now. A message from a field of the screen
        before (keys typed ahead while it was being replaced) is one no field here answers."""
        return (not self._replacing and isinstance(field, QuestionField)
                and field.name in self.page and field.is_attached and field.parent is not None
                and any(f is field for f in self.fields()))

    @on(QuestionField.Submitted)
    def _submitted(self, event: QuestionField.Submitted) -> None:
        field = event.control
        if not self._on_this_page(field):
            return  # the answer of a field no longer shown must not answer this one
        if len(self.page) == 1:
            self.submit(event.value, holder=field)
            return
        key = field.name
        assert key is not None
        index = self.page.index(key)
        if index == len(self.page) - 1:
            self._submit_form(go_on=True, entered=(key, event.value), holder=field)
            return
        problem = field.problem(event.value)
        if problem:  # refused as typed: it says why and keeps the focus, and what was typed on
            _update(self.error_for(key), shown(problem))
            self._hand_on_typed_ahead(every_field=True)
            self.ask_reading(key, go_on=False, then=self.page[index + 1])
            return
        self._submit_form(go_on=False, entered=(key, event.value), then=self.page[index + 1])
        # at once, so that keys typed next land there (a refusal brings the focus back)
        self.field_for(self.page[index + 1]).focus_field()
        self._hand_on_typed_ahead()

    @on(Button.Pressed, "#next")
    def _next(self) -> None:
        if len(self.page) == 1:
            self.submit(self.fields()[0].value(), holder=self._buttons[0])
        else:
            self._submit_form(go_on=True, holder=self._buttons[0])

    def submit(self, value: Any, *, holder: HoldsTypedAhead | None = None) -> None:
        self.post_message(self.AnswerSubmitted(self, value, key=self.page[0], holder=holder))

    def answer_taken(self, holder: HoldsTypedAhead | None) -> None:
        """The App is done with the answer ``holder`` gave (after the screen it leads to):
        keys it still holds (the answer changed nothing, or was one no longer asked) go on
        where the focus is, rather than being held for good."""
        if holder is not None and holder.holds_typed_ahead and self.is_current:
            forward_keys(self.focused, holder.take_typed_ahead())

    def _submit_form(self, *, go_on: bool, entered: tuple[str, Any] | None = None,
                     then: str | None = None, holder: HoldsTypedAhead | None = None) -> None:
        """Answer what was typed in the form's fields: only fields changed from the stored
        answer, and (to go on) an empty required one, for the session to say it is needed."""
        answers: dict[str, Any] = {}
        # Enter in a field answers that field; the others are taken when one goes on (keys
        # typed ahead may be half-way into the next field already)
        fields = self.fields() if go_on or entered is None else [self.field_for(entered[0])]
        for field in fields:
            key = field.name
            assert key is not None
            value = entered[1] if entered is not None and entered[0] == key else field.value()
            view = self.session.view(key)
            if view is None or _unchanged(view, value):
                continue
            is_entered = entered is not None and entered[0] == key
            if _empty(value) and view.current_value is None and not (
                    view.required and (go_on or is_entered)):
                continue  # nothing typed and nothing to clear (Enter on it: it is needed)
            answers[key] = value
            _update(self.error_for(key), "")
        self._sent.update(answers)
        self.post_message(self.AnswerSubmitted(self, None, answers, go_on, then,
                                               holder=holder if go_on else None))

    def refuse(self, problem: str) -> None:
        """The session did not accept the answer: say why, keep what was typed."""
        key = self.session.state if self.session.state in self.page else self.page[0]
        self.error_for(key).update(shown(problem))
        self._focus_current(go_on_typing=True)
        self._hand_on_typed_ahead(every_field=True)
        self.ask_reading(key, go_on=True)

    def refuse_fields(self, problems: dict[str, str], *, move_focus: bool = True,
                      go_on: bool = False, then: str | None = None) -> None:
        """Fields of the form the session did not accept: each says why, and keeps what was
        typed; the focus stays on a refused field that has it, else goes to the first
        (unless not ``move_focus``: a field answered as it was left). A figure that reads
        two ways is asked about (``ask_reading``; ``go_on`` and ``then`` as submitted)."""
        for key, problem in problems.items():
            if key in self.page:
                self.error_for(key).update(shown(problem))
        if not move_focus:
            return
        focused = self.app.focused
        here = next((f.name for f in self.fields() if focused is not None and
                     f in focused.ancestors_with_self), None)
        if here not in problems:  # else the field one pressed Enter on says why, and keeps it
            first = next((k for k in self.page if k in problems), None)
            if first is not None:
                self.field_for(first).focus_field(go_on_typing=True)
        self._hand_on_typed_ahead(every_field=True)
        for key in self.page:
            if key in problems and self.ask_reading(key, go_on=go_on, then=then):
                break

    def ask_reading(self, key: str, *, go_on: bool, then: str | None = None) -> bool:
        """When what question ``key``'s field holds is a figure that reads two ways (Dutch
        ``4,000``), ask which reading is meant; the one chosen is answered as if typed so
        (through the App and the service, as any answer), else the typed text stays, to be
        corrected. ``go_on``: the answer was to go on (Enter on the last field, Next);
        else to go to the field ``then``. False when there is nothing to ask."""
        from intake_assistant.tui.screens.modals import ReadingScreen

        if key not in self.page or not self.is_current:
            return False
        field = self.field_for(key)
        typed = field.value()
        readings = self.session.readings(typed, key)
        if not readings:
            return False
        view = self.session.view(key)

        def chosen(reading: str | None) -> None:
            if not self._on_this_page(field) or field.name != key:
                return  # the screen moved on meanwhile: the typed text answers nothing here
            taken = {key: field.value()}
            if reading is None or not self.session.take_reading(taken, key, reading):
                # to correct it (or not a reading of what the field holds now): the text
                # stays, with the reason under it
                field.focus_field(go_on_typing=True)
                return
            field.restore({"text": reading})
            if len(self.page) == 1:
                self.submit(reading)
            elif go_on:
                self._submit_form(go_on=True)
            else:
                self._submit_form(go_on=False, entered=(key, reading), then=then)
                if then is not None:  # (once the dialog has given the focus back)
                    self.call_later(self.field_for(then).focus_field)

        self.app.push_screen(ReadingScreen(view.label if view is not None else key,
                                           str(typed), readings), chosen)
        return True

    # -- what is typed and not answered yet ------------------------------------------------
    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """A field of a form left (Tab, shift+Tab, a click): what it holds is answered when
        the session would accept it; otherwise its text stays, with the reason under it."""
        if len(self.page) < 2 or not self.is_current:
            return
        field = next((w for w in event.widget.ancestors_with_self
                      if isinstance(w, QuestionField)), None)
        if field is None or not self._on_this_page(field) or field.has_focus_within:
            return
        key = field.name
        assert key is not None
        value = field.value()
        if key in self._sent and self._sent[key] == value:
            return  # answered with Enter just before the focus moved on
        typed = self._typed_answer(field, value)
        if typed is None:
            return
        problem = field.problem(value)
        if problem:
            _update(self.error_for(key), shown(problem))
            return
        self._sent[key] = value
        _update(self.error_for(key), "")
        self.post_message(self.AnswerSubmitted(self, None, {key: value}, go_on=False,
                                               left=True))

    def _typed_answer(self, field: QuestionField, value: Any) -> Any:
        """``value`` when it is typed or chosen in ``field`` and is not its stored answer;
        else None. (On a screen of one question, a list's highlight is only looked at:
        Enter chooses it.)"""
        key = field.name
        view = self.session.view(key) if key is not None else None
        if view is None or _unchanged(view, value):
            return None
        if _empty(value) and view.current_value is None:
            return None  # nothing typed and nothing to clear
        if len(self.page) == 1 and view.kind in ("yes_no", "choice"):
            return None
        return value

    def typed_answers(self) -> tuple[dict[str, Any], dict[str, str]]:
        """What the fields hold, typed and not answered yet: (the answers the session would
        accept, by key; the others' reasons, by key)."""
        answers: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for field in self.fields():
            key = field.name
            value = field.value()
            if key is None or self._typed_answer(field, value) is None:
                continue
            problem = field.problem(value)
            if problem:
                problems[key] = problem
            else:
                answers[key] = value
        self._typed_keys = set(answers) | set(problems)
        return answers, problems

    def typed_kept(self, keys: list[str]) -> None:
        """What was typed for ``keys`` is recorded (the screen is left, or the language
        switches): said, so that nothing changes unseen; a language switch shows the
        answers as recorded, in the new language, not the text as typed."""
        self._restore = self._typed_keys - set(keys)
        labels = [view.label for view in map(self.session.view, keys) if view is not None]
        if labels:
            self.app.notify(_("Kept what you typed: {questions}",
                              questions="; ".join(labels)))

    def confirm_leaving(self, problems: dict[str, str], go: Callable[[], object]) -> None:
        """Fields that hold what the session does not accept: each says why, and the user
        chooses to go on without it (``go``) or to stay and correct it."""
        from intake_assistant.tui.screens.modals import ConfirmScreen

        self.refuse_fields(problems, move_focus=False)
        lines = []
        for key, problem in problems.items():
            view = self.session.view(key)
            typed = self.field_for(key).value() if key in self.page else ""
            lines.append(_("• {question}: “{typed}”: {problem}",
                           question=view.label if view else key,
                           typed=", ".join(typed) if isinstance(typed, list) else str(typed),
                           problem=problem))

        def chosen(go_on: bool | None) -> None:
            if go_on:
                go()
            elif self.is_current:
                first = next((k for k in self.page if k in problems), None)
                if first is not None:
                    self.field_for(first).focus_field(go_on_typing=True)

        self.app.push_screen(ConfirmScreen(
            _("Go on without what you typed?"),
            _("What you typed is not accepted, so it is not kept if you go on:") + "\n"
            + "\n".join(lines),
            _("Go on without it"), _("Stay and correct it")), chosen)

    # -- back ------------------------------------------------------------------------------
    async def action_back(self) -> None:
        """Esc: out of the section list when it shows, else back where the user came from
        (the screen before, or the review a question was opened from)."""
        if not self._close_sections():
            await self.run_action("app.back")

    def _close_sections(self) -> bool:
        """Close the section list if it shows (the focus back on the question)."""
        nav = self.query_one("#sections", OptionList)
        if not nav.has_class("shown"):
            return False
        nav.remove_class("shown")
        self._focus_current()
        self.refresh_bindings()
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":  # not shown where there is nothing to go back to
            return (self.session.can_go_back_screen
                    or self.query_one("#sections", OptionList).has_class("shown"))
        return True

    # -- panels ------------------------------------------------------------------------
    def action_toggle_precheck(self) -> None:
        panel = self.query_one(PrecheckPanel)
        panel.toggle_class("hidden")
        self.show_precheck = not panel.has_class("hidden")
        self._set_narrow()
        self.post_message(self.PrecheckToggled(self, self.show_precheck))

    def action_sections(self) -> None:
        if self._close_sections():
            return
        nav = self.query_one("#sections", OptionList)
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
        self.refresh_bindings()
        nav.focus()
        if highlight is not None:
            nav.highlighted = highlight

    @on(OptionList.OptionSelected, "#sections")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.QuestionChosen(self, event.option.id))


def _update(static: Static, content: Text | str) -> None:
    """Show ``content`` unless it is shown already (every update lays the screen out again,
    and most texts stay the same from one answer to the next)."""
    old = static.content
    if type(old) is type(content) and old == content and (
            not isinstance(content, Text) or content.style == old.style):
        return
    static.update(content)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _unchanged(view: QuestionView, value: Any) -> bool:
    """Whether ``value`` as the field holds it is the answer already stored."""
    if view.current_value is None:
        return False
    if view.kind == "multi_choice":
        return isinstance(value, list) and set(value) == set(view.current_value)
    if view.kind in ("yes_no", "choice"):
        return value == view.current_value
    return isinstance(value, str) and value.strip() == view.current_text

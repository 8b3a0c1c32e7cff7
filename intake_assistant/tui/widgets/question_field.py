"""The answer widget of one question: the right widget for each kind of question.

Text, numbers, money, dates and KvK numbers are typed into an ``Input`` whose validator asks
the session (live feedback as you type); yes/no and single choices are an option list
(arrows, then Enter; for yes/no also ``j``/``ja``/``n``/``nee``/``y``/``yes``/``no`` typed);
multiple choices a selection list (space ticks, Enter goes on); long texts a text area
(ctrl+j or ctrl+Enter goes on, or Tab to Next and Enter). Whatever the kind, the field posts
``QuestionField.Submitted`` with the raw answer for the session to parse.

A list starts with nothing chosen unless the question was answered before: one quick Enter
must never record an answer the user did not give ("" is submitted, and the session says an
answer is needed). ``typed()``/``restore()`` keep what is being typed across a language
switch.

Every answer widget handles its keys in the order typed, and a field holds the keys typed
after its answer (``typed_ahead``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.dom import NoScreen
from textual.geometry import Size
from textual.message import Message
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Input, OptionList
from textual.widgets.input import Selection
from textual.widgets.option_list import Option

from intake_assistant.i18n import _
from intake_assistant.safe_text import visible
from intake_assistant.tui.widgets.laid_out import LaidOutOnce, OptionsLaidOutOnce
from intake_assistant.tui.widgets.safe import shown
from intake_assistant.tui.widgets.typed_ahead import HoldsTypedAhead, KeysInOrder, in_key_order

if TYPE_CHECKING:
    from intake_assistant.tui.widgets.multi_choice import MultiChoice

INPUT_KINDS = frozenset(
    {"short_text", "kvk", "whole_number", "decimal", "money", "date", "percentage"}
)


class SessionValidator(Validator):
    """Live validation by the session: ``check(text)`` gives an error text or None."""

    def __init__(self, check: Callable[[str], str | None]) -> None:
        super().__init__()
        self.check = check

    def validate(self, value: str) -> ValidationResult:
        problem = self.check(value)
        return self.failure(problem) if problem else self.success()


#: What typing chooses on a yes/no list, in either language (the session accepts these too).
_YES_WORDS = ("ja", "j", "yes", "y")
_NO_WORDS = ("nee", "n", "no")


class ChoiceList(OptionsLaidOutOnce, OptionList):
    """An option list that starts with nothing chosen; on a yes/no list typing chooses."""

    def __init__(self, *options: Option, yes_no: bool = False, id: str | None = None) -> None:
        super().__init__(*options, id=id)
        self.yes_no = yes_no
        self._typed = ""

    def reset_typed(self) -> None:
        self._typed = ""

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # Textual lays a new screen out once with no width: wrapping the options in zero
        # cells raises (rich's chop_cells), which stopped the app at 60 columns
        if width <= 2:
            return max(1, self.option_count)
        return super().get_content_height(container, viewport, width)

    def action_select(self) -> None:
        if self.highlighted is None:  # nothing chosen: say so, record nothing
            field = self.parent
            self.post_message(QuestionField.Submitted(
                "", field if isinstance(field, QuestionField) else None))
            return
        super().action_select()

    async def _on_paste(self, event: events.Paste) -> None:
        await in_key_order(self, event)

    async def _on_key(self, event: events.Key) -> None:
        if await in_key_order(self, event):
            return
        if not self.yes_no or not event.character or not event.character.isalpha():
            return
        event.stop()
        event.prevent_default()
        typed = (self._typed + event.character).casefold()
        choice = _yes_or_no(typed)
        if choice is None:  # a new word starts
            typed = event.character.casefold()
            choice = _yes_or_no(typed)
        self._typed = typed if choice is not None else ""
        if choice is not None:
            self.highlighted = self.get_option_index(choice)


def _yes_or_no(typed: str) -> str | None:
    """"yes" or "no" when ``typed`` starts one of the words for it (either language)."""
    yes = any(w.startswith(typed) for w in _YES_WORDS)
    no = any(w.startswith(typed) for w in _NO_WORDS)
    if yes != no:
        return "yes" if yes else "no"
    return None


class AnswerInput(KeysInOrder, Input):
    """An input that handles its keys in the order typed (``in_key_order``): Input's Enter
    binding waited for the key to bubble up to the screen, and a key typed right after it
    was inserted first (the title became "TitelS", the S of the next answer).

    A control character pasted or typed in is written as its escape (``\\x1b``) where it
    stood: shown raw, an escape sequence vanished from the field ("Plan[31mRood") and a bidi
    override turned the rest of the text around; what is shown is what is kept."""

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(visible(text, limit=len(text)), start, end)


class QuestionField(LaidOutOnce, Vertical, HoldsTypedAhead):
    """The field of one question; posts ``Submitted`` with the raw answer."""

    class Submitted(Message):
        def __init__(self, value: Any, field: QuestionField | None = None) -> None:
            super().__init__()
            self.value = value
            self.field = field

        @property
        def control(self) -> QuestionField | None:
            """The field answered (a form has several)."""
            return self.field

    class Problem(Message):
        """The live validation of the typed text changed (None: no problem)."""

        def __init__(self, text: str | None, field: QuestionField | None = None) -> None:
            super().__init__()
            self.text = text
            self.field = field

        @property
        def control(self) -> QuestionField | None:
            return self.field

    def __init__(
        self,
        kind: str,
        *,
        current_text: str = "",
        current_value: Any = None,
        choices: Sequence[tuple[str, str]] = (),
        placeholder: str = "",
        check: Callable[[str], str | None] | None = None,
        advised_length: int | None = None,
        max_length: int | None = None,
        id: str | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(id=id, name=name)
        self.kind = kind
        self.current_text = current_text or ""
        self.current_value = current_value
        self.choices = list(choices)
        self.placeholder = placeholder
        self.check = check
        #: A long text past this many characters is kept, with a warning (question data).
        self.advised_length = advised_length
        #: The most characters the answer takes (a long text shows its length against it).
        self.max_length = max_length

    def problem(self, value: Any) -> str | None:
        """Why the session would refuse ``value`` as this question's answer (None: it would
        not), asked before the focus moves on in a form."""
        return self.check(value) if self.check is not None else None

    def compose(self) -> ComposeResult:
        kind = self.kind
        if kind == "long_text":
            from intake_assistant.tui.widgets.long_text import LongText  # heavy: TextArea

            yield LongText(self.current_text, advised_length=self.advised_length,
                           max_length=self.max_length)
        elif kind == "yes_no":
            yield ChoiceList(Option(_("Yes"), id="yes"), Option(_("No"), id="no"),
                             yes_no=True, id="answer")
        elif kind == "choice":
            yield ChoiceList(*(Option(shown(label), id=code) for code, label in self.choices),
                             id="answer")
        elif kind == "multi_choice":
            from intake_assistant.tui.widgets.multi_choice import MultiChoice

            chosen = set(self.current_value or ())
            yield MultiChoice(*((shown(label), code, code in chosen)
                                for code, label in self.choices),
                              id="answer")
        else:
            validators = [SessionValidator(self.check)] if self.check else []
            yield AnswerInput(self.current_text, placeholder=self.placeholder, id="answer",
                        validators=validators, validate_on=["changed", "submitted"],
                        valid_empty=False)

    def on_mount(self) -> None:
        widget = self._answer = self.query_one("#answer")
        if self.kind in ("yes_no", "choice") and isinstance(widget, OptionList):
            current = self._current_option()
            # nothing chosen until the user chooses (or chose before)
            widget.highlighted = None if current is None else widget.get_option_index(current)

    def on_unmount(self) -> None:
        """Undo what Textual's text widgets tie to the screen and the App, not undone by them.

        ``Input`` and ``TextArea`` subscribe to the screen's text-selection signal (a
        callback holding the widget) and ``TextArea`` watches the App's theme; neither is
        undone when they are removed, so a removed field stayed alive as long as the screen,
        and the question screen lives for the whole intake."""
        answer = self._answer  # already detached (children are removed first): not queried
        self.screen.text_selection_started_signal.unsubscribe(answer)
        watchers = getattr(self.app, "__watchers", {}).get("theme")  # Textual's own list
        if watchers:
            watchers[:] = [(node, callback) for node, callback in watchers if node is not answer]

    def can_refill(self, kind: str, choices: Sequence[tuple[str, str]],
                   advised_length: int | None, max_length: int | None = None) -> bool:
        """Whether ``refill`` can show a question of this kind here (the same widget)."""
        return (kind == self.kind and list(choices) == self.choices
                and advised_length == self.advised_length and max_length == self.max_length)

    def refill(self, *, name: str, current_text: str, current_value: Any, placeholder: str,
               check: Callable[[str], str | None] | None) -> None:
        """Show another question of the same kind (the next instance of a form, the next
        screen's question of this kind) in this field, as a new field would: its stored
        answer, placeholder and validation.

        (Mounting new fields for every cost line of a long intake costs a style pass and a
        layout of the whole question area per screen.)"""
        self._name = name  # Textual's DOMNode keeps the name there (``name`` is read-only)
        self.current_text = current_text or ""
        self.current_value = current_value
        self.placeholder = placeholder
        self.check = check
        widget: Any = self.query_one("#answer")
        if isinstance(widget, Input):
            for validator in widget.validators:
                if isinstance(validator, SessionValidator) and check is not None:
                    validator.check = check
            widget.placeholder = placeholder
            if widget.value != self.current_text:
                widget.value = self.current_text  # validated by Input, as typing would
            else:  # the same text: Input sends no change, but the question is another one
                result = widget.validate(widget.value)
                problem = (None if result is None or result.is_valid or not widget.value
                           else result.failure_descriptions[0])
                self.post_message(self.Problem(problem, self))
            widget.cursor_position = len(widget.value)
        elif self.kind == "long_text":  # a TextArea, in a LongText
            from intake_assistant.tui.widgets.long_text import LongText  # loaded: it is shown

            widget.load_text(self.current_text)
            self.query_one(LongText).show_length()
        elif self.kind == "multi_choice":
            chosen = set(current_value or ())
            widget.deselect_all()
            for code, _label in self.choices:
                if code in chosen:
                    widget.select(code)
        elif isinstance(widget, OptionList):
            current = self._current_option()
            widget.highlighted = None if current is None else widget.get_option_index(current)
            if isinstance(widget, ChoiceList):
                widget.reset_typed()  # "j" typed on the last list starts no word here

    def _current_option(self) -> str | None:
        value = self.current_value
        if self.kind == "yes_no":
            if value is True:
                return "yes"
            if value is False:
                return "no"
            return None
        if isinstance(value, str) and any(code == value for code, _label in self.choices):
            return value
        return None

    def focus_field(self, *, go_on_typing: bool = False) -> None:
        """Focus the answer; ``go_on_typing`` (back after a refusal): keys typed next go on
        where the text ends instead of replacing it, as Input's select-on-focus would."""
        widget: Any = self.query_one("#answer")
        # The focus at once (Widget.focus waits for the App's next message): keys typed ahead
        # of it would reach the field before (a list's Space ticking there), and the field
        # left and this one get their Blur and Focus before the answer is taken and saved,
        # restyled in the same frame as the rest of the answer (else the save came between).
        # Textual's own scroll into sight runs on the next message, animated: right after the
        # screen was rebuilt that can use the layout of before (it then scrolled a form's
        # last field out of the top); ours waits for the layout and does not animate.
        try:
            widget.screen.set_focus(widget, scroll_visible=False)
        except NoScreen:  # removed meanwhile: nothing to focus
            return
        self.app.call_later(widget.call_after_refresh, self._bring_into_sight, widget)
        if isinstance(widget, Input):
            widget.cursor_position = len(widget.value)
            if go_on_typing:  # undo the select-all of the focus, once it has happened
                widget.call_after_refresh(self._cursor_at_end, widget)
        elif self.kind == "long_text":  # go on writing where the answer ends
            widget.move_cursor(widget.document.end)

    @staticmethod
    def _bring_into_sight(widget: Widget) -> None:
        if not widget.is_attached:  # the next answer replaced the field in the meantime
            return
        screen = widget.screen
        if screen.focused is widget and not screen.can_view_entire(widget):
            screen.scroll_to_center(widget, animate=False, origin_visible=True)

    @staticmethod
    def _cursor_at_end(widget: Input) -> None:
        widget.selection = Selection.cursor(len(widget.value))

    def value(self) -> Any:
        """The raw answer as it stands (for the Next button)."""
        widget: Any = self.query_one("#answer")
        if isinstance(widget, Input):
            return widget.value
        if self.kind == "long_text":  # a TextArea
            return widget.text
        if self.kind == "multi_choice":  # a MultiChoice
            return list(widget.selected)
        if isinstance(widget, OptionList):
            index = widget.highlighted
            if index is None:
                return ""  # nothing chosen: the session says an answer is needed
            code = widget.get_option_at_index(index).id
            return self._option_value(code)
        return None

    def typed(self) -> dict[str, Any]:
        """What the user has typed or chosen so far (not yet submitted)."""
        widget: Any = self.query_one("#answer")
        if isinstance(widget, Input):
            return {"text": widget.value, "cursor": widget.cursor_position}
        if self.kind == "long_text":  # a TextArea
            return {"text": widget.text, "location": widget.cursor_location}
        if self.kind == "multi_choice":  # a MultiChoice
            return {"selected": list(widget.selected)}
        if isinstance(widget, OptionList):
            return {"highlighted": widget.highlighted}
        return {}

    def restore(self, typed: dict[str, Any]) -> None:
        """Put back what ``typed()`` gave (after the field was composed anew)."""
        widget: Any = self.query_one("#answer")
        if isinstance(widget, Input) and "text" in typed:
            widget.value = typed["text"]
            widget.cursor_position = typed.get("cursor", len(typed["text"]))
        elif self.kind == "long_text" and "text" in typed:
            widget.load_text(typed["text"])
            widget.cursor_location = typed.get("location", (0, 0))
        elif self.kind == "multi_choice" and "selected" in typed:
            widget.deselect_all()
            for value in typed["selected"]:
                widget.select(value)
        elif isinstance(widget, OptionList) and "highlighted" in typed:
            widget.highlighted = typed["highlighted"]

    def _option_value(self, code: str | None) -> Any:
        if self.kind == "yes_no":
            return code == "yes"
        return code

    # -- events ----------------------------------------------------------------------
    @on(Input.Changed, "#answer")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        result = event.validation_result
        if result is None or result.is_valid or not event.value:
            self.post_message(self.Problem(None, self))
        else:
            self.post_message(self.Problem(result.failure_descriptions[0], self))

    @on(Input.Submitted, "#answer")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value, self))

    @on(OptionList.OptionSelected, "#answer")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Submitted(self._option_value(event.option.id), self))

    def on_long_text_go_on(self, event: Any) -> None:
        event.stop()
        self.post_message(self.Submitted(event.text, self))

    def on_multi_choice_submit(self, event: MultiChoice.Submit) -> None:
        event.stop()
        self.post_message(self.Submitted(event.selected, self))

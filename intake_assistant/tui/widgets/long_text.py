"""The field of a long answer: a text area that says how to go on and how long is long.

Enter writes a new line, so going on is one other key: ctrl+j (what many terminals send
for ctrl+Enter when they have no key of their own for it) or ctrl+Enter; or Tab (to Next)
then Enter. The text area's own F6
(select line) and F7 (select all) give way to the screen's keys (review, summary), so the
footer's keys work while one writes. A question may advise a length (``advised_length`` in
its dialog data): past it the text is still kept, with a warning.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static, TextArea

from intake_assistant.i18n import N_, _, current_translator
from intake_assistant.safe_text import visible
from intake_assistant.tui.widgets.laid_out import AreaText, LaidOutOnce, MadeForLayoutWidth
from intake_assistant.tui.widgets.typed_ahead import HoldsTypedAhead, in_key_order


def paste_here(area: TextArea, event: events.Paste) -> None:
    """Write a paste into ``area`` as TextArea does, but leave the focus where it is.

    TextArea's own paste also takes the focus, one message later: a Tab typed right after
    the paste went to the next button, the focus came back, and the Enter after it wrote a
    new line instead of pressing the button."""
    event.prevent_default()
    if area.read_only:
        return
    # a control character is written as its escape (\\x1b) where it stood, lines kept; a
    # browser's terminal (xterm.js) pastes a line end as a lone \\r: it is a line end here too
    text = event.text.replace("\r\n", "\n").replace("\r", "\n")
    result = area.replace(visible(text, keep_newlines=True, limit=len(text)), *area.selection)
    area.move_cursor(result.end_location)


class TextInKeyOrder(TextArea):
    """A text area whose keys and pastes go in the order typed (``in_key_order``), and whose
    paste leaves the focus where it is.

    Tab moves on and its own bindings act at once: as bindings they waited for the key to
    bubble up, so an Enter after Tab made a new line and the keys after ctrl+j were written
    into the text; and the App gave a key that came while the focus moved to this area,
    focused when it arrived."""

    async def _on_key(self, event: events.Key) -> None:
        await in_key_order(self, event)

    async def _on_paste(self, event: events.Paste) -> None:
        if await in_key_order(self, event):
            return
        paste_here(self, event)


class PasteArea(TextInKeyOrder, HoldsTypedAhead):
    """A text area for a pasted text (a draft's JSON): Tab then Enter, right after the paste,
    presses the button after it (the Enter wrote a new line)."""


class _Writing(MadeForLayoutWidth, TextInKeyOrder):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+j,ctrl+enter", "go_on", N_("Next"), key_display="ctrl+j"),
    ]

    def action_go_on(self) -> None:
        self.post_message(LongText.GoOn(self.text))

    # TextArea wraps its text again on the Resize event, after the frame (MadeForLayoutWidth)
    def _width_to_make_for(self) -> int:
        return self.wrap_width

    def _make_for_width(self) -> None:
        self._rewrap_and_refresh_virtual_size()

    # the screen's keys win: F6 reviews, F7 shows the summary
    def action_select_line(self) -> None:
        raise SkipAction()

    def action_select_all(self) -> None:
        raise SkipAction()


class LongText(LaidOutOnce, Vertical):
    """A text area (``#answer``) with the key that goes on, and the length when the question
    advises one."""

    DEFAULT_CSS = """
    LongText { height: auto; }
    LongText .long-text-hint { color: $text-muted; height: auto; }
    LongText .long-text-length { color: $text-muted; height: auto; }
    LongText .long-text-length.too-long { color: $text-warning; }
    """

    class GoOn(Message):
        """The writer is done: the text is the answer."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, text: str, *, advised_length: int | None = None,
                 max_length: int | None = None) -> None:
        super().__init__()
        self.initial = text
        self.advised_length = advised_length
        #: The most characters the answer takes: its length is shown against it.
        self.max_length = max_length

    def compose(self) -> ComposeResult:
        # the text area is the question's "#answer" (as every kind's answer widget is)
        yield _Writing(self.initial, id="answer", tab_behavior="focus", soft_wrap=True,
                       show_line_numbers=False)
        # Tab goes to Next (a long text is a form's last field), so Tab then Enter goes on
        yield AreaText(_("Enter: new line · ctrl+j (or ctrl+Enter), or Tab then Enter: "
                         "next question"), classes="long-text-hint")
        if self.advised_length or self.max_length:
            yield AreaText("", classes="long-text-length")

    def on_mount(self) -> None:
        self.show_length()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.show_length()

    def show_length(self) -> None:
        if not (self.advised_length or self.max_length):
            return
        length = len(self.query_one(_Writing).text)
        tr = current_translator()
        label = self.query_one(".long-text-length", Static)
        too_long = bool(self.advised_length and length > self.advised_length) or bool(
            self.max_length and length > self.max_length)
        label.set_class(too_long, "too-long")
        if self.max_length and length > self.max_length:
            label.update(_("{length} of at most {max} characters: shorten it by {over}",
                           length=tr.number(length), max=tr.number(self.max_length),
                           over=tr.number(length - self.max_length)))
        elif self.advised_length and length > self.advised_length:
            label.update(_("{length} characters: longer than the {advised} advised for this "
                           "answer; it is kept, but consider shortening it",
                           length=tr.number(length), advised=tr.number(self.advised_length)))
        elif self.advised_length:
            label.update(_("{length} of at most {advised} characters advised",
                           length=tr.number(length), advised=tr.number(self.advised_length)))
        else:
            label.update(_("{length} of at most {max} characters",
                           length=tr.number(length), max=tr.number(self.max_length)))

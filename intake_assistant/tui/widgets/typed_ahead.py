"""Keys typed ahead of the screen (a fast typist, or a busy machine), in the order typed.

The App gives a key to the widget focused when the key arrives, before that widget has
handled the keys before it, so the keys typed right after Enter reached the field just
answered. Each answer widget and each button of the question screen asks ``in_key_order``
first, of every key: the keys after an answer go where the focus is now, or, while the answer
is on its way to the session, are held (by the field or button, a ``HoldsTypedAhead``) for
the screen to hand on once the next field has the focus.
"""

from __future__ import annotations

from textual import events
from textual.dom import NoScreen
from textual.widget import Widget

from intake_assistant.tui.widgets.button import Button


class HoldsTypedAhead:
    """A field, or a button of the question screen: it holds the keys that reach it after its
    answer was given (or it was pressed), while the focus is still on it, until the screen
    hands them on to where the focus is next (``take_typed_ahead``)."""

    #: The answer was given (or the button pressed) and the focus is still here.
    holds_typed_ahead: bool = False
    typed_ahead_keys: list[events.Key | events.Paste]

    def take_typed_ahead(self) -> list[events.Key | events.Paste]:
        """The keys held (for the widget focused now); nothing is held any more."""
        keys = getattr(self, "typed_ahead_keys", [])
        self.typed_ahead_keys = []
        self.holds_typed_ahead = False
        return keys

    def hold_typed_ahead(self) -> None:
        self.typed_ahead_keys = []
        self.holds_typed_ahead = True


#: The keys that give an answer (or press a button): the keys after them are held.
_ANSWER_KEYS = frozenset({"enter", "ctrl+j", "ctrl+enter"})


async def in_key_order(widget: Widget, event: events.Key | events.Paste) -> bool:
    """Handle ``event`` in the order the keys were typed; False: ``widget`` handles it as
    usual (a character to insert). Every answer widget and question button asks this
    first, of every key.

    A key belongs to where the focus is now, when the keys before it moved the focus on
    (Enter in a form, Tab); while the answer just given is on its way (the focus still here,
    the next screen to come), it is held. Tab and the widget's own key bindings act at once:
    as bindings they waited for the key to bubble up to the App, and the keys typed after
    them were handled first (a "j" chose "yes" before the Enter before it chose "no"; the
    text typed after Tab went into the field left)."""
    holder = _holder_of(widget)
    if holder is None:
        return False
    try:
        screen = widget.screen
    except NoScreen:  # being removed: the screen takes what the holder holds
        screen = None
    focused = screen.focused if screen is not None else None
    if focused is not None and focused is not widget:
        _stop(event)
        forward_keys(focused, [_copy(event)])
        return True
    if holder.holds_typed_ahead:
        _stop(event)
        holder.typed_ahead_keys.append(_copy(event))
        return True
    if not isinstance(event, events.Key):  # a paste: the widget inserts it
        return False
    if screen is not None and event.key in ("tab", "shift+tab"):
        _stop(event)
        if event.key == "tab":
            screen.focus_next()
        else:
            screen.focus_previous()
        return True
    for binding in widget._bindings.key_to_bindings.get(event.key, ()):
        if binding.priority:  # the App ran it when the key arrived
            continue
        gives_answer = event.key in _ANSWER_KEYS
        if gives_answer:
            holder.hold_typed_ahead()
        if await widget.app.run_action(binding.action, widget):
            _stop(event)
            return True
        if gives_answer:
            holder.take_typed_ahead()
    return False


def _holder_of(widget: Widget) -> HoldsTypedAhead | None:
    return next((node for node in widget.ancestors_with_self
                 if isinstance(node, HoldsTypedAhead)), None)


def _stop(event: events.Event) -> None:
    event.stop()
    event.prevent_default()


def _copy(event: events.Key | events.Paste) -> events.Key | events.Paste:
    if isinstance(event, events.Paste):
        return events.Paste(event.text)
    return events.Key(event.key, event.character)


class KeysInOrder:
    """Mixin (first among the bases) for a widget whose keys and pastes go through
    ``in_key_order`` before the widget's own handling (Textual calls each class's handler
    in turn, unless one prevents the default)."""

    async def _on_key(self, event: events.Key) -> None:
        await in_key_order(self, event)

    async def _on_paste(self, event: events.Paste) -> None:
        await in_key_order(self, event)


def forward_keys(widget: Widget | None, keys: list[events.Key | events.Paste]) -> None:
    """Give ``keys`` to ``widget`` (the one focused), in order; none to nothing."""
    if widget is not None:
        for key in keys:
            widget._forward_event(key)


class QuestionButton(KeysInOrder, Button, HoldsTypedAhead):
    """A button of the question screen (Next, Back, ...): pressed by Enter in key order, and
    the keys after it are held for the screen that follows."""

    def action_press(self) -> None:
        # Textual's ignores a press while the last one's effect shows (0.2 s); the buttons
        # stay from one screen to the next, and an Enter typed ahead for the next screen
        # presses its Next as a key of its own
        self.press()

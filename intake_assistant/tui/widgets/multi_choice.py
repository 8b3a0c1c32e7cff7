"""A selection list where space ticks and Enter submits the ticked choices.

Its own module because Textual's SelectionList is heavy to import: only a question with
multiple choices loads it, not the start screen.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.widgets import SelectionList

from intake_assistant.i18n import N_
from intake_assistant.tui.widgets.laid_out import OptionsLaidOutOnce
from intake_assistant.tui.widgets.typed_ahead import KeysInOrder


class MultiChoice(OptionsLaidOutOnce, KeysInOrder, SelectionList[str]):
    """A selection list where space ticks and Enter submits the ticked choices (at once, in
    the order typed: the ticks as they stand at the Enter)."""

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # the first layout of a new screen has no width; wrapping in zero cells raises
        if width <= 2:
            return max(1, self.option_count)
        return super().get_content_height(container, viewport, width)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "select", N_("Tick"), show=False),
        Binding("enter", "submit", N_("Next"), show=False),
    ]

    class Submit(Message):
        """The ticked choices are the answer."""

        def __init__(self, selected: list[str]) -> None:
            super().__init__()
            self.selected = selected

    def action_select(self) -> None:
        # ticked at this key: SelectionList ticks when its message comes back, whichever
        # option is highlighted by then (after the arrows typed next, the wrong one)
        if self.highlighted is not None:
            self.toggle(self.get_option_at_index(self.highlighted))

    def action_submit(self) -> None:
        self.post_message(self.Submit(list(self.selected)))

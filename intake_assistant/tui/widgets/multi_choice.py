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


class MultiChoice(SelectionList[str]):
    """A selection list where space ticks and Enter submits the ticked choices."""

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # the first layout of a new screen has no width; wrapping in zero cells raises
        if width <= 2:
            return max(1, self.option_count)
        return super().get_content_height(container, viewport, width)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "select", N_("Tick"), show=False),
        Binding("enter", "submit", N_("Next"), show=False, priority=True),
    ]

    class Submit(Message):
        pass

    def action_submit(self) -> None:
        self.post_message(self.Submit())

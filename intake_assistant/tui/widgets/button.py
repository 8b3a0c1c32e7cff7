"""Textual's button, made with the classes its watchers would give it.

Textual's ``Button`` adds its style and variant classes (``-style-default``, ``-primary``...)
from watchers that run as it is made; each asks for the button to be styled again once
mounted, so every button was styled twice or three times before the first frame that shows
it (a fifth of the start screen's styling). This one is made with them: the watchers find
nothing to change.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Button as TextualButton
from textual.widgets.button import ButtonVariant


class Button(TextualButton):
    def __init__(self, label: Any = None, variant: ButtonVariant = "default", *,
                 classes: str | None = None, flat: bool = False, **kwargs: Any) -> None:
        style = "-style-flat" if flat else "-style-default"
        super().__init__(label, variant, classes=" ".join(
            filter(None, (classes, style, f"-{variant}"))), flat=flat, **kwargs)

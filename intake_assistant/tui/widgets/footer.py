"""Textual's footer, recomposed only when the keys it shows change.

Textual's ``Footer`` recomposes its keys after every change of the bindings (each focus
change: several times per answer), though on a question screen the keys shown are almost
always the same: every recompose mounts a dozen keys anew and restyles them, the largest
part of an answer's time. So the footer keeps what it composed and recomposes only when a
shown key, its description (a language switch), its state or its tooltip changes.

A key is made with ``compact`` on and bound to the footer's (off) once mounted: each key
was styled three times (as mounted, with ``-compact``, without it), half of the start
screen's styling before its first frame. The keys composed here start as they end.

Each recompose also binds the new keys' ``compact`` to the footer; the watchers of the
removed keys are only pruned when ``compact`` changes, so a recompose leaks a dozen keys.
A forced change after the recompose prunes them.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey


class Footer(TextualFooter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._composed_keys: tuple[Any, ...] | None = None
        # The keys are composed with the footer, from the screen's bindings as they are then:
        # Textual's footer waits for the screen to announce its bindings and composes them
        # a frame later, so the first frame of the app had an empty footer.
        self._bindings_ready = True

    def shown_keys(self) -> tuple[Any, ...]:
        """What the footer shows of the screen's bindings (what ``compose`` reads)."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, binding.key, binding.key_display, binding.description, binding.action,
             binding.group, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette)

    def compose(self) -> ComposeResult:
        self._composed_keys = self.shown_keys()
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # Textual binds every key but the palette's to the footer; that one stays
                # compact
                compact = widget.compact if widget.has_class("-command-palette") \
                    else self.compact
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        if self.shown_keys() == self._composed_keys:
            return  # the same keys: nothing to mount
        await super().recompose()  # compose records the keys
        self.mutate_reactive(TextualFooter.compact)  # drops the watchers of closed keys

"""Textual's footer, without the keys it leaves behind.

Textual's ``Footer`` recomposes its keys after every change of the bindings (each focus
change: twice per answer) and binds each new key's ``compact`` to the footer; the watchers
of the removed keys are only pruned when ``compact`` changes, so every recompose leaks a
dozen keys (thousands over an intake). A forced change after the recompose prunes them.
"""

from __future__ import annotations

from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    async def recompose(self) -> None:
        await super().recompose()
        self.mutate_reactive(TextualFooter.compact)  # drops the watchers of closed keys

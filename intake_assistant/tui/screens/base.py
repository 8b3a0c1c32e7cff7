"""What every screen shares: key bindings shown in the UI's language, and the intake screens.

Screens import from here and from ``widgets``; nothing here imports a screen or the App
(the App is named for typing only), so imports run one way: app -> screens -> base/widgets.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from intake_assistant.i18n import N_, _, get_language

if TYPE_CHECKING:
    from intake_assistant.flow.session import IntakeSession
    from intake_assistant.tui.app import IntakeApp


def localize_bindings(node: Any) -> None:
    """Show the descriptions of ``node``'s key bindings in the current language.

    Bindings are class attributes with English message ids (``N_``); the footer shows the
    description of the binding objects the node holds, so those are replaced by translated
    copies. The message ids are remembered per node, so a later switch translates afresh;
    bindings Textual adds itself (the command palette's) are kept and translated too.
    """
    msgids: dict[tuple[str, str], str] = node.__dict__.setdefault("_intake_binding_msgids", {})
    translated = {}
    for key, bindings in node._bindings.key_to_bindings.items():
        row = []
        for binding in bindings:
            msgid = msgids.setdefault((key, binding.action), binding.description)
            row.append(replace(binding, description=_(msgid) if msgid else msgid))
        translated[key] = row
    node._bindings.key_to_bindings = translated


#: Texts Textual shows in our footer, so that they are translated too.
TEXTUAL_TEXTS = (N_("palette"),)


class LocalizedScreen(Screen):
    """A screen that composes in the UI's language and recomposes after a switch."""

    if TYPE_CHECKING:
        @property
        def app(self) -> IntakeApp: ...

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.composed_language = get_language()
        localize_bindings(self)

    async def relocalize(self) -> None:
        localize_bindings(self)
        self.composed_language = get_language()
        await self.recompose()
        self.refresh_bindings()

    async def on_screen_resume(self) -> None:
        if self.composed_language != get_language():
            await self.relocalize()


class IntakeScreen(LocalizedScreen):
    """A screen about the open intake; the App switches between these."""

    is_intake_screen = True

    @property
    def session(self) -> IntakeSession:
        session = self.app.session
        assert session is not None
        return session

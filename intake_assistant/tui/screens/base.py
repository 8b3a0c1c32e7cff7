"""What every screen shares: key bindings shown in the UI's language, and the intake screens.

Screens import from here and from ``widgets``; nothing here imports a screen or the App
(the App is named for typing only), so imports run one way: app -> screens -> base/widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from textual import events
from textual.binding import ActiveBinding, Binding
from textual.message import Message
from textual.screen import Screen

from intake_assistant.i18n import N_, _, get_language

if TYPE_CHECKING:
    from intake_assistant.flow.session import IntakeSession
    from intake_assistant.tui.app import IntakeApp


class LocalizedBindings:
    """Key bindings described in the UI's language wherever Textual shows them.

    Bindings are class attributes with English message ids (``N_``). The footer, the key
    panel and the command palette read a screen's ``active_bindings`` (public Textual API),
    so that is where the descriptions are translated: at the moment they are shown, in the
    language of that moment. Bindings Textual adds itself (the palette's) get translated too.
    """

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        shown = super().active_bindings  # type: ignore[misc]
        # The App's keys (help, language, quit) first: the footer cuts what does not fit
        # on the right, and at 80 columns they fell off the end of every question screen.
        # (in the order the App declares them, not Textual's: its quit came first)
        app = self.app  # type: ignore[attr-defined]
        declared = [binding.key for binding in app.BINDINGS if isinstance(binding, Binding)]
        ordered = sorted(shown.items(), key=lambda item: (
            item[1].node is not app,
            declared.index(item[0]) if item[1].node is app and item[0] in declared else 0))
        return {key: active._replace(binding=replace(active.binding,
                                                     description=_described(active.binding)))
                if active.binding.description else active
                for key, active in ordered}


#: The language switch names the language it switches to, in that language (a name, the
#: same in every catalog): "Nederlands/English" took a quarter of an 80-column footer.
OTHER_LANGUAGE = {"nl": "English", "en": "Nederlands"}


def _described(binding: Binding) -> str:
    if binding.action == "toggle_language":
        return OTHER_LANGUAGE.get(get_language(), binding.description)
    return _(binding.description)


#: Texts Textual shows in our footer, so that they are translated too.
TEXTUAL_TEXTS = (N_("palette"), N_("Exit the command palette"), N_("Next command"),
                 N_("Previous command"), N_("Next page"), N_("Previous page"))


class LocalizedScreen(LocalizedBindings, Screen):
    """A screen that composes in the UI's language and recomposes after a switch."""

    if TYPE_CHECKING:
        @property
        def app(self) -> IntakeApp: ...

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.composed_language = get_language()
        self._take_breakpoint_classes()

    def _take_breakpoint_classes(self) -> None:
        """The breakpoint classes (``-narrow``, ``-low``...) of the terminal's size, from the
        start. Textual sets them on the screen's first resize, after every widget was
        styled, which styled the whole screen again before its first frame."""
        try:
            width, height = self.app.size
        except RuntimeError:  # NoActiveAppError: a screen built outside a running app
            return
        for dimension, breakpoints in (
                (width, self.HORIZONTAL_BREAKPOINTS
                 if self.HORIZONTAL_BREAKPOINTS is not None else self.app.HORIZONTAL_BREAKPOINTS),
                (height, self.VERTICAL_BREAKPOINTS
                 if self.VERTICAL_BREAKPOINTS is not None else self.app.VERTICAL_BREAKPOINTS)):
            # As Textual picks them: the largest threshold the dimension reaches.
            for threshold, class_name in sorted(breakpoints or [], reverse=True):
                if dimension >= threshold:
                    self.add_class(class_name, update=False)
                    break

    async def relocalize(self) -> None:
        self.composed_language = get_language()
        await self.recompose()
        self.refresh_bindings()

    _resumed = False

    async def on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._resumed:
            # First shown: every widget was styled as it mounted, and Textual's handler (it
            # runs after this one) would style the whole screen again before the first frame.
            self._resumed = True
            event.refresh_styles = False
        if self.composed_language != get_language():
            await self.relocalize()


class IntakeScreen(LocalizedScreen):
    """A screen about the open intake; the App switches between these.

    The screen gets the session in its constructor and only reads it: a change is asked
    for with an action (``app.review``) or a message, and the App, after changing and
    saving the session, calls ``session_changed`` on the screen that shows.
    """

    is_intake_screen = True

    @dataclass
    class QuestionChosen(Message):
        """The user chose a question to change (from the review or the section list)."""

        screen: IntakeScreen
        key: str

        @property
        def control(self) -> IntakeScreen:
            return self.screen

    def __init__(self, session: IntakeSession) -> None:
        super().__init__()
        self.session = session

    async def session_changed(self, session: IntakeSession) -> None:
        """The session changed and this screen stays: show it as it is now."""
        self.session = session
        await self.recompose()

"""What differs on the screen between the channels that run the App: which keys, what a
visitor may see, how a draft comes in and how the intake goes out.

The terminal uses the defaults; a served browser tab (``tui/served/tab.py``) gives its own.
Everything the intake *does* differently (where intakes are kept, who answers, whether
settings are written) is the service's :class:`~intake_assistant.service.open_intake.Channel`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import SystemCommand
    from textual.widget import Widget

    from intake_assistant.tui.app import IntakeApp


class Look:
    """The App's configuration for one channel (the defaults: the terminal).

    A plain class, not a dataclass: the terminal's is made before the first screen, where a
    dataclass's generated methods cost a millisecond.
    """

    def __init__(
        self, *,
        key_map: Mapping[str, str] | None = None,
        help_keys: Callable[[], list[tuple[str, str, str]]] | None = None,
        start_buttons: Callable[[], Iterable[Widget]] = tuple,
        mode_choice: bool = True,
        ask_import: Callable[[IntakeApp], None] | None = None,
        ask_export: Callable[[IntakeApp], None] | None = None,
        commands: Callable[[IntakeApp, Iterable[SystemCommand]], Iterable[SystemCommand]]
        | None = None,
        new_intake_opened: Callable[[IntakeApp], None] | None = None,
        at_start: Callable[[IntakeApp], None] | None = None,
        server_files: bool = True,
    ) -> None:
        #: Keys moved onto others (a browser keeps ctrl+n, ctrl+q for itself): on every
        #: screen.
        self.key_map: Mapping[str, str] = key_map or {}
        #: The help screen's keys (None: the terminal's).
        self.help_keys = help_keys
        #: Buttons the start screen adds.
        self.start_buttons = start_buttons
        #: The start screen offers who answers (a served client answers as the entrepreneur).
        self.mode_choice = mode_choice
        #: How a draft to import is asked for (None: a path, the terminal's dialog); the
        #: answer goes to ``IntakeApp.import_from``.
        self.ask_import = ask_import
        #: How the open intake is exported (None: files in a folder, the export dialog).
        self.ask_export = ask_export
        #: The command palette's commands as this channel offers them.
        self.commands = commands
        #: After a new intake (new or imported) opened: e.g. a served tab shows its code.
        self.new_intake_opened = new_intake_opened
        #: Once the App is mounted: e.g. a served tab resumes the intake of its link's code.
        self.at_start = at_start
        #: Whether a dialog may open a path on the machine the App runs on (False in a served
        #: tab: its visitor is not on that machine; the compare dialog then offers no file).
        self.server_files = server_files


TERMINAL = Look()


def remap_keys(node: Any, key_map: Mapping[str, str]) -> None:
    """Move ``node``'s bindings off the keys of ``key_map`` onto their alternatives."""
    if not key_map:
        return
    bindings = node._bindings.key_to_bindings
    for key, alternative in key_map.items():
        moved = bindings.pop(key, None)
        if moved and alternative not in bindings:
            bindings[alternative] = [replace(b, key=alternative) for b in moved]

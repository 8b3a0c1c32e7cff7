"""Export: the draft as JSON (format v1) and the pre-check as a Markdown report."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from intake_assistant.i18n import N_, _, get_language
from intake_assistant.service.exports import draft_and_report, file_name
from intake_assistant.tui.screens.base import LocalizedBindings
from intake_assistant.tui.screens.modals import ConfirmScreen
from intake_assistant.tui.widgets.button import Button
from intake_assistant.tui.widgets.safe import shown

if TYPE_CHECKING:
    from intake_assistant.service.open_intake import OpenIntake


class ExportScreen(LocalizedBindings, ModalScreen[list[Path]]):
    """Ask where to write; never overwrite a file without asking; show what was written."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", N_("Close"))]

    @dataclass
    class Exported(Message):
        """Files were written to ``folder`` (the next export proposes it)."""

        screen: ExportScreen
        folder: Path

        @property
        def control(self) -> ExportScreen:
            return self.screen

    def __init__(self, intake: OpenIntake, folder: Path) -> None:
        super().__init__()
        #: The intake service: it writes the files (and logs the export in a team store).
        self.intake = intake
        session, language = intake.session, get_language()
        assert session is not None
        self.default_json = folder / file_name(session, "json", language)
        self.default_md = folder / file_name(session, "md", language)
        self.written: list[Path] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-dialog"):
            yield Label(_("Export the draft and the report"), classes="dialog-title")
            yield Label(_("Draft application (JSON, format version 1):"))
            yield Input(str(self.default_json), id="json-path")
            yield Label(_("Pre-check report (Markdown):"))
            yield Input(str(self.default_md), id="md-path")
            yield Static("", id="export-error", classes="field-error")
            yield Static("", id="export-result")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Export"), id="do-export", variant="primary")
                yield Button(_("Close"), id="close")

    def on_mount(self) -> None:
        self.query_one("#do-export", Button).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        # what was written is said by the screen it returns to (the App's
        # ``exported_shown``), once the dialog is closed: a toast on it covered its list
        self.dismiss(self.written)

    @on(Input.Submitted)
    @on(Button.Pressed, "#do-export")
    def _export(self) -> None:
        self.export()

    @work(exclusive=True, group="export")
    async def export(self) -> None:
        error = self.query_one("#export-error", Static)
        result = self.query_one("#export-result", Static)
        error.update("")
        result.update("")  # what an earlier export wrote is not what this one does
        draft = Path(self.query_one("#json-path", Input).value.strip()).expanduser()
        report = Path(self.query_one("#md-path", Input).value.strip()).expanduser()
        if any(not str(p) or str(p) == "." for p in (draft, report)):
            error.update(_("Give a path for both files."))
            return
        targets = draft_and_report(draft, report)
        existing = [p for _kind, p in targets if p.exists()]
        overwrite = False
        if existing:
            overwrite = await self.app.push_screen_wait(
                ConfirmScreen(
                    _("Replace existing files?"),
                    _("These files exist already:\n{files}", files="\n".join(map(str, existing))),
                    _("Replace"),
                    _("Keep them"),
                )
            )
            if not overwrite:
                error.update(_("Nothing was written: the existing files are kept. Choose "
                               "other paths to export."))
                return
        # written by the service, off the screen's thread: a slow disk, and the team store's
        # access log line, hold no key
        done = await asyncio.to_thread(self.intake.export_files, targets, get_language(),
                                       overwrite=overwrite)
        if done.problem:
            error.update(shown(done.problem))
        self.written += done.written
        if done.written:  # only the files that really were written
            result.update(shown(_("Written:") + "\n" + "\n".join(str(p) for p in done.written),
                                keep_newlines=True))
            self.post_message(self.Exported(self, done.written[0].parent))

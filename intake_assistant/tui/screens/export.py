"""Export: the draft as JSON (format v1) and the pre-check as a Markdown report."""

from __future__ import annotations

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

from intake_assistant.i18n import N_, _, get_language, render
from intake_assistant.reports import KINDS, Subject, provenance_path, slug
from intake_assistant.storage import write_new_file, write_problem
from intake_assistant.tui.screens.base import LocalizedBindings
from intake_assistant.tui.screens.modals import ConfirmScreen
from intake_assistant.tui.widgets.button import Button
from intake_assistant.tui.widgets.safe import shown

if TYPE_CHECKING:
    from intake_assistant.flow.session import IntakeSession


def exported_texts(session: IntakeSession) -> dict[str, str]:
    """What the export writes of ``session``, by output kind (``reports.KINDS``)."""
    subject = Subject.of_intake(session, get_language())
    return {name: KINDS[name].render(subject).decode("utf-8")
            for name in ("json", "md", "provenance")}


class ExportScreen(LocalizedBindings, ModalScreen[list[Path]]):
    """Ask where to write; never overwrite a file without asking; show what was written."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", N_("Close"))]

    @dataclass
    class Exported(Message):
        """Files were written to ``folder`` (the next export proposes it)."""

        screen: ExportScreen
        folder: Path
        #: How many files were written (the draft, its provenance, the report).
        files: int = 0

        @property
        def control(self) -> ExportScreen:
            return self.screen

    def __init__(self, session: IntakeSession, intake_id: str, folder: Path) -> None:
        super().__init__()
        self.session = session
        draft = session.draft
        base, language = slug(draft.project.title if draft.project else None), get_language()
        self.default_json = folder / KINDS["json"].file_name(base, language)
        self.default_md = folder / KINDS["md"].file_name(base, language)
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
        texts = exported_texts(self.session)
        targets = [
            (Path(self.query_one("#json-path", Input).value.strip()).expanduser(), texts["json"]),
            (Path(self.query_one("#md-path", Input).value.strip()).expanduser(), texts["md"]),
        ]
        if any(not str(p) or str(p) == "." for p, _text in targets):
            error.update(_("Give a path for both files."))
            return
        # who gave each answer, beside the draft (the import reads it back)
        targets.append((provenance_path(targets[0][0]), texts["provenance"]))
        existing = [p for p, _text in targets if p.exists()]
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
        written = []
        try:
            for path, text in targets:
                written.append(write_new_file(path, text, overwrite=overwrite))
        except OSError as exc:  # full, read-only, a link or a folder: the old file stays
            failed = exc.filename or next((str(p) for p, _t in targets
                                           if p.resolve() not in written), "")
            problem = _("Could not write {path}: {error}", path=str(failed),
                        error=render(write_problem(exc)))
            if not written:
                problem = _("Nothing was written. {problem}", problem=problem)
            error.update(shown(problem))
        self.written += written
        if written:  # only the files that really were written
            result.update(shown(
                _("Written:") + "\n" + "\n".join(str(p) for p in written), keep_newlines=True))
            self.post_message(self.Exported(self, written[0].parent, len(written)))

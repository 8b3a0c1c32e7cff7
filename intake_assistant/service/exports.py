"""What an open intake is exported as: a kind of ``reports.KINDS`` made of its session, for the
terminal's export (files in a folder, ``OpenIntake.export_files``) and the browser's downloads
(``OpenIntake.export``); ``report`` uses the same table for drafts read from files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from intake_assistant.reports import KINDS, Subject, provenance_path, slug

if TYPE_CHECKING:
    from intake_assistant.flow.session import IntakeSession


@dataclass(frozen=True, slots=True)
class Output:
    """One export, made: its file name, its content and its media type."""

    name: str
    data: bytes
    media_type: str


@dataclass(frozen=True, slots=True)
class FilesWritten:
    """What an export to files wrote: the files written, in order (resolved), and why the
    others were not, in the user's language (None: all were)."""

    written: list[Path]
    problem: str | None = None


def make_output(session: IntakeSession, kind: str, language: str) -> Output:
    """The export ``kind`` of ``session`` (``KeyError`` for an unknown kind; ``pdf`` raises
    ``reports.pdf.PdfUnavailable`` when this machine cannot make PDFs)."""
    output = KINDS[kind]
    data = output.render(Subject.of_intake(session, language))
    return Output(file_name(session, kind, language), data, output.media_type)


def file_name(session: IntakeSession, kind: str, language: str) -> str:
    """The name the export ``kind`` of ``session`` is proposed under (by its project)."""
    base = slug(session.draft.project.title if session.draft.project else None)
    return KINDS[kind].file_name(base, language)


def draft_and_report(draft: Path, report: Path) -> list[tuple[str, Path]]:
    """The files of an export to a folder, by kind: the draft, the pre-check report, and who
    gave the answers beside the draft (an import of the draft reads it back)."""
    return [("json", draft), ("md", report), ("provenance", provenance_path(draft))]

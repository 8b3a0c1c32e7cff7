"""What an open intake is exported as: a kind of ``reports.KINDS`` made of its session, for the
terminal's export (files in a folder) and the browser's downloads; ``report`` uses the same
table for drafts read from files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from intake_assistant.reports import KINDS, Subject, slug

if TYPE_CHECKING:
    from intake_assistant.flow.session import IntakeSession


@dataclass(frozen=True, slots=True)
class Output:
    """One export, made: its file name, its content and its media type."""

    name: str
    data: bytes
    media_type: str


def make_output(session: IntakeSession, kind: str, language: str) -> Output:
    """The export ``kind`` of ``session`` (``KeyError`` for an unknown kind; ``pdf`` raises
    ``reports.pdf.PdfUnavailable`` when this machine cannot make PDFs)."""
    output = KINDS[kind]
    data = output.render(Subject.of_intake(session, language))
    base = slug(session.draft.project.title if session.draft.project else None)
    return Output(output.file_name(base, language), data, output.media_type)

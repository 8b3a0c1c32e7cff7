"""What an open intake is exported as: one table of output kinds (renderer, suffix, media type,
file name), for the terminal's export (files in a folder) and the browser's downloads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from intake_assistant.flow.session import IntakeSession


def slug(title: str | None) -> str:
    text = re.sub(r"[^A-Za-z0-9]+", "-", (title or "").strip()).strip("-").lower()
    return text[:40] or "intake"


def draft_json(session: IntakeSession) -> str:
    return json.dumps(session.draft.to_json_dict(), ensure_ascii=False, indent=2) + "\n"


def provenance_path(draft_path: Path) -> Path:
    """The side file of a draft: ``<name>.provenance.json`` beside ``<name>.json``."""
    stem = draft_path.name[:-len(".json")] if draft_path.name.endswith(".json") else (
        draft_path.name)
    return draft_path.with_name(f"{stem}.provenance.json")


def provenance_json(session: IntakeSession) -> str:
    """Who gave each answer and when (the draft JSON stays format v1 and holds none of it)."""
    return json.dumps(session.provenance_document(), ensure_ascii=False, indent=2) + "\n"


def report_markdown(session: IntakeSession, language: str) -> str:
    from intake_assistant.report import markdown_report

    return markdown_report(session.report, session.draft, language)


def _report_html(session: IntakeSession, language: str) -> str:
    from intake_assistant.report_html import html_report

    return html_report(session.report, session.draft, language)


def _report_pdf(session: IntakeSession, language: str) -> bytes:
    from intake_assistant.pdf import html_to_pdf

    return html_to_pdf(_report_html(session, language))


@dataclass(frozen=True, slots=True)
class OutputKind:
    """One kind of export: how it is made and what its file is called."""

    kind: str
    make: Callable[[IntakeSession, str], str | bytes]
    #: The file name's end after the project's slug (``{language}`` is filled in).
    name: str
    media_type: str

    def file_name(self, session: IntakeSession, language: str) -> str:
        base = slug(session.draft.project.title if session.draft.project else None)
        return base + self.name.format(language=language)


OUTPUT_KINDS: dict[str, OutputKind] = {kind.kind: kind for kind in (
    OutputKind("json", lambda session, _language: draft_json(session), "-draft.json",
               "application/json"),
    OutputKind("provenance", lambda session, _language: provenance_json(session),
               "-draft.provenance.json", "application/json"),
    OutputKind("md", report_markdown, "-precheck-{language}.md", "text/markdown"),
    OutputKind("html", _report_html, "-precheck-{language}.html", "text/html"),
    OutputKind("pdf", _report_pdf, "-precheck-{language}.pdf", "application/pdf"),
)}


@dataclass(frozen=True, slots=True)
class Output:
    """One export, made: its file name, its content and its media type."""

    name: str
    data: bytes
    media_type: str


def make_output(session: IntakeSession, kind: str, language: str) -> Output:
    """The export ``kind`` of ``session`` (``KeyError`` for an unknown kind; ``pdf`` raises
    ``PdfUnavailable`` when this machine cannot make PDFs)."""
    output = OUTPUT_KINDS[kind]
    made = output.make(session, language)
    data = made.encode() if isinstance(made, str) else made
    return Output(output.file_name(session, language), data, output.media_type)

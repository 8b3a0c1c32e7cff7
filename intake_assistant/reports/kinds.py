"""The output kinds of an intake: one table of what each is, how it is made and named.

The terminal's export, the browser's downloads and ``intake-assistant report`` all take a
kind from ``KINDS``: the same renderer, suffix, media type and file name for each. The draft
and its side file are named for the draft (``<base>-draft.json``,
``<base>-draft.provenance.json``), the reports for the pre-check in a language
(``<base>-precheck-<language>.md``); ``<base>`` is the project's title made a file name
(``slug``) or, for ``report``, the name of the draft file it read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from intake_assistant.models import DraftApplication
    from intake_assistant.rules.findings import Report


class CheckedIntake(Protocol):
    """What an output is made of when it comes from an intake (the flow's session)."""

    @property
    def report(self) -> Report: ...

    @property
    def draft(self) -> DraftApplication: ...

    def provenance_document(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class Subject:
    """A checked draft in a language, and (from an intake) who gave each answer."""

    report: Report
    draft: DraftApplication
    language: str
    provenance: Mapping[str, Any] | None = None

    @classmethod
    def of_intake(cls, intake: CheckedIntake, language: str) -> Subject:
        return cls(intake.report, intake.draft, language, intake.provenance_document())

    @property
    def title(self) -> str | None:
        return self.draft.project.title if self.draft.project else None


@dataclass(frozen=True, slots=True)
class OutputKind:
    name: str  # "json", "provenance", "md", "html", "pdf"
    suffix: str
    media_type: str
    #: A report of the pre-check (named with its language), not the draft or its side file.
    is_report: bool
    renderer: Callable[[Subject], bytes]

    def file_name(self, base: str, language: str) -> str:
        if self.is_report:
            return f"{base}-precheck-{language}{self.suffix}"
        return f"{base}-draft{self.suffix}"

    def render(self, subject: Subject) -> bytes:
        """The content of the file; ``reports.pdf.PdfUnavailable`` when a PDF cannot be made."""
        return self.renderer(subject)


def slug(title: str | None) -> str:
    """A project title as the start of a file name (``intake`` when there is none)."""
    text = re.sub(r"[^A-Za-z0-9]+", "-", (title or "").strip()).strip("-").lower()
    return text[:40] or "intake"


def provenance_path(draft_path: Path) -> Path:
    """The side file of a draft: ``<name>.provenance.json`` beside ``<name>.json``."""
    stem = draft_path.name[:-len(".json")] if draft_path.name.endswith(".json") else (
        draft_path.name)
    return draft_path.with_name(f"{stem}.provenance.json")


def _json_file(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _draft(subject: Subject) -> bytes:
    """The draft application, format v1 (byte for byte the same with or without provenance)."""
    return _json_file(subject.draft.to_json_dict())


def _provenance(subject: Subject) -> bytes:
    """Who gave each answer and when (the draft JSON holds none of it)."""
    if subject.provenance is None:
        raise ValueError("a draft read from a file has no provenance of its answers")
    return _json_file(subject.provenance)


def _markdown(subject: Subject) -> bytes:
    from intake_assistant.reports.markdown import markdown_report

    return markdown_report(subject.report, subject.draft, subject.language).encode("utf-8")


def _html_text(subject: Subject) -> str:
    from intake_assistant.reports.html import html_report

    return html_report(subject.report, subject.draft, subject.language)


def _html(subject: Subject) -> bytes:
    return _html_text(subject).encode("utf-8")


def _pdf(subject: Subject) -> bytes:
    from intake_assistant.reports.pdf import html_to_pdf

    return html_to_pdf(_html_text(subject))


KINDS: Mapping[str, OutputKind] = {kind.name: kind for kind in (
    OutputKind("json", ".json", "application/json", False, _draft),
    OutputKind("provenance", ".provenance.json", "application/json", False, _provenance),
    OutputKind("md", ".md", "text/markdown", True, _markdown),
    OutputKind("html", ".html", "text/html", True, _html),
    OutputKind("pdf", ".pdf", "application/pdf", True, _pdf),
)}
#: The kinds that are a report of the pre-check (``intake-assistant report --format``).
REPORT_KINDS: tuple[str, ...] = tuple(name for name, kind in KINDS.items() if kind.is_report)

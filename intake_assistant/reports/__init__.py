"""What an intake gives out: the draft, who answered it, and the pre-check report; no textual.

Rooms: ``kinds`` (the one table of output kinds: renderer, suffix, media type, file name),
``wording`` (the pre-check in words, shared by the summary screen and every report),
``markdown``, ``html`` (a self-contained, inert page) and ``pdf`` (that page printed by
Chromium or WeasyPrint). The renderers are imported when a kind is rendered, not with this
package.
"""

from intake_assistant.reports.kinds import (
    KINDS,
    REPORT_KINDS,
    OutputKind,
    Subject,
    provenance_path,
    slug,
)

__all__ = ["KINDS", "REPORT_KINDS", "OutputKind", "Subject", "provenance_path", "slug"]

"""The saved intakes as a list: filter and sort them, word their last change.

Shared by the start screen's resume list and ``intake-assistant list``; light to import (no
textual, no models, no babel), because the start screen uses it before its first paint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from intake_assistant.i18n import N_, get_language
from intake_assistant.status_words import VERDICT_WORDS
from intake_assistant.storage.saves import IntakeHeader

#: The columns the list sorts by, with the direction each starts in (the newest first).
SORT_KEYS: tuple[str, ...] = ("updated", "title", "verdict", "participants")
SORT_NAMES: dict[str, str] = {
    "updated": N_("last change"),
    "title": N_("project"),
    "verdict": N_("pre-check"),
    "participants": N_("participants"),
}
#: The verdicts a list can be filtered by ("" = every verdict).
VERDICT_FILTERS: tuple[str, ...] = ("", *VERDICT_WORDS)
#: How recent the last change is ("" = any time), in days.
CHANGED_FILTERS: dict[str, tuple[int, int | None] | None] = {
    "": None,
    "today": (0, 0),
    "week": (0, 6),
    "month": (0, 29),
    "older": (30, None),
}
CHANGED_NAMES: dict[str, str] = {
    "": N_("changed any time"),
    "today": N_("changed today"),
    "week": N_("in the last 7 days"),
    "month": N_("in the last 30 days"),
    "older": N_("more than 30 days ago"),
}
# Verdicts in the order a list sorted by them shows (the ones to act on first).
_VERDICT_ORDER = {"not_eligible": 0, "incomplete": 1, "eligible": 2}


def parse_updated(iso: str) -> dt.datetime | None:
    """A save's last change as an aware datetime (None when it is not a readable time)."""
    try:
        when = dt.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo is not None else when.astimezone()


def format_updated(iso: str, *, short: bool = False) -> str:
    """The last change as saved (local time then), written as the questions write dates;
    ``short``: without the year when it is this year's (a narrow list).

    (Not through babel: its date module costs more startup time than the whole list.)
    """
    try:
        when = dt.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso
    this_year = short and when.year == dt.date.today().year
    if get_language() == "nl":
        pattern = "%d-%m %H:%M" if this_year else "%d-%m-%Y %H:%M"
    else:
        pattern = "%m-%d %H:%M" if this_year else "%Y-%m-%d %H:%M"
    return when.strftime(pattern)


@dataclass(frozen=True, slots=True)
class ListFilter:
    """What the list shows: words to find, a verdict, how recent the last change is."""

    needle: str = ""
    verdict: str = ""
    changed: str = ""

    def matches(self, header: IntakeHeader, today: dt.date | None = None) -> bool:
        meta = header.meta
        if self.verdict and meta.verdict != self.verdict:
            return False
        period = CHANGED_FILTERS.get(self.changed)
        if period is not None:
            when = parse_updated(meta.updated)
            if when is None:
                return False
            age = ((today or dt.date.today()) - when.astimezone().date()).days
            least, most = period
            if age < least or (most is not None and age > most):
                return False
        if self.needle:
            haystack = " ".join((meta.title, *meta.participants, header.id)).casefold()
            return all(word in haystack for word in self.needle.casefold().split())
        return True


def sort_key(header: IntakeHeader, key: str) -> tuple:
    meta = header.meta
    if key == "title":
        return (meta.title.casefold(), header.id)
    if key == "verdict":
        return (_VERDICT_ORDER.get(meta.verdict or "", 3), meta.title.casefold(), header.id)
    if key == "participants":
        return (", ".join(meta.participants).casefold(), meta.title.casefold(), header.id)
    when = parse_updated(meta.updated)
    return (when.timestamp() if when else float("-inf"), header.id)


def arranged(headers: Iterable[IntakeHeader], list_filter: ListFilter, key: str = "updated",
             reverse: bool = False, today: dt.date | None = None) -> list[IntakeHeader]:
    """The intakes ``list_filter`` lets through, sorted by ``key``.

    Each key has its natural direction (the last change newest first, the rest A to Z, the
    verdicts not eligible first); ``reverse`` turns it round.
    """
    newest_first = key == "updated"
    shown = [h for h in headers if list_filter.matches(h, today)]
    return sorted(shown, key=lambda h: sort_key(h, key), reverse=newest_first != reverse)


def short_id(intake_id: str) -> str:
    """The end of an intake's id: what tells apart two intakes with the same title."""
    return intake_id[-6:]


def duplicate_titles(headers: Sequence[IntakeHeader]) -> set[str]:
    """Titles that more than one intake has (case and spaces ignored)."""
    seen: set[str] = set()
    doubled: set[str] = set()
    for header in headers:
        title = " ".join(header.meta.title.casefold().split())
        (doubled if title in seen else seen).add(title)
    return doubled

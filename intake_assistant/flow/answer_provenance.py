"""Who gave each answer, when, and the advisor's note on it (herkomst van de antwoorden).

An accepted answer gets a ``Provenance``: who was at the keyboard (the intake's mode,
``entrepreneur`` or ``advisor``; ``imported`` for an answer read from a draft without a
provenance file), when (ISO 8601 with the local offset) and, optionally, an advisor's short
note. Records are language-neutral; ``describe`` words them in a language, with babel's
date and time formats. Everything read back (a save, a side file) is held to the bounds
here: a record that is not one is left out, never trusted.

The export's side file (``<name>.provenance.json``) is ``side_file_document``; the draft
JSON itself stays format v1 and never holds provenance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from intake_assistant.i18n import N_, Message, translator

ENTREPRENEUR = "entrepreneur"
ADVISOR = "advisor"
IMPORTED = "imported"
#: An answer of a save made before provenance was recorded (save format 1) that got a note.
UNKNOWN = "unknown"
MODES = (ENTREPRENEUR, ADVISOR)
SOURCES = (ENTREPRENEUR, ADVISOR, IMPORTED, UNKNOWN)
SOURCE_WORDS = {ENTREPRENEUR: N_("entrepreneur"), ADVISOR: N_("advisor"),
                IMPORTED: N_("imported"), UNKNOWN: N_("who and when not recorded")}

#: An advisor's note is a remark, not a report: at most this many characters.
MAX_NOTE_CHARS = 280
#: An advisor's name as the team store has it (team_admin.MAX_NAME).
MAX_NAME_CHARS = 200
#: An ISO 8601 time with offset is 25 characters; anything much longer is not one.
_MAX_TIME_CHARS = 40
#: More records than answers an intake can hold are not read (the flow's bounds are far lower).
MAX_RECORDS = 20_000

SIDE_FILE_FORMAT = "intake-assistant-provenance"
SIDE_FILE_VERSION = 1
#: A side file is a few kilobytes; a larger one is not read.
MAX_SIDE_FILE_BYTES = 2_000_000


def now() -> dt.datetime:
    """The time an answer is given: local time with its offset, to the second."""
    return dt.datetime.now().astimezone().replace(microsecond=0)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Who gave an answer (``SOURCES``), when (ISO 8601) and the advisor's note, if any."""

    by: str
    at: str
    note: str | None = None
    #: The advisor by name, where a team store knows whose terminal it is (a person, not
    #: only a role): the one who answered (``by`` advisor) or with whom the entrepreneur
    #: answered; None elsewhere.
    name: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"by": self.by, "at": self.at}
        if self.note:
            data["note"] = self.note
        if self.name:
            data["name"] = self.name
        return data

    def with_note(self, note: str | None) -> Provenance:
        return replace(self, note=note or None)


def record(by: str, when: dt.datetime | None = None, name: str | None = None) -> Provenance:
    return Provenance(by, (when or now()).isoformat(timespec="seconds"), name=name or None)


def parse_record(data: Any) -> Provenance | None:
    """A record read from a save or a side file; None when it is not a valid one."""
    if not isinstance(data, dict):
        return None
    by, at, note = data.get("by"), data.get("at"), data.get("note")
    if by not in SOURCES or not isinstance(at, str) or len(at) > _MAX_TIME_CHARS:
        return None
    try:
        when = dt.datetime.fromisoformat(at)
    except ValueError:
        return None
    if when.tzinfo is None:
        return None
    if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE_CHARS):
        return None
    name = data.get("name")
    if name is not None and (not isinstance(name, str) or len(name) > MAX_NAME_CHARS):
        return None
    return Provenance(by, at, note or None, name or None)


def parse_records(data: Any, keys: set[str]) -> dict[str, Provenance]:
    """The valid records of ``data`` (key -> record) for the answers in ``keys``."""
    if not isinstance(data, dict) or len(data) > MAX_RECORDS:
        return {}
    out = {}
    for key, value in data.items():
        if isinstance(key, str) and key in keys:
            parsed = parse_record(value)
            if parsed is not None:
                out[key] = parsed
    return out


def check_note(text: str) -> str | None:
    """The note to keep (stripped; None to remove it), or ``NoteError`` saying why not."""
    note = text.strip()
    if len(note) > MAX_NOTE_CHARS:
        raise NoteError(Message("A note has at most {limit} characters; this one has {count}.",
                                limit=str(MAX_NOTE_CHARS), count=str(len(note))))
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in note):
        raise NoteError(Message("A note is one line of text, without control characters."))
    return note or None


class NoteError(ValueError):
    def __init__(self, message: Message) -> None:
        super().__init__(message.msgid)
        self.message = message


def describe(entry: Provenance, language: str) -> str:
    """``adviseur, 24-11-2026 14:02``: who and when, in ``language`` (babel's formats)."""
    from babel.dates import format_date, format_time

    tr = translator(language)
    if entry.by == UNKNOWN:
        return tr.gettext(SOURCE_WORDS[UNKNOWN])
    when = dt.datetime.fromisoformat(entry.at)  # the time as the person giving it saw it
    locale = {"nl": "nl_NL", "en": "en_US"}[language]
    # The date as the questions write it (dd-MM-yyyy / yyyy-MM-dd), the time as babel's.
    pattern = "dd-MM-yyyy" if language == "nl" else "yyyy-MM-dd"
    stamp = (f"{format_date(when, format=pattern, locale=locale)} "
             f"{format_time(when, format='short', locale=locale)}")
    if entry.name and entry.by == ADVISOR:
        return tr("{name} ({who}), {when}", name=entry.name,
                  who=tr.gettext(SOURCE_WORDS[entry.by]), when=stamp)
    if entry.name and entry.by == ENTREPRENEUR:
        return tr("entrepreneur with {name}, {when}", name=entry.name, when=stamp)
    return tr("{who}, {when}", who=tr.gettext(SOURCE_WORDS[entry.by]), when=stamp)


def side_file_document(records: dict[str, Provenance], ruleset: str,
                       labels: dict[str, str]) -> dict[str, Any]:
    """The export's ``<name>.provenance.json``: one entry per answer of the draft."""
    return {
        "format": SIDE_FILE_FORMAT,
        "format_version": SIDE_FILE_VERSION,
        "ruleset": ruleset,
        "answers": [{"key": key, "question": labels.get(key, ""), **entry.to_json()}
                    for key, entry in records.items()],
    }


def parse_side_file(data: Any, keys: set[str]) -> dict[str, Provenance]:
    """The records of a side file for the answers in ``keys``; ``ValueError`` when it is not
    a provenance file of a known version."""
    if (not isinstance(data, dict) or data.get("format") != SIDE_FILE_FORMAT
            or data.get("format_version") != SIDE_FILE_VERSION
            or not isinstance(data.get("answers"), list)
            or len(data["answers"]) > MAX_RECORDS):
        raise ValueError(N_("not a provenance file of a known version"))
    by_key = {entry["key"]: entry for entry in data["answers"]
              if isinstance(entry, dict) and isinstance(entry.get("key"), str)}
    return parse_records(by_key, keys)

"""One saved intake: its file format, its revision, the folder's lock, damaged saves.

One JSON file per intake (``intakes/<id>.json``) holds the session state (whatever the
session's ``to_state_dict`` gives) and the metadata the resume list shows: project title,
participant names, last change, verdict, language. Each save carries a revision: a window
that saves over a revision it did not read (another window on the same data folder saved
meanwhile) gets ``SaveConflictError`` instead of silently overwriting the other window's
answers; one writer at a time holds the folder's lock (``.intakes.lock``) between the
revision check and the rename.

A save file that cannot be read is renamed aside (``<name>.damaged-<timestamp>``) and
reported; it is never deleted. A save made by a newer version is left where it is (that
version still reads it) and reported. Saves are bounded (``MAX_SAVE_BYTES``) before they are
parsed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intake_assistant.i18n import LANGUAGES, Message
from intake_assistant.storage import files
from intake_assistant.storage.files import FILE_MODE, NotRegularFileError, TooLargeError

SAVE_FORMAT = "intake-assistant-save"
SAVE_VERSION = 1
LOCK_FILE = ".intakes.lock"

#: A save is a few kilobytes (a six-partner intake with every cost line: ~100 kB); anything
#: this large is not one and is not parsed.
MAX_SAVE_BYTES = 5_000_000
#: At most this many participant names are kept in a save's metadata (the list shows them).
MAX_META_NAMES = 50
MAX_META_TEXT = 500


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class IntakeMeta:
    """What the resume list shows about a saved intake."""

    title: str = ""
    participants: tuple[str, ...] = ()
    updated: str = ""  # ISO 8601 with offset
    verdict: str | None = None  # eligible | not_eligible | incomplete
    language: str | None = None
    state: str | None = None  # where the session stands: a question key, review, summary

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "participants": list(self.participants),
            "updated": self.updated,
            "verdict": self.verdict,
            "language": self.language,
            "state": self.state,
        }

    @classmethod
    def from_json(cls, data: Any) -> IntakeMeta:
        if not isinstance(data, dict):
            raise ValueError("metadata is not an object")
        participants = data.get("participants") or []
        if not isinstance(participants, list):
            raise ValueError("participants is not a list")
        return cls(
            title=str(data.get("title") or "")[:MAX_META_TEXT],
            participants=tuple(str(p)[:MAX_META_TEXT]
                               for p in participants[:MAX_META_NAMES] if p),
            updated=str(data.get("updated") or ""),
            verdict=data.get("verdict") if isinstance(data.get("verdict"), str) else None,
            language=data.get("language") if data.get("language") in LANGUAGES else None,
            state=data.get("state") if isinstance(data.get("state"), str) else None,
        )


@dataclass(frozen=True, slots=True)
class SavedIntake:
    id: str
    path: Path
    meta: IntakeMeta
    state: dict[str, Any]
    revision: int = 0


@dataclass(frozen=True, slots=True)
class IntakeHeader:
    """A saved intake as the resume list knows it: its metadata, not its session state."""

    id: str
    path: Path
    meta: IntakeMeta
    revision: int = 0
    #: In a team store: the advisor the intake belongs to and the one who saved it last
    #: (None: a data folder's, or nobody known).
    belongs_to: str | None = None
    changed_by: str | None = None


@dataclass(frozen=True, slots=True)
class NewerSave:
    """A save written by a newer version of the program: left in place, not read."""

    path: Path
    version: int

    def message(self) -> Message:
        return Message("The saved intake {name} was made by a newer version of "
                       "intake-assistant; it is left as it is. Open it with that version.",
                       name=self.path.name)


class NewerSaveError(Exception):
    def __init__(self, newer: NewerSave) -> None:
        super().__init__(str(newer.path))
        self.newer = newer


class SaveConflictError(Exception):
    """The intake was saved by another window since this one read or saved it."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


@dataclass(frozen=True, slots=True)
class DamagedSave:
    """A save file that could not be read, and where it was put aside."""

    original: Path
    moved_to: Path | None  # None when it could not even be renamed (or was not to be)
    reason: Message
    left_in_place: bool = False  # only reported (``intake-assistant list`` changes nothing)

    def message(self) -> Message:
        if self.left_in_place:
            return Message("The saved intake {name} cannot be read ({reason}); it is left as "
                           "it is.", name=self.original.name, reason=self.reason)
        if self.moved_to is None:
            return Message(
                "The saved intake {name} is damaged and could not be moved aside ({reason}).",
                name=self.original.name,
                reason=self.reason,
            )
        return Message(
            "The saved intake {name} is damaged ({reason}). It was set aside as {moved}; "
            "nothing was deleted.",
            name=self.original.name,
            reason=self.reason,
            moved=str(self.moved_to),
        )


class DamagedSaveError(Exception):
    def __init__(self, damaged: DamagedSave) -> None:
        super().__init__(damaged.reason.msgid)
        self.damaged = damaged


def set_aside(path: Path, reason: Message) -> DamagedSave:
    """Rename a damaged file to ``<name>.damaged-<timestamp>``; never delete it."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while os.path.lexists(target):
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    try:
        os.replace(path, target)
    except OSError:
        return DamagedSave(original=path, moved_to=None, reason=reason)
    return DamagedSave(original=path, moved_to=target, reason=reason)


def read_save(path: Path, *, set_aside_damaged: bool = True) -> SavedIntake:
    """Read one save; a damaged one raises ``DamagedSaveError`` (set aside first, unless
    ``set_aside_damaged`` is false: then it is only reported); a newer version's raises
    ``NewerSaveError`` and stays; a missing one ``FileNotFoundError``."""
    def damaged(reason: Message) -> DamagedSaveError:
        if set_aside_damaged:
            return DamagedSaveError(set_aside(path, reason))
        return DamagedSaveError(DamagedSave(original=path, moved_to=None, reason=reason,
                                            left_in_place=True))

    try:
        raw = files.read_bounded(path, MAX_SAVE_BYTES).decode("utf-8")
    except FileNotFoundError:
        raise
    except TooLargeError as exc:
        raise damaged(Message(
            "too large for a save ({size} bytes; at most {limit})", size=str(exc.size),
            limit=str(exc.limit))) from exc
    except NotRegularFileError as exc:
        raise damaged(Message("not a regular file")) from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise damaged(Message("not a regular file")) from exc
        raise damaged(Message("unreadable: {detail}", detail=str(exc))) from exc
    except UnicodeDecodeError as exc:
        raise damaged(Message("unreadable: {detail}", detail=str(exc))) from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        from intake_assistant.loading import json_error  # only for a damaged save

        raise damaged(json_error(exc)) from exc
    except RecursionError as exc:
        raise damaged(Message("nested too deeply to be a save")) from exc
    version = data.get("version") if isinstance(data, dict) else None
    if (isinstance(data, dict) and data.get("format") == SAVE_FORMAT
            and type(version) is int and version > SAVE_VERSION):
        raise NewerSaveError(NewerSave(path, version))
    reason = _problem(data)
    if reason is None:
        try:
            meta = IntakeMeta.from_json(data["meta"])
        except ValueError:
            reason = Message("the metadata is damaged")
    if reason is not None:
        raise damaged(reason)
    revision = data.get("revision")
    return SavedIntake(id=path.stem, path=path, meta=meta, state=data["state"],
                       revision=revision if type(revision) is int and revision >= 0 else 0)


def revision_on_disk(path: Path) -> int:
    """The revision of the save at ``path``; 0 when there is none (or it is unreadable)."""
    try:
        data = json.loads(files.read_bounded(path, MAX_SAVE_BYTES))
    except (OSError, ValueError, RecursionError):
        return 0
    value = data.get("revision") if isinstance(data, dict) else None
    return value if type(value) is int and value >= 0 else 0


def save_text(intake_id: str, revision: int, state: dict[str, Any], meta: IntakeMeta) -> str:
    """The file of one save at ``revision``."""
    payload = {
        "format": SAVE_FORMAT,
        "version": SAVE_VERSION,
        "id": intake_id,
        "revision": revision,
        "meta": meta.to_json(),
        "state": state,
    }
    # without indent: the C encoder (indented, json is pure Python: ~10x slower, on every
    # answer of a long intake)
    return json.dumps(payload, ensure_ascii=False, default=str)


@contextlib.contextmanager
def folder_lock(root: Path) -> Iterator[None]:
    """One writer at a time in the data folder ``root`` (between the revision check and
    the rename). A link or a special file where the lock file should be is refused
    (``OSError``), never followed: the save fails and says so."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: the revision check alone
        yield
        return
    try:
        fd = files.open_regular(root / LOCK_FILE, os.O_RDWR | os.O_CREAT, FILE_MODE)
    except NotRegularFileError:
        raise
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise
        yield  # a read-only folder: the write itself will say so
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _problem(data: Any) -> Message | None:
    if not isinstance(data, dict):
        return Message("not a JSON object")
    if data.get("format") != SAVE_FORMAT:
        return Message("not an intake save file")
    version = data.get("version")
    if type(version) is not int or version != SAVE_VERSION:  # true and 1.0 are not versions
        return Message("unknown save version {version}", version=str(data.get("version")))
    if not isinstance(data.get("state"), dict):
        return Message("the session state is missing")
    if "meta" not in data:
        return Message("the metadata is missing")
    return None

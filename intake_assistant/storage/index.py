"""The resume list's index: every save's metadata without reading every save.

The index (``intakes-index.json``) holds each save's metadata with the size, modification
time and inode of the file it was taken from (every save is a new file). A save that differs
from its entry (changed since, by this or another window or version) is read in full and the
index rewritten. The index is only a cache: unreadable, it is rebuilt; a link or a special
file in its place is reported and left alone (the saves are then read in full each time).
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from intake_assistant.i18n import Message
from intake_assistant.storage import files
from intake_assistant.storage.files import NotRegularFileError
from intake_assistant.storage.saves import (
    DamagedSave,
    DamagedSaveError,
    IntakeHeader,
    IntakeMeta,
    NewerSave,
    NewerSaveError,
    read_save,
)

INDEX_FILE = "intakes-index.json"
INDEX_FORMAT = "intake-assistant-index"
INDEX_VERSION = 1
#: The index of an advisor's many years of intakes stays far below this (~400 bytes each).
MAX_INDEX_BYTES = 20_000_000


@dataclass(frozen=True, slots=True)
class RefusedPath:
    """A link or a special file where a file or folder of the data folder should be: left
    as it is, neither read nor written through."""

    path: Path

    def message(self) -> Message:
        return Message("{path} is a symbolic link or a special file; intake-assistant neither "
                       "reads nor writes through it and leaves it as it is.", path=str(self.path))


@dataclass(slots=True)
class HeaderList:
    intakes: list[IntakeHeader] = field(default_factory=list)
    damaged: list[DamagedSave] = field(default_factory=list)
    newer: list[NewerSave] = field(default_factory=list)
    refused: list[RefusedPath] = field(default_factory=list)

    def problems(self) -> list[Message]:
        """What the list could not show, each in words for the user."""
        return [item.message() for item in (*self.refused, *self.damaged, *self.newer)]


def is_refusal(exc: OSError) -> bool:
    """Whether ``exc`` is a link or a special file refused (not a missing or unreadable one)."""
    return isinstance(exc, NotRegularFileError) or exc.errno == errno.ELOOP


def list_headers(intakes_dir: Path, index_path: Path, *, set_aside: bool = True) -> HeaderList:
    """What the resume list shows of every readable save in ``intakes_dir``, newest first.

    Only the saves that changed since the index was written are read in full (and the index
    is rewritten). Damaged saves are set aside (with ``set_aside``; otherwise left where they
    are) and listed, those of a newer version listed and left in place. A link or a special
    file for the folder or the index is listed as refused.
    """
    result = HeaderList()
    try:
        if not files.check_own_folder(intakes_dir):
            return result
    except OSError as exc:
        if not is_refusal(exc):
            raise
        result.refused.append(RefusedPath(intakes_dir))
        return result
    try:
        index: dict[str, dict[str, Any]] | None = read_index(index_path)
    except OSError:
        result.refused.append(RefusedPath(index_path))
        index = None
    fresh: dict[str, dict[str, Any]] = {}
    for path in sorted(intakes_dir.glob("*.json")):
        intake_id = path.stem
        try:
            info = os.lstat(path)
            entry = (index or {}).get(intake_id)
            if (entry is not None and stat.S_ISREG(info.st_mode)
                    and entry["mtime_ns"] == info.st_mtime_ns
                    and entry["size"] == info.st_size and entry["inode"] == info.st_ino):
                header = IntakeHeader(intake_id, path, entry["meta"], entry["revision"])
            else:  # new or changed since the index: read it (stat first: a later write
                # gives another time, so the entry can only be older than the file)
                saved = read_save(path, set_aside_damaged=set_aside)
                header = IntakeHeader(intake_id, path, saved.meta, saved.revision)
        except DamagedSaveError as exc:
            result.damaged.append(exc.damaged)
            continue
        except NewerSaveError as exc:
            result.newer.append(exc.newer)
            continue
        except FileNotFoundError:  # removed meanwhile (another window)
            continue
        result.intakes.append(header)
        fresh[intake_id] = {"mtime_ns": info.st_mtime_ns, "size": info.st_size,
                            "inode": info.st_ino, "revision": header.revision,
                            "meta": header.meta}
    if index is not None and fresh != index:
        write_index(index_path, fresh)
    result.intakes.sort(key=lambda h: _sort_time(h.meta.updated), reverse=True)
    return result


def read_index(path: Path) -> dict[str, dict[str, Any]]:
    """The index's entries that are well-formed; nothing when it is missing or damaged. A
    link or a special file there raises ``OSError`` (it is refused, not read)."""
    try:
        data = json.loads(files.read_bounded(path, MAX_INDEX_BYTES))
    except OSError as exc:
        if is_refusal(exc):
            raise
        return {}
    except (ValueError, RecursionError):
        return {}
    if (not isinstance(data, dict) or data.get("format") != INDEX_FORMAT
            or data.get("version") != INDEX_VERSION
            or not isinstance(data.get("intakes"), dict)):
        return {}
    entries: dict[str, dict[str, Any]] = {}
    for intake_id, entry in data["intakes"].items():
        try:
            if not isinstance(entry, dict) or not all(
                    type(entry.get(name)) is int and entry[name] >= 0
                    for name in ("mtime_ns", "size", "inode", "revision")):
                continue
            entries[intake_id] = {"mtime_ns": entry["mtime_ns"], "size": entry["size"],
                                  "inode": entry["inode"], "revision": entry["revision"],
                                  "meta": IntakeMeta.from_json(entry.get("meta"))}
        except ValueError:  # an entry that is not one: that save is read in full
            continue
    return entries


def write_index(path: Path, entries: dict[str, dict[str, Any]]) -> None:
    payload = {"format": INDEX_FORMAT, "version": INDEX_VERSION, "intakes": {
        intake_id: {**entry, "meta": entry["meta"].to_json()}
        for intake_id, entry in entries.items()}}
    try:  # only a cache: a read-only or full disk costs the next start a full read
        files.atomic_write(path, json.dumps(payload, ensure_ascii=False))
    except OSError:
        pass


def _sort_time(iso: str) -> float:
    """A save's last change as a number to sort by (unreadable times last)."""
    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return float("-inf")
    if when.tzinfo is None:
        when = when.astimezone()
    return when.timestamp()

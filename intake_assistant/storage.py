"""Saved intakes and remembered settings, in the user's data folder.

One JSON file per intake (``intakes/<id>.json``) holds the session state (whatever the
session's ``to_state_dict`` gives) and the metadata the resume list shows: project title,
participant names, last change, verdict, language. Every write goes to a temporary file in
the same folder that is then renamed over the old file (``os.replace``), so a crash or a
killed terminal leaves either the old or the new file, never half of one. Files are readable
by the user only (0600), folders 0700.

The resume list reads an index (``intakes-index.json``: each save's metadata with the size,
modification time and inode of the file it was taken from; every save is a new file) rather
than every save in full: a save that differs from its entry (changed since, by this or another
window or version) is read in full and the index rewritten. The index is only a cache:
unreadable, it is rebuilt.

A save file that cannot be read is renamed aside (``<name>.damaged-<timestamp>``) and
reported; it is never deleted. A save made by a newer version is left where it is (that
version still reads it) and reported. Saves are bounded (``MAX_SAVE_BYTES``) before they are
parsed. Each save carries a revision: a window that saves over a revision it did not read
(another window on the same data folder saved meanwhile) gets ``SaveConflictError`` instead
of silently overwriting the other window's answers. Temporary files of a killed save are
removed at the next start.

This module must not import textual: the core and the command line use it too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from intake_assistant.i18n import LANGUAGES, Message

APP_NAME = "intake-assistant"
SAVE_FORMAT = "intake-assistant-save"
SAVE_VERSION = 1
SETTINGS_FILE = "settings.json"
INTAKES_DIR = "intakes"
INDEX_FILE = "intakes-index.json"
INDEX_FORMAT = "intake-assistant-index"
INDEX_VERSION = 1

FILE_MODE = 0o600
DIR_MODE = 0o700

#: A save is a few kilobytes (a six-partner intake with every cost line: ~100 kB); anything
#: this large is not one and is not parsed.
MAX_SAVE_BYTES = 5_000_000
#: The index of an advisor's many years of intakes stays far below this (~400 bytes each).
MAX_INDEX_BYTES = 20_000_000
#: At most this many participant names are kept in a save's metadata (the list shows them).
MAX_META_NAMES = 50
#: A temporary file older than this is left over from a killed save, not one being written.
STALE_TEMP_SECONDS = 600
#: Earlier states kept per intake (``Settings.kept_states``): by default and at most.
DEFAULT_KEPT_STATES = 10
MAX_KEPT_STATES = 100
#: The earlier states of intake ``<id>`` are ``intakes/.history/<id>/<revision>.json``.
HISTORY_DIR = ".history"


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_export_dir(data_dir: Path | None = None) -> Path:
    """The user's documents folder when it exists, else ``exports`` in the data folder in use."""
    import platformdirs

    documents = Path(platformdirs.user_documents_dir())
    if documents.is_dir():
        return documents
    return (data_dir or default_data_dir()) / "exports"


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


def _ensure_dir(path: Path) -> None:
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    try:
        os.chmod(path, DIR_MODE)
    except OSError:  # a folder we do not own (a shared documents folder): leave it be
        pass


def write_problem(exc: OSError) -> Message:
    """Why a write failed, in words a user can act on (the OS's own text is English)."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return Message("the disk is full")
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return Message("the folder is read-only or may not be written to")
    if code == errno.EISDIR:
        return Message("the path is a folder, not a file")
    if code == errno.ELOOP:
        return Message("the path is a symbolic link; intake-assistant does not write through links")
    if code == errno.ENOENT:
        return Message("the folder does not exist")
    return Message("the file cannot be written ({reason})", reason=exc.strerror or str(exc))


def _refuse_link_or_folder(path: Path) -> None:
    if path.is_symlink():
        raise OSError(errno.ELOOP, "is a symbolic link", str(path))
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What tells one version of a file from another without reading it (another writer's
    save is a new file renamed into place: a new inode)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def atomic_write(path: Path, text: str, *, mode: int = FILE_MODE) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename; ``path`` is replaced.

    A symbolic link or a folder at ``path`` is refused (``OSError``), never replaced or
    written through; on any failure the old file is left as it was.
    """
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def atomic_write_bytes(path: Path, data: bytes, *, mode: int = FILE_MODE) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename (as ``atomic_write``)."""
    path = Path(path)
    _refuse_link_or_folder(path)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def write_new_file(path: Path, text: str, *, overwrite: bool = False) -> Path:
    """Export ``text`` to ``path``; refuse (``FileExistsError``) to replace a file unasked."""
    path = Path(path).expanduser()
    _refuse_link_or_folder(path)
    if path.exists() and not overwrite:
        raise FileExistsError(errno.EEXIST, "exists", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text)
    return path.resolve()


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


MAX_META_TEXT = 500


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


@dataclass(slots=True)
class HeaderList:
    intakes: list[IntakeHeader] = field(default_factory=list)
    damaged: list[DamagedSave] = field(default_factory=list)
    newer: list[NewerSave] = field(default_factory=list)


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


@dataclass(slots=True)
class IntakeList:
    intakes: list[SavedIntake] = field(default_factory=list)
    damaged: list[DamagedSave] = field(default_factory=list)
    newer: list[NewerSave] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Settings:
    language: str | None = None
    export_dir: str | None = None
    show_precheck: bool = True
    #: Who uses the intake on this computer: entrepreneur or advisor (answers record it).
    mode: str = "entrepreneur"
    #: How many earlier states of each intake are kept to compare with (1 to MAX_KEPT_STATES).
    kept_states: int = DEFAULT_KEPT_STATES

    def to_json(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "export_dir": self.export_dir,
            "show_precheck": self.show_precheck,
            "mode": self.mode,
            "kept_states": self.kept_states,
        }


class Storage:
    """The intake files and settings under one data folder (platformdirs unless given)."""

    def __init__(self, data_dir: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(data_dir).expanduser() if data_dir else default_data_dir()
        self.intakes_dir = self.root / INTAKES_DIR
        self.settings_path = self.root / SETTINGS_FILE
        #: The revision of each intake as this Storage last read or wrote it.
        self._revisions: dict[str, int] = {}
        #: (inode, size, mtime) of each intake's file as this Storage last wrote it: while the
        #: file is still that one, its revision is known without reading it again.
        self._written: dict[str, tuple[int, int, int]] = {}

    # -- folders -----------------------------------------------------------------------
    def ensure(self) -> None:
        _ensure_dir(self.root)
        _ensure_dir(self.intakes_dir)

    def path_of(self, intake_id: str) -> Path:
        if not intake_id or "/" in intake_id or "\\" in intake_id or intake_id.startswith("."):
            raise ValueError(f"bad intake id {intake_id!r}")
        return self.intakes_dir / f"{intake_id}.json"

    @staticmethod
    def new_id() -> str:
        import secrets  # here, not before the first screen (hashlib, hmac: ~4 ms)

        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        return f"{stamp}-{secrets.token_hex(3)}"

    # -- intakes -----------------------------------------------------------------------
    def save(self, intake_id: str, state: dict[str, Any], meta: IntakeMeta) -> Path:
        """Write one intake at once (temporary file + rename).

        When this Storage read or wrote the intake before and the file on disk now holds
        another revision, another writer (a second window on the same data folder) saved
        meanwhile: nothing is written and ``SaveConflictError`` is raised.
        """
        self.ensure()
        if not meta.updated:
            meta = replace(meta, updated=now_iso())
        path = self.path_of(intake_id)
        with self._locked():
            expected = self._revisions.get(intake_id)
            written = self._written.get(intake_id)
            on_disk = (expected if expected is not None and written is not None
                       and _stamp(path) == written else self._revision_on_disk(path))
            if expected is not None and on_disk != expected:
                raise SaveConflictError(path)
            payload = {
                "format": SAVE_FORMAT,
                "version": SAVE_VERSION,
                "id": intake_id,
                "revision": on_disk + 1,
                "meta": meta.to_json(),
                "state": state,
            }
            # without indent: the C encoder (indented, json is pure Python: ~10x slower,
            # on every answer of a long intake)
            atomic_write(path, json.dumps(payload, ensure_ascii=False, default=str))
            self._revisions[intake_id] = on_disk + 1
            stamp = _stamp(path)
            if stamp is None:
                self._written.pop(intake_id, None)
            else:
                self._written[intake_id] = stamp
        return path

    def forget(self, intake_id: str) -> None:
        """Stop checking the revision of ``intake_id`` (the window closed it)."""
        self._revisions.pop(intake_id, None)
        self._written.pop(intake_id, None)

    @staticmethod
    def _revision_on_disk(path: Path) -> int:
        """The revision of the save at ``path``; 0 when there is none (or it is unreadable)."""
        try:
            if path.stat().st_size > MAX_SAVE_BYTES:
                return 0
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return 0
        except (OSError, ValueError, RecursionError):
            return 0
        value = data.get("revision") if isinstance(data, dict) else None
        return value if type(value) is int and value >= 0 else 0

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time in this data folder (between the revision check and the rename)."""
        try:
            import fcntl
        except ImportError:  # not on POSIX: the revision check alone
            yield
            return
        try:
            fd = os.open(self.root / ".intakes.lock", os.O_RDWR | os.O_CREAT, FILE_MODE)
        except OSError:  # a read-only folder: the write itself will say so
            yield
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def remove_stale_temp_files(self, max_age: float = STALE_TEMP_SECONDS) -> list[Path]:
        """Delete the temporary files of saves that were killed mid-write; returns them."""
        removed: list[Path] = []
        if not self.intakes_dir.is_dir():
            return removed
        cutoff = time.time() - max_age
        for folder in (self.intakes_dir, self.root):
            try:
                candidates = list(folder.glob(".*.json.*.tmp"))
            except OSError:
                continue
            for path in candidates:
                try:
                    if path.is_file() and not path.is_symlink() and path.stat().st_mtime < cutoff:
                        path.unlink()
                        removed.append(path)
                except OSError:
                    continue
        return removed

    def load(self, intake_id: str) -> SavedIntake:
        """Read one intake; a damaged file is set aside and ``DamagedSaveError`` raised; a
        newer version's file raises ``NewerSaveError`` and stays."""
        saved = self._read(self.path_of(intake_id))
        self._revisions[intake_id] = saved.revision
        return saved

    def has_intakes(self) -> bool:
        """Whether any intake is saved (without reading one)."""
        return self.intakes_dir.is_dir() and any(self.intakes_dir.glob("*.json"))

    def list_intakes(self) -> IntakeList:
        """All readable intakes, newest first; damaged ones are set aside and listed, those
        of a newer version listed and left in place."""
        result = IntakeList()
        if not self.intakes_dir.is_dir():
            return result
        for path in sorted(self.intakes_dir.glob("*.json")):
            try:
                result.intakes.append(self._read(path))
            except DamagedSaveError as exc:
                result.damaged.append(exc.damaged)
            except NewerSaveError as exc:
                result.newer.append(exc.newer)
            except FileNotFoundError:  # removed meanwhile (another window)
                continue
        result.intakes.sort(key=lambda s: s.meta.updated, reverse=True)
        return result

    def list_headers(self, *, set_aside: bool = True) -> HeaderList:
        """What the resume list shows of every readable intake, newest first, from the index.

        Only the saves that changed since the index was written are read in full (and the
        index is rewritten). Damaged saves are set aside (with ``set_aside``; otherwise left
        where they are) and listed, those of a newer version listed and left in place.
        """
        result = HeaderList()
        if not self.intakes_dir.is_dir():
            return result
        index = self._read_index()
        fresh: dict[str, dict[str, Any]] = {}
        for path in sorted(self.intakes_dir.glob("*.json")):
            intake_id = path.stem
            try:
                info = os.lstat(path)
                entry = index.get(intake_id)
                if (entry is not None and stat.S_ISREG(info.st_mode)
                        and entry["mtime_ns"] == info.st_mtime_ns
                        and entry["size"] == info.st_size and entry["inode"] == info.st_ino):
                    header = IntakeHeader(intake_id, path, entry["meta"], entry["revision"])
                else:  # new or changed since the index: read it (stat first: a later write
                    # gives another time, so the entry can only be older than the file)
                    saved = self._read(path, set_aside=set_aside)
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
        if fresh != index:
            self._write_index(fresh)
        result.intakes.sort(key=lambda h: _sort_time(h.meta.updated), reverse=True)
        return result

    @property
    def index_path(self) -> Path:
        return self.root / INDEX_FILE

    def _read_index(self) -> dict[str, dict[str, Any]]:
        """The index's entries that are well-formed; nothing when it is missing or damaged."""
        try:
            if os.lstat(self.index_path).st_size > MAX_INDEX_BYTES:
                return {}
            data = json.loads(self.index_path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
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

    def _write_index(self, entries: dict[str, dict[str, Any]]) -> None:
        payload = {"format": INDEX_FORMAT, "version": INDEX_VERSION, "intakes": {
            intake_id: {**entry, "meta": entry["meta"].to_json()}
            for intake_id, entry in entries.items()}}
        try:  # only a cache: a read-only or full disk costs the next start a full read
            atomic_write(self.index_path, json.dumps(payload, ensure_ascii=False))
        except OSError:
            pass

    def _read(self, path: Path, *, set_aside: bool = True) -> SavedIntake:
        """Read one save; a damaged one raises ``DamagedSaveError`` (set aside first, unless
        ``set_aside`` is false: then it is only reported)."""
        def damaged(reason: Message) -> DamagedSaveError:
            if set_aside:
                return DamagedSaveError(self.set_aside(path, reason))
            return DamagedSaveError(DamagedSave(original=path, moved_to=None, reason=reason,
                                                left_in_place=True))

        try:
            if path.is_symlink() or not path.is_file():
                raise damaged(Message("not a regular file"))
            size = path.stat().st_size
            if size > MAX_SAVE_BYTES:
                raise damaged(Message(
                    "too large for a save ({size} bytes; at most {limit})", size=str(size),
                    limit=str(MAX_SAVE_BYTES)))
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise
        except (OSError, UnicodeDecodeError) as exc:
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

    def set_aside(self, path: Path, reason: Message) -> DamagedSave:
        """Rename a damaged file to ``<name>.damaged-<timestamp>``; never delete it."""
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = path.with_name(f"{path.name}.damaged-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
        try:
            os.replace(path, target)
        except OSError:
            return DamagedSave(original=path, moved_to=None, reason=reason)
        return DamagedSave(original=path, moved_to=target, reason=reason)

    # -- earlier states ----------------------------------------------------------------
    def history_dir(self, intake_id: str) -> Path:
        self.path_of(intake_id)  # the same check of the id
        return self.intakes_dir / HISTORY_DIR / intake_id

    def keep_state(self, intake_id: str, keep: int = DEFAULT_KEPT_STATES) -> Path | None:
        """Keep the save of ``intake_id`` as it is now among its earlier states (the state an
        intake had when it was opened again), and only the newest ``keep`` of them.

        A hard link: the save is replaced by a rename, so the old file stays as it was and
        nothing is copied. Returns the kept file (None when there is no save to keep).
        """
        path = self.path_of(intake_id)
        if path.is_symlink() or not path.is_file():
            return None
        revision = self._revision_on_disk(path)
        folder = self.history_dir(intake_id)
        _ensure_dir(folder.parent)
        _ensure_dir(folder)
        target = folder / f"{revision:08d}.json"
        if not target.exists():  # opened again without a change: the same state
            try:
                os.link(path, target)
            except OSError:  # a file system without hard links: a copy
                atomic_write_bytes(target, path.read_bytes())
        kept = sorted(folder.glob("*.json"))
        for old in kept[:max(0, len(kept) - max(1, min(keep, MAX_KEPT_STATES)))]:
            with contextlib.suppress(OSError):
                old.unlink()
        return target

    def earlier_states(self, intake_id: str) -> list[SavedIntake]:
        """The kept earlier states of ``intake_id``, newest first; unreadable ones are set
        aside in that folder and left out (one bad file never stops the others)."""
        folder = self.history_dir(intake_id)
        if not folder.is_dir():
            return []
        states = []
        for path in sorted(folder.glob("*.json"), reverse=True)[:MAX_KEPT_STATES]:
            try:
                states.append(self._read(path))
            except (DamagedSaveError, NewerSaveError, FileNotFoundError):
                continue
        return states

    # -- settings ----------------------------------------------------------------------
    def load_settings(self) -> Settings:
        """Remembered settings; a missing or unreadable file gives the defaults."""
        try:
            data = json.loads(self.settings_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return Settings()
        if not isinstance(data, dict):
            return Settings()
        language = data.get("language")
        export_dir = data.get("export_dir")
        kept = data.get("kept_states")
        return Settings(
            language=language if language in LANGUAGES else None,
            export_dir=export_dir if isinstance(export_dir, str) and export_dir else None,
            show_precheck=bool(data.get("show_precheck", True)),
            mode=data["mode"] if data.get("mode") in ("entrepreneur", "advisor")
            else "entrepreneur",
            kept_states=min(kept, MAX_KEPT_STATES) if type(kept) is int and kept >= 1
            else DEFAULT_KEPT_STATES,
        )

    def save_settings(self, settings: Settings) -> None:
        self.ensure()
        atomic_write(self.settings_path, json.dumps(settings.to_json(), indent=1))


def _sort_time(iso: str) -> float:
    """A save's last change as a number to sort by (unreadable times last)."""
    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return float("-inf")
    if when.tzinfo is None:
        when = when.astimezone()
    return when.timestamp()


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

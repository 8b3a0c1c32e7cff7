"""``Storage``: the saved intakes, their index, kept states and settings of one data folder.

The data folder (platformdirs unless given) holds ``intakes/<id>.json`` (one save per
intake, ``saves``), ``intakes-index.json`` (the resume list's cache, ``index``),
``intakes/.history/`` (kept states, ``kept``) and ``settings.json`` (``settings``).
Temporary files of a killed save are removed at the next start. The folders inside the
data folder are never followed through a link (``files``).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from intake_assistant.i18n import Message
from intake_assistant.storage import files, index, kept, saves
from intake_assistant.storage.index import HeaderList
from intake_assistant.storage.kept import DEFAULT_KEPT_STATES, HISTORY_DIR
from intake_assistant.storage.saves import (
    DamagedSave,
    DamagedSaveError,
    IntakeMeta,
    SaveConflictError,
    SavedIntake,
    now_iso,
)
from intake_assistant.storage.settings import SETTINGS_FILE, Settings

APP_NAME = "intake-assistant"
INTAKES_DIR = "intakes"
#: A temporary file older than this is left over from a killed save, not one being written.
STALE_TEMP_SECONDS = 600


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
        """Make the data folder and its intakes folder; a link or a file where the intakes
        folder should be is refused (``OSError``), never followed."""
        files.ensure_dir(self.root, link_allowed=True)  # the user's choice: may be a link
        files.ensure_dir(self.intakes_dir)

    def path_of(self, intake_id: str) -> Path:
        if not intake_id or "/" in intake_id or "\\" in intake_id or intake_id.startswith("."):
            raise ValueError(f"bad intake id {intake_id!r}")
        return self.intakes_dir / f"{intake_id}.json"

    @staticmethod
    def new_id() -> str:
        import secrets  # here, not before the first screen (hashlib, hmac: ~4 ms)

        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        return f"{stamp}-{secrets.token_hex(3)}"

    def _intakes_folder_usable(self) -> bool:
        """Whether the intakes folder exists as a folder of its own (not through a link)."""
        try:
            return files.check_own_folder(self.intakes_dir)
        except OSError:
            return False

    # -- intakes -----------------------------------------------------------------------
    def save(self, intake_id: str, state: dict[str, Any], meta: IntakeMeta) -> Path:
        """Write one intake at once (temporary file + rename).

        When this Storage read or wrote the intake before and the file on disk now holds
        another revision, another writer (a second window on the same data folder) saved
        meanwhile: nothing is written and ``SaveConflictError`` is raised. A link or a
        special file for the folder, the save or the lock raises ``OSError``.
        """
        self.ensure()
        if not meta.updated:
            meta = replace(meta, updated=now_iso())
        path = self.path_of(intake_id)
        with saves.folder_lock(self.root):
            expected = self._revisions.get(intake_id)
            written = self._written.get(intake_id)
            on_disk = (expected if expected is not None and written is not None
                       and files.stamp(path) == written else saves.revision_on_disk(path))
            if expected is not None and on_disk != expected:
                raise SaveConflictError(path)
            files.atomic_write(path, saves.save_text(intake_id, on_disk + 1, state, meta))
            self._revisions[intake_id] = on_disk + 1
            stamp = files.stamp(path)
            if stamp is None:
                self._written.pop(intake_id, None)
            else:
                self._written[intake_id] = stamp
        return path

    def forget(self, intake_id: str) -> None:
        """Stop checking the revision of ``intake_id`` (the window closed it)."""
        self._revisions.pop(intake_id, None)
        self._written.pop(intake_id, None)

    def remove_stale_temp_files(self, max_age: float = STALE_TEMP_SECONDS) -> list[Path]:
        """Delete the temporary files of saves that were killed mid-write; returns them."""
        removed: list[Path] = []
        if not self._intakes_folder_usable():
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
        newer version's file raises ``NewerSaveError`` and stays. An intakes folder that is
        a link (or not a folder) is not read: ``DamagedSaveError``, the save left as it is."""
        path = self.path_of(intake_id)
        try:
            files.check_own_folder(self.intakes_dir)
        except OSError as exc:
            if not index.is_refusal(exc):
                raise
            raise DamagedSaveError(DamagedSave(
                original=path, moved_to=None, left_in_place=True,
                reason=Message("{path} is a symbolic link or a special file",
                               path=str(self.intakes_dir)))) from exc
        saved = saves.read_save(path)
        self._revisions[intake_id] = saved.revision
        return saved

    def has_intakes(self) -> bool:
        """Whether any intake is saved (without reading one)."""
        return self._intakes_folder_usable() and any(self.intakes_dir.glob("*.json"))

    def list_headers(self, *, set_aside: bool = True) -> HeaderList:
        """What the resume list shows of every readable intake, newest first, from the index
        (``index.list_headers``)."""
        return index.list_headers(self.intakes_dir, self.index_path, set_aside=set_aside)

    @property
    def index_path(self) -> Path:
        return self.root / index.INDEX_FILE

    def set_aside(self, path: Path, reason: Message) -> DamagedSave:
        """Rename a damaged file to ``<name>.damaged-<timestamp>``; never delete it."""
        return saves.set_aside(path, reason)

    # -- earlier states ----------------------------------------------------------------
    def history_dir(self, intake_id: str) -> Path:
        self.path_of(intake_id)  # the same check of the id
        return self.intakes_dir / HISTORY_DIR / intake_id

    def keep_state(self, intake_id: str, keep: int = DEFAULT_KEPT_STATES) -> Path | None:
        """Keep the save of ``intake_id`` as it is now among its earlier states (the state an
        intake had when it was opened again), and only the newest ``keep`` of them."""
        if not self._intakes_folder_usable():
            return None
        return kept.keep_state(self.path_of(intake_id), self.history_dir(intake_id), keep)

    def earlier_states(self, intake_id: str) -> list[SavedIntake]:
        """The kept earlier states of ``intake_id``, newest first."""
        if not self._intakes_folder_usable():
            return []
        return kept.earlier_states(self.history_dir(intake_id))

    # -- settings ----------------------------------------------------------------------
    def load_settings(self) -> Settings:
        """Remembered settings; a missing or unreadable file gives the defaults."""
        from intake_assistant.storage.settings import load_settings

        return load_settings(self.settings_path)

    def save_settings(self, settings: Settings) -> None:
        from intake_assistant.storage.settings import save_settings

        self.ensure()
        save_settings(self.settings_path, settings)

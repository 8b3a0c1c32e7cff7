"""Kept states: an intake's save as it was each time it was opened again, to compare with.

The earlier states of intake ``<id>`` are ``intakes/.history/<id>/<revision>.json``, the
newest ``Settings.kept_states`` of them. Each is a hard link to the save it was (a save is
replaced by a rename, so the old file stays as it was and nothing is copied).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from intake_assistant.storage import files
from intake_assistant.storage.saves import (
    MAX_SAVE_BYTES,
    DamagedSaveError,
    NewerSaveError,
    SavedIntake,
    read_save,
    revision_on_disk,
)

HISTORY_DIR = ".history"
#: Earlier states kept per intake (``Settings.kept_states``): by default and at most.
DEFAULT_KEPT_STATES = 10
MAX_KEPT_STATES = 100


def keep_state(save: Path, folder: Path, keep: int = DEFAULT_KEPT_STATES) -> Path | None:
    """Keep the save at ``save`` as it is now in ``folder`` (its kept states), and only the
    newest ``keep`` of them. Returns the kept file (None when there is no save to keep).

    A link or a special file for the save, the history folder or a kept state is refused
    (``OSError``), never followed.
    """
    try:
        files.refuse_unwritable(save)
    except OSError:
        return None
    if not os.path.lexists(save):
        return None
    revision = revision_on_disk(save)
    files.ensure_dir(folder.parent)
    files.ensure_dir(folder)
    target = folder / f"{revision:08d}.json"
    if not os.path.lexists(target):  # opened again without a change: the same state
        try:
            os.link(save, target, follow_symlinks=False)
        except OSError:  # a file system without hard links: a copy
            files.atomic_write_bytes(target, files.read_bounded(save, MAX_SAVE_BYTES))
    kept = sorted(folder.glob("*.json"))
    for old in kept[:max(0, len(kept) - max(1, min(keep, MAX_KEPT_STATES)))]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target


def earlier_states(folder: Path) -> list[SavedIntake]:
    """The kept states in ``folder``, newest first; unreadable ones are set aside in that
    folder and left out (one bad file never stops the others); a link there gives none."""
    try:
        if not files.check_own_folder(folder) or not files.check_own_folder(folder.parent):
            return []
    except OSError:
        return []
    states = []
    for path in sorted(folder.glob("*.json"), reverse=True)[:MAX_KEPT_STATES]:
        try:
            states.append(read_save(path))
        except (DamagedSaveError, NewerSaveError, FileNotFoundError):
            continue
    return states

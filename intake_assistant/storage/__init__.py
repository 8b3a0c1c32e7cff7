"""Saved intakes and remembered settings, in the user's data folder; no textual.

Rooms: ``files`` (safe writes, bounded reads that follow no link and open no special
file), ``saves`` (one intake's file, its revision, the folder's lock, damaged saves),
``index`` (the resume list's cache of every save's metadata), ``kept`` (earlier states to
compare with), ``settings`` (``settings.json``), ``store`` (``Storage``: all of it for one
data folder) and ``listing`` (filter and sort the list, word its last change; imported on
its own). The names below are the surface the rest of the program uses.
"""

from intake_assistant.storage.files import (
    DIR_MODE,
    FILE_MODE,
    NotRegularFileError,
    atomic_write,
    atomic_write_bytes,
    write_new_file,
    write_problem,
)
from intake_assistant.storage.index import INDEX_FILE, MAX_INDEX_BYTES, HeaderList, RefusedPath
from intake_assistant.storage.kept import DEFAULT_KEPT_STATES, HISTORY_DIR, MAX_KEPT_STATES
from intake_assistant.storage.saves import (
    MAX_SAVE_BYTES,
    SAVE_FORMAT,
    SAVE_VERSION,
    DamagedSave,
    DamagedSaveError,
    IntakeHeader,
    IntakeMeta,
    NewerSave,
    NewerSaveError,
    SaveConflictError,
    SavedIntake,
    now_iso,
)
from intake_assistant.storage.settings import SETTINGS_FILE, Settings
from intake_assistant.storage.store import (
    APP_NAME,
    INTAKES_DIR,
    Storage,
    default_data_dir,
    default_export_dir,
)

__all__ = [
    "APP_NAME", "DEFAULT_KEPT_STATES", "DIR_MODE", "FILE_MODE", "HISTORY_DIR", "INDEX_FILE",
    "INTAKES_DIR", "MAX_INDEX_BYTES", "MAX_KEPT_STATES", "MAX_SAVE_BYTES", "SAVE_FORMAT",
    "SAVE_VERSION", "SETTINGS_FILE", "DamagedSave", "DamagedSaveError", "HeaderList",
    "IntakeHeader", "IntakeMeta", "NewerSave", "NewerSaveError", "NotRegularFileError",
    "RefusedPath", "SaveConflictError", "SavedIntake", "Settings", "Storage", "atomic_write",
    "atomic_write_bytes", "default_data_dir", "default_export_dir", "now_iso",
    "write_new_file", "write_problem",
]

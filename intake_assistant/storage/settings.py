"""Remembered settings (``settings.json`` in the data folder)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intake_assistant.i18n import LANGUAGES
from intake_assistant.storage import files
from intake_assistant.storage.kept import DEFAULT_KEPT_STATES, MAX_KEPT_STATES

SETTINGS_FILE = "settings.json"
#: The settings are a few hundred bytes; anything this large is not them and is not parsed.
MAX_SETTINGS_BYTES = 100_000


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


def load_settings(path: Path) -> Settings:
    """Remembered settings; a missing, unreadable or oversized file, a link or a special
    file gives the defaults (a later save says what is wrong with it)."""
    try:
        data = json.loads(files.read_bounded(path, MAX_SETTINGS_BYTES))
    except (OSError, ValueError, RecursionError):
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


def save_settings(path: Path, settings: Settings) -> None:
    """Write the settings; a link or a special file there is refused (``OSError``)."""
    files.atomic_write(path, json.dumps(settings.to_json(), indent=1))

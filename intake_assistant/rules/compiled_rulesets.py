"""The rulesets' TOML, parsed ahead: ``rules/data/compiled-rulesets.json``.

    python -m intake_assistant.ruleset_tools compile      # after changing a ruleset

Every ``check`` needs every ruleset: the round of a date, whether a round is open and the rounds
covered come from all of them. Importing tomllib and parsing the five files cost a cold start
about 6 ms; the same data as JSON (dates written ``{"$date": "2021-01-01"}``) reads in a tenth
of that. The TOML files stay the only source: each compiled entry holds the SHA-256 of the text it
was parsed from, and a ruleset whose text differs (changed since, or new) is parsed from its
TOML as before, so the compiled file can make a start slow but never make it wrong.
``tests/rules/test_compiled_rulesets.py`` fails while the file is not that of the TOML files.

The compiled file is package data, as trusted as the TOML beside it (never a user's file).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

FILE_NAME = "compiled-rulesets.json"
_FORMAT = "intake-assistant-compiled-rulesets"
_DATE = "$date"


def digest(text: str) -> str:
    """What a compiled entry is checked against: the SHA-256 of the TOML text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def compiled_data(folder: Path, ruleset_id: str, text: str) -> dict[str, Any] | None:
    """The parsed TOML of ruleset ``ruleset_id`` whose file holds ``text``, when ``folder``'s
    compiled file has it parsed from that very text; else None (parse the TOML)."""
    entry = _compiled(folder).get(ruleset_id)
    if not isinstance(entry, dict) or entry.get("sha256") != digest(text):
        return None
    data = entry.get("data")
    return data if isinstance(data, dict) else None


@cache
def _compiled(folder: Path) -> dict[str, Any]:
    try:
        raw = (folder / FILE_NAME).read_text(encoding="utf-8")
        data = json.loads(raw, object_hook=_revived)
    except (OSError, ValueError):  # none, or unreadable: every ruleset is parsed from its TOML
        return {}
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        return {}
    rulesets = data.get("rulesets")
    return rulesets if isinstance(rulesets, dict) else {}


def _revived(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and _DATE in obj:
        return dt.date.fromisoformat(obj[_DATE])
    return obj


def _written(value: Any) -> Any:
    """``value`` as JSON data; a TOML value JSON has no type for is refused, not guessed."""
    if isinstance(value, dict):
        if _DATE in value:
            raise ValueError(f"a ruleset table may not have a key {_DATE!r}")
        return {key: _written(v) for key, v in value.items()}
    if isinstance(value, list):
        return [_written(v) for v in value]
    if isinstance(value, dt.datetime | dt.time):
        raise ValueError(f"a ruleset holds a {type(value).__name__}; only dates are compiled")
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    if isinstance(value, str | bool | int | float):
        return value
    raise ValueError(f"a ruleset holds a value of type {type(value).__name__}")


def compiled_text(folder: Path) -> str:
    """The compiled file for the TOML files in ``folder``."""
    import tomllib

    rulesets = {}
    for path in sorted(folder.glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        rulesets[path.stem] = {"sha256": digest(text), "data": _written(tomllib.loads(text))}
    data = {"format": _FORMAT,
            "note": "made by python -m intake_assistant.ruleset_tools compile from the TOML "
                    "files beside it; do not edit",
            "rulesets": rulesets}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, allow_nan=False) + "\n"

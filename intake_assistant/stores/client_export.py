"""Everything a team holds on one client, as files the product already writes.

For each intake that names the client's KvK number:

* ``<id>.json`` and ``<id>.provenance.json``: the draft (format v1) and who gave each answer
  and when, as the intake's export writes them;
* ``intakes/<id>.json`` and ``intakes/.history/<id>/<revision>.json``: the saved intake and
  its kept states as a data folder holds them (the folder opens with ``--data-dir``);
* ``access-log.jsonl``: the intakes' access log, one JSON object per line.

No file is ever written over: an existing one stops the export (``FileExistsError``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from intake_assistant.storage import HISTORY_DIR, INTAKES_DIR, SavedIntake, files
from intake_assistant.storage.saves import save_text

if TYPE_CHECKING:
    from intake_assistant.stores.postgres_store import ClientRecords

LOG_FILE = "access-log.jsonl"


def _draft_files(saved: SavedIntake) -> list[tuple[str, str]]:
    """The draft and its provenance side file; none when the state no longer makes a session
    (the saved intake, written beside it, still holds every answer)."""
    from intake_assistant.flow.session import IntakeSession

    try:
        session = IntakeSession.from_state_dict(saved.state)
    except (ValueError, TypeError):  # OutOfBounds, NewerStateError are ValueErrors
        return []
    return [(f"{saved.id}.json",
             json.dumps(session.draft.to_json_dict(), ensure_ascii=False, indent=2) + "\n"),
            (f"{saved.id}.provenance.json",
             json.dumps(session.provenance_document(), ensure_ascii=False, indent=2) + "\n")]


def write_client_export(records: ClientRecords, folder: Path) -> list[Path]:
    """Write the client's files into ``folder`` (made when missing); returns them."""
    written: list[Path] = []
    planned: list[tuple[Path, str]] = []
    log_lines: list[str] = []
    for saved in records.intakes:
        planned += [(folder / name, text) for name, text in _draft_files(saved)]
        planned.append((folder / INTAKES_DIR / f"{saved.id}.json",
                        save_text(saved.id, saved.revision, saved.state, saved.meta)))
        for earlier in records.earlier.get(saved.id, []):
            planned.append((folder / INTAKES_DIR / HISTORY_DIR / saved.id
                            / f"{earlier.revision:08d}.json",
                            save_text(saved.id, earlier.revision, earlier.state, earlier.meta)))
        log_lines += [json.dumps(line, ensure_ascii=False) + "\n"
                      for line in records.log.get(saved.id, [])]
    planned.append((folder / LOG_FILE, "".join(log_lines)))
    for path, _text in planned:  # refuse before writing anything
        files.refuse_unwritable(path)
        if path.exists():
            raise FileExistsError(str(path))
    for path, text in planned:
        files.ensure_dir(path.parent, link_allowed=path.parent == folder)
        written.append(files.write_new_file(path, text))
    return written

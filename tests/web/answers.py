"""What a visitor types on each screen to give a draft's answers: the draft read back into a
session (as an import does), each answer written as a person of that language types it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from intake_assistant.flow.session import IntakeSession
from intake_assistant.models import DraftApplication

EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "examples"
FOUR_PARTNERS = EXAMPLES / "eligible-office-chair.json"


def typed_answers(draft_path: Path, language: str) -> dict[str, Any]:
    """Answer key -> what to type (text), to choose (a code, "yes"/"no") or to tick (codes)."""
    draft = DraftApplication.model_validate(json.loads(draft_path.read_text(encoding="utf-8")))
    session = IntakeSession.from_draft(draft, language)
    out: dict[str, Any] = {}
    for key in session.answered_keys:
        view = session.view(key)
        assert view is not None
        if view.kind == "yes_no":
            out[key] = "yes" if view.current_value else "no"
        elif view.kind in ("choice", "multi_choice"):
            out[key] = view.current_value
        else:
            out[key] = view.current_text
    return out

"""Remembered settings: bounded where they are read (who answers, how many states are kept)."""

from __future__ import annotations

import json


def test_kept_states_in_the_settings_are_bounded(tmp_path):
    from intake_assistant.storage import MAX_KEPT_STATES, Storage

    storage = Storage(tmp_path)
    storage.ensure()
    storage.settings_path.write_text(json.dumps({"kept_states": 10**9, "mode": "root"}))
    settings = storage.load_settings()
    assert settings.kept_states == MAX_KEPT_STATES and settings.mode == "entrepreneur"
    storage.settings_path.write_text(json.dumps({"kept_states": 0, "mode": "advisor"}))
    settings = storage.load_settings()
    assert settings.kept_states == 10 and settings.mode == "advisor"

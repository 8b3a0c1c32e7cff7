"""A saved session state's format version: a whole number, and a newer one told apart from a
damaged one (the storage tests cover the save file's own version)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("format_version", [True, 1.0, "1"])
def test_a_session_state_version_that_is_not_a_whole_number_is_refused(format_version):
    from intake_assistant.flow.session import IntakeSession

    state = IntakeSession.new("en").to_state_dict()
    state["format_version"] = format_version
    with pytest.raises(ValueError):
        IntakeSession.from_state_dict(state)


def test_a_newer_session_state_is_told_apart_from_a_damaged_one():
    from intake_assistant.flow.session import IntakeSession, NewerStateError

    state = IntakeSession.new("en").to_state_dict()
    state["format_version"] = 99
    with pytest.raises(NewerStateError):
        IntakeSession.from_state_dict(state)

"""Nothing lost between colleagues, on both stores: a stale save merges answer by answer with
the newer one; the same answer changed on both sides waits for the advisor's choice, shown like
``diff``; where the newer save is gone the refusal stands (the copy is the fallback)."""

from __future__ import annotations

from typing import Any

import pytest

from intake_assistant.i18n import translator
from intake_assistant.storage import IntakeMeta, SaveConflictError
from intake_assistant.stores.answer_merge import (
    ABSENT,
    MINE,
    THEIRS,
    MergingSaver,
    conflict_lines,
    merge_answers,
    resolved,
)

from .conftest import OpenWindow


def _state(answers: dict[str, Any], by: str, at: str, **rest: Any) -> dict[str, Any]:
    return {"format": "intake-session", "state": rest.get("where", "q1"), "language": "nl",
            "answers": answers, "provenance": {k: {"by": by, "at": at} for k in answers}}


def _meta(state: dict[str, Any]) -> IntakeMeta:
    return IntakeMeta(title=str(state["answers"].get("project_title", "")))


BASE = _state({"project_title": "Stoel", "participant_name[0]": "Hout B.V.",
               "participant_name[1]": "Staal B.V."}, "advisor", "2026-12-07T10:00:00+01:00")


def _two_windows(open_window: OpenWindow) -> tuple[MergingSaver, MergingSaver]:
    anna, bram = MergingSaver(open_window()), MergingSaver(open_window())
    assert anna.save("shared", BASE, _meta).written
    anna.load("shared")
    bram.load("shared")
    return anna, bram


def _changed(state: dict[str, Any], key: str, value: Any, at: str) -> dict[str, Any]:
    answers = dict(state["answers"])
    records = dict(state["provenance"])
    if value is ABSENT:
        answers.pop(key)
        records.pop(key)
    else:
        answers[key] = value
        records[key] = {"by": "advisor", "at": at}
    return {**state, "answers": answers, "provenance": records}


def test_answers_to_different_questions_merge_with_their_provenance(open_window) -> None:
    anna, bram = _two_windows(open_window)
    theirs = _changed(BASE, "participant_name[1]", "Staal en Zn B.V.", "2026-12-07T14:02:00+01:00")
    assert bram.save("shared", theirs, _meta).written
    mine = _changed(BASE, "project_title", "Circulaire stoel", "2026-12-07T14:05:00+01:00")
    mine = _changed(mine, "participant_name[0]", ABSENT, "")
    outcome = anna.save("shared", {**mine, "state": "review"}, _meta)
    assert outcome.written and outcome.merged is not None
    assert outcome.merged.conflicts == []
    assert sorted(outcome.merged.taken_from_mine) == ["participant_name[0]", "project_title"]
    stored = open_window().load("shared")
    assert stored.state["answers"] == {"project_title": "Circulaire stoel",
                                       "participant_name[1]": "Staal en Zn B.V."}
    assert stored.state["provenance"]["project_title"]["at"] == "2026-12-07T14:05:00+01:00"
    assert stored.state["provenance"]["participant_name[1]"]["at"] == \
        "2026-12-07T14:02:00+01:00"
    assert stored.state["state"] == "review"  # where Anna stands stays hers
    assert stored.meta.title == "Circulaire stoel"
    # Bram, in turn, merges his next change over Anna's
    after = _changed(theirs, "participant_name[1]", "Staal & Zn B.V.", "2026-12-07T14:09:00+01:00")
    assert bram.save("shared", after, _meta).written
    assert open_window().load("shared").state["answers"]["project_title"] == "Circulaire stoel"


def test_the_same_answer_changed_on_both_sides_waits_for_a_choice(open_window) -> None:
    anna, bram = _two_windows(open_window)
    theirs = _changed(BASE, "project_title", "Stoel van Bram", "2026-12-07T14:02:00+01:00")
    theirs = _changed(theirs, "participant_name[1]", "Staal en Zn B.V.", "2026-12-07T14:02:00+01:00")
    assert bram.save("shared", theirs, _meta).written
    mine = _changed(BASE, "project_title", "Stoel van Anna", "2026-12-07T14:03:00+01:00")
    outcome = anna.save("shared", mine, _meta)
    assert not outcome.written and outcome.merged is not None
    [conflict] = outcome.merged.conflicts
    assert (conflict.key, conflict.base, conflict.mine, conflict.theirs) == (
        "project_title", "Stoel", "Stoel van Anna", "Stoel van Bram")
    assert open_window().load("shared").state == theirs  # nothing written over meanwhile
    tr = translator("en")
    lines = conflict_lines(conflict, "Project title", shown=str,
                           who=lambda record: record["at"][11:16] if record else "?", tr=tr)
    assert lines == ["Project title", "- Stoel van Bram   (14:02)", "+ Stoel van Anna   (14:03)"]
    chosen = resolved(outcome.merged, {"project_title": MINE})
    assert anna.save("shared", chosen, _meta).written
    stored = open_window().load("shared").state
    assert stored["answers"]["project_title"] == "Stoel van Anna"
    assert stored["answers"]["participant_name[1]"] == "Staal en Zn B.V."  # Bram's, kept
    assert stored["provenance"]["project_title"]["at"] == "2026-12-07T14:03:00+01:00"


def test_a_conflict_left_unchosen_keeps_the_colleagues_answer() -> None:
    theirs = _changed(BASE, "project_title", "Bram", "t2")
    mine = _changed(BASE, "project_title", ABSENT, "")
    merged = merge_answers(BASE, mine, theirs)
    assert [c.key for c in merged.conflicts] == ["project_title"]
    assert resolved(merged, {})["answers"]["project_title"] == "Bram"
    assert resolved(merged, {"project_title": THEIRS})["answers"]["project_title"] == "Bram"
    assert "project_title" not in resolved(merged, {"project_title": MINE})["answers"]
    lines = conflict_lines(merged.conflicts[0], "Title", str, lambda r: "x", translator("nl"))
    assert lines[2] == "+ (geen antwoord)   (x)"
    # the same change on both sides is no conflict
    assert merge_answers(BASE, theirs, theirs).conflicts == []


def test_when_the_newer_save_is_gone_the_refusal_stands(open_window) -> None:
    anna, _bram = _two_windows(open_window)
    other = open_window()
    other.load("shared")
    other.save("shared", _changed(BASE, "project_title", "x", "t"), _meta(BASE))
    if hasattr(other, "delete"):
        other.delete("shared")
    else:
        (other.intakes_dir / "shared.json").unlink()
    with pytest.raises(SaveConflictError):
        anna.save("shared", _changed(BASE, "project_title", "y", "t"), _meta)

"""Answer provenance in the flow layer: who gave each answer, when, and the advisor's note."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from intake_assistant.flow import answer_provenance as provenance
from intake_assistant.flow.session import IntakeSession
from intake_assistant.loading import load_draft_file

DATA = Path(__file__).parents[1] / "tui" / "data"
WHEN = dt.datetime(2026, 11, 24, 14, 2, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(provenance, "now", lambda: WHEN)


def test_an_answer_records_the_mode_and_the_time(fixed_clock):
    session = IntakeSession.new("nl")
    session.set_mode("advisor")
    assert session.answer("Stoel").accepted
    assert session.provenance("project_title") == provenance.Provenance(
        "advisor", "2026-11-24T14:02:00+01:00")
    assert session.provenance_text("project_title") == "adviseur, 24-11-2026 14:02"
    session.set_language("en")
    assert session.provenance_text("project_title") == "advisor, 2026-11-24 2:02\u202fPM" or (
        session.provenance_text("project_title") == "advisor, 2026-11-24 2:02 PM")


def test_the_same_answer_again_keeps_when_it_was_given(monkeypatch):
    monkeypatch.setattr(provenance, "now", lambda: WHEN)
    session = IntakeSession.new("en")
    session.answer("Chair")
    later = WHEN + dt.timedelta(days=2)
    monkeypatch.setattr(provenance, "now", lambda: later)
    session.set_mode("advisor")
    session.answer("Chair")
    assert session.provenance("project_title").at == WHEN.isoformat()
    session.answer("Office chair")
    assert session.provenance("project_title") == provenance.Provenance(
        "advisor", later.isoformat())


def test_a_note_only_from_an_advisor_bounded_and_one_line(fixed_clock):
    session = IntakeSession.new("en")
    session.answer("Chair")
    with pytest.raises(ValueError, match="advisor"):
        session.set_note("project_title", "checked")
    session.set_mode("advisor")
    with pytest.raises(ValueError, match="at most 280"):
        session.set_note("project_title", "x" * 281)
    with pytest.raises(ValueError, match="one line"):
        session.set_note("project_title", "two\nlines")
    with pytest.raises(ValueError, match="answer the question first"):
        session.set_note("project_summary", "no answer")
    session.set_note("project_title", "  client is unsure  ")
    assert session.provenance("project_title").note == "client is unsure"
    session.set_mode("entrepreneur")
    session.answer("Office chair")  # a new answer keeps the advisor's note on it
    assert session.provenance("project_title") == provenance.Provenance(
        "entrepreneur", WHEN.isoformat(), "client is unsure")


def test_provenance_survives_the_saved_state_and_a_hostile_one_is_left_out(fixed_clock):
    session = IntakeSession.new("en")
    session.set_mode("advisor")
    session.answer("Chair")
    session.set_note("project_title", "ok")
    data = json.loads(json.dumps(session.to_state_dict()))
    assert data["format_version"] == 2
    again = IntakeSession.from_state_dict(data)
    assert again.mode == "advisor"
    assert again.provenance("project_title") == session.provenance("project_title")
    data["provenance"] = {"project_title": {"by": "root", "at": "x"},
                          "not_a_question": {"by": "advisor", "at": WHEN.isoformat()}}
    hostile = IntakeSession.from_state_dict(data)
    assert hostile.provenance("project_title") is None
    data["provenance"] = {"project_title": {"by": "advisor", "at": WHEN.isoformat(),
                                            "note": "n" * 10_000}}
    assert IntakeSession.from_state_dict(data).provenance("project_title") is None


def test_a_state_of_format_1_loads_without_provenance():
    saved = json.loads((DATA / "save-state-format-1.json").read_text(encoding="utf-8"))
    assert saved["state"]["format_version"] == 1
    session = IntakeSession.from_state_dict(saved["state"])
    assert session.answered_keys and not session.left_out
    assert all(session.provenance(k) is None for k in session.answered_keys)
    session.set_mode("advisor")
    session.set_note("project_title", "checked with the client")
    assert session.provenance_text("project_title") == "wie en wanneer niet vastgelegd"


def test_an_import_marks_its_answers_imported_and_takes_a_side_file(fixed_clock):
    draft = load_draft_file(DATA / "eligible-draft.json")
    session, left_out = IntakeSession.imported(draft, "en")
    assert not left_out
    assert {session.provenance(k).by for k in session.answered_keys} == {"imported"}
    session.set_mode("advisor")
    session.set_note("project_title", "from the client's e-mail")
    document = json.loads(json.dumps(session.provenance_document()))
    again, _ = IntakeSession.imported(draft, "en")
    assert again.take_provenance(document) == len(session.answered_keys)
    assert again.provenance("project_title").note == "from the client's e-mail"
    with pytest.raises(ValueError):
        again.take_provenance({"format": "something else"})


def test_removing_a_participant_moves_the_provenance_with_the_answers(fixed_clock):
    draft = load_draft_file(DATA / "eligible-draft.json")
    session = IntakeSession.from_draft(draft, "en")
    session.set_mode("advisor")
    name_2 = session.value("participant_name[2]")
    session.set_note("participant_name[2]", "third partner")
    session.remove_participant(1)
    assert session.value("participant_name[1]") == name_2
    assert session.provenance("participant_name[1]").note == "third partner"


def test_an_advisor_known_by_name_is_named_in_the_provenance(fixed_clock):
    session = IntakeSession.new("nl")
    session.person = "Anna de Vries"  # a team store knows who is at the keyboard
    session.set_mode("advisor")
    assert session.answer("Stoel").accepted
    entry = session.provenance("project_title")
    assert entry == provenance.Provenance("advisor", "2026-11-24T14:02:00+01:00",
                                          name="Anna de Vries")
    assert session.provenance_text("project_title") == "Anna de Vries (adviseur), 24-11-2026 14:02"
    data = json.loads(json.dumps(session.to_state_dict()))
    assert data["provenance"]["project_title"]["name"] == "Anna de Vries"
    assert IntakeSession.from_state_dict(data).provenance("project_title") == entry
    assert session.provenance_document()["answers"][0]["name"] == "Anna de Vries"
    # in the entrepreneur's mode the entrepreneur answers, with the advisor named
    session.set_mode("entrepreneur")
    session.go_to("project_title")
    session.answer("Kantoorstoel")
    assert session.provenance("project_title") == provenance.Provenance(
        "entrepreneur", "2026-11-24T14:02:00+01:00", name="Anna de Vries")
    assert session.provenance_text("project_title") == (
        "ondernemer met Anna de Vries, 24-11-2026 14:02")
    # a name that is not one is not trusted
    data["provenance"]["project_title"]["name"] = "x" * 201
    assert IntakeSession.from_state_dict(data).provenance("project_title") is None

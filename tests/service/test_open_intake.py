"""The intake service with no UI: a whole intake through ``OpenIntake``, in the terminal's
configuration and in a served browser tab's (the same test for both)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from flow.helpers import typical_answer
from scenarios.test_rounds import ROUNDS, inside

from intake_assistant.i18n import set_language
from intake_assistant.service.open_intake import Channel, OpenIntake
from intake_assistant.service.outcomes import DraftSource, IntakeProblem
from intake_assistant.service.resume_codes import ServedStorage, served_channel
from intake_assistant.storage import Settings, Storage

EXAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "examples" / (
    "eligible-office-chair.json")


def terminal(data: Path) -> Channel:
    return Channel(Storage(data))


def served_client(data: Path) -> Channel:
    return served_channel(str(data), advisor=False)


CHANNELS: dict[str, Callable[[Path], Channel]] = {
    "terminal": terminal, "served": served_client}


@pytest.fixture(autouse=True)
def _english():
    """The service speaks the process's language (the App sets it); these tests read English."""
    set_language("en")
    yield
    set_language("nl")


@pytest.fixture(params=sorted(CHANNELS))
def channel_of(request) -> Callable[[Path], Channel]:
    return CHANNELS[request.param]


def answer_current(intake: OpenIntake) -> None:
    """Answer the current field as the screen does: Enter on a form's field goes to the next
    field; on the last one (or a question alone) to the next screen."""
    session = intake.session
    assert session is not None
    keys = session.page_keys()
    key = session.state
    value = typical_answer(session)
    position = keys.index(key)
    last = position == len(keys) - 1
    outcome = intake.answer_form({key: value}, go_on=last, then=None if last else
                                 keys[position + 1])
    assert outcome.problem is None and not outcome.refused, (key, outcome)
    assert outcome.done and outcome.saved is not None and outcome.saved.ok


def saved_state(intake: OpenIntake) -> dict:
    assert intake.intake_id is not None
    path = intake.storage.path_of(intake.intake_id)
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_whole_intake_through_the_service(tmp_path, channel_of) -> None:
    data = tmp_path / "data"
    intake = OpenIntake(channel_of(data), Settings(language="en"))
    intake.new("en")
    first_id = intake.intake_id
    assert first_id is not None and intake.storage.path_of(first_id).is_file()

    # answers, each saved at once
    for _ in range(400):
        if intake.session.state in ("review", "summary"):
            break
        answer_current(intake)
    assert intake.session.state == "review"
    assert saved_state(intake)["state"] == intake.session.to_state_dict()
    assert str(intake.session.report.verdict) == "eligible"

    # a refused answer changes nothing and is not saved
    before = saved_state(intake)["revision"]
    assert intake.go_to("project_title").done
    refused = intake.answer("", key="project_title")
    assert refused.problem and not refused.done
    assert saved_state(intake)["revision"] == before + 1  # the move only

    # the round follows the application date
    target = ROUNDS[2023]
    assert intake.go_to("project_application_date").done
    followed = intake.answer(inside(target).isoformat(), key="project_application_date")
    assert followed.done and followed.round_followed and "2023" in followed.round_followed
    assert intake.session.ruleset == target.ruleset_id
    assert saved_state(intake)["state"]["ruleset"] == target.ruleset_id

    # exports through the table of output kinds
    exported = intake.export("json", "en")
    assert exported.name.endswith("-draft.json") and exported.media_type == "application/json"
    assert json.loads(exported.data) == intake.session.draft.to_json_dict()
    report = intake.export("md", "en")
    assert intake.session.draft.project.title.encode() in report.data

    # another window (or tab, with the code) saves the same intake: the answers only it
    # changed are merged into this one's; the same answer changed on both sides waits for
    # a choice, nothing written over meanwhile
    other = OpenIntake(channel_of(data), Settings(language="en"))
    other.resume(first_id, "en")
    assert other.go_to("project_title").done and other.answer("Other title").done
    merged = intake.go_to("project_public_summary")
    assert merged.saved is not None and merged.saved.merged_with is not None
    assert intake.intake_id == first_id
    assert intake.session.draft.project.title == "Other title"
    assert other.go_to("project_public_summary").done
    assert other.answer("Their summary of the circular office chair project.").done
    asked = intake.answer("My summary of the circular office chair project.",
                          key="project_public_summary")
    assert asked.saved is not None and not asked.saved.ok and intake.unsaved
    [(key, text)] = asked.saved.conflicts  # like diff: theirs (-), mine (+)
    assert key == "project_public_summary" and "- Their summary" in text
    assert "+ My summary" in text
    stored = json.loads(intake.storage.path_of(first_id).read_text())
    assert stored["state"]["answers"]["project_public_summary"].startswith("Their")
    assert intake.settle({key: "mine"}).ok and not intake.unsaved
    assert intake.intake_id == first_id
    stored = json.loads(intake.storage.path_of(first_id).read_text())
    assert stored["meta"]["title"] == "Other title"
    assert stored["state"]["answers"]["project_public_summary"].startswith("My")

    # import from a path (with the provenance side file) and from pasted text
    draft = tmp_path / "chair.json"
    draft.write_bytes(exported.data)
    (tmp_path / "chair.provenance.json").write_bytes(intake.export("provenance", "en").data)
    opened = intake.import_draft(DraftSource.file(draft), "en")
    assert "chair.provenance.json" in opened.notice
    assert intake.session.provenance("project_title").by == "entrepreneur"
    imported_id = intake.intake_id
    assert saved_state(intake)["state"]["ruleset"] == target.ruleset_id
    pasted = intake.import_draft(DraftSource.pasted(EXAMPLE.read_text(encoding="utf-8")), "en")
    assert "pasted" in pasted.notice
    assert intake.intake_id not in (imported_id, first_id)
    assert intake.session.provenance("project_title").by == "imported"

    # compare with the export and with an earlier state
    title, now = intake.saved_draft(first_id)
    assert title == "Other title" and now.project.title == "Other title"
    assert intake.draft_of_file(draft, "en").project.title == "Circular office chair"
    states = other.earlier_states(first_id)
    assert states and intake.draft_of_state(states[0]).project.title == (
        "Circular office chair")


def _many_participants(count: int) -> str:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["participants"] = [dict(data["participants"][0], kvk_number=f"{i:08d}")
                            for i in range(count)]
    return json.dumps(data)


@pytest.mark.parametrize("source", ["file", "pasted"])
def test_every_import_goes_through_the_limits(tmp_path, channel_of, source) -> None:
    intake = OpenIntake(channel_of(tmp_path / "data"), Settings(language="en"))
    text = _many_participants(1000)
    if source == "file":
        path = tmp_path / "many.json"
        path.write_text(text, encoding="utf-8")
        draft = DraftSource.file(path)
    else:
        draft = DraftSource.pasted(text)
    with pytest.raises(IntakeProblem) as refused:
        intake.import_draft(draft, "en")
    assert "holds more than this intake takes; nothing was imported" in refused.value.text
    assert intake.session is None
    assert not (tmp_path / "data" / "intakes").exists() or not list(
        (tmp_path / "data" / "intakes").glob("*.json"))


def test_a_served_visitor_answers_as_the_entrepreneur_and_keeps_no_settings(tmp_path) -> None:
    intake = OpenIntake(served_client(tmp_path / "data"), Settings(mode="advisor"))
    assert intake.mode == "entrepreneur"
    refused = intake.set_mode("advisor")
    assert refused.problem and "advisor's link" in refused.problem
    intake.set_language("nl")
    assert not (tmp_path / "data" / "settings.json").exists()
    assert isinstance(intake.storage, ServedStorage)
    intake.new("nl")
    assert intake.storage.code_of(intake.intake_id)


def test_a_resume_of_a_damaged_save_sets_it_aside_and_says_so(tmp_path) -> None:
    storage = Storage(tmp_path / "data")
    intake = OpenIntake(Channel(storage), Settings())
    intake.new("en")
    intake_id = intake.intake_id
    intake.close()
    path = storage.path_of(intake_id)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(IntakeProblem) as problem:
        intake.resume(intake_id, "en")
    assert problem.value.list_changed and "set aside" in problem.value.text
    assert not path.exists() and list(path.parent.glob(f"{intake_id}.json.damaged-*"))


def test_an_export_to_files_writes_what_an_import_reads_back_and_replaces_nothing_unasked(
        tmp_path: Path) -> None:
    """The terminal's export is the service's: the draft, the report and who gave the answers
    beside the draft; an existing file is replaced only when asked; a file that cannot be
    written is named, in the user's language, and what was written before it stays."""
    from intake_assistant.service.exports import draft_and_report

    intake = OpenIntake(terminal(tmp_path / "data"), Settings(language="nl"))
    intake.import_draft(DraftSource.file(EXAMPLE), "nl")
    out = tmp_path / "out"
    targets = draft_and_report(out / "stoel.json", out / "stoel.md")
    done = intake.export_files(targets, "nl")
    assert done.problem is None
    assert [p.name for p in done.written] == ["stoel.json", "stoel.md", "stoel.provenance.json"]
    assert json.loads((out / "stoel.json").read_text("utf-8")) == (
        intake.session.draft.to_json_dict())
    assert (out / "stoel.md").read_text("utf-8").startswith("# Rapport van de voorcheck")
    reopened = OpenIntake(terminal(tmp_path / "other"), Settings())
    assert "stoel.provenance.json" in reopened.import_draft(
        DraftSource.file(out / "stoel.json"), "en").notice
    # the files exist now: nothing is replaced unasked, and the Dutch reason names the first
    (out / "stoel.md").write_text("kept", encoding="utf-8")
    refused = intake.export_files(targets, "nl")
    assert refused.written == [] and refused.problem is not None
    assert refused.problem.startswith("Er is niets geschreven") and "stoel.json" in (
        refused.problem)
    assert (out / "stoel.md").read_text("utf-8") == "kept"
    # a folder where the report should go: the draft is written, the report named
    (out / "map.md").mkdir()
    partly = intake.export_files(draft_and_report(out / "nieuw.json", out / "map.md"), "nl",
                                 overwrite=True)
    assert [p.name for p in partly.written] == ["nieuw.json"]
    assert partly.problem is not None and "map.md" in partly.problem
    assert not partly.problem.startswith("Er is niets geschreven")


@pytest.mark.parametrize(("language", "said"), [
    ("nl", "Wie de antwoorden gaf, en wanneer: uit stoel.provenance.json (1 antwoord)."),
    ("en", "Who gave the answers, and when: from stoel.provenance.json (1 answer)."),
])
def test_a_provenance_file_of_one_answer_is_named_in_the_singular(
        tmp_path: Path, language: str, said: str) -> None:
    from intake_assistant.service.exports import draft_and_report

    set_language(language)
    intake = OpenIntake(terminal(tmp_path / "data"), Settings(language=language))
    intake.import_draft(DraftSource.file(EXAMPLE), language)
    out = tmp_path / "out"
    assert intake.export_files(draft_and_report(out / "stoel.json", out / "stoel.md"),
                               language).problem is None
    side = out / "stoel.provenance.json"
    records = json.loads(side.read_text("utf-8"))
    records["answers"] = records["answers"][:1]  # the first answer's record only
    side.write_text(json.dumps(records), encoding="utf-8")
    reopened = OpenIntake(terminal(tmp_path / "other"), Settings(language=language))
    assert said in reopened.import_draft(DraftSource.file(out / "stoel.json"), language).notice

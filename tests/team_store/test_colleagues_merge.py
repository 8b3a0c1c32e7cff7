"""Two advisors (or two windows) on one intake through the intake service, on both stores:
answers to different questions merge, each naming who gave it; the same answer changed on both
sides asks which stays (nothing written meanwhile); a deleted intake keeps the copy as the
fallback. Nothing lost."""

from __future__ import annotations

from intake_assistant.service.open_intake import Channel, OpenIntake
from intake_assistant.storage import Settings

from .conftest import OpenWindow


def _advisor(open_window: OpenWindow) -> OpenIntake:
    return OpenIntake(Channel(open_window(), remembers_settings=False),
                      Settings(mode="advisor"))


def test_answers_to_different_questions_merge_and_name_their_advisor(open_window) -> None:
    anna, bram = _advisor(open_window), _advisor(open_window)
    anna.new("nl")
    assert anna.answer("Circulaire kantoorstoel").done
    intake_id = anna.intake_id
    assert intake_id is not None
    bram.resume(intake_id, "nl")
    bram.go_to("project_title")
    assert bram.answer("Circulaire stoel van Bram").done
    # Anna's window is stale now: her next answer, to another question, merges
    assert str(anna.session.state) != "project_title"
    changed = anna.answer("Vier bedrijven maken samen een stoel die terugkomt.")
    assert changed.done and changed.saved is not None and changed.saved.ok
    assert changed.saved.copied_from is None
    assert changed.saved.merged_with is not None
    answers = anna.session.to_state_dict()["answers"]
    assert answers["project_title"] == "Circulaire stoel van Bram"
    stored = open_window().load(intake_id).state
    assert stored["answers"]["project_title"] == "Circulaire stoel van Bram"
    assert stored["answers"] == answers
    records = stored["provenance"]
    person = getattr(getattr(anna.storage, "advisor", None), "name", None)
    if person is not None:  # a team store: each answer names its advisor, not only the role
        assert changed.saved.merged_with == bram.storage.advisor.name
        assert records["project_title"]["name"] == bram.storage.advisor.name
        others = [k for k in answers if k != "project_title"]
        assert others and all(records[k]["name"] == person for k in others)
    # and Bram, stale in turn, merges his next change over Anna's
    moved = bram.go_to("project_title")  # a move is saved too: it merges
    assert moved.saved is not None and moved.saved.merged_with is not None
    bram_changed = bram.answer("Circulaire stoel van Bram en Anna")
    assert bram_changed.done and bram_changed.saved.copied_from is None
    assert open_window().load(intake_id).state["answers"] == {
        **answers, "project_title": "Circulaire stoel van Bram en Anna"}


def test_the_same_answer_changed_on_both_sides_asks_which_stays(open_window) -> None:
    anna, bram = _advisor(open_window), _advisor(open_window)
    anna.new("nl")
    assert anna.answer("Stoel").done
    anna.go_to("project_title")  # both at the same question
    intake_id = anna.intake_id
    bram.resume(intake_id, "nl")
    bram.go_to("project_title")
    assert bram.answer("Stoel van Bram").done
    changed = anna.answer("Stoel van Anna")
    assert changed.saved is not None and changed.saved.conflicts and anna.unsaved
    store = open_window()
    assert store.load(intake_id).state["answers"]["project_title"] == "Stoel van Bram"
    assert anna.settle({"project_title": "theirs"}).ok
    assert anna.intake_id == intake_id
    assert store.load(intake_id).state["answers"]["project_title"] == "Stoel van Bram"
    assert anna.session.to_state_dict()["answers"]["project_title"] == "Stoel van Bram"


def test_where_no_one_can_choose_the_same_answer_changed_on_both_sides_keeps_a_copy(
        open_window) -> None:
    """A channel that asks no one (a web page's visitor): the save itself keeps this window's
    answers whole under a new id; the colleague's save stays as it is; nothing waits."""
    anna = OpenIntake(Channel(open_window(), remembers_settings=False, asks_on_conflict=False),
                      Settings())
    bram = _advisor(open_window)
    anna.new("nl")
    assert anna.answer("Stoel").done
    anna.go_to("project_title")
    intake_id = anna.intake_id
    bram.resume(intake_id, "nl")
    bram.go_to("project_title")
    assert bram.answer("Stoel van Bram").done
    changed = anna.answer("Stoel van Anna")
    saved = changed.saved
    assert saved is not None and saved.ok and not saved.conflicts
    assert saved.copied_from == intake_id and anna.intake_id != intake_id
    assert not anna.unsaved and anna.conflict_texts() == ()
    store = open_window()
    assert store.load(intake_id).state["answers"]["project_title"] == "Stoel van Bram"
    assert store.load(anna.intake_id).state["answers"]["project_title"] == "Stoel van Anna"


def test_a_deleted_intake_keeps_the_answers_as_a_copy(open_window) -> None:
    anna = _advisor(open_window)
    anna.new("nl")
    assert anna.answer("Stoel").done
    intake_id = anna.intake_id
    store = open_window()
    if hasattr(store, "delete"):
        store.delete(intake_id)
    else:
        (store.intakes_dir / f"{intake_id}.json").unlink()
    changed = anna.answer("Vier bedrijven maken samen een stoel die terugkomt.")
    assert changed.saved is not None and changed.saved.copied_from == intake_id
    assert store.load(anna.intake_id).state["answers"]["project_title"] == "Stoel"


def test_a_colleague_who_only_moved_leaves_nothing_to_merge(open_window) -> None:
    anna, bram = _advisor(open_window), _advisor(open_window)
    anna.new("nl")
    assert anna.answer("Circulaire kantoorstoel").done
    intake_id = anna.intake_id
    bram.resume(intake_id, "nl")
    moved = bram.go_to("project_title")  # saved (where Bram is), no answer changed
    assert moved.saved is not None and moved.saved.ok
    changed = anna.answer("Vier bedrijven maken samen een stoel die terugkomt.")
    assert changed.saved is not None and changed.saved.ok
    assert changed.saved.merged_with is None and changed.saved.copied_from is None
    assert open_window().load(intake_id).state["answers"] == (
        anna.session.to_state_dict()["answers"])

"""One contract, two stores: the data folder and a team's PostgreSQL database keep intakes the
same way. Each test gets two windows on one store (two FileStores on one folder; two advisors of
one team), as two people or two terminals have."""

from __future__ import annotations

import pytest

from intake_assistant.storage import IntakeMeta, SaveConflictError, Settings
from intake_assistant.stores.store_protocol import IntakeStore

from .conftest import OpenWindow

STATE = {"answers": {"project_title": "Stoelen", "participant_name[1]": "Zeilmakerij"},
         "language": "nl", "nested": [{"deep": [1, 2.5, None, True]}]}


def test_a_saved_intake_reads_back_as_it_was_saved(open_window: OpenWindow) -> None:
    store = open_window()
    assert isinstance(store, IntakeStore)
    assert not store.has_intakes()
    assert store.list_headers().intakes == []
    intake_id = store.new_id()
    meta = IntakeMeta(title="Stoelen 'ronde' \u2028 \x1b[2J", participants=("A", "B"),
                      verdict="eligible", language="nl", state="review")
    store.save(intake_id, STATE, meta)
    assert store.has_intakes()
    saved = open_window().load(intake_id)
    assert saved.state == STATE
    assert saved.meta.title == meta.title
    assert saved.meta.participants == ("A", "B")
    assert saved.meta.updated  # the time of the save, when none was given
    assert saved.revision == 1
    assert saved.path.name == f"{intake_id}.json"


def test_each_save_raises_the_revision(open_window: OpenWindow) -> None:
    store = open_window()
    store.save("rev", {"n": 1}, IntakeMeta(title="x"))
    store.save("rev", {"n": 2}, IntakeMeta(title="x"))
    store.save("rev", {"n": 3}, IntakeMeta(title="x"))
    saved = open_window().load("rev")
    assert (saved.revision, saved.state) == (3, {"n": 3})


def test_a_stale_save_is_never_written_over_a_newer_one(open_window: OpenWindow) -> None:
    first, second = open_window(), open_window()
    first.save("shared", {"by": "first", "n": 1}, IntakeMeta(title="x"))
    second.load("shared")
    first.save("shared", {"by": "first", "n": 2}, IntakeMeta(title="x"))
    with pytest.raises(SaveConflictError):
        second.save("shared", {"by": "second"}, IntakeMeta(title="y"))
    assert open_window().load("shared").state == {"by": "first", "n": 2}
    # having read the newer revision, the second window saves over it
    second.load("shared")
    second.save("shared", {"by": "second"}, IntakeMeta(title="y"))
    assert open_window().load("shared").state == {"by": "second"}
    assert open_window().load("shared").revision == 3


def test_the_list_shows_each_intakes_header_newest_first(open_window: OpenWindow) -> None:
    store = open_window()
    store.save("older", {}, IntakeMeta(title="Oud", updated="2026-01-05T10:00:00+01:00"))
    store.save("newer", {}, IntakeMeta(title="Nieuw", updated="2026-03-05T10:00:00+01:00",
                                       verdict="not_eligible"))
    store.save("older", {}, IntakeMeta(title="Oud", updated="2026-02-05T10:00:00+01:00"))
    listing = open_window().list_headers()
    assert [(h.id, h.meta.title, h.revision) for h in listing.intakes] == [
        ("newer", "Nieuw", 1), ("older", "Oud", 2)]
    assert listing.intakes[0].meta.verdict == "not_eligible"
    assert listing.damaged == [] and listing.newer == []


def test_earlier_states_keep_the_newest_few(open_window: OpenWindow) -> None:
    store = open_window()
    for n in range(1, 5):
        store.save("kept", {"n": n}, IntakeMeta(title=f"t{n}"))
        assert store.keep_state("kept", keep=3)
        store.keep_state("kept", keep=3)  # opened again without a change: the same state
    states = open_window().earlier_states("kept")
    assert [(s.revision, s.state) for s in states] == [(4, {"n": 4}), (3, {"n": 3}),
                                                       (2, {"n": 2})]
    assert states[0].meta.title == "t4"
    assert store.keep_state("never-saved") is None
    assert store.earlier_states("never-saved") == []


def test_an_intake_that_is_not_there_is_not_found(open_window: OpenWindow) -> None:
    with pytest.raises(FileNotFoundError):
        open_window().load("nothing-here")


@pytest.mark.parametrize("bad_id", ["", "../escape", ".hidden", "a/b", "a\\b"])
def test_an_id_that_could_leave_the_store_is_refused(open_window: OpenWindow,
                                                      bad_id: str) -> None:
    with pytest.raises(ValueError):
        open_window().save(bad_id, {}, IntakeMeta())


def test_of_eight_writers_racing_on_one_revision_exactly_one_wins(open_window: OpenWindow
                                                                   ) -> None:
    import threading

    writers = [open_window() for _ in range(8)]
    writers[0].save("raced", {"round": 0}, IntakeMeta(title="x"))
    for round_number in range(1, 4):
        for writer in writers:
            writer.load("raced")
        start = threading.Barrier(len(writers))
        won: list[int] = []
        lost: list[int] = []

        def write(number: int, writer: IntakeStore, round_number: int = round_number,
                  start: threading.Barrier = start, won: list[int] = won,
                  lost: list[int] = lost) -> None:
            start.wait()
            try:
                writer.save("raced", {"round": round_number, "by": number}, IntakeMeta(title="x"))
                won.append(number)
            except SaveConflictError:
                lost.append(number)

        threads = [threading.Thread(target=write, args=(n, w)) for n, w in enumerate(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(won) == 1 and len(lost) == 7
        saved = open_window().load("raced")
        assert saved.state == {"round": round_number, "by": won[0]}
        assert saved.revision == round_number + 1


def test_settings_stay_in_the_machines_data_folder(open_window: OpenWindow) -> None:
    store = open_window()
    assert store.load_settings() == Settings()
    store.save_settings(Settings(language="en", mode="advisor"))
    assert store.load_settings().mode == "advisor"
    assert (store.root / "settings.json").is_file()
    assert store.remove_stale_temp_files() == []

"""The last answers of an intake left for another (a new one opened while their save still
waited on the save line) are never lost when that save meets a colleague's newer one: they are
merged into the intake where no answer was changed on both sides, else kept whole as a separate
intake; the advisor is told on the screen they are on now. The same holds when the window
closes before what came of that save was taken in.

The service is driven as the terminal drives it (what came of a save is posted from the line's
thread and taken in on the test's); the colleague is another advisor with a store of their own.
The left intake's save is held up for real: the intakes' table is locked by another connection
(a row lock would not do: the colleague's save changed the row, so the stale save does not
match it and is refused without waiting).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from textual.widgets import Input
from waiting import wait_until

from intake_assistant.service.open_intake import Channel, OpenIntake
from intake_assistant.service.outcomes import DraftSource, IntakeProblem, LeftIntakeSaved
from intake_assistant.storage import Settings
from intake_assistant.stores.postgres_store import PostgresStore
from intake_assistant.tui.app import IntakeApp
from intake_assistant.tui.screens.modals import MessageScreen

from .helpers import advisor_store, allow_connections, initialised
from .test_saves_of_closed_intakes import (
    EXAMPLE,
    PATIENCE,
    Driver,
    _erased_while_a_save_waits,
    _intakes_stored,
    _open_on_the_title,
    _waiting_on_locks,
)

SUMMARY = "project_public_summary"


@contextlib.contextmanager
def table_locked(dsn: str) -> Iterator[Callable[[], bool]]:
    """Another connection holds the intakes' table (as a migration does): every save waits
    for it, reads go on. Yields whether a save waits for it now; let go at the end."""
    holder = psycopg.connect(dsn)  # the owner
    try:
        holder.execute("LOCK TABLE intake_store.intakes IN EXCLUSIVE MODE")
        yield lambda: _waiting_on_locks(dsn) >= 1
    finally:
        holder.rollback()
        holder.close()


def colleague_saves(dsn: str, tmp_path: Path, intake_id: str, key: str, value: str) -> None:
    """Bram, another advisor of the team on a machine of his own, answers ``key`` of the
    intake and saves it."""
    bram_store = advisor_store(dsn, "Team", "Bram", tmp_path / "bram")
    bram = OpenIntake(Channel(bram_store), Settings(mode="advisor"))
    bram.resume(intake_id, "en")
    assert bram.go_to(key).done
    changed = bram.answer(value)
    assert changed.done and changed.saved is not None and changed.saved.ok
    bram_store.close()


def stored_answers(dsn: str, intake_id: str) -> dict:
    with psycopg.connect(dsn, autocommit=True) as conn:  # the owner: no policies
        return conn.execute("SELECT state -> 'answers' FROM intake_store.intakes WHERE id = %s",
                            (intake_id,)).fetchone()[0]


async def _annas_last_answer_waits_as_she_opens_another(
        pg_dsn: str, tmp_path: Path, colleague_key: str, colleague_value: str
) -> tuple[PostgresStore, Driver, str, str]:
    """Anna's intake open on the title; Bram saves his answer to ``colleague_key``; Anna,
    her window not knowing yet, answers the title and opens a new intake before that save
    is written. Returns (her store, her driver, the left intake's id, the new one's)."""
    dsn = initialised(pg_dsn)
    store = advisor_store(dsn, "Team", "Anna", tmp_path / "anna")
    driver = Driver(OpenIntake(Channel(store), Settings(mode="advisor")))
    left_id = await _open_on_the_title(driver)
    colleague_saves(dsn, tmp_path, left_id, colleague_key, colleague_value)
    intake = driver.intake
    with table_locked(dsn) as waiting:
        assert intake.answer("Stoel (Anna's last answer)").saved.pending
        assert await wait_until(waiting, timeout=PATIENCE), "the save reached the store"
        intake.new("en")  # the advisor moves on while the answer's save waits
        assert intake.intake_id != left_id
    new_id = intake.intake_id
    assert new_id is not None
    return store, driver, left_id, new_id


def _told(said: list) -> list[LeftIntakeSaved]:
    return [saved.left for saved in said if saved.left is not None]


async def test_a_left_intakes_last_answer_merges_with_a_colleagues_other_answer(
        pg_dsn, tmp_path) -> None:
    store, driver, left_id, new_id = await _annas_last_answer_waits_as_she_opens_another(
        pg_dsn, tmp_path, SUMMARY, "Vier bedrijven maken een stoel (Bram).")
    said = await driver.settle()
    assert all(saved.ok for saved in said)
    told = _told(said)
    assert len(told) == 1 and told[0].merged and told[0].by == "Bram", told
    assert told[0].intake_id == left_id and told[0].copy_id is None
    answers = stored_answers(pg_dsn, left_id)
    assert answers["project_title"] == "Stoel (Anna's last answer)"
    assert answers[SUMMARY] == "Vier bedrijven maken een stoel (Bram)."
    assert sorted(_intakes_stored(pg_dsn)) == sorted([left_id, new_id])  # no copy
    assert driver.intake.intake_id == new_id  # the advisor stays where she is
    assert driver.intake.finish_saves(PATIENCE)
    store.close()


async def test_a_left_intakes_last_answer_changed_by_a_colleague_too_is_kept_as_a_copy(
        pg_dsn, tmp_path) -> None:
    store, driver, left_id, new_id = await _annas_last_answer_waits_as_she_opens_another(
        pg_dsn, tmp_path, "project_title", "Stoel (Bram)")
    said = await driver.settle()
    told = _told(said)
    assert len(told) == 1 and told[0].copy_id is not None and not told[0].merged, told
    assert told[0].by == "Bram" and told[0].intake_id == left_id
    copy_id = told[0].copy_id
    assert sorted(_intakes_stored(pg_dsn)) == sorted([left_id, new_id, copy_id])
    # the colleague's save stays as it is; Anna's answers are whole in the copy
    assert stored_answers(pg_dsn, left_id)["project_title"] == "Stoel (Bram)"
    assert stored_answers(pg_dsn, copy_id)["project_title"] == "Stoel (Anna's last answer)"
    assert driver.intake.intake_id == new_id
    assert driver.intake.finish_saves(PATIENCE)
    store.close()


async def test_a_left_intakes_newer_answer_waiting_behind_its_conflict_is_kept_too(
        pg_dsn, tmp_path) -> None:
    """Two answers of the left intake on the line (one written, held up; one waiting behind
    it), then another intake resumed (its opening saves nothing): the first save's conflict
    merges the newest answers, and no save is left counted as on its way."""
    dsn = initialised(pg_dsn)
    store = advisor_store(dsn, "Team", "Anna", tmp_path / "anna")
    driver = Driver(OpenIntake(Channel(store), Settings(mode="advisor")))
    other_id = await _open_on_the_title(driver)  # an intake to go back to
    left_id = await _open_on_the_title(driver)
    colleague_saves(dsn, tmp_path, left_id, SUMMARY, "Vier bedrijven maken een stoel (Bram).")
    intake = driver.intake
    with table_locked(dsn) as waiting:
        assert intake.answer("Stoel (Anna's first answer)").saved.pending
        assert await wait_until(waiting, timeout=PATIENCE), "the save reached the store"
        assert intake.go_to("project_title").saved.pending
        assert intake.answer("Stoel (Anna's last answer)").saved.pending
    intake.resume(other_id, "en")  # before what came of those saves is taken in
    told = _told(await driver.settle())
    assert len(told) == 1 and told[0].merged and told[0].intake_id == left_id, told
    assert not intake.saving
    answers = stored_answers(pg_dsn, left_id)
    assert answers["project_title"] == "Stoel (Anna's last answer)"
    assert answers[SUMMARY] == "Vier bedrijven maken een stoel (Bram)."
    assert intake.finish_saves(PATIENCE)
    store.close()


async def test_a_window_closing_before_the_left_intakes_conflict_came_back_keeps_its_answer(
        pg_dsn, tmp_path) -> None:
    """The window closes (``finish_saves``) while what came of the left intake's save was
    not taken in yet: the merge happens as the line ends."""
    store, driver, left_id, _new_id = await _annas_last_answer_waits_as_she_opens_another(
        pg_dsn, tmp_path, SUMMARY, "Vier bedrijven maken een stoel (Bram).")
    assert driver.intake.finish_saves(PATIENCE)
    answers = stored_answers(pg_dsn, left_id)
    assert answers["project_title"] == "Stoel (Anna's last answer)"
    assert answers[SUMMARY] == "Vier bedrijven maken een stoel (Bram)."
    # what the line posted meanwhile is taken in already: nothing more is said or written
    for take_in in driver.posted:
        assert take_in().left is None
    store.close()


async def test_a_left_intake_erased_meanwhile_is_not_written_back_nor_copied(
        pg_dsn, tmp_path) -> None:
    """The client's data erased (``store erase-client``) while the last answer's save of
    the intake Anna left waited: nothing of it is saved, not as the intake, not as a copy;
    she is told."""
    dsn = initialised(pg_dsn)
    store = advisor_store(dsn, "Team", "Anna", tmp_path / "anna")
    driver = Driver(OpenIntake(Channel(store), Settings(mode="advisor")))
    left_id = await _open_on_the_title(driver)
    intake = driver.intake
    async with _erased_while_a_save_waits(dsn, tmp_path, left_id) as both_wait:
        assert intake.answer("Stoel (Anna's last answer)").saved.pending
        assert await wait_until(both_wait, timeout=PATIENCE), "the save reached the store"
        intake.new("en")
    told = _told(await driver.settle())
    assert len(told) == 1 and told[0].erased and told[0].intake_id == left_id, told
    assert told[0].copy_id is None and not told[0].merged
    assert _intakes_stored(dsn) == [intake.intake_id]
    assert intake.finish_saves(PATIENCE)
    assert _intakes_stored(dsn) == [intake.intake_id]
    store.close()


@contextlib.asynccontextmanager
async def _left_while_the_store_is_down(
        pg_server, dsn: str, tmp_path: Path
) -> AsyncIterator[tuple[PostgresStore, Driver, str]]:
    """Anna answers her intake's title while the store cannot be reached, and opens a new
    intake before that save's outcome is taken in: she is told the answer was not saved.
    Yields (her store, her driver, the left intake's id) with the store still down; it is
    back when the block ends."""
    store = advisor_store(dsn, "Team", "Anna", tmp_path / "anna")
    driver = Driver(OpenIntake(Channel(store), Settings(mode="advisor")))
    left_id = await _open_on_the_title(driver)
    intake = driver.intake
    allow_connections(pg_server.admin_dsn, dsn, False)
    try:
        assert intake.answer("Stoel (Anna's last answer)").saved.pending
        # the line's outcome came back, the window has not taken it in as she moves on
        assert await wait_until(lambda: driver.posted, timeout=PATIENCE)
        intake.new("en")
        told = _told(await driver.settle())
        assert len(told) == 1 and told[0].failure and told[0].intake_id == left_id, told
        yield store, driver, left_id
    finally:
        allow_connections(pg_server.admin_dsn, dsn, True)


async def test_a_left_intakes_answer_the_store_could_not_take_is_saved_with_the_next_save(
        pg_dsn, pg_server, tmp_path) -> None:
    """The store cannot be reached as the last answer's save of the intake Anna left is
    written: she is told, the answer stays in the window (``left_unsaved``; the intake is not
    opened again from the store meanwhile), and it is saved with the next save that
    succeeds, once the store is back."""
    dsn = initialised(pg_dsn)
    async with _left_while_the_store_is_down(pg_server, dsn, tmp_path) as (store, driver,
                                                                           left_id):
        intake = driver.intake
        assert intake.left_unsaved
        # opened again before its answers are saved: not from the store's older state
        new_id = intake.intake_id
        with pytest.raises(IntakeProblem) as refused:
            intake.resume(left_id, "en")
        assert refused.value.title in {"The last answers are not saved yet",
                                       "De laatste antwoorden zijn nog niet opgeslagen"}
        assert intake.intake_id == new_id and intake.left_unsaved
    assert intake.answer("Tafel").saved.pending  # the new intake's next answer
    said = await driver.settle()
    told = _told(said)
    assert len(told) == 1 and told[0].again and told[0].failure is None, told
    assert not told[0].merged and told[0].copy_id is None  # no colleague: saved as it is
    assert not intake.left_unsaved
    assert stored_answers(dsn, left_id)["project_title"] == "Stoel (Anna's last answer)"
    assert intake.finish_saves(PATIENCE)
    store.close()


@pytest.mark.parametrize("colleague_key", [SUMMARY, "project_title"], ids=["merged", "copy"])
async def test_the_terminal_tells_in_dutch_where_a_left_intakes_last_answer_went(
        pg_dsn, tmp_path, colleague_key: str) -> None:
    """Anna's terminal, in Dutch: her last answer of an intake she left for a new one (from
    the command palette) while its save waited meets Bram's save: of another answer (both
    are in the intake) or of the same one (hers is kept as a copy). The new intake's screen
    says which, in her language."""
    dsn = initialised(pg_dsn)
    store = advisor_store(dsn, "Team", "Anna", tmp_path / "anna")
    app = IntakeApp(store, Settings(mode="advisor", language="nl"), "nl",
                    export_dir=tmp_path / "exports")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.show_new(app.intake.import_draft(DraftSource.file(EXAMPLE), "nl"))
        assert await wait_until(lambda: not app.intake.saving, timeout=PATIENCE)
        left_id = app.intake_id
        assert left_id is not None
        app.jump_to("project_title")
        assert await wait_until(lambda: str(app.session.state) == "project_title"
                                and app.screen.query("#answer"), timeout=PATIENCE)
        colleague_saves(dsn, tmp_path, left_id, colleague_key, "Vier bedrijven (Bram).")
        with table_locked(dsn) as waiting:
            field = app.screen.field_for("project_title").query_one("#answer", Input)
            field.value = "Stoel (Anna's laatste antwoord)"
            field.focus()
            await pilot.press("enter")
            assert await wait_until(waiting, timeout=PATIENCE), "the save reached the store"
            app.action_new()  # what the palette's "Nieuwe intake" does
            assert await wait_until(lambda: app.intake_id not in (None, left_id),
                                    timeout=PATIENCE), "the new intake opened"
        new_id = app.intake_id
        if colleague_key == SUMMARY:
            def told() -> list[str]:
                return [str(n.message) for n in app._notifications
                        if "heeft de intake" in str(n.message) and left_id in str(n.message)]

            assert await wait_until(told, timeout=PATIENCE), [
                str(n.message) for n in app._notifications]
            text = told()[0]
            assert "allebei bewaard" in text
        else:
            assert await wait_until(lambda: isinstance(app.screen, MessageScreen)
                                    and app.screen.query("#close"),
                                    timeout=PATIENCE), "the copy is told"
            await pilot.pause()  # the message mounted whole before the App ends
            assert app.screen.title_text == "Uw laatste antwoorden van een andere intake"
            text = app.screen.text
            assert "aparte intake" in text
        assert text.startswith(f"Bram heeft de intake Stoel (Anna's laatste antwoord) "
                               f"({left_id}) intussen opgeslagen")
        assert app.intake_id == new_id and "NIET BEWAARD" not in app.sub_title
    answers = stored_answers(pg_dsn, left_id)
    if colleague_key == SUMMARY:
        assert answers["project_title"] == "Stoel (Anna's laatste antwoord)"
        assert answers[SUMMARY] == "Vier bedrijven (Bram)."
    else:
        assert answers["project_title"] == "Vier bedrijven (Bram)."
        copies = [i for i in _intakes_stored(pg_dsn) if i not in (left_id, new_id)]
        assert len(copies) == 1 and copies[0] in text
        assert stored_answers(pg_dsn, copies[0])["project_title"] == (
            "Stoel (Anna's laatste antwoord)")
    store.close()


async def test_a_left_intake_opened_again_while_its_last_answer_waits_opens_with_it(
        pg_dsn, tmp_path) -> None:
    """Anna leaves her intake while her last answer's save waits, and opens it again before
    that save is written: the service waits for it and merges it with Bram's newer save as
    ever, then opens the merged intake and says so. (Before, the store's older state was
    opened, the left answers were dropped, and the waiting save overwrote Bram's answer.)
    The save is held before it reaches the store (opening an intake writes to the store: a
    table lock would hold that too), and let go while the intake is being opened."""
    import threading

    dsn = initialised(pg_dsn)
    store = advisor_store(dsn, "Team", "Anna", tmp_path / "anna")
    driver = Driver(OpenIntake(Channel(store), Settings(mode="advisor")))
    left_id = await _open_on_the_title(driver)
    colleague_saves(dsn, tmp_path, left_id, SUMMARY, "Vier bedrijven maken een stoel (Bram).")
    intake = driver.intake
    go_on, held = threading.Event(), threading.Event()
    save = store.save

    def save_when_let_go(intake_id, state, meta):  # on the line's thread
        if intake_id == left_id and not go_on.is_set():
            held.set()
            assert go_on.wait(PATIENCE)
        return save(intake_id, state, meta)

    store.save = save_when_let_go  # type: ignore[method-assign]
    try:
        assert intake.answer("Stoel (Anna's last answer)").saved.pending
        assert await wait_until(held.is_set, timeout=PATIENCE), "the save did not start"
        intake.new("en")
        # let go while the intake is being opened (or before: the outcome is the same)
        threading.Timer(0.3, go_on.set).start()
        opened = intake.resume(left_id, "en")
    finally:
        go_on.set()
    assert opened.saved is not None and opened.saved.left is not None
    assert opened.saved.left.merged and opened.saved.left.by == "Bram"
    answers = intake.session.to_state_dict()["answers"]
    assert answers["project_title"] == "Stoel (Anna's last answer)"
    assert answers[SUMMARY] == "Vier bedrijven maken een stoel (Bram)."
    said = await driver.settle()
    assert all(saved.ok and saved.left is None for saved in said), said
    stored = stored_answers(pg_dsn, left_id)
    assert stored["project_title"] == "Stoel (Anna's last answer)"
    assert stored[SUMMARY] == "Vier bedrijven maken een stoel (Bram)."
    assert driver.intake.finish_saves(PATIENCE)
    store.close()


async def test_a_left_intakes_answer_the_store_could_not_take_is_saved_as_it_is_opened_again(
        pg_dsn, pg_server, tmp_path) -> None:
    """The store could not take the last answer of the intake Anna left; once it is back,
    opening that intake again saves the answer first (in-line) and opens it with it, said
    as saved now (before this, it could not be opened until another save succeeded)."""
    dsn = initialised(pg_dsn)
    async with _left_while_the_store_is_down(pg_server, dsn, tmp_path) as (store, driver,
                                                                           left_id):
        pass  # the store is back
    intake = driver.intake
    opened = intake.resume(left_id, "en")
    assert opened.saved is not None and opened.saved.left is not None
    assert opened.saved.left.again and opened.saved.left.failure is None
    assert not intake.left_unsaved
    assert intake.session.to_state_dict()["answers"]["project_title"] == (
        "Stoel (Anna's last answer)")
    assert stored_answers(dsn, left_id)["project_title"] == "Stoel (Anna's last answer)"
    assert intake.finish_saves(PATIENCE)
    store.close()

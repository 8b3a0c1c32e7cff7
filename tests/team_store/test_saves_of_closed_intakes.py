"""A save still waiting on the save line when its intake is closed, or erased in the team store,
never reaches the store: not as the intake, not as a new intake, not as a copy; and the line
goes on with the next intake's saves.

The service is driven as the terminal and the web drive it: what came of a save is posted from
the line's thread and taken in on the driver's (here: the test's). A save is held up for real:
another holder of the data folder's lock, or of the intake's row in PostgreSQL.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from waiting import wait_until

from intake_assistant.service.open_intake import Channel, OpenIntake
from intake_assistant.service.outcomes import DraftSource, Saved
from intake_assistant.storage import Settings
from intake_assistant.storage.saves import LOCK_FILE
from intake_assistant.stores.file_store import FileStore
from intake_assistant.stores.postgres_store import PostgresStore

from .helpers import advisor_store, initialised

EXAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "examples" / \
    "eligible-office-chair.json"
#: The KvK number of the example's lead participant: what ``store erase-client`` is given.
CLIENT_KVK = "11111111"
#: However busy the machine: as long as a condition needs, no longer.
PATIENCE = 30.0


class Driver:
    """The driver's side of one open intake whose saves go through the save line."""

    def __init__(self, intake: OpenIntake) -> None:
        self.intake = intake
        self.posted: list[Callable[[], Saved]] = []
        self._lock = threading.Lock()
        intake.save_in_background(self._post)
        assert not intake.saves_in_line, "the store's saves go through the save line"

    def _post(self, take_in: Callable[[], Saved]) -> None:  # on the line's thread
        with self._lock:
            self.posted.append(take_in)

    async def next_outcome(self) -> Callable[[], Saved]:
        """The next outcome the line posted, not yet taken in."""
        assert await wait_until(lambda: self.posted, timeout=PATIENCE), "no save came back"
        with self._lock:
            return self.posted.pop(0)

    async def settle(self) -> list[Saved]:
        """Take in what comes back until no save is on its way."""
        said = []
        while self.intake.saving:
            said.append((await self.next_outcome())())
        return said


def _title(store_state: dict | None) -> str | None:
    return None if store_state is None else store_state["answers"].get("project_title")


async def _open_on_the_title(driver: Driver) -> str:
    """The example imported and saved, then its title question current (saved too)."""
    intake = driver.intake
    intake.import_draft(DraftSource.file(EXAMPLE), "en")
    assert intake.go_to("project_title").done
    assert all(saved.ok for saved in await driver.settle())
    assert intake.intake_id is not None
    return intake.intake_id


async def _answer_then_again(intake: OpenIntake, first: str, second: str,
                             in_flight: Callable[[], bool]) -> None:
    """Answer the title (its save is written, held up by the store: ``in_flight``), then go
    back and answer it again: that save waits on the line behind the first."""
    assert intake.answer(first).saved.pending
    assert await wait_until(in_flight, timeout=PATIENCE), "the first save reached the store"
    assert intake.go_to("project_title").saved.pending
    assert intake.answer(second).saved.pending


# -- what holds a save up --------------------------------------------------------------------
def _flock_waiters(lock_file: Path) -> int:
    """How many wait for the flock of ``lock_file`` (Linux's /proc/locks marks them ``->``)."""
    inode = os.stat(lock_file).st_ino
    with open("/proc/locks", encoding="ascii") as locks:
        return sum(1 for line in locks if "->" in line and line.split()[6].endswith(
            f":{inode}"))


@contextlib.contextmanager
def _data_folder_locked(store: FileStore) -> Iterator[Callable[[], bool]]:
    """Another writer holds the data folder's lock: a save waits for it. Yields whether a
    save waits for it now."""
    if not os.path.exists("/proc/locks"):
        pytest.skip("no /proc/locks here to see a save waiting for the data folder's lock")
    lock_file = store.root / LOCK_FILE
    with open(lock_file, "a+b") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        yield lambda: _flock_waiters(lock_file) >= 1


def _waiting_on_locks(dsn: str) -> int:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                            "current_database() AND wait_event_type = 'Lock'").fetchone()[0]


@contextlib.contextmanager
def _row_locked(dsn: str, intake_id: str) -> Iterator[Callable[[], bool]]:
    """Another connection holds the intake's row (as a long transaction does): a save waits
    for it. Yields whether a save waits for it now; the row is let go at the end."""
    holder = psycopg.connect(dsn)  # the owner: no policies
    try:
        holder.execute("SELECT FROM intake_store.intakes WHERE id = %s FOR UPDATE",
                       (intake_id,))
        yield lambda: _waiting_on_locks(dsn) >= 1
    finally:
        holder.rollback()
        holder.close()


# -- closed -------------------------------------------------------------------------------------
@pytest.fixture(params=["files", "postgresql"])
def store_kind(request: pytest.FixtureRequest) -> str:
    return request.param


async def _on_the_title_then_held_up(kind: str, tmp_path: Path, request: pytest.FixtureRequest
                                     ) -> tuple[FileStore | PostgresStore, Driver, str,
                                                contextlib.AbstractContextManager[
                                                    Callable[[], bool]]]:
    """Anna's intake on a store of ``kind`` (its saves written on the save line), open on the
    title: (the store, its driver, the intake's id, what holds its next save up)."""
    if kind == "files":
        store: FileStore | PostgresStore = FileStore(tmp_path / "data")
        store.across_network = True  # a data folder on a network share: the line writes
    else:
        dsn = initialised(request.getfixturevalue("pg_dsn"))
        store = advisor_store(dsn, "Team", "Anna", tmp_path / "anna")
    driver = Driver(OpenIntake(Channel(store), Settings(mode="advisor")))
    intake_id = await _open_on_the_title(driver)
    held = (_data_folder_locked(store) if isinstance(store, FileStore)
            else _row_locked(dsn, intake_id))
    return store, driver, intake_id, held


async def test_a_save_waiting_when_the_intake_is_closed_is_never_written(store_kind, tmp_path,
                                                                          request) -> None:
    store, driver, intake_id, held = await _on_the_title_then_held_up(store_kind, tmp_path,
                                                                      request)
    intake = driver.intake
    with held as in_flight:
        await _answer_then_again(intake, "Stoel (written)", "Stoel (waiting)", in_flight)
        intake.close()  # the answers may go (the window said so, or they were saved)
    assert intake.finish_saves(PATIENCE)
    store.forget(intake_id)
    # the save handed to the store before the close is written; the one waiting is not
    assert _title(store.load(intake_id).state) == "Stoel (written)"
    store.close()


async def test_the_last_save_of_an_intake_left_for_another_is_still_written(store_kind,
                                                                             tmp_path,
                                                                             request) -> None:
    """A new intake opened (or imported) while the last answer's save of the one before still
    waits: that answer is saved all the same, and so is the new intake."""
    store, driver, first_id, held = await _on_the_title_then_held_up(store_kind, tmp_path,
                                                                     request)
    intake = driver.intake
    with held as in_flight:
        await _answer_then_again(intake, "Stoel (written)", "Stoel (waiting)", in_flight)
        intake.new("en")  # the App's "new" while a save is on its way
    assert all(saved.ok for saved in await driver.settle())
    second_id = intake.intake_id
    assert second_id is not None and second_id != first_id
    assert intake.finish_saves(PATIENCE)
    store.forget(first_id)
    assert _title(store.load(first_id).state) == "Stoel (waiting)"
    assert store.load(second_id).state["answers"] == {}
    store.close()


# -- erased -------------------------------------------------------------------------------------
@contextlib.asynccontextmanager
async def _erased_while_a_save_waits(dsn: str, tmp_path: Path, intake_id: str
                                     ) -> AsyncIterator[Callable[[], bool]]:
    """The client's data is erased (``store erase-client`` by a colleague) while the open
    intake's row is held: the erasure goes first once the row is let go, the save written
    meanwhile after it. Yields whether both wait for the row."""
    bram = advisor_store(dsn, "Team", "Bram", tmp_path / "bram")
    erased: list[list[str]] = []
    eraser = threading.Thread(target=lambda: erased.append(bram.erase_client(CLIENT_KVK)))
    with _row_locked(dsn, intake_id) as waiting:
        eraser.start()
        assert await wait_until(waiting, timeout=PATIENCE), "the erasure waits for the row"
        yield lambda: _waiting_on_locks(dsn) >= 2
    eraser.join(PATIENCE)
    assert erased == [[intake_id]]
    bram.close()


def _intakes_stored(dsn: str) -> list[str]:
    with psycopg.connect(dsn, autocommit=True) as conn:  # the owner: every team's rows
        return [row[0] for row in conn.execute("SELECT id FROM intake_store.intakes")]


async def _annas_intake_erased(pg_dsn: str, tmp_path: Path) -> tuple[PostgresStore, Driver,
                                                                       str]:
    """Anna's intake on the title; erased by a colleague while her answer's save is written
    and her next answer's waits on the line. The first save's conflict (the row is gone) is
    posted and not taken in yet."""
    dsn = initialised(pg_dsn)
    store = advisor_store(dsn, "Team", "Anna", tmp_path / "anna")
    driver = Driver(OpenIntake(Channel(store), Settings(mode="advisor")))
    intake_id = await _open_on_the_title(driver)
    async with _erased_while_a_save_waits(dsn, tmp_path, intake_id) as both_wait:
        await _answer_then_again(driver.intake, "Stoel (written)", "Stoel (waiting)",
                                 both_wait)
    assert intake_id not in _intakes_stored(dsn)
    return store, driver, intake_id


async def test_an_intake_erased_while_its_save_waits_is_not_written_back_as_a_copy(
        pg_dsn, tmp_path) -> None:
    store, driver, _intake_id = await _annas_intake_erased(pg_dsn, tmp_path)
    intake = driver.intake
    # the conflict comes back before the notice of the erasure: the service finds the
    # intake erased rather than keeping the answers as a copy
    saved = (await driver.next_outcome())()
    assert saved.erased and not saved.ok
    assert intake.session is None and intake.intake_id is None
    assert intake.finish_saves(PATIENCE)
    assert _intakes_stored(pg_dsn) == []  # not as the intake, not as a copy
    store.close()


async def test_an_erasure_heard_closes_the_intake_and_the_next_intake_is_saved(
        pg_dsn, tmp_path) -> None:
    store, driver, intake_id = await _annas_intake_erased(pg_dsn, tmp_path)
    intake = driver.intake
    # the notice of the erasure comes first: the service closes the intake
    taken = intake.take_in_change(store.changed_since(intake_id))
    assert taken.meaning == "erased"
    assert intake.session is None and intake.intake_id is None
    (await driver.next_outcome())()  # the first save's conflict, after the close
    assert not intake.saving
    # the line goes on: a new intake's saves are written, and nothing of the erased one
    intake.new("en")
    assert all(saved.ok for saved in await driver.settle())
    assert _intakes_stored(pg_dsn) == [intake.intake_id]
    assert intake.finish_saves(PATIENCE)
    store.close()


async def test_closing_while_a_conflicting_save_is_held_lets_the_next_intake_be_saved(
        pg_dsn, tmp_path) -> None:
    """The terminal closes an intake (to the start screen) while the line holds a conflicting
    save of it for a merge that will not come: the line holds nothing of the next intake."""
    store, driver, _intake_id = await _annas_intake_erased(pg_dsn, tmp_path)
    intake = driver.intake
    intake.close()
    (await driver.next_outcome())()
    intake.new("en")
    assert all(saved.ok for saved in await driver.settle())
    assert _intakes_stored(pg_dsn) == [intake.intake_id]
    assert intake.finish_saves(PATIENCE)
    store.close()


# -- anonymised --------------------------------------------------------------------------------
@pytest.mark.parametrize("asks_on_conflict", [True, False], ids=["terminal", "web"])
def test_an_intake_anonymised_by_a_purge_is_closed_at_its_next_save_not_copied(
        pg_dsn, tmp_path, asks_on_conflict: bool) -> None:
    """The team's retention ran out while the intake was open in a window: ``store purge
    --anonymise`` kept only its verdict and round. The window's next answer does not bring the
    client's data back, neither over the anonymised intake nor as a copy (the web visitor's
    way with a conflict)."""
    from intake_assistant.stores.team_admin import set_retention

    dsn = initialised(pg_dsn)
    store = advisor_store(dsn, "Team", "Anna", tmp_path / "anna")
    intake = OpenIntake(Channel(store, asks_on_conflict=asks_on_conflict),
                        Settings(mode="advisor"))
    intake.import_draft(DraftSource.file(EXAMPLE), "en")
    assert intake.go_to("project_title").saved.ok
    intake_id = intake.intake_id
    with psycopg.connect(dsn, autocommit=True) as conn:  # the owner
        set_retention(conn, "Team", 30)
        conn.execute("UPDATE intake_store.intakes SET updated_at = now() - interval '40 days' "
                     "WHERE id = %s", (intake_id,))
    bram = advisor_store(dsn, "Team", "Bram", tmp_path / "bram")
    assert bram.purge(anonymise=True).intakes == [intake_id]
    saved = intake.answer("Stoel (after the purge)").saved
    assert saved.erased and not saved.ok
    assert intake.session is None and intake.intake_id is None
    assert _intakes_stored(dsn) == [intake_id]  # no copy
    bram.forget(intake_id)
    assert bram.load(intake_id).state["answers"] == {}  # still anonymised
    bram.close()
    store.close()

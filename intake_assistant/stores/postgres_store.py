"""A team's intakes in PostgreSQL: the store several advisors on several machines share.

Each call is one short transaction that first says who works in it: the app's role
(``intake_assistant_app``, which owns nothing, so row-level security applies to it) and the hash
of the advisor's token. The database decides from that hash which team's rows exist for the
transaction; no query here names a team, so none can reach another team's intakes. Both are
set for the transaction only (``set_config(..., true)``), which also works through a pooler in
transaction mode.

Every save is a compare-and-set on the intake's revision: an update of the revision this store
last read or wrote, or the insert of a new intake. A save over any other revision writes
nothing and raises ``SaveConflictError``. Opening an intake is written to the access log.

This module must not import textual or aiohttp.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from intake_assistant.i18n import Message
from intake_assistant.storage import (
    DEFAULT_KEPT_STATES,
    MAX_KEPT_STATES,
    MAX_SAVE_BYTES,
    SAVE_VERSION,
    DamagedSave,
    DamagedSaveError,
    HeaderList,
    IntakeHeader,
    IntakeMeta,
    NewerSave,
    NewerSaveError,
    SaveConflictError,
    SavedIntake,
    Settings,
    Storage,
    now_iso,
)
from intake_assistant.storage.index import _sort_time as sort_time  # the list's one order
from intake_assistant.stores import postgres_schema
from intake_assistant.stores.advisor_tokens import could_be_token, token_hash
from intake_assistant.stores.store_protocol import (
    AdvisorRevokedError,
    StoreAccessError,
    StoreUnavailableError,
)

SCHEMA = postgres_schema.SCHEMA
CONNECT_TIMEOUT_SECONDS = 10
REVOCATION_SCHEMA = 5  # the schema version that has require_advisor()
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")
#: The name of the advisor an intake belongs to (a row only where the team has the intake).
_BELONGS_TO = (f"SELECT c.name FROM {SCHEMA}.intakes i LEFT JOIN {SCHEMA}.colleagues c "
               f"ON c.id = i.advisor_id WHERE i.id = %s")
_NOT_VALID = Message("the advisor token is not valid for this store (wrong, or revoked)")
#: Access log actions (the table's CHECK lists the same).
LOG_ACTIONS = ("open", "import", "copy", "export", "reassign", "delete", "purge", "erase")


@dataclass(frozen=True, slots=True)
class Advisor:
    """Who works through this store: the advisor the token belongs to, and their team."""

    id: int
    name: str
    team_id: int
    team_name: str



def _check_id(intake_id: str) -> None:
    """The ids a data folder accepts (the table's CHECK says the same)."""
    if not _ID.match(intake_id or ""):
        raise ValueError(f"bad intake id {intake_id!r}")


def _record_path(intake_id: str) -> Path:
    """What names a stored intake in messages (the file it would be in a data folder)."""
    return Path(f"{intake_id}.json")


@dataclass(frozen=True, slots=True)
class ClientRecords:
    """What the team holds on one client (``PostgresStore.client_records``)."""

    intakes: list[SavedIntake]
    earlier: dict[str, list[SavedIntake]]
    log: dict[str, list[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class Reassigned:
    """An intake handed to a colleague: who had it (None: nobody known) and who has it."""

    intake_id: str
    before: str | None
    after: str


@dataclass(frozen=True, slots=True)
class PurgeResult:
    retention_days: int | None
    intakes: list[str]


@dataclass(frozen=True, slots=True)
class Change:
    """A save (or the deletion: ``revision`` None) of an intake by someone else."""

    intake_id: str
    revision: int | None
    by: str | None  # the colleague's name; None when unknown (a deletion, a removed advisor)
    at: dt.datetime | None
    #: The answers and provenance records as saved now (None: a deletion): a save that
    #: only moved to another question changed neither.
    answers: dict[str, Any] | None = None
    provenance: dict[str, Any] | None = None
    #: The client's data erased (``store erase-client``, a purge that deleted or anonymised
    #: the intake): nothing of it may be saved again.
    erased: bool = False


class ChangeWatch:
    """Waits for the team's change notices (LISTEN/NOTIFY) and says which intake changed."""

    def __init__(self, store: PostgresStore, conn: psycopg.Connection, channel: str) -> None:
        self._store = store
        self._conn = conn
        #: Notices received and not handed out yet (``notice``).
        self._backlog: deque[str] = deque()
        conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))

    def wait(self, intake_ids: set[str] | Callable[[], set[str]], timeout: float
             ) -> Change | None:
        """The first change by someone else of one of ``intake_ids`` within ``timeout``
        seconds (None: none came). A notice of the store's own save is passed over.
        ``intake_ids`` may be a function: the intakes open when a notice comes (a window
        that opens one while waiting hears its changes from then on)."""
        open_ids = intake_ids if callable(intake_ids) else (lambda: intake_ids)
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            heard = self.notice(left)
            if heard is not None and heard in open_ids():
                change = self._store.changed_since(heard)
                if change is not None:
                    return change
        return None

    def notice(self, timeout: float) -> str | None:
        """The id of the next intake of the team saved or deleted (by anyone) within
        ``timeout`` seconds; None: none was. Notices that came together (one transaction
        deleting several intakes) are handed out one by one."""
        if not self._backlog:
            try:  # the whole packet: notices after the first would be lost with the rest
                self._backlog.extend(notice.payload for notice in
                                     self._conn.notifies(timeout=timeout, stop_after=1))
            except psycopg.OperationalError as exc:
                raise StoreUnavailableError(Message(
                    "the store cannot be reached: {reason}", reason=reason_of(exc))) from exc
        return self._backlog.popleft() if self._backlog else None

    def close(self) -> None:
        self._conn.close()


# An anonymised intake keeps its round (ruleset), language and verdict: what statistics need,
# nothing that names or measures a firm. It still opens (an intake without answers).
_ANONYMOUS_STATE = (
    "jsonb_build_object('format', state -> 'format', 'format_version', state -> 'format_version',"
    " 'ruleset', state -> 'ruleset', 'language', state -> 'language', 'answers', '{}'::jsonb,"
    " 'provenance', '{}'::jsonb, 'draft_meta', jsonb_build_object("
    "'ruleset', state -> 'draft_meta' -> 'ruleset', 'language', state -> 'draft_meta' -> "
    "'language'))")
_ANONYMOUS_META = (
    "jsonb_build_object('title', '', 'participants', '[]'::jsonb, 'updated', meta -> 'updated',"
    " 'verdict', meta -> 'verdict', 'language', meta -> 'language', 'state', null)")


class PostgresStore:
    """The intakes of the advisor's team in one PostgreSQL database."""

    #: Each save is a round trip to a server: a window writes them off its drawing thread.
    across_network = True

    def __init__(self, dsn: str, token: str | None,
                 data_dir: str | os.PathLike[str] | None = None) -> None:
        if not token:
            raise StoreAccessError(Message(
                "no advisor token: set INTAKE_ASSISTANT_ADVISOR_TOKEN to the token "
                "'store add-advisor' printed"))
        if not could_be_token(token):
            raise StoreAccessError(_NOT_VALID)
        #: This machine's data folder: its settings (language, who answers) stay per person
        #: and machine; only the intakes are the team's.
        self.local = Storage(data_dir)
        self.root = self.local.root
        self.intakes_dir = self.local.intakes_dir
        self._dsn = dsn
        self._hash = token_hash(token).hex()
        # one transaction at a time on the connection; a save holds it until its revision is
        # recorded, so a listener never takes this store's own save for a colleague's
        self._lock = threading.RLock()
        self._conn: psycopg.Connection | None = None
        #: The revision of each intake as this store last read or wrote it.
        self._revisions: dict[str, int] = {}
        #: Access log lines written with the next save of an intake (``log_with_save``),
        #: in its transaction: an import is logged once it is in the store, and a window
        #: whose saves run off its drawing thread pays no round trip of its own for it.
        self._logs_with_save: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        self._logs_lock = threading.Lock()  # the window's thread adds, the save line's writes
        # who the token is, before the schema's own check of it (an older schema has none)
        with self._work(checked=False) as conn:
            version = postgres_schema.installed_version(conn)
            if version == 0:
                raise StoreAccessError(Message(
                    "the store has no intake tables yet: run 'intake-assistant store init' "
                    "first"))
            if version > postgres_schema.latest_version():
                raise StoreAccessError(Message(
                    "the store was set up by a newer version of intake-assistant (schema "
                    "{found}); use that version", found=str(version)))
            row = conn.execute(f"SELECT * FROM {SCHEMA}.whoami()").fetchone()
        #: The schema refuses a revoked token in each transaction (since migration 5).
        self._checks_revocation = version >= REVOCATION_SCHEMA
        if row is None:
            raise StoreAccessError(_NOT_VALID)
        self.advisor = Advisor(id=row[0], name=row[1], team_id=row[2], team_name=row[3])

    # -- connection ----------------------------------------------------------------------
    def _connect(self) -> psycopg.Connection:
        try:
            return psycopg.connect(self._dsn, autocommit=True,
                                   connect_timeout=CONNECT_TIMEOUT_SECONDS,
                                   application_name="intake-assistant")
        except psycopg.Error as exc:
            raise StoreUnavailableError(Message(
                "the store cannot be reached: {reason}", reason=reason_of(exc))) from exc

    @contextmanager
    def _work(self, *, checked: bool = True, as_hash: str | None = None
              ) -> Iterator[psycopg.Connection]:
        """One transaction as the app's role and this advisor (``as_hash``: the advisor of
        that token hash). ``checked``: the database refuses a revoked token first
        (``AdvisorRevokedError``), in the same round trip. A connection the server dropped
        while it was idle (a restart, a failover, a pooler's idle timeout) is found as the
        transaction begins, before any work: it is made again at once, once."""
        with self._lock:
            try:
                conn, begun = self._begin(checked=checked, as_hash=as_hash)
                with begun:
                    yield conn
            except psycopg.errors.InvalidAuthorizationSpecification as exc:
                raise AdvisorRevokedError(Message(
                    "the advisor token of {name} was revoked: this store refuses it from now "
                    "on; ask the store's administrator for a new token",
                    name=self.advisor.name)) from exc
            except psycopg.OperationalError as exc:
                if self._conn is not None:
                    self._conn.close()
                raise StoreUnavailableError(Message(
                    "the store cannot be reached: {reason}", reason=reason_of(exc))) from exc
            except (psycopg.errors.InsufficientPrivilege, psycopg.DataError,
                    psycopg.IntegrityError) as exc:  # e.g. a NUL character, which JSONB refuses
                raise StoreUnavailableError(Message(
                    "the store refused the work: {reason}", reason=reason_of(exc))) from exc

    def _begin(self, *, checked: bool, as_hash: str | None
               ) -> tuple[psycopg.Connection, ExitStack]:
        """The connection and its transaction begun (the caller holds the lock)."""
        for attempt in (1, 2):
            if self._conn is None or self._conn.closed:
                self._conn = self._connect()
            conn = self._conn
            begun = ExitStack()
            try:
                # a pipeline: BEGIN, who works, the work and COMMIT in two round trips, not
                # four (a managed server is a network hop away)
                begun.enter_context(conn.pipeline())
                begun.enter_context(conn.transaction())
                conn.execute("SELECT set_config('role', %s, true), "
                             "set_config('intake_store.token_hash', %s, true)",
                             (postgres_schema.APP_ROLE, as_hash or self._hash))
                if checked and self._checks_revocation:
                    conn.execute(f"SELECT {SCHEMA}.require_advisor()")
            except psycopg.errors.InvalidAuthorizationSpecification:
                with contextlib.suppress(psycopg.Error):
                    begun.close()
                raise  # a revoked token, not a lost connection
            except psycopg.OperationalError as exc:
                with contextlib.suppress(psycopg.Error):
                    begun.close()
                conn.close()
                if attempt == 2:
                    raise StoreUnavailableError(Message(
                        "the store cannot be reached: {reason}",
                        reason=reason_of(exc))) from exc
                continue
            return conn, begun
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def describe(self) -> str:
        return f"{self.advisor.team_name} ({self.advisor.name})"

    def advisor_of(self, token: str) -> Advisor | None:
        """The advisor (of any team) whose token this is, not revoked; None: a wrong or revoked
        token. On this store's connection: no connection of its own per question."""
        with self._work(checked=False, as_hash=token_hash(token).hex()) as conn:
            row = conn.execute(f"SELECT * FROM {SCHEMA}.whoami()").fetchone()
        return Advisor(id=row[0], name=row[1], team_id=row[2], team_name=row[3]) if row else None

    # -- this machine's part ---------------------------------------------------------------
    def load_settings(self) -> Settings:
        return self.local.load_settings()

    def save_settings(self, settings: Settings) -> None:
        self.local.save_settings(settings)

    def remove_stale_temp_files(self) -> list[Path]:
        return self.local.remove_stale_temp_files()

    def set_aside(self, path: Path, reason: Message) -> DamagedSave:
        """An intake the program cannot open is reported, never moved or deleted: it is the
        team's, and another version of the program may read it."""
        return DamagedSave(original=path, moved_to=None, reason=reason, left_in_place=True)

    # -- intakes -------------------------------------------------------------------------
    new_id = staticmethod(Storage.new_id)

    def save(self, intake_id: str, state: dict[str, Any], meta: IntakeMeta) -> Path:
        """Write one intake if nobody saved it since this store read or wrote it."""
        _check_id(intake_id)
        if not meta.updated:
            meta = replace(meta, updated=now_iso())
        state_text, meta_text = _state_text(state), _meta_text(meta)
        if len(state_text.encode("utf-8")) + len(meta_text.encode("utf-8")) > MAX_SAVE_BYTES:
            raise StoreUnavailableError(Message(
                "the intake is too large to save ({size} bytes; at most {limit})",
                size=str(len(state_text)), limit=str(MAX_SAVE_BYTES)))
        with self._lock:
            return self._save(intake_id, state_text, meta_text)

    def _save(self, intake_id: str, state_text: str, meta_text: str) -> Path:
        expected = self._revisions.get(intake_id)
        with self._work() as conn:
            if expected is None:
                row = conn.execute(
                    f"INSERT INTO {SCHEMA}.intakes (id, revision, meta, state, format_version,"
                    f" updated_by) VALUES (%s, 1, %s::jsonb, %s::jsonb, %s, "
                    f"{SCHEMA}.current_advisor()) ON CONFLICT DO NOTHING RETURNING revision",
                    (intake_id, meta_text, state_text, SAVE_VERSION)).fetchone()
            else:
                row = conn.execute(
                    f"UPDATE {SCHEMA}.intakes SET revision = revision + 1, meta = %s::jsonb, "
                    f"state = %s::jsonb, format_version = %s, updated_at = now(), "
                    f"updated_by = {SCHEMA}.current_advisor() "
                    f"WHERE id = %s AND revision = %s RETURNING revision",
                    (meta_text, state_text, SAVE_VERSION, intake_id, expected)).fetchone()
            with self._logs_lock:
                logs = list(self._logs_with_save.get(intake_id, ())) if row else []
            for action, detail in logs:
                _log(conn, action, intake_id, detail)
        if row is None:
            raise SaveConflictError(_record_path(intake_id))
        if logs:
            with self._logs_lock:
                left = self._logs_with_save.pop(intake_id, [])[len(logs):]
                if left:
                    self._logs_with_save[intake_id] = left
        self._revisions[intake_id] = row[0]
        return _record_path(intake_id)

    def log_with_save(self, action: str, intake_id: str, detail: dict[str, Any]) -> None:
        """Write an access log line with the next save of ``intake_id`` that succeeds (in
        its transaction): an imported intake's import. Safe from any thread."""
        if action not in LOG_ACTIONS:
            raise ValueError(f"not an access log action: {action}")
        with self._logs_lock:
            self._logs_with_save.setdefault(intake_id, []).append((action, dict(detail)))

    def forget(self, intake_id: str) -> None:
        self._revisions.pop(intake_id, None)

    def load(self, intake_id: str) -> SavedIntake:
        """Read one intake of the team; ``FileNotFoundError`` when the team has none by that
        id. An open is logged: a read of an intake this store does not hold open (read or
        written since ``forget``); reading it again to merge a colleague's save or to reload
        is the same open, not another line."""
        return self._load(intake_id, opening=intake_id not in self._revisions)

    def load_again(self, intake_id: str) -> SavedIntake:
        """As ``load``, for the same open continued (the web intake let the intake go while
        it was idle and reads it again at its visitor's next page): no new line is logged."""
        return self._load(intake_id, opening=False)

    def _load(self, intake_id: str, *, opening: bool) -> SavedIntake:
        with self._work() as conn:
            row = conn.execute(
                f"SELECT revision, meta::text, state::text, format_version "
                f"FROM {SCHEMA}.intakes WHERE id = %s", (intake_id,)).fetchone()
            if row is not None and opening:
                _log(conn, "open", intake_id)
        if row is None:
            raise FileNotFoundError(intake_id)
        saved = _saved(intake_id, *row)
        self._revisions[intake_id] = saved.revision
        return saved

    def holds(self, intake_id: str) -> bool:
        """Whether the team has an intake by this id (not an open: nothing is logged)."""
        with self._work() as conn:
            row = conn.execute(f"SELECT EXISTS (SELECT FROM {SCHEMA}.intakes WHERE id = %s)",
                               (intake_id,)).fetchone()
        return bool(row and row[0])

    def has_intakes(self) -> bool:
        with self._work() as conn:
            row = conn.execute(f"SELECT EXISTS (SELECT FROM {SCHEMA}.intakes)").fetchone()
        return bool(row and row[0])

    def list_headers(self, *, set_aside: bool = True) -> HeaderList:
        """Every intake of the team, newest first. Nothing is set aside in a shared store: an
        unreadable one is only reported."""
        with self._work() as conn:
            rows = conn.execute(
                f"SELECT i.id, i.revision, i.meta::text, i.format_version, owner.name, "
                f"last.name FROM {SCHEMA}.intakes i "
                f"LEFT JOIN {SCHEMA}.colleagues owner ON owner.id = i.advisor_id "
                f"LEFT JOIN {SCHEMA}.colleagues last ON last.id = i.updated_by "
                f"ORDER BY i.id").fetchall()
        result = HeaderList()
        for intake_id, revision, meta_text, version, owner, last in rows:
            path = _record_path(intake_id)
            if version > SAVE_VERSION:
                result.newer.append(NewerSave(path, version))
                continue
            try:
                meta = IntakeMeta.from_json(_parsed(meta_text))
            except ValueError:
                result.damaged.append(_damaged(intake_id, Message("the metadata is damaged")))
                continue
            result.intakes.append(IntakeHeader(intake_id, path, meta, revision,
                                               belongs_to=owner, changed_by=last))
        # the order of the data folder's list: by the last change the save names
        result.intakes.sort(key=lambda h: sort_time(h.meta.updated), reverse=True)
        return result

    def copy_in(self, saved: SavedIntake, earlier: list[SavedIntake]) -> bool:
        """Add an intake from a data folder with its revision and kept states, unless the team
        already has one by that id (then nothing changes: a second copy adds nothing)."""
        _check_id(saved.id)
        with self._work() as conn:
            row = conn.execute(
                f"INSERT INTO {SCHEMA}.intakes (id, revision, meta, state, format_version, "
                f"updated_by, updated_at) VALUES (%s, %s, %s::jsonb, %s::jsonb, %s, "
                f"{SCHEMA}.current_advisor(), coalesce(%s, now())) "
                f"ON CONFLICT DO NOTHING RETURNING id",
                (saved.id, max(1, saved.revision), _meta_text(saved.meta),
                 _state_text(saved.state), SAVE_VERSION, _changed_at(saved.meta))).fetchone()
            if row is None:
                return False
            for state in earlier:
                conn.execute(
                    f"INSERT INTO {SCHEMA}.kept_states (intake_id, revision, meta, state, "
                    f"format_version) VALUES (%s, %s, %s::jsonb, %s::jsonb, %s) "
                    f"ON CONFLICT DO NOTHING",
                    (saved.id, state.revision, _meta_text(state.meta), _state_text(state.state),
                     SAVE_VERSION))
            _log(conn, "copy", saved.id, {"kept_states": len(earlier)})
        return True

    def delete(self, intake_id: str) -> bool:
        """Remove one intake of the team with its kept states; the access log keeps a line."""
        with self._work() as conn:
            gone = conn.execute(f"DELETE FROM {SCHEMA}.intakes WHERE id = %s RETURNING id",
                                (intake_id,)).fetchone()
            if gone is not None:
                _log(conn, "delete", intake_id)
        self._revisions.pop(intake_id, None)
        return gone is not None

    def reassign(self, intake_id: str, to_name: str) -> Reassigned:
        """Hand one intake of the team to the colleague named ``to_name`` (an advisor of the
        team, not revoked); the access log keeps who had it and who has it now.
        ``FileNotFoundError``: the team has no such intake; ``LookupError``: no such colleague.
        """
        with self._work() as conn:
            row = conn.execute(_BELONGS_TO + " FOR UPDATE OF i", (intake_id,)).fetchone()
            if row is None:
                raise FileNotFoundError(intake_id)
            before = row[0]
            to_id = conn.execute(f"SELECT {SCHEMA}.active_colleague(%s)",
                                 (to_name,)).fetchone()[0]
            if to_id is None:
                raise LookupError(to_name)
            conn.execute(f"UPDATE {SCHEMA}.intakes SET advisor_id = %s WHERE id = %s",
                         (to_id, intake_id))
            _log(conn, "reassign", intake_id, {"from": before, "to": to_name})
        return Reassigned(intake_id, before, to_name)

    def belongs_to(self, intake_id: str) -> str | None:
        """The name of the advisor the intake belongs to (None: nobody known)."""
        with self._work() as conn:
            row = conn.execute(_BELONGS_TO, (intake_id,)).fetchone()
        if row is None:
            raise FileNotFoundError(intake_id)
        return row[0]

    # -- a colleague's changes -----------------------------------------------------------
    def changed_since(self, intake_id: str) -> Change | None:
        """Who saved ``intake_id`` since this store last read or wrote it, and when; None when
        nobody did. A deleted intake is a change by nobody known."""
        with self._work() as conn:
            row = conn.execute(
                f"SELECT i.revision, c.name, i.updated_at, (i.state -> 'answers')::text, "
                f"(i.state -> 'provenance')::text, i.anonymised_at IS NOT NULL "
                f"FROM {SCHEMA}.intakes i "
                f"LEFT JOIN {SCHEMA}.colleagues c ON c.id = i.updated_by WHERE i.id = %s",
                (intake_id,)).fetchone()
            last = None if row is not None else conn.execute(
                f"SELECT action FROM {SCHEMA}.access_log WHERE intake_id = %s "
                f"ORDER BY id DESC LIMIT 1", (intake_id,)).fetchone()
        if row is None:
            return Change(intake_id, revision=None, by=None, at=None,
                          erased=last is not None and last[0] in ("erase", "purge"))
        if row[5]:  # anonymised by a purge: as erased, the client's data is not saved again
            return Change(intake_id, revision=row[0], by=None, at=row[2], erased=True)
        known = self._revisions.get(intake_id)
        if known is not None and row[0] == known:
            return None
        try:
            answers, records = (_parsed(text) if text else None for text in row[3:5])
        except ValueError:  # unreadable: a change all the same
            answers = records = None
        return Change(intake_id, revision=row[0], by=row[1], at=row[2],
                      answers=answers if isinstance(answers, dict) else None,
                      provenance=records if isinstance(records, dict) else None)

    def watch(self) -> ChangeWatch:
        """A listener for the team's saves (its own connection: a session, not the pool's
        transactions). Close it when the window closes."""
        with self._work() as conn:
            channel = conn.execute(f"SELECT {SCHEMA}.team_channel()").fetchone()[0]
        return ChangeWatch(self, self._connect(), channel)

    # -- the client's rights (AVG/GDPR) -------------------------------------------------
    def client_records(self, kvk: str) -> ClientRecords:
        """Everything the team holds on the client with this KvK number: each intake that
        names it (now or in a kept state) with its kept states, and their access log lines.
        The export is logged (without the number: for a sole trader it is personal data)."""
        with self._work() as conn:
            rows = conn.execute(
                f"SELECT id, revision, meta::text, state::text, format_version "
                f"FROM {SCHEMA}.intakes i WHERE {SCHEMA}.holds_kvk(i.state, %s) OR EXISTS "
                f"(SELECT FROM {SCHEMA}.kept_states k WHERE k.intake_id = i.id "
                f"AND {SCHEMA}.holds_kvk(k.state, %s)) ORDER BY id", (kvk, kvk)).fetchall()
            for row in rows:
                _log(conn, "export", row[0], {"why": "client"})
        intakes = [_saved(*row) for row in rows]
        return ClientRecords(
            intakes=intakes,
            earlier={saved.id: self.earlier_states(saved.id) for saved in intakes},
            log={saved.id: self.access_log(saved.id) for saved in intakes})

    def erase_client(self, kvk: str) -> list[str]:
        """Delete every intake that names this KvK number (now or in a kept state), and any
        other kept state naming it; the access log keeps one line per intake, without it."""
        with self._work() as conn:
            erased = [row[0] for row in conn.execute(
                f"DELETE FROM {SCHEMA}.intakes i WHERE {SCHEMA}.holds_kvk(i.state, %s) "
                f"OR EXISTS (SELECT FROM {SCHEMA}.kept_states k WHERE k.intake_id = i.id "
                f"AND {SCHEMA}.holds_kvk(k.state, %s)) RETURNING id", (kvk, kvk)).fetchall()]
            for intake_id in erased:
                _log(conn, "erase", intake_id, {"why": "client"})
        for intake_id in erased:
            self._revisions.pop(intake_id, None)
        return sorted(erased)

    def purge(self, *, anonymise: bool) -> PurgeResult:
        """The team's intakes not changed within its retention period: deleted, or with
        ``anonymise`` kept with only their verdict and round (names, numbers, figures and
        kept states dropped). ``retention_days`` is None when the team has none set."""
        with self._work() as conn:
            days = conn.execute(f"SELECT {SCHEMA}.team_retention_days()").fetchone()[0]
            if days is None:
                return PurgeResult(retention_days=None, intakes=[])
            old = ("updated_at < now() - make_interval(days => %s)"
                   " AND anonymised_at IS NULL")
            if anonymise:
                rows = conn.execute(
                    f"UPDATE {SCHEMA}.intakes SET revision = revision + 1, anonymised_at = now(),"
                    f" state = {_ANONYMOUS_STATE}, meta = {_ANONYMOUS_META} WHERE {old} "
                    f"RETURNING id", (days,)).fetchall()
                conn.execute(f"DELETE FROM {SCHEMA}.kept_states k USING {SCHEMA}.intakes i "
                             f"WHERE i.id = k.intake_id AND i.anonymised_at IS NOT NULL")
            else:
                rows = conn.execute(f"DELETE FROM {SCHEMA}.intakes WHERE {old} RETURNING id",
                                    (days,)).fetchall()
            for (intake_id,) in rows:
                _log(conn, "purge", intake_id, {"how": "anonymise" if anonymise else "delete",
                                                "retention_days": days})
        return PurgeResult(retention_days=days, intakes=sorted(row[0] for row in rows))

    def log(self, action: str, intake_id: str | None, detail: dict[str, Any] | None = None
            ) -> None:
        """Add a line to the team's access log (an export, a reassignment, ...)."""
        with self._work() as conn:
            _log(conn, action, intake_id, detail)

    def access_log(self, intake_id: str | None = None) -> list[dict[str, Any]]:
        """The team's access log (of one intake), oldest first."""
        with self._work() as conn:
            rows = conn.execute(
                f"SELECT l.at, l.action, l.intake_id, c.name, l.detail::text "
                f"FROM {SCHEMA}.access_log l LEFT JOIN {SCHEMA}.colleagues c "
                f"ON c.id = l.advisor_id WHERE %s::text IS NULL OR l.intake_id = %s "
                f"ORDER BY l.id", (intake_id, intake_id)).fetchall()
        return [{"at": at.isoformat(timespec="seconds"), "action": action, "intake": intake,
                 "advisor": name, "detail": _parsed(detail)}
                for at, action, intake, name, detail in rows]

    # -- earlier states ------------------------------------------------------------------
    def keep_state(self, intake_id: str, keep: int = DEFAULT_KEPT_STATES) -> str | None:
        """Keep the intake as it is now among its earlier states, only the newest ``keep``."""
        keep = max(1, min(keep, MAX_KEPT_STATES))
        with self._work() as conn:
            row = conn.execute(
                f"INSERT INTO {SCHEMA}.kept_states (intake_id, revision, meta, state, "
                f"format_version) SELECT id, revision, meta, state, format_version "
                f"FROM {SCHEMA}.intakes WHERE id = %s "
                f"ON CONFLICT DO NOTHING RETURNING revision", (intake_id,)).fetchone()
            exists = row is not None or conn.execute(
                f"SELECT EXISTS (SELECT FROM {SCHEMA}.intakes WHERE id = %s)",
                (intake_id,)).fetchone()[0]
            conn.execute(
                f"DELETE FROM {SCHEMA}.kept_states WHERE intake_id = %s AND revision NOT IN "
                f"(SELECT revision FROM {SCHEMA}.kept_states WHERE intake_id = %s "
                f"ORDER BY revision DESC LIMIT %s)", (intake_id, intake_id, keep))
        return intake_id if exists else None

    def earlier_states(self, intake_id: str) -> list[SavedIntake]:
        with self._work() as conn:
            rows = conn.execute(
                f"SELECT revision, meta::text, state::text, format_version "
                f"FROM {SCHEMA}.kept_states WHERE intake_id = %s ORDER BY revision DESC "
                f"LIMIT %s", (intake_id, MAX_KEPT_STATES)).fetchall()
        states = []
        for revision, meta_text, state_text, version in rows:
            try:
                saved = _saved(intake_id, revision, meta_text, state_text, version)
            except (DamagedSaveError, NewerSaveError):
                continue
            states.append(replace(saved, path=Path(f"{revision:08d}.json")))
        return states


def _log(conn: psycopg.Connection, action: str, intake_id: str | None,
         detail: dict[str, Any] | None = None) -> None:
    if action not in LOG_ACTIONS:
        raise ValueError(f"not an access log action: {action}")
    conn.execute(f"INSERT INTO {SCHEMA}.access_log (action, intake_id, detail) "
                 f"VALUES (%s, %s, %s::jsonb)",
                 (action, intake_id, json.dumps(detail or {}, ensure_ascii=False)))


def _changed_at(meta: IntakeMeta) -> dt.datetime | None:
    """When a copied intake last changed, as its save says (its retention counts from then)."""
    try:
        when = dt.datetime.fromisoformat(meta.updated)
    except ValueError:
        return None
    return when if when.tzinfo else when.astimezone()


def _state_text(state: dict[str, Any]) -> str:
    return json.dumps(state, ensure_ascii=False, default=str)


def _meta_text(meta: IntakeMeta) -> str:
    return json.dumps(meta.to_json(), ensure_ascii=False)


def _parsed(text: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise ValueError("nested too deeply") from exc


def _damaged(intake_id: str, reason: Message) -> DamagedSave:
    return DamagedSave(original=_record_path(intake_id), moved_to=None, reason=reason,
                       left_in_place=True)


def _saved(intake_id: str, revision: int, meta_text: str, state_text: str,
           version: int) -> SavedIntake:
    """A stored row as a saved intake, checked as a file's save is."""
    if version > SAVE_VERSION:
        raise NewerSaveError(NewerSave(_record_path(intake_id), version))
    try:
        meta = IntakeMeta.from_json(_parsed(meta_text))
    except ValueError as exc:
        raise DamagedSaveError(_damaged(intake_id, Message("the metadata is damaged"))) from exc
    try:
        state = _parsed(state_text)
    except ValueError as exc:
        raise DamagedSaveError(_damaged(intake_id, Message(
            "nested too deeply to be a save"))) from exc
    return SavedIntake(id=intake_id, path=_record_path(intake_id), meta=meta, state=state,
                       revision=revision)


def reason_of(exc: psycopg.Error) -> str:
    """The server's or the driver's own words (English), first line, bounded."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:300]


"""A team sees only its own intakes, and the database enforces it: not the app's queries."""

from __future__ import annotations

import psycopg
import pytest

from intake_assistant.storage import IntakeMeta
from intake_assistant.stores import postgres_schema
from intake_assistant.stores.advisor_tokens import token_hash
from intake_assistant.stores.postgres_store import PostgresStore
from intake_assistant.stores.store_protocol import StoreAccessError

from .helpers import advisor_store, advisor_token, initialised


def test_another_team_sees_none_of_a_teams_intakes(pg_dsn: str) -> None:
    initialised(pg_dsn)
    anna = advisor_store(pg_dsn, "Versnellingshuis", "Anna")
    bram = advisor_store(pg_dsn, "Versnellingshuis", "Bram")
    carla = advisor_store(pg_dsn, "ROM Noord", "Carla")
    anna.save("intake-a", {"answers": {"x": 1}}, IntakeMeta(title="Stoelen"))
    carla.save("intake-c", {"answers": {}}, IntakeMeta(title="Matrassen"))

    assert [h.id for h in bram.list_headers().intakes] == ["intake-a"]
    assert bram.load("intake-a").state == {"answers": {"x": 1}}
    assert [h.id for h in carla.list_headers().intakes] == ["intake-c"]
    with pytest.raises(FileNotFoundError):
        carla.load("intake-a")
    # the same id in another team is another intake, not an overwrite
    carla.save("intake-a", {"answers": {"y": 2}}, IntakeMeta(title="Eigen"))
    anna.forget("intake-a")  # closed since she saved it: the next read is an open
    assert anna.load("intake-a").meta.title == "Stoelen"
    # each team's log names its own people and intakes only
    assert [(line["action"], line["intake"], line["advisor"]) for line in anna.access_log()] == [
        ("open", "intake-a", "Bram"), ("open", "intake-a", "Anna")]
    assert carla.access_log() == []


def _as_app(conn: psycopg.Connection, token: str | None) -> None:
    conn.execute("SELECT set_config('role', %s, true), "
                 "set_config('intake_store.token_hash', %s, true)",
                 (postgres_schema.APP_ROLE, token_hash(token).hex() if token else ""))


def test_a_query_without_a_team_condition_reaches_only_the_own_team(pg_dsn: str) -> None:
    initialised(pg_dsn)
    advisor_store(pg_dsn, "A", "Anna").save("a1", {}, IntakeMeta(title="a"))
    advisor_store(pg_dsn, "B", "Bob").save("b1", {}, IntakeMeta(title="b"))
    token = advisor_token(pg_dsn, "A", "Ada")
    with psycopg.connect(pg_dsn) as conn:
        _as_app(conn, token)
        everything = conn.execute("SELECT id FROM intake_store.intakes").fetchall()
        assert everything == [("a1",)]
        assert conn.execute("UPDATE intake_store.intakes SET revision = 99").rowcount == 1
        conn.rollback()
        _as_app(conn, token)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT token_hash FROM intake_store.advisors")
        conn.rollback()
        _as_app(conn, token)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM intake_store.access_log")
        conn.rollback()
        _as_app(conn, token)
        # a row written for another team is refused, not hidden
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO intake_store.intakes (team_id, id, revision, meta, state) "
                         "VALUES (intake_store.current_team() + 1, 'x', 1, '{}', '{}')")
        conn.rollback()
        _as_app(conn, None)  # no token: no team, no rows
        assert conn.execute("SELECT count(*) FROM intake_store.intakes").fetchone() == (0,)


def test_a_wrong_or_missing_token_is_refused(pg_dsn: str) -> None:
    initialised(pg_dsn)
    advisor_token(pg_dsn, "A", "Anna")
    with pytest.raises(StoreAccessError) as wrong:
        PostgresStore(pg_dsn, "iat_" + "x" * 43)
    assert "not valid" in wrong.value.problem.msgid
    with pytest.raises(StoreAccessError) as missing:
        PostgresStore(pg_dsn, None)
    assert "INTAKE_ASSISTANT_ADVISOR_TOKEN" in missing.value.problem.msgid


def test_a_store_without_the_schema_says_to_run_init(pg_dsn: str) -> None:
    with pytest.raises(StoreAccessError) as caught:
        PostgresStore(pg_dsn, "iat_" + "x" * 43)
    assert "store init" in caught.value.problem.msgid


def test_an_intake_that_cannot_be_opened_is_left_in_the_store(pg_dsn: str, tmp_path) -> None:
    from intake_assistant.i18n import Message

    initialised(pg_dsn)
    anna = advisor_store(pg_dsn, "A", "Anna", tmp_path)
    anna.save("odd", {"answers": {}}, IntakeMeta(title="x"))
    saved = anna.load("odd")
    damaged = anna.set_aside(saved.path, Message("the metadata is damaged"))
    assert damaged.left_in_place and damaged.moved_to is None
    assert anna.load("odd").state == {"answers": {}}

"""The team store's schema: created and upgraded by plain SQL migrations, recorded in a version
table; a second run changes nothing; a newer schema is left alone."""

from __future__ import annotations

import psycopg
import pytest

from intake_assistant.stores import postgres_schema


def test_init_creates_the_schema_and_a_second_run_applies_nothing(pg_dsn: str) -> None:
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        first = postgres_schema.upgrade(conn)
        assert first.before == 0
        assert first.after == postgres_schema.latest_version()
        assert first.applied == tuple(m.name for m in postgres_schema.migrations())
        second = postgres_schema.upgrade(conn)
        assert second.before == second.after == first.after
        assert second.applied == ()
        rows = conn.execute("SELECT version FROM intake_store.schema_version "
                            "ORDER BY version").fetchall()
        assert [r[0] for r in rows] == list(range(1, first.after + 1))


def test_a_schema_newer_than_the_program_is_left_as_it_is(pg_dsn: str) -> None:
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        postgres_schema.upgrade(conn)
        newer = postgres_schema.latest_version() + 1
        conn.execute("INSERT INTO intake_store.schema_version (version, name) VALUES (%s, %s)",
                     (newer, "from-the-future.sql"))
        with pytest.raises(postgres_schema.SchemaNewerError) as caught:
            postgres_schema.upgrade(conn)
        assert caught.value.found == newer


def test_the_app_role_owns_nothing_so_row_level_security_applies(pg_dsn: str) -> None:
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        postgres_schema.upgrade(conn)
        rows = conn.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
            "pg_get_userbyid(c.relowner) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'intake_store' AND c.relname IN "
            "('intakes', 'kept_states', 'access_log')").fetchall()
    assert len(rows) == 3
    for _name, enabled, forced, owner in rows:
        assert enabled and forced
        assert owner != postgres_schema.APP_ROLE


def test_init_upgrades_an_older_schema_keeping_its_intakes(pg_dsn: str) -> None:
    from intake_assistant.storage import IntakeMeta

    from .helpers import advisor_store

    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        assert postgres_schema.upgrade(conn, up_to=1).after == 1
    advisor_store(pg_dsn, "T", "Anna").save("kept", {"answers": {"a": 1}}, IntakeMeta(title="x"))
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        done = postgres_schema.upgrade(conn)
        assert (done.before, done.after) == (1, postgres_schema.latest_version())
        assert done.applied == tuple(m.name for m in postgres_schema.migrations()[1:])
        assert conn.execute("SELECT state FROM intake_store.intakes").fetchone() == (
            {"answers": {"a": 1}},)

"""A connection to the team store that the server dropped while it was idle (a restart, a
failover, a pooler's idle timeout) is made again as the next call begins: the advisor's next
answer is saved, not NOT SAVED."""

from __future__ import annotations

import psycopg

from intake_assistant.storage import IntakeMeta

from .helpers import advisor_store, initialised


def _drop_the_apps_connections(dsn: str) -> int:
    with psycopg.connect(dsn, autocommit=True) as owner:
        rows = owner.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE application_name = 'intake-assistant'").fetchall()
    return len(rows)


def test_a_connection_dropped_while_idle_is_made_again(pg_dsn: str, tmp_path) -> None:
    initialised(pg_dsn)
    anna = advisor_store(pg_dsn, "Versnellingshuis", "Anna", tmp_path)
    anna.save("intake-a", {"answers": {"x": 1}}, IntakeMeta(title="Stoelen"))
    assert _drop_the_apps_connections(pg_dsn) == 1
    anna.save("intake-a", {"answers": {"x": 2}}, IntakeMeta(title="Stoelen"))  # no error
    assert _drop_the_apps_connections(pg_dsn) == 1
    assert [h.id for h in anna.list_headers().intakes] == ["intake-a"]
    anna.forget("intake-a")
    assert anna.load("intake-a").state == {"answers": {"x": 2}}

"""Setting up a team store in a test database: the schema, teams and their advisors."""

from __future__ import annotations

from pathlib import Path

import psycopg

from intake_assistant.stores import postgres_schema
from intake_assistant.stores.postgres_store import PostgresStore
from intake_assistant.stores.team_admin import add_advisor


def initialised(dsn: str) -> str:
    with psycopg.connect(dsn, autocommit=True) as conn:
        postgres_schema.upgrade(conn)
    return dsn


def advisor_token(dsn: str, team: str, name: str) -> str:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return add_advisor(conn, team, name).token


def advisor_store(dsn: str, team: str, name: str, data_dir: Path | None = None
                  ) -> PostgresStore:
    return PostgresStore(dsn, advisor_token(dsn, team, name), data_dir)


def store_url(dsn: str) -> str:
    """The test server as a postgresql:// URL (what a user gives --store)."""
    info = psycopg.conninfo.conninfo_to_dict(dsn)
    return (f"postgresql://{info['user']}@/{info['dbname']}"
            f"?host={info['host']}") if "host" in info else dsn


def allow_connections(admin_dsn: str, dsn: str, allowed: bool) -> None:
    """The database of ``dsn`` taken away (every connection ended, no new one let in) or given
    back: a store that goes away in the middle of a session."""
    from psycopg import sql

    name = psycopg.conninfo.conninfo_to_dict(dsn)["dbname"]
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS {}").format(
            sql.Identifier(name), sql.SQL("true" if allowed else "false")))
        if not allowed:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))

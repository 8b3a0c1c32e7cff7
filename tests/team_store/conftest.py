"""A real PostgreSQL server for the team store's tests: a throwaway cluster for the session (or
the server ``INTAKE_ASSISTANT_TEST_DSN`` names), a new database for each test. Never a mock:
where no server can be had, the tests skip and say why."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from .throwaway_postgres import Server, Unavailable, throwaway_server


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    try:
        with throwaway_server() as server:
            yield server
    except Unavailable as exc:
        pytest.skip(f"no PostgreSQL server for the team store's tests: {exc}")


@pytest.fixture
def pg_dsn(pg_server: Server) -> Iterator[str]:
    """A connection string to a new, empty database, dropped after the test."""
    name = f"ia_test_{secrets.token_hex(6)}"
    with psycopg.connect(pg_server.admin_dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    info = psycopg.conninfo.conninfo_to_dict(pg_server.admin_dsn)
    info["dbname"] = name
    yield psycopg.conninfo.make_conninfo(**info)
    with psycopg.connect(pg_server.admin_dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))

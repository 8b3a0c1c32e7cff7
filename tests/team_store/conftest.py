"""A real PostgreSQL server for the team store's tests: a throwaway cluster for the session (or
the server ``INTAKE_ASSISTANT_TEST_DSN`` names), a new database for each test. Never a mock:
where no server can be had, the tests skip and say why."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from intake_assistant.stores.file_store import FileStore
from intake_assistant.stores.store_protocol import IntakeStore

from .helpers import advisor_store, initialised
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


OpenWindow = Callable[[], IntakeStore]


@pytest.fixture(params=["files", "postgresql"])
def open_window(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OpenWindow]:
    """Opens another window on the same store."""
    opened: list[IntakeStore] = []
    if request.param == "files":
        def make() -> IntakeStore:
            opened.append(FileStore(tmp_path / "data"))
            return opened[-1]
    else:
        dsn = initialised(request.getfixturevalue("pg_dsn"))

        def make() -> IntakeStore:  # each advisor on a machine of their own
            number = len(opened) + 1
            opened.append(advisor_store(dsn, "Team", f"advisor {number}",
                                        tmp_path / f"machine-{number}"))
            return opened[-1]
    yield make
    for store in opened:
        store.close()

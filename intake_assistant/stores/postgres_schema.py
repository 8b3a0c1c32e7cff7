"""The team store's schema: plain SQL migrations, applied in order, recorded in a version table.

``migrations/NNNN_name.sql`` are applied once each, in the order of their number, in one
transaction per run (a failed upgrade leaves the schema as it was). An advisory lock keeps two
hosts that start ``store init`` at once from applying the same migration twice; running it again
applies nothing. A database whose schema is newer than this program knows is left as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psycopg

SCHEMA = "intake_store"
#: The role the app works as: it owns nothing, so row-level security applies to it.
APP_ROLE = "intake_assistant_app"
_LOCK_KEY = 7_263_114_025  # pg_advisory_xact_lock: one migration run at a time per database
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


@dataclass(frozen=True, slots=True)
class SchemaUpgrade:
    before: int  # 0: there was no schema
    after: int
    applied: tuple[str, ...]


class SchemaNewerError(Exception):
    """The database's schema was made by a newer version of intake-assistant."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(f"schema version {found}, this program knows up to {known}")
        self.found = found
        self.known = known


def migrations() -> list[Migration]:
    folder = resources.files("intake_assistant.stores") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError("the migrations are not numbered 1, 2, 3, ...")
    return found


def latest_version() -> int:
    return migrations()[-1].version


def installed_version(conn: psycopg.Connection) -> int:
    """The schema version of the database (0: no schema yet)."""
    exists = conn.execute("SELECT to_regclass(%s) IS NOT NULL",
                          (f"{SCHEMA}.schema_version",)).fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute(f"SELECT coalesce(max(version), 0) FROM {SCHEMA}.schema_version").fetchone()
    return int(row[0]) if row else 0


def upgrade(conn: psycopg.Connection, up_to: int | None = None) -> SchemaUpgrade:
    """Create or upgrade the schema (as its owner: the connection's user), to the latest
    version or ``up_to``. Idempotent."""
    known = [m for m in migrations() if up_to is None or m.version <= up_to]
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        # The role is the cluster's, not the database's: another database may have made it.
        conn.execute(f"""DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
                CREATE ROLE {APP_ROLE} NOLOGIN;
            END IF; END $$""")
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        conn.execute(f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.schema_version (
            version integer PRIMARY KEY, name text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now())""")
        conn.execute(f"GRANT USAGE ON SCHEMA {SCHEMA} TO {APP_ROLE}")
        conn.execute(f"GRANT SELECT ON {SCHEMA}.schema_version TO {APP_ROLE}")
        before = installed_version(conn)
        if before > latest_version():
            raise SchemaNewerError(before, latest_version())
        applied = []
        for migration in known:
            if migration.version <= before:
                continue
            conn.execute(migration.sql.encode("utf-8"))  # several statements: no parameters
            conn.execute(f"INSERT INTO {SCHEMA}.schema_version (version, name) VALUES (%s, %s)",
                         (migration.version, migration.name))
            applied.append(migration.name)
    return SchemaUpgrade(before=before, after=max(before, known[-1].version),
                         applied=tuple(applied))

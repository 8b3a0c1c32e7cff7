"""What the store's administrator does, as the owner of its schema: teams and advisors.

These work on the connection's own user (the one ``store init`` ran as), not as the app's role:
the advisors' table, with the token hashes, is not the app's to read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from intake_assistant.stores.advisor_tokens import new_token, token_hash
from intake_assistant.stores.postgres_schema import SCHEMA

if TYPE_CHECKING:
    import psycopg

MAX_NAME = 200
MAX_RETENTION_DAYS = 36500  # the table's CHECK: a hundred years


@dataclass(frozen=True, slots=True)
class NewAdvisor:
    team: str
    name: str
    token: str  # shown once; only its hash is stored
    team_created: bool


class AdvisorExistsError(Exception):
    """The team already has an advisor by that name (not revoked)."""


def add_advisor(conn: psycopg.Connection, team: str, name: str) -> NewAdvisor:
    """Add an advisor to a team (made when it is new); returns the token, never stored."""
    team, name = team.strip(), name.strip()
    if not (0 < len(team) <= MAX_NAME and 0 < len(name) <= MAX_NAME):
        raise ValueError("a team and a name of 1 to 200 characters")
    token = new_token()
    with conn.transaction():
        row = conn.execute(f"INSERT INTO {SCHEMA}.teams (name) VALUES (%s) "
                           f"ON CONFLICT (name) DO NOTHING RETURNING id", (team,)).fetchone()
        created = row is not None
        if row is None:
            row = conn.execute(f"SELECT id FROM {SCHEMA}.teams WHERE name = %s",
                               (team,)).fetchone()
        exists = conn.execute(f"SELECT EXISTS (SELECT FROM {SCHEMA}.advisors WHERE team_id = %s "
                              f"AND name = %s AND revoked_at IS NULL)", (row[0], name)).fetchone()
        if exists and exists[0]:
            raise AdvisorExistsError(name)
        conn.execute(f"INSERT INTO {SCHEMA}.advisors (team_id, name, token_hash) "
                     f"VALUES (%s, %s, %s)", (row[0], name, token_hash(token)))
    return NewAdvisor(team=team, name=name, token=token, team_created=created)


class NoSuchTeamError(Exception):
    """No team by that name."""


def set_retention(conn: psycopg.Connection, team: str, days: int | None) -> None:
    """How long the team's intakes are kept after their last change (None: no limit)."""
    if days is not None and not 1 <= days <= MAX_RETENTION_DAYS:
        raise ValueError("1 to 36500 days")
    with conn.transaction():
        done = conn.execute(f"UPDATE {SCHEMA}.teams SET retention_days = %s WHERE name = %s",
                            (days, team.strip()))
        if done.rowcount == 0:
            raise NoSuchTeamError(team)


@dataclass(frozen=True, slots=True)
class AdvisorRecord:
    """One advisor as the administrator sees them: never the token or its hash."""

    id: int
    team: str
    name: str
    created: dt.datetime
    revoked: dt.datetime | None
    last_seen: dt.datetime | None  # their token's last transaction, to the minute; None: never


_RECORDS = (f"SELECT a.id, t.name, a.name, a.created_at, a.revoked_at, a.last_seen_at "
            f"FROM {SCHEMA}.advisors a JOIN {SCHEMA}.teams t ON t.id = a.team_id")


def list_advisors(conn: psycopg.Connection, team: str | None = None) -> list[AdvisorRecord]:
    """The advisors of one team (or of every team), by team, then name, then id.
    ``NoSuchTeamError``: no team by that name."""
    if team is not None and conn.execute(f"SELECT FROM {SCHEMA}.teams WHERE name = %s",
                                         (team.strip(),)).fetchone() is None:
        raise NoSuchTeamError(team)
    rows = conn.execute(_RECORDS + " WHERE %s::text IS NULL OR t.name = %s "
                        "ORDER BY t.name, a.name, a.id",
                        (team and team.strip(), team and team.strip())).fetchall()
    return [AdvisorRecord(*row) for row in rows]


class NoSuchAdvisorError(Exception):
    """No advisor by that name in that team (not revoked), or by that id."""


@dataclass(frozen=True, slots=True)
class Revoked:
    advisor: AdvisorRecord  # as it is now (``revoked`` set)
    already: bool  # it was revoked before: nothing changed


def revoke_advisor(conn: psycopg.Connection, *, team: str | None = None,
                   name: str | None = None, advisor_id: int | None = None) -> Revoked:
    """Revoke one advisor's token, by name within a team (the one not revoked) or by id (as
    ``list_advisors`` shows it; with ``team`` it must be of that team). From the advisor's next
    transaction on the store refuses the token. The team's access log keeps a line."""
    with conn.transaction():
        if advisor_id is not None:
            row = conn.execute(_RECORDS + " WHERE a.id = %s AND (%s::text IS NULL OR t.name = %s)"
                               " FOR UPDATE OF a", (advisor_id, team and team.strip(),
                                                    team and team.strip())).fetchone()
        else:
            if team is None or name is None:
                raise ValueError("a team and a name, or an id")
            if conn.execute(f"SELECT FROM {SCHEMA}.teams WHERE name = %s",
                            (team.strip(),)).fetchone() is None:
                raise NoSuchTeamError(team)
            row = conn.execute(_RECORDS + " WHERE t.name = %s AND a.name = %s "
                               "AND a.revoked_at IS NULL FOR UPDATE OF a",
                               (team.strip(), name.strip())).fetchone()
        if row is None:
            raise NoSuchAdvisorError(name if advisor_id is None else str(advisor_id))
        record = AdvisorRecord(*row)
        if record.revoked is not None:
            return Revoked(record, already=True)
        revoked_at = conn.execute(f"UPDATE {SCHEMA}.advisors SET revoked_at = now() "
                                  f"WHERE id = %s RETURNING revoked_at",
                                  (record.id,)).fetchone()[0]
        conn.execute(f"INSERT INTO {SCHEMA}.access_log (team_id, advisor_id, action, detail) "
                     f"SELECT team_id, NULL, 'revoke', jsonb_build_object('advisor', name, "
                     f"'advisor_id', id) FROM {SCHEMA}.advisors WHERE id = %s", (record.id,))
    return Revoked(AdvisorRecord(record.id, record.team, record.name, record.created,
                                 revoked_at, record.last_seen), already=False)

"""What the store's administrator does, as the owner of its schema: teams and advisors.

These work on the connection's own user (the one ``store init`` ran as), not as the app's role:
the advisors' table, with the token hashes, is not the app's to read.
"""

from __future__ import annotations

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
    """The team already has an advisor by that name."""


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
        exists = conn.execute(f"SELECT EXISTS (SELECT FROM {SCHEMA}.advisors "
                              f"WHERE team_id = %s AND name = %s)", (row[0], name)).fetchone()
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

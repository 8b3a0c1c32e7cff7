"""Where intakes are kept: one person's data folder (the default) or a team's PostgreSQL
database, behind one interface (``store_protocol.IntakeStore``).

``open_store`` chooses: a ``postgresql://`` location (``--store`` or ``INTAKE_ASSISTANT_STORE``)
is the team store, with the advisor's token from ``INTAKE_ASSISTANT_ADVISOR_TOKEN``; without one
the data folder. psycopg is imported only for a team store: a solo user's start does not pay
for it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from intake_assistant.stores.store_protocol import IntakeStore

STORE_VARIABLE = "INTAKE_ASSISTANT_STORE"


def store_location(given: str | None) -> str | None:
    """The team store named on the command line, else in the environment (None: none)."""
    value = (given or os.environ.get(STORE_VARIABLE, "")).strip()
    return value or None


def chosen_location(given: str | None, data_dir: str | None) -> str | None:
    """Where a command that reads or writes intakes works: a team store named on the command
    line; else the data folder where one is named; else a team store in the environment
    (None: the data folder). One rule for every such command."""
    if given and given.strip():
        return given.strip()
    return None if data_dir else store_location(None)


def is_store_url(location: str | None) -> bool:
    return bool(location) and str(location).startswith(("postgresql://", "postgres://"))


def open_store(location: str | None, data_dir: str | None = None) -> IntakeStore:
    """The team store at ``location`` (a ``postgresql://`` URL) or the data folder."""
    if is_store_url(location):
        from intake_assistant.stores.advisor_tokens import token_from_environment
        from intake_assistant.stores.postgres_store import PostgresStore

        return PostgresStore(str(location), token_from_environment(), data_dir)
    from intake_assistant.stores.file_store import FileStore

    return FileStore(data_dir)

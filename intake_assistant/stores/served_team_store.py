"""The team store as a served visitor of ``intake-assistant serve --store`` uses it.

The server works in the team store as an advisor of its own (the host's token, e.g. an
advisor named for the web intake): the intakes its visitors start are the team's, found by
their resume codes (``stores.served_intakes.ServedIntakes``), listed by the team's advisors in
``list --store`` and their terminals. A signed-in advisor's tab uses the same class with that
advisor's own token, so their answers and opens name them.
"""

from __future__ import annotations

import os

from intake_assistant.stores.advisor_tokens import token_from_environment
from intake_assistant.stores.postgres_store import PostgresStore
from intake_assistant.stores.served_intakes import ServedIntakes


class ServedTeamStore(ServedIntakes, PostgresStore):
    """``PostgresStore`` with the served visitor's limits: a client lists nothing and opens an
    intake only by its code."""

    def __init__(self, dsn: str, data_dir: str | os.PathLike[str] | None, *,
                 lists_intakes: bool, token: str | None = None) -> None:
        PostgresStore.__init__(self, dsn, token or token_from_environment(), data_dir)
        self._serve(lists_intakes=lists_intakes)

"""Intakes kept for strangers (``intake-assistant serve``): each is found only by its code.

Every new served intake gets a long random **resume code**; its save file is named after a
hash of it, so the code is the only way back in. A *client* (any visitor) lists no saved
intakes; an *advisor* (who holds the advisor token, or signed in with their own team-store token)
lists every served intake (of the team, on a team store).
"""

from __future__ import annotations

from intake_assistant.service.open_intake import Channel
from intake_assistant.stores.served_intakes import (
    ServedIntakes,
    ServedStorage,
    intake_id_of,
    new_resume_code,
    normalize_code,
)

__all__ = ["ServedIntakes", "ServedStorage", "intake_id_of", "new_resume_code",
           "normalize_code", "served_channel"]


def served_channel(data_dir: str | None, *, advisor: bool, store: str | None = None,
                   token: str | None = None, asks_on_conflict: bool = True) -> Channel:
    """A browser tab's channel: intakes found by their codes (an advisor lists them all),
    answers recorded as the entrepreneur's unless through the advisor's side, and settings
    that stay in the tab (the server's settings file is every visitor's).

    ``store``: a team store's ``postgresql://`` URL: the intakes are the team's, reached with
    ``token`` (the host's, or the signed-in advisor's; None: ``INTAKE_ASSISTANT_ADVISOR_TOKEN``);
    ``StoreAccessError`` or ``StoreUnavailableError`` when it cannot be used.
    ``asks_on_conflict``: see ``Channel`` (a web page's visitor has no one to choose with)."""
    if store is not None:
        from intake_assistant.stores.served_team_store import ServedTeamStore

        storage: ServedIntakes = ServedTeamStore(store, data_dir, lists_intakes=advisor,
                                                 token=token)
    else:
        storage = ServedStorage(data_dir, lists_intakes=advisor)
    return Channel(storage, advisor_allowed=advisor,  # type: ignore[arg-type]
                   remembers_settings=False, asks_on_conflict=asks_on_conflict)

"""Served intakes, each found only by its resume code (``intake-assistant serve``).

Every new served intake gets a long random **resume code**; its id (the save file's name, or
the team store's row) is a hash of it, so the code is the only way back in. A *client* lists
no saved intakes. Kept below the intake service, beside the stores: both the data folder
(``ServedStorage``) and the team store (``stores.served_team_store``) mix ``ServedIntakes`` in.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable

from intake_assistant.storage import HeaderList, Storage

# Letters and digits that cannot be mistaken for one another when read aloud or copied.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_CODE_LENGTH = 24  # 24 x 5 bits = 120 bits: unguessable
_SERVED_PREFIX = "web-"


def new_resume_code() -> str:
    """A long random code, in groups of four: ``K7QM-2XPA-…``."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, _CODE_LENGTH, 4))


def normalize_code(text: str) -> str | None:
    """The code as generated (groups of four), or None when ``text`` cannot be one."""
    raw = re.sub(r"[\s\-_.]", "", text).upper()
    if len(raw) != _CODE_LENGTH or any(c not in _CODE_ALPHABET for c in raw):
        return None
    return "-".join(raw[i:i + 4] for i in range(0, _CODE_LENGTH, 4))


def intake_id_of(code: str) -> str:
    """The save file's id for a resume code: a hash, so a file name does not give the code."""
    return _SERVED_PREFIX + hashlib.sha256(code.encode("ascii")).hexdigest()[:40]


class ServedIntakes:
    """What a served visitor may do with a store (mixed into the data folder's and the team
    store's classes): a client lists nothing; every new intake's id is the hash of a new
    resume code, which :meth:`code_of` gives back while this process runs."""

    lists_intakes: bool
    _codes: dict[str, str]

    def _serve(self, *, lists_intakes: bool) -> None:
        self.lists_intakes = lists_intakes
        self._codes = {}

    #: Whether the store keeps an intake by this id (without opening it): the store's own.
    holds: Callable[[str], bool]

    def has_intakes(self) -> bool:
        # A client's start screen is laid out for no list at all: the first paint shows no
        # trace of others' intakes, and the screen need not be rebuilt once the saves are read.
        return super().has_intakes() if self.lists_intakes else False  # type: ignore[misc]

    def list_headers(self, *, set_aside: bool = True) -> HeaderList:
        if not self.lists_intakes:
            return HeaderList()
        return super().list_headers(set_aside=set_aside)  # type: ignore[misc]

    def new_id(self) -> str:
        code = new_resume_code()
        intake_id = intake_id_of(code)
        self._codes[intake_id] = code
        return intake_id

    def intake_of_code(self, text: str) -> str | None:
        """The id of the served intake the typed code ``text`` opens (adopted: its code is
        known here from now on), or None when there is none. A team store that cannot be
        reached raises ``StoreUnavailableError`` (an ``OSError``)."""
        code = normalize_code(text)
        if code is None:
            return None
        intake_id = intake_id_of(code)
        if not self.holds(intake_id):
            return None
        self._codes[intake_id] = code
        return intake_id

    def code_of(self, intake_id: str | None) -> str | None:
        return self._codes.get(intake_id) if intake_id else None


class ServedStorage(ServedIntakes, Storage):
    """The server's data folder as one served visitor may use it (see ``ServedIntakes``)."""

    def __init__(self, data_dir: str | None, *, lists_intakes: bool) -> None:
        Storage.__init__(self, data_dir)
        self._serve(lists_intakes=lists_intakes)

    def holds(self, intake_id: str) -> bool:
        return self.path_of(intake_id).is_file()

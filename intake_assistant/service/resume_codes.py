"""Intakes kept for strangers (``intake-assistant serve``): each is found only by its code.

Every new served intake gets a long random **resume code**; its save file is named after a
hash of it, so the code is the only way back in. A *client* (any visitor) lists no saved
intakes; an *advisor* (who holds the advisor token) lists every served intake.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from intake_assistant.service.open_intake import Channel
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


class ServedStorage(Storage):
    """Storage of the server's data folder as one served visitor may use it.

    A client lists nothing; every new intake's id is the hash of a new resume code, which
    :meth:`code_of` gives back while this process runs.
    """

    def __init__(self, data_dir: str | None, *, lists_intakes: bool) -> None:
        super().__init__(data_dir)
        self.lists_intakes = lists_intakes
        self._codes: dict[str, str] = {}

    def has_intakes(self) -> bool:
        # A client's start screen is laid out for no list at all: the first paint shows no
        # trace of others' intakes, and the screen need not be rebuilt once the saves are read.
        return super().has_intakes() if self.lists_intakes else False

    def list_headers(self, *, set_aside: bool = True) -> HeaderList:
        return super().list_headers(set_aside=set_aside) if self.lists_intakes else HeaderList()

    def new_id(self) -> str:  # type: ignore[override]
        code = new_resume_code()
        intake_id = intake_id_of(code)
        self._codes[intake_id] = code
        return intake_id

    def intake_of_code(self, text: str) -> str | None:
        """The id of the served intake the typed code ``text`` opens (adopted: its code is
        known here from now on), or None when there is none."""
        code = normalize_code(text)
        if code is None:
            return None
        intake_id = intake_id_of(code)
        if not self.path_of(intake_id).is_file():
            return None
        self._codes[intake_id] = code
        return intake_id

    def code_of(self, intake_id: str | None) -> str | None:
        return self._codes.get(intake_id) if intake_id else None


def served_channel(data_dir: str | None, *, advisor: bool) -> Channel:
    """A browser tab's channel: intakes found by their codes (an advisor lists them all),
    answers recorded as the entrepreneur's unless through the advisor's link, and settings
    that stay in the tab (the server's settings file is every visitor's)."""
    return Channel(ServedStorage(data_dir, lists_intakes=advisor), advisor_allowed=advisor,
                   remembers_settings=False)

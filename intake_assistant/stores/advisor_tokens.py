"""Advisors' tokens: made once, shown once, kept only as a hash.

A token is 256 random bits, so one SHA-256 of it cannot be reversed or guessed; a slow password
hash would add latency to every connection and nothing else. The token is read from the
environment (``INTAKE_ASSISTANT_ADVISOR_TOKEN``), never from the command line, where ``ps``
shows it to every user of the machine.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets

TOKEN_VARIABLE = "INTAKE_ASSISTANT_ADVISOR_TOKEN"
TOKEN_PREFIX = "iat_"
#: What a token can look like; anything else is a wrong token without asking the database.
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,200}$")


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()


def token_from_environment() -> str | None:
    """The advisor's token from the environment; None when it is missing or cannot be one."""
    value = os.environ.get(TOKEN_VARIABLE, "").strip()
    return value if _TOKEN_SHAPE.match(value) else None


def could_be_token(value: str) -> bool:
    """Whether ``value`` has a token's shape (anything else is wrong without asking)."""
    return bool(_TOKEN_SHAPE.match(value))

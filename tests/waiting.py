"""Waiting for a condition instead of a fixed pause: as long as a busy machine needs, no longer.

A test that sleeps a fixed time either waits too long on a quick machine or fails on a busy
one; ``wait_until`` polls the condition while the event loop runs (the app under a Pilot
shares it), and gives up after ``timeout`` seconds. A pause that proves something does *not*
happen within a window is not a wait for a condition; it stays a ``pilot.pause(seconds)``
with its reason beside it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

#: Long enough for the slowest CI machine; a condition that holds returns at once.
DEFAULT_TIMEOUT = 15.0


async def wait_until(condition: Callable[[], object], *, timeout: float = DEFAULT_TIMEOUT,
                     interval: float = 0.02) -> bool:
    """Whether ``condition()`` became true within ``timeout`` seconds (checked at once, then
    every ``interval`` while the event loop runs). Use as ``assert await wait_until(...)``."""
    deadline = time.monotonic() + timeout
    while (held := _held(condition, deadline)) is None:
        await asyncio.sleep(interval)
    return held


def _held(condition: Callable[[], object], deadline: float) -> bool | None:
    """True when ``condition()`` holds, False once ``deadline`` passed, else None (wait on)."""
    if condition():
        return True
    return False if time.monotonic() >= deadline else None

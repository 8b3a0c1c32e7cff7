"""How many failed advisor sign-ins a server takes before it makes guessing wait.

A token has 256 random bits, so guessing cannot succeed; still, every attempt is a round trip
to the team store, and a careful server does not let anyone hammer it. Failed sign-ins count
per client address (an IPv6 address by its /64, which one machine usually holds whole) and for
the whole server, each in a sliding window; past a limit the sign-in is refused without asking
the store, saying how long to wait. A successful sign-in clears its address's count. Memory
stays bounded: at most ``MAX_ADDRESSES`` addresses are remembered (the least recently failed
go first), each with at most ``PER_ADDRESS`` moments, and the server's count keeps at most
``OVERALL`` moments.

This module is the counting only (no aiohttp); ``advisor_sign_in.py`` asks it.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

#: Failed sign-ins one address may make within ``WINDOW_SECONDS``.
PER_ADDRESS = 5
#: Failed sign-ins of every address together within ``WINDOW_SECONDS``.
OVERALL = 100
WINDOW_SECONDS = 15 * 60
MAX_ADDRESSES = 10_000


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a sign-in must wait, and how long."""

    whole_server: bool  # the server's limit (else the address's)
    wait_seconds: float

    @property
    def wait_minutes(self) -> int:
        return max(1, math.ceil(self.wait_seconds / 60))


def address_key(address: str) -> str:
    """The address failures are counted under: IPv6 by its /64 network."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()[:100]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


class SignInLimits:
    """Counts failed sign-ins; ``refusal`` says whether the next one must wait."""

    def __init__(self, *, per_address: int = PER_ADDRESS, overall: int = OVERALL,
                 window_seconds: float = WINDOW_SECONDS, max_addresses: int = MAX_ADDRESSES,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_address = per_address
        self.overall = overall
        self.window = window_seconds
        self.max_addresses = max_addresses
        self._clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._all: deque[float] = deque(maxlen=overall)

    def refusal(self, address: str) -> Refusal | None:
        """None: a sign-in from ``address`` may be tried now."""
        now = self._clock()
        self._drop_old(self._all, now)
        if len(self._all) >= self.overall:
            return Refusal(whole_server=True, wait_seconds=self._all[0] + self.window - now)
        moments = self._failures.get(address_key(address))
        if moments is not None:
            self._drop_old(moments, now)
            if len(moments) >= self.per_address:
                return Refusal(whole_server=False, wait_seconds=moments[0] + self.window - now)
        return None

    def failed(self, address: str) -> None:
        now = self._clock()
        key = address_key(address)
        moments = self._failures.pop(key, None)
        if moments is None:
            moments = deque(maxlen=self.per_address)
        self._failures[key] = moments  # the most recently failed last
        moments.append(now)
        self._all.append(now)
        while len(self._failures) > self.max_addresses:
            self._failures.popitem(last=False)

    def succeeded(self, address: str) -> None:
        self._failures.pop(address_key(address), None)

    def remembered_addresses(self) -> int:
        return len(self._failures)

    def _drop_old(self, moments: deque[float], now: float) -> None:
        while moments and moments[0] <= now - self.window:
            moments.popleft()

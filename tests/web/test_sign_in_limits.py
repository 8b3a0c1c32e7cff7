"""Counting failed advisor sign-ins (``web.sign_in_limits``): a sliding window per client
address (IPv6 by its /64) and for the whole server, a success clearing its address, and memory
bounded however many addresses try. The real server's 429 is tested over HTTP in
``tests/team_store/test_served_advisor_sessions.py``."""

from __future__ import annotations

from intake_assistant.web.sign_in_limits import SignInLimits, address_key


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_address_waits_after_its_limit_until_its_oldest_failure_is_old() -> None:
    clock = Clock()
    limits = SignInLimits(per_address=3, overall=100, window_seconds=600, clock=clock)
    for _ in range(3):
        assert limits.refusal("203.0.113.7") is None
        limits.failed("203.0.113.7")
        clock.now += 60
    refusal = limits.refusal("203.0.113.7")
    assert refusal is not None and not refusal.whole_server
    assert (refusal.wait_seconds, refusal.wait_minutes) == (420, 7)
    assert limits.refusal("198.51.100.9") is None  # another address is not held up
    clock.now += 420  # the first failure leaves the window: one more try
    assert limits.refusal("203.0.113.7") is None


def test_a_success_clears_its_address_but_not_the_servers_count() -> None:
    clock = Clock()
    limits = SignInLimits(per_address=2, overall=3, window_seconds=600, clock=clock)
    limits.failed("203.0.113.7")
    limits.failed("203.0.113.7")
    limits.succeeded("203.0.113.7")
    assert limits.refusal("203.0.113.7") is None
    limits.failed("198.51.100.9")
    refusal = limits.refusal("192.0.2.1")
    assert refusal is not None and refusal.whole_server


def test_ipv6_counts_by_its_64_and_memory_stays_bounded() -> None:
    limits = SignInLimits(per_address=2, overall=10**6, window_seconds=600,
                          max_addresses=100, clock=Clock())
    limits.failed("2001:db8:1:2::1")
    limits.failed("2001:db8:1:2:ffff::9")
    assert limits.refusal("2001:db8:1:2::77") is not None
    assert limits.refusal("2001:db8:1:3::1") is None
    assert address_key("::ffff:192.0.2.1") == "192.0.2.1"
    for number in range(10_000):
        limits.failed(f"10.{number // 65536}.{number // 256 % 256}.{number % 256}")
    assert limits.remembered_addresses() == 100

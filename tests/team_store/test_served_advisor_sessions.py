"""``serve --store``: what becomes of an advisor's sign-in over real HTTP (no browser needed):
a revoked advisor is signed out at the session's next request, told why in their language, and
their open terminal tab is ended within seconds;
failed sign-ins are limited per client address (behind a trusted proxy: the address it
forwards) and for the whole server, then refused with how long to wait (429)."""

from __future__ import annotations

import contextlib
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser.helpers import ServeProcess, served_tab_processes

from intake_assistant.cli import main
from intake_assistant.stores.advisor_tokens import TOKEN_VARIABLE
from intake_assistant.web.advisor_sign_in import SESSION_COOKIE
from intake_assistant.web.sign_in_limits import OVERALL, PER_ADDRESS

from .helpers import advisor_token, initialised, store_url

TEAM = "Versnellingshuis"


class Visitor:
    """One browser's worth of cookies, speaking plain HTTP to the server."""

    def __init__(self, base: str, language: str = "en", **headers: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.headers = {"Accept-Language": language, **headers}

    def get(self, path: str) -> tuple[int, str, str]:
        """(status, body, the address it ended at after redirects)."""
        return self._open(urllib.request.Request(self.base + path, headers=self.headers))

    def sign_in(self, token: str) -> tuple[int, str, str]:
        status, page, _url = self.get("/advisor")
        assert status in (200, 403), page
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        assert csrf, page
        data = urllib.parse.urlencode({"csrf": csrf.group(1), "token": token}).encode()
        return self._open(urllib.request.Request(
            self.base + "/advisor", data=data, headers={
                **self.headers, "Origin": self.base,
                "Content-Type": "application/x-www-form-urlencoded"}))

    def cookie_names(self) -> set[str]:
        return {cookie.name for cookie in self.jar}

    def _open(self, request: urllib.request.Request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                self.last_headers = response.headers
                return response.status, response.read().decode("utf-8"), response.url
        except urllib.error.HTTPError as refused:
            with refused:
                self.last_headers = refused.headers
                return refused.code, refused.read().decode("utf-8"), refused.url


@pytest.fixture
def serve_team(pg_dsn: str, tmp_path: Path) -> Iterator[Callable[..., tuple[str, str, ServeProcess]]]:
    """Starts a server on a new team store, working as the advisor "web intake" (further
    arguments: serve's): (the store's dsn, its URL, the server). Stopped after the test."""
    started: list[ServeProcess] = []

    def start(*args: str) -> tuple[str, str, ServeProcess]:
        dsn = initialised(pg_dsn)
        started.append(ServeProcess(
            tmp_path / "data", "--lang", "en", "--store", store_url(dsn), *args,
            env={TOKEN_VARIABLE: advisor_token(dsn, TEAM, "web intake")}))
        _until_listening(started[-1].port)
        return dsn, store_url(dsn), started[-1]

    yield start
    for server in started:
        server.stop()


def _until_listening(port: int) -> None:
    """serve prints its links as it starts listening: wait for the socket, not a time."""
    import socket
    import time

    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            return
        except ConnectionRefusedError:
            assert time.monotonic() < deadline, "serve does not listen"
            time.sleep(0.05)


def _base(server: ServeProcess) -> str:
    return server.url.split("/terminal")[0]


def test_a_revoked_advisor_is_signed_out_at_the_sessions_next_request(serve_team) -> None:
    dsn, url, server = serve_team()
    anna, bram = advisor_token(dsn, TEAM, "Anna"), advisor_token(dsn, TEAM, "Bram")
    anna_browser = Visitor(_base(server), "nl-NL")
    status, _page, landed = anna_browser.sign_in(anna)
    assert (status, urllib.parse.urlsplit(landed).path) == (200, "/terminal")
    assert SESSION_COOKIE in anna_browser.cookie_names()
    bram_browser = Visitor(_base(server), "en")
    assert bram_browser.sign_in(bram)[0] == 200
    assert main(["store", "revoke-advisor", "--team", TEAM, "--name", "Anna", "--store",
                 url]) == 0
    # Anna's next request: refused, in Dutch, and her session cookie is gone
    status, page, _url = anna_browser.get("/terminal")
    assert status == 403
    assert "U bent afgemeld: uw adviseurstoken is ingetrokken." in page
    assert SESSION_COOKIE not in anna_browser.cookie_names()
    status, page, _url = anna_browser.get("/terminal")  # a visitor as anyone without a sign-in
    assert status == 200 and "Anna" not in page
    status, page, _url = anna_browser.sign_in(anna)
    assert status == 403 and "Dit token is hier niet geldig" in page
    # Bram is still signed in; revoked on the sign-in page itself, he is told there
    status, page, _url = bram_browser.get("/advisor")
    assert status == 200 and "You are signed in as Bram." in page
    assert main(["store", "revoke-advisor", "--team", TEAM, "--name", "Bram", "--store",
                 url]) == 0
    status, page, _url = bram_browser.get("/advisor")
    assert status == 403
    assert "You are signed out: your advisor token was revoked." in page
    assert "You are signed in" not in page
    assert SESSION_COOKIE not in bram_browser.cookie_names()


def test_a_revoked_advisors_open_tab_is_ended(serve_team) -> None:
    import asyncio
    import time

    import aiohttp

    dsn, url, server = serve_team()
    anna = Visitor(_base(server), "en")
    assert anna.sign_in(advisor_token(dsn, TEAM, "Anna"))[0] == 200
    status, page, _url = anna.get("/terminal")
    socket_url = re.search(r'data-session-websocket-url="([^"]+)"', page)
    assert status == 200 and socket_url
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in anna.jar)

    async def tab_until_ended() -> float:
        async with aiohttp.ClientSession() as client, client.ws_connect(
                socket_url.group(1) + "?width=100&height=30",
                headers={"Cookie": cookies}) as tab:
            deadline = time.monotonic() + 60
            while not served_tab_processes(server.process.pid):  # her tab runs
                assert time.monotonic() < deadline, "no tab started"
                await tab.receive(timeout=1) if not tab.closed else None
            await asyncio.to_thread(main, ["store", "revoke-advisor", "--team", TEAM,
                                           "--name", "Anna", "--store", url])
            revoked_at = time.monotonic()
            while not tab.closed:
                assert time.monotonic() < deadline, "the tab was not ended"
                with contextlib.suppress(TimeoutError):
                    await tab.receive(timeout=1)
            return time.monotonic() - revoked_at

    took = asyncio.run(tab_until_ended())
    assert took < 20  # the server looks every few seconds
    deadline = time.monotonic() + 30
    while served_tab_processes(server.process.pid):
        assert time.monotonic() < deadline, "the tab's process is still there"
        time.sleep(0.1)
    status, page, _url = anna.get("/terminal")  # her next page says why
    assert status == 403 and "your advisor token was revoked" in page


def _fail_sign_ins(base: str, address: str, count: int) -> None:
    visitor = Visitor(base, "en", **{"X-Forwarded-For": address})
    for _ in range(count):
        status, page, _url = visitor.sign_in("iat_" + "z" * 43)
        assert status == 403 and "This token is not valid here" in page


def test_failed_sign_ins_wait_per_client_address_and_for_the_whole_server(serve_team
                                                                          ) -> None:
    dsn, _url, server = serve_team("--trusted-proxy", "127.0.0.1")
    anna = advisor_token(dsn, TEAM, "Anna")
    base = _base(server)
    _fail_sign_ins(base, "203.0.113.7", PER_ADDRESS)
    # that address waits now, even with the right token, told how long in its language
    guesser = Visitor(base, "en", **{"X-Forwarded-For": "203.0.113.7"})
    status, page, _url = guesser.sign_in(anna)
    assert status == 429
    assert "Too many failed sign-ins from your address. Try again in 15 minutes." in page
    assert 890 <= int(guesser.last_headers["Retry-After"]) <= 900
    assert SESSION_COOKIE not in guesser.cookie_names()
    forged = ", ".join(f"10.1.{n // 256}.{n % 256}" for n in range(300))  # a long header
    dutch = Visitor(base, "nl-NL", **{"X-Forwarded-For": f"{forged}, 203.0.113.7"})
    status, page, _url = dutch.sign_in(anna)  # addresses written in front change nothing
    assert status == 429 and "Te veel mislukte aanmeldingen vanaf uw adres." in page
    # another address signs in as ever
    status, _page, landed = Visitor(base, "en", **{"X-Forwarded-For": "198.51.100.9"}
                                    ).sign_in(anna)
    assert (status, urllib.parse.urlsplit(landed).path) == (200, "/terminal")
    # failures from many addresses add up to the server's limit: then every address waits
    for number in range(OVERALL // PER_ADDRESS - 1):
        _fail_sign_ins(base, f"192.0.2.{number + 1}", PER_ADDRESS)
    status, page, _url = Visitor(base, "en", **{"X-Forwarded-For": "198.51.100.10"}
                                 ).sign_in(anna)
    assert status == 429
    assert "Too many failed sign-ins on this server just now. Try again in 15 minutes." in page


def test_a_forwarded_address_counts_only_from_a_trusted_proxy(serve_team) -> None:
    dsn, _url, server = serve_team()
    _fail_sign_ins(_base(server), "203.0.113.7", PER_ADDRESS)
    other = Visitor(_base(server), "en", **{"X-Forwarded-For": "198.51.100.9"})
    status, page, _url = other.sign_in(advisor_token(dsn, TEAM, "Anna"))
    assert status == 429 and "from your address" in page  # the same peer: 127.0.0.1

"""``serve --store``: what becomes of an advisor's sign-in over real HTTP (no browser needed):
a revoked advisor is signed out at the session's next request, told why in their language."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser.helpers import ServeProcess

from intake_assistant.cli import main
from intake_assistant.stores.advisor_tokens import TOKEN_VARIABLE
from intake_assistant.web.advisor_sign_in import SESSION_COOKIE

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
                return response.status, response.read().decode("utf-8"), response.url
        except urllib.error.HTTPError as refused:
            with refused:
                return refused.code, refused.read().decode("utf-8"), refused.url


@pytest.fixture
def served_team(pg_dsn: str, tmp_path: Path) -> Iterator[tuple[str, str, ServeProcess]]:
    """(the store's dsn, its URL, a server on it working as the advisor "web intake")."""
    dsn = initialised(pg_dsn)
    server = ServeProcess(tmp_path / "data", "--lang", "en", "--store", store_url(dsn),
                          env={TOKEN_VARIABLE: advisor_token(dsn, TEAM, "web intake")})
    try:
        yield dsn, store_url(dsn), server
    finally:
        server.stop()


def _base(server: ServeProcess) -> str:
    return server.url.split("/terminal")[0]


def test_a_revoked_advisor_is_signed_out_at_the_sessions_next_request(served_team) -> None:
    dsn, url, server = served_team
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

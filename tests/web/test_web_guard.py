"""What every request of the web intake passes: the Host check, the safety headers on every
response (downloads and refusals too), CSRF, the access token, the cookies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from intake_assistant.web import guard
from intake_assistant.web.site import SiteSettings, WebSite

from .answers import FOUR_PARTNERS, typed_answers
from .plain_http import answer_all, csrf_of, screen_form, start

TOKEN = "a-long-enough-access-token-0123"


def assert_safe(response, where: str) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp, where
    assert "unsafe-inline" not in csp.split("style-src")[0], where  # never inline script
    assert "script-src 'unsafe" not in csp, where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("X-Frame-Options") == "DENY", where


async def test_every_kind_of_response_carries_the_safety_headers(client: TestClient) -> None:
    page = await start(client)
    seen = [("screen", await client.get("/intake"))]
    await answer_all(client, page, typed_answers(FOUR_PARTNERS, "nl"))
    for path in ("/", "/intake/review", "/intake/outcome", "/intake/download/json",
                 "/intake/download/html", "/intake/download/md", "/assets/intake.css",
                 "/assets/intake.js", "/assets/missing.css", "/nowhere", "/intake/download/exe"):
        seen.append((path, await client.get(path, allow_redirects=False)))
    seen.append(("no csrf", await client.post("/new", data={})))
    seen.append(("bad host", await client.get("/", headers={"Host": "evil.example"})))
    for where, response in seen:
        assert_safe(response, where)
    statuses = {where: response.status for where, response in seen}
    assert statuses["/assets/missing.css"] == 404
    assert statuses["no csrf"] == 403
    assert statuses["bad host"] == 421


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example"])
async def test_a_foreign_host_header_is_refused_before_anything_else(
        client: TestClient, host: str) -> None:
    response = await client.get("/", headers={"Host": host})
    assert response.status == 421
    assert guard.VISITOR_COOKIE not in response.cookies  # no visitor was made
    assert "intake-code" not in await response.text()


async def test_loopback_names_are_this_servers_own(client: TestClient) -> None:
    for host in ("localhost:8000", "127.0.0.1", "[::1]:8000"):
        assert (await client.get("/", headers={"Host": host})).status == 200


async def test_a_post_without_its_csrf_token_or_from_another_origin_changes_nothing(
        client: TestClient, site: WebSite) -> None:
    page = await start(client)
    action, _names, hidden = screen_form(page)
    forged = await client.post(action, data={"project_title": "Forged"})
    assert forged.status == 403
    wrong = await client.post(action, data={"csrf": "0" * 64, "project_title": "Forged"})
    assert wrong.status == 403
    foreign = await client.post(action, data=[*hidden.items(), ("project_title", "Forged")],
                                headers={"Origin": "http://evil.example"})
    assert foreign.status == 403
    review = await (await client.get("/intake/review")).text()
    assert "Forged" not in review
    good = await client.post(action, data=[*hidden.items(), ("project_title", "Real")])
    assert good.status == 200
    assert "Real" in await (await client.get("/intake/review")).text()


async def test_the_visitor_cookie_is_http_only_same_site_and_holds_no_code(
        client: TestClient) -> None:
    response = await client.get("/")
    cookie = response.cookies[guard.VISITOR_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["secure"]  # plain HTTP on this machine
    page = await start(client)
    code = re.search(r'intake-code">([A-Z2-9-]+)<', page)
    assert code is not None and code.group(1) not in cookie.value


async def test_the_cookie_is_secure_behind_tls_only_through_the_trusted_proxy(
        tmp_path: Path) -> None:
    settings = SiteSettings(data_dir=tmp_path, guard=guard.GuardSettings(
        trusted_proxies=("127.0.0.1",)))
    async with TestClient(TestServer(WebSite(settings).make_app(), host="127.0.0.1")) as c:
        response = await c.get("/", headers={"X-Forwarded-Proto": "https"})
        assert response.cookies[guard.VISITOR_COOKIE]["secure"]
    settings = SiteSettings(data_dir=tmp_path, guard=guard.GuardSettings(
        trusted_proxies=("10.0.0.1",)))
    async with TestClient(TestServer(WebSite(settings).make_app(), host="127.0.0.1")) as c:
        response = await c.get("/", headers={"X-Forwarded-Proto": "https"})
        assert not response.cookies[guard.VISITOR_COOKIE]["secure"]


async def test_the_token_is_exchanged_for_a_cookie_that_is_not_the_token(
        tmp_path: Path) -> None:
    settings = SiteSettings(data_dir=tmp_path, guard=guard.GuardSettings(token=TOKEN))
    async with TestClient(TestServer(WebSite(settings).make_app(), host="127.0.0.1")) as c:
        assert (await c.get("/")).status == 403
        wrong = await c.get("/?token=" + "x" * 31, allow_redirects=False)
        assert wrong.status == 403
        response = await c.get(f"/?token={TOKEN}", allow_redirects=False)
        assert response.status == 303
        assert TOKEN not in response.headers["Location"]
        access = response.cookies[guard.ACCESS_COOKIE]
        assert access.value and TOKEN not in access.value and access["httponly"]
        page = await c.get("/")
        assert page.status == 200
        assert csrf_of(await page.text())

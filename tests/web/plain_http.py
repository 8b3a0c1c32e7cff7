"""A visitor with JavaScript off: plain HTTP to the web intake through aiohttp's test client,
reading each page's form and sending it as a browser would."""

from __future__ import annotations

import html
import re
from typing import Any

from aiohttp.test_utils import TestClient

_FORM = re.compile(r'<form method="post" action="(/intake/q/[^"]+)"(.*?)</form>', re.S)
_NAME = re.compile(r'name="([^"]+)"')
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
NOT_ANSWERS = {"csrf", "next", "language", "change", "reading"}


def csrf_of(page: str) -> str:
    found = _CSRF.search(page)
    assert found, "the page has no CSRF field"
    return found.group(1)


def screen_form(page: str) -> tuple[str, list[str], dict[str, str]]:
    """(action, the answer fields' names in page order, the hidden fields) of a screen."""
    found = _FORM.search(page)
    assert found, "the page has no answer form"
    body = found.group(2)
    names = list(dict.fromkeys(html.unescape(n) for n in _NAME.findall(body)
                               if n not in NOT_ANSWERS))
    hidden = {html.unescape(n): html.unescape(v) for n, v in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)"', body)}
    return html.unescape(found.group(1)), names, hidden


async def start(client: TestClient) -> str:
    """Open the start page and start a new intake; the first screen's page."""
    page = await (await client.get("/")).text()
    response = await client.post("/new", data={"csrf": csrf_of(page)})
    assert response.status == 200
    return await response.text()


async def start_titled(client: TestClient, title: str) -> str:
    """Start a new intake and answer its first screen, the project's title; the next page."""
    action, _names, hidden = screen_form(await start(client))
    response = await client.post(action, data=[*hidden.items(), ("project_title", title)])
    assert response.status == 200
    return await response.text()


async def answer_all(client: TestClient, page: str, answers: dict[str, Any],
                     limit: int = 200) -> tuple[Any, int]:
    """Answer every screen from ``answers`` until the review; (last response, screens)."""
    screens = 0
    response: Any = None
    while True:
        action, names, hidden = screen_form(page)
        data: list[tuple[str, str]] = list(hidden.items())
        for name in names:
            value = answers.get(name)
            if isinstance(value, list):
                data += [(name, v) for v in value]
            elif value is not None:
                data.append((name, value))
        response = await client.post(action, data=data)
        screens += 1
        assert response.status == 200, f"refused on {action}: {await response.text()}"
        page = await response.text()
        if "/intake/q/" not in response.url.path or screens >= limit:
            return response, screens

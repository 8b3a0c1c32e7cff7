"""``intake-assistant serve``'s limits in words: the lines printed at start-up and what a
visitor turned away is told, for a server of one session (``--max-sessions 1``) and an idle
limit of one minute, in the singular in both languages. The server runs in this process
(aiohttp's test server); its one session is a real intake process."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from waiting import wait_until

from intake_assistant.tui.served.server import IntakeServer, ServeSettings

TICKET = re.compile(r'data-session-websocket-url="ws://[^/"]+/ws/([^"]+)"')


def one_session_server(tmp_path: Path, language: str) -> IntakeServer:
    return IntakeServer(ServeSettings(data_dir=tmp_path / "data", language=language,
                                      max_sessions=1, idle_seconds=60))


@pytest.mark.parametrize(("language", "said"), [
    ("nl", "Hoogstens 1 sessie tegelijk; een ongebruikte sessie stopt na 1 minuut."),
    ("en", "At most 1 session at once; an idle one ends after 1 minute."),
])
async def test_the_start_up_lines_of_a_server_of_one_session_are_in_the_singular(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str, said: str) -> None:
    server = one_session_server(tmp_path, language)
    async with TestClient(TestServer(await server._make_app(), host="127.0.0.1")):
        assert said in capsys.readouterr().out.splitlines()


async def test_a_visitor_turned_away_by_a_server_of_one_session_is_told_in_the_singular(
        tmp_path: Path) -> None:
    """One tab holds the one session; the page of the next tab and its terminal say the
    server is busy, each in the visitor's language."""
    server = one_session_server(tmp_path, "nl")
    async with TestClient(TestServer(await server._make_app(), host="127.0.0.1")) as client:
        page = await (await client.get("/terminal")).text()
        first = await client.ws_connect(f"/ws/{TICKET.search(page).group(1)}")
        assert await wait_until(lambda: len(server.sessions) == 1)
        (session,) = server.sessions.values()
        try:
            pages = {language: await (await client.get(
                "/terminal", headers={"Accept-Language": language})).text()
                for language in ("nl", "en")}
            assert ("De server is vol: er is 1 intake open, het meeste dat hij aankan. Er is "
                    "niets gestart;") in pages["nl"]
            assert ("The server is busy: 1 intake is open, the most it holds. Nothing was "
                    "started;") in pages["en"]
            told = {}
            for language, turned_away in pages.items():
                second = await client.ws_connect(f"/ws/{TICKET.search(turned_away).group(1)}")
                told[language] = (await second.receive_bytes(timeout=30)).decode("utf-8")
                await second.close()
            assert ("De server is vol: er is 1 intake open, het hoogste aantal. Probeer het "
                    "over een paar minuten opnieuw.") in told["nl"]
            assert ("The server is busy: 1 intake is open, the most it holds. Try again in a "
                    "few minutes.") in told["en"]
            assert server.refused == 2
        finally:
            await first.close()
            # the intake process saves and quits; awaited here, before the test's loop ends
            assert await wait_until(lambda: not server.sessions, timeout=60)
            process = session.service._process
            if process is not None:
                await asyncio.wait_for(process.wait(), 60)

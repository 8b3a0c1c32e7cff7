"""The web intake beside the served terminal, in one run of one ``intake-assistant serve``.

Prints:

* answer POST to next page: the time from sending a screen's answers to the next screen's
  page received (the POST, its 303 and the GET it leads to), p50 and p90, over whole
  four-partner intakes (49 screens each) by several visitors one after another;
* the server's memory (resident set, VmRSS) before and with 100 web intakes open (each
  visitor its own cookie, each intake a few screens in), and per intake;
* beside it, the memory of ONE served terminal tab (its own process, opened in headless
  Chromium), which the web intake holds as requests in the server's one process;
* with ``--store``, the same web figures once more in the same run with the intakes in a team
  store (``serve --store``: each save a round trip, written off the server's loop):
  ``throwaway`` starts a PostgreSQL server as the tests do; a ``postgresql://`` URL uses that
  store, with the server's advisor token in ``INTAKE_ASSISTANT_ADVISOR_TOKEN``.

    python benchmarks/web_intake.py [--walks 4] [--open 100] [--store throwaway|postgresql://...]

Needs Debian's chromium for the terminal's figure (skipped without it).
"""

from __future__ import annotations

import argparse
import asyncio
import html
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from benchmarks.intake_run import rss_mib  # noqa: E402
from benchmarks.serve import children_rss_kib  # noqa: E402
from tests.browser.helpers import (  # noqa: E402
    CHROMIUM,
    LAUNCH_ARGS,
    ServeProcess,
    chromium_missing,
    open_page,
    wait_for_text,
)
from tests.web.answers import FOUR_PARTNERS, typed_answers  # noqa: E402

_FORM = re.compile(r'<form method="post" action="(/intake/q/[^"]+)"(.*?)</form>', re.S)
_NAME = re.compile(r'name="([^"]+)"')
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


async def _visitor(base: str, number: int = 0) -> tuple[aiohttp.ClientSession, str]:
    """A new visitor, from loopback address 127.0.1.<number>: the server limits the intakes
    one client address may hold open, as it should; these are many clients."""
    connector = aiohttp.TCPConnector(local_addr=(f"127.0.1.{number % 250 + 1}", 0))
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                    connector=connector)
    async with session.get(base + "/") as response:
        page = await response.text()
    csrf = _CSRF.search(page)
    assert csrf is not None, page[:500]
    async with session.post(base + "/new", data={"csrf": csrf.group(1)}) as response:
        return session, await response.text()


async def _answer(session: aiohttp.ClientSession, base: str, page: str,
                  answers: dict[str, Any]) -> tuple[str, str]:
    found = _FORM.search(page)
    assert found is not None, page[:500]
    action, body = html.unescape(found.group(1)), found.group(2)
    data: list[tuple[str, str]] = [
        (html.unescape(n), html.unescape(v)) for n, v in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)"', body)]
    for name in dict.fromkeys(html.unescape(n) for n in _NAME.findall(body)):
        value = answers.get(name)
        if isinstance(value, list):
            data += [(name, v) for v in value]
        elif value is not None:
            data.append((name, value))
    async with session.post(base + action, data=data) as response:
        assert response.status == 200, await response.text()
        return str(response.url.path), await response.text()


async def web_figures(base: str, pid: int, walks: int, open_count: int,
                      where: str = "web") -> None:
    answers = typed_answers(FOUR_PARTNERS, "en")  # the server starts visitors in English
    timings: list[float] = []
    for _ in range(walks):
        session, page = await _visitor(base)
        path = "/intake/q/"
        while path.startswith("/intake/q/"):
            start = time.perf_counter()
            path, page = await _answer(session, base, page, answers)
            timings.append(time.perf_counter() - start)
        await session.close()
    quantiles = statistics.quantiles(timings, n=10)
    print(f"{where}: answer POST to next page over {walks} whole intakes ({len(timings)} answers): "
          f"p50 {statistics.median(timings) * 1000:.1f} ms, p90 {quantiles[8] * 1000:.1f} ms")
    before = rss_mib(pid)
    sessions = []
    for number in range(open_count):
        session, page = await _visitor(base, number)
        for _screen in range(5):
            _path, page = await _answer(session, base, page, answers)
        sessions.append(session)
    after = rss_mib(pid)
    print(f"{where}: server memory {before:.0f} MiB before, {after:.0f} MiB with "
          f"{open_count} more intakes open: {(after - before) * 1024 / open_count:.0f} KiB per "
          "intake (one process for all)")
    for session in sessions:
        await session.close()


def terminal_figure(server: ServeProcess) -> None:
    if chromium_missing():
        print("terminal: skipped,", chromium_missing())
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        page = open_page(browser, server.url)
        wait_for_text(page, "New intake", timeout=60)
        tabs = children_rss_kib(server.process.pid)
        print(f"terminal: one served tab is its own process of {max(tabs) / 1024:.0f} MiB "
              f"({len(tabs)} tab process(es) open)")
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--walks", type=int, default=4)
    parser.add_argument("--open", type=int, default=100)
    parser.add_argument("--store", help="also on a team store: 'throwaway' or postgresql://...")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        server = ServeProcess(Path(folder), "--lang", "en")
        try:
            base = _listening(server)
            asyncio.run(web_figures(base, server.process.pid, args.walks, args.open))
            terminal_figure(server)
        finally:
            server.stop()
    if args.store:
        with _team_store(args.store) as (url, token), tempfile.TemporaryDirectory() as folder:
            server = ServeProcess(Path(folder), "--lang", "en", "--store", url,
                                  env={"INTAKE_ASSISTANT_ADVISOR_TOKEN": token})
            try:
                asyncio.run(web_figures(_listening(server), server.process.pid, args.walks,
                                        args.open, "web (team store)"))
            finally:
                server.stop()
    return 0


def _listening(server: ServeProcess) -> str:
    """The web intake's address, once its port listens (it is printed a moment before)."""
    base = server.url.split("/terminal")[0]
    deadline = time.monotonic() + 30
    while True:
        try:
            asyncio.run(_ping(base))
            return base
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextmanager
def _team_store(store: str) -> Iterator[tuple[str, str]]:
    """(the store's URL, the server's advisor token): a throwaway server's new database, or
    the store given (its token from the environment)."""
    if store != "throwaway":
        yield store, os.environ.get("INTAKE_ASSISTANT_ADVISOR_TOKEN", "")
        return
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from store_speed import team_database, throwaway_server

    from tests.team_store.helpers import store_url

    with throwaway_server() as pg, team_database(pg, advisor="web intake") as (dsn, token):
        yield store_url(dsn), token


async def _ping(base: str) -> None:
    async with aiohttp.ClientSession() as session, session.get(base + "/") as response:
        await response.read()


if __name__ == "__main__":
    raise SystemExit(main())

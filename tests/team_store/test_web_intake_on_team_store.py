"""The web intake of ``serve --store`` keeps its intakes in the serving team's store: a client
finds theirs only by its resume code, the team's advisors list it and continue it (answers to
different questions merge), another team sees nothing, and a database that goes away loses no
answer typed in the page (NOT SAVED, then saved once it is back)."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import psycopg
import pytest
from aiohttp.test_utils import TestClient, TestServer
from web.answers import FOUR_PARTNERS, typed_answers
from web.plain_http import answer_all, csrf_of, screen_form, start

from intake_assistant.service.open_intake import Channel, OpenIntake
from intake_assistant.service.resume_codes import intake_id_of
from intake_assistant.storage import Settings
from intake_assistant.stores.advisor_tokens import TOKEN_VARIABLE
from intake_assistant.stores.postgres_store import PostgresStore
from intake_assistant.stores.store_protocol import StoreAccessError
from intake_assistant.web.site import SiteSettings, WebSite

from .helpers import (
    advisor_store,
    advisor_token,
    allow_connections,
    initialised,
    store_url,
)

CODE = re.compile(r'<strong class="intake-code">([A-Z2-9-]{29})</strong>')
TEAM = "Versnellingshuis"
#: The client of the four partners' example (its lead's KvK number): ``store erase-client``'s.
CLIENT_KVK = "11111111"


@pytest.fixture
def team_dsn(pg_dsn: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A team store whose web intake works as the team's advisor "web intake"."""
    initialised(pg_dsn)
    monkeypatch.setenv(TOKEN_VARIABLE, advisor_token(pg_dsn, TEAM, "web intake"))
    return pg_dsn


@pytest.fixture
async def client(team_dsn: str, tmp_path: Path) -> AsyncIterator[TestClient]:
    site = WebSite(SiteSettings(data_dir=tmp_path / "data", store=store_url(team_dsn)))
    async with TestClient(TestServer(site.make_app(), host="127.0.0.1")) as test_client:
        yield test_client


async def _a_few_screens(client: TestClient, count: int) -> tuple[str, str]:
    """A new intake with its first ``count`` screens answered: (its code, the page now)."""
    page = await start(client)
    response, _ = await answer_all(client, page, typed_answers(FOUR_PARTNERS, "nl"),
                                   limit=count)
    page = await response.text()
    found = CODE.search(page)
    assert found, page
    return found.group(1), page


async def _answer_screen(client: TestClient, page: str) -> tuple[str, list[str]]:
    """Answer the screen of ``page`` as the four partners' example does: (next page, the
    screen's fields)."""
    answers = typed_answers(FOUR_PARTNERS, "nl")
    action, names, hidden = screen_form(page)
    data: list[tuple[str, str]] = list(hidden.items())
    for name in names:
        value = answers.get(name)
        data += [(name, v) for v in value] if isinstance(value, list) else (
            [(name, value)] if value is not None else [])
    response = await client.post(action, data=data)
    assert response.status == 200
    return await response.text(), names


def _answers_of(store: PostgresStore, intake_id: str) -> dict[str, object]:
    return store.load(intake_id).state["answers"]


async def test_a_clients_web_intake_is_kept_in_the_teams_store_for_its_advisors(
        client: TestClient, team_dsn: str, tmp_path: Path) -> None:
    code, _ = await _a_few_screens(client, 3)
    intake_id = intake_id_of(code)
    assert not (tmp_path / "data" / "intakes").exists() or not any(
        (tmp_path / "data" / "intakes").glob("*.json"))  # nothing in the server's folder
    anna = advisor_store(team_dsn, TEAM, "Anna", tmp_path / "anna")
    listed = [header.id for header in anna.list_headers().intakes]
    assert listed == [intake_id]
    assert "project_title" in _answers_of(anna, intake_id)
    other = advisor_store(team_dsn, "Regio Noord", "Otto", tmp_path / "otto")
    assert other.list_headers().intakes == []
    assert not other.holds(intake_id)
    with pytest.raises(FileNotFoundError):
        other.load(intake_id)
    # the host's own view of the store lists nothing for a client either
    page = await (await client.get("/")).text()
    assert "web-" not in page


async def test_an_advisor_continues_the_clients_intake_and_the_answers_merge(
        client: TestClient, team_dsn: str, tmp_path: Path) -> None:
    code, page = await _a_few_screens(client, 3)
    intake_id = intake_id_of(code)
    anna = OpenIntake(Channel(advisor_store(team_dsn, TEAM, "Anna", tmp_path / "anna")),
                      Settings(mode="advisor"))
    anna.resume(intake_id, "nl")
    assert anna.go_to("project_title").done
    assert anna.answer("Stoelen die terugkomen (Anna)").saved.ok
    # the client answers the next screen in the page meanwhile: both answers are kept
    after, names = await _answer_screen(client, page)
    assert "kept together" in after or "samen bewaard" in after, after
    stored = _answers_of(anna.storage, intake_id)  # type: ignore[arg-type]
    assert stored["project_title"] == "Stoelen die terugkomen (Anna)"
    assert all(name in stored for name in names), (names, sorted(stored))
    provenance = anna.storage.load(intake_id).state["provenance"]
    assert provenance["project_title"]["name"] == "Anna"


async def test_a_resume_code_opens_the_intake_from_the_store_in_another_browser(
        client: TestClient, team_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _ = await _a_few_screens(client, 2)
    site = WebSite(SiteSettings(data_dir=tmp_path / "other", store=store_url(team_dsn)))
    async with TestClient(TestServer(site.make_app(), host="127.0.0.1")) as second:
        page = await (await second.get("/")).text()
        response = await second.post("/resume", data={"csrf": csrf_of(page), "code": code})
        assert response.status == 200
        assert code in await response.text()
        wrong = await second.post("/resume", data={"csrf": csrf_of(page),
                                                   "code": "ABCD-EFGH-JKLM-NPQR-STUV-WXYZ"})
        assert "No intake has this resume code" in await wrong.text() or \
            "Geen intake" in await wrong.text()
    # another team's server does not open the code: its rows are not that team's
    monkeypatch.setenv(TOKEN_VARIABLE, advisor_token(team_dsn, "Regio Noord", "web intake"))
    elsewhere = WebSite(SiteSettings(data_dir=tmp_path / "north", store=store_url(team_dsn)))
    async with TestClient(TestServer(elsewhere.make_app(), host="127.0.0.1")) as third:
        page = await (await third.get("/")).text()
        response = await third.post("/resume", data={"csrf": csrf_of(page), "code": code})
        text = await response.text()
        assert 'id="code-error"' in text and response.url.path == "/"
        assert f'<strong class="intake-code">{code}' not in text


async def test_a_database_gone_away_keeps_the_answers_and_says_not_saved(
        client: TestClient, team_dsn: str, tmp_path: Path, pg_server) -> None:
    code, page = await _a_few_screens(client, 2)
    intake_id = intake_id_of(code)
    allow_connections(pg_server.admin_dsn, team_dsn, False)
    try:
        page, lost_names = await _answer_screen(client, page)
        assert "NIET OPGESLAGEN" in page or "NOT SAVED" in page, page
        assert "Traceback" not in page
        assert code in page  # the intake goes on in the page
    finally:
        allow_connections(pg_server.admin_dsn, team_dsn, True)
    page, names = await _answer_screen(client, page)
    assert "NIET OPGESLAGEN" not in page and "NOT SAVED" not in page
    anna = advisor_store(team_dsn, TEAM, "Anna", tmp_path / "anna")
    stored = _answers_of(anna, intake_id)
    assert all(n in stored for n in [*lost_names, *names])


def test_a_wrong_host_token_stops_the_web_intake(team_dsn: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN_VARIABLE, "iat_" + "x" * 40)
    with pytest.raises(StoreAccessError):
        WebSite(SiteSettings(data_dir=tmp_path / "data", store=store_url(team_dsn)))


async def test_a_slow_save_does_not_hold_other_visitors(
        client: TestClient, team_dsn: str, tmp_path: Path, pg_server) -> None:
    code, page = await _a_few_screens(client, 2)
    site = WebSite(SiteSettings(data_dir=tmp_path / "other", store=store_url(team_dsn)))
    name = psycopg.conninfo.conninfo_to_dict(team_dsn)["dbname"]
    info = psycopg.conninfo.conninfo_to_dict(pg_server.admin_dsn)
    info["dbname"] = name
    async with TestClient(TestServer(site.make_app(), host="127.0.0.1")) as other_visitor:
        # a lock on the intake's row (another transaction): the client's next save waits
        with psycopg.connect(psycopg.conninfo.make_conninfo(**info)) as locker:
            locker.execute("SELECT 1 FROM intake_store.intakes WHERE id = %s FOR UPDATE",
                           (intake_id_of(code),))
            # a save on the loop would wait for this lock with every visitor: the lock is let
            # go after a while, so such a server fails this test instead of hanging it
            release = threading.Timer(15, locker.rollback)
            release.start()
            answering = asyncio.ensure_future(_answer_screen(client, page))
            await _until(lambda: _waiting_on_a_lock(locker, name))
            start_page = await other_visitor.get("/")  # served while the save waits
            assert start_page.status == 200
            assert not answering.done()
            release.cancel()
            locker.rollback()
            page, names = await answering
    assert "NOT SAVED" not in page
    anna = advisor_store(team_dsn, TEAM, "Anna", tmp_path / "anna")
    assert all(n in _answers_of(anna, intake_id_of(code)) for n in names)


def _waiting_on_a_lock(conn: psycopg.Connection, database: str) -> bool:
    row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND "
                       "wait_event_type = 'Lock'", (database,)).fetchone()
    return bool(row and row[0])


async def _until(condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition did not come true"
        await asyncio.sleep(0.02)


async def test_an_intake_erased_in_the_store_is_let_go_and_its_visitor_told(
        client: TestClient, team_dsn: str, tmp_path: Path) -> None:
    page = await (await client.get("/import")).text()
    imported = await client.post("/import", data={
        "csrf": csrf_of(page), "draft_text": FOUR_PARTNERS.read_text("utf-8")})
    found = CODE.search(await imported.text())
    assert imported.status == 200 and found, await imported.text()
    code = found.group(1)
    anna = advisor_store(team_dsn, TEAM, "Anna", tmp_path / "anna")
    assert anna.erase_client(CLIENT_KVK) == [intake_id_of(code)]  # the client's request
    # the visitor, unaware, answers a screen of the open intake: its save finds it erased
    page = await (await client.get("/intake/q/project_title")).text()
    after, _names = await _answer_screen(client, page)
    assert "gewist" in after, after  # told, in the visitor's language, on the start page
    assert CODE.search(after) is None  # no intake open: not this one, not a copy
    assert anna.list_headers().intakes == []  # nothing of it saved again, not as a copy
    # the code opens nothing any more; the next page is the start page, told once
    start_page = await (await client.get("/intake")).text()
    assert CODE.search(start_page) is None and "gewist" not in start_page


async def test_an_intake_let_go_while_idle_and_opened_again_is_no_new_open(
        team_dsn: str, tmp_path: Path) -> None:
    """The access log's opens are people opening an intake: the web intake letting one go
    while idle (to make room) and reading it again at its visitor's next page is the same
    open, as reading it again to merge is; nor is its state kept again as an earlier one."""
    site = WebSite(SiteSettings(data_dir=tmp_path / "data", store=store_url(team_dsn)))
    anna = advisor_store(team_dsn, TEAM, "Anna", tmp_path / "anna")
    async with TestClient(TestServer(site.make_app(), host="127.0.0.1")) as client:
        code, _page = await _a_few_screens(client, 2)
        intake_id = intake_id_of(code)
        logged = anna.access_log(intake_id)
        kept = len(anna.earlier_states(intake_id))
        (idle,) = site.intakes.open_intakes()
        idle.last_used -= site.intakes.limits.idle_seconds + 1
        site.intakes.make_room("another computer")  # let go: it is saved
        assert site.intakes.get(code) is None
        review = await client.get("/intake/review")
        assert review.status == 200 and code in await review.text()
        assert site.intakes.get(code) is not None
        assert anna.access_log(intake_id) == logged
        assert len(anna.earlier_states(intake_id)) == kept


async def test_two_pages_at_once_open_an_intake_let_go_while_idle_once(
        team_dsn: str, tmp_path: Path) -> None:
    """Two tabs of one visitor ask at once for the intake let go while idle: it is read once
    and held once, and its next save is the visitor's own, no colleague's change to merge."""
    site = WebSite(SiteSettings(data_dir=tmp_path / "data", store=store_url(team_dsn)))
    anna = advisor_store(team_dsn, TEAM, "Anna", tmp_path / "anna")
    async with TestClient(TestServer(site.make_app(), host="127.0.0.1")) as client:
        code, page = await _a_few_screens(client, 2)
        logged = anna.access_log(intake_id_of(code))
        (idle,) = site.intakes.open_intakes()
        idle.last_used -= site.intakes.limits.idle_seconds + 1
        site.intakes.make_room("another computer")
        pages = await asyncio.gather(*(client.get(_screen_of(page)) for _ in range(3)))
        assert all(p.status == 200 for p in pages)
        assert len(site.intakes) == 1
        after, _names = await _answer_screen(client, await pages[0].text())
        assert "kept together" not in after and "samen bewaard" not in after, after
        assert "NOT SAVED" not in after and "NIET OPGESLAGEN" not in after
        assert anna.access_log(intake_id_of(code)) == logged


def _screen_of(page: str) -> str:
    action, _names, _hidden = screen_form(page)
    return action

"""The web intake over plain HTTP (JavaScript off): a whole intake, refused answers, the
review's change links, the outcome and downloads, the language switch, resume codes."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import markupsafe
import pytest
from aiohttp import ClientSession, CookieJar
from aiohttp.test_utils import TestClient, TestServer

from intake_assistant.service.resume_codes import intake_id_of
from intake_assistant.storage import Storage
from intake_assistant.web import guard
from intake_assistant.web.intakes import Limits, ServerFull, WebIntake, WebRegistry
from intake_assistant.web.site import SiteSettings, WebSite

from .answers import FOUR_PARTNERS, typed_answers
from .plain_http import answer_all, csrf_of, screen_form, start, start_titled

CODE = re.compile(r'<strong class="intake-code">([A-Z2-9-]{29})</strong>')


async def test_the_four_partner_example_completed_without_javascript_gives_its_draft(
        client: TestClient) -> None:
    page = await start(client)
    response, screens = await answer_all(client, page, typed_answers(FOUR_PARTNERS, "nl"))
    assert response.url.path == "/intake/review"
    assert screens == 49  # as `replay` counts the terminal's screens
    outcome = await (await client.get("/intake/outcome")).text()
    assert "Komt in aanmerking" in outcome
    assert "<svg" in outcome and "maximale aandeel van 70%" in outcome
    download = await client.get("/intake/download/json")
    assert download.status == 200
    assert "attachment" in download.headers["Content-Disposition"]
    assert json.loads(await download.read()) == json.loads(FOUR_PARTNERS.read_text("utf-8"))
    report = await client.get("/intake/download/html")
    assert report.headers["Content-Type"].startswith("text/html")
    assert "Content-Security-Policy" in report.headers


async def test_a_refused_amount_shows_the_terminals_message_tied_to_its_field(
        client: TestClient) -> None:
    page = await start(client)
    answers = typed_answers(FOUR_PARTNERS, "nl")
    # up to the first screen with an amount
    while True:
        action, names, hidden = screen_form(page)
        if "participant_turnover[0]" in names:
            break
        data = list(hidden.items()) + [(n, answers[n]) for n in names
                                       if isinstance(answers.get(n), str)]
        data += [(n, v) for n in names if isinstance(answers.get(n), list)
                 for v in answers[n]]
        page = await (await client.post(action, data=data)).text()
    data = [*hidden.items(), ("participant_staff_units[0]", "12"),
            ("participant_turnover[0]", "twaalf miljoen")]
    response = await client.post(action, data=data)
    assert response.status == 400
    page = await response.text()
    from intake_assistant.flow.session import IntakeSession
    from intake_assistant.flow.values import AnswerError, parse
    from intake_assistant.i18n import translator

    question = IntakeSession.new().plan.by_id["participant_turnover"]
    try:
        parse(question, "twaalf miljoen", "nl", [])
    except AnswerError as exc:
        expected = translator("nl").render(exc.message)
    assert str(markupsafe.escape(expected)) in page
    assert "<title>Fout: " in page
    assert 'href="#f-participant_turnover-0"' in page  # the error summary links to the field
    field = re.search(r'<input[^>]*id="f-participant_turnover-0"[^>]*>', page)
    assert field is not None
    assert 'aria-describedby="f-participant_turnover-0-hint f-participant_turnover-0-error"' in (
        field.group(0))
    assert 'value="twaalf miljoen"' in field.group(0)  # what was typed stays
    # the accepted field of the same screen was kept
    staff = re.search(r'<input[^>]*id="f-participant_staff_units-0"[^>]*>', page)
    assert staff is not None and 'value="12"' in staff.group(0)


async def test_a_change_from_the_review_returns_to_the_review(client: TestClient) -> None:
    page = await start(client)
    await answer_all(client, page, typed_answers(FOUR_PARTNERS, "nl"))
    review = await (await client.get("/intake/review")).text()
    assert 'href="/intake/q/project_title?change=1"' in review
    page = await (await client.get("/intake/q/project_title?change=1")).text()
    action, _names, hidden = screen_form(page)
    assert hidden.get("change") == "1"
    response = await client.post(action, data=[*hidden.items(),
                                               ("project_title", "<b>Stoel</b> & co")])
    assert response.url.path == "/intake/review"
    text = await response.text()
    assert "&lt;b&gt;Stoel&lt;/b&gt; &amp; co" in text  # shown as text, never as markup
    assert "<b>Stoel</b>" not in text


async def test_a_screen_opened_by_its_address_is_one_save_of_where_the_intake_stands(
        client: TestClient, tmp_path: Path) -> None:
    """A question opened from an older review page, and the outcome opened from a question:
    the walk (by way of the review) is the service's, saved once where it ends."""
    page = await start_titled(client, "Stoel")
    code = CODE.search(page)
    assert code is not None
    storage = Storage(tmp_path / "data")  # the ``site`` fixture's
    intake_id = intake_id_of(code.group(1))

    def saved() -> tuple[int, str]:
        save = json.loads(storage.path_of(intake_id).read_text("utf-8"))
        return save["revision"], save["state"]["state"]

    revision, where = saved()
    assert where == "project_public_summary"
    opened = await client.get("/intake/q/project_title?change=1")
    assert opened.status == 200
    _action, _names, hidden = screen_form(await opened.text())
    assert hidden.get("change") == "1"  # going on returns to the review
    assert saved() == (revision + 1, "project_title")
    outcome = await client.get("/intake/outcome")
    assert outcome.status == 200 and outcome.url.path == "/intake/outcome"
    assert saved() == (revision + 2, "summary")
    back = await client.get("/intake/back/summary")
    assert back.url.path == "/intake/review"  # back from the outcome: the review


async def test_the_language_switch_keeps_the_answers(client: TestClient) -> None:
    await start_titled(client, "Stoel")
    page = await (await client.get("/intake/q/project_title")).text()
    assert '<html lang="nl"' in page
    response = await client.post("/language", data={
        "csrf": csrf_of(page), "language": "en", "next": "/intake/q/project_title"})
    page = await response.text()
    assert '<html lang="en"' in page
    assert "What is the title of the project?" in page
    assert 'value="Stoel"' in page


async def test_a_resume_code_opens_the_intake_in_another_browser(site: WebSite) -> None:
    async with TestClient(TestServer(site.make_app(), host="127.0.0.1")) as first:
        page = await start_titled(first, "Stoel")
        code = CODE.search(page)
        assert code is not None
        async with TestClient(TestServer(site.make_app(), host="127.0.0.1")) as second:
            start_page = await (await second.get("/")).text()
            assert "Stoel" not in start_page
            response = await second.post("/resume", data={
                "csrf": csrf_of(start_page), "code": code.group(1).lower().replace("-", " ")})
            assert response.url.path.startswith("/intake/q/")
            review = await (await second.get("/intake/review")).text()
            assert "Stoel" in review


@contextlib.asynccontextmanager
async def browsers(site: WebSite, *forwarded_for: str | None
                   ) -> AsyncIterator[list[ClientSession]]:
    """Browsers with cookies of their own on one served site (one server: its stop lets every
    intake go); every request of the n-th carries ``X-Forwarded-For: forwarded_for[n]``
    (None: none)."""
    async with TestServer(site.make_app(), host="127.0.0.1") as server:
        sessions = [ClientSession(  # unsafe: cookies of a server named by its address
            base_url=str(server.make_url("/")), cookie_jar=CookieJar(unsafe=True),
            headers={"X-Forwarded-For": address} if address is not None else None)
            for address in forwarded_for]
        try:
            yield sessions
        finally:
            for session in sessions:
                await session.close()


def let_go_while_idle(site: WebSite) -> WebIntake:
    """The one open intake, idle for longer than the site keeps one, let go (it is saved) as
    when another visitor needs the room."""
    (idle,) = site.intakes.open_intakes()
    idle.last_used -= site.intakes.limits.idle_seconds + 1
    site.intakes.make_room("another computer")
    assert site.intakes.get(idle.code) is None
    return idle


async def test_an_intake_let_go_while_idle_opens_again_for_its_own_computer(
        tmp_path: Path) -> None:
    site = WebSite(SiteSettings(data_dir=tmp_path, limits=Limits(max_per_client=1),
                                guard=guard.GuardSettings(trusted_proxies=("127.0.0.1",))))
    async with browsers(site, "203.0.113.5", "203.0.113.6", "203.0.113.5") as (
            first, other, colleague):
        await start_titled(first, "Stoel")
        (idle,) = site.intakes.open_intakes()
        idle.last_used -= site.intakes.limits.idle_seconds + 1
        await start(other)  # makes room: the idle intake (saved) is let go
        assert site.intakes.get(idle.code) is None
        review = await first.get("/intake/review")
        assert review.status == 200
        assert "Stoel" in await review.text()
        reopened = site.intakes.get(idle.code)
        assert reopened is not None and reopened.client == "203.0.113.5"
        # that computer holds its one intake again: another browser on it starts no other
        page = await (await colleague.get("/")).text()
        assert (await colleague.post("/new", data={"csrf": csrf_of(page)})).status == 503
        assert len(site.intakes) == 2


async def test_pages_that_do_not_show_the_intake_leave_one_let_go_closed(
        site: WebSite) -> None:
    async with TestClient(TestServer(site.make_app(), host="127.0.0.1")) as client:
        await start_titled(client, "Stoel")
        idle = let_go_while_idle(site)
        page = await (await client.get("/import")).text()
        assert (await client.get("/assets/intake.css")).status == 200
        assert (await client.get("/no-such-page")).status == 404
        assert site.intakes.get(idle.code) is None
        response = await client.post("/new", data={"csrf": csrf_of(page)})
        assert response.status == 200 and "Stoel" not in await response.text()
        assert [i.code for i in site.intakes.open_intakes()] != [idle.code]
        assert len(site.intakes) == 1  # the new intake only


@pytest.mark.parametrize(("language", "said"), [
    ("nl", "Uw intake is gesloten omdat hij niet werd gebruikt (de antwoorden zijn bewaard)"),
    ("en", "Your intake was closed while it was not in use (its answers are kept)"),
])
async def test_an_intake_the_full_server_cannot_open_again_is_said_with_its_code(
        tmp_path: Path, language: str, said: str) -> None:
    site = WebSite(SiteSettings(data_dir=tmp_path, language=language,
                                limits=Limits(max_open=1)))
    async with browsers(site, None, None) as (first, other):
        await start_titled(first, "Stoel")
        idle = let_go_while_idle(site)
        await start(other)  # the one room taken
        response = await first.get("/intake/review")
        assert response.status == 200 and response.url.path == "/"
        text = await response.text()
        assert said in text and idle.code in text
        assert text.count(said) == 1


def test_an_intake_read_while_others_took_the_room_is_not_held(tmp_path: Path) -> None:
    """On a team store an intake is read off the site's thread, and other visitors may take
    the last room meanwhile: holding it then refuses, as opening it would have."""
    with_room = WebRegistry(tmp_path, Limits(max_open=2))
    codes = [with_room.new("nl", "203.0.113.5").code for _ in range(2)]
    with_room.close_all()
    registry = WebRegistry(tmp_path, Limits(max_open=1))
    read = [registry.open_saved(registry.find(code, "nl"), "nl") for code in codes]
    registry.hold(read[0], "203.0.113.5", "nl")
    with pytest.raises(ServerFull):
        registry.hold(read[1], "203.0.113.6", "nl")
    assert [i.code for i in registry.open_intakes()] == codes[:1]


async def test_a_wrong_resume_code_is_named_on_the_start_page(client: TestClient) -> None:
    page = await (await client.get("/")).text()
    response = await client.post("/resume", data={"csrf": csrf_of(page), "code": "ABCD"})
    assert response.status == 400
    text = await response.text()
    assert "Dit is geen hervatcode" in text
    assert 'aria-describedby="code-hint code-error"' in text


async def refused_one_more(settings: SiteSettings, started: int) -> str:
    """The page a visitor gets who, with ``started`` intakes open, starts one more: refused."""
    site = WebSite(settings)
    async with TestClient(TestServer(site.make_app(), host="127.0.0.1")) as client:
        for _ in range(started):
            await start(client)
        page = await (await client.get("/")).text()
        response = await client.post("/new", data={"csrf": csrf_of(page)})
        assert response.status == 503
        return await response.text()


async def test_a_visitor_turned_away_when_the_server_is_full_sees_why(tmp_path: Path) -> None:
    settings = SiteSettings(data_dir=tmp_path, limits=Limits(max_open=50, max_per_client=2))
    assert "U hebt 2 intakes open" in await refused_one_more(settings, 2)


async def new_intake_status(client: TestClient, forwarded_for: str) -> int:
    """The status of a new intake started by another browser (no cookie yet) whose requests
    carry ``X-Forwarded-For: forwarded_for`` (200: started; 503: refused, no room)."""
    client.session.cookie_jar.clear()
    headers = {"X-Forwarded-For": forwarded_for}
    page = await (await client.get("/", headers=headers)).text()
    return (await client.post("/new", data={"csrf": csrf_of(page)}, headers=headers)).status


@pytest.mark.parametrize(("proxy", "statuses", "clients"), [
    # behind the trusted proxy: the address it appended, not what the client wrote further left
    ("127.0.0.1", [200, 200, 503], ["203.0.113.5", "203.0.113.6"]),
    # no trusted proxy: a forged header changes nothing, the peer is the computer
    ("10.0.0.1", [200, 503, 503], ["127.0.0.1"]),
], ids=["trusted-proxy", "forged-header"])
async def test_the_limit_per_computer_counts_the_client_the_trusted_proxy_names(
        tmp_path: Path, proxy: str, statuses: list[int], clients: list[str]) -> None:
    site = WebSite(SiteSettings(data_dir=tmp_path, limits=Limits(max_per_client=1),
                                guard=guard.GuardSettings(trusted_proxies=(proxy,))))
    async with TestClient(TestServer(site.make_app(), host="127.0.0.1")) as client:
        assert [await new_intake_status(client, forwarded_for) for forwarded_for in (
            "203.0.113.5", "203.0.113.6", "198.51.100.1, 203.0.113.5")] == statuses
        assert sorted(i.client for i in site.intakes.open_intakes()) == clients


@pytest.mark.parametrize(("language", "said"), [
    ("nl", "U hebt 1 intake open op deze server, het meeste dat één computer tegelijk mag "
           "hebben. Ga ermee verder met de hervatcode, of probeer het over 1 minuut opnieuw,"),
    ("en", "You have 1 intake open on this server, the most one computer may have at once. "
           "Continue it with its resume code, or try again in 1 minute,"),
])
async def test_a_computer_allowed_one_intake_is_told_of_it_in_the_singular(
        tmp_path: Path, language: str, said: str) -> None:
    settings = SiteSettings(data_dir=tmp_path, language=language, limits=Limits(
        max_open=50, max_per_client=1, idle_seconds=60))
    assert said in await refused_one_more(settings, 1)


@pytest.mark.parametrize(("language", "said"), [
    ("nl", "De server is vol: er is 1 intake open, het meeste dat hij tegelijk aankan."),
    ("en", "The server is busy: 1 intake is open, the most it holds at once."),
])
async def test_a_server_holding_one_intake_is_full_in_the_singular(
        tmp_path: Path, language: str, said: str) -> None:
    settings = SiteSettings(data_dir=tmp_path, language=language,
                            limits=Limits(max_open=1, max_per_client=2))
    assert said in await refused_one_more(settings, 1)


async def test_the_provenance_file_naming_who_answered_is_no_download(client: TestClient) -> None:
    await start_titled(client, "Stoel")
    assert (await client.get("/intake/download/json")).status == 200
    response = await client.get("/intake/download/provenance")
    assert response.status == 404 and "Content-Disposition" not in response.headers


async def _on_the_sme_screen(client: TestClient) -> tuple[str, dict[str, str]]:
    page = await start(client)
    answers = typed_answers(FOUR_PARTNERS, "nl")
    while True:
        action, names, hidden = screen_form(page)
        if "participant_turnover[0]" in names:
            return action, hidden
        data = list(hidden.items()) + [(n, answers[n]) for n in names
                                       if isinstance(answers.get(n), str)]
        data += [(n, v) for n in names if isinstance(answers.get(n), list)
                 for v in answers[n]]
        page = await (await client.post(action, data=data)).text()


async def test_a_figure_that_reads_two_ways_offers_both_readings_to_choose(
        client: TestClient) -> None:
    """Dutch "4,000" is refused with both readings, each a submit button after Continue
    (Enter submits Continue: no reading is picked for the visitor); the one pressed is
    recorded, a reading the field's text does not have is not."""
    action, hidden = await _on_the_sme_screen(client)
    typed = [*hidden.items(), ("participant_staff_units[0]", "12"),
             ("participant_turnover[0]", "4,000")]
    response = await client.post(action, data=typed)
    assert response.status == 400
    page = await response.text()
    form = page[page.index(f'action="{action}"'):]
    form = form[:form.index("</form>")]
    buttons = re.findall(r'<button[^>]*type="submit"[^>]*>([^<]*)</button>', form)
    assert buttons == ["Verder", "Ik bedoel € 4,00", "Ik bedoel € 4.000,00"], buttons
    assert 'value="4,000"' in page  # what was typed stays
    # a reading of another figure (hostile, or a stale page) is refused as the text is
    forged = await client.post(action, data=[
        *typed, ("reading", "participant_turnover[0] € 9.999,00")])
    assert forged.status == 400
    chosen = await client.post(action, data=[
        *typed, ("reading", "participant_turnover[0] € 4.000,00")])
    assert chosen.status == 200 and chosen.url.path != action  # on to the next screen
    back = await (await client.get(action)).text()  # the screen again: the answer recorded
    turnover = re.search(r'<input[^>]*id="f-participant_turnover-0"[^>]*>', back)
    assert turnover is not None and 'value="4.000"' in turnover.group(0)

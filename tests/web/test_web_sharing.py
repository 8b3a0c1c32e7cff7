"""One intake, several windows: two tabs (or browsers) on one resume code lose nothing, and
an intake changed meanwhile by the advisor's terminal is merged with the visitor's answers, or,
where both changed the same answer, keeps the visitor's as a copy under a new code, which the
visitor is shown. Two visitors never see each other's intake."""

from __future__ import annotations

import re
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from intake_assistant.flow.session import IntakeSession
from intake_assistant.service.resume_codes import intake_id_of
from intake_assistant.storage import IntakeMeta, Storage
from intake_assistant.web.site import SiteSettings, WebSite

from .plain_http import csrf_of, screen_form, start, start_titled

CODE = re.compile(r'intake-code">([A-Z2-9-]{29})<')


async def _resume(client: TestClient, code: str) -> str:
    page = await (await client.get("/")).text()
    response = await client.post("/resume", data={"csrf": csrf_of(page), "code": code})
    assert response.status == 200
    return await response.text()


async def test_two_windows_on_one_code_keep_both_windows_answers(tmp_path: Path) -> None:
    site = WebSite(SiteSettings(data_dir=tmp_path))
    async with TestClient(TestServer(site.make_app(), host="127.0.0.1")) as first, \
            TestClient(TestServer(site.make_app(), host="127.0.0.1")) as second:
        page = await start(first)
        title_action, _n, first_hidden = screen_form(page)
        page = await (await first.post(title_action, data=[*first_hidden.items(),
                                                           ("project_title", "Stoel")])).text()
        code = CODE.search(page)
        assert code is not None
        # both windows show the next screen; the second answers it first, then the first
        # window sends the form it still shows
        second_page = await _resume(second, code.group(1))
        action, names, second_hidden = screen_form(second_page)
        first_action, first_names, first_hidden = screen_form(page)
        assert (action, names) == (first_action, first_names)
        response = await second.post(first_action, data=[*second_hidden.items(),
                                                        (names[0], "Tweede venster")])
        assert response.status == 200
        third = await (await first.post("/intake/q/project_title",
                                        data=[*first_hidden.items(),
                                              ("project_title", "Stoel 2")])).text()
        assert "intake-code" in third
        review = await (await second.get("/intake/review")).text()
        assert "Stoel 2" in review and "Tweede venster" in review
        saved = Storage(tmp_path).load(intake_id_of(code.group(1)))
        answers = saved.state["answers"]
        assert answers["project_title"] == "Stoel 2" and "Tweede venster" in answers.values()


async def _changed_by_the_advisor(client: TestClient, data: Path, *,
                                  answered_first: bool) -> tuple[str, str, str]:
    """An intake started on the web (its title answered "Stoel" when ``answered_first``),
    then its title answered in the advisor's terminal (another process: its own Storage);
    (the web page shown, its code, its id)."""
    page = await start(client)
    if answered_first:
        action, _n, hidden = screen_form(page)
        page = await (await client.post(action, data=[*hidden.items(),
                                                      ("project_title", "Stoel")])).text()
    code = CODE.search(page)
    assert code is not None
    other = Storage(data)
    intake_id = intake_id_of(code.group(1))
    theirs = IntakeSession.from_state_dict(other.load(intake_id).state)
    theirs.go_to("project_title")
    assert theirs.answer("Stoel van de adviseur").accepted
    other.save(intake_id, theirs.to_state_dict(), IntakeMeta(title="x"))
    return page, code.group(1), intake_id


async def test_the_same_answer_changed_elsewhere_meanwhile_keeps_the_visitors_under_a_new_code(
        client: TestClient, tmp_path: Path) -> None:
    data = tmp_path / "data"  # the ``site`` fixture's
    page, code, intake_id = await _changed_by_the_advisor(client, data, answered_first=False)
    action, _names, hidden = screen_form(page)
    response = await client.post(action, data=[*hidden.items(), ("project_title", "Mijn stoel")])
    text = await response.text()
    new_code = CODE.search(text)
    assert new_code is not None and new_code.group(1) != code
    assert "NIEUWE hervatcode" in text and new_code.group(1) in text
    mine = Storage(data).load(intake_id_of(new_code.group(1))).state["answers"]
    assert mine["project_title"] == "Mijn stoel"
    kept = Storage(data).load(intake_id).state["answers"]
    assert kept["project_title"] == "Stoel van de adviseur"


async def test_other_answers_changed_elsewhere_meanwhile_are_merged_with_the_visitors(
        client: TestClient, tmp_path: Path) -> None:
    data = tmp_path / "data"
    page, code, intake_id = await _changed_by_the_advisor(client, data, answered_first=True)
    action, names, hidden = screen_form(page)
    response = await client.post(action, data=[*hidden.items(), (names[0], "Mijn antwoord")])
    text = await response.text()
    shown = CODE.search(text)
    assert shown is not None and shown.group(1) == code
    assert "samen bewaard" in text
    answers = Storage(data).load(intake_id).state["answers"]
    assert answers["project_title"] == "Stoel van de adviseur"
    assert "Mijn antwoord" in answers.values()


async def test_two_visitors_never_see_each_others_intake(tmp_path: Path) -> None:
    site = WebSite(SiteSettings(data_dir=tmp_path))
    async with TestClient(TestServer(site.make_app(), host="127.0.0.1")) as first, \
            TestClient(TestServer(site.make_app(), host="127.0.0.1")) as second:
        await start_titled(first, "Geheim project")
        for path in ("/", "/intake", "/intake/review", "/intake/outcome",
                     "/intake/download/json"):
            response = await second.get(path)
            assert "Geheim project" not in await response.text(), path
        await start(second)
        assert "Geheim project" not in await (await second.get("/intake/review")).text()


async def test_a_page_opened_in_another_language_than_the_intakes_writes_nothing(
        tmp_path: Path) -> None:
    """A visitor reads the intake in their own language; opening a page (a GET) while the
    intake was last switched to another language by a second window changes the store in no
    way: the draft's language follows at the next answer, which is saved."""
    site = WebSite(SiteSettings(data_dir=tmp_path))
    async with TestClient(TestServer(site.make_app(), host="127.0.0.1")) as first, \
            TestClient(TestServer(site.make_app(), host="127.0.0.1")) as second:
        page = await start_titled(first, "Stoel")
        code = CODE.search(page)
        assert code is not None
        action, _names, hidden = screen_form(page)
        second_page = await _resume(second, code.group(1))
        switched = await second.post("/language", data={
            "csrf": csrf_of(second_page), "language": "en", "next": action})
        assert '<html lang="en"' in await switched.text()
        path = Storage(tmp_path).path_of(intake_id_of(code.group(1)))
        assert Storage(tmp_path).load(intake_id_of(code.group(1))).state["language"] == "en"
        before = (path.read_bytes(), path.stat().st_mtime_ns)
        for url in (action, "/intake", "/", "/intake/download/json"):
            response = await first.get(url)
            assert response.status == 200, url
        dutch = await (await first.get(action)).text()
        assert '<html lang="nl"' in dutch
        assert (path.read_bytes(), path.stat().st_mtime_ns) == before
        # the next answer is saved, in the language of the window that gave it
        action, names, hidden = screen_form(dutch)
        answered = await first.post(action, data=[*hidden.items(), (names[0], "Een stoel")])
        assert answered.status == 200
        assert Storage(tmp_path).load(intake_id_of(code.group(1))).state["language"] == "nl"

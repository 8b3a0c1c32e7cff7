"""Importing a draft on the web (JavaScript off): pasted or uploaded, through the service's one
checked import path, with the terminal's limits and messages; an imported draft is a new
intake, resumable by its code."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestClient, TestServer

from intake_assistant.i18n import set_language
from intake_assistant.loading import MAX_FILE_BYTES
from intake_assistant.service.open_intake import OpenIntake
from intake_assistant.service.outcomes import DraftSource, IntakeProblem
from intake_assistant.service.resume_codes import served_channel
from intake_assistant.storage import Settings
from intake_assistant.web.site import SiteSettings, WebSite

from .plain_http import csrf_of

EXAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "examples"
CHAIR = EXAMPLES / "eligible-office-chair.json"
CODE = re.compile(r'<strong class="intake-code">([A-Z2-9-]{29})</strong>')


def _form(csrf: str, *, text: str = "", file: bytes | None = None,
          name: str = "draft.json") -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("csrf", csrf)
    form.add_field("draft_text", text)
    form.add_field("draft_file", file if file is not None else b"", filename=name,
                   content_type="application/json")
    return form


async def _import(client: TestClient, **given: object) -> aiohttp.ClientResponse:
    page = await (await client.get("/import")).text()
    return await client.post("/import", data=_form(csrf_of(page), **given))  # type: ignore[arg-type]


def _terminals_message(source: DraftSource, tmp_path: Path) -> str:
    """What the service says of ``source`` (the terminal's import says the same)."""
    set_language("nl")
    service = OpenIntake(served_channel(str(tmp_path / "other"), advisor=False), Settings())
    try:
        service.prepare_import(source, "nl")
    except IntakeProblem as exc:
        return exc.text
    raise AssertionError("the draft was imported")


async def test_an_uploaded_draft_is_a_new_intake_resumable_by_its_code(tmp_path: Path) -> None:
    site = WebSite(SiteSettings(data_dir=tmp_path))
    async with TestClient(TestServer(site.make_app(), host="127.0.0.1")) as first, \
            TestClient(TestServer(site.make_app(), host="127.0.0.1")) as second:
        response = await _import(first, file=CHAIR.read_bytes(), name="stoel.json")
        page = await response.text()
        assert response.status == 200, page
        assert "stoel.json" in page  # the notice names the file imported
        code = CODE.search(page)
        assert code is not None
        start = await (await second.get("/")).text()
        resumed = await second.post("/resume", data={"csrf": csrf_of(start),
                                                     "code": code.group(1)})
        review = await (await second.get("/intake/review")).text()
        assert resumed.status == 200 and "Circulaire kantoorstoel" in review
        assert len(list(tmp_path.rglob("web-*.json"))) == 1


async def test_a_pasted_draft_is_imported(tmp_path: Path) -> None:
    site = WebSite(SiteSettings(data_dir=tmp_path))
    async with TestClient(TestServer(site.make_app(), host="127.0.0.1")) as client:
        response = await _import(client, text=CHAIR.read_text("utf-8"))
        page = await response.text()
        assert "Het geplakte concept is geïmporteerd." in page or "geplakt" in page, page
        review = await (await client.get("/intake/review")).text()
        assert "Circulaire kantoorstoel" in review


async def test_a_draft_beyond_the_limits_is_refused_with_the_terminals_message(
        tmp_path: Path) -> None:
    draft = json.loads(CHAIR.read_text("utf-8"))
    draft["participants"] = draft["participants"] * 200  # more than the questions take
    text = json.dumps(draft)
    site = WebSite(SiteSettings(data_dir=tmp_path))
    async with TestClient(TestServer(site.make_app(), host="127.0.0.1")) as client:
        response = await _import(client, text=text)
        page = await response.text()
        assert response.status == 400
        assert response.url.path == "/import"
        message = _terminals_message(DraftSource.pasted(text), tmp_path)
        assert html.escape(message, quote=False).splitlines()[0] in page
        assert 'href="#draft_text"' in page and 'aria-invalid="true"' in page
        assert not list(tmp_path.rglob("web-*.json"))  # nothing was kept


async def test_a_draft_file_larger_than_the_loader_takes_is_refused_as_too_large(
        tmp_path: Path) -> None:
    site = WebSite(SiteSettings(data_dir=tmp_path))
    async with TestClient(TestServer(site.make_app(), host="127.0.0.1")) as client:
        big = b" " * (MAX_FILE_BYTES + 1) + CHAIR.read_bytes()
        response = await _import(client, file=big, name="groot.json")
        page = await response.text()
        assert response.status == 400 and response.url.path == "/import"
        assert "groter dan 5 MB" in page, page


async def test_an_import_of_nothing_says_what_to_give(tmp_path: Path) -> None:
    site = WebSite(SiteSettings(data_dir=tmp_path))
    async with TestClient(TestServer(site.make_app(), host="127.0.0.1")) as client:
        response = await _import(client)
        page = await response.text()
        assert response.status == 400 and "id=\"error-summary\"" in page

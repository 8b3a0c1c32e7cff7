"""``intake-assistant serve`` in a real headless Chromium (Debian's ``chromium``).

Each test starts the real server on a free local port and drives the page as a visitor does:
keys typed into the page, screens read from what the page draws. Skipped, with the reason,
only where no Chromium is installed (``.ci/run`` installs it when it runs as root).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .helpers import (
    RESUME_CODE,
    ROOT,
    ServeProcess,
    chromium_missing,
    launched_chromium,
    open_page,
    press,
    screen_text,
    wait_for_no_text,
    wait_for_text,
)

pytestmark = pytest.mark.skipif(chromium_missing() is not None,
                                reason=chromium_missing() or "")

TITLE = "Alpha Circular Pallets"


@pytest.fixture(scope="module")
def browser():
    yield from launched_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process = ServeProcess(tmp_path_factory.mktemp("served"), "--lang", "en")
    yield process
    process.stop()


@pytest.fixture(scope="module")
def first_intake(server, browser):
    """A visitor starts a new intake and answers the first question; their page and code."""
    page = open_page(browser, server.url)
    wait_for_text(page, "New intake")
    page.locator("#terminal").click()
    press(page, "F9")  # the served key for "new intake" (ctrl+n never reaches a page)
    shown = wait_for_text(page, "Your resume code")
    code = RESUME_CODE.search(shown)
    assert code, shown
    press(page, "Escape")
    wait_for_no_text(page, "Your resume code")  # typed into the question, not the pop-up
    wait_for_text(page, "What is the title of the project?")
    page.keyboard.type(TITLE)
    press(page, "Enter")
    wait_for_text(page, "Give a short public summary of the project.")
    return page, code.group(0)


def test_the_served_footer_shows_keys_that_reach_a_page(server, browser) -> None:
    page = open_page(browser, server.url)
    wait_for_text(page, "New intake")
    screen = wait_for_text(page, "f10 Quit")  # the footer is drawn after the first screen
    footer = "\n".join(screen.strip().splitlines()[-2:])  # (it wraps where it is narrow)
    assert "f9 New intake" in footer and "f10 Quit" in footer
    assert "^n" not in footer and "^q" not in footer and "^w" not in footer
    page.locator("#terminal").click()
    press(page, "Control+o")  # a browser's "open file", taken by the page: import
    wait_for_text(page, "Paste the content of a draft application JSON file below")
    page.context.close()


def test_a_later_visitor_sees_the_footer_too(server, browser, first_intake) -> None:
    # Was: once another visitor's intake was saved, a new visitor's start screen was laid out
    # for a list (the folder held saves), then rebuilt without one once the saves were read,
    # while the page had no focus: Textual's rebuilt footer waits for a change of focus.
    page = open_page(browser, server.url)
    wait_for_text(page, "New intake")
    wait_for_text(page, "f10 Quit", timeout=15)
    page.context.close()


def test_start_screen_new_intake_typed_answer_and_language_switch(server, first_intake) -> None:
    page, code = first_intake
    # The typed answer was accepted and saved on the server, in a file only its user reads.
    saved = server.saved()
    assert [s["meta"]["title"] for s in saved] == [TITLE]
    files = list((server.data_dir / "intakes").glob("*.json"))
    assert all(f.stat().st_mode & 0o077 == 0 for f in files)
    assert code not in files[0].name  # the file name does not give the code away
    press(page, "F2")
    screen = wait_for_text(page, "Geef een korte openbare samenvatting van het project.")
    assert "voorcheck, RVO beslist" in screen
    press(page, "F2")
    wait_for_text(page, "Give a short public summary of the project.")


def test_a_second_visitor_cannot_see_or_open_the_first_ones_intake(server, browser,
                                                                   first_intake) -> None:
    _page, code = first_intake
    other = open_page(browser, server.url)  # a new browser context: another visitor
    screen = wait_for_text(other, "No saved intakes yet.")
    assert TITLE not in screen
    other.locator("#terminal").click()
    press(other, "F8")
    wait_for_text(other, "Resume with your code")
    other.keyboard.type("ABCD-EFGH-JKLM-NPQR-STUV-WXYZ")
    press(other, "Enter")
    wait_for_text(other, "There is no intake with this code.")
    other.context.close()

    # The code (or the link with it) is the way back in; it opens the first intake.
    again = open_page(browser, f"{server.url}?resume={code}")
    wait_for_text(again, "Give a short public summary of the project.")
    again.locator("#terminal").click()
    press(again, "Escape")  # back to the title question: the answer is there
    wait_for_text(again, TITLE)
    again.context.close()

    # Whoever holds the advisor link sees every served intake.
    advisor = open_page(browser, server.advisor_url)
    wait_for_text(advisor, TITLE)
    advisor.context.close()


def test_the_export_downloads_from_the_page(server, first_intake) -> None:
    page, _code = first_intake
    press(page, "Control+p")
    wait_for_text(page, "Search for commands")
    page.keyboard.type("Download")
    wait_for_text(page, "The draft JSON and the report as files")
    press(page, "Enter")
    wait_for_text(page, "Download the draft and the report")
    # textual-serve opens the download in a new tab (which closes once the file is saved):
    # the file is taken as the browser receives it.
    received: list[tuple[dict[str, str], bytes]] = []

    def keep(route) -> None:
        response = route.fetch()
        received.append((response.headers, response.body()))
        route.fulfill(response=response)

    page.context.route("**/download/**", keep)
    press(page, "Enter")  # the first button: the draft JSON
    deadline = time.monotonic() + 30
    while not received and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert received, screen_text(page)
    headers, body = received[0]
    assert headers["content-disposition"] == "attachment; filename=alpha-circular-pallets-draft.json"
    assert json.loads(body)["project"]["title"] == TITLE
    press(page, "Escape")


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_token_is_required_when_one_is_given(tmp_path: Path, browser) -> None:
    token = "s3cret-token-for-the-test-0123456789"
    served = ServeProcess(tmp_path / "data", "--token", token)
    try:
        assert f"token={token}" in served.url
        parts = urlsplit(served.url)
        bare = f"{parts.scheme}://{parts.netloc}"
        # The page's own texts follow the visitor's browser language.
        page = open_page(browser, bare + "/", locale="nl-NL")
        assert "Voor deze intake is de link met het token nodig" in page.content()
        page.context.close()
        page = open_page(browser, bare + "/", locale="en-GB")
        assert "This intake needs the link with its token" in page.content()
        for path in ("/", "/ws/anything", "/download/anything", "/?token=wrong"):
            assert _status(bare + path) == 403, path
        page.context.close()
        page = open_page(browser, served.url)
        wait_for_text(page, "Nieuwe intake")  # the intake's default language: Dutch
        page.context.close()
    finally:
        served.stop()


def test_other_addresses_need_a_token(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "intake_assistant", "--lang", "en", "serve",
                           "--host", "0.0.0.0", "--data-dir", str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "give a token with --token" in done.stderr
    assert "Traceback" not in done.stderr


def test_sessions_are_bounded_and_an_idle_one_ends_saved(tmp_path: Path, browser) -> None:
    served = ServeProcess(tmp_path / "data", "--lang", "en", "--max-sessions", "1",
                          "--idle-minutes", "0.2")
    try:
        first = open_page(browser, served.url)
        wait_for_text(first, "New intake")
        first.locator("#terminal").click()
        press(first, "F9")
        wait_for_text(first, "Your resume code")
        press(first, "Escape")
        wait_for_no_text(first, "Your resume code")
        wait_for_text(first, "What is the title of the project?")
        first.keyboard.type("Bounded")
        press(first, "Enter")
        wait_for_text(first, "Give a short public summary of the project.")

        second = open_page(browser, served.url)
        wait_for_text(second, "The server is busy")
        # the page's own dialog says why too, never "your answers were saved"
        second.wait_for_selector("body.-closed", state="attached", timeout=30_000)
        closed = second.inner_text(".closed-dialog .message")
        assert "The server is busy" in closed and "saved" not in closed

        started = time.monotonic()  # 12 s without a key: the first session is ended
        first.wait_for_selector("body.-closed", state="attached", timeout=60_000)
        assert time.monotonic() - started > 5
        assert [s["meta"]["title"] for s in served.saved()] == ["Bounded"]

        second.reload()
        wait_for_text(second, "New intake")
    finally:
        code, printed = served.stop()
    assert code == 0, printed


def test_ctrl_c_stops_the_server_and_every_session(tmp_path: Path, browser) -> None:
    served = ServeProcess(tmp_path / "data", "--lang", "en")
    page = open_page(browser, served.url)
    wait_for_text(page, "New intake")
    started = time.monotonic()
    code, printed = served.stop()
    assert code == 0, printed
    assert "The server has stopped" in printed
    assert time.monotonic() - started < 20
    page.wait_for_selector("body.-closed", state="attached", timeout=20_000)
    page.context.close()


def test_the_page_speaks_the_visitors_language_and_warns_before_it_is_left(server,
                                                                           browser) -> None:
    page = open_page(browser, server.url, locale="nl-NL")  # the server runs with --lang en
    assert page.locator("html").get_attribute("lang") == "nl"
    assert "voorcheck" in page.title().lower()
    wait_for_text(page, "New intake")  # the intake itself starts in the server's language
    page.locator("#terminal").click()
    asked: list[str] = []

    def answer(dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.close(run_before_unload=True)  # as ctrl+w or closing the tab does
    deadline = time.monotonic() + 10
    while not asked and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert asked == ["beforeunload"]
    assert not page.is_closed()
    page.context.close()


def test_the_page_language_follows_accept_language() -> None:
    from intake_assistant.tui.served.server import page_language

    assert page_language("nl-NL,nl;q=0.9,en;q=0.8", "en") == "nl"
    assert page_language("de-DE,en;q=0.5,nl;q=0.7", "en") == "nl"
    assert page_language("fr, de;q=0.5", "en") == "en"
    assert page_language(None, "nl") == "nl"
    assert page_language("en;q=bad, nl;q=0", "en") == "en"


PASTE_JS = """(text) => {
  // The browser's paste event, as ctrl+v sends it to the page's terminal.
  const target = document.querySelector('.xterm-helper-textarea');
  const data = new DataTransfer();
  data.setData('text/plain', text);
  target.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true,
                                                    cancelable: true}));
}"""


def test_done_when_a_dutch_intake_in_the_page_downloads_its_files_beside_a_second_tab(
        tmp_path: Path, browser) -> None:
    """The issue's "done when": an intake in Dutch completed in the page (a pasted example
    draft and typed answers), downloaded as JSON, HTML report and PDF; a second tab at the
    same time does its own intake, and neither lists the other's."""
    from html.parser import HTMLParser

    from intake_assistant.loading import parse_draft_text
    from intake_assistant.reports.pdf import available as pdf_available
    from intake_assistant.rules import evaluate

    example = ROOT.parent / "shared" / "examples" / "eligible-office-chair.json"
    served = ServeProcess(tmp_path / "data")  # the default language: Dutch
    try:
        first = open_page(browser, served.url)
        second = open_page(browser, served.url)  # another visitor, at the same time
        wait_for_text(first, "Nog geen opgeslagen intakes.")
        first.locator("#terminal").click()
        press(first, "Control+o")  # import: paste the draft's JSON into the page
        wait_for_text(first, "Plak hieronder de inhoud")
        first.evaluate(PASTE_JS, example.read_text(encoding="utf-8"))
        wait_for_text(first, '"market_conform_fee": true')
        press(first, "Tab")
        press(first, "Enter")  # Importeren
        shown = wait_for_text(first, "Uw hervatcode", timeout=60)
        first_code = RESUME_CODE.search(shown)
        assert first_code, shown
        press(first, "Escape")
        wait_for_no_text(first, "Uw hervatcode")
        # Typed answers: the review opens on the title; change it, and the summary.
        wait_for_text(first, "Uw antwoorden.")
        press(first, "Enter")
        wait_for_text(first, "De titel identificeert")  # the question itself (it may wrap)
        first.wait_for_timeout(500)  # the field selects its text once focused: typing replaces it
        first.keyboard.type("Circulaire kantoorstoel Delft")
        press(first, "Enter")
        wait_for_text(first, "Circulaire kantoorstoel Delft")

        # Meanwhile the second visitor starts their own intake and sees none of the first.
        screen = wait_for_text(second, "Nog geen opgeslagen intakes.")
        assert "kantoorstoel" not in screen
        second.locator("#terminal").click()
        press(second, "F9")
        shown = wait_for_text(second, "Uw hervatcode")
        second_code = RESUME_CODE.search(shown)
        assert second_code and second_code.group(0) != first_code.group(0)
        press(second, "Escape")
        wait_for_no_text(second, "Uw hervatcode")
        wait_for_text(second, "Wat is de titel van het project?")
        second.keyboard.type("Tweede tab project")
        press(second, "Enter")
        wait_for_text(second, "Geef een korte openbare samenvatting van het project.")

        press(first, "F7")
        wait_for_text(first, "Ronde: ")
        press(first, "Control+e")
        wait_for_text(first, "Het concept en het rapport downloaden")
        received: list[tuple[str, bytes]] = []

        def keep(route) -> None:
            response = route.fetch()
            received.append((response.headers.get("content-disposition", ""), response.body()))
            route.fulfill(response=response)

        first.context.route("**/download/**", keep)
        kinds = ["json", "html"] + (["pdf"] if pdf_available() else [])
        for index, _kind in enumerate(kinds):
            if index:
                press(first, "Tab")
            press(first, "Enter")
            deadline = time.monotonic() + 60
            while len(received) <= index and time.monotonic() < deadline:
                first.wait_for_timeout(200)
            assert len(received) == index + 1, (kinds, received, screen_text(first))
        by_name = {disposition.rsplit(".", 1)[-1]: body for disposition, body in received}
        assert sorted(by_name) == sorted(kinds)

        draft = parse_draft_text(by_name["json"], "download")  # parses and validates
        assert draft.project.title == "Circulaire kantoorstoel Delft"
        parser = HTMLParser()
        parser.feed(by_name["html"].decode("utf-8"))
        parser.close()
        html = by_name["html"].decode("utf-8")
        assert '<html lang="nl">' in html and "Circulaire kantoorstoel Delft" in html
        assert "Tweede tab project" not in html
        for finding in evaluate(draft).findings:
            assert finding.criterion in html
        if "pdf" in by_name:
            assert by_name["pdf"].startswith(b"%PDF")
        else:
            print("no PDF: the server has no Chromium and no WeasyPrint")
        press(first, "Escape")

        # Each visitor's intake is saved apart; neither start screen lists the other's.
        titles = sorted(s["meta"]["title"] for s in served.saved())
        assert titles == ["Circulaire kantoorstoel Delft", "Tweede tab project"]
        for page, other in ((first, "Tweede tab project"), (second, "kantoorstoel")):
            press(page, "Control+p")
            page.wait_for_timeout(500)
            page.keyboard.type("Startscherm")
            wait_for_text(page, "Verder met een andere intake")
            press(page, "Enter")
            screen = wait_for_text(page, "Nog geen opgeslagen intakes.")
            assert other not in screen
        first.context.close()
        second.context.close()
    finally:
        code, printed = served.stop()
    assert code == 0, printed


def test_a_pasted_draft_is_held_to_the_limits_of_an_imported_file(server, browser) -> None:
    """A paste takes the import's one checked path: a draft with more participants than the
    questions take is refused with why, and nothing is saved (it used to be accepted, then
    set aside as damaged at the next resume: the visitor lost the intake)."""
    example = ROOT.parent / "shared" / "examples" / "eligible-office-chair.json"
    data = json.loads(example.read_text(encoding="utf-8"))
    data["project"]["title"] = "Too many partners"
    data["participants"] = [dict(data["participants"][0], kvk_number=f"{i:08d}")
                            for i in range(21)]  # the questions take at most 20
    page = open_page(browser, server.url)
    wait_for_text(page, "New intake")
    page.locator("#terminal").click()
    press(page, "Control+o")
    wait_for_text(page, "Paste the content of a draft application JSON file below")
    page.evaluate(PASTE_JS, json.dumps(data, indent=1))
    wait_for_text(page, '"market_conform_fee": true')
    press(page, "Tab")
    press(page, "Enter")  # Import
    screen = wait_for_text(page, "This draft cannot be imported")
    screen = wait_for_text(page, "at most 20")
    assert "Your resume code" not in screen
    assert "Too many partners" not in [s["meta"]["title"] for s in server.saved()]
    page.context.close()

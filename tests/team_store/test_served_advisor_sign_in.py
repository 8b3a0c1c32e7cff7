"""``serve --store``: the server works in the team store as an advisor of its own; an advisor
signs in at ``/advisor`` with their own token, and what they answer in their terminal tab
names them (provenance, access log). A wrong token, or one of another team, is refused in the
visitor's language; a missing or wrong token of the server stops it with one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from browser.helpers import (
    RESUME_CODE,
    ROOT,
    ServeProcess,
    chromium_missing,
    launched_chromium,
    open_page,
    press,
    screen_text,
    wait_for_text,
)

from intake_assistant.service.resume_codes import intake_id_of
from intake_assistant.stores.advisor_tokens import TOKEN_VARIABLE
from intake_assistant.web.advisor_sign_in import SESSION_COOKIE

from .helpers import (
    advisor_store,
    advisor_token,
    allow_connections,
    initialised,
    store_url,
)

TEAM = "Versnellingshuis"
TITLE = "Circulaire pallets van Alpha"


@pytest.fixture(scope="module")
def browser():
    if chromium_missing():
        pytest.skip(chromium_missing() or "")
    yield from launched_chromium()


def _serve(tmp_path: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "intake_assistant", "serve", "--lang", "en", "--data-dir",
         str(tmp_path / "data"), *args], cwd=ROOT, capture_output=True, text=True,
        timeout=60, check=False, env={**_environment(), **env})


def _environment() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_ASSISTANT_")}


def test_serve_on_a_team_store_needs_a_valid_token_of_its_own(pg_dsn: str, tmp_path: Path
                                                              ) -> None:
    url = store_url(initialised(pg_dsn))
    missing = _serve(tmp_path, "--store", url, env={})
    assert missing.returncode == 2
    assert missing.stderr.strip().count("\n") == 0 and TOKEN_VARIABLE in missing.stderr
    wrong = _serve(tmp_path, env={"INTAKE_ASSISTANT_STORE": url,
                                  TOKEN_VARIABLE: "iat_" + "w" * 43})
    assert wrong.returncode == 2
    assert wrong.stderr.strip().count("\n") == 0 and "not valid" in wrong.stderr
    not_a_store = _serve(tmp_path, "--store", "/srv/intakes", env={})
    assert not_a_store.returncode == 2 and "postgresql://" in not_a_store.stderr
    assert "Traceback" not in missing.stderr + wrong.stderr + not_a_store.stderr


def test_an_advisor_signs_in_with_their_own_token_and_their_answers_name_them(
        pg_dsn: str, tmp_path: Path, browser) -> None:
    dsn = initialised(pg_dsn)
    host = advisor_token(dsn, TEAM, "web intake")
    anna = advisor_token(dsn, TEAM, "Anna")
    otto = advisor_token(dsn, "Regio Noord", "Otto")
    server = ServeProcess(tmp_path / "data", "--lang", "en", "--store", store_url(dsn),
                          env={TOKEN_VARIABLE: host})
    try:
        printed = "".join(server.output)
        assert host not in printed and anna not in printed
        assert server.advisor_url.endswith("/advisor")
        base = server.url.split("/terminal")[0]

        # a client starts an intake in the web pages: it is the team's, found by its code
        client, code = _client_starts(browser, base)
        client.context.close()

        # a wrong token and another team's are refused, in the visitor's language
        advisor = open_page(browser, server.advisor_url, locale="nl-NL")
        advisor.locator("#token").fill("iat_" + "z" * 43)
        advisor.get_by_role("button", name="Aanmelden").click()
        assert "Dit token is hier niet geldig" in advisor.locator("#error-summary").inner_text()
        advisor.locator("#token").fill(otto)
        advisor.get_by_role("button", name="Aanmelden").click()
        assert "ander team" in advisor.locator("#error-summary").inner_text()
        assert advisor.context.cookies() and all(
            anna not in c["value"] and otto not in c["value"] for c in advisor.context.cookies())
        advisor.context.close()

        # Anna signs in: her terminal lists the team's intakes, the client's among them
        anna_page = open_page(browser, server.advisor_url)
        anna_page.locator("#token").fill(anna)
        anna_page.get_by_role("button", name="Sign in").click()
        anna_page.wait_for_url("**/terminal")
        assert all(anna not in c["value"] for c in anna_page.context.cookies())
        assert anna not in anna_page.content()
        wait_for_text(anna_page, TITLE)
        anna_page.locator("#terminal").click()
        press(anna_page, "Enter")  # open the intake the list's cursor is on
        wait_for_text(anna_page, "Give a short public summary of the project.")
        anna_page.keyboard.type("Pallets die terugkomen, samengevat door Anna.")
        press(anna_page, "Control+j")  # a text of several lines: on to the next question
        store = advisor_store(dsn, TEAM, "Bram", tmp_path / "bram")
        intake_id = intake_id_of(code)
        given_by = _eventually(lambda: store.load(intake_id).state["provenance"].get(
            "project_public_summary"))
        assert given_by["name"] == "Anna"
        assert given_by["by"] == "advisor"
        opens = [line["advisor"] for line in store.access_log(intake_id)
                 if line["action"] == "open"]
        assert "Anna" in opens
        # her download of the draft is logged under her name too
        press(anna_page, "Control+p")
        wait_for_text(anna_page, "Search for commands")
        anna_page.keyboard.type("Download")
        wait_for_text(anna_page, "The draft JSON and the report as files")
        press(anna_page, "Enter")
        wait_for_text(anna_page, "Download the draft and the report")
        press(anna_page, "Enter")  # the first button: the draft JSON
        assert _eventually(lambda: [line for line in store.access_log(intake_id)
                                    if line["action"] == "export"
                                    and line["advisor"] == "Anna"])
        session = [c for c in anna_page.context.cookies() if c["name"] == SESSION_COOKIE]
        assert session and session[0]["httpOnly"] and session[0]["sameSite"] == "Strict"
        # signed in, the page says so; signed out, the cookie names nobody any more
        anna_page.goto(server.advisor_url)
        assert "You are signed in as Anna." in anna_page.content()
        anna_page.get_by_role("button", name="Sign out").click()
        anna_page.goto(server.advisor_url)
        assert "You are signed in" not in anna_page.content()
        anna_page.context.add_cookies([{**session[0]}])  # the old cookie opens nothing
        anna_page.goto(server.advisor_url)
        assert "You are signed in" not in anna_page.content()
        anna_page.context.close()

        # a client's terminal tab keeps its intake in the team's store too, listing nothing
        tab = open_page(browser, server.url)
        screen = wait_for_text(tab, "No saved intakes yet.")
        assert TITLE not in screen
        tab.locator("#terminal").click()
        press(tab, "F9")
        tab_code = RESUME_CODE.search(wait_for_text(tab, "Your resume code"))
        assert tab_code, screen_text(tab)
        assert _eventually(lambda: store.holds(intake_id_of(tab_code.group(0))))
        tab.context.close()
    finally:
        server.stop()


def _client_starts(browser, base: str):  # type: ignore[no-untyped-def]
    """A client's new intake in the web pages, its title answered: (the page, its code)."""
    client = open_page(browser, base + "/")
    client.get_by_role("button", name="Start a new intake").click()
    client.locator("[name=project_title]").fill(TITLE)
    client.get_by_role("button", name="Continue").click()
    return client, client.locator(".intake-code").inner_text().strip()


def _eventually(read, timeout: float = 30):  # type: ignore[no-untyped-def]
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if value or time.monotonic() > deadline:
            assert value, "not saved in time"
            return value
        time.sleep(0.1)


def test_the_sign_in_page_is_behind_the_visitors_token(pg_dsn: str, tmp_path: Path) -> None:
    dsn = initialised(pg_dsn)
    access = "visitors-token-0123456789abcdef"
    server = ServeProcess(tmp_path / "data", "--lang", "en", "--store", store_url(dsn),
                          env={TOKEN_VARIABLE: advisor_token(dsn, TEAM, "web intake"),
                               "INTAKE_ASSISTANT_TOKEN": access})
    try:
        assert server.advisor_url.endswith(f"/advisor?token={access}")
        path = "/advisor"
        assert _status(server.port, path) == 403  # no token: refused, as every page
        assert _status(server.port, "/terminal") == 403
        entry = _status(server.port, f"{path}?token={access}")
        assert entry == 303  # exchanged for the access cookie, then the sign-in page
    finally:
        server.stop()


def _status(port: int, path: str) -> int:
    import http.client
    import time

    deadline = time.monotonic() + 30
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
            break
        except ConnectionRefusedError:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    response = connection.getresponse()
    response.read()
    return response.status


def test_a_database_gone_away_is_said_in_the_page_and_in_a_new_terminal_tab(
        pg_dsn: str, pg_server, tmp_path: Path, browser) -> None:
    dsn = initialised(pg_dsn)
    server = ServeProcess(tmp_path / "data", "--lang", "en", "--store", store_url(dsn),
                          env={TOKEN_VARIABLE: advisor_token(dsn, TEAM, "web intake")})


    try:
        base = server.url.split("/terminal")[0]
        client, code = _client_starts(browser, base)
        allow_connections(pg_server.admin_dsn, dsn, False)
        try:
            summary = "Pallets die terugkomen."
            client.locator("[name=project_public_summary]").fill(summary)
            client.get_by_role("button", name="Continue").click()
            warning = client.locator(".intake-not-saved")
            assert "NOT SAVED" in warning.inner_text()
            assert "Traceback" not in client.content()
            assert client.locator(".intake-code").inner_text().strip() == code
            tab = open_page(browser, server.url)
            wait_for_text(tab, "The intakes cannot be reached on the server just now.")
            tab.context.close()
        finally:
            allow_connections(pg_server.admin_dsn, dsn, True)
        client.get_by_role("button", name="Continue").click()  # the next screen, as it is
        client.wait_for_load_state()
        assert client.locator(".intake-not-saved").count() == 0
        store = advisor_store(dsn, TEAM, "Anna", tmp_path / "anna")
        assert store.load(intake_id_of(code)).state["answers"]["project_public_summary"] == \
            summary
        client.context.close()
    finally:
        server.stop()

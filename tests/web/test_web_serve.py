"""``intake-assistant serve``: the web intake at ``/`` (the link a client gets), the terminal at
``/terminal``; the Host check and the safety headers on both; the token never in a cookie."""

from __future__ import annotations

import http.client
import subprocess
import sys
import time
from pathlib import Path

from browser.helpers import ROOT, ServeProcess

TOKEN = "serve-web-token-0123456789"


def _get(port: int, path: str, host: str | None = None,
         cookie: str | None = None) -> http.client.HTTPResponse:
    headers = {"Host": host or f"127.0.0.1:{port}"}
    if cookie:
        headers["Cookie"] = cookie
    deadline = time.monotonic() + 30
    while True:  # the address is printed at start-up, a moment before the port listens
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", path, headers=headers)
            break
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    response = connection.getresponse()
    response.read()
    return response


def test_serve_gives_the_web_intake_at_the_root_and_the_terminal_beside_it(tmp_path: Path) -> None:
    server = ServeProcess(tmp_path, "--lang", "nl", env={"INTAKE_ASSISTANT_TOKEN": TOKEN})
    try:
        printed = "".join(server.output)
        assert f"http://127.0.0.1:{server.port}/?token=" in printed
        assert "/terminal?token=" in server.url
        page = _get(server.port, "/")
        assert page.status == 403  # no token: refused, with the headers
        for response in (page, _get(server.port, "/terminal"),
                         _get(server.port, "/", host="rebind.example")):
            assert "frame-ancestors 'none'" in response.getheader("Content-Security-Policy", "")
            assert response.getheader("X-Content-Type-Options") == "nosniff"
        assert _get(server.port, "/", host="rebind.example").status == 421
        assert _get(server.port, "/terminal", host="rebind.example").status == 421
        entry = _get(server.port, f"/?token={TOKEN}")
        assert entry.status == 303
        cookie = entry.getheader("Set-Cookie", "")
        assert TOKEN not in cookie and "HttpOnly" in cookie
        pair = cookie.split(";")[0]
        start = _get(server.port, "/", cookie=pair)
        assert start.status == 200
        assert "script-src 'self';" in start.getheader("Content-Security-Policy", "")
        # the same cookie opens the terminal's page; its own cookies hold no token either
        terminal = _get(server.port, "/terminal", cookie=pair)
        assert terminal.status == 200
        # without a team store the advisor's side is the link secret: no sign-in page
        assert _get(server.port, "/advisor", cookie=pair).status == 404
        advisor = _get(server.port, server.advisor_url.split(str(server.port), 1)[1])
        assert advisor.status == 200
        assert all(server.advisor_url.split("advisor=")[1] not in value
                   for value in advisor.headers.get_all("Set-Cookie") or [])
    finally:
        server.stop()


def test_the_token_on_the_command_line_is_deprecated(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "intake_assistant", "--lang", "en", "serve",
                           "--host", "0.0.0.0", "--token", TOKEN, "--data-dir", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert "--token is deprecated" in done.stderr
    assert done.returncode == 2 and "--allowed-host" in done.stderr  # every address: names
    missing = subprocess.run([sys.executable, "-m", "intake_assistant", "--lang", "en", "serve",
                              "--token-file", str(tmp_path / "nothing"),
                              "--data-dir", str(tmp_path)],
                             cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert missing.returncode == 2 and "cannot read the token file" in missing.stderr


def test_a_team_store_token_in_the_environment_is_never_the_advisor_links_secret(
        tmp_path: Path, monkeypatch) -> None:
    """An advisor's team-store token (INTAKE_ASSISTANT_ADVISOR_TOKEN) would be printed in the
    advisor's link and handed to no one else: the link's secret has its own variable."""
    from intake_assistant.cli import build_parser
    from intake_assistant.tui.served.server import settings_from_args

    monkeypatch.setenv("INTAKE_ASSISTANT_ADVISOR_TOKEN", "iat_team-secret")
    monkeypatch.delenv("INTAKE_ASSISTANT_ADVISOR_LINK_TOKEN", raising=False)
    args = build_parser().parse_args(["serve", "--data-dir", str(tmp_path)])
    assert settings_from_args(args).advisor_token != "iat_team-secret"
    monkeypatch.setenv("INTAKE_ASSISTANT_ADVISOR_LINK_TOKEN", "link-secret-0123456789")
    assert settings_from_args(args).advisor_token == "link-secret-0123456789"

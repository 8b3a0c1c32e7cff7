"""Run ``intake-assistant serve`` as a real process and drive its page in headless Chromium.

The page draws the intake with xterm.js on a canvas, so its text is not in the DOM. A script
given to the page before its own (``TERMINAL_HOOK``) keeps a reference to the xterm Terminal
that textual-serve's script makes; ``screen_text`` reads the rows the visitor sees from it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("INTAKE_ASSISTANT_CHROMIUM") or shutil.which("chromium") or ""
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ROOT = Path(__file__).resolve().parents[2]

TERMINAL_HOOK = """
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(value) {
    Object.defineProperty(this, 'terminal', {value, writable: true, configurable: true,
                                             enumerable: true});
    if (value && value.buffer && value.buffer.active && typeof value.write === 'function'
        && !window.__intakeTerminal) {
      window.__intakeTerminal = value;
    }
  },
});
"""

SCREEN_JS = """() => {
  const t = window.__intakeTerminal;
  if (!t) return '';
  const b = t.buffer.active, out = [];
  for (let i = 0; i < t.rows; i++) {
    const line = b.getLine(b.viewportY + i);
    out.push(line ? line.translateToString(true) : '');
  }
  return out.join('\\n');
}"""

RESUME_CODE = re.compile(r"\b[A-Z2-9]{4}(?:-[A-Z2-9]{4}){5}\b")


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM or not os.access(CHROMIUM, os.X_OK):
        return "no Chromium installed (Debian: apt-get install -y chromium; .ci/run does so as root)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright's Python package is not installed (pip install -e '.[test]')"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServeProcess:
    """``intake-assistant serve`` on a free local port, stopped with Ctrl+C (SIGINT)."""

    def __init__(self, data_dir: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.data_dir = data_dir
        environment = {k: v for k, v in os.environ.items()
                       if k not in {"INTAKE_ASSISTANT_TOKEN", "INTAKE_ASSISTANT_ADVISOR_TOKEN",
                                     "INTAKE_ASSISTANT_ADVISOR_LINK_TOKEN",
                                     "INTAKE_ASSISTANT_STORE"}}
        environment.update(env or {})
        environment["PYTHONIOENCODING"] = "utf-8"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "intake_assistant", "serve", "--port", str(self.port),
             "--data-dir", str(data_dir), *args],
            cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, encoding="utf-8", start_new_session=True,
        )
        self.output: list[str] = []
        self.url, self.advisor_url = self._read_urls()

    def _read_urls(self) -> tuple[str, str]:
        assert self.process.stdout is not None
        deadline = time.monotonic() + 60
        urls: list[str] = []
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.output.append(line)
            found = re.search(r"(http://\S+)", line)
            if found and line.startswith("  ") and any(
                    page in found.group(1) for page in ("/terminal", "/advisor")):
                # the terminal's links, and a team store's advisor sign-in (the web intake
                # has "/")
                urls.append(found.group(1))
            if "Ctrl+C" in line:
                break
        if len(urls) < 2:
            self.stop()
            raise RuntimeError("serve did not start:\n" + "".join(self.output))
        return urls[0], urls[1]

    def stop(self, timeout: float = 30) -> tuple[int, str]:
        """Ctrl+C, as a user stops it; the exit code and what it printed after the start."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            rest, _ = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            rest, _ = self.process.communicate()
        return self.process.returncode, rest or ""

    def saved(self) -> list[dict[str, Any]]:
        folder = self.data_dir / "intakes"
        return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def child_processes(parent_pid: int) -> list[tuple[int, bytes]]:
    """The processes ``parent_pid`` started and that still run: (pid, command line)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:  # ended meanwhile
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent_pid:
            found.append((int(entry.name), command))
    return found


def served_tab_processes(server_pid: int) -> list[int]:
    """The served tabs' processes a server started (its children running the tab)."""
    return [pid for pid, command in child_processes(server_pid)
            if b"intake_assistant.tui.served.tab" in command]


def open_page(browser: Any, url: str, **context_options: Any) -> Any:
    """A page in a new browser context (its own cookies: another visitor) at ``url``."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, **context_options)
    page = context.new_page()
    page.add_init_script(TERMINAL_HOOK)
    page.goto(url)
    return page


def screen_text(page: Any) -> str:
    return page.evaluate(SCREEN_JS)


def wait_for_text(page: Any, text: str, timeout: float = 30) -> str:
    """Wait until ``text`` is on the visitor's screen; the screen then."""
    try:
        page.wait_for_function(f"(wanted) => ({SCREEN_JS})().includes(wanted)", arg=text,
                               timeout=timeout * 1000)
    except Exception as exc:
        raise AssertionError(f"{text!r} did not show; the screen:\n{screen_text(page)}") from exc
    return screen_text(page)


def press(page: Any, key: str) -> None:
    page.keyboard.press(key)


def wait_for_no_text(page: Any, text: str, timeout: float = 30) -> str:
    """Wait until ``text`` is gone from the visitor's screen (a pop-up closed); the screen."""
    try:
        page.wait_for_function(f"(gone) => !({SCREEN_JS})().includes(gone)", arg=text,
                               timeout=timeout * 1000)
    except Exception as exc:
        raise AssertionError(f"{text!r} stayed; the screen:\n{screen_text(page)}") from exc
    return screen_text(page)


def launched_chromium():
    """Debian's Chromium under Playwright, for a module's ``browser`` fixture (a generator:
    the browser, then closed)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()

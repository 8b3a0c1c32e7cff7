"""The served intake as a visitor meets it: a real server process, a real headless Chromium.

Prints, beside the floor (the same server and page serving a minimal Textual app with a
Header and a Footer), in one run:

* the time from opening the URL to the first screen (the start screen's "New intake" drawn
  in the page), median of several runs each, interleaved;
* the memory (resident set) of one served intake process;
* how many sessions the server held before its limit (``--max-sessions``) refused the next,
  and the memory they took together.

    python benchmarks/serve.py [--runs 5] [--max-sessions 8]

Needs Debian's chromium (apt-get install -y chromium) and the test extra (Playwright).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.helpers import (  # noqa: E402
    CHROMIUM,
    LAUNCH_ARGS,
    ServeProcess,
    child_processes,
    chromium_missing,
    open_page,
    wait_for_text,
)

MINIMAL = """
from textual.app import App
from textual.widgets import Footer, Header

class Minimal(App):
    TITLE = "Minimal floor"
    def compose(self):
        yield Header()
        yield Footer()

Minimal().run()
"""

# The floor: our server and page, with the intake process replaced by the minimal app.
FLOOR_SERVER = """
import sys
from intake_assistant.tui.served import server as serve

class Floor(serve.IntakeServer):
    def __init__(self, settings):
        super().__init__(settings)
        self.command = f"{sys.executable} {sys.argv[1]}"

argv = ["serve", "--port", sys.argv[2], "--data-dir", sys.argv[3]]
from intake_assistant.cli import build_parser
args = build_parser().parse_args(argv)
raise SystemExit(Floor(serve.settings_from_args(args)).serve() or 0)
"""


class FloorProcess(ServeProcess):
    def __init__(self, data_dir: Path, minimal: Path, script: Path) -> None:
        import re

        from tests.browser.helpers import free_port

        self.port = free_port()
        self.data_dir = data_dir
        self.process = subprocess.Popen(
            [sys.executable, str(script), str(minimal), str(self.port), str(data_dir)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )
        self.output = []
        self.url, self.advisor_url = self._read_urls()
        assert re.match(r"http://127\.0\.0\.1:\d+/$", self.url)


def children_rss_kib(pid: int) -> list[int]:
    """Resident memory (KiB) of each direct child process of ``pid``."""
    out = []
    for child, _command in child_processes(pid):
        try:
            status = (Path("/proc") / str(child) / "status").read_text()
        except OSError:  # ended meanwhile
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                out.append(int(line.split()[1]))
    return out


def first_screen_seconds(browser, url: str, marker: str) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    from tests.browser.helpers import TERMINAL_HOOK

    page.add_init_script(TERMINAL_HOOK)
    started = time.perf_counter()
    page.goto(url)
    wait_for_text(page, marker, timeout=60)
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--max-sessions", type=int, default=8)
    args = parser.parse_args()
    reason = chromium_missing()
    if reason:
        print(f"cannot measure: {reason}")
        return 2
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        folder = Path(tmp)
        minimal = folder / "minimal.py"
        minimal.write_text(MINIMAL)
        script = folder / "floor_server.py"
        script.write_text(FLOOR_SERVER)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        ours = ServeProcess(folder / "ours", "--lang", "en", "--max-sessions",
                            str(args.max_sessions))
        floor = FloorProcess(folder / "floor", minimal, script)
        try:
            times: dict[str, list[float]] = {"floor": [], "ours": []}
            for _ in range(args.runs):
                times["floor"].append(first_screen_seconds(browser, floor.url, "Minimal floor"))
                times["ours"].append(first_screen_seconds(browser, ours.url, "New intake"))
            floor_t, ours_t = (statistics.median(times[k]) for k in ("floor", "ours"))
            print(f"URL opened -> first screen (median of {args.runs}):")
            print(f"  minimal Textual app (floor): {floor_t:.2f} s")
            print(f"  intake-assistant:            {ours_t:.2f} s  ({ours_t / floor_t:.2f}x floor)")

            # Memory of one session: one page open on each server.
            pages = []
            for server, marker in ((floor, "Minimal floor"), (ours, "New intake")):
                page = open_page(browser, server.url)
                wait_for_text(page, marker, timeout=60)
                pages.append(page)
            time.sleep(1)
            floor_kib = sum(children_rss_kib(floor.process.pid))
            ours_kib = sum(children_rss_kib(ours.process.pid))
            print("Memory of one served session (resident set of its process):")
            print(f"  minimal Textual app (floor): {floor_kib / 1024:.0f} MiB")
            print(f"  intake-assistant:            {ours_kib / 1024:.0f} MiB")
            for page in pages:
                page.context.close()
            time.sleep(2)

            # Sessions held: open tabs until the limit refuses one.
            held, refused_at = [], None
            for n in range(1, args.max_sessions + 2):
                page = open_page(browser, ours.url)
                try:
                    wait_for_text(page, "New intake", timeout=60)
                    held.append(page)
                except AssertionError:
                    from tests.browser.helpers import screen_text

                    if "The server is busy" in screen_text(page):
                        refused_at = n
                        page.context.close()
                        break
                    raise
            rss = children_rss_kib(ours.process.pid)
            available = _mem_available_mib()
            print(f"Sessions held before the limit ({args.max_sessions}) refused the next: "
                  f"{len(held)} (tab {refused_at} was told the server is busy)")
            print(f"  their processes together: {sum(rss) / 1024:.0f} MiB "
                  f"({len(rss)} processes); memory still available: {available} MiB; "
                  f"cores: {os.cpu_count()}")
            for page in held:
                page.context.close()
        finally:
            ours.stop()
            floor.stop()
            browser.close()
    return 0


def _mem_available_mib() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) // 1024
    return -1


if __name__ == "__main__":
    raise SystemExit(main())

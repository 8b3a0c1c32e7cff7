"""Startup time: a minimal Textual app with a Header and a Footer vs. intake-assistant.

Each run starts a fresh Python process that builds the app, runs it headless and exits as
soon as the first screen is ready (``events.Ready`` and one refresh), so interpreter start,
imports, CSS and the first render are all counted. With ``--intakes N`` the data folder
holds N saved intakes, and the time until their list is filled is shown as well (the list
is mounted right after the first paint). Several runs each, interleaved; the median counts.
The goal: ours takes at most 1.5x the minimal app.

    python benchmarks/startup.py [--runs 9] [--intakes 50]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time

MINIMAL = """
from textual.app import App
from textual.widgets import Footer, Header

class Minimal(App):
    def compose(self):
        yield Header()
        yield Footer()

    def on_ready(self):
        self.call_after_refresh(self.exit)

Minimal().run(headless=True, size=(100, 30))
"""

OURS = """
import sys
from intake_assistant.tui.app import IntakeApp, make_app

WAIT_FOR_LIST = sys.argv[2] == "list"

class Timed(IntakeApp):
    def on_ready(self):
        if WAIT_FOR_LIST:
            self.set_interval(0.002, self.check_list)
        else:
            self.call_after_refresh(self.done)

    def check_list(self):
        tables = self.screen.query("#intakes")
        if tables and tables.first().row_count:
            self.call_after_refresh(self.done)

    def done(self):
        self.first_screen = type(self.screen).__name__
        self.exit()

app = make_app("nl", sys.argv[1])
app.__class__ = Timed
app.run(headless=True, size=(100, 30))
if app.first_screen != "StartScreen":
    sys.exit("the start screen did not appear: " + app.first_screen)
"""


def run_once(code: str, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True)
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--intakes", type=int, default=0,
                        help="saved intakes in the resume list (an advisor keeps many)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        if args.intakes:
            from intake_assistant.storage import IntakeMeta, Storage

            store = Storage(data_dir)
            for i in range(args.intakes):
                store.save(f"intake-{i}", {}, IntakeMeta(
                    title=f"Project {i}", participants=("A B.V.", "B B.V.", "C B.V."),
                    updated=f"2024-05-{1 + i % 28:02d}T10:00:00+02:00", verdict="incomplete"))
        run_once(MINIMAL)  # warm the file cache and the bytecode
        run_once(OURS, data_dir, "first")
        minimal, ours, full = [], [], []
        for _ in range(args.runs):
            minimal.append(run_once(MINIMAL))
            ours.append(run_once(OURS, data_dir, "first"))
            if args.intakes:
                full.append(run_once(OURS, data_dir, "list"))
    m, o = statistics.median(minimal), statistics.median(ours)
    print(f"minimal Textual app (Header+Footer): median {m:.0f} ms "
          f"(min {min(minimal):.0f}, max {max(minimal):.0f}) over {args.runs} runs")
    print(f"intake-assistant start screen:      median {o:.0f} ms "
          f"(min {min(ours):.0f}, max {max(ours):.0f}) over {args.runs} runs")
    if full:
        f = statistics.median(full)
        print(f"  ... with the list of {args.intakes} saved intakes filled: median {f:.0f} ms "
              f"(ratio {f / m:.2f})")
    ratio = o / m
    print(f"ratio: {ratio:.2f} (goal: at most 1.50)")
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())

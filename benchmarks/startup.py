"""First paint in a real terminal: intake-assistant beside a minimal Textual app, in one run.

Each run starts a fresh process in a tmux pane (100x30) and waits until the first screen is
painted there: for both apps, until the pane shows a header on its first line and a footer
on its last (for ours the start screen, with its buttons). From the command to that paint
counts: interpreter start, imports, CSS, the first frame, the terminal. With saved intakes
it also waits until the newest one's title is in the pane (the list filled). The data folder
holds 0, 20 and 200 saved intakes (real saves of the example draft, ~an advisor's year).
Runs interleave the two apps; the median counts. Bytecode is cached as Python does by
default (``PYTHONDONTWRITEBYTECODE`` is unset for the apps), after one warm-up run each.
The goal: ours at most 1.3x the minimal app.

    python benchmarks/startup.py [--runs 9] [--intakes 0,20,200]

Needs tmux (``apt-get install -y tmux``).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT.parent / "shared" / "examples" / "eligible-office-chair.json"
SOCKET = f"intake-startup-{os.getpid()}"
COLUMNS, LINES = 100, 30

MINIMAL = """
from textual.app import App
from textual.widgets import Footer, Header


class Minimal(App):
    def compose(self):
        yield Header()
        yield Footer()


Minimal().run()
"""


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], check=True, capture_output=True,
                          text=True).stdout


def pane() -> list[str]:
    return tmux("capture-pane", "-p", "-t", "bench").splitlines()


def painted(lines: list[str]) -> bool:
    """A header on the first line and a footer on the last: the first screen is up."""
    return len(lines) >= LINES and bool(lines[0].strip()) and bool(lines[LINES - 1].strip())


def time_to(command: str, wanted: str | None, timeout: float = 30.0) -> tuple[float, float]:
    """Milliseconds from starting ``command`` to its first paint, and to ``wanted`` shown."""
    tmux("respawn-pane", "-k", "-t", "bench", "sleep 3600")  # the last app is gone
    tmux("clear-history", "-t", "bench")
    start = time.perf_counter()
    tmux("respawn-pane", "-k", "-t", "bench", command)
    first = full = None
    while time.perf_counter() - start < timeout:
        lines = pane()
        now = (time.perf_counter() - start) * 1000
        if first is None and painted(lines):
            first = now
        if first is not None and (wanted is None or any(wanted in line for line in lines)):
            full = now
            break
        time.sleep(0.003)
    if first is None or full is None:
        raise SystemExit(f"no paint within {timeout:.0f} s of: {command}\n" + "\n".join(pane()))
    return first, full


def fill(data_dir: Path, count: int) -> str | None:
    """``count`` saved intakes, each a real save of the example draft; the newest title."""
    from intake_assistant.flow.session import IntakeSession
    from intake_assistant.loading import load_draft_file
    from intake_assistant.storage import IntakeMeta, Storage

    if not count:
        return None
    state = IntakeSession.from_draft(load_draft_file(EXAMPLE), "nl").to_state_dict()
    store = Storage(data_dir)
    for i in range(count):
        store.save(f"2024{1 + i % 12:02d}{1 + i % 28:02d}-100000-{i:06x}", json.loads(
            json.dumps(state)), IntakeMeta(
            title=f"Project {i:03d}", participants=("Ergozit B.V.", "Hout B.V.", "Stof B.V."),
            updated=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T10:{i % 60:02d}:00+02:00",
            verdict="eligible", language="nl", state="review"))
    newest = max(range(count), key=lambda i: (1 + i % 12, 1 + i % 28, i % 60))
    return f"Project {newest:03d}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--intakes", default="0,20,200",
                        help="comma-separated numbers of saved intakes")
    parser.add_argument("--checkout", type=Path,
                        help="run the app from another checkout (to compare before and after)")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is not installed: apt-get install -y tmux", file=sys.stderr)
        return 2
    counts = [int(n) for n in args.intakes.split(",")]
    script = shutil.which("intake-assistant", path=str(Path(sys.executable).parent))
    ours_cmd = [script] if script else [sys.executable, "-m", "intake_assistant"]
    env = "env -u PYTHONDONTWRITEBYTECODE TERM=xterm-256color COLORTERM=truecolor LANG=C.UTF-8 "
    if args.checkout:
        env += shlex.join([f"PYTHONPATH={args.checkout.resolve()}"]) + " "
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        minimal_py = Path(tmp) / "minimal.py"
        minimal_py.write_text(MINIMAL, encoding="utf-8")
        minimal = env + shlex.join([sys.executable, str(minimal_py)])
        tmux("-f", "/dev/null", "new-session", "-d", "-s", "bench", "-x", str(COLUMNS),
             "-y", str(LINES), "sleep 3600")
        try:
            print(f"first paint in tmux {COLUMNS}x{LINES}, median of {args.runs} runs "
                  f"(interleaved), ms")
            for count in counts:
                data_dir = Path(tmp) / f"data-{count}"
                newest = fill(data_dir, count)
                ours = env + shlex.join([*ours_cmd, "--lang", "nl", "--data-dir",
                                         str(data_dir)])
                time_to(minimal, None)  # warm the file cache and the bytecode
                time_to(ours, newest)
                m_runs, o_runs, l_runs = [], [], []
                for _ in range(args.runs):
                    m_runs.append(time_to(minimal, None)[0])
                    first, listed = time_to(ours, newest)
                    o_runs.append(first)
                    l_runs.append(listed)
                m, o, li = (statistics.median(x) for x in (m_runs, o_runs, l_runs))
                ratio = o / m
                failed |= ratio > 1.3
                listed = (f", list of {count} filled {li:.0f} ({li / m:.2f}x)" if count
                          else "")
                print(f"{count:4d} saved intakes: minimal {m:.0f} (min {min(m_runs):.0f}), "
                      f"intake-assistant {o:.0f} (min {min(o_runs):.0f}): "
                      f"ratio {ratio:.2f}{listed}")
        finally:
            subprocess.run(["tmux", "-L", SOCKET, "kill-server"], check=False)
    print("goal: every ratio at most 1.30 -", "missed" if failed else "met")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

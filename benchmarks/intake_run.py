"""A whole intake in a real terminal: 300 answers, memory and key-to-paint all the way.

Runs intake-assistant in a tmux pane (120x40) on a saved intake of 6 participants with 20
cost lines each (the example draft, grown), resumed at its first question. Then it answers
300 questions as a user does (Enter keeps the shown answer; Tab, Enter on a long text) and
times each from the key to the pane showing the next question, and reads the app's resident
memory (VmRSS) every 25 answers. A second process follows the same walk in a session of
its own to know which keys each question needs. Goals: RSS flat after warm-up (the last
reading within 10% of the one after 50 answers), key-to-paint p90 under 100 ms.

    python benchmarks/intake_run.py [--answers 300]

Needs tmux (``apt-get install -y tmux``).
"""

from __future__ import annotations

import argparse
import copy
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
SOCKET = f"intake-run-{os.getpid()}"
TYPED = {"short_text", "kvk", "whole_number", "decimal", "money", "date", "percentage",
         "long_text"}


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], check=True, capture_output=True,
                          text=True).stdout


def pane() -> str:
    return tmux("capture-pane", "-p", "-t", "run")


def wait_for(predicate, timeout: float = 30.0) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if predicate(pane()):
            return time.perf_counter()
        time.sleep(0.002)
    raise SystemExit("the app did not show what was expected:\n" + pane())


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmRSS")


def big_draft() -> dict:
    """The example draft with 6 participants of 20 cost lines each."""
    draft = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    people = draft["participants"]
    while len(people) < 6:
        extra = copy.deepcopy(people[1 + len(people) % 3])
        extra["name"] = f"Extra Partner {len(people)} B.V."
        extra["kvk_number"] = f"{len(people) + 3}" * 8  # 77777777, 88888888
        extra["is_lead_applicant"] = False
        people.append(extra)
    for person in people:
        lines = person["cost_lines"]
        person["cost_lines"] = [dict(lines[i % len(lines)], description=f"Post {i + 1}")
                                for i in range(20)]
    return draft


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--checkout", type=Path,
                        help="run the app from another checkout (to compare before and after)")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is not installed: apt-get install -y tmux", file=sys.stderr)
        return 2
    from intake_assistant.flow.session import IntakeSession
    from intake_assistant.models import DraftApplication
    from intake_assistant.storage import IntakeMeta, Storage

    draft = DraftApplication.model_validate(big_draft())
    imported = IntakeSession.from_draft(draft, "nl")
    first = imported.sections()[0][2][0]
    state = dict(imported.to_state_dict(), state=first, return_to_review=False)
    follower = IntakeSession.from_state_dict(state)  # on through the questions, not back
    script = shutil.which("intake-assistant", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "intake_assistant"]
    keys_to_paint: list[float] = []
    curve: list[tuple[int, float]] = []
    with tempfile.TemporaryDirectory() as data_dir:
        Storage(data_dir).save("20240501-100000-000001", state, IntakeMeta(
            title="Six partners", participants=(), updated="2024-05-01T10:00:00+02:00",
            verdict="eligible", language="nl", state=first))
        env = "env -u PYTHONDONTWRITEBYTECODE TERM=xterm-256color COLORTERM=truecolor LANG=C.UTF-8 "
        if args.checkout:
            env += shlex.join([f"PYTHONPATH={args.checkout.resolve()}"]) + " "
        tmux("-f", "/dev/null", "new-session", "-d", "-s", "run", "-x", "120", "-y", "40",
             "sleep 3600")
        tmux("set-option", "-t", "run", "remain-on-exit", "on")  # a crash stays readable
        tmux("respawn-pane", "-k", "-t", "run",
             env + shlex.join([*command, "--lang", "nl", "--data-dir", data_dir]))
        try:
            pid = int(tmux("display-message", "-p", "-t", "run", "#{pane_pid}").strip())
            wait_for(lambda text: "Six partners" in text)
            tmux("send-keys", "-t", "run", "Enter")  # resume the intake (the list has focus)
            wait_for(lambda text: "Onderdeel 1 van" in text)
            time.sleep(0.5)
            curve.append((0, rss_mib(pid)))
            for n in range(1, args.answers + 1):
                view = follower.current
                assert view is not None
                before = pane()
                keys = ["Tab", "Enter"] if view.kind == "long_text" else ["Enter"]
                if len(keys) > 1:  # Tab to the Next button first (a few long texts only)
                    time.sleep(1.5)  # generous: the text area takes the focus after the paint
                    tmux("send-keys", "-t", "run", *keys[:-1])
                    time.sleep(1.5)
                    before = pane()
                sent = time.perf_counter()
                tmux("send-keys", "-t", "run", keys[-1])
                typed = view.kind in TYPED
                assert follower.answer(view.current_text if typed else view.current_value
                                       ).accepted, view.key
                follower.next()
                shown = follower.current
                if shown is None:
                    raise SystemExit(f"the walk ended after {n} answers (at {follower.state})")
                marks = [m[:40] for m in (shown.label, shown.instance_label or "") if m]
                painted = wait_for(lambda text, before=before, marks=marks: text != before and
                                   all(m in text.replace("\n", " ") for m in marks))
                keys_to_paint.append((painted - sent) * 1000)
                time.sleep(0.06)  # a person reads before the next key (and focus settles)
                if n % 25 == 0:
                    time.sleep(0.2)  # let it settle (a save, a collection) before reading
                    curve.append((n, rss_mib(pid)))
        finally:
            subprocess.run(["tmux", "-L", SOCKET, "kill-server"], check=False)
    ms = sorted(keys_to_paint)
    p50 = statistics.median(ms)
    p90 = ms[int(len(ms) * 0.9) - 1]
    print(f"{len(ms)} answers, 6 participants x 20 cost lines, tmux 120x40")
    print("RSS (MiB) after n answers: " + ", ".join(f"{n}: {r:.1f}" for n, r in curve))
    print(f"key-to-paint: p50 {p50:.0f} ms, p90 {p90:.0f} ms, max {ms[-1]:.0f} ms")
    warm = dict(curve).get(50, curve[min(2, len(curve) - 1)][1])
    flat = curve[-1][1] <= warm * 1.10
    print(f"RSS after warm-up (50 answers) {warm:.1f} MiB, at the end {curve[-1][1]:.1f} MiB: "
          f"{'flat' if flat else 'growing'}; p90 goal 100 ms: {'met' if p90 < 100 else 'missed'}")
    return 0 if flat and p90 < 100 else 1


if __name__ == "__main__":
    sys.exit(main())

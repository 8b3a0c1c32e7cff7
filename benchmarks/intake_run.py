"""A whole intake in a real terminal: 300 answers, memory and key-to-paint all the way.

Runs intake-assistant in a tmux pane (120x40) on a saved intake of 6 participants with 20
cost lines each (the example draft, grown), resumed at its first question, and goes through
it screen by screen as a user does: on every field of a screen (one question, or a form of
several) the key that accepts the shown answer, Enter (ctrl+j on a long text, the key its
hint names); on a form's last field that key goes on to the next screen. ``--answers``
counts these keys (each accepts one field's answer), not screens.

Key-to-paint is timed from each key to the pane showing its outcome and then staying still
for 60 ms (the next screen's first question, or the focus on the form's next field): the
last change counts, so a screen painted in several frames counts in full. The cursor's
line is left out of that comparison (a blinking cursor is no outcome). The app's resident
memory (VmRSS) is read every 25 answers. A second session in this process follows the same
walk to know each screen's fields and what the next screen shows. Goals: RSS flat after
warm-up (the last reading within 10% of the one after 50 answers), key-to-paint p90 under
100 ms.

    python benchmarks/intake_run.py [--answers 300] [--checkout PATH]

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
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT.parent / "shared" / "examples" / "eligible-office-chair.json"
SOCKET = f"intake-run-{os.getpid()}"
COLUMNS, LINES = 120, 40
SETTLE = 0.06  # seconds without a change: the outcome of a key is painted
MARK = 24  # characters of a label looked for (short enough not to wrap)


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], check=True, capture_output=True,
                          text=True).stdout


def capture() -> tuple[str, str]:
    """(the pane's text, the pane with its colours less the cursor's line): one tmux call."""
    out = tmux("capture-pane", "-p", "-t", "run", ";", "capture-pane", "-p", "-e", "-t", "run",
               ";", "display-message", "-p", "-t", "run", "#{cursor_y}")
    lines = out.rstrip("\n").split("\n")
    cursor_y = int(lines[-1])
    plain, styled = lines[:LINES], lines[LINES:2 * LINES]
    if 0 <= cursor_y < len(styled):
        del styled[cursor_y]
    return "\n".join(plain), "\n".join(styled)


def stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns)


def outcome(before: str, done: Callable[[str], bool], *, saved: Path | None = None,
            saved_before: tuple[int, int] | None = None, what: str = "",
            timeout: float = 30.0) -> float:
    """Wait until the pane differs from ``before`` (styled), ``done(text)`` holds, the save
    at ``saved`` is another one than ``saved_before`` (the answer was taken: a key that came
    before it could reach the field left) and nothing changed for SETTLE seconds; the time
    of the last change."""
    start = time.perf_counter()
    last_change, last = None, before
    while time.perf_counter() - start < timeout:
        text, styled = capture()
        now = time.perf_counter()
        if styled != last:
            last, last_change = styled, now
        elif (last_change is not None and now - last_change >= SETTLE and done(text)
              and (saved is None or stamp(saved) != saved_before)):
            return last_change
        time.sleep(0.002)
    raise SystemExit(f"the app did not show {what or 'what was expected'}:\n" + capture()[0])


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


def marks_of(follower) -> list[str]:
    """What the screen the follower stands on shows: its first label, its instance."""
    page = follower.page_keys()
    view = follower.view(page[0])
    label = view.label if len(page) == 1 else f"1. {view.label}"
    return [m[:MARK] for m in (label, view.instance_label or "") if m]


def shows(text: str, marks: list[str]) -> bool:
    flat = " ".join(line.strip() for line in text.splitlines())
    return all(m in flat or m in text for m in marks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=300,
                        help="how many answers (keys that accept a field's answer) to give")
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
    follower = IntakeSession.from_state_dict(state)  # on through the screens, not back
    script = shutil.which("intake-assistant", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "intake_assistant"]
    keys_to_paint: list[float] = []
    screen_ms: list[float] = []  # the keys that went on to the next screen
    curve: list[tuple[int, float]] = []
    screens = 1
    with tempfile.TemporaryDirectory() as data_dir:
        storage = Storage(data_dir)
        save_path = storage.path_of("20240501-100000-000001")
        storage.save("20240501-100000-000001", state, IntakeMeta(
            title="Six partners", participants=(), updated="2024-05-01T10:00:00+02:00",
            verdict="eligible", language="nl", state=first))
        env = "env -u PYTHONDONTWRITEBYTECODE TERM=xterm-256color COLORTERM=truecolor LANG=C.UTF-8 "
        if args.checkout:
            env += shlex.join([f"PYTHONPATH={args.checkout.resolve()}"]) + " "
        tmux("-f", "/dev/null", "new-session", "-d", "-s", "run", "-x", str(COLUMNS),
             "-y", str(LINES), "sleep 3600")
        tmux("set-option", "-t", "run", "remain-on-exit", "on")  # a crash stays readable
        tmux("respawn-pane", "-k", "-t", "run",
             "exec " + env + shlex.join([*command, "--lang", "nl", "--data-dir", data_dir]))
        try:
            pid = int(tmux("display-message", "-p", "-t", "run", "#{pane_pid}").strip())
            outcome("", lambda text: "Six partners" in text)
            before = capture()[1]
            tmux("send-keys", "-t", "run", "Enter")  # resume the intake (the list has focus)
            outcome(before, lambda text: shows(text, marks_of(follower)))
            time.sleep(0.5)
            curve.append((0, rss_mib(pid)))
            n = 0
            while n < args.answers:
                page = follower.page_keys()
                if not page:
                    raise SystemExit(f"the walk ended after {n} answers (at {follower.state})")
                start = page.index(follower.state) if follower.state in page else 0
                for i in range(start, len(page)):
                    view = follower.view(page[i])
                    assert view is not None
                    last = i == len(page) - 1
                    before = capture()[1]
                    saved_before = stamp(save_path)
                    sent = time.perf_counter()
                    tmux("send-keys", "-t", "run", "C-j" if view.kind == "long_text" else "Enter")
                    if last:
                        follower.next(by_screen=True)
                        if not follower.page_keys():
                            raise SystemExit(f"the walk ended after {n + 1} answers")
                        marks = marks_of(follower)
                        painted = outcome(before, lambda text, m=marks: shows(text, m),
                                          saved=save_path, saved_before=saved_before,
                                          what=f"{marks} after answer {n + 1}")
                        screens += 1
                    else:
                        follower.go_to(page[i + 1])
                        painted = outcome(before, lambda text: True, saved=save_path,
                                          saved_before=saved_before,
                                          what=f"the focus on {page[i + 1]}")
                    ms = (painted - sent) * 1000
                    keys_to_paint.append(ms)
                    if last:
                        screen_ms.append(ms)
                    n += 1
                    if n % 25 == 0:
                        time.sleep(0.2)  # let it settle (a save, a collection) before reading
                        curve.append((n, rss_mib(pid)))
                    if n >= args.answers:
                        break
        finally:
            subprocess.run(["tmux", "-L", SOCKET, "kill-server"], check=False)
    ms = sorted(keys_to_paint)

    def p(values: list[float], q: float) -> float:
        values = sorted(values)
        return values[max(0, int(len(values) * q + 0.999999) - 1)]

    p50, p90 = statistics.median(ms), p(ms, 0.9)
    print(f"{len(ms)} answers on {screens} screens, 6 participants x 20 cost lines, "
          f"tmux {COLUMNS}x{LINES}")
    print("RSS (MiB) after n answers: " + ", ".join(f"{k}: {r:.1f}" for k, r in curve))
    print(f"key-to-paint, every answer: p50 {p50:.0f} ms, p90 {p90:.0f} ms, max {ms[-1]:.0f} ms")
    if screen_ms:
        print(f"key-to-paint, the {len(screen_ms)} keys to a next screen: p50 "
              f"{statistics.median(screen_ms):.0f} ms, p90 {p(screen_ms, 0.9):.0f} ms, "
              f"max {max(screen_ms):.0f} ms")
    warm = dict(curve).get(50, curve[min(2, len(curve) - 1)][1])
    flat = curve[-1][1] <= warm * 1.10
    print(f"RSS after warm-up (50 answers) {warm:.1f} MiB, at the end {curve[-1][1]:.1f} MiB: "
          f"{'flat' if flat else 'growing'}; p90 goal 100 ms: {'met' if p90 < 100 else 'missed'}")
    return 0 if flat and p90 < 100 else 1


if __name__ == "__main__":
    sys.exit(main())

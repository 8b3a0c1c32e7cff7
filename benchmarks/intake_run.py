"""A whole intake in a real terminal: 300 answers, memory and key-to-paint all the way.

Runs intake-assistant in a tmux pane (120x40) on a saved intake of 6 participants with 20
cost lines each (the example draft, grown), resumed at its first question, and goes through
it screen by screen as a user does: on every field of a screen (one question, or a form of
several) the key that accepts the shown answer, Enter (ctrl+j on a long text, the key its
hint names); on a form's last field that key goes on to the next screen. ``--answers``
counts these keys (each accepts one field's answer), not screens.

Key-to-paint is timed from each key to the app's last write to the terminal for it: the
pane's output is timestamped as tmux receives it (``pipe-pane``), the keys go through one
tmux control client, so watching costs the machine next to nothing (a tmux process per key
and per look at the pane cost more than a Textual frame, and took the CPU from the app on
two cores). The outcome counts once the app has been still for 60 ms and the pane shows it
(the next screen's first question, or the focus on the form's next field), with the answer
saved: a screen painted in several frames counts in full. The app's resident memory
(VmRSS) is read every 25 answers. A second session in this process follows the same walk to
know each screen's fields and what the next screen shows.

The floor, first in the same run: a minimal Textual app (header, footer, forms of one to
three inputs; Enter moves to the next input, on the last it mounts the next form in place)
given keys the same way. Goals: RSS flat after warm-up (the last reading within 10% of the
one after 50 answers), key-to-paint p90 under 100 ms.

By default the keys come without a pause (the next key once the last one's outcome is
painted): a typist who never stops to read. ``--reading-pause S`` waits S seconds on each
new screen of another question before its first key, as a reader does (the app then makes
its full collections while nobody types, see ``CollectsWhenIdle._collect_when_idle``); the pauses
are not in the figures.

    python benchmarks/intake_run.py [--answers 300] [--reading-pause 0] [--checkout PATH]
                                    [--store throwaway|postgresql://...]

With ``--store`` the same walk runs a second time on a team store (PostgreSQL), in the same
run, and both figures are printed with their ratio (goal: within 10 %). An answer there counts
as saved once the intake's revision in the database moved on (the app writes its saves off
the drawing thread: the paint does not wait for them, the next key in this walk does).

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
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT.parent / "shared" / "examples" / "eligible-office-chair.json"
SOCKET = f"intake-run-{os.getpid()}"
COLUMNS, LINES = 120, 40
SETTLE = 0.06  # seconds without a change: the outcome of a key is painted
MARK = 24  # characters of a label looked for (short enough not to wrap)


STAMPER = """
import os, sys, time
log = open(sys.argv[1], "a", buffering=1)
while chunk := os.read(0, 1 << 16):
    log.write(f"{time.monotonic_ns()}\\n")
"""

FLOOR = """
from textual.app import App
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Input, Label


class Floor(App):
    # Forms of one to three inputs: Enter moves to the next; on the last it mounts the next
    # form in place of this one (what a plain Textual app does for a next screen).

    forms = 0

    def compose(self):
        yield Header()
        yield VerticalScroll(id="form")
        yield Footer()

    async def on_mount(self):
        await self.next_form()

    async def next_form(self):
        self.forms += 1
        form = self.query_one("#form")
        await form.remove_children()
        fields = [Label(f"Form {self.forms}")]
        for i in range(1 + self.forms % 3):
            fields += [Label(f"Question {i + 1}"), Input(value=f"answer {i + 1}")]
        await form.mount_all(fields)
        form.query(Input).first().focus()

    async def on_input_submitted(self, event):
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            await self.next_form()
        else:
            inputs[inputs.index(event.input) + 1].focus()


Floor().run()
"""


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], check=True, capture_output=True,
                          text=True).stdout


class Pane:
    """A tmux pane running a program, its keys sent through a control client (no process per
    key) and each write of the program to the terminal timestamped (``pipe-pane``), so that
    watching costs the machine next to nothing while the app works."""

    def __init__(self, command: str, folder: Path) -> None:
        self.log = folder / "writes.log"
        stamper = folder / "stamper.py"
        stamper.write_text(STAMPER, encoding="utf-8")
        tmux("-f", "/dev/null", "new-session", "-d", "-s", "run", "-x", str(COLUMNS),
             "-y", str(LINES), "sleep 3600")
        tmux("set-option", "-g", "window-size", "manual")  # the control client resizes nothing
        tmux("set-option", "-t", "run", "remain-on-exit", "on")  # a crash stays readable
        tmux("pipe-pane", "-t", "run", "-o",
             shlex.join(["exec", sys.executable, str(stamper), str(self.log)]))
        tmux("respawn-pane", "-k", "-t", "run", "exec " + command)
        self.control = subprocess.Popen(["tmux", "-L", SOCKET, "-C", "attach", "-t", "run"],
                                        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                        text=True)
        self._offset, self._writes = 0, []  # type: tuple[int, list[int]]

    def pid(self) -> int:
        return int(tmux("display-message", "-p", "-t", "run", "#{pane_pid}").strip())

    def send(self, key: str) -> int:
        """Send a key; the moment it was sent (monotonic ns)."""
        assert self.control.stdin is not None
        sent = time.monotonic_ns()
        self.control.stdin.write(f"send-keys -t run {key}\n")
        self.control.stdin.flush()
        return sent

    def writes(self) -> list[int]:
        try:
            with self.log.open("rb") as log:
                log.seek(self._offset)
                data = log.read()
        except FileNotFoundError:
            return self._writes
        end = data.rfind(b"\n") + 1
        self._offset += end
        self._writes += [int(line) for line in data[:end].split()]
        return self._writes

    def text(self) -> str:
        return tmux("capture-pane", "-p", "-t", "run")

    def shows(self, done: Callable[[str], bool], what: str, timeout: float = 30.0) -> None:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if done(self.text()):
                return
            time.sleep(0.05)
        raise SystemExit(f"the app did not show {what}:\n" + self.text())

    def outcome(self, sent: int, done: Callable[[str], bool], *,
                saved: Callable[[], object] | None = None, saved_before: object = None,
                what: str = "", timeout: float = 30.0) -> float:
        """Milliseconds from ``sent`` to the app's last write for that key: wait until it has
        written since, then was still for SETTLE seconds, and then the pane shows what
        ``done`` wants and ``saved()`` (the save file's stamp, the store's revision) is
        another than ``saved_before`` (the answer was taken and saved: a key that came before
        it could reach the field left)."""
        deadline = time.monotonic_ns() + int(timeout * 1e9)
        while time.monotonic_ns() < deadline:
            time.sleep(0.003)
            after = [w for w in self.writes()[-50:] if w > sent]
            if (after and time.monotonic_ns() - after[-1] >= SETTLE * 1e9
                    and (saved is None or saved() != saved_before) and done(self.text())):
                latest = [w for w in self.writes()[-50:] if w > sent][-1]
                if latest == after[-1]:  # nothing written while the pane was read
                    return (latest - sent) / 1e6
        raise SystemExit(f"the app did not show {what or 'what was expected'}:\n" + self.text())

    def close(self) -> None:
        if self.control.stdin is not None:
            self.control.stdin.close()
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], check=False)
        self.control.wait(timeout=10)


def stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns)


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


def questions_of(page: list[str]) -> list[str]:
    """A screen's questions less their instance (a form's for every cost line is one)."""
    from intake_assistant.flow.plan import parse_key

    return [parse_key(key)[0] for key in page]


def shows(text: str, marks: list[str]) -> bool:
    flat = " ".join(line.strip() for line in text.splitlines())
    return all(m in flat or m in text for m in marks)


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[max(0, int(len(values) * q + 0.999999) - 1)]


def figures(ms: list[float]) -> str:
    return (f"p50 {statistics.median(ms):.0f} ms, p90 {percentile(ms, 0.9):.0f} ms, "
            f"max {max(ms):.0f} ms")


ENV = "env -u PYTHONDONTWRITEBYTECODE TERM=xterm-256color COLORTERM=truecolor LANG=C.UTF-8 "


def floor_run(keys: int) -> tuple[list[float], list[float]]:
    """The floor: the minimal app's keys to a next field and to a next form, in milliseconds."""
    field_ms: list[float] = []
    screen_ms: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        app = Path(folder) / "floor.py"
        app.write_text(FLOOR, encoding="utf-8")
        pane = Pane(ENV + shlex.join([sys.executable, str(app)]), Path(folder))
        try:
            pane.shows(lambda text: "Form 1" in text, "the floor app's first form")
            time.sleep(0.5)
            form, field = 1, 0
            while len(field_ms) + len(screen_ms) < keys:
                last = field == form % 3  # form k has 1 + k % 3 fields
                sent = pane.send("Enter")
                if last:
                    form, field = form + 1, 0
                    screen_ms.append(pane.outcome(sent, lambda text, f=form: f"Form {f}" in text,
                                                  what=f"form {form}"))
                else:
                    field += 1
                    field_ms.append(pane.outcome(sent, lambda text: True))
        finally:
            pane.close()
    return field_ms, screen_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=300,
                        help="how many answers (keys that accept a field's answer) to give")
    parser.add_argument("--floor-keys", type=int, default=100,
                        help="how many keys the minimal app (the floor) is given first")
    parser.add_argument("--reading-pause", type=float, default=0.0,
                        help="seconds to wait on each new screen of another question")
    parser.add_argument("--store", metavar="URL", help=(
        "also walk on a team store, in the same run: 'throwaway' (a PostgreSQL server started "
        "as the tests start one) or a postgresql:// URL of a database to set up"))
    parser.add_argument("--checkout", type=Path,
                        help="run the app from another checkout (to compare before and after)")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is not installed: apt-get install -y tmux", file=sys.stderr)
        return 2
    floor_field_ms, floor_screen_ms = floor_run(args.floor_keys)
    runs = [("data folder (file store)", walk(args, None))]
    if args.store:
        runs.append((f"team store ({args.store})", walk(args, args.store)))
    ok = True
    floor = floor_field_ms + floor_screen_ms
    print(f"tmux {COLUMNS}x{LINES}; key-to-paint: from the key sent to the app's last write "
          f"for it (then {SETTLE * 1000:.0f} ms still)"
          + (f"; {args.reading_pause:g} s read on each new question's screen"
             if args.reading_pause else "; no pause to read"))
    print(f"floor, a minimal Textual app (header, footer, forms of 1-3 inputs), {len(floor)} keys:")
    print(f"  every key: {figures(floor)}")
    print(f"  the {len(floor_screen_ms)} keys to a next form (mounted in place): "
          f"{figures(floor_screen_ms)}")
    print(f"  the {len(floor_field_ms)} keys to a form's next field: {figures(floor_field_ms)}")
    for where, run in runs:
        ok = report(where, run, floor) and ok
    if len(runs) == 2:
        files, team = (run.field_ms + run.screen_ms for _where, run in runs)
        p50 = statistics.median(team) / statistics.median(files)
        p90 = percentile(team, 0.9) / percentile(files, 0.9)
        print(f"team store beside the data folder: p50 {p50:.2f}x, p90 {p90:.2f}x; goal within "
              f"10%: {'met' if max(p50, p90) <= 1.10 else 'missed'}")
    return 0 if ok else 1


@dataclass
class Run:
    """One walk's figures: key-to-paint of each kind of key, the RSS curve, the screens."""

    screen_ms: list[float] = field(default_factory=list)  # keys that went to the next screen
    next_instance_ms: list[float] = field(default_factory=list)  # of those: the next instance
    other_screen_ms: list[float] = field(default_factory=list)  # and the others
    field_ms: list[float] = field(default_factory=list)  # keys to a form's next field
    curve: list[tuple[int, float]] = field(default_factory=list)
    screens: int = 1


def walk(args: argparse.Namespace, store: str | None) -> Run:
    """The intake of 6 participants walked in a pane: on the data folder, or with ``store``
    (``throwaway``: a throwaway PostgreSQL server started as the tests start one; or a
    ``postgresql://`` URL of an empty database the store's owner may set up) on a team
    store, an answer then counting as saved once the intake's revision in the database
    moved on."""
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
    meta = IntakeMeta(title="Six partners", participants=(),
                      updated="2024-05-01T10:00:00+02:00", verdict="eligible", language="nl",
                      state=first)
    intake_id = "20240501-100000-000001"
    run = Run()
    with ExitStack() as stack:
        data_dir = stack.enter_context(tempfile.TemporaryDirectory())
        if store is None:
            storage = Storage(data_dir)
            save_path = storage.path_of(intake_id)
            storage.save(intake_id, state, meta)

            def saved() -> object:
                return stamp(save_path)

            store_args: list[str] = []
        else:
            dsn, token = stack.enter_context(team_store(store))
            from intake_assistant.stores.postgres_store import PostgresStore

            seeded = PostgresStore(dsn, token, data_dir)
            seeded.save(intake_id, state, meta)
            seeded.close()
            watcher = stack.enter_context(psycopg.connect(dsn, autocommit=True))

            def saved() -> object:  # the owner's look at the row: one query, no policies
                return watcher.execute("SELECT revision FROM intake_store.intakes WHERE id = %s",
                                       (intake_id,)).fetchone()

            # the token from the environment the pane inherits (never the command line)
            os.environ["INTAKE_ASSISTANT_ADVISOR_TOKEN"] = token
            store_args = ["--store", url_of(dsn)]
        env = ENV
        if args.checkout:
            env += shlex.join([f"PYTHONPATH={args.checkout.resolve()}"]) + " "
        with tempfile.TemporaryDirectory() as folder:
            pane = Pane(env + shlex.join([*command, "--lang", "nl", "--data-dir", data_dir,
                                          *store_args]), Path(folder))
            try:
                pid = pane.pid()
                pane.shows(lambda text: "Six partners" in text, "the saved intake")
                marks = marks_of(follower)
                sent = pane.send("Enter")  # resume the intake (the list has focus)
                pane.outcome(sent, lambda text: shows(text, marks), what=f"{marks}")
                time.sleep(0.5)
                run.curve.append((0, rss_mib(pid)))
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
                        saved_before = saved()
                        sent = pane.send("C-j" if view.kind == "long_text" else "Enter")
                        if last:
                            follower.next(by_screen=True)
                            if not follower.page_keys():
                                raise SystemExit(f"the walk ended after {n + 1} answers")
                            marks = marks_of(follower)
                            ms = pane.outcome(
                                sent, lambda text, m=marks: shows(text, m), saved=saved,
                                saved_before=saved_before, what=f"{marks} after answer {n + 1}")
                            run.screen_ms.append(ms)
                            same_form = questions_of(follower.page_keys()) == questions_of(page)
                            (run.next_instance_ms if same_form else run.other_screen_ms).append(ms)
                            if args.reading_pause and not same_form:
                                time.sleep(args.reading_pause)  # reads the new question
                            run.screens += 1
                        else:
                            follower.go_to(page[i + 1])
                            run.field_ms.append(pane.outcome(
                                sent, lambda text: True, saved=saved,
                                saved_before=saved_before, what=f"the focus on {page[i + 1]}"))
                        n += 1
                        if n % 25 == 0:
                            time.sleep(0.2)  # let it settle (a save, a collection) before reading
                            run.curve.append((n, rss_mib(pid)))
                        if n >= args.answers:
                            break
            finally:
                pane.close()
    return run


def report(where: str, run: Run, floor: list[float]) -> bool:
    """Print one walk's figures; whether its goals were met."""
    every = run.field_ms + run.screen_ms
    curve = run.curve
    print(f"intake-assistant on the {where}, {len(every)} answers on {run.screens} screens, "
          "6 participants x 20 cost lines:")
    print("  RSS (MiB) after n answers: " + ", ".join(f"{k}: {r:.1f}" for k, r in curve))
    print(f"  every answer: {figures(every)}")
    if run.screen_ms:
        print(f"  the {len(run.screen_ms)} keys to a next screen: {figures(run.screen_ms)}")
        if run.next_instance_ms:
            print(f"    {len(run.next_instance_ms)} to the same form's next instance (a cost "
                  f"line, a participant): {figures(run.next_instance_ms)}")
        if run.other_screen_ms:
            print(f"    {len(run.other_screen_ms)} to another screen: "
                  f"{figures(run.other_screen_ms)}")
    if run.field_ms:
        print(f"  the {len(run.field_ms)} keys to a form's next field: {figures(run.field_ms)}")
    p90, floor_p90 = percentile(every, 0.9), percentile(floor, 0.9)
    warm = dict(curve).get(50, curve[min(2, len(curve) - 1)][1])
    flat = curve[-1][1] <= warm * 1.10
    print(f"  RSS after warm-up (50 answers) {warm:.1f} MiB, at the end {curve[-1][1]:.1f} MiB: "
          f"{'flat' if flat else 'growing'}; p90 {p90:.0f} ms, the floor's {floor_p90:.0f} ms "
          f"({p90 / floor_p90:.2f}x); goal p90 under 100 ms: {'met' if p90 < 100 else 'missed'}")
    return flat and p90 < 100


@contextmanager
def team_store(store: str) -> Iterator[tuple[str, str]]:
    """(connection string, an advisor's token) of a team store set up for the walk: on a
    throwaway server (``throwaway``, as store_speed.py starts one) or in the database a
    ``postgresql://`` URL names (its user owns the schema it makes)."""
    from store_speed import team_database, throwaway_server

    if store == "throwaway":
        with throwaway_server() as server, team_database(server) as made:
            yield made
        return
    from intake_assistant.stores import postgres_schema
    from intake_assistant.stores.team_admin import add_advisor

    with psycopg.connect(store, autocommit=True) as conn:
        postgres_schema.upgrade(conn)
        token = add_advisor(conn, "Bench", f"Walker {os.getpid()}").token
    yield store, token


def url_of(dsn: str) -> str:
    """A connection string as the postgresql:// URL ``--store`` takes."""
    if dsn.startswith(("postgresql://", "postgres://")):
        return dsn
    info = psycopg.conninfo.conninfo_to_dict(dsn)
    query = urllib.parse.urlencode({k: v for k, v in info.items()
                                    if k not in ("user", "dbname", "password")})
    return f"postgresql://{urllib.parse.quote(str(info.get('user', '')))}@/" \
           f"{urllib.parse.quote(str(info.get('dbname', '')))}?{query}"


if __name__ == "__main__":
    sys.exit(main())

"""Save latency of the data folder and the team store (PostgreSQL), in one run, and 8 writers
racing on one revision. Prints figures; asserts nothing but that nothing is lost.

    python benchmarks/store_speed.py [--saves 300] [--rounds 50]

The team store is a throwaway server started the way the tests start it (as the postgres user
under root), but with fsync on, as the file store's saves are (each one fsynced); or the one
``INTAKE_ASSISTANT_TEST_DSN`` names (a new database is made and dropped
there). Each save writes the session state of the four-partner example (what the App saves after
every answer), one answer changed each time.

The race: 8 advisors of one team, each in the intake service as their window drives it (their
own connection), read the same revision of one intake, then each answers another question at
once. Exactly one save must win the revision each round; the others are refused and merged
with the newer save (as a window merges a colleague's answers), or kept as a copy after too
many overtakes. After each round every advisor's answer is found in the intake (or their
copy): nothing lost.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from intake_assistant.flow.session import IntakeSession
from intake_assistant.models import DraftApplication
from intake_assistant.service.open_intake import Channel, OpenIntake
from intake_assistant.service.outcomes import DraftSource, Saved
from intake_assistant.storage import IntakeMeta, Settings
from intake_assistant.stores import postgres_schema
from intake_assistant.stores.file_store import FileStore
from intake_assistant.stores.postgres_store import PostgresStore
from intake_assistant.stores.store_protocol import IntakeStore
from intake_assistant.stores.team_admin import add_advisor

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT.parent / "shared" / "examples" / "eligible-office-chair.json"
WRITERS = 8


def throwaway_server() -> Any:
    path = ROOT / "tests" / "team_store" / "throwaway_postgres.py"
    spec = importlib.util.spec_from_file_location("throwaway_postgres", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["throwaway_postgres"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module.throwaway_server(durable=True)


@contextmanager
def team_database(server: Any, team: str = "Bench", advisor: str = "Anna"
                  ) -> Iterator[tuple[str, str]]:
    """A new database on ``server`` with the store's schema and one advisor: (its connection
    string, the advisor's token); dropped afterwards."""
    name = f"ia_bench_{secrets.token_hex(4)}"
    with psycopg.connect(server.admin_dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    info = psycopg.conninfo.conninfo_to_dict(server.admin_dsn)
    info["dbname"] = name
    dsn = psycopg.conninfo.make_conninfo(**info)
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            postgres_schema.upgrade(conn)
            token = add_advisor(conn, team, advisor).token
        yield dsn, token
    finally:
        with psycopg.connect(server.admin_dsn, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))


def _figures(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p90 = ms[max(0, int(len(ms) * 0.9) - 1)]
    return f"p50 {statistics.median(ms):6.2f} ms  p90 {p90:6.2f} ms  max {ms[-1]:6.2f} ms (n={len(ms)})"


def _example_state() -> dict[str, Any]:
    draft = DraftApplication.model_validate(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    return IntakeSession.from_draft(draft, "nl").to_state_dict()


def _time_saves(store: IntakeStore, state: dict[str, Any], saves: int) -> list[float]:
    intake_id = store.new_id()
    times = []
    for n in range(saves):
        changed = {**state, "benchmark_answer": n}
        t0 = time.perf_counter()
        store.save(intake_id, changed, IntakeMeta(title="Kantoorstoel", participants=("A", "B")))
        times.append(time.perf_counter() - t0)
    return times


#: The question each racing advisor answers (free text, one each: no two change one answer).
RACED_KEYS = ("project_title", "project_public_summary", "project_description",
              "circ_savings_basis", "circ_co2_basis", "facilitator_name",
              "facilitator_organisation", "decl_application_plan")


@dataclass
class Race:
    """What came of the rounds: per round how many saves won the revision they read, were
    merged with a colleague's, or kept as a copy; and the answers found nowhere."""

    won: list[int] = field(default_factory=list)
    merged: int = 0
    copied: int = 0
    lost: int = 0


def _race(dsn: str, rounds: int) -> Race:
    """8 advisors, each in the intake service as their window drives it, read the same
    revision of one intake and answer a question each at once: one save wins the revision,
    the others are merged with it (or, after too many overtakes, kept as copies)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        tokens = [add_advisor(conn, "Race", f"advisor {n}").token for n in range(WRITERS)]
    windows = [OpenIntake(Channel(PostgresStore(dsn, token)), Settings(mode="advisor"))
               for token in tokens]
    first = windows[0]
    first.import_draft(DraftSource.file(EXAMPLE), "nl")
    intake_id = first.intake_id
    assert intake_id is not None
    race = Race()
    for round_number in range(1, rounds + 1):
        for window in windows:  # each reads the same revision
            window.close()
            window.resume(intake_id, "nl")
        start = threading.Barrier(WRITERS)
        outcomes: dict[int, Saved | None] = {}

        def write(number: int, window: OpenIntake, round_number: int = round_number,
                  start: threading.Barrier = start,
                  outcomes: dict[int, Saved | None] = outcomes) -> None:
            key = RACED_KEYS[number]

            def answer(session: IntakeSession) -> None:
                session.go_to(key)
                if not session.answer(f"{key} {round_number}/{number}").accepted:
                    raise ValueError(key)

            start.wait()
            outcomes[number] = window.change(answer).saved

        threads = [threading.Thread(target=write, args=(n, w)) for n, w in enumerate(windows)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        saved = [outcomes.get(n) for n in range(WRITERS)]
        race.won.append(sum(1 for o in saved if o is not None and o.ok and not o.merged_with
                            and not o.copied_from))
        race.merged += sum(1 for o in saved if o is not None and o.merged_with)
        race.copied += sum(1 for o in saved if o is not None and o.copied_from)
        # every advisor's answer of this round is in the intake or in their copy
        stored = first.storage.load(intake_id).state["answers"]
        for number, window in enumerate(windows):
            key, value = RACED_KEYS[number], f"{RACED_KEYS[number]} {round_number}/{number}"
            outcome = saved[number]
            if outcome is not None and outcome.copied_from:
                where = window.storage.load(window.intake_id or "").state["answers"]
                window.storage.forget(window.intake_id or "")
            else:
                where = stored
            if where.get(key) != value:
                race.lost += 1
        first.storage.forget(intake_id)
    for window in windows:
        window.close()
        window.storage.close()
    return race


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    state = _example_state()
    size = len(json.dumps(state))
    with throwaway_server() as server, team_database(server) as (dsn, token):
        with tempfile.TemporaryDirectory() as folder:
            files = _time_saves(FileStore(folder), state, args.saves)
        team = PostgresStore(dsn, token)
        postgres = _time_saves(team, state, args.saves)
        team.close()
        where = ("throwaway server, fsync on, unix socket" if server.folder
                 else "INTAKE_ASSISTANT_TEST_DSN")
        print(f"save of the four-partner example's state ({size:,} bytes of JSON), "
              f"one answer changed each time:")
        print(f"  data folder (file store)    {_figures(files)}")
        print(f"  PostgreSQL ({where})  {_figures(postgres)}")
        race = _race(dsn, args.rounds)
        print(f"{WRITERS} advisors racing on one revision (the intake service, one answer "
              f"each), {args.rounds} rounds: exactly one save won the revision in "
              f"{sum(1 for w in race.won if w == 1)} of {len(race.won)} rounds; "
              f"{race.merged} saves merged with a colleague's, {race.copied} kept as copies; "
              f"answers lost: {race.lost}")

if __name__ == "__main__":
    main()

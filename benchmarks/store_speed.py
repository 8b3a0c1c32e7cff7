"""Save latency of the data folder and the team store (PostgreSQL), in one run, and 8 writers
racing on one revision. Prints figures; asserts nothing but that nothing is lost.

    python benchmarks/store_speed.py [--saves 300] [--rounds 50]

The team store is a throwaway server started the way the tests start it (as the postgres user
under root), but with fsync on, as the file store's saves are (each one fsynced); or the one
``INTAKE_ASSISTANT_TEST_DSN`` names (a new database is made and dropped
there). Each save writes the session state of the four-partner example (what the App saves after
every answer), one answer changed each time.

The race: 8 advisors of one team (each with their own connection) read the same revision, then
all save at once. Exactly one must win each round; each of the 7 others saves its answers as a
new intake, as the App's copy on conflict does. At the end every writer's answer of every round
is found in exactly one intake: nothing lost.
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
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from intake_assistant.flow.session import IntakeSession
from intake_assistant.models import DraftApplication
from intake_assistant.storage import IntakeMeta, SaveConflictError
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


def _race(dsn: str, rounds: int) -> tuple[list[int], int, int]:
    """Winners per round, losing saves kept as copies, answers lost."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        tokens = [add_advisor(conn, "Race", f"advisor {n}").token for n in range(WRITERS)]
    writers = [PostgresStore(dsn, token) for token in tokens]
    writers[0].save("raced", {"round": 0}, IntakeMeta(title="raced"))
    winners: list[int] = []
    expected_copies: set[tuple[int, int]] = set()
    lost_answers = 0
    for round_number in range(1, rounds + 1):
        for writer in writers:
            writer.load("raced")
        start = threading.Barrier(WRITERS)
        won: list[int] = []
        lost: list[int] = []

        def write(number: int, writer: PostgresStore, round_number: int = round_number,
                  start: threading.Barrier = start, won: list[int] = won,
                  lost: list[int] = lost) -> None:
            answers = {"round": round_number, "by": number}
            start.wait()
            try:
                writer.save("raced", answers, IntakeMeta(title="raced"))
                won.append(number)
            except SaveConflictError:  # the App's fallback: the answers as a new intake
                writer.save(f"copy-{round_number}-{number}", answers, IntakeMeta(title="copy"))
                lost.append(number)

        threads = [threading.Thread(target=write, args=(n, w)) for n, w in enumerate(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        winners.append(len(won))
        expected_copies.update((round_number, n) for n in lost)
        # the winner's answers are the saved ones (the next round reads them, then replaces)
        if len(won) != 1 or writers[0].load("raced").state != {"round": round_number,
                                                               "by": won[0]}:
            lost_answers += 1
    found = [writers[0].load(h.id).state for h in writers[0].list_headers().intakes
             if h.id.startswith("copy-")]
    kept = [(state["round"], state["by"]) for state in found]
    lost_answers += len(expected_copies - set(kept)) + (len(kept) - len(set(kept)))
    for writer in writers:
        writer.close()
    return winners, len(expected_copies), lost_answers


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
        winners, copies, lost = _race(dsn, args.rounds)
        print(f"{WRITERS} writers racing on one revision, {args.rounds} rounds: "
              f"exactly one winner in {sum(1 for w in winners if w == 1)} of {len(winners)} "
              f"rounds; {copies} losing saves kept as copies; answers lost: {lost}")

if __name__ == "__main__":
    main()

"""How many hostile drafts per second does the fuzz suite's `check` property run? Prints figures.

    python benchmarks/fuzz_speed.py [--inputs 10000]

Generates hostile drafts with the fuzz suite's generator (tests/hostile/fuzzing.py: drafts
mutated at every path with wrong types, nulls, absurd and non-finite numbers, odd dates, long
and hostile strings, deep nesting, other encodings, random bytes), runs each through `check`
in process (`--format json` and `text`, Dutch and English) with every property of the suite
asserted, and prints inputs per second, the outcomes and any property that failed. Hypothesis
generates without shrinking and without its example database, so the figure is the raw rate.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inputs", type=int, default=10_000)
    args = parser.parse_args()

    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    from tests.hostile.fuzzing import check_one, draft_bytes, run_check_in_process, strict_json

    outcomes: collections.Counter[str] = collections.Counter()
    failures: list[str] = []
    timing = {"check": 0.0}

    @settings(max_examples=args.inputs, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(raw=draft_bytes(), fmt=st.sampled_from(["json", "text"]),
           language=st.sampled_from(["nl", "en"]))
    def run(raw: bytes, fmt: str, language: str) -> None:
        start = time.perf_counter()
        try:
            check_one(raw, fmt, language)
        except AssertionError:
            failures.append(traceback.format_exc(limit=3))
        timing["check"] += time.perf_counter() - start
        if fmt == "json":  # the outcome, from a second, uncounted run
            status, out, _ = run_check_in_process(raw, "json", "en")
            outcomes["invalid (exit 2)" if status == 2
                     else strict_json(out.splitlines()[0])["verdict"]] += 1
        outcomes["inputs"] += 1

    start = time.perf_counter()
    run()
    wall = time.perf_counter() - start
    count = outcomes.pop("inputs")
    print(f"hostile drafts generated and checked: {count}")
    print(f"wall time: {wall:.1f} s  ->  {count / wall:,.0f} inputs/s "
          f"(generation and check; check alone {count / timing['check']:,.0f} inputs/s)")
    print("outcomes of the JSON half: " + ", ".join(f"{k} {v}" for k, v in outcomes.most_common()))
    print(f"property failures: {len(failures)}")
    for failure in failures[:5]:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

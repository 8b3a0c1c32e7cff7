"""How long one answer takes: validation, the draft rebuilt, the pre-check re-evaluated.

    python benchmarks/answer_speed.py [--rounds N]

Starts from a complete draft (4 participants, facilitator) imported into a session, then
alternately answers two values to a few typical questions and times each ``answer()``
(and, separately, ``validate()``, the live check done on every keystroke). It should stay
far under 16 ms, one frame at 60 Hz. Prints the median, the 90th percentile and the worst.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from intake_assistant.flow.session import IntakeSession
from intake_assistant.models import DraftApplication

EXAMPLE = Path(__file__).resolve().parents[1] / ".." / "shared" / "examples" / \
    "eligible-office-chair.json"

# (question key, two answers typed in Dutch)
ANSWERS = [
    ("participant_turnover[2]", ("6.000.000", "6.500.000,50")),
    ("project_end_date", ("31-08-2022", "30-06-2022")),
    ("participant_chain_role[1]", ("designer", "producer")),
    ("participant_in_group[3]", ("ja", "nee")),
    ("tie_count", ("1", "0")),
    ("project_title", ("Circulaire kantoorstoel", "Circulaire stoel")),
]


def _ms(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p90 = ms[int(len(ms) * 0.9) - 1]
    return f"median {statistics.median(ms):.2f} ms, p90 {p90:.2f} ms, max {ms[-1]:.2f} ms " \
           f"(n={len(ms)})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    draft = DraftApplication.model_validate(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    started = time.perf_counter()
    session = IntakeSession.from_draft(draft, "nl")
    created = time.perf_counter() - started
    answers: list[float] = []
    checks: list[float] = []
    for _round in range(args.rounds):
        for key, pair in ANSWERS:
            assert session.go_to(key), key
            for text in pair:
                t0 = time.perf_counter()
                assert session.validate(text) is None
                checks.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                result = session.answer(text)
                answers.append(time.perf_counter() - t0)
                assert result.accepted, (key, text, result.message)
    print(f"session from a draft: {created * 1000:.1f} ms (first, with loading the flow)")
    print(f"validate (live, per keystroke): {_ms(checks)}")
    print(f"answer (validate + draft + pre-check): {_ms(answers)}")


if __name__ == "__main__":
    main()

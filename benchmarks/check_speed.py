"""How fast is `check`? Prints figures; asserts nothing (targets are read by people).

    python benchmarks/check_speed.py [--runs 15] [--batch 2000] [--eval 20000]

1. cold: `python -m intake_assistant check ONE.json` against `python -c "import pydantic,
   babel.numbers"` (median wall time of fresh interpreters); target ratio <= 1.5.
2. batch: one `check --format json` call over many drafts; target well over 1,000 drafts/s.
3. in-process rule evaluation (`evaluate` on validated drafts); target over 10,000 drafts/s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT.parent / "shared" / "examples"


def _wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _drafts() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.json"))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--eval", type=int, default=20000)
    args = parser.parse_args()
    example = str(EXAMPLES / "eligible-office-chair.json")
    py = sys.executable

    # Warm the file cache and byte-code once so both sides are measured alike.
    _wall([py, "-m", "intake_assistant", "check", example], 2)
    baseline = _wall([py, "-c", "import pydantic, babel.numbers"], args.runs)
    cold = _wall([py, "-m", "intake_assistant", "check", example], args.runs)
    print(f"cold check of one file:            {cold * 1000:7.1f} ms (median of {args.runs})")
    print(f"import pydantic + babel.numbers:   {baseline * 1000:7.1f} ms")
    print(f"ratio (target <= 1.5):             {cold / baseline:7.2f}")
    # `import pydantic` is lazy: it loads almost nothing until a model is defined. Any program
    # with a pydantic model pays for BaseModel too; this baseline shows that floor.
    floor = _wall([py, "-c", "from pydantic import BaseModel\nclass A(BaseModel):\n x: int = 0\n"
                   "import babel.numbers"], args.runs)
    print(f"one pydantic model + babel.numbers: {floor * 1000:6.1f} ms "
          f"(ratio of check to it: {cold / floor:.2f})")

    drafts = _drafts()
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i in range(args.batch):
            path = Path(tmp) / f"draft-{i:05d}.json"
            data = dict(drafts[i % len(drafts)])
            data["language"] = "en" if i % 2 else "nl"
            path.write_text(json.dumps(data), encoding="utf-8")
            files.append(str(path))
        for fmt in ("json", "text"):
            start = time.perf_counter()
            subprocess.run([py, "-m", "intake_assistant", "check", "--format", fmt, *files],
                           cwd=ROOT, stdout=subprocess.DEVNULL, check=False)
            elapsed = time.perf_counter() - start
            print(f"batch check --format {fmt:<4} ({args.batch} files, one call): "
                  f"{args.batch / elapsed:8.0f} drafts/s ({elapsed:.2f} s, startup included)")

    sys.path.insert(0, str(ROOT))
    from intake_assistant.models import DraftApplication
    from intake_assistant.rules import evaluate

    models = [DraftApplication.model_validate(d) for d in drafts]
    for m in models:  # warm caches (ruleset, parameters)
        evaluate(m)
    start = time.perf_counter()
    for i in range(args.eval):
        evaluate(models[i % len(models)])
    elapsed = time.perf_counter() - start
    print(f"in-process evaluate:               {args.eval / elapsed:8.0f} drafts/s "
          f"({elapsed / args.eval * 1e6:.0f} µs each; target > 10,000/s)")


if __name__ == "__main__":
    main()

"""How fast is `check`? Prints figures; asserts nothing (targets are read by people).

    python benchmarks/check_speed.py [--runs 15] [--batch 1000] [--eval 20000] [--reference DIR]

1. cold: `python -m intake_assistant check ONE.json` beside its stack's floor, `python -c "from
   pydantic import BaseModel; class A(BaseModel): ...; import babel.numbers"` (median of fresh
   interpreters, taken in turns so that both meet the same load); target ratio <= 1.3.
2. batch: one `check --format json` call over ``--batch`` drafts (every finding with its
   basis), startup included; target 2,500 drafts/s or more.
3. in-process rule evaluation (`evaluate` on validated drafts, bases recorded).

``--reference DIR``: the batch of an earlier version's source tree as well (``git archive REV |
tar -x -C DIR``), run in turns with this one: figures of one run on one machine compare.

The package's byte-code is compiled first, as an installed package has it (pip compiles it at
install time): with PYTHONDONTWRITEBYTECODE set, a run would otherwise compile every module of
the program on each start, which the floor's packages, compiled when installed, never do.

Each figure is given as wall time and as CPU time (user + system of the child processes): on
a machine shared with other work the wall time measures the others too, the CPU time less so.
"""

from __future__ import annotations

import argparse
import compileall
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT.parent / "shared" / "examples"
FLOOR = ("from pydantic import BaseModel\nclass A(BaseModel):\n x: int = 0\n"
         "import babel.numbers")


def _children_cpu() -> float:
    # getrusage counts in microseconds; os.times in clock ticks (10 ms), too coarse for a
    # start of 200 ms
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``cmd``."""
    before = _children_cpu()
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    wall = time.perf_counter() - start
    return wall, _children_cpu() - before


def _medians(cmds: list[list[str]], runs: int) -> list[tuple[float, float]]:
    """Median wall and CPU time of each command, run in turns."""
    samples: list[list[tuple[float, float]]] = [[] for _ in cmds]
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            samples[i].append(_run(cmd))
    return [(statistics.median(w for w, _ in s), statistics.median(c for _, c in s))
            for s in samples]


def _drafts() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.json"))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--eval", type=int, default=20000)
    parser.add_argument("--reference", type=Path, metavar="DIR",
                        help="an earlier version's source tree: its batch beside this one's")
    args = parser.parse_args()
    for tree in (ROOT, *([args.reference] if args.reference else [])):
        compileall.compile_dir(tree / "intake_assistant", quiet=1)
    example = str(EXAMPLES / "eligible-office-chair.json")
    py = sys.executable
    check = [py, "-m", "intake_assistant", "check", example]

    # Warm the file cache and byte-code once so both sides are measured alike.
    _medians([check, [py, "-c", FLOOR]], 2)
    (cold, cold_cpu), (floor, floor_cpu), (imports, imports_cpu) = _medians(
        [check, [py, "-c", FLOOR], [py, "-c", "import pydantic, babel.numbers"]], args.runs)
    print(f"cold check of one file:             {cold * 1000:7.1f} ms wall, "
          f"{cold_cpu * 1000:6.1f} ms CPU (median of {args.runs})")
    # `import pydantic` is lazy: it loads almost nothing until a model is defined. Any program
    # with a pydantic model pays for BaseModel too: the stack's floor.
    print(f"floor: one pydantic model + babel:  {floor * 1000:7.1f} ms wall, "
          f"{floor_cpu * 1000:6.1f} ms CPU")
    print(f"ratio of check to the floor:        {cold / floor:7.2f} wall, "
          f"{cold_cpu / floor_cpu:6.2f} CPU (target <= 1.3)")
    print(f"(import pydantic + babel.numbers:   {imports * 1000:7.1f} ms wall, "
          f"{imports_cpu * 1000:6.1f} ms CPU)")

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
            batch = [py, "-m", "intake_assistant", "check", "--format", fmt, *files]
            if args.reference is None:
                (wall, cpu), = _medians([batch], 3)
            else:  # the same command in the earlier tree (python -m runs the cwd's package)
                (wall, cpu), (ref_wall, ref_cpu) = _medians(
                    [batch, ["env", "-C", str(args.reference), *batch]], 3)
                print(f"reference  --format {fmt:<4} ({args.reference}): "
                      f"{args.batch / ref_wall:6.0f} drafts/s wall, "
                      f"{args.batch / ref_cpu:6.0f} drafts/s CPU")
            print(f"batch check --format {fmt:<4} ({args.batch} files, one call, startup "
                  f"included): {args.batch / wall:6.0f} drafts/s wall, {args.batch / cpu:6.0f} "
                  f"drafts/s CPU (target >= 2,500)")

    sys.path.insert(0, str(ROOT))
    from intake_assistant.models import DraftApplication
    from intake_assistant.rules import evaluate

    models = [DraftApplication.model_validate(d) for d in drafts]
    for m in models:  # warm caches (ruleset, parameters)
        evaluate(m)
    start, cpu_start = time.perf_counter(), time.process_time()
    for i in range(args.eval):
        evaluate(models[i % len(models)])
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(f"in-process evaluate (with bases):   {args.eval / elapsed:8.0f} drafts/s wall, "
          f"{args.eval / cpu:6.0f} CPU ({cpu / args.eval * 1e6:.0f} µs CPU each)")


if __name__ == "__main__":
    main()

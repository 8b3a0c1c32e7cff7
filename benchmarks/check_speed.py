"""How fast is `check`? Prints figures; asserts nothing (targets are read by people).

    python benchmarks/check_speed.py [--runs 15] [--batch 1000] [--eval 20000]
                                     [--reference DIR ...] [--pre-limits DIR]

1. cold: `python -m intake_assistant check ONE.json` beside its stack's floor, `python -c "from
   pydantic import BaseModel; class A(BaseModel): ...; import babel.numbers"` (median of fresh
   interpreters, taken in turns so that both meet the same load); target ratio <= 1.3.
2. batch: one `check --format json` call over ``--batch`` drafts (every finding with its
   basis), startup included; target 2,500 drafts/s or more. The drafts are distinct and
   realistic (``realistic_drafts``: the shared examples varied, seeded: names, KvK numbers,
   dates, figures, two to seven participants with their cost lines), so that no cache of a
   batch is measured on one file repeated. A batch of 200 files or more is shared among the
   machine's cores (``check_batch``): the wall figure is then what a user waits, the CPU figure
   (all processes) what the drafts cost; the same batch on one core (one process) is given too.
3. in-process rule evaluation (`evaluate` on validated drafts, bases recorded).

``--reference DIR`` (repeatable): the batch of an earlier version's source tree as well (``git
archive REV | tar -x -C DIR``), run in turns with this one: figures of one run on one machine
compare. The issue's 2,500 drafts/s was set on a machine where the tree before the
hostile-input limits (``585dc6e~1``) did about 2,400 drafts/s: ``--pre-limits DIR`` runs that
tree as a reference and also gives the target scaled to this machine by its figure.

The package's byte-code is compiled first, as an installed package has it (pip compiles it at
install time): with PYTHONDONTWRITEBYTECODE set, a run would otherwise compile every module of
the program on each start, which the floor's packages, compiled when installed, never do.

Each figure is given as wall time and as CPU time (user + system of the child processes): on
a machine shared with other work the wall time measures the others too, the CPU time less so.
"""

from __future__ import annotations

import argparse
import compileall
import copy
import datetime as dt
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT.parent / "shared" / "examples"
#: A command prefix that runs a command on one core (``check`` then shares no batch).
ONE_CORE = (["taskset", "-c", str(min(os.sched_getaffinity(0)))]
            if shutil.which("taskset") and hasattr(os, "sched_getaffinity") else None)
#: The issue's batch target, and what the tree before the hostile-input limits did on the
#: machine where it was set (issue 23: "from about 2,400 to about 1,400 drafts/s").
TARGET_PER_S = 2_500
PRE_LIMITS_PER_S = 2_400
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


_WORDS = ("Kringloop", "Ontwerpstudio", "Meubelmakerij", "Kantoorinrichter", "Recycling",
          "Textiel", "Bouwstoffen", "Metaalwerk", "Kunststof", "Logistiek", "Papier", "Glas")
_PLACES = ("Noord", "Zuid", "De Hoek", "Rond", "Twente", "Delta", "Veluwe", "Kempen")
_FORMS = ("B.V.", "V.O.F.", "", "Holding B.V.")
_ROLES = ("raw_material_supplier", "designer", "producer", "processor", "distributor",
          "retailer", "user", "collector", "repairer", "recycler")
_COSTS = ("facilitator", "materials", "equipment", "consultancy", "contract_research",
          "materials", "equipment", "marketing")


def realistic_drafts(count: int, seed: int = 23) -> list[dict]:
    """``count`` distinct drafts of the 2020 round (format v1, read by every version of
    `check`): each shared example in turn, its answers varied as real applications vary."""
    rng = random.Random(seed)
    examples = _drafts()
    out = []
    for i in range(count):
        draft = copy.deepcopy(examples[i % len(examples)])
        draft["language"] = "en" if i % 2 else "nl"
        project = draft["project"]
        project["title"] = f"{rng.choice(_WORDS)} {rng.choice(_PLACES)} {i}"
        applied = dt.date(2020, 3, 10) + dt.timedelta(days=rng.randrange(290))
        start = applied + dt.timedelta(days=rng.randrange(1, 120))
        project["application_date"] = applied.isoformat()
        project["start_date"] = start.isoformat()
        project["end_date"] = (start + dt.timedelta(days=rng.randrange(180, 760))).isoformat()
        if "raw_material_savings" in project:
            project["raw_material_savings"]["quantity"] = round(rng.uniform(1, 500), 1)
        if "co2_reduction" in project:
            project["co2_reduction"]["tonnes_per_year"] = round(rng.uniform(5, 900), 1)
        templates = draft["participants"]
        kvks = rng.sample(range(10_000_000, 100_000_000), 8)
        participants = []
        for j in range(rng.choice((2, 3, 3, 4, 4, 4, 5, 5, 6, 7))):
            p = copy.deepcopy(templates[j % len(templates)])
            p["name"] = " ".join(filter(None, (rng.choice(_WORDS), rng.choice(_PLACES),
                                               rng.choice(_FORMS))))
            p["kvk_number"] = str(kvks[j])
            p["is_lead_applicant"] = j == 0
            p["chain_role"] = rng.choice(_ROLES)
            staff = rng.choice((2, 5, 12, 30, 60, 120, 180))
            p["staff_units"] = round(staff * rng.uniform(0.5, 1.2), 1)
            p["annual_turnover_eur"] = rng.randrange(100, 400) * staff * 500
            p["balance_sheet_total_eur"] = rng.randrange(50, 200) * staff * 500
            if "own_hours" in p:
                p["own_hours"] = rng.randrange(40, 900, 10)
            if "cost_lines" in p:
                p["cost_lines"] = [
                    {"description": f"{rng.choice(_WORDS)} {k + 1}",
                     "category": rng.choice(_COSTS),
                     "amount_eur": round(rng.uniform(500, 25_000), rng.choice((-2, 0, 2)))}
                    for k in range(rng.randrange(1, 4))]
            participants.append(p)
        draft["participants"] = participants
        if draft.get("facilitator"):
            draft["facilitator"]["kvk_number"] = str(kvks[7])
            draft["facilitator"]["experience_years"] = rng.choice((1.0, 2.0, 3.0, 4.0, 7.5))
        out.append(draft)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--eval", type=int, default=20000)
    parser.add_argument("--reference", type=Path, metavar="DIR", action="append", default=[],
                        help="an earlier version's source tree: its batch beside this one's "
                             "(may be given more than once)")
    parser.add_argument("--pre-limits", type=Path, metavar="DIR",
                        help="the tree before the hostile-input limits (git archive 585dc6e~1): "
                             "a reference that also scales the target to this machine")
    args = parser.parse_args()
    references = [(tree, "reference") for tree in args.reference]
    if args.pre_limits is not None:
        references.append((args.pre_limits, "pre-limits"))
    for tree in (ROOT, *(tree for tree, _label in references)):
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

    drafts = realistic_drafts(args.batch)
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, data in enumerate(drafts):
            path = Path(tmp) / f"draft-{i:05d}.json"
            path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
            files.append(str(path))
        for fmt in ("json", "text"):
            batch = [py, "-m", "intake_assistant", "check", "--format", fmt, *files]
            # the same command in the earlier trees (python -m runs the cwd's package), and
            # this tree's on one core (one process: what the drafts cost without sharing)
            one_core = [*ONE_CORE, *batch] if ONE_CORE else None
            figures = _medians([batch, *(["env", "-C", str(tree), *batch]
                                         for tree, _label in references),
                                *([one_core] if one_core else [])], 3)
            if one_core:
                one_wall, one_cpu = figures.pop()
            for (ref_wall, ref_cpu), (tree, label) in zip(figures[1:], references, strict=True):
                print(f"{label:<10} --format {fmt:<4} ({tree}): {args.batch / ref_wall:6.0f} "
                      f"drafts/s wall, {args.batch / ref_cpu:6.0f} drafts/s CPU")
            wall, cpu = figures[0]
            print(f"batch check --format {fmt:<4} ({args.batch} files, one call, startup "
                  f"included): {args.batch / wall:6.0f} drafts/s wall, {args.batch / cpu:6.0f} "
                  f"drafts/s CPU (target >= 2,500)")
            if one_core:
                print(f"  the same in one process (one core):                  "
                      f"{args.batch / one_wall:6.0f} drafts/s wall, {args.batch / one_cpu:6.0f} "
                      f"drafts/s CPU")
            if args.pre_limits is not None:
                ref_wall = figures[len(references)][0]
                scaled = TARGET_PER_S * (args.batch / ref_wall) / PRE_LIMITS_PER_S
                print(f"  the target scaled to this machine: {scaled:6.0f} drafts/s wall "
                      f"(2,500 x the pre-limits tree's figure here / the ~2,400 it did where "
                      f"the target was set); this tree: {ref_wall / wall:.2f}x the pre-limits tree")

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

"""Does `check` still write what an earlier version wrote? For speed work: prints the outputs
that differ; asserts nothing.

    python benchmarks/check_same_output.py --reference DIR [--drafts 400] [--hostile 300]

DIR is the earlier version's source tree (``git archive main | tar -x -C DIR``). Writes a fixed
corpus (seeded): valid drafts of every round (the basis property test's generator), hostile
drafts (the fuzz suite's generator) and the shared examples; runs `check` over all of them in
both trees, in one call per variant (json and text, nl and en, --ruleset auto, --explain), and
compares standard output, standard error and the exit status byte for byte.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VARIANTS = (
    ["--format", "json"],
    ["--format", "json", "--lang", "en"],
    ["--format", "json", "--lang", "nl", "--ruleset", "auto"],
    ["--format", "text"],
    ["--format", "text", "--lang", "en", "--ruleset", "auto"],
    ["--format", "text", "--explain"],
    ["--format", "text", "--explain", "--lang", "en"],
)


def write_corpus(folder: Path, valid: int, hostile: int) -> list[str]:
    from hypothesis import HealthCheck, Phase, given, seed, settings

    from tests.hostile.fuzzing import draft_bytes
    from tests.rules.test_basis import drafts_of_every_round

    count = [0]

    def quiet(n: int):  # type: ignore[no-untyped-def]
        return settings(max_examples=n, deadline=None, database=None, phases=[Phase.generate],
                        suppress_health_check=list(HealthCheck))

    @seed(23)
    @quiet(valid)
    @given(drafts_of_every_round())
    def valid_drafts(case: tuple[str, dict]) -> None:
        (folder / f"v-{count[0]:04d}.json").write_text(
            json.dumps(case[1], ensure_ascii=count[0] % 2 == 0), encoding="utf-8")
        count[0] += 1

    @seed(23)
    @quiet(hostile)
    @given(draft_bytes())
    def hostile_drafts(raw: bytes) -> None:
        (folder / f"h-{count[0]:04d}.json").write_bytes(raw)
        count[0] += 1

    valid_drafts()
    hostile_drafts()
    for example in (ROOT.parent / "shared" / "examples").glob("*.json"):
        shutil.copy(example, folder / f"e-{example.name}")
    return sorted(str(p) for p in folder.glob("*.json"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reference", type=Path, required=True, metavar="DIR")
    parser.add_argument("--drafts", type=int, default=400, help="valid drafts of every round")
    parser.add_argument("--hostile", type=int, default=300, help="hostile drafts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = write_corpus(Path(tmp), args.drafts, args.hostile)
        differ = 0
        for variant in VARIANTS:
            outputs = []
            for tree in (args.reference, ROOT):  # python -m runs the package of the cwd
                done = subprocess.run([sys.executable, "-m", "intake_assistant", "check",
                                       *variant, *files], cwd=tree, capture_output=True,
                                      check=False)
                outputs.append((done.stdout, done.stderr, done.returncode))
            same = outputs[0] == outputs[1]
            differ += not same
            print(f"{'same     ' if same else 'DIFFERENT'} check {' '.join(variant)} "
                  f"({len(files)} files, {len(outputs[1][0]):,} bytes out)")
    print(f"{len(VARIANTS) - differ} of {len(VARIANTS)} variants byte-identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())

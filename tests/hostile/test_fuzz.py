"""The fuzz suite: hostile drafts through ``check`` (in process and as a command) and ``replay``.

Properties on every input: exit 0, 1 or 2 only; no traceback and no "unexpected error" line;
strict JSON; no control character from the draft in any output; the verdict is never
``eligible`` where a criterion's own figures say otherwise. Bounded so that the normal run
stays fast (a few seconds); ``benchmarks/fuzz_speed.py`` runs 10,000 and more.
"""

from __future__ import annotations

import os
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .fuzzing import (
    assert_figures_agree,
    assert_output_safe,
    check_one,
    draft_bytes,
    dumps,
    mutated_drafts,
    run_in_process,
    strict_json,
)

FAST = settings(max_examples=100, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


@FAST
@given(raw=draft_bytes(), fmt=st.sampled_from(["json", "text"]),
       language=st.sampled_from(["nl", "en"]))
def test_check_in_process_keeps_its_contract(raw: bytes, fmt: str, language: str) -> None:
    check_one(raw, fmt, language)


@settings(FAST, max_examples=12)
@given(data=mutated_drafts(), language=st.sampled_from(["nl", "en"]))
def test_replay_in_process_keeps_its_contract(data: object, language: str) -> None:
    status, out, err = run_in_process(["replay", "-", "--lang", language, "-o", "-"],
                                      dumps(data).encode("utf-8", "surrogatepass"))
    assert_output_safe(status, out, err)
    if status == 0:  # the draft it walked to, on standard output
        assert strict_json(out)["format"] == "sck-draft-application"


_NAMES = st.sampled_from(["plain.json", "esc\x1b[2J.json", "c1\x9b.json", "bidi\u202e.json",
                          "new\nline.json", "spa ce.json"])


@settings(FAST, max_examples=2)
@given(files=st.lists(st.tuples(_NAMES, draft_bytes()), min_size=3, max_size=6,
                      unique_by=lambda f: f[0]),
       fmt=st.sampled_from(["json", "text"]), language=st.sampled_from(["nl", "en"]))
def test_check_as_a_command_keeps_its_contract(tmp_path_factory: object, files: list, fmt: str,
                                               language: str) -> None:
    folder = tmp_path_factory.mktemp("fuzz")  # type: ignore[attr-defined]
    for name, raw in files:
        (folder / name).write_bytes(raw)
    env = {k: v for k, v in os.environ.items() if k not in {"LANG", "LANGUAGE", "LC_ALL"}}
    env["PYTHONIOENCODING"] = "utf-8"
    proc = subprocess.run([sys.executable, "-m", "intake_assistant", "check", "--format", fmt,
                           "--lang", language, *(name for name, _ in files)], cwd=folder,
                          env=env, capture_output=True, timeout=120, check=False)
    out = proc.stdout.decode("utf-8", "surrogateescape")
    err = proc.stderr.decode("utf-8", "surrogateescape")
    assert_output_safe(proc.returncode, out, err)
    bad = len(err.splitlines())
    assert (proc.returncode == 2) == (bad > 0)
    if fmt == "json":
        rows = [strict_json(line) for line in out.splitlines()]
        assert len(rows) + bad == len(files)
        raws = dict(files)
        for row in rows:
            assert_figures_agree(raws[row["file"]], row)

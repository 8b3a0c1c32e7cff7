"""Helpers of the hostile-input tests: the CLI in a subprocess, drafts as files, controls."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO_DIR = Path(__file__).resolve().parents[2]
EXAMPLES_DIR = (REPO_DIR / ".." / "shared" / "examples").resolve()
ELIGIBLE = EXAMPLES_DIR / "eligible-office-chair.json"
_ELIGIBLE_DATA = json.loads(ELIGIBLE.read_text(encoding="utf-8"))

#: Any character that could act on a terminal: C0 (but newline), DEL, C1, bidi and format.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e"
                     "\u2060-\u2064\u2066-\u2069\ufeff\u2028\u2029]")


def eligible() -> dict[str, Any]:
    """The eligible example as fresh JSON data."""
    return copy.deepcopy(_ELIGIBLE_DATA)


def write(folder: Path, name: str, data: Any) -> str:
    """``data`` (JSON data, text or bytes) as the file ``folder/name``; returns ``name``."""
    path = folder / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return name


def run(cwd: Path, *args: str, stdin: bytes | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``intake-assistant ARGS`` in a subprocess; output decoded leniently, no traceback."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"INTAKE_ASSISTANT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}}
    env["PYTHONIOENCODING"] = "utf-8"
    raw = subprocess.run([sys.executable, "-m", "intake_assistant", *args], cwd=cwd, env=env,
                         input=stdin, capture_output=True, timeout=timeout, check=False)
    proc = subprocess.CompletedProcess(
        raw.args, raw.returncode, raw.stdout.decode("utf-8", "replace"),
        raw.stderr.decode("utf-8", "replace"))
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout
    assert "unexpected error" not in proc.stderr and "onverwachte fout" not in proc.stderr, (
        proc.stderr)
    return proc


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line, parse_constant=_no_constant) for line in text.splitlines()
            if line.strip()]


def _no_constant(name: str) -> Any:
    raise AssertionError(f"{name} in the JSON output: not strict JSON")

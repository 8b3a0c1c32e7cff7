"""The project's promises: README's commands are what CI runs; the wheel carries its data."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text, flags=re.S)


def test_ci_runs_the_readme_test_command() -> None:
    commands = _readme_commands()
    test_command = next(c for c in commands if "pytest" in c)
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    start_command = next(c for c in commands if c.rstrip().endswith("intake-assistant"))
    assert "pip install -e ." in start_command


def test_the_wheel_carries_dialogs_locales_and_rulesets(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    wheel = next(tmp_path.glob("intake_assistant-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "intake_assistant/rules/data/sce-2020.toml" in names
    assert "intake_assistant/rules/data/compiled-rulesets.json" in names
    for lang in ("nl", "en"):
        for domain in ("rules", "cli"):
            assert f"intake_assistant/locales/{lang}/LC_MESSAGES/{domain}.mo" in names
    assert any(n.startswith("intake_assistant/dialogs/") and n.endswith(".yaml") for n in names)

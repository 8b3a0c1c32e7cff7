"""Layers do not leak: nothing below the UI imports textual, and `check` stays light."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_PROBE = """
import importlib, json, pkgutil, sys
import intake_assistant
skip = ("intake_assistant.tui", "intake_assistant.__main__")
names = [m.name for m in pkgutil.walk_packages(intake_assistant.__path__, "intake_assistant.")
         if not m.name.startswith(skip)]
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": names, "loaded": sorted(m for m in sys.modules
      if m.split(".")[0] in {"textual", "rich"})}))
"""


def test_no_module_below_the_ui_imports_textual() -> None:
    done = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    result = json.loads(done.stdout)
    # The probe must really have imported the layers, or the test proves nothing.
    for layer in ("intake_assistant.rules.criteria", "intake_assistant.models",
                  "intake_assistant.loading", "intake_assistant.cli"):
        assert layer in result["modules"]
    assert result["loaded"] == [], f"textual/rich imported below the UI: {result['loaded']}"


def test_a_check_run_imports_neither_textual_nor_the_flow() -> None:
    example = ROOT.parent / "shared" / "examples" / "eligible-office-chair.json"
    code = ("import runpy, sys, json\n"
            f"sys.argv = ['intake-assistant', 'check', {str(example)!r}]\n"
            "try:\n    runpy.run_module('intake_assistant', run_name='__main__')\n"
            "except SystemExit as exc:\n    code = exc.code\n"
            "print(json.dumps([code, sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'textual', 'transitions', 'yaml', 'intake_assistant'} and "
            "(m.startswith(('textual', 'transitions', 'yaml')) or 'flow' in m or 'tui' in m))]))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    code_, heavy = json.loads(done.stdout.strip().splitlines()[-1])
    assert code_ == 0
    assert heavy == []


def test_no_two_modules_share_a_file_name() -> None:
    """A name says which module it is: ``hints.py`` twice makes every traceback and search
    ask which one."""
    package = ROOT / "intake_assistant"
    by_name: dict[str, list[str]] = {}
    for path in package.rglob("*.py"):
        if path.name != "__init__.py":
            by_name.setdefault(path.name, []).append(str(path.relative_to(package)))
    assert len(by_name) > 40  # the walk really found the package
    doubled = {name: sorted(paths) for name, paths in by_name.items()
               if len(paths) > 1}
    assert doubled == {}

"""Issue 11: what the start screen's first paint waits for. The models, the rules, the flow,
babel, YAML, transitions and the browser server load after it (when an intake opens, or the
covered rounds in a thread once the list is shown); this keeps them out, so that the startup
ratio cannot regress silently (benchmarks/startup.py measures it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from intake_assistant.storage import IntakeMeta, Storage

#: Not loaded when the start screen first paints (top-level packages and our modules).
KEPT_OUT = ("pydantic", "pydantic_core", "babel", "yaml", "transitions", "textual_serve",
            "aiohttp", "intake_assistant.models", "intake_assistant.rules",
            "intake_assistant.report", "intake_assistant.loading",
            "intake_assistant.flow.session", "intake_assistant.flow.schema")

# Runs the real entry point's app, headless, and records sys.modules at the moment the start
# screen has painted and begins to read the saves (its first call after the first refresh).
SCRIPT = """
import json, sys
from intake_assistant.tui.screens.start import StartScreen
from intake_assistant.tui.app import make_app

seen = {}
async def first_paint(self):
    seen["modules"] = sorted(sys.modules)
    seen["rows"] = len(self.storage.list_headers().intakes)
    self.app.exit()

StartScreen._read_saves = first_paint
make_app("nl", sys.argv[1]).run(headless=True, size=(100, 30))
print(json.dumps(seen))
"""


def _loaded(name: str, modules: list[str]) -> bool:
    return any(m == name or m.startswith(name + ".") for m in modules)


def test_the_first_paint_loads_none_of_the_heavy_modules(tmp_path: Path) -> None:
    store = Storage(tmp_path / "data")
    for i in range(3):
        store.save(f"20240101-10000{i}-abcde{i}", {"answers": {}}, IntakeMeta(
            title=f"Project {i}", updated="2024-01-01T10:00:00+00:00", verdict="eligible"))
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "data")],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["rows"] == 3
    modules = seen["modules"]
    assert "intake_assistant.tui.screens.start" in modules  # the probe ran where it should
    loaded = [name for name in KEPT_OUT if _loaded(name, modules)]
    assert loaded == [], f"loaded before the first paint: {loaded}"


def test_the_command_line_loads_no_ui_and_no_rules_before_choosing_a_command() -> None:
    script = ("import sys, intake_assistant.cli, intake_assistant.tui.app; "
              "print(' '.join(sorted(sys.modules)))")
    modules = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             timeout=300, check=True).stdout.split()
    assert [name for name in KEPT_OUT if _loaded(name, modules)] == []

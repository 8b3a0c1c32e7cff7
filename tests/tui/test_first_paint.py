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

#: Not loaded when the start screen first paints (top-level packages and our modules; the
#: reports' table of output kinds is light, their renderers are not).
KEPT_OUT = ("pydantic", "pydantic_core", "babel", "yaml", "transitions", "textual_serve",
            "aiohttp", "intake_assistant.models", "intake_assistant.rules",
            "intake_assistant.reports.wording", "intake_assistant.reports.markdown",
            "intake_assistant.reports.html", "intake_assistant.reports.pdf",
            "intake_assistant.loading",
            "intake_assistant.flow.session", "intake_assistant.flow.schema")

# Runs the real entry point's app, headless, and records sys.modules at the moment the start
# screen has painted and begins to read the saves (its first call after the first refresh).
SCRIPT = """
import json, sys
from intake_assistant.tui.screens.start import StartScreen
from intake_assistant.tui.launch import make_app

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


def test_in_a_real_terminal_the_saved_intakes_are_listed_after_the_first_frame(
        tmp_path: Path) -> None:
    """Not headless: the list is read once the first frame is written (the layout-refresh
    signal, then a pause for the terminal), so this path is driven through a pty."""
    import fcntl
    import os
    import pty
    import select
    import struct
    import termios
    import time

    store = Storage(tmp_path / "data")
    store.save("20240101-100000-abcdef", {"answers": {}}, IntakeMeta(
        title="Stoel", updated="2024-01-01T10:00:00+00:00",
        verdict="eligible"))
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    process = subprocess.Popen(
        [sys.executable, "-m", "intake_assistant", "--lang", "nl", "--data-dir",
         str(tmp_path / "data")], stdin=follower, stdout=follower, stderr=follower, env=env,
        start_new_session=True)
    os.close(follower)
    seen = b""
    try:
        deadline = time.monotonic() + 60
        while b"Stoel" not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(leader, 65536)
                except OSError:
                    break
        assert b"Stoel" in seen, seen[-2000:]
        assert b"Nieuwe intake" in seen
        os.write(leader, b"\x11")  # ctrl+q
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)

"""The compiled rulesets (``rules/data/compiled-rulesets.json``) are the TOML files parsed ahead:
the same data, used only for the very text they were parsed from."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from intake_assistant.rules import compiled_rulesets, load_ruleset
from intake_assistant.rules import ruleset as ruleset_module
from intake_assistant.rules.compiled_rulesets import FILE_NAME, compiled_data, compiled_text

ROOT = Path(__file__).resolve().parents[2]


def test_the_compiled_file_is_that_of_the_toml_files() -> None:
    shipped = (ruleset_module.DATA_DIR / FILE_NAME).read_text(encoding="utf-8")
    assert shipped == compiled_text(ruleset_module.DATA_DIR), (
        "rules/data changed: run python -m intake_assistant.ruleset_tools compile")


def _typed(value: object) -> object:
    """``value`` with each leaf's type beside it: 60 and 60.0, a date and its text differ."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


def test_each_compiled_ruleset_reads_back_as_its_toml_parses() -> None:
    for path in sorted(ruleset_module.DATA_DIR.glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        data = compiled_data(path.parent, path.stem, text)
        assert data is not None, path.name
        assert _typed(data) == _typed(tomllib.loads(text)), path.name


@pytest.fixture
def own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """sce-2020 and the compiled file in a folder of their own, as the loader's data folder."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ("sce-2020.toml", FILE_NAME):
        shutil.copy(ruleset_module.DATA_DIR / name, data / name)
    monkeypatch.setattr(ruleset_module, "DATA_DIR", data)
    load_ruleset.cache_clear()
    yield data
    load_ruleset.cache_clear()


def test_a_ruleset_changed_after_compiling_is_read_from_its_toml(own_data_dir: Path) -> None:
    path = own_data_dir / "sce-2020.toml"
    text = path.read_text(encoding="utf-8")
    assert "value = 60," in text
    path.write_text(text.replace("value = 60,", "value = 61,", 1), encoding="utf-8")
    assert load_ruleset("sce-2020").params_on(None).hourly_rate_eur == 61


def test_a_compiled_entry_is_used_for_the_text_it_was_made_from(own_data_dir: Path) -> None:
    # The compiled data differs from the TOML here only to show which of the two was read.
    compiled = own_data_dir / FILE_NAME
    data = json.loads(compiled.read_text(encoding="utf-8"))
    values = data["rulesets"]["sce-2020"]["data"]["parameters"]["hourly_rate_eur"]["values"]
    values[0]["value"] = 59
    compiled.write_text(json.dumps(data), encoding="utf-8")
    compiled_rulesets._compiled.cache_clear()
    try:
        assert load_ruleset("sce-2020").params_on(None).hourly_rate_eur == 59
    finally:
        compiled_rulesets._compiled.cache_clear()


def test_a_check_parses_no_toml() -> None:
    """The rounds of every ruleset and the draft's own: all from the compiled file."""
    code = ("import sys\nfrom intake_assistant.cli import main\n"
            "main(['check', '--ruleset', 'auto', sys.argv[1]])\n"
            "sys.stderr.write(str('tomllib' in sys.modules))")
    example = ROOT.parent / "shared" / "examples" / "eligible-office-chair.json"
    proc = subprocess.run([sys.executable, "-c", code, str(example)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.stderr == "False"

"""``intake-assistant list`` (issue 14): the saved intakes headless, text or strict JSON Lines;
hostile titles shown as text; one unreadable save never stops the others."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from intake_assistant.cli import main
from intake_assistant.storage import IntakeMeta, Storage

HOSTILE = "Stoel \x1b]0;owned\x07\x1b[2J \u202eFAKE"


def _fill(data: Path) -> Storage:
    store = Storage(data)
    store.save("20240301-100000-aaaaaa", {}, IntakeMeta(
        title="Kantoorstoel", participants=("Ergozit B.V.", "Hout B.V."),
        updated="2024-03-01T10:00:00+01:00", verdict="eligible", language="nl", state="review"))
    store.save("20240302-100000-bbbbbb", {}, IntakeMeta(
        title="Kantoorstoel", participants=(HOSTILE,), updated="2024-03-02T11:30:00+01:00",
        verdict="not_eligible"))
    store.save("20240101-100000-cccccc", {}, IntakeMeta(
        title=HOSTILE, updated="2024-01-01T09:00:00+01:00", verdict="incomplete"))
    return store


@pytest.mark.parametrize(("language", "words", "date"), [
    ("nl", "voorcheck: Komt niet in aanmerking; laatste wijziging: 02-03-2024 11:30",
     "deelnemers: Ergozit B.V., Hout B.V."),
    ("en", "pre-check: Not eligible; last change: 2024-03-02 11:30",
     "participants: Ergozit B.V., Hout B.V."),
])
def test_text_lists_title_id_verdict_last_change_and_participants(tmp_path, capsys, language,
                                                                    words, date):
    _fill(tmp_path / "data")
    assert main(["list", "--data-dir", str(tmp_path / "data"), "--lang", language]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("Kantoorstoel (ID 20240302-100000-bbbbbb)"
                               if language == "nl" else "Kantoorstoel (id 20240302-100000-bbbbbb)")
    assert lines[1].strip() == words
    assert date in out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\x1b]0;owned\\x07" in out and "\\u202e" in out  # shown, never executed


@pytest.mark.parametrize(("language", "one", "of_three"), [
    ("nl", "1 van 1 opgeslagen intake in ", "1 van 3 opgeslagen intakes in "),
    ("en", "1 of 1 saved intake in ", "1 of 3 saved intakes in "),
])
def test_the_count_line_reads_in_the_singular_for_one_saved_intake(tmp_path, capsys, language,
                                                                   one, of_three):
    """The noun follows the number of saved intakes (a filter shows one of three: plural)."""
    Storage(tmp_path / "one").save("20240301-100000-aaaaaa", {}, IntakeMeta(
        title="Kantoorstoel", updated="2024-03-01T10:00:00+01:00", verdict="eligible"))
    assert main(["list", "--data-dir", str(tmp_path / "one"), "--lang", language]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith(one)
    _fill(tmp_path / "three")
    assert main(["list", "--data-dir", str(tmp_path / "three"), "--lang", language,
                 "--verdict", "eligible"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith(of_three)


def test_json_lines_are_strict_json_and_filter_and_sort(tmp_path, capsys):
    _fill(tmp_path / "data")
    assert main(["--data-dir", str(tmp_path / "data"), "list", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    records = [json.loads(line, parse_constant=lambda c: pytest.fail(c))
               for line in out.splitlines()]
    assert [r["id"] for r in records] == ["20240302-100000-bbbbbb", "20240301-100000-aaaaaa",
                                          "20240101-100000-cccccc"]
    assert records[1] == {
        "id": "20240301-100000-aaaaaa", "title": "Kantoorstoel", "verdict": "eligible",
        "updated": "2024-03-01T10:00:00+01:00",
        "participants": ["Ergozit B.V.", "Hout B.V."], "language": "nl", "state": "review",
        "file": str(tmp_path / "data" / "intakes" / "20240301-100000-aaaaaa.json")}
    assert records[2]["title"] == HOSTILE  # exact for a JSON reader
    assert main(["list", "--data-dir", str(tmp_path / "data"), "--format", "json",
                 "--verdict", "eligible"]) == 0
    assert [json.loads(x)["id"] for x in capsys.readouterr().out.splitlines()] == [
        "20240301-100000-aaaaaa"]
    assert main(["list", "--data-dir", str(tmp_path / "data"), "--format", "json",
                 "--sort", "verdict"]) == 0
    assert [json.loads(x)["verdict"] for x in capsys.readouterr().out.splitlines()] == [
        "not_eligible", "incomplete", "eligible"]


def test_an_unreadable_save_is_named_and_the_others_listed(tmp_path, capsys):
    store = _fill(tmp_path / "data")
    (store.intakes_dir / "broken.json").write_text("{", encoding="utf-8")
    (store.intakes_dir / "deep.json").write_text("[" * 100_000, encoding="utf-8")
    (store.intakes_dir / "newer.json").write_text(json.dumps(
        {"format": "intake-assistant-save", "version": 99, "meta": {}, "state": {}}))
    assert main(["list", "--data-dir", str(tmp_path / "data"), "--lang", "en"]) == 2
    captured = capsys.readouterr()
    assert captured.out.count("(id ") == 3
    errors = captured.err.splitlines()
    assert len(errors) == 3
    assert any("broken.json" in e and "not valid JSON" in e and "left as it is" in e
               for e in errors)
    assert any("deep.json" in e for e in errors) and any("newer.json" in e for e in errors)
    for name in ("broken.json", "deep.json", "newer.json"):  # nothing moved or changed
        assert (store.intakes_dir / name).exists()


def test_no_saved_intakes_and_a_real_process(tmp_path):
    result = subprocess.run([sys.executable, "-m", "intake_assistant", "list", "--data-dir",
                             str(tmp_path / "none"), "--lang", "nl"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Geen opgeslagen intakes in ")
    assert result.stderr == ""
    # headless: the listing never loads the UI
    script = ("import sys; from intake_assistant.cli import run_list; "
              "run_list(sys.argv[1], 'json', 'en'); "
              "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))")
    loaded = subprocess.run([sys.executable, "-c", script, str(tmp_path / "none")],
                            capture_output=True, text=True, timeout=120, check=True)
    assert loaded.stdout.strip() == "[]"

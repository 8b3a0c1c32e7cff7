"""What a draft can put on a terminal, in an error line, a replay and a written file (issue 11, 8).

Every value from a draft is shown as text (``\\x1b``), never executed; the JSON stays exact
for a reader; ``replay -o`` never overwrites or writes through a link; a ruleset name from a
draft is looked up, never used as a path.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from intake_assistant.models import MAX_RULESET_NAME
from intake_assistant.rules import available_rulesets

from .helpers import CONTROL, ELIGIBLE, eligible, json_lines, run, write

HOSTILE = "Evil\x1b[2J\x1b]0;pwned\x07\x9b31m\u202eB.V.\r\nVERDICT: eligible"


def _hostile_draft() -> dict[str, object]:
    data = eligible()
    data["project"]["title"] = HOSTILE
    data["participants"][0]["name"] = HOSTILE
    data["participants"][1]["staff_units"] = 300  # fails SME-STATUS: the name is in messages
    data["participants"][1]["name"] = "Two\x1b[31m"
    data["participants"][0]["cost_lines"][0]["description"] = HOSTILE
    data["participants"][0]["cost_lines"][0]["category"] = "marketing"
    return data


@pytest.mark.parametrize("language", ["en", "nl"])
def test_check_text_output_shows_controls_as_text(tmp_path: Path, language: str) -> None:
    file = write(tmp_path, "evil.json", _hostile_draft())
    proc = run(tmp_path, "check", "--lang", language, file)
    assert proc.returncode == 1
    assert not CONTROL.search(proc.stdout + proc.stderr), repr(proc.stdout)
    assert "Evil\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m\\u202eB.V.\\x0d\\x0aVERDICT: eligible" in proc.stdout
    assert "Two\\x1b[31m" in proc.stdout
    assert not any(line.startswith("VERDICT") for line in proc.stdout.splitlines())


def test_check_json_output_is_exact_and_cannot_act_on_a_terminal(tmp_path: Path) -> None:
    file = write(tmp_path, "evil\x1b[2J.json", _hostile_draft())
    proc = run(tmp_path, "check", "--format", "json", file)
    assert proc.returncode == 1
    assert not CONTROL.search(proc.stdout), repr(proc.stdout)
    assert "\\u009b" in proc.stdout and "\\u202e" in proc.stdout
    (line,) = json_lines(proc.stdout)
    assert line["file"] == file  # a JSON reader gets the exact values back
    assert any("Two\x1b[31m" in f["message"] for f in line["findings"])


@pytest.mark.parametrize("language", ["en", "nl"])
def test_error_lines_echo_json_keys_and_file_names_made_safe(tmp_path: Path,
                                                              language: str) -> None:
    data = eligible()
    data["\x1b[2Jbad\nkey"] = 1
    data["participants"][0]["x\x9by"] = 2
    file = write(tmp_path, "bad\x07.json", data)
    proc = run(tmp_path, "check", "--lang", language, file, str(ELIGIBLE))
    assert proc.returncode == 2
    (error,) = proc.stderr.splitlines()
    assert not CONTROL.search(proc.stderr)
    assert error.startswith("bad\\x07.json: ")
    assert "; \\x1b[2Jbad\\x0akey: " in error and "participants[0].x\\x9by: " in error


def test_replay_echo_is_made_safe(tmp_path: Path) -> None:
    data = eligible()
    data["participants"][0]["name"] = HOSTILE.replace("\r\n", " ")
    file = write(tmp_path, "evil.json", data)
    proc = run(tmp_path, "replay", file, "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert not CONTROL.search(proc.stdout + proc.stderr)
    assert "Evil\\x1b[2J" in proc.stdout


# -- ruleset names from a draft ---------------------------------------------------------------


def _command(command: str, file: str, language: str) -> list[str]:
    return [command, file, "--lang", language]


@pytest.mark.parametrize("command", ["check", "replay"])
def test_a_path_as_ruleset_is_an_unknown_name(tmp_path: Path, command: str) -> None:
    data = eligible()
    data["ruleset"] = "../../../tmp/x"
    proc = run(tmp_path, *_command(command, write(tmp_path, "path.json", data), "en"))
    assert proc.returncode == 2
    known = ", ".join(available_rulesets())
    assert proc.stderr == f"path.json: ruleset: unknown ruleset {data['ruleset']}; known: {known}\n"
    assert "flow.yaml" not in proc.stderr and "intake_assistant" not in proc.stderr


@pytest.mark.parametrize("command", ["check", "replay"])
def test_a_256_character_ruleset_is_refused_naming_the_draft(tmp_path: Path,
                                                             command: str) -> None:
    data = eligible()
    data["ruleset"] = "a" * 256
    proc = run(tmp_path, *_command(command, write(tmp_path, "long.json", data), "nl"))
    assert proc.returncode == 2
    assert proc.stderr == f"long.json: ruleset: is te lang (hooguit {MAX_RULESET_NAME} tekens)\n"


def test_the_ruleset_option_is_looked_up_by_name(tmp_path: Path) -> None:
    proc = run(tmp_path, "check", "--ruleset", "../rules/data/sce-2020", str(ELIGIBLE))
    assert proc.returncode == 2 and proc.stdout == ""
    assert "../rules/data/sce-2020" in proc.stderr and "sce-2020" in proc.stderr


def test_load_flow_never_joins_a_name_into_a_path() -> None:
    from intake_assistant.flow.schema import DialogError, load_flow

    for name in ("../dialogs/sce-2020", "/etc", "a" * 300, "sce-2020/../sce-2020"):
        with pytest.raises(DialogError) as exc:
            load_flow(name)
        assert str(exc.value.problems[0]) == "dialogs:1: no question flow for this ruleset"


# -- replay -o ---------------------------------------------------------------------------------


def test_replay_never_overwrites_without_force(tmp_path: Path) -> None:
    (tmp_path / "out.json").write_text("precious", encoding="utf-8")
    proc = run(tmp_path, "replay", str(ELIGIBLE), "--lang", "en", "-o", "out.json")
    assert proc.returncode == 2
    assert proc.stderr == ("Cannot write out.json: the file exists already; use --force to "
                           "replace it\n")
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == "precious"
    nl = run(tmp_path, "replay", str(ELIGIBLE), "--lang", "nl", "-o", "out.json")
    assert nl.stderr == ("Kan out.json niet schrijven: het bestand bestaat al; gebruik --force "
                         "om het te vervangen\n")
    forced = run(tmp_path, "replay", str(ELIGIBLE), "--lang", "en", "-o", "out.json", "--force")
    assert forced.returncode == 0, forced.stderr
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == eligible()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temporary left


@pytest.mark.parametrize("force", [False, True])
def test_replay_never_writes_through_a_symlink(tmp_path: Path, force: bool) -> None:
    target = tmp_path / "target.txt"
    target.write_text("precious", encoding="utf-8")
    os.symlink(target, tmp_path / "link.json")
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "dangling.json")
    extra = ["--force"] if force else []
    for link in ("link.json", "dangling.json"):
        proc = run(tmp_path, "replay", str(ELIGIBLE), "--lang", "en", "-o", link, *extra)
        assert proc.returncode == 2
        assert proc.stderr == f"Cannot write {link}: it is a symbolic link; name the file itself\n"
    assert target.read_text(encoding="utf-8") == "precious"
    assert not (tmp_path / "nowhere.txt").exists()


def test_replay_to_a_folder_or_a_missing_folder(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    proc = run(tmp_path, "replay", str(ELIGIBLE), "--lang", "en", "-o", "folder")
    assert proc.returncode == 2
    assert proc.stderr == "Cannot write folder: this is a folder, not a file\n"
    proc = run(tmp_path, "replay", str(ELIGIBLE), "--lang", "en", "-o", "no/such/out.json")
    assert proc.returncode == 2
    assert proc.stderr.startswith("Cannot write no/such/out.json: ")


def test_replay_dash_writes_the_draft_to_standard_output(tmp_path: Path) -> None:
    proc = run(tmp_path, "replay", str(ELIGIBLE), "--lang", "en", "-o", "-")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == eligible()
    assert "[participant_count]" in proc.stderr  # the walk goes to standard error
    assert not (tmp_path / "-").exists()


# -- the text output of many participants ------------------------------------------------------


def test_a_per_participant_criterion_is_listed_once(tmp_path: Path) -> None:
    data = eligible()
    data["participants"][0]["staff_units"] = 300
    del data["participants"][2]["staff_units"]
    proc = run(tmp_path, "check", "--lang", "en", write(tmp_path, "mixed.json", data))
    out = proc.stdout.splitlines()
    sme = [i for i, line in enumerate(out) if "SME-STATUS" in line]
    assert len(sme) == 1, proc.stdout
    start = sme[0]
    assert out[start] == "  FAIL    SME-STATUS (art. 2.1; GBER Annex I), per participant:"
    assert out[start + 1].startswith("      FAIL    Kringloop Kunststof B.V. has 300 staff units")
    # Issue 14: the failure's hint follows it, indented under its text.
    assert out[start + 2] == ("              Hint: Kringloop Kunststof B.V. is no SME on: staff 300 "
                              "of fewer than 250 (51 fewer needed).")
    assert out[start + 3].startswith("      MISSING Give the staff")
    assert out[start + 4] == "      PASS    Ontwerpstudio Rond, Kantoorinrichter Noord B.V."
    passes = next(line for line in out if line.startswith("  PASS"))
    assert "SME-STATUS" not in passes and "GBER-DIFFICULTY" in passes


def test_100_participants_in_dutch(tmp_path: Path) -> None:
    data = eligible()
    base = data["participants"]
    data["participants"] = [dict(base[i % 4], name=f"P{i}", kvk_number=f"{10_000_000 + i}",
                                 is_lead_applicant=i == 0) for i in range(100)]
    for i in range(0, 100, 10):
        data["participants"][i]["in_difficulty"] = True
    proc = run(tmp_path, "check", "--lang", "nl", write(tmp_path, "many.json", data))
    assert proc.returncode == 1
    out = proc.stdout.splitlines()
    assert sum("GBER-DIFFICULTY" in line for line in out) == 1
    start = next(i for i, line in enumerate(out) if "GBER-DIFFICULTY" in line)
    assert out[start].endswith("per deelnemer:")
    failing = out[start + 1:start + 11]
    assert [line.split(" P")[1].split()[0] for line in failing] == [
        f"{i}" for i in range(0, 100, 10)]
    assert out[start + 11].startswith("      VOLDOET ")
    passing = out[start + 11].removeprefix("      VOLDOET ").strip().split(", ")
    assert len(passing) == 90 and "P1" in passing and "P10" not in passing
    assert len([line for line in out if line.startswith("    P")]) == 100


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(("language", "said"), [
    ("en", "the output cannot be written: the disk is full. Free some space, or send the "
           "output elsewhere."),
    ("nl", "de uitvoer kan niet worden geschreven: de schijf is vol. Maak ruimte vrij, of stuur "
           "de uitvoer ergens anders heen.")])
def test_output_sent_to_a_full_disk_is_said_in_the_users_language_not_reported_as_a_defect(
        tmp_path: Path, language: str, said: str) -> None:
    """`check ... > file` on a full disk: one line that says so, exit 2; not "please report
    this", nor the interpreter's "Exception ignored" when the output waited in its buffer
    until the end (a single file's text, standard output not unbuffered)."""
    import subprocess
    import sys

    name = write(tmp_path, "draft.json", eligible())
    env = {k: v for k, v in os.environ.items() if k not in {
        "INTAKE_ASSISTANT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG",
        "PYTHONUNBUFFERED"}}
    for fmt in ("text", "json"):
        with open("/dev/full", "wb") as full:
            done = subprocess.run(
                [sys.executable, "-m", "intake_assistant", "check", "--format", fmt, "--lang",
                 language, name], cwd=tmp_path, env=env, stdout=full, stderr=subprocess.PIPE,
                timeout=120, check=False)
        assert done.returncode == 2, fmt
        assert done.stderr.decode("utf-8") == f"intake-assistant: {said}\n", fmt


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_disk_under_both_outputs_still_ends_with_the_status_of_an_invalid_run(
        tmp_path: Path) -> None:
    """`check ... > /dev/full 2>&1`: nothing can be said, yet the exit status is 2, not 1
    (which would read "not eligible")."""
    import subprocess
    import sys

    name = write(tmp_path, "draft.json", eligible())
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as a user's
    for fmt in ("text", "json"):
        with open("/dev/full", "wb") as full:
            done = subprocess.run(
                [sys.executable, "-m", "intake_assistant", "check", "--format", fmt, name],
                cwd=tmp_path, env=env, stdout=full, stderr=full, timeout=120, check=False)
        assert done.returncode == 2, fmt


def test_check_without_a_standard_output_still_says_what_is_wrong(tmp_path: Path) -> None:
    """Started with standard output closed (`>&-`): the file's error line, exit 2, and no
    "unexpected error" about the missing output."""
    import subprocess
    import sys

    done = subprocess.run(["sh", "-c", 'exec "$0" -m intake_assistant check --lang en '
                           'missing.json >&-', sys.executable], cwd=tmp_path,
                          stderr=subprocess.PIPE, timeout=120, check=False)
    assert done.returncode == 2
    assert done.stderr.decode("utf-8") == "missing.json: (top level): the file does not exist\n"


def test_a_reader_that_stops_early_leaves_the_exit_status_of_the_check(tmp_path: Path) -> None:
    """`check NOT-ELIGIBLE | true`: the reader took nothing, the status still says not
    eligible (1), not "all eligible" (0). (Standard output buffered, as a user's is: the line
    meets the closed pipe at the last flush, once the status is known.)"""
    import subprocess
    import sys

    data = eligible()
    data["participants"] = data["participants"][:1]  # one SME: too few
    name = write(tmp_path, "draft.json", data)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    process = subprocess.Popen([sys.executable, "-m", "intake_assistant", "check", name],
                               cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the program writes: its flush meets a closed pipe
    errors = process.stderr.read()
    assert process.wait(timeout=120) == 1
    assert errors == b""

"""A long `check` batch shared among processes (check_batch) writes what one process writes:
every file's line in the batch's order, the error lines where they belong, the same exit
status; a process that ends unexpectedly loses no file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from intake_assistant.check_batch import PARALLEL_FROM, checked_and_written, jobs_for

from .helpers import EXAMPLES_DIR
from .test_cli import run

PARENT = os.getpid()


def _batch(folder: Path) -> list[str]:
    """PARALLEL_FROM + 10 files: the examples under distinct names and languages, a file that
    is no JSON, one beyond the nesting limit and one that does not exist."""
    examples = [json.loads(p.read_text(encoding="utf-8"))
                for p in sorted(EXAMPLES_DIR.glob("*.json"))]
    names = []
    for i in range(PARALLEL_FROM + 7):
        draft = dict(examples[i % len(examples)], language="en" if i % 2 else "nl")
        draft["project"] = dict(draft["project"], title=f"Project {i}")
        (folder / f"d{i:04d}.json").write_text(json.dumps(draft), encoding="utf-8")
        names.append(f"d{i:04d}.json")
    (folder / "broken.json").write_text('{"format": 1', encoding="utf-8")
    (folder / "deep.json").write_text("[" * 40 + "]" * 40, encoding="utf-8")
    names[30:30] = ["broken.json"]
    names[150:150] = ["deep.json", "missing.json"]
    return names


def test_a_long_batch_writes_what_one_process_writes(tmp_path: Path) -> None:
    names = _batch(tmp_path)
    assert jobs_for(names) == min(len(os.sched_getaffinity(0)), 8)
    half = len(names) // 2  # each half is too short to be shared among processes
    for fmt in ("json", "text"):
        whole = run(tmp_path, "check", "--format", fmt, *names)
        first = run(tmp_path, "check", "--format", fmt, *names[:half])
        second = run(tmp_path, "check", "--format", fmt, *names[half:])
        if fmt == "json":
            assert whole.stdout == first.stdout + second.stdout
            assert [json.loads(line)["file"] for line in whole.stdout.splitlines()] == [
                n for n in names if n not in {"broken.json", "deep.json", "missing.json"}]
        else:  # the coverage note closes each run's text once
            coverage = first.stdout[first.stdout.rindex("\n", 0, -1) + 1:]
            assert whole.stdout == first.stdout.removesuffix(coverage) + second.stdout
        assert whole.stderr == first.stderr + second.stderr
        assert [line.split(":")[0] for line in whole.stderr.splitlines()] == [
            "broken.json", "deep.json", "missing.json"]
        assert whole.returncode == first.returncode == 2


class _Lines:
    """What the processes of a batch write: a line per file, to a file they share through a
    buffer each (as standard output is shared, and buffered where it is not a terminal);
    ``write`` gives back the file's number."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = path.open("wb")

    def write(self, result: str) -> int:
        self.file.write(f"{result}\n".encode())
        return int(result.split()[-1]) % 256

    def flush(self) -> None:
        self.file.flush()

    def read(self) -> list[str]:
        self.file.close()
        return self.path.read_text(encoding="utf-8").splitlines()


def _checked(file: str) -> str:
    return f"checked {file}"


def _ends_its_process_on_file_3(file: str) -> str:
    if os.getpid() != PARENT and file == "3":
        os._exit(1)  # as a process killed by the system would
    return f"checked {file}"


def _fails_on_file_5(file: str) -> str:
    if file == "5":
        raise ValueError("a draft this program cannot check")
    return f"checked {file}"


def test_each_file_is_written_once_in_order_by_the_processes_themselves(tmp_path: Path) -> None:
    files = [str(i) for i in range(300)]
    lines = _Lines(tmp_path / "out")
    summaries = list(checked_and_written(files, _checked, lines.write, lines.flush, 2))
    assert lines.read() == [f"checked {f}" for f in files]
    assert summaries == [int(f) % 256 for f in files]


def test_the_files_of_a_process_that_ends_while_checking_are_checked_here(
        tmp_path: Path) -> None:
    files = [str(i) for i in range(60)]
    lines = _Lines(tmp_path / "out")
    summaries = list(checked_and_written(files, _ends_its_process_on_file_3, lines.write,
                                         lines.flush, 2))
    assert lines.read() == [f"checked {f}" for f in files]
    assert summaries == list(range(60))


def test_a_process_that_ends_while_writing_leaves_no_file_unwritten_or_written_twice(
        tmp_path: Path) -> None:
    lines = _Lines(tmp_path / "out")

    def write_or_end(result: str) -> int:
        if os.getpid() != PARENT and result == "checked 7":
            os._exit(1)  # in its turn, with files 0-6 of the batch written
        return lines.write(result)

    files = [str(i) for i in range(60)]
    summaries = list(checked_and_written(files, _checked, write_or_end, lines.flush, 2))
    assert lines.read() == [f"checked {f}" for f in files]
    assert summaries == list(range(60))


def test_a_line_a_process_left_cut_off_is_said_and_written_again_whole(tmp_path: Path) -> None:
    """A process killed in the middle of a file's write (a slow reader held it there): the
    caller is told (``cut``) before the file is written again whole, after the cut part."""
    lines = _Lines(tmp_path / "out")
    cuts: list[str] = []

    def write_part_then_end(result: str) -> int:
        if os.getpid() != PARENT and result == "checked 7":
            lines.file.write(b"chec")  # part of its line reached the file
            lines.flush()
            os._exit(1)
        return lines.write(result)

    def cut(file: str) -> None:
        cuts.append(file)
        lines.file.write(b"\n")

    files = [str(i) for i in range(60)]
    summaries = list(checked_and_written(files, _checked, write_part_then_end, lines.flush, 2,
                                         cut))
    assert cuts == ["7"]
    assert lines.read() == [*(f"checked {i}" for i in range(7)), "chec",
                            *(f"checked {f}" for f in files[7:])]
    assert summaries == list(range(60))


def test_the_cli_ends_a_cut_line_says_which_file_and_fails_the_run(
        capsys: pytest.CaptureFixture[str]) -> None:
    from intake_assistant.cli import _FileWriter
    from intake_assistant.i18n import translator

    for fmt, language, said in (
            ("json", "en", "a process checking this batch ended while writing this file's "
                           "output: the line above may be cut off; the output follows in full"),
            ("text", "nl", "een proces dat deze reeks controleerde stopte tijdens het schrijven "
                           "van de uitvoer van dit bestand: de regel erboven kan afgebroken "
                           "zijn; de volledige uitvoer volgt")):
        writer = _FileWriter(fmt, translator(language))
        assert not writer.cut_off
        writer.cut("d\x1b[31m.json")
        captured = capsys.readouterr()
        assert writer.cut_off
        assert captured.out == "\n"
        assert captured.err.startswith("d") and captured.err.endswith(f".json: {said}\n")
        assert "\x1b" not in captured.err  # a file's name is shown as text


def test_an_error_in_a_process_is_met_here_after_the_files_before_it_are_written(
        tmp_path: Path) -> None:
    lines = _Lines(tmp_path / "out")
    summaries = []
    with pytest.raises(ValueError, match="cannot check"):
        for summary in checked_and_written([str(i) for i in range(60)], _fails_on_file_5,
                                           lines.write, lines.flush, 2):
            summaries.append(summary)
    assert lines.read() == [f"checked {i}" for i in range(5)]
    assert summaries == list(range(5))


def test_a_batch_whose_reader_stops_early_ends_quietly(tmp_path: Path) -> None:
    """`check ... | head -1`: the processes meet a closed pipe; the run ends without a word
    (no traceback, no "please report this"), as one process does."""
    names = _batch(tmp_path)
    assert jobs_for(names) > 1 or pytest.skip("one core: the batch is not shared")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as a user's
    process = subprocess.Popen(
        [sys.executable, "-m", "intake_assistant", "check", "--format", "json", *names],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # as `head -1` does once it has its line
    errors = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert json.loads(first)["file"] == names[0]
    assert errors.decode() == ""


def test_a_short_batch_or_one_reading_standard_input_is_checked_in_one_process() -> None:
    many = [f"d{i}.json" for i in range(PARALLEL_FROM)]
    assert jobs_for(many[:-1]) == 1
    assert jobs_for([*many, "-"]) == 1


def test_a_batch_is_handed_out_whole_and_in_order_in_chunks_that_shrink_towards_its_end(
        ) -> None:
    from intake_assistant.check_batch import CHUNK, LAST_CHUNK, _chunks

    files = [str(i) for i in range(999)]
    chunks = _chunks(files, 2)
    assert [f for chunk in chunks for f in chunk] == files
    sizes = [len(c) for c in chunks]
    assert sizes[0] == CHUNK and max(sizes) == CHUNK
    assert sizes == sorted(sizes, reverse=True)
    # the last chunks are small, so that both processes end within a few drafts
    assert all(size <= LAST_CHUNK for size in sizes[-4:])


def test_a_batch_run_inside_another_program_writes_to_the_streams_it_was_given(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
        ) -> None:
    """Standard output replaced by a stream with no file beneath (as pytest's capture, or a
    program that runs `main` inside itself, does): the batch is checked in this process,
    so that every line reaches that stream."""
    from intake_assistant.cli import main

    names = _batch(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "json", *names]) == 2
    captured = capsys.readouterr()
    assert [json.loads(line)["file"] for line in captured.out.splitlines()] == [
        n for n in names if n not in {"broken.json", "deep.json", "missing.json"}]
    assert [line.split(":")[0] for line in captured.err.splitlines()] == [
        "broken.json", "deep.json", "missing.json"]


def test_a_batch_short_of_file_descriptors_is_checked_by_fewer_processes(
        tmp_path: Path) -> None:
    """No pipe to be had for the processes (a limit of 8 open files): the batch is checked
    here, with the same output, not stopped by "Too many open files"."""
    import resource

    names = _batch(tmp_path)
    if jobs_for(names) == 1:
        pytest.skip("one core: the batch is not shared")
    whole = run(tmp_path, "check", "--format", "json", *names)
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    short = subprocess.run(
        [sys.executable, "-m", "intake_assistant", "check", "--format", "json", *names],
        cwd=tmp_path, capture_output=True, timeout=120, check=False,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (8, hard)))
    assert short.stdout.decode("utf-8") == whole.stdout
    assert short.stderr.decode("utf-8") == whole.stderr
    assert short.returncode == whole.returncode == 2
    assert [json.loads(line)["file"] for line in whole.stdout.splitlines()] == [
        n for n in names if n not in {"broken.json", "deep.json", "missing.json"}]
    assert [line.split(":")[0] for line in whole.stderr.splitlines()] == [
        "broken.json", "deep.json", "missing.json"]

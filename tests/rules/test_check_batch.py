"""A long `check` batch shared among processes (check_batch) writes what one process writes:
every file's line in the batch's order, the error lines where they belong, the same exit
status; a process that ends unexpectedly loses no file."""

from __future__ import annotations

import json
import os
from pathlib import Path

from intake_assistant.check_batch import PARALLEL_FROM, checked, jobs_for

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


def _ends_its_process_on_file_3(file: str) -> str:
    if os.getpid() != PARENT and file == "3":
        os._exit(1)  # as a process killed by the system would
    return f"checked {file}"


def test_the_files_of_a_process_that_ends_are_checked_here() -> None:
    files = [str(i) for i in range(60)]
    assert list(checked(files, _ends_its_process_on_file_3, 2)) == [f"checked {f}" for f in files]


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

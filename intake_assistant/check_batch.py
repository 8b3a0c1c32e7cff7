"""A long batch of `check` shared among the machine's cores, its output in the batch's order.

An advisor checks a folder of drafts and waits for the whole batch: each draft is checked on
its own (it shares nothing with the others), so a batch of ``PARALLEL_FROM`` files or more is
handed out in chunks to one process per core (forked from this one, the program already
loaded: the caller checks a first file before, so that what a first draft loads is loaded
once). This process writes each file's output and error line in the order of the files,
with the same writes one process would make: the output is the same byte for byte, only
sooner. It costs a little more CPU time in all than one process (each process keeps its own
texts made once, and the output is passed back through a pipe); on one core, for a shorter
batch, without ``fork`` (Windows), or reading standard input, the files are checked here.

Should a process end unexpectedly (killed, out of memory), the files it had not given back
are checked here, so that every file gets its line.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

#: The shortest batch shared among processes: starting them costs a few milliseconds each.
PARALLEL_FROM = 200
#: Files handed to a process at a time: enough that passing them costs little, few enough
#: that the processes finish together.
CHUNK = 25
#: The smallest chunk, at the end of a batch.
LAST_CHUNK = 4
#: The most processes started, whatever the number of cores.
MAX_JOBS = 8

Result = TypeVar("Result")


def jobs_for(files: Sequence[str]) -> int:
    """How many processes check ``files``: one per core available to this process, for a long
    batch that does not read standard input; else 1 (this process)."""
    if len(files) < PARALLEL_FROM or "-" in files:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every system
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_JOBS))


def checked(files: Sequence[str], check: Callable[[str], Result], jobs: int) -> Iterator[Result]:
    """``check(file)`` for each file, in the order of ``files``, by ``jobs`` processes.

    ``check`` must be picklable (a module's function, or a ``partial`` of one)."""
    if jobs <= 1:
        yield from map(check, files)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from itertools import islice

    chunks = _chunks(files, jobs)
    try:
        executor = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                                       initializer=_leave_interrupts_to_the_parent)
    except (ValueError, OSError):  # no fork here, or no process to be had
        yield from map(check, files)
        return
    # At most two chunks a process handed out ahead of the one written: a reader that takes
    # the output slowly (a pager) holds the processes up, as it holds one process up, rather
    # than the whole batch's output piling up here.
    ahead: deque[tuple[Sequence[str], Future[list[Result]]]] = deque()
    waiting = iter(chunks)
    try:
        for chunk in islice(waiting, 2 * jobs):
            ahead.append((chunk, executor.submit(_check_chunk, check, chunk)))
        while ahead:
            chunk, future = ahead.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:  # a process ended: the rest is checked here
                for rest in (chunk, *(c for c, _ in ahead), *waiting):
                    yield from map(check, rest)
                return
            for following in islice(waiting, 1):
                ahead.append((following, executor.submit(_check_chunk, check, following)))
            yield from results
    finally:
        # Waits for the chunks being checked (after Ctrl+C or a closed pipe: a few drafts);
        # not waiting raced with the interpreter's own shutdown of the processes, which then
        # printed a traceback ("Bad file descriptor") now and then.
        executor.shutdown(wait=True, cancel_futures=True)


def _chunks(files: Sequence[str], jobs: int) -> list[Sequence[str]]:
    """``files`` in chunks of ``CHUNK``, smaller towards the end (down to ``LAST_CHUNK``): the
    processes then finish within a few drafts of each other, not one chunk apart."""
    chunks = []
    start = 0
    while start < len(files):
        left = len(files) - start
        size = max(LAST_CHUNK, min(CHUNK, left // (2 * jobs)))
        chunks.append(files[start:start + size])
        start += size
    return chunks


def _check_chunk(check: Callable[[str], Result], files: Sequence[str]) -> list[Result]:
    return [check(file) for file in files]


def _leave_interrupts_to_the_parent() -> None:
    # Ctrl+C reaches every process of the terminal's group: this one ends the run quietly,
    # the others must not each print a traceback.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


__all__ = ["CHUNK", "MAX_JOBS", "PARALLEL_FROM", "checked", "jobs_for"]

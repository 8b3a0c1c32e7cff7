"""A long batch of `check` shared among the machine's cores, its output in the batch's order.

An advisor checks a folder of drafts and waits for the whole batch: each draft is checked on
its own (it shares nothing with the others), so a batch of ``PARALLEL_FROM`` files or more is
handed out in chunks to one process per core (forked from this one, the program already
loaded: the caller checks a first file before, so that what a first draft loads is loaded
once).

Each process writes the output of its chunks itself, to the standard output and error it
shares with this one, when this process gives it the turn: chunk by chunk in the order of
the files, with the same writes one process would make. The output is the same byte for
byte, only sooner, and no output passes through this process (43 MB for 1,000 drafts in
JSON: passing it back cost a tenth of the batch's time). While a process waits for its turn
it checks its next chunk; it keeps at most ``AHEAD`` chunks checked and not yet written, so
that a reader that takes the output slowly (a pager) holds the processes up, as it holds one
process up, rather than the batch's output piling up in memory. Chunks are handed out as
the processes ask for more, so a faster core checks more of them.

What ``write`` gives back for each file (a number from 0 to 255: the caller's exit status
and the like) reaches this process through memory the processes share, file by file as it
is written: should a process end unexpectedly (killed, out of memory, a closed pipe), this
process knows which of its files were written and checks and writes the others itself, in
their turn, so that every file gets its line once. (A process killed in the middle of one
file's write, as a reader that takes the output slowly can hold it there, may leave that line
cut off: the caller is told, before the file is written again whole.) On one core, for a
shorter batch, without ``fork`` (Windows), or reading standard input, the files are checked
and written here.
"""

from __future__ import annotations

import mmap
import os
import select
import signal
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar

#: The shortest batch shared among processes: starting them costs a few milliseconds each.
PARALLEL_FROM = 200
#: Files handed to a process at a time: enough that handing them out costs little, few
#: enough that the processes finish together.
CHUNK = 25
#: The smallest chunk, at the end of a batch.
LAST_CHUNK = 4
#: The most processes started, whatever the number of cores.
MAX_JOBS = 8
#: Chunks a process keeps checked and not yet written, at most (a slower turn of the other
#: processes is waited out without waiting).
AHEAD = 4
#: Chunks handed to a process ahead of the one it checks.
HANDED = 2

Result = TypeVar("Result")

# The messages between this process and the others: a letter and a chunk's number.
_ASSIGN, _GO, _READY, _DONE = b"A", b"G", b"R", b"D"
_MESSAGE = 5
# A process's slot of shared memory: the chunk being written, how many of its files are
# written, the number of the file being written (one more than that while it is), and what
# ``write`` gave back for each.
_SLOT = 12 + CHUNK


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


def checked_and_written(files: Sequence[str], check: Callable[[str], Result],
                        write: Callable[[Result], int], flush: Callable[[], None],
                        jobs: int, cut: Callable[[str], None] | None = None) -> Iterator[int]:
    """``write(check(file))`` for each file, in the order of ``files``, by ``jobs`` processes;
    yields what ``write`` gave back (0-255) for each file, in that order.

    ``flush`` makes what ``write`` wrote reach the files it writes to: it is called before
    the processes start and, in them, after each file (the output of a process that ended
    must not wait in its buffers). An error of ``check`` or ``write`` in another process is
    met again here, where the file is checked and written once more, and raised. ``cut(file)``
    is called before a file is written again whose output a process that ended while
    writing it may have left cut off (a reader that takes the output slowly holds a process
    in its write)."""
    if jobs <= 1 or not hasattr(os, "fork"):
        for file in files:
            yield write(check(file))
        return
    yield from _Batch(_chunks(files, jobs), check, write, flush, jobs, cut).run()


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


class _Process:
    """Another process of the batch, as this one sees it."""

    __slots__ = ("control", "pid", "received", "slot", "status")

    def __init__(self, pid: int, control: int, status: int, slot: int) -> None:
        self.pid = pid
        self.control = control  # this process writes to it: chunks handed out, turns given
        self.status = status  # it writes to this one: chunks checked, chunks written
        self.slot = slot
        self.received = bytearray()


class _Batch(Generic[Result]):
    """This process's side of a shared batch: it starts the others, hands out the chunks,
    gives the turns in the order of the files, and checks and writes what an ended process
    left."""

    def __init__(self, chunks: list[Sequence[str]], check: Callable[[str], Result],
                 write: Callable[[Result], int], flush: Callable[[], None], jobs: int,
                 cut: Callable[[str], None] | None) -> None:
        self.chunks = chunks
        self.cut = cut
        self.check = check
        self.write = write
        self.flush = flush
        self.jobs = jobs
        self.shared = mmap.mmap(-1, _SLOT * jobs)  # anonymous: shared with the forked ones
        self.processes: list[_Process] = []
        self.owner: list[_Process | None] = [None] * len(chunks)
        self.handed_out = 0  # chunks handed out so far (in order)
        self.ready: set[int] = set()

    def run(self) -> Iterator[int]:
        self.flush()  # else what waits in the buffers would be written by every process
        try:
            for slot in range(self.jobs):
                if not self._start(slot):
                    break
            for process in list(self.processes):
                for _ in range(HANDED):
                    self._hand_out(process)
            yield from self._written_in_order()
        finally:
            self._stop()

    def _start(self, slot: int) -> bool:
        made: list[int] = []
        try:
            made += os.pipe()
            made += os.pipe()
            pid = os.fork()
        except OSError:  # no process (or pipe) to be had: the others, or this one, do the work
            for fd in made:
                os.close(fd)
            return False
        control_r, control_w, status_r, status_w = made
        if pid == 0:  # the new process: it never returns from here
            code = 1  # an error is met again in the first process, which says it
            try:
                for other in self.processes:  # not theirs: their ends must close with us
                    os.close(other.control)
                    os.close(other.status)
                os.close(control_w)
                os.close(status_r)
                _Worker(self, control_r, status_w, slot).work()
                code = 0
            finally:
                os._exit(code)  # no traceback, nor the parent's clean-up (files, atexit)
        os.close(control_r)
        os.close(status_w)
        self.processes.append(_Process(pid, control_w, status_r, slot))
        return True

    def _hand_out(self, process: _Process) -> None:
        if self.handed_out < len(self.chunks):
            index = self.handed_out
            self.handed_out += 1
            self.owner[index] = process
            if not _send(process.control, _ASSIGN, index):
                self._ended(process)

    def _written_in_order(self) -> Iterator[int]:
        following = 0
        while following < len(self.chunks):
            process = self.owner[following]
            if process is None or process not in self.processes:
                # no process has it (none left to hand it to), or its process ended before
                # writing it: checked and written here
                for file in self.chunks[following]:
                    yield self.write(self.check(file))
                following += 1
                continue
            if following in self.ready:
                self.ready.discard(following)
                self.flush()  # what this process wrote (a chunk it checked) comes first
                if not _send(process.control, _GO, following):
                    self._ended(process)
                    continue
                yield from self._wait_written(process, following)
                following += 1
                continue
            # wait until its process says it is checked (or ends)
            readable, _, _ = select.select([p.status for p in self.processes], [], [])
            for ready_process in [p for p in self.processes if p.status in readable]:
                self._take_messages(ready_process)

    def _wait_written(self, process: _Process, index: int) -> Iterator[int]:
        """Chunk ``index``'s summaries as ``process`` writes it; what it did not write when
        it ended is checked and written here."""
        while True:
            if process not in self.processes:  # it ended while writing
                written, cut_off = self._written_of(process, index)
                yield from written
                rest = self.chunks[index][len(written):]
                if cut_off and rest and self.cut is not None:
                    self.cut(rest[0])
                for file in rest:
                    yield self.write(self.check(file))
                return
            readable, _, _ = select.select([p.status for p in self.processes], [], [])
            for ready_process in [p for p in self.processes if p.status in readable]:
                if self._take_messages(ready_process, done=index) and ready_process is process:
                    yield from self._written_of(process, index)[0]
                    return

    def _written_of(self, process: _Process, index: int) -> tuple[list[int], bool]:
        """The summaries of the files of chunk ``index`` that ``process`` wrote, and whether
        it was writing the next one (what it wrote of that may be cut off)."""
        base = process.slot * _SLOT
        shared = self.shared
        chunk, count, writing = (int.from_bytes(shared[base:base + 4], "little"),
                                 int.from_bytes(shared[base + 4:base + 8], "little"),
                                 int.from_bytes(shared[base + 8:base + 12], "little"))
        if chunk != index:  # it ended before it began this chunk
            return [], False
        count = min(count, len(self.chunks[index]))
        return list(shared[base + 12:base + 12 + count]), writing > count

    def _take_messages(self, process: _Process, done: int | None = None) -> bool:
        """Read what ``process`` said; True when it says chunk ``done`` is written."""
        try:
            data = os.read(process.status, 4096)
        except OSError:
            data = b""
        if not data:
            self._ended(process)
            return False
        finished = False
        for kind, index in _messages(process.received, data):
            if kind == _READY:
                self.ready.add(index)
                self._hand_out(process)
            elif kind == _DONE and index == done:
                finished = True
        return finished

    def _ended(self, process: _Process) -> None:
        """``process`` ended (or cannot be told more): its chunks are checked here, or by
        the others where not yet handed out."""
        if process not in self.processes:
            return
        self.processes.remove(process)
        for fd in (process.control, process.status):
            try:
                os.close(fd)
            except OSError:
                pass
        _end(process.pid)

    def _stop(self) -> None:
        """All written (the processes wait, idle, for more), or stopped early (Ctrl+C, a
        closed pipe, an error met here): the processes are ended."""
        for process in self.processes:
            os.close(process.control)
            os.close(process.status)
            _end(process.pid)
        self.processes.clear()
        self.shared.close()


class _Worker:
    """The loop of another process: check the chunks handed to it, write each when given the
    turn, and say so."""

    def __init__(self, batch: _Batch[object], control: int, status: int, slot: int) -> None:
        # Ctrl+C reaches every process of the terminal's group: the first one ends the run
        # quietly, this one must not print a traceback.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        os.set_blocking(control, False)
        self.batch = batch
        self.control = control
        self.status = status
        self.base = slot * _SLOT
        self.handed: deque[int] = deque()
        self.checked: deque[tuple[int, list[object]]] = deque()
        self.turns = 0
        self.received = bytearray()

    def work(self) -> None:
        batch = self.batch
        while True:
            self._write_granted()
            if self.handed and len(self.checked) < AHEAD:
                index = self.handed.popleft()
                results: list[object] = []
                for file in batch.chunks[index]:
                    results.append(batch.check(file))
                    self._listen(block=False)  # a turn given meanwhile is taken at once
                    self._write_granted()
                self.checked.append((index, results))
                _send(self.status, _READY, index)
            elif not self._listen(block=True):
                return  # nothing more to do: the first process closed its end

    def _write_granted(self) -> None:
        while self.turns and self.checked:
            self.turns -= 1
            index, results = self.checked.popleft()
            shared, base, write, flush = self.batch.shared, self.base, self.batch.write, \
                self.batch.flush
            shared[base:base + 12] = index.to_bytes(4, "little") + bytes(8)
            for count, result in enumerate(results, 1):
                shared[base + 8:base + 12] = count.to_bytes(4, "little")  # being written
                try:
                    summary = write(result)  # type: ignore[arg-type]
                    flush()
                except BaseException:
                    # an error of the write (a closed pipe, a full disk): no line left cut
                    # that the run goes on after; the first process meets it again
                    shared[base + 8:base + 12] = (count - 1).to_bytes(4, "little")
                    raise
                shared[base + 11 + count] = summary
                shared[base + 4:base + 8] = count.to_bytes(4, "little")
            _send(self.status, _DONE, index)

    def _listen(self, *, block: bool) -> bool:
        """Take in what the first process said; False when it closed its end."""
        if block:
            select.select([self.control], [], [])
        try:
            data = os.read(self.control, 4096)
        except BlockingIOError:
            return True
        if not data:
            return False
        for kind, index in _messages(self.received, data):
            if kind == _ASSIGN:
                self.handed.append(index)
            else:
                self.turns += 1
        return True


def _messages(received: bytearray, data: bytes) -> list[tuple[bytes, int]]:
    """The whole messages (letter, chunk number) that ``data`` completes after what was
    ``received`` before (a read may end inside a message: that part is kept)."""
    received += data
    whole = len(received) - len(received) % _MESSAGE
    messages = [(bytes(received[start:start + 1]),
                 int.from_bytes(received[start + 1:start + _MESSAGE], "little"))
                for start in range(0, whole, _MESSAGE)]
    del received[:whole]
    return messages


def _send(fd: int, kind: bytes, index: int) -> bool:
    """One message (shorter than a pipe's atomic write); False when the other end is gone."""
    try:
        os.write(fd, kind + index.to_bytes(4, "little"))
    except OSError:
        return False
    return True


def _end(pid: int) -> None:
    """End process ``pid`` (if it has not ended) and wait for it (no process left behind)."""
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


__all__ = ["AHEAD", "CHUNK", "MAX_JOBS", "PARALLEL_FROM", "checked_and_written", "jobs_for"]

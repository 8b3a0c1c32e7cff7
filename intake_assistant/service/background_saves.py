"""Saves to a store across the network, off the thread that drives the window.

A ``SaveLine`` writes one intake's saves on a thread of its own, one at a time and in the order
they were made: a save still waiting when a newer one comes is replaced by it (the newer state
holds all of its answers), so a slow store never gets two saves of one intake at once and never
gets an older state after a newer one. What came of each save is handed back through ``post``
(the driver runs it on its own thread: the service's state is changed there only).

After a conflict (a colleague saved meanwhile) the line holds what comes next until the
service has merged on the driver's thread (``resume``): a save behind it would only conflict
again. An intake closed (or erased in the store) is ``discard``-ed: a save of it still waiting
is never written, and the store forgets it only once a save of it being written is done (a
store that forgot an intake takes its next save for a new intake's: an erased client's data
would be written back). This module must not import textual or aiohttp.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from intake_assistant.storage import IntakeMeta, SaveConflictError, Storage


@dataclass(frozen=True, slots=True)
class SaveJob:
    """One save: which intake, its state and list entry, and its place in the order."""

    number: int
    intake_id: str
    state: dict[str, Any]
    meta: IntakeMeta


#: What the line says of a job once written or refused: the job and the error (None: saved).
Finished = Callable[[SaveJob, Exception | None], None]


class SaveLine:
    """One thread that writes the saves of one window, in order, one at a time."""

    def __init__(self, storage: Storage, finished: Finished) -> None:
        self._storage = storage
        self._finished = finished
        self._changed = threading.Condition()
        self._waiting: SaveJob | None = None
        #: The intake of the save being written (None: none is).
        self._writing: str | None = None
        #: The intake whose save conflicted: nothing is written until ``resume`` (None: not
        #: held).
        self._held: str | None = None
        self._closed = False
        #: What to do once the save being written is done (``discard``).
        self._after_writing: list[Callable[[], None]] = []
        #: The error of the last save written (None: it succeeded), for a window closing
        #: without its outcomes shown.
        self.last_error: Exception | None = None
        self._thread = threading.Thread(target=self._run, name="intake-saves", daemon=True)
        self._thread.start()

    def submit(self, job: SaveJob) -> None:
        with self._changed:
            self._waiting = job  # an older job still waiting is replaced: this one holds it
            self._changed.notify_all()

    def resume(self) -> None:
        """After a conflict: drop what waited (the service saved the newest state itself)."""
        with self._changed:
            self._held = None
            self._waiting = None
            self._changed.notify_all()

    def discard(self, intake_id: str, then: Callable[[], None]) -> None:
        """Nothing more of ``intake_id`` is written: a save of it still waiting is dropped
        (and a hold for its conflict let go); ``then`` is called once no save of it is being
        written (at once, or on the line's thread when that save is done)."""
        with self._changed:
            if self._waiting is not None and self._waiting.intake_id == intake_id:
                self._waiting = None
            if self._held == intake_id:
                self._held = None
            if self._writing == intake_id:
                self._after_writing.append(then)
                then = _nothing
            self._changed.notify_all()
        then()

    @property
    def idle(self) -> bool:
        with self._changed:
            return self._writing is None and (self._waiting is None or self._held is not None)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is being written or waits (False: still busy after
        ``timeout`` seconds)."""
        with self._changed:
            return self._changed.wait_for(
                lambda: self._writing is None and (self._waiting is None
                                                   or self._held is not None), timeout)

    def close(self, timeout: float = 10.0) -> bool:
        """Write what waits, then end the thread; False when it did not end in time."""
        self.wait_idle(timeout)
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(
                    lambda: self._closed or (self._waiting is not None and self._held is None))
                if self._waiting is None or self._held is not None:
                    return  # closed
                job, self._waiting = self._waiting, None
                self._writing = job.intake_id
            error: Exception | None = None
            try:
                self._storage.save(job.intake_id, job.state, job.meta)
            except SaveConflictError as exc:
                error = exc
            except OSError as exc:  # the store's errors are OSErrors (StoreUnavailableError)
                error = exc
            except Exception as exc:  # never a dead line: the window says NOT SAVED
                error = OSError(str(exc) or type(exc).__name__)
                error.__cause__ = exc
            with self._changed:
                self.last_error = error
                if isinstance(error, SaveConflictError) and not self._after_writing:
                    self._held = job.intake_id  # (unless discarded: no merge will follow)
                self._writing = None
                after, self._after_writing = self._after_writing, []
                self._changed.notify_all()
            for then in after:
                then()
            try:
                self._finished(job, error)
            except Exception:  # the window is gone: nothing left to tell
                pass


def _nothing() -> None:
    """Nothing to do now (``discard``: it waits for the save being written)."""

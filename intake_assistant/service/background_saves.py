"""Saves to a store across the network, off the thread that drives the window.

A ``SaveLine`` writes a window's saves on a thread of its own, one at a time and in the order
they were made: a save of an intake still waiting when a newer one of it comes is replaced by
it (the newer state holds all of its answers), so a slow store never gets two saves of one
intake at once and never gets an older state after a newer one; a save of another intake (one
opened since) waits behind it. What came of each save is handed back through ``post`` (the
driver runs it on its own thread: the service's state is changed there only).

After a conflict (a colleague saved meanwhile) the line holds what comes next of that intake
until the service has merged on the driver's thread (``resume``): a save behind it would only
conflict again. An intake closed (or erased in the store) is ``discard``-ed: a save of it still
waiting is never written. What the store is told once an intake is no longer open (``forget``)
waits until no save of it waits or is being written (``when_written``): a store that forgot an
intake takes its next save for a new intake's, which would write an erased client's data
back, or lose the last answers of an intake left for another. This module must not import
textual or aiohttp.
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
        #: The saves waiting, oldest first: at most one of each intake (the newest).
        self._waiting: list[SaveJob] = []
        #: The intake of the save being written (None: none is).
        self._writing: str | None = None
        #: The intake whose save conflicted: nothing more of it is written until ``resume``
        #: (None: none is held).
        self._held: str | None = None
        self._closed = False
        #: What to do once no save of an intake waits or is being written (``when_written``).
        self._when_written: list[tuple[str, Callable[[], None]]] = []
        self._thread = threading.Thread(target=self._run, name="intake-saves", daemon=True)
        self._thread.start()

    def submit(self, job: SaveJob) -> None:
        with self._changed:
            # an older save of the intake still waiting is replaced: this one holds it
            self._waiting = [w for w in self._waiting if w.intake_id != job.intake_id]
            self._waiting.append(job)
            self._changed.notify_all()

    def resume(self) -> None:
        """After a conflict: drop what waited of the held intake (the service saved its
        newest state itself)."""
        with self._changed:
            held, self._held = self._held, None
            self._waiting = [w for w in self._waiting if w.intake_id != held]
            self._changed.notify_all()

    def discard(self, intake_id: str, then: Callable[[], None]) -> None:
        """Nothing more of ``intake_id`` is written: a save of it still waiting is dropped
        (and a hold for its conflict let go); then as ``when_written``."""
        with self._changed:
            self._waiting = [w for w in self._waiting if w.intake_id != intake_id]
            if self._held == intake_id:
                self._held = None
            due = self._due()  # what waited for the dropped saves is due now, not later
            self._changed.notify_all()
        for waited in due:
            _call(waited)
        self.when_written(intake_id, then)

    def when_written(self, intake_id: str, then: Callable[[], None]) -> None:
        """Call ``then`` once no save of ``intake_id`` waits or is being written: at once, or
        on the line's thread after the last of them (or when the line is closed)."""
        with self._changed:
            if self._busy_with(intake_id):
                self._when_written.append((intake_id, then))
                return
        then()

    def _due(self) -> list[Callable[[], None]]:
        """Take what waited for intakes no save of which waits or is being written any more
        (called holding the lock; the caller calls them after letting it go)."""
        due = [then for intake_id, then in self._when_written if not self._busy_with(intake_id)]
        self._when_written = [(intake_id, then) for intake_id, then in self._when_written
                              if self._busy_with(intake_id)]
        return due

    def _busy_with(self, intake_id: str) -> bool:
        return self._writing == intake_id or any(w.intake_id == intake_id
                                                 for w in self._waiting)

    def _next(self) -> SaveJob | None:
        """The oldest save that may be written now (not of the held intake)."""
        return next((w for w in self._waiting if w.intake_id != self._held), None)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is being written or may be (False: still busy after
        ``timeout`` seconds)."""
        with self._changed:
            return self._changed.wait_for(
                lambda: self._writing is None and self._next() is None, timeout)

    def close(self, timeout: float = 10.0) -> bool:
        """Write what waits, then end the thread; False when it did not end in time."""
        self.wait_idle(timeout)
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._thread.join(timeout)
        ended = not self._thread.is_alive()
        if ended:  # nothing more is written: what waited for the saves is due now
            with self._changed:
                due, self._when_written = self._when_written, []
            for _intake_id, then in due:
                _call(then)
        return ended

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._closed or self._next() is not None)
                job = self._next()
                if job is None:
                    return  # closed
                self._waiting.remove(job)
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
                if isinstance(error, SaveConflictError):
                    self._held = job.intake_id
                self._writing = None
                due = self._due()
                self._changed.notify_all()
            for then in due:
                _call(then)
            try:
                self._finished(job, error)
            except Exception:  # the window is gone: nothing left to tell
                pass


def _call(then: Callable[[], None]) -> None:
    """Call what waited for an intake's saves; never a dead line (it only tells the store)."""
    try:
        then()
    except Exception:  # a store closed meanwhile: nothing left to tell it
        pass

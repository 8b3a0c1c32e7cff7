"""A colleague changed the open intake: the App hears it from a team store (LISTEN/NOTIFY, on a
thread of its own, never polling a file) and says who and when; "Reload" (command palette)
shows their answers at once, and the next answer merges with them anyway. While no intake is
open, a colleague's new, changed or deleted intake updates the start screen's list."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from intake_assistant.i18n import _

if TYPE_CHECKING:
    from textual.worker import Worker

    from intake_assistant.storage import HeaderList
    from intake_assistant.stores.postgres_store import Change, ChangeWatch

#: How long one wait for a notice lasts before the thread looks whether the App still runs
#: and which intake is open (a notice itself wakes it at once).
WAIT_SECONDS = 0.5
#: The start screen's list is read again once the team's saves pause this long (a colleague
#: answering saves at every answer), and at the latest after ``LIST_AT_THE_LATEST``.
LIST_SETTLE_SECONDS = 0.3
LIST_AT_THE_LATEST = 2.0
#: A lost connection to the store is made again after this pause, twice as long after each
#: failure, at most the last.
RETRY_FIRST_SECONDS = 0.5
RETRY_LAST_SECONDS = 30.0


def _pause(worker: Worker[None], seconds: float) -> None:
    """Wait ``seconds`` before trying the store again, ending early when the App ends."""
    until = time.monotonic() + seconds
    while not worker.is_cancelled and (left := until - time.monotonic()) > 0:
        time.sleep(min(left, 0.1))


class HearsColleagues:
    """Mixed into the App: ``listen_to_colleagues`` on mount, ``action_reload`` for the palette."""

    #: The listener is listening (a change saved before this is not heard; the next save
    #: merges it all the same).
    listening_to_colleagues = False

    def listen_to_colleagues(self) -> None:
        if hasattr(self.storage, "watch"):
            self._listen()

    @work(thread=True, exclusive=True, group="colleagues", exit_on_error=False)
    def _listen(self) -> None:
        """Listen for the team's saves; a lost connection (a server restarted, a failover)
        is made again, waiting longer each time it fails, and what was missed meanwhile is
        looked up once it is back."""
        from intake_assistant.stores.store_protocol import StoreUnavailableError

        worker = get_current_worker()
        retry = RETRY_FIRST_SECONDS
        missed = False  # a connection was lost: a change may have come meanwhile
        while not worker.is_cancelled:
            try:
                watch = self.storage.watch()
            except StoreUnavailableError:  # saves still merge; only the notice waits
                _pause(worker, retry)
                retry = min(retry * 2, RETRY_LAST_SECONDS)
                missed = True
                continue
            retry = RETRY_FIRST_SECONDS
            self.listening_to_colleagues = True
            try:
                self._hear(worker, watch, missed)
            except StoreUnavailableError:
                missed = True
            finally:
                self.listening_to_colleagues = False
                watch.close()

    def _hear(self, worker: Worker[None], watch: ChangeWatch, missed: bool) -> None:
        """Hand each colleague's change of the open intake to the window, and the team's
        list to the start screen, until the App ends (``StoreUnavailableError``: the
        connection is lost)."""
        #: When the start screen's list is to be read again (None: nothing changed).
        list_due: float | None = time.monotonic() if missed else None
        list_latest = time.monotonic()
        while not worker.is_cancelled:
            if missed:  # back after a lost connection: as if a notice of the open intake came
                heard, missed = self.intake_id, False
            else:
                wait = WAIT_SECONDS if list_due is None else max(0.0,
                                                                 list_due - time.monotonic())
                heard = watch.notice(wait)
            open_id = self.intake_id  # asked when a notice comes, not before the wait
            if heard is not None and open_id is not None:
                if heard == open_id:
                    change = self.storage.changed_since(heard)  # None: our own save
                    if change is not None and not worker.is_cancelled:
                        self.call_from_thread(self._colleague_changed, change)
                continue
            if heard is not None:  # the start screen: its list follows the team, read
                now = time.monotonic()  # once the saves pause (a colleague answering saves
                if list_due is None:  # at each answer)
                    list_latest = now + LIST_AT_THE_LATEST
                list_due = min(now + LIST_SETTLE_SECONDS, list_latest)
            if list_due is not None and time.monotonic() >= list_due:
                list_due = None
                if self.intake_id is None and not worker.is_cancelled:
                    listing = self.storage.list_headers(set_aside=False)
                    self.call_from_thread(self._team_list_changed, listing)

    def _team_list_changed(self, listing: HeaderList) -> None:
        from intake_assistant.tui.screens.start import StartScreen

        for screen in self.screen_stack:
            if isinstance(screen, StartScreen):
                screen.show_listing(listing)

    def _colleague_changed(self, change: Change) -> None:
        """Show what the service says a colleague's change means for the open intake."""
        taken = self.intake.take_in_change(change)
        if taken.meaning == "erased":  # closed by the service: the window follows
            self.show_erased()
        elif taken.meaning == "deleted":
            self.notify(_("A colleague deleted this intake from the team store. Your answers "
                          "stay here: your next answer saves them as a new intake."),
                        severity="warning", timeout=20)
        elif taken.meaning == "changed":
            when = taken.at.astimezone().strftime("%H:%M") if taken.at else "?"
            self.notify(_("Changed by {who} at {when}. Reload (command palette) shows their "
                          "answers; your next answer keeps theirs and yours (where you both "
                          "changed one answer, you choose).",
                          who=taken.by or _("a colleague"), when=when), timeout=20)
        # "moved" (no answer changed) and "elsewhere" (another intake): nothing to tell

    def action_reload(self) -> None:
        """Open the intake again as it is saved now (a colleague's answers included)."""
        from intake_assistant.service.outcomes import IntakeProblem

        if self.intake_id is None:
            return
        try:
            opened = self.intake.resume(self.intake_id, self.language)
        except IntakeProblem as problem:
            self.show_problem(problem)
            return
        self.show_opened(opened)

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
    from intake_assistant.storage import HeaderList
    from intake_assistant.stores.postgres_store import Change

#: How long one wait for a notice lasts before the thread looks whether the App still runs
#: and which intake is open (a notice itself wakes it at once).
WAIT_SECONDS = 0.5
#: The start screen's list is read again once the team's saves pause this long (a colleague
#: answering saves at every answer), and at the latest after ``LIST_AT_THE_LATEST``.
LIST_SETTLE_SECONDS = 0.3
LIST_AT_THE_LATEST = 2.0


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
        from intake_assistant.stores.store_protocol import StoreUnavailableError

        worker = get_current_worker()
        try:
            watch = self.storage.watch()
        except StoreUnavailableError:
            return  # saves still merge; only the notice is missed
        self.listening_to_colleagues = True
        #: When the start screen's list is to be read again (None: nothing changed).
        list_due: float | None = None
        list_latest = 0.0
        try:
            while not worker.is_cancelled:
                wait = WAIT_SECONDS if list_due is None else max(0.0, list_due - time.monotonic())
                try:
                    heard = watch.notice(wait)
                    open_id = self.intake_id  # asked when a notice comes, not before the wait
                    if heard is not None and open_id is not None:
                        if heard == open_id:
                            change = self.storage.changed_since(heard)  # None: our own save
                            if change is not None and not worker.is_cancelled:
                                self.call_from_thread(self._colleague_changed, change)
                        continue
                    if heard is not None:  # the start screen: its list follows the team,
                        now = time.monotonic()  # read once the saves pause (a colleague
                        if list_due is None:  # answering saves at each answer)
                            list_latest = now + LIST_AT_THE_LATEST
                        list_due = min(now + LIST_SETTLE_SECONDS, list_latest)
                    if list_due is not None and time.monotonic() >= list_due:
                        list_due = None
                        if self.intake_id is None and not worker.is_cancelled:
                            listing = self.storage.list_headers(set_aside=False)
                            self.call_from_thread(self._team_list_changed, listing)
                except StoreUnavailableError:
                    return
        finally:
            self.listening_to_colleagues = False
            watch.close()

    def _team_list_changed(self, listing: HeaderList) -> None:
        from intake_assistant.tui.screens.start import StartScreen

        for screen in self.screen_stack:
            if isinstance(screen, StartScreen):
                screen.show_listing(listing)

    def _colleague_changed(self, change: Change) -> None:
        if change.intake_id != self.intake_id:
            return  # another intake is open by now
        if change.revision is not None and not self.intake.answers_differ(
                change.answers, change.provenance):
            return  # the colleague only moved to another question: nothing to take in
        if change.revision is None:
            self.notify(_("A colleague deleted this intake from the team store. Your answers "
                          "stay here: your next answer saves them as a new intake."),
                        severity="warning", timeout=20)
            return
        when = change.at.astimezone().strftime("%H:%M") if change.at else "?"
        self.notify(_("Changed by {who} at {when}. Reload (command palette) shows their "
                      "answers; your next answer keeps both.",
                      who=change.by or _("a colleague"), when=when), timeout=20)

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

"""A colleague changed the open intake: the App hears it from a team store (LISTEN/NOTIFY, on a
thread of its own, never polling a file) and says who and when; "Reload" (command palette)
shows their answers at once, and the next answer merges with them anyway."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from intake_assistant.i18n import _

if TYPE_CHECKING:
    from intake_assistant.stores.postgres_store import Change

#: How long one wait for a notice lasts before the thread looks whether the App still runs
#: and which intake is open (a notice itself wakes it at once).
WAIT_SECONDS = 0.5


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
        try:
            def open_now() -> set[str]:  # asked when a notice comes, not before the wait
                return {self.intake_id} if self.intake_id else set()

            while not worker.is_cancelled:
                try:
                    change = watch.wait(open_now, WAIT_SECONDS)
                except StoreUnavailableError:
                    return
                if change is not None and not worker.is_cancelled:
                    self.call_from_thread(self._colleague_changed, change)
        finally:
            self.listening_to_colleagues = False
            watch.close()

    def _colleague_changed(self, change: Change) -> None:
        if change.intake_id != self.intake_id:
            return  # another intake is open by now
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

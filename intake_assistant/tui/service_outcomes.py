"""How the App shows what the intake service did: the screen after a change, a notice
when the intake follows another round, how a save went, an intake just opened, why one could
not be. The one path back from the service (``IntakeApp.intake``) to the screens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message

from intake_assistant.i18n import _, get_language
from intake_assistant.tui.idle_collection import CollectsWhenIdle
from intake_assistant.tui.screens.base import IntakeScreen, LocalizedScreen

if TYPE_CHECKING:
    from pathlib import Path

    from intake_assistant.flow.session import IntakeSession
    from intake_assistant.service.open_intake import OpenIntake
    from intake_assistant.service.outcomes import (
        Changed,
        IntakeProblem,
        LeftIntakeSaved,
        Opened,
        Saved,
    )
    from intake_assistant.storage import Storage
    from intake_assistant.tui.look import Look


class SaveFinished(Message):
    """A save written off the drawing thread came back: ``take_in`` (called here, on the
    App's thread) tells the service and returns how it went."""

    def __init__(self, take_in: Callable[[], Saved]) -> None:
        super().__init__()
        self.take_in = take_in


class ShowsServiceOutcomes(CollectsWhenIdle):
    """The App's side of the intake service's answers (the App gives the rest)."""

    intake: OpenIntake
    look: Look
    intake_id: str | None
    session: IntakeSession | None
    storage: Storage
    export_dir: Path
    unsaved: bool
    #: What waits until the open intake is saved (quit, close), each told whether it is.
    after_saves: list[Callable[[bool], None]]

    # what the App defines
    show_current: Callable[[], None]
    close_to_start: Callable[[], None]
    show_message: Callable[[str, str], None]
    refresh_start: Callable[[], None]

    def _show_sub_title(self) -> None:
        self.sub_title = (_("NOT SAVED: the last answers are only in this window")
                          if self.unsaved else _("pre-check, RVO decides"))

    # -- what came of a change: the one path back from the service -----------------------
    def change_session(self, change: Callable[[IntakeSession], object], *,
                       show_state: bool = True) -> str | None:
        """Hand a change to the service (it follows the round and saves), then show it; the
        reason when it was refused (nothing changed). See ``OpenIntake.change``."""
        return self.show_change(self.intake.change(change), show_state=show_state)

    def show_change(self, outcome: Changed, *, show_state: bool = True) -> str | None:
        """Show what came of a change: with ``show_state`` the screen for where the session
        now stands, otherwise the screen that shows, refreshed. Returns why it was refused."""
        if outcome.settings_problem:
            self.notify(outcome.settings_problem, severity="error")
        if not outcome.done:
            return outcome.problem
        if outcome.round_followed:
            self.freeze_after_paint()
            self.notify(_("The intake now follows {round}, the round of the application date.",
                          round=outcome.round_followed))
        self.report_save(outcome.saved)
        if show_state:
            self.show_current()
        else:
            self._refresh_screen()
        return None

    def report_save(self, saved: Saved | None) -> bool:
        """Say how a save went: a failure once (the header says NOT SAVED until a later save
        succeeds), and where the answers went when another window had saved the intake."""
        self._show_sub_title()
        if saved is not None and saved.left is not None:
            self._report_left(saved.left)
        if saved is None or (saved.ok and not saved.again and saved.copied_from is None
                             and saved.merged_with is None):
            return True
        if saved.erased:  # closed by the service: nothing of it is saved
            self.show_erased()
            return False
        if saved.conflicts:  # after the screen change that follows the save
            self.call_later(self._ask_conflicts, list(saved.conflicts), {})
            return False
        if not saved.ok:
            if saved.failure:
                self.notify(
                    _("Could not save the intake in {folder}: {reason}. Your answers stay in "
                      "this window; export them to another folder or disk (command palette, "
                      "ctrl+p: Export; proposed: {export})",
                      folder=where_kept(self.storage), reason=saved.failure,
                      export=str(self.export_dir)),
                    severity="error", timeout=30)
            return False
        if saved.again:
            self.notify(_("The intake is saved again."))
        if saved.merged_with is not None:  # the open session is the merged one now
            self.notify(_("{who} saved this intake meanwhile, with other answers changed: "
                          "theirs and yours are both kept.", who=saved.merged_with),
                        timeout=10)
            self.call_later(self._show_merged)
        if saved.copied_from is not None:  # after the screen change that follows the save
            self.call_later(
                self.show_message, _("Changed in another window"),
                _("This intake ({id}) was also changed in another window since it was opened "
                  "here. So that neither window loses answers, the answers of this window are "
                  "now saved as a separate intake ({copy}); the start screen lists both.",
                  id=saved.copied_from, copy=self.intake_id or ""))
        return True

    def _report_left(self, left: LeftIntakeSaved) -> None:
        """Say where the last answers of an intake left for the open one went, when their
        save met a colleague's newer save or failed (on whatever screen shows now)."""
        names = {"title": left.title, "id": left.intake_id}
        if left.merged:
            self.notify(_("{who} saved the intake {title} ({id}) meanwhile, with other answers "
                          "changed: theirs and your last answers there are both kept in it.",
                          who=left.by or "", **names), timeout=15)
        elif left.copy_id is not None:  # after the screen change that follows the save
            self.call_later(
                self.show_message, _("Your last answers of another intake"),
                _("{who} saved the intake {title} ({id}) meanwhile, after you left it for "
                  "this one, and changed the same answers as your last answers there. So "
                  "that no answers are lost, your last answers of it are now saved as a "
                  "separate intake ({copy}); the start screen lists both.",
                  who=left.by or "", copy=left.copy_id, **names))
        elif left.erased:
            self.notify(_("The intake {title} ({id}) was erased in the team store after you "
                          "left it (the client's data); your last answers there were not "
                          "saved.", **names), severity="warning", timeout=15)
        elif left.failure is not None:
            self.notify(_("Your last answers in the intake {title} ({id}), which you left "
                          "for this one, could not be saved yet: {reason}. They are kept in "
                          "this window and saved with the next save that succeeds.",
                          reason=left.failure, **names), severity="error", timeout=30)
        elif left.again:
            self.notify(_("Your last answers in the intake {title} ({id}) are saved now.",
                          **names))

    def show_erased(self) -> None:
        """The service closed the open intake: the store erased it. The window shows the
        start screen and says why."""
        self.close_to_start()
        self.show_message(
            _("This intake was erased"),
            _("The team store erased this intake (the client's data, on the client's "
              "request or past the team's retention period). It is closed here; nothing "
              "of it is saved again."))

    def _ask_conflicts(self, conflicts: list[tuple[str, str]], choices: dict[str, str]) -> None:
        """Ask, one answer at a time, which value stays where a colleague changed the same
        answer; then save that (nothing was written meanwhile)."""
        from intake_assistant.stores.answer_merge import MINE, THEIRS
        from intake_assistant.tui.screens.modals import ConfirmScreen

        if not conflicts:
            outcome = self.intake.settle(choices)
            if self.report_save(outcome) and outcome.ok:
                self._show_merged()
            return
        (key, text), rest = conflicts[0], conflicts[1:]

        def chosen(mine: bool | None) -> None:
            self._ask_conflicts(rest, {**choices, key: MINE if mine else THEIRS})

        self.push_screen(ConfirmScreen(
            _("Changed here and by a colleague"),
            _("A colleague saved another value for this answer meanwhile. Which one stays?")
            + "\n\n" + text, _("Keep mine (+)"), _("Keep theirs (-)")), chosen)

    def _show_merged(self) -> None:
        """Show the merged session where it stands (the screens showed the one before)."""
        if self.session is not None:
            self._show(self.screen_for(self.session))

    def autosave(self) -> bool:
        """Save the open intake now (False when that failed, and said so)."""
        return self.report_save(self.intake.save())

    # -- saves written off the drawing thread (a team store across the network) ----------
    def save_off_thread(self) -> None:
        """A store across the network saves on the service's save line (the service decides):
        what came of each save comes back as a ``SaveFinished`` message."""
        self.intake.save_in_background(
            lambda take_in: self.post_message(SaveFinished(take_in)))

    def on_save_finished(self, message: SaveFinished) -> None:
        self.report_save(message.take_in())
        if not self.intake.saving and self.after_saves:
            waiting, self.after_saves = self.after_saves, []
            for then in waiting:
                then(not self.unsaved)

    def when_saved(self, then: Callable[[bool], None]) -> None:
        """Call ``then(saved)`` once the open intake is saved, or known not to be (said so):
        at once with the data folder; with the save line once its saves came back (a save
        that failed is tried once more first)."""
        if self.intake.saves_in_line:
            then(self.autosave())
            return
        if not self.intake.saving and self.unsaved:
            self.autosave()  # the save line tries once more
        if self.intake.saving:
            self.after_saves.append(then)
            self.notify(_("Saving the last answers to {store}; this goes on once they are "
                          "saved.", store=where_kept(self.storage)))
            return
        then(not self.unsaved)

    def show_opened(self, opened: Opened) -> None:
        """Show the intake the service just opened, and what it said about it."""
        self.report_save(opened.saved)
        self.freeze_after_paint()
        if opened.notice:
            self.notify(opened.notice)
        self.show_current()
        for title, text in opened.messages:  # after its first screen
            self.call_later(self.show_message, title, text)

    def show_new(self, opened: Opened) -> None:
        """A new intake (new or imported) opened: shown, then what the channel adds."""
        self.show_opened(opened)
        if self.look.new_intake_opened is not None:
            self.look.new_intake_opened(self)

    def show_problem(self, problem: IntakeProblem) -> None:
        if problem.title:
            self.show_message(problem.title, problem.text)
        if problem.list_changed:
            self.refresh_start()

    def _refresh_screen(self) -> None:
        """The screen that shows, as the session now is (in the language now chosen)."""
        screen = self.screen
        if isinstance(screen, LocalizedScreen) and screen.composed_language != get_language():
            self.call_next(screen.relocalize)
        elif isinstance(screen, IntakeScreen) and self.session is not None:
            self.call_next(screen.session_changed, self.session)


def where_kept(storage: Storage) -> str:
    """Where the intakes are kept, for a message: a team store names its team and advisor (its
    ``intakes_dir`` is this machine's folder, not where the save went)."""
    describe = getattr(storage, "describe", None)
    return describe() if describe is not None else str(storage.intakes_dir)

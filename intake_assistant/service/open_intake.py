"""One intake at a time, as every channel opens, changes, saves and exports it.

``OpenIntake`` is the one place an intake's lifecycle is decided: opening (new, resume,
import from a path or pasted text through one checked path), every change of the session
(it then follows the round of the application date and saves; a save that another window
overtook is merged with it, or keeps this window's answers as a copy; so is the last save of
an intake left for another while it waited on the save line), comparing, and the exports.
It shows nothing: every method returns what happened (or raises :class:`IntakeProblem` with
a title and a text in the user's language) and the driver decides how to show it.

A :class:`Channel` says what differs between the terminal and a browser tab: where intakes
are kept (a ``Storage``), who may answer as the advisor, and whether settings are written.

Light to import: the flow, the rules and pydantic are imported when an intake opens.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_assistant.i18n import _, ngettext, render
from intake_assistant.storage import (
    DamagedSaveError,
    HeaderList,
    IntakeMeta,
    NewerSaveError,
    SaveConflictError,
    SavedIntake,
    Settings,
    Storage,
    now_iso,
    write_new_file,
    write_problem,
)

if TYPE_CHECKING:
    from intake_assistant.flow.session import IntakeSession
    from intake_assistant.i18n import Message
    from intake_assistant.models import DraftApplication
    from intake_assistant.service.background_saves import SaveJob, SaveLine
    from intake_assistant.service.exports import FilesWritten, Output
    from intake_assistant.service.outcomes import (
        Changed,
        ColleagueChange,
        DraftSource,
        IntakeProblem,
        LeftIntakeSaved,
        Opened,
        PreparedImport,
        Saved,
    )
    from intake_assistant.stores.answer_merge import MergedAnswers
    from intake_assistant.stores.postgres_store import Change

MODES = ("entrepreneur", "advisor")


class Channel:
    """What differs between the channels an intake is driven through.

    A plain class, not a dataclass: it is made before the first screen, and a dataclass's
    generated methods cost milliseconds there (``service.outcomes`` is imported later).
    """

    __slots__ = ("advisor_allowed", "asks_on_conflict", "remembers_settings", "storage")

    def __init__(self, storage: Storage, *, advisor_allowed: bool = True,
                 remembers_settings: bool = True, asks_on_conflict: bool = True) -> None:
        #: Where intakes are kept (a served tab's storage hides others' intakes).
        self.storage = storage
        #: Who may answer as the advisor (a served visitor answers as the entrepreneur only).
        self.advisor_allowed = advisor_allowed
        #: The settings are written to the data folder (a served tab's stay in the tab).
        self.remembers_settings = remembers_settings
        #: Someone here can choose between their answer and a colleague's where both changed
        #: the same one (``Saved.conflicts``, then ``OpenIntake.settle``); where no one can
        #: (a web page's visitor has no colleague to choose with), this window's answers are
        #: kept whole as a copy under a new id (``Saved.copied_from``).
        self.asks_on_conflict = asks_on_conflict


class _LeftIntake:
    """An intake left for another while a save of it was still on the save line: what its
    last answers are (``state``, ``meta``) and what they were merged against (``base``: its
    state as last read or written here), until that save is known written. Should the save
    meet a colleague's newer one, they are merged or kept as a copy from this.

    A plain class, not a dataclass: ``service.open_intake`` is imported before the first
    screen."""

    __slots__ = ("base", "failure", "intake_id", "language", "meta", "newest_job", "state")

    def __init__(self, intake_id: str, state: dict[str, Any], meta: IntakeMeta,
                 base: dict[str, Any] | None, language: str, newest_job: int) -> None:
        self.intake_id = intake_id
        self.state = state
        self.meta = meta
        self.base = base
        self.language = language
        #: The number of the last save of it handed to the line.
        self.newest_job = newest_job
        #: Why its last answers could not be saved yet (None: not tried, or no failure).
        self.failure: str | None = None


class OpenIntake:
    """The intake open in one window or tab, and the intakes kept where its channel keeps them."""

    def __init__(self, channel: Channel, settings: Settings) -> None:
        self.channel = channel
        self.storage = channel.storage
        if settings.mode == "advisor" and not channel.advisor_allowed:
            settings = replace(settings, mode="entrepreneur")
        self.settings = settings
        self.session: IntakeSession | None = None
        self.intake_id: str | None = None
        #: The last save failed: the answers since then live only in this process.
        self.unsaved = False
        #: The open intake's state as last read or written here: what a colleague's newer
        #: save is merged against (``stores.answer_merge``).
        self._base: dict[str, Any] | None = None
        #: A merge waiting for the advisor's choice on answers changed on both sides.
        self._pending: MergedAnswers | None = None
        #: Saves written off the driver's thread (a store across the network), if chosen.
        self._line: SaveLine | None = None
        self._post: Callable[[Callable[[], Saved]], None] | None = None
        #: The last save handed to the line, and the last whose outcome was taken in.
        self._submitted = 0
        self._taken_in = 0
        #: The number of the last save handed to the line before the open intake was opened.
        self._opened_after_job = 0
        #: What the line said of each save, by its number, until taken in (on the driver's
        #: thread, or by ``finish_saves`` when the window closes first).
        self._arrived: dict[int, tuple[SaveJob, Exception | None]] = {}
        self._arrived_lock = threading.Lock()
        #: Notified as an outcome arrives (an intake opened again waits for its own).
        self._arrived_changed = threading.Condition(self._arrived_lock)
        #: Intakes left for another whose last answers are not known saved yet, by id.
        self._left: dict[str, _LeftIntake] = {}

    # -- settings --------------------------------------------------------------------------
    def remember(self, **changes: Any) -> str | None:
        """Change the settings (written where the channel remembers them); why writing them
        failed, or None."""
        self.settings = replace(self.settings, **changes)
        if not self.channel.remembers_settings:
            return None
        try:
            self.storage.save_settings(self.settings)
        except OSError as exc:
            return _("Could not save the settings: {error}", error=render(write_problem(exc)))
        return None

    @property
    def mode(self) -> str:
        return self.settings.mode

    # -- opening ---------------------------------------------------------------------------
    def new(self, language: str) -> Opened:
        from intake_assistant.flow.session import IntakeSession
        from intake_assistant.service.outcomes import Opened

        saved = self._take(IntakeSession.new(language), self.storage.new_id(), save=True)
        return Opened(saved=saved)

    def resume(self, intake_id: str, language: str, *, again: bool = False) -> Opened:
        """Open the saved intake ``intake_id``; ``IntakeProblem`` when it cannot be (a damaged
        save is set aside, never deleted; a newer version's is left as it is).

        ``again``: the same open continued, not a new one (a driver let the intake go while
        it was idle, saved, and reads it again for the same visitor): a store logs no new
        open of it, and its state is not kept once more as the one it had when opened."""
        from intake_assistant.flow.bounds import OutOfBounds
        from intake_assistant.flow.session import IntakeSession, NewerStateError
        from intake_assistant.service.outcomes import IntakeProblem, Opened, Saved
        from intake_assistant.storage import NewerSave

        told = self._settle_left(intake_id)
        if intake_id in self._left:  # its last answers are not in the store yet: not opened
            # from there (they would be lost), nor over it (a colleague's would be)
            raise IntakeProblem(_("The last answers are not saved yet"), _(
                "The team store has not taken the last answers of this intake yet (it could "
                "not be reached, or is still writing them). They stay in this window: open "
                "the intake again once they are saved."))
        saved = self.read_save(intake_id, again=again)
        try:
            session = IntakeSession.from_state_dict(saved.state)
        except NewerStateError:
            raise IntakeProblem(_("Saved by a newer version"),
                                render(NewerSave(saved.path, 0).message())) from None
        except OutOfBounds as exc:
            raise self._set_aside(saved, _problems_message(exc.problems)) from None
        except Exception as exc:  # a save the session cannot restore is damaged too
            raise self._set_aside(saved, _message_of(exc)) from None
        if session.language != language:
            session.set_language(language)
        try:  # the state as it was when opened again: one to compare with later
            if not again:
                self.storage.keep_state(intake_id, self.settings.kept_states)
        except OSError:
            pass  # comparing is a help; the intake opens without it
        self._take(session, intake_id, save=False)
        self._base = saved.state
        opened = Opened(saved=None if told is None else Saved(left=told))
        if session.left_out:
            opened.messages.append((
                _("Some saved answers were left out"),
                _("These answers in the save are not ones the questions accept; they were "
                  "left out, answer them again:") + "\n" + problems_lines(session.left_out)))
        return opened

    def read_save(self, intake_id: str, *, again: bool = False) -> SavedIntake:
        """The saved intake ``intake_id``; ``IntakeProblem`` when it cannot be read
        (``again``: see ``resume``; a store that logs its opens has ``load_again``)."""
        from intake_assistant.service.outcomes import IntakeProblem
        load = (getattr(self.storage, "load_again", None) if again else None) or self.storage.load
        try:
            return load(intake_id)
        except DamagedSaveError as exc:
            raise IntakeProblem(_("Damaged save file"), render(exc.damaged.message()),
                                list_changed=True) from None
        except NewerSaveError as exc:
            raise IntakeProblem(_("Saved by a newer version"),
                                render(exc.newer.message())) from None
        except FileNotFoundError:  # gone meanwhile: nothing to say, the list follows
            raise IntakeProblem("", "", list_changed=True) from None

    def _set_aside(self, saved: SavedIntake, reason: Message) -> IntakeProblem:
        from intake_assistant.service.outcomes import IntakeProblem
        damaged = self.storage.set_aside(saved.path, reason)
        return IntakeProblem(_("Damaged save file"), render(damaged.message()),
                             list_changed=True)

    def prepare_import(self, source: DraftSource, language: str) -> PreparedImport:
        """The one checked path of every import: the loader's size, depth and number limits,
        then the bounds of typed answers (lists longer than the questions allow refuse the
        whole draft; single answers outside the bounds are left out and named).
        ``IntakeProblem`` when nothing can be imported."""
        from intake_assistant.flow.bounds import OutOfBounds
        from intake_assistant.flow.session import IntakeSession
        from intake_assistant.i18n import translator
        from intake_assistant.loading import DraftFileError, load_draft_file, parse_draft_text
        from intake_assistant.service.outcomes import IntakeProblem, PreparedImport

        title = _("This draft cannot be imported")
        try:
            draft = (parse_draft_text(source.text, source.name) if source.text is not None
                     else load_draft_file(str(source.path)))
        except DraftFileError as exc:
            raise IntakeProblem(title, exc.render(translator(language))) from None
        except OSError as exc:
            raise IntakeProblem(title, _("{path} cannot be read: {error}", path=source.name,
                                         error=exc.strerror or str(exc))) from None
        try:
            session, left_out = IntakeSession.imported(draft, language)
        except OutOfBounds as exc:
            raise IntakeProblem(title, _("{path} holds more than this intake takes; nothing "
                                         "was imported:", path=source.name) + "\n"
                                + problems_lines(exc.problems)) from None
        return PreparedImport(source, session, left_out)

    def open_import(self, prepared: PreparedImport) -> Opened:
        """Open a prepared import as a new intake, saved at once."""
        from intake_assistant.service.outcomes import Opened
        source, session = prepared.source, prepared.session
        side_file = _take_provenance(session, source.path) if source.path is not None else ""
        intake_id = self.storage.new_id()
        log_with_save = getattr(self.storage, "log_with_save", None)
        if log_with_save is not None:  # a team store logs the import with its first save
            log_with_save("import", intake_id, {
                "from": "file" if source.path is not None
                else "upload" if source.label is not None else "pasted",
                "left_out": len(prepared.left_out)})
        saved = self._take(session, intake_id, save=True)
        name = source.path.name if source.path is not None else source.name
        notice = (_("Imported {path}", path=name) if source.path is not None
                  or source.label is not None
                  else _("The pasted draft was imported.")) + side_file
        opened = Opened(notice=notice, saved=saved)
        if prepared.left_out:
            opened.messages.append((
                _("Some answers were not imported"),
                _("These answers in {path} are outside what the questions accept; they were "
                  "not imported, answer them in the intake:", path=name) + "\n"
                + problems_lines(prepared.left_out)))
        return opened

    def import_draft(self, source: DraftSource, language: str) -> Opened:
        """Import a draft from a file or pasted text (``IntakeProblem`` when it cannot be)."""
        return self.open_import(self.prepare_import(source, language))

    def _take(self, session: IntakeSession, intake_id: str, *, save: bool) -> Saved | None:
        """``session`` is the open intake now, saved as ``intake_id``."""
        if self.intake_id is not None and self.intake_id != intake_id:
            self._keep_left(self.intake_id)
            self._let_go(self.intake_id, drop_waiting=False)  # its waiting saves written
        self._left.pop(intake_id, None)  # open again: its own saves say how they went
        session.set_mode(self.settings.mode)  # who is at the keyboard now
        # a team store knows the advisor by name: the answers given at their terminal name
        # them (a served visitor answers alone: no advisor is with them)
        session.person = (getattr(getattr(self.storage, "advisor", None), "name", None)
                          if self.channel.advisor_allowed else None)
        if intake_id != self.intake_id:
            self._base = None
            self._opened_after_job = self._submitted
        self.session = session
        self.intake_id = intake_id
        self.unsaved = False
        return self.save() if save else None

    def _keep_left(self, intake_id: str) -> None:
        """The open intake is left for another: while a save of it is still on the line, its
        last answers and the base to merge them with are kept (see ``_LeftIntake``)."""
        session = self.session
        if (session is None or self._line is None or self._submitted <= self._opened_after_job
                or self._taken_in >= self._submitted):
            return  # nothing of it on the line: written, or its outcome taken in
        self._left[intake_id] = _LeftIntake(intake_id, session.to_state_dict(), self.meta(),
                                            self._base, session.language, self._submitted)

    def close(self) -> None:
        """No intake is open any more (call after a save, or when the answers may go): a
        save of it still waiting on the save line is never written."""
        if self.intake_id is not None:
            self._let_go(self.intake_id)
        self.session = None
        self.intake_id = None
        self.unsaved = False
        self._base = None
        self._pending = None

    def _let_go(self, intake_id: str, *, drop_waiting: bool = True) -> None:
        """Nothing more of ``intake_id`` is written from here (``drop_waiting``: a save of it
        waiting on the line is dropped; else it is written, the intake left for another),
        and the store forgets it once no save of it is being written or waits (a store that
        forgot an intake writes its next save as a new intake's: a save of an erased intake
        would write the client's data back; a waiting save would be refused)."""
        line = self._line
        if line is None:
            self.storage.forget(intake_id)
            return
        storage = self.storage
        (line.discard if drop_waiting else line.when_written)(
            intake_id, lambda: storage.forget(intake_id))
        if drop_waiting:
            self._taken_in = self._submitted  # a dropped save never comes back

    # -- a colleague's change ------------------------------------------------------------------
    def take_in_change(self, change: Change) -> ColleagueChange:
        """What a colleague's change of an intake (a team store's notice, ``changed_since``)
        means for the open one; an erased intake is closed here (see ``ChangeMeaning``)."""
        from intake_assistant.service.outcomes import ColleagueChange

        if self.intake_id is None or change.intake_id != self.intake_id:
            return ColleagueChange("elsewhere")
        if change.erased:  # the client's right: nothing of it stays or is saved again
            self.close()
            return ColleagueChange("erased")
        if change.revision is None:
            return ColleagueChange("deleted")
        meaning = ("changed" if self.answers_differ(change.answers, change.provenance)
                   else "moved")
        return ColleagueChange(meaning, change.by, change.at)

    def _closed_if_erased(self, change: Change | None) -> Saved | None:
        """The store erased the open intake (``change`` says so): it is closed and nothing of
        it is saved, not even as a copy; None when it was not erased."""
        if change is None or not change.erased:
            return None
        from intake_assistant.service.outcomes import Saved

        self.close()
        return Saved(ok=False, erased=True)

    # -- changes -----------------------------------------------------------------------------
    def change(self, change: Callable[[IntakeSession], object]) -> Changed:
        """Change the session, follow the round of its application date and save it at once:
        the one path of every change.

        ``change`` returns False when there was nothing to change (then nothing is saved);
        it raises ``Refused`` or ``ValueError`` (worded for the user) or
        ``IndexError``/``KeyError`` (a row that is gone) when the change is not possible:
        that reason is the outcome's ``problem`` and nothing is saved.
        """
        from intake_assistant.service.outcomes import Changed, Refused
        session = self.session
        if session is None:
            return Changed()
        try:
            if change(session) is False:
                return Changed()
        except (Refused, ValueError) as exc:
            return Changed(problem=str(exc) or _("This change is not possible."))
        except (IndexError, KeyError):  # a row that is gone: nothing a user can read in it
            return Changed(problem=_("This change is not possible."))
        outcome = Changed(done=True, round_followed=self._follow_round())
        outcome.saved = self.save()
        return outcome

    def _follow_round(self) -> str | None:
        """Once the application date is answered, the intake runs under that date's round;
        the round's label when it changed."""
        from intake_assistant.flow.session import session_for_round

        assert self.session is not None
        followed = session_for_round(self.session)
        if followed is self.session:
            return None
        self.session = followed
        from intake_assistant.rules.rounds import round_label

        return render(round_label(followed.ruleset))

    def answer(self, value: Any, key: str | None = None) -> Changed:
        """Answer the current question (``key``: the question it was typed for; when that is
        no longer the current one, nothing happens) and go on to the next."""
        from intake_assistant.service.outcomes import Changed
        session = self.session
        if session is None or (key is not None and session.state != key):
            return Changed()  # typed ahead: the question it answered is no longer current
        return self.change(lambda s: _answer_and_next(s, value))

    def answer_form(self, answers: dict[str, Any], *, go_on: bool,
                    then: str | None) -> Changed:
        """A form's fields answered, each on its own: see :func:`_answer_form`. The outcome's
        ``refused`` names each refused field; the accepted ones are saved."""
        refused: dict[str, str] = {}
        outcome = self.change(lambda s: _answer_form(s, answers, go_on, then, refused))
        outcome.refused = refused
        return outcome

    def back(self) -> Changed:
        return self.change(lambda s: s.back(by_screen=True))

    def go_to(self, key: str) -> Changed:
        return self.change(lambda s: s.go_to(key))

    def open_screen(self, key: str, *, from_review: bool = False) -> Changed:
        """Open the screen of ``key`` (a question, the review or the summary), as a page's
        address asks: see ``IntakeSession.open_screen``. Where the intake stands is saved;
        nothing is when it did not move."""
        return self.change(lambda s: s.open_screen(key, from_review=from_review))

    def show_outcome(self) -> Changed:
        """The pre-check's outcome: on to the summary by way of the review, saved."""
        from intake_assistant.flow.states import SUMMARY

        return self.open_screen(SUMMARY)

    def current_row(self) -> tuple[int, ...] | None:
        """The indices of the row (participant, cost line) the current question is of; None
        in the review and the summary."""
        from intake_assistant.flow.plan import parse_key
        from intake_assistant.flow.states import REVIEW, SUMMARY

        session = self.session
        if session is None or session.state in (REVIEW, SUMMARY):
            return None
        return parse_key(str(session.state))[1]

    def set_language(self, language: str) -> Changed:
        """The intake's texts and the draft's language follow ``language`` (remembered)."""
        from intake_assistant.service.outcomes import Changed
        problem = self.remember(language=language)
        outcome = (self.change(lambda s: s.set_language(language)) if self.session is not None
                   else Changed())
        outcome.settings_problem = problem
        return outcome

    def read_in(self, language: str) -> None:
        """The intake's texts in ``language`` for whoever reads it now (a page opened in
        another language than the intake's), nothing written: reading changes no save. The
        draft's language follows (where the session lets it follow) with the next change,
        which is saved."""
        if self.session is not None and self.session.language != language:
            self.session.set_language(language)

    def set_mode(self, mode: str) -> Changed:
        """Who answers from now on (remembered, and recorded with every answer); the
        outcome's ``problem`` says why not."""
        from intake_assistant.service.outcomes import Changed
        if mode not in MODES:
            return Changed(problem=_("This change is not possible."))
        if mode == "advisor" and not self.channel.advisor_allowed:
            return Changed(problem=_("Answers are recorded as the advisor's only through the "
                                     "advisor's link."))
        problem = self.remember(mode=mode)
        outcome = (self.change(lambda s: s.set_mode(mode))
                   if self.session is not None and self.session.mode != mode else Changed())
        outcome.settings_problem = problem
        return outcome

    def set_note(self, key: str, text: str) -> Changed:
        return self.change(lambda s: s.set_note(key, text))

    # -- saving ------------------------------------------------------------------------------
    def meta(self) -> IntakeMeta:
        assert self.session is not None
        return _meta_of(self.session)

    # -- saving off the driver's thread ------------------------------------------------------
    def save_in_background(self, post: Callable[[Callable[[], Saved]], None]) -> None:
        """When the store is across the network, from now on saves are written on a thread
        of their own (``SaveLine``): a change returns at once with ``Saved(pending=True)``;
        what came of the save is handed to ``post`` as a function the driver calls on its
        own thread, which returns the ``Saved`` to show (the service's state changes there
        only). The data folder saves in-line: a few ms, no thread hop."""
        from intake_assistant.service.background_saves import SaveLine

        if self._line is None and getattr(self.storage, "across_network", False):
            self._post = post
            self._line = SaveLine(self.storage, self._line_finished)

    @property
    def saves_in_line(self) -> bool:
        """Saves are written at once, on the caller's thread (the data folder's)."""
        return self._line is None

    @property
    def left_unsaved(self) -> bool:
        """The last answers of an intake left for the open one could not be saved yet: they
        live only in this process (saved with the next save that succeeds)."""
        return any(left.failure is not None for left in self._left.values())

    @property
    def saving(self) -> bool:
        """A save was handed to the line and what came of it is not taken in yet."""
        return self._taken_in < self._submitted

    def finish_saves(self, timeout: float = 10.0) -> bool:
        """The window closes: write what waits (at most ``timeout`` seconds), end the line,
        and save in-line whatever its saves did not write (a failure, a conflict): the open
        intake's answers, and the last answers of intakes left for it (merged with a
        colleague's newer save, or kept as a copy). False when answers could not be saved."""
        line, self._line = self._line, None
        kept = True
        if line is not None:
            if not line.close(timeout):
                self.unsaved = True  # still writing (a lock, a slow link): not known saved
                return False
            with self._arrived_lock:  # outcomes not taken in: the window closes first
                arrived = [self._arrived[number] for number in sorted(self._arrived)]
                self._arrived.clear()
            for job, error in arrived:
                if job.intake_id == self.intake_id:
                    self.unsaved = self.unsaved or error is not None
                else:
                    left = self._left_save_finished(job, error).left
                    kept = kept and (left is None or left.failure is None)
            self._taken_in = self._submitted
        for left_id in list(self._left):  # saves that failed: once more, in-line
            said = self._save_left(self._left.pop(left_id))
            kept = kept and said.failure is None
        return (not self.unsaved or self.save().ok) and kept

    def _line_finished(self, job: SaveJob, error: Exception | None) -> None:
        """On the line's thread: hand the outcome to the driver's thread."""
        with self._arrived_changed:
            self._arrived[job.number] = (job, error)
            self._arrived_changed.notify_all()
        post = self._post
        if post is not None:
            post(lambda: self._take_in(job, error))

    def _take_in(self, job: SaveJob, error: Exception | None) -> Saved:
        """On the driver's thread: what came of a save written by the line."""
        from intake_assistant.service.outcomes import Saved

        with self._arrived_lock:
            if self._arrived.pop(job.number, None) is None:
                return Saved()  # taken in already, as the window closed (``finish_saves``)
        self._taken_in = max(self._taken_in, job.number)
        if job.intake_id != self.intake_id:  # another intake is open by now
            return self._left_save_finished(job, error)
        if isinstance(error, SaveConflictError):
            # a colleague saved meanwhile: merge (or copy) here, with the newest answers
            line = self._line
            self._line = None  # this one save in-line: the merge reads and writes at once
            try:
                saved = self.save()
            finally:
                self._line = line
                if line is not None:
                    line.resume()
                self._taken_in = self._submitted  # the in-line save wrote the newest state
            return saved
        if error is not None:
            was_unsaved = self.unsaved
            self.unsaved = True
            return Saved(ok=False, failure=None if was_unsaved else _save_problem(error))
        self._base = job.state
        if self.saving:
            return Saved(pending=True)  # a newer one is on its way: its outcome counts
        again = self.unsaved
        self.unsaved = False
        return Saved(again=again, left=self._save_left_failed())

    # -- the last answers of an intake left for another -----------------------------------------
    def _left_save_finished(self, job: SaveJob, error: Exception | None) -> Saved:
        """What came of a save of an intake no longer open (another is open by now, or
        none). Its last answers are never lost without a word: where that save met a
        colleague's newer one, they are merged with it or kept as a copy, and where it
        failed they are kept here to be saved again (``Saved.left`` says which)."""
        from intake_assistant.service.outcomes import Saved

        left = self._left.get(job.intake_id)
        if isinstance(error, SaveConflictError) and self._line is not None:
            # merged here, not on the line: the line holds nothing more of it (a later save
            # of it would only conflict again; ``left`` holds its newest answers)
            self._line.discard(job.intake_id, _nothing)
        if left is None:  # closed (its answers may go: saved, or erased) or not left waiting
            if error is None or isinstance(error, SaveConflictError):
                return Saved()
            return Saved(ok=False, failure=_save_problem(error))
        if error is None:
            left.base = job.state  # what the store holds now: a later merge's base
            if job.number >= left.newest_job:
                del self._left[job.intake_id]  # its last answers are written
            return Saved()
        if isinstance(error, SaveConflictError):
            del self._left[job.intake_id]
            # its newer saves were dropped from the line (``left`` holds their answers):
            # they never come back
            self._taken_in = max(self._taken_in, left.newest_job)
            return Saved(left=self._save_left(left))
        if job.number < left.newest_job:
            return Saved()  # a newer save of it is on its way: its outcome counts
        # the store cannot be reached (as it told the line): kept here until a save succeeds
        from intake_assistant.service.outcomes import LeftIntakeSaved

        left.failure = _save_problem(error)
        return Saved(left=LeftIntakeSaved(left.intake_id, left.meta.title or _("(untitled)"),
                                          failure=left.failure))

    def _settle_left(self, intake_id: str, timeout: float = 10.0) -> LeftIntakeSaved | None:
        """``intake_id`` is opened again while a save of its last answers (it was left for
        another) is still on the line: wait for that save (at most ``timeout`` seconds) and
        take in what came of it here, as ever (merged with a colleague's newer save, or kept
        as a copy), so that the intake opens with its last answers. What is said of them
        (None: nothing). Where they are not saved by then, they stay in ``_left``."""
        left = self._left.get(intake_id)
        if left is None:
            return None
        told = None
        deadline = time.monotonic() + timeout
        while (self._left.get(intake_id) is left and left.failure is None
               and self._line is not None):
            with self._arrived_changed:
                if not self._arrived_changed.wait_for(
                        lambda: any(job.intake_id == intake_id
                                    for job, _ in self._arrived.values()),
                        max(0.0, deadline - time.monotonic())):
                    break  # still being written (a lock, a slow link)
                outcomes = [self._arrived.pop(number) for number in sorted(self._arrived)
                            if self._arrived[number][0].intake_id == intake_id]
            for job, error in outcomes:  # their posted outcomes find nothing left to do
                self._taken_in = max(self._taken_in, job.number)
                told = self._left_save_finished(job, error).left or told
        if self._left.get(intake_id) is left and left.failure is not None:
            # its save failed (the store could not be reached): tried once more, in-line,
            # as opening it reads the store anyway; kept again where it fails again
            told = self._save_left(self._left.pop(intake_id))
        return told

    def _save_left_failed(self) -> LeftIntakeSaved | None:
        """Once a save succeeds again: the last answers of a left intake whose save failed
        are saved now (in-line, as a conflict's merge is), the first of them if any."""
        failed = next((left for left in self._left.values() if left.failure is not None),
                      None)
        if failed is None:
            return None
        del self._left[failed.intake_id]
        return self._save_left(failed)

    def _save_left(self, left: _LeftIntake) -> LeftIntakeSaved:
        """Save the last answers of a left intake in-line: over the stored intake, merged
        with a colleague's newer save there where no answer was changed on both sides (the
        same three-way merge as the open intake's, against the state last read or written
        here); else as a separate intake (``copy_id``), the colleague's save left as it is.
        Nothing when the store erased the intake (the client's data). Where the store
        cannot be reached, ``left`` is kept to be saved again (``failure``)."""
        from intake_assistant.flow.session import IntakeSession
        from intake_assistant.service.outcomes import LeftIntakeSaved
        from intake_assistant.stores.answer_merge import merge_answers

        storage, intake_id = self.storage, left.intake_id
        title = left.meta.title or _("(untitled)")
        changed_since = getattr(storage, "changed_since", None)
        try:
            change = changed_since(intake_id) if changed_since is not None else None
        except OSError:  # the store cannot say: not erased as known
            change = None
        if change is not None and change.erased:  # the client's right: nothing saved again
            storage.forget(intake_id)
            return LeftIntakeSaved(intake_id, title, erased=True)
        by = (change.by if change is not None and change.by else None) or _("another window")
        again = left.failure is not None  # the advisor was told it failed
        state, base, merged_any = left.state, left.base, False
        try:
            for _attempt in range(self.MERGE_ATTEMPTS):
                try:
                    newer = storage.load(intake_id)
                except (FileNotFoundError, DamagedSaveError, NewerSaveError):
                    break  # gone or unreadable: the copy
                if base is None:
                    break  # nothing known to merge against: the copy
                merged = merge_answers(base, state, newer.state)
                if merged.conflicts:
                    break  # the same answer changed on both sides: no one chose: the copy
                merged_any = merged_any or _answers_differ(base, newer.state.get("answers"),
                                                           newer.state.get("provenance"))
                try:
                    session = IntakeSession.from_state_dict(merged.state)
                except Exception:  # a merge the session refuses: the copy instead
                    break
                session.set_language(left.language)
                state, base = session.to_state_dict(), newer.state
                try:
                    storage.save(intake_id, state, _meta_of(session))
                except SaveConflictError:
                    continue  # saved again meanwhile: merged again
                storage.forget(intake_id)
                return LeftIntakeSaved(intake_id, title, by=by if merged_any else None,
                                       merged=merged_any, again=again)
            storage.forget(intake_id)
            copy_id = storage.new_id()
            storage.save(copy_id, left.state, left.meta)
            storage.forget(copy_id)
        except SaveConflictError as exc:  # cannot be: a new id; said as a failure, kept
            left.failure = _save_problem(OSError(str(exc)))
        except OSError as exc:  # the store cannot be reached: kept here, saved again later
            left.failure = _save_problem(exc)
        else:
            return LeftIntakeSaved(intake_id, title, by=by, copy_id=copy_id, again=again)
        self._left[intake_id] = left
        return LeftIntakeSaved(intake_id, title, failure=left.failure)

    def save(self) -> Saved:
        """Save the open intake at once (temporary file + rename), or hand the save to the
        line (``save_in_background``).

        Another window's newer save of the same intake is never overwritten: this window's
        answers become a separate intake (``copied_from``).
        """
        from intake_assistant.service.outcomes import Saved
        if self.session is None or self.intake_id is None:
            return Saved()
        if self._line is not None and self._pending is None:
            from intake_assistant.service.background_saves import SaveJob

            self._submitted += 1
            self._line.submit(SaveJob(self._submitted, self.intake_id,
                                      self.session.to_state_dict(), self.meta()))
            return Saved(pending=True)
        state = self.session.to_state_dict()
        try:
            self.storage.save(self.intake_id, state, self.meta())
        except SaveConflictError:
            merged = self._merge_with_newer(state)
            if merged is not None:
                return merged
            return self.keep_as_copy()
        except OSError as exc:
            was_unsaved = self.unsaved
            self.unsaved = True
            return Saved(ok=False, failure=None if was_unsaved else _save_problem(exc))
        again = self.unsaved
        self.unsaved = False
        self._base = state
        return Saved(again=again)

    #: A merged save overtaken again is merged again, this often at most (then: a copy).
    MERGE_ATTEMPTS = 5

    def _merge_with_newer(self, state: dict[str, Any], attempt: int = 0) -> Saved | None:
        """Another window or colleague saved the intake since it was read here: take their
        answers and this window's changes to other questions together and save that (the open
        session becomes the merged one). None when that cannot be: no state read here to
        merge against, the newer save is gone or unreadable, or the same answer was changed
        on both sides (then the answers here become a copy, as before). When the store
        erased the intake, it is closed instead: ``Saved(erased=True)``, nothing written."""
        from intake_assistant.flow.session import IntakeSession
        from intake_assistant.service.outcomes import Saved
        from intake_assistant.stores.answer_merge import merge_answers

        if self.session is None or self.intake_id is None:
            return None
        changed_since = getattr(self.storage, "changed_since", None)
        try:
            change = changed_since(self.intake_id) if changed_since is not None else None
        except OSError:  # the store cannot say (StoreUnavailableError): not erased as known
            change = None
        erased = self._closed_if_erased(change)
        if erased is not None:
            return erased
        if self._base is None or attempt >= self.MERGE_ATTEMPTS:
            return None
        try:
            newer = self.storage.load(self.intake_id)
        except (FileNotFoundError, DamagedSaveError, NewerSaveError, OSError):
            return None
        colleague_answered = self.answers_differ(newer.state.get("answers"),
                                                 newer.state.get("provenance"))
        # where the newer save changed no answer (a colleague moved to another question),
        # this window's state goes over it as it is: nothing to merge or to say
        if colleague_answered:
            merged = merge_answers(self._base, state, newer.state)
            if merged.conflicts and not self.channel.asks_on_conflict:
                return None  # no one here to choose (the channel): the answers as a copy
            if merged.conflicts:  # nothing written until the advisor chooses (settle)
                self._pending = merged
                self._base = newer.state
                self.unsaved = True
                return Saved(ok=False, conflicts=self.conflict_texts())
            try:
                session = IntakeSession.from_state_dict(merged.state)
            except Exception:  # a merge the session refuses: the copy instead
                return None
            session.set_language(self.session.language)
            self._take(session, self.intake_id, save=False)
            state = session.to_state_dict()
        self._base = newer.state
        try:
            self.storage.save(self.intake_id, state, self.meta())
        except SaveConflictError:
            return self._merge_with_newer(state, attempt + 1)
        except OSError as exc:
            self.unsaved = True
            return Saved(ok=False, failure=_save_problem(exc))
        self._base = state
        again, self.unsaved = self.unsaved, False
        if not colleague_answered:
            return Saved(again=again)
        who = change.by if change is not None and change.by else None
        return Saved(merged_with=who or _("another window"))

    def answers_differ(self, answers: Any, provenance: Any) -> bool:
        """A save of the open intake holds other answers (or who gave them) than this window
        last read or wrote: a colleague changed something to take in (True when unknown)."""
        return _answers_differ(self._base, answers, provenance)

    def conflict_texts(self) -> tuple[tuple[str, str], ...]:
        """Each answer waiting for a choice: (key, the question and both values like
        ``diff``: ``-`` the colleague's with who and when, ``+`` this window's)."""
        from intake_assistant.flow import answer_provenance as prov
        from intake_assistant.i18n import translator
        from intake_assistant.stores.answer_merge import conflict_lines

        if self._pending is None or self.session is None:
            return ()
        session, language = self.session, self.session.language
        tr = translator(language)

        def shown(value: Any) -> str:
            if isinstance(value, bool):
                return tr("yes") if value else tr("no")
            if isinstance(value, list):
                return ", ".join(str(item) for item in value)
            return str(value)

        def who(record: dict[str, Any] | None) -> str:
            parsed = prov.parse_record(record)
            return prov.describe(parsed, language) if parsed else tr("who and when not "
                                                                     "recorded")

        texts = []
        for conflict in self._pending.conflicts:
            view = session.view(conflict.key)
            label = (f"{view.label} ({view.instance_label})" if view is not None
                     and view.instance_label else view.label if view is not None
                     else conflict.key)
            texts.append((conflict.key, "\n".join(conflict_lines(conflict, label, shown, who,
                                                                 tr))))
        return tuple(texts)

    def settle(self, choices: dict[str, str]) -> Saved:
        """Save the merge the advisor chose on (``answer_merge.MINE`` or ``THEIRS`` per key;
        an answer not chosen keeps the colleague's)."""
        from intake_assistant.flow.session import IntakeSession
        from intake_assistant.service.outcomes import Saved
        from intake_assistant.stores.answer_merge import resolved

        pending, self._pending = self._pending, None
        if pending is None or self.session is None or self.intake_id is None:
            return Saved()
        try:
            session = IntakeSession.from_state_dict(resolved(pending, choices))
        except Exception:  # a merge the session refuses: this window's answers as a copy
            return self.keep_as_copy()
        session.set_language(self.session.language)
        self._take(session, self.intake_id, save=False)
        self.unsaved = True  # until this save
        return self.save()

    def keep_as_copy(self) -> Saved:
        """Leave a merge waiting for a choice undecided: this window's answers are saved
        whole as a separate intake (``copied_from``), the other save is left as it is (what
        a save does itself on a channel with no one to choose: ``asks_on_conflict``)."""
        self._pending = None
        if self.session is None or self.intake_id is None:
            from intake_assistant.service.outcomes import Saved
            return Saved()
        other = self.intake_id
        self._take(self.session, self.storage.new_id(), save=False)
        saved = self.save()
        return replace(saved, copied_from=other) if saved.ok else saved

    # -- the intakes kept -------------------------------------------------------------------
    def saved_intakes(self, *, set_aside: bool = True) -> HeaderList:
        """The saved intakes this channel lists (a served client: none), newest first;
        ``set_aside=False`` changes no save (a damaged one is only named)."""
        return self.storage.list_headers(set_aside=set_aside)

    # -- comparing ---------------------------------------------------------------------------
    def saved_draft(self, intake_id: str) -> tuple[str, DraftApplication]:
        """(title, draft) of the saved intake ``intake_id`` (``IntakeProblem``)."""
        try:
            saved = self.read_save(intake_id)
        finally:
            if self.intake_id != intake_id:
                self.storage.forget(intake_id)  # read to compare, not opened here
        return saved.meta.title or _("(untitled)"), self.draft_of_state(saved)

    def earlier_states(self, intake_id: str) -> list[SavedIntake]:
        return self.storage.earlier_states(intake_id)

    @staticmethod
    def draft_of_state(saved: SavedIntake) -> DraftApplication:
        """The draft of a saved state (``IntakeProblem`` when it cannot be restored)."""
        from intake_assistant.flow.session import IntakeSession
        from intake_assistant.service.outcomes import IntakeProblem

        try:
            return IntakeSession.from_state_dict(saved.state).draft
        except Exception as exc:  # bounds, a newer format, damage: none of it a traceback
            raise IntakeProblem(_("This state cannot be compared"),
                                _("{name}: {reason}", name=saved.path.name,
                                  reason=render(_message_of(exc)))) from None

    @staticmethod
    def draft_of_file(path: Path, language: str) -> DraftApplication:
        """An exported draft to compare with, under the import's size, depth and number
        limits (``IntakeProblem``)."""
        from intake_assistant.i18n import translator
        from intake_assistant.loading import DraftFileError, load_draft_file
        from intake_assistant.service.outcomes import IntakeProblem

        title = _("This draft cannot be compared")
        try:
            return load_draft_file(str(path))
        except DraftFileError as exc:
            raise IntakeProblem(title, exc.render(translator(language))) from None
        except OSError as exc:
            raise IntakeProblem(title, _("{path} cannot be read: {error}", path=str(path),
                                         error=exc.strerror or str(exc))) from None

    # -- exports -----------------------------------------------------------------------------
    def export(self, kind: str, language: str) -> Output:
        """One export of the open intake (a kind of ``reports.KINDS``)."""
        from intake_assistant.service.exports import make_output

        assert self.session is not None
        made = make_output(self.session, kind, language)
        self.log_access("export", {"kind": kind})
        return made

    def export_files(self, targets: list[tuple[str, Path]], language: str, *,
                     overwrite: bool = False) -> FilesWritten:
        """Write exports of the open intake to files: each (kind of ``reports.KINDS``, a
        text kind, and path) in order, never through a link or onto a folder, a file that
        exists only with ``overwrite``. It stops at the first file that cannot be written
        (those before stay); the outcome names the files written and why the rest was not,
        in ``language``. What was written is one line in a team store's access log.

        Safe off the driver's thread (a slow disk or store): it reads the session only."""
        from intake_assistant.i18n import language_on_this_thread
        from intake_assistant.service.exports import FilesWritten, make_output

        session = self.session
        if session is None:  # closed meanwhile (an erasure): nothing of it is written
            return FilesWritten([])
        with language_on_this_thread(language):
            made = [(make_output(session, kind, language), path) for kind, path in targets]
            written: list[Path] = []
            problem: str | None = None
            try:
                for output, path in made:
                    written.append(write_new_file(path, output.data.decode("utf-8"),
                                                  overwrite=overwrite))
            except OSError as exc:  # full, read-only, a link or a folder: the old file stays
                failed = exc.filename or str(made[len(written)][1])
                problem = _("Could not write {path}: {error}", path=str(failed),
                            error=render(write_problem(exc)))
                if not written:
                    problem = _("Nothing was written. {problem}", problem=problem)
        if written:
            self.log_access("export", {"kinds": [kind for kind, _path in
                                                 targets[:len(written)]],
                                       "files": len(written)})
        return FilesWritten(written, problem)

    def log_access(self, action: str, detail: dict[str, Any]) -> None:
        """A line in the team store's access log for the open intake (the data folder keeps
        none). A line that cannot be written does not stop the export it records: exporting
        is what a user is told to do when the store cannot be reached."""
        log = getattr(self.storage, "log", None)
        if log is None or self.intake_id is None:
            return
        try:
            log(action, self.intake_id, detail)
        except OSError:  # the store's errors (StoreUnavailableError) are OSErrors
            pass


def _nothing() -> None:
    """Nothing more to do once an intake's saves are written."""


def _answers_differ(base: dict[str, Any] | None, answers: Any, provenance: Any) -> bool:
    """A save holds other answers (or who gave them) than ``base`` (True when unknown)."""
    from intake_assistant.stores.answer_merge import same_as_saved

    if base is None or answers is None:
        return True
    return not (same_as_saved(answers, base.get("answers"))
                and same_as_saved(provenance, base.get("provenance")))


def _meta_of(session: IntakeSession) -> IntakeMeta:
    """The list entry of a session's save."""
    draft = session.draft
    title = (draft.project.title if draft.project else None) or ""
    names = tuple(p.name for p in (draft.participants or []) if p.name)
    return IntakeMeta(
        title=title,
        participants=names,
        updated=now_iso(),
        verdict=str(session.report.verdict),
        language=session.language,
        state=str(session.state),
    )


def _answer_and_next(session: IntakeSession, value: Any) -> None:
    from intake_assistant.service.outcomes import Refused
    result = session.answer(value)
    if not result.accepted:
        raise Refused(result.message or _("This answer is not accepted."))
    session.next(by_screen=True)


def _answer_form(session: IntakeSession, answers: dict[str, Any], go_on: bool,
                 then: str | None, refused: dict[str, str]) -> bool:
    """A form's fields answered, each on its own; on to the next screen (``go_on``) or to
    the field ``then`` when all are accepted, else to the first refused field (``refused``
    gets each one's reason). Nothing accepted and nothing to move: no change."""
    from intake_assistant.service.outcomes import Refused
    results = session.answer_page(answers)
    for key, result in results.items():
        if not result.accepted:
            refused[key] = result.message or _("This answer is not accepted.")
    if refused:
        # on to the first refused field, unless the current one is refused too (the others
        # may have been answered as they were left)
        first = next(iter(refused))
        moved = session.state not in refused and session.go_to(first)
        if len(refused) == len(results) and not moved:
            raise Refused(refused[first])  # nothing changed: nothing to save
        return True
    # a change chosen in the review goes back to it (as next() does: unless the next field
    # is still open, as in a row just added)
    if go_on or (session.returns_to_review and then is not None
                 and session.value(then) is not None):
        return session.next(by_screen=True) or bool(results)
    if then is not None and then != session.state:
        return session.go_to(then) or bool(results)
    return bool(results)


def _take_provenance(session: IntakeSession, path: Path) -> str:
    """Who gave the answers, from the export's side file beside the draft, if there is one;
    without it every answer is marked imported. Returns a line for the notice."""
    from intake_assistant.loading import DraftFileError, parse_json_text, read_text
    from intake_assistant.reports import provenance_path

    side = provenance_path(path)
    if not side.is_file():
        return ""
    try:
        count = session.take_provenance(parse_json_text(read_text(str(side)), str(side)))
    except (DraftFileError, ValueError):
        return "\n" + _("{path} is not a provenance file; the answers are marked imported.",
                        path=side.name)
    return "\n" + ngettext("Who gave the answers, and when: from {path} ({count} answer).",
                           "Who gave the answers, and when: from {path} ({count} answers).",
                           count, path=side.name, count=str(count))


def _save_problem(error: Exception) -> str:
    """Why a save failed, in the user's words: a store's own reason (it cannot be reached, it
    refused the work), else what the file system said."""
    problem = getattr(error, "problem", None)  # StoreUnavailableError
    if problem is not None:
        return render(problem)
    return render(write_problem(error if isinstance(error, OSError) else OSError(str(error))))


def problems_lines(problems: list[tuple[str, Message]]) -> str:
    """One line per (path, why): ``participants[0].staff_units: must be at most 1000000``."""
    lines = [f"• {path}: {render(what)}" for path, what in problems[:20]]
    if len(problems) > 20:
        lines.append(_("and {count} more", count=str(len(problems) - 20)))
    return "\n".join(lines)


def _problems_message(problems: list[tuple[str, Message]]) -> Message:
    from intake_assistant.i18n import Message

    return Message("outside the limits of the questions: {problems}", problems="; ".join(
        f"{path}: {render(what)}" for path, what in problems[:5]))


def _message_of(exc: Exception) -> Message:
    from intake_assistant.i18n import Message

    # A known reason is a message id of the flow catalog and is translated; others stay as said.
    return Message("the session cannot be restored: {detail}", detail=Message(str(exc)))

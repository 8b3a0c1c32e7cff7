"""The intakes one web server holds open: many sessions in one process, each saved at once.

A thin adapter over the flow's ``IntakeSession`` and the ``Storage`` of the data folder (the
one intake service, issue 24, takes its place once it lands): open a new intake under a new
resume code, resume one by its code, and change one through :meth:`WebIntakes.change`, the
one path of every change: the change, the round of the application date followed, the save;
on a save conflict (the served terminal changed the same intake meanwhile) the answers are
kept as a copy under a new code, which the visitor is shown.

Bounded: at most ``max_open`` intakes in memory and ``max_per_client`` opened by one client
address; an intake not used for ``idle_seconds`` is let go (it is saved already) to make room.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from intake_assistant.flow.session import IntakeSession, session_for_round
from intake_assistant.i18n import Message
from intake_assistant.service.resume_codes import intake_id_of, new_resume_code, normalize_code
from intake_assistant.storage import (
    DamagedSaveError,
    IntakeMeta,
    NewerSaveError,
    SaveConflictError,
    Storage,
    now_iso,
)


class ServerFull(Exception):
    """No room for another open intake; ``message`` says why, for the visitor."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.msgid)
        self.message = message


class NotResumable(Exception):
    """A resume code that opens nothing; ``message`` says why."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.msgid)
        self.message = message


@dataclass(eq=False)
class OpenIntake:
    """One intake held open: its resume code, its session and who opened it."""

    code: str
    session: IntakeSession
    client: str
    last_used: float = field(default_factory=time.monotonic)
    #: Set when the intake could not be saved (the reason, for the visitor), until a save succeeds.
    unsaved: Message | None = None
    #: Said once to the visitor after a change (the copy under a new code).
    notices: list[Message] = field(default_factory=list)
    #: Whether a save of it exists (read from one, or written once).
    stored: bool = False

    @property
    def intake_id(self) -> str:
        return intake_id_of(self.code)


@dataclass(frozen=True, slots=True)
class Limits:
    max_open: int = 500
    max_per_client: int = 20
    idle_seconds: float = 30 * 60


class WebIntakes:
    """Every intake the web server holds open, by resume code."""

    def __init__(self, storage: Storage, limits: Limits | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.storage = storage
        self.limits = limits or Limits()
        self._open: dict[str, OpenIntake] = {}
        self._clock = clock

    def __len__(self) -> int:
        return len(self._open)

    # -- opening ---------------------------------------------------------------------------
    def new(self, language: str, client: str) -> OpenIntake:
        """A new, empty intake under a new resume code (saved at its first answer)."""
        self._make_room(client)
        intake = OpenIntake(new_resume_code(), IntakeSession.new(language=language), client,
                            self._clock())
        self._open[intake.code] = intake
        return intake

    def get(self, code: str) -> OpenIntake | None:
        """The open intake of ``code`` (exactly as generated), or None."""
        intake = self._open.get(code)
        if intake is not None:
            intake.last_used = self._clock()
        return intake

    def resume(self, text: str, language: str, client: str) -> OpenIntake:
        """The intake of a typed resume code: the open one, else its save read again."""
        code = normalize_code(text)
        if code is None:
            raise NotResumable(Message(
                "This is not a resume code: a code has 24 letters and digits in groups of "
                "four, like ABCD-EFGH-JKLM-NPQR-STUV-WXYZ."))
        open_one = self.get(code)
        if open_one is not None:
            return open_one
        try:
            saved = self.storage.load(intake_id_of(code))
        except FileNotFoundError:
            raise NotResumable(Message(
                "No intake has this resume code. Check the code; an intake is kept from its "
                "first answer on.")) from None
        except (DamagedSaveError, NewerSaveError, OSError, ValueError):
            raise NotResumable(Message(
                "The intake of this code cannot be opened here. Ask the person who runs "
                "this server.")) from None
        try:
            session = IntakeSession.from_state_dict(saved.state)
        except (ValueError, KeyError, TypeError):
            raise NotResumable(Message(
                "The intake of this code cannot be opened here. Ask the person who runs "
                "this server.")) from None
        if session.language != language:
            session.set_language(language)
        self._make_room(client)
        intake = OpenIntake(code, session, client, self._clock(), stored=True)
        self._open[code] = intake
        return intake

    def _make_room(self, client: str) -> None:
        """Let go of idle intakes (saved already); refuse when the server or client is full."""
        now = self._clock()
        for code, intake in list(self._open.items()):
            if now - intake.last_used > self.limits.idle_seconds and intake.unsaved is None:
                del self._open[code]
                self.storage.forget(intake.intake_id)
        mine = sum(1 for i in self._open.values() if i.client == client)
        if mine >= self.limits.max_per_client:
            raise ServerFull(Message(
                "You have {count} intakes open on this server, the most one computer may have "
                "at once. Continue one of them with its resume code, or try again in "
                "{minutes} minutes, when unused ones have been closed (their answers are kept).",
                count=str(mine), minutes=str(round(self.limits.idle_seconds / 60))))
        if len(self._open) >= self.limits.max_open:
            raise ServerFull(Message(
                "The server is busy: {count} intakes are open, the most it holds at once. No "
                "new intake was started. Please try again in a few minutes.",
                count=str(len(self._open))))

    # -- the one path of every change ------------------------------------------------------
    def change(self, intake: OpenIntake, change: Callable[[IntakeSession], Any]) -> bool:
        """Apply ``change`` to the intake's session, follow the round of the application
        date and save; False when the change said there was nothing to change."""
        intake.last_used = self._clock()
        if change(intake.session) is False:
            return False
        followed = session_for_round(intake.session)
        if followed is not intake.session:
            intake.session = followed
            intake.notices.append(Message(
                "The intake now follows {round}, the round of the application date.",
                round=_round_label(followed.ruleset)))
        self.save(intake)
        return True

    def save(self, intake: OpenIntake) -> bool:
        """Save the intake now; a conflict keeps these answers as a copy under a new code."""
        if not intake.session.answered_keys and not intake.stored:
            return True  # nothing to keep yet: an empty intake is not written
        try:
            self.storage.save(intake.intake_id, intake.session.to_state_dict(), meta_of(intake))
        except SaveConflictError:
            return self._save_as_copy(intake)
        except OSError:
            intake.unsaved = Message(
                "Your answers could not be saved on the server. Download the draft (JSON) "
                "to keep them.")
            return False
        intake.unsaved = None
        intake.stored = True
        return True

    def _save_as_copy(self, intake: OpenIntake) -> bool:
        old = intake.code
        self._open.pop(old, None)
        intake.code = new_resume_code()
        self._open[intake.code] = intake
        saved = self.save(intake)
        intake.notices.append(Message(
            "This intake was changed elsewhere (in the advisor's terminal, or another window) "
            "since you opened it. So that no answers are lost, your answers are now kept as a "
            "separate intake with a NEW resume code: {code}. Write it down; the old code opens "
            "the other version.", code=intake.code))
        return saved

    def close_all(self) -> None:
        """Save every open intake (the server stops)."""
        for intake in list(self._open.values()):
            self.save(intake)
        self._open.clear()


def meta_of(intake: OpenIntake) -> IntakeMeta:
    session = intake.session
    draft = session.draft
    return IntakeMeta(
        title=(draft.project.title if draft.project else None) or "",
        participants=tuple(p.name for p in (draft.participants or []) if p.name),
        updated=now_iso(),
        verdict=str(session.report.verdict),
        language=session.language,
        state=str(session.state),
    )


def _round_label(ruleset: str) -> Message:
    from intake_assistant.rules.rounds import round_label

    return round_label(ruleset)

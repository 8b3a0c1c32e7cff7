"""The intakes one web server holds open: many in one process, each a driver of the service.

Each open web intake holds a service :class:`~intake_assistant.service.open_intake.OpenIntake`
on the served channel (intakes found only by their resume code, answers recorded as the
entrepreneur's, no settings written): opening, resuming, importing, every change (the round
of the application date followed, the save, a save another window overtook merged or kept as
a copy) and the exports are the service's. What is the web's is kept here: the registry of
open intakes by resume code, its bounds, and turning what the service answered into notices
for the visitor (a copy is shown under its new code).

Bounded: at most ``max_open`` intakes in memory and ``max_per_client`` opened by one client
address; an intake not used for ``idle_seconds`` is let go (it is saved already) to make room,
and opened again (``open_saved(again=True)``: not a new open) for its visitor's computer at
the visitor's next page that shows it; its room is checked again once it is read.

On a team store (``serve --store``) the intakes are the team's, and a save is a round trip to
a database: each open intake then writes its saves on a line of its own
(``service.background_saves``) and what came of them is handed back through
:attr:`WebRegistry.hand_back` to the site's thread; reading the store (a resume code, an intake
opened again) is split from holding it (``find``, ``open_saved``, ``hold``) so that the site
runs the reading on a worker thread. An intake the store erased meanwhile (the client's data)
is closed by the service at its next save: it is let go here and its visitor told once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from intake_assistant.i18n import Message, Plural, _, language_on_this_thread, set_language
from intake_assistant.service.open_intake import OpenIntake
from intake_assistant.service.outcomes import Changed, DraftSource, IntakeProblem, Opened, Saved
from intake_assistant.service.resume_codes import ServedIntakes, normalize_code, served_channel
from intake_assistant.storage import Settings

if TYPE_CHECKING:
    from intake_assistant.flow.session import IntakeSession


class ServerFull(Exception):
    """No room for another open intake; ``message`` says why, for the visitor."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.msgid)
        self.message = message


class NotResumable(Exception):
    """A resume code (or a draft to import) that opens nothing; ``text`` says why, in the
    visitor's language; ``gone``: no intake has the code (any more)."""

    def __init__(self, text: str, title: str = "", *, gone: bool = False) -> None:
        super().__init__(text)
        self.text = text
        self.title = title
        self.gone = gone


@dataclass(eq=False)
class WebIntake:
    """One intake held open for the web: the service's open intake, its code, who opened it."""

    code: str
    service: OpenIntake
    client: str
    last_used: float = field(default_factory=time.monotonic)
    #: Said once to the visitor after a change (in the visitor's language).
    notices: list[str] = field(default_factory=list)
    #: The visitor's language, for what comes of a save written later (a team store).
    language: str = "nl"
    #: Set on the site's loop each time what came of a save is taken in (a team store).
    settled: asyncio.Event = field(default_factory=asyncio.Event)
    #: Held by a request on this intake and by the taking in of a save's outcome (a team
    #: store's, on a worker thread): one at a time changes the service.
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def session(self) -> IntakeSession:
        """The intake's session, to read (every change goes through ``service``)."""
        assert self.service.session is not None
        return self.service.session

    @property
    def unsaved(self) -> bool:
        return self.service.unsaved


@dataclass(frozen=True, slots=True)
class Limits:
    max_open: int = 500
    max_per_client: int = 20
    idle_seconds: float = 30 * 60


class WebRegistry:
    """Every intake the web server holds open, by resume code."""

    def __init__(self, data_dir: Path | str | None, limits: Limits | None = None,
                 clock: Callable[[], float] = time.monotonic, *, store: str | None = None
                 ) -> None:
        # one channel for every web intake: its storage knows each new intake's code (a team
        # store: StoreAccessError or StoreUnavailableError when it cannot be used)
        # a visitor has no colleague to choose with where both changed the same answer: the
        # service keeps the visitor's answers whole as a copy under a new code
        self.channel = served_channel(str(data_dir) if data_dir is not None else None,
                                      advisor=False, store=store, asks_on_conflict=False)
        assert isinstance(self.channel.storage, ServedIntakes)
        self.storage: ServedIntakes = self.channel.storage
        #: Saves are round trips to a database: written on a line per intake, off the site's
        #: thread (the data folder's take a millisecond and are written at once).
        self.across_network = bool(getattr(self.storage, "across_network", False))
        #: Set by the site when ``across_network``: called on a save line's thread with the
        #: intake's service and what came of its save (a function the site calls on its own
        #: thread, then ``said``).
        self.hand_back: Callable[[OpenIntake, Callable[[], Saved]], None] | None = None
        self.limits = limits or Limits()
        self._open: dict[str, WebIntake] = {}
        self._clock = clock
        #: Intakes the store erased while they were open here (the service closed them), by
        #: code: what their visitor is told on their next page (at most ``max_open``, the
        #: oldest go first).
        self._erased: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._open)

    def _service(self, language: str) -> OpenIntake:
        service = OpenIntake(self.channel, Settings(language=language))
        if self.across_network:
            hand_back = self.hand_back
            assert hand_back is not None, "the site takes in what comes of the saves"
            service.save_in_background(lambda taken_in: hand_back(service, taken_in))
        return service

    def holding(self, service: OpenIntake) -> WebIntake | None:
        """The open web intake driven by ``service`` (None: let go meanwhile)."""
        return next((i for i in self._open.values() if i.service is service), None)

    def _held(self, service: OpenIntake, client: str, opened: Opened, language: str
              ) -> WebIntake:
        code = self.storage.code_of(service.intake_id)
        assert code is not None  # every served intake's id is the hash of a code known here
        intake = WebIntake(code, service, client, self._clock(), language=language)
        if opened.notice:
            intake.notices.append(opened.notice)
        intake.notices.extend(f"{title}: {text}" for title, text in opened.messages)
        self._open[code] = intake
        if opened.saved is not None:
            self._said(intake, opened.saved, language)
        return intake

    # -- opening ---------------------------------------------------------------------------
    def new(self, language: str, client: str) -> WebIntake:
        """A new, empty intake under a new resume code."""
        self.make_room(client)
        set_language(language)
        service = self._service(language)
        return self._held(service, client, service.new(language), language)

    def get(self, code: str) -> WebIntake | None:
        """The open intake of ``code`` (exactly as generated), or None."""
        intake = self._open.get(code)
        if intake is not None:
            intake.last_used = self._clock()
        return intake

    def find(self, text: str, language: str) -> str:
        """The id of the intake of a typed resume code (``NotResumable`` when there is none).
        Reads the store: the site calls it off its thread on a team store."""
        with language_on_this_thread(language):
            return self._find(text)

    def _find(self, text: str) -> str:
        if normalize_code(text) is None:
            raise NotResumable(_(
                "This is not a resume code: a code has 24 letters and digits in groups of "
                "four, like ABCD-EFGH-JKLM-NPQR-STUV-WXYZ."))
        try:
            intake_id = self.storage.intake_of_code(text)
        except OSError:  # the team store cannot be reached (StoreUnavailableError)
            raise NotResumable(_unreachable()) from None
        if intake_id is None:
            raise NotResumable(_(
                "No intake has this resume code. Check the code; an intake is kept from its "
                "first answer on."), gone=True)
        return intake_id

    def open_by_id(self, intake_id: str) -> WebIntake | None:
        code = self.storage.code_of(intake_id)
        return self.get(code) if code is not None else None

    def open_saved(self, intake_id: str, language: str, *, again: bool = False
                   ) -> tuple[OpenIntake, Opened]:
        """The saved intake ``intake_id`` opened (``NotResumable`` when it cannot be); not
        held yet (``hold``). Reads the store: the site calls it off its thread on a team
        store. ``again``: one let go while idle, for the same visitor (``OpenIntake.resume``:
        not a new open)."""
        with language_on_this_thread(language):
            return self._open_saved(intake_id, language, again)

    def _open_saved(self, intake_id: str, language: str, again: bool
                    ) -> tuple[OpenIntake, Opened]:
        service = self._service(language)
        try:
            opened = service.resume(intake_id, language, again=again)
        except IntakeProblem as exc:
            service.finish_saves(1.0)
            raise NotResumable(exc.text or _(
                "The intake of this code cannot be opened here. Ask the person who runs "
                "this server."), exc.title) from None
        except OSError:  # the team store went away meanwhile
            service.finish_saves(1.0)
            raise NotResumable(_unreachable()) from None
        return service, opened

    def hold(self, opened: tuple[OpenIntake, Opened], client: str, language: str
             ) -> WebIntake:
        """Hold an intake opened by ``open_saved``; the one already held when another request
        opened the same intake meanwhile. ``ServerFull`` (the one opened let go) when other
        requests took the room meanwhile (a team store's read runs off the site's thread)."""
        service, what = opened
        already = self.open_by_id(service.intake_id or "")
        if already is None:
            try:
                self.make_room(client)
            except ServerFull:
                self._let_go_unheld(service)
                raise
            return self._held(service, client, what, language)
        self._let_go_unheld(service)
        return already

    @staticmethod
    def _let_go_unheld(service: OpenIntake) -> None:
        service.finish_saves(1.0)  # ends its save line: nothing waits in it
        service.close()

    def import_draft(self, source: DraftSource, language: str, client: str) -> WebIntake:
        """A new intake of a pasted or uploaded draft, through the service's one checked
        import path (``NotResumable`` with the service's message when it cannot be)."""
        self.make_room(client)
        set_language(language)
        service = self._service(language)
        try:
            opened = service.import_draft(source, language)
        except IntakeProblem as exc:
            service.finish_saves(1.0)
            raise NotResumable(exc.text, exc.title) from None
        return self._held(service, client, opened, language)

    def make_room(self, client: str) -> None:
        """Let go of idle intakes (saved already); refuse (``ServerFull``) when the server or
        this client has no room for another."""
        now = self._clock()
        for code, intake in list(self._open.items()):
            if now - intake.last_used > self.limits.idle_seconds and not intake.unsaved and (
                    not intake.service.saving and not intake.turn.locked()):
                del self._open[code]
                intake.service.finish_saves(1.0)  # ends its save line: nothing waits in it
                intake.service.close()
        mine = sum(1 for i in self._open.values() if i.client == client)
        if mine >= self.limits.max_per_client:
            minutes = round(self.limits.idle_seconds / 60)
            raise ServerFull(Plural(
                "You have {count} intake open on this server, the most one computer may have "
                "at once. Continue it with its resume code, or try again in {wait}, when "
                "unused ones have been closed (their answers are kept).",
                "You have {count} intakes open on this server, the most one computer may have "
                "at once. Continue one of them with its resume code, or try again in "
                "{wait}, when unused ones have been closed (their answers are kept).",
                "count", count=mine,
                wait=Plural("{minutes} minute", "{minutes} minutes", "minutes", minutes=minutes)))
        if len(self._open) >= self.limits.max_open:
            raise ServerFull(Plural(
                "The server is busy: {count} intake is open, the most it holds at once. No "
                "new intake was started. Please try again in a few minutes.",
                "The server is busy: {count} intakes are open, the most it holds at once. No "
                "new intake was started. Please try again in a few minutes.",
                "count", count=len(self._open)))

    # -- every change goes through the service -------------------------------------------
    def change(self, intake: WebIntake, language: str,
               change: Callable[[OpenIntake], Changed]) -> Changed:
        """Make one change through the service (``change`` calls one of its verbs) and turn
        what it answered into the visitor's notices (a copy under its new code)."""
        intake.last_used = self._clock()
        intake.language = language
        set_language(language)  # the service's texts in the visitor's language
        outcome = change(intake.service)
        if outcome.round_followed:
            intake.notices.append(_(
                "The intake now follows {round}, the round of the application date.",
                round=outcome.round_followed))
        if outcome.saved is not None:
            self._said(intake, outcome.saved, language)
        return outcome

    @staticmethod
    def take_in(intake: WebIntake, taken_in: Callable[[], Saved]) -> Saved:
        """What came of a save written on the intake's line, taken in by the service (after a
        colleague's save: merged, which reads and writes the store). The site calls it on a
        worker thread, holding the intake's turn."""
        with language_on_this_thread(intake.language):
            return taken_in()

    def said(self, intake: WebIntake, saved: Saved) -> None:
        """Turn what came of a save taken in (``take_in``) into notices, as a save at once is
        (on the site's thread)."""
        set_language(intake.language)
        self._said(intake, saved, intake.language)

    def _said(self, intake: WebIntake, saved: Saved, language: str) -> None:
        """What came of a save, as notices; the save decided it all (a copy under a new code
        where the same answer was changed elsewhere: the channel asks no one)."""
        if saved.erased:  # closed by the service: let go, the visitor told on their next page
            self._let_go_erased(intake)
            return
        if saved.failure:
            intake.notices.append(_(
                "Your answers could not be saved on the server. Download the draft (JSON) "
                "to keep them."))
        if saved.merged_with:
            intake.notices.append(_(
                "This intake was changed elsewhere (in the advisor's terminal, or another "
                "window) since you opened it; those changes and yours are kept together."))
        code = self.storage.code_of(intake.service.intake_id)
        if code is not None and code != intake.code:
            self._open.pop(intake.code, None)
            intake.code = code
            self._open[code] = intake
            if saved.copied_from:
                intake.notices.append(_(
                    "This intake was changed elsewhere (in the advisor's terminal, or another "
                    "window) since you opened it. So that no answers are lost, your answers are "
                    "now kept as a separate intake with a NEW resume code: {code}. Write it "
                    "down; the old code opens the other version.", code=code))

    def _let_go_erased(self, intake: WebIntake) -> None:
        """The store erased the intake (the client's data): the service closed it and saves
        nothing of it again; it is let go here, and its visitor told (``erased_notice``)."""
        self._open.pop(intake.code, None)
        intake.service.finish_saves(1.0)  # ends its save line: nothing of it waits there
        self._erased[intake.code] = _(
            "This intake was erased from the server's store (the client's data, on the "
            "client's request or past the retention period). Nothing of it is kept or saved "
            "again; its resume code opens nothing any more.")
        while len(self._erased) > self.limits.max_open:
            del self._erased[next(iter(self._erased))]

    def erased_notice(self, code: str) -> str | None:
        """What the visitor of ``code`` is told, once, when the store erased its intake while
        it was open here (None: it was not)."""
        return self._erased.pop(code, None)

    def close_all(self) -> None:
        """Save every open intake (the server stops): what waits in a save line is written,
        and what a line could not write is saved once more."""
        for intake in self.open_intakes():
            self.close(intake)

    def open_intakes(self) -> list[WebIntake]:
        return list(self._open.values())

    def close(self, intake: WebIntake) -> None:
        """Save one open intake and let it go (the server stops): what waits in its save line
        is written, and what the line could not write is saved once more."""
        intake.service.finish_saves()  # in-line: saved only where not saved yet
        intake.service.close()
        self._open.pop(intake.code, None)


def _unreachable() -> str:
    return _("The intakes cannot be reached on the server just now. Your resume code stays "
             "valid: try again in a few minutes.")

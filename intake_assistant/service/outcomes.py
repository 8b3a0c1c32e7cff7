"""What the intake service answers: how a change, a save or an opening went, and why an
intake could not be opened (``IntakeProblem``). Imported once an intake is opened, not
before the first screen (``service.open_intake`` is).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from intake_assistant.i18n import _

if TYPE_CHECKING:
    import datetime as dt

    from intake_assistant.flow.session import IntakeSession
    from intake_assistant.i18n import Message


class IntakeProblem(Exception):
    """An intake cannot be opened, imported or compared; ``title`` and ``text`` say why, in
    the user's language (none when there is nothing to say). ``list_changed``: a save was
    set aside or is gone (a list of saved intakes shown is no longer right)."""

    def __init__(self, title: str, text: str, *, list_changed: bool = False) -> None:
        super().__init__(text)
        self.title = title
        self.text = text
        self.list_changed = list_changed


class Refused(Exception):
    """The session did not accept a change; the text says why, in the user's language."""


@dataclass(frozen=True, slots=True)
class LeftIntakeSaved:
    """What became of the last answers of an intake left for another (``intake_id``, its
    ``title``) when their save, written after the advisor moved on, met a colleague's newer
    save or could not be written: told on whatever screen the advisor is on now."""

    intake_id: str
    title: str
    #: Who saved it meanwhile (their name, or "another window"), when known.
    by: str | None = None
    #: The colleague changed other answers: both are kept, merged in the intake itself.
    merged: bool = False
    #: The same answers were changed on both sides (or the intake is gone): the last answers
    #: are kept whole as a separate intake, this id; the colleague's save is left as it is.
    copy_id: str | None = None
    #: The store erased the intake meanwhile (the client's data): nothing of it was saved.
    erased: bool = False
    #: Why the answers could not be saved yet (the store cannot be reached); they are kept in
    #: this window and saved with the next save that succeeds, or when the window closes.
    failure: str | None = None
    #: Saved after a failure was told (``failure`` of an earlier outcome).
    again: bool = False


@dataclass(frozen=True, slots=True)
class Saved:
    """How a save went."""

    ok: bool = True
    #: Why the save failed, the first time after a good one (later failures say nothing new).
    failure: str | None = None
    #: A save succeeded after failures.
    again: bool = False
    #: Another window had saved this intake (its id): the answers are now a copy of it.
    copied_from: str | None = None
    #: Another window or colleague (named) had saved this intake, changing other answers:
    #: both are kept, merged (the open session is the merged one now).
    merged_with: str | None = None
    #: Answers changed here and by a colleague, to different values: (key, the question and
    #: both values like ``diff``). Nothing is written until ``OpenIntake.settle``.
    conflicts: tuple[tuple[str, str], ...] = ()
    #: Handed to the save line (a store across the network): its outcome comes later.
    pending: bool = False
    #: The store erased the intake meanwhile (the client's data, on the client's request or
    #: past the team's retention period): it is closed, and nothing of it was saved (not even
    #: as a copy) or will be.
    erased: bool = False
    #: The last answers of an intake left for another, whose save met a colleague's newer
    #: save (or failed) after this one was opened: where they are kept (not this intake's).
    left: LeftIntakeSaved | None = None


#: What a colleague's change of an intake means for the one open here:
#: ``elsewhere``: not the open intake (another is open by now, or none);
#: ``moved``: saved with the same answers (a colleague moved on): nothing to take in;
#: ``changed``: other answers: the next save keeps theirs and these (Reload shows theirs);
#: ``deleted``: removed from the store: the answers stay here, the next save makes them a new
#: intake;
#: ``erased``: the client's data erased: the intake is closed, nothing of it is saved again.
ChangeMeaning = Literal["elsewhere", "moved", "changed", "deleted", "erased"]


@dataclass(frozen=True, slots=True)
class ColleagueChange:
    """What a colleague's change (a team store's notice) means for the open intake
    (``OpenIntake.take_in_change``), with who made it and when, when known."""

    meaning: ChangeMeaning
    by: str | None = None
    at: dt.datetime | None = None


@dataclass(slots=True)
class Changed:
    """What a change of the session did."""

    #: The change was made (and the intake saved); False when there was nothing to change
    #: or it was refused.
    done: bool = False
    #: Why the change was refused (nothing changed, nothing saved).
    problem: str | None = None
    #: A form's fields that were refused, each with why (the others were taken).
    refused: dict[str, str] = field(default_factory=dict)
    #: The round the intake follows since this change (its label), when it changed.
    round_followed: str | None = None
    saved: Saved | None = None
    #: Why the settings could not be written (the change itself was made).
    settings_problem: str | None = None


@dataclass(slots=True)
class Opened:
    """An intake was opened: a notice to show at once, and texts (title, text) to show after
    its first screen."""

    notice: str = ""
    messages: list[tuple[str, str]] = field(default_factory=list)
    saved: Saved | None = None


@dataclass(frozen=True, slots=True)
class DraftSource:
    """Where a draft to import comes from: a file (with the provenance side file beside it),
    pasted text or an uploaded file's content (named for the messages)."""

    path: Path | None = None
    text: str | bytes | None = None
    #: The name of an uploaded file (its text is ``text``), for the messages.
    label: str | None = None

    @classmethod
    def file(cls, path: str | Path) -> DraftSource:
        return cls(path=Path(path).expanduser())

    @classmethod
    def pasted(cls, text: str) -> DraftSource:
        return cls(text=text)

    @classmethod
    def uploaded(cls, name: str, data: bytes) -> DraftSource:
        """A file sent to a server: its content, named by its own name (no path to read)."""
        return cls(text=data, label=name)

    @property
    def name(self) -> str:
        if self.path is not None:
            return str(self.path)
        return self.label if self.label is not None else _("pasted draft")


@dataclass(slots=True)
class PreparedImport:
    """A draft checked and made into a session, not yet opened."""

    source: DraftSource
    session: IntakeSession
    left_out: list[tuple[str, Message]]

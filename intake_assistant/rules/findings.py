"""What the pre-check says: findings per criterion, the subsidy, the verdict."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from intake_assistant.i18n import Message, Translator
from intake_assistant.records import Record
from intake_assistant.rules.hints import Hint

if TYPE_CHECKING:
    from intake_assistant.rules.basis import Basis


def ppath(index: int, field: str) -> str:
    """The draft path of a participant's answer: ``participants[2].staff_units``."""
    return f"participants[{index}].{field}"


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"  # allowed, but needs attention or human judgement
    UNKNOWN = "unknown"  # an answer the criterion needs is missing, nothing else
    INFO = "info"  # no condition, only a consequence to tell the user


class Verdict(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    INCOMPLETE = "incomplete"


class Finding(Record):
    """The outcome of one criterion (for one participant, where it is about one)."""

    __slots__ = ("article", "basis", "criterion", "hint", "message", "needs", "notes",
                 "participant", "participant_index", "status", "unverified")
    __hash__ = None  # type: ignore[assignment]  # not frozen (findings are many): not hashable

    def __init__(self, criterion: str, status: Status, article: str, message: Message,
                 participant: str | None = None, participant_index: int | None = None,
                 needs: tuple[str, ...] = (), unverified: tuple[str, ...] = (),
                 notes: tuple[Message, ...] = (), hint: Hint | None = None,
                 basis: Basis | None = None) -> None:
        self.criterion = criterion
        self.status = status
        self.article = article
        self.message = message
        self.participant = participant  # KvK number, as in the `check` output
        self.participant_index = participant_index  # position in the draft, also without KvK
        #: Draft paths of the answers that are missing (``project.start_date``,
        #: ``participants[2].staff_units``): what the user still has to give.
        self.needs = needs
        #: Names of the unverified parameters this outcome rests on.
        self.unverified = unverified
        #: Remarks shown after the message, e.g. which unverified value the outcome rests on.
        self.notes = notes
        #: What would change the outcome, where the criterion fails or warns on a number or a
        #: date.
        self.hint = hint
        #: What the finding rests on: the answers and parameter values its criterion read.
        self.basis = basis

    def text(self, tr: Translator) -> str:
        """The message and its notes, in the translator's language."""
        if not self.notes:
            return tr.render(self.message)
        return " ".join([tr.render(self.message), *(tr.render(n) for n in self.notes)])

    def hint_text(self, tr: Translator) -> str | None:
        return None if self.hint is None else self.hint.text(tr)

    def to_json(self, tr: Translator, *, basis: bool = True) -> dict[str, Any]:
        out = {
            "criterion": self.criterion,
            "status": str(self.status),
            "article": self.article,
            "participant": self.participant,
            "message": self.text(tr),
        }
        if self.hint is not None:  # optional: only where there is something to change
            out["hint"] = self.hint.to_json(tr)
        if basis and self.basis is not None:  # optional, as the hint: what it rests on
            out["basis"] = self.basis.to_json()
        return out


class ExcludedCostLine(Record):
    """A cost line of a kind the round excludes."""

    __slots__ = ("amount_eur", "category", "description", "participant_index")

    def __init__(self, participant_index: int, description: str | None, category: str,
                 amount_eur: float) -> None:
        self.participant_index = participant_index
        self.description = description
        self.category = category
        self.amount_eur = amount_eur


class ParticipantSubsidy(Record):
    """One participant's eligible costs and subsidy."""

    __slots__ = ("capped", "cost_share", "costs_known", "eligible_costs_eur",
                 "excluded_costs_eur", "index", "kvk_number", "name", "own_hours_eur",
                 "subsidy_eur")

    def __init__(self, index: int, name: str | None, kvk_number: str | None,
                 own_hours_eur: float, eligible_costs_eur: float, excluded_costs_eur: float,
                 cost_share: float | None, subsidy_eur: float, capped: bool,
                 costs_known: bool) -> None:
        self.index = index
        self.name = name
        self.kvk_number = kvk_number
        self.own_hours_eur = own_hours_eur
        self.eligible_costs_eur = eligible_costs_eur
        self.excluded_costs_eur = excluded_costs_eur
        self.cost_share = cost_share  # of the total eligible costs of all participants
        self.subsidy_eur = subsidy_eur
        self.capped = capped  # the maximum per SME applied
        self.costs_known = costs_known  # own hours or cost lines were given

    def to_json(self) -> dict[str, Any]:
        return {
            "kvk_number": self.kvk_number,
            "eligible_costs_eur": self.eligible_costs_eur,
            "excluded_costs_eur": self.excluded_costs_eur,
            "cost_share": None if self.cost_share is None else round(self.cost_share, 4),
            "subsidy_eur": self.subsidy_eur,
        }


class SubsidyCalculation(Record):
    """The subsidy of every participant and in total."""

    __slots__ = ("excluded_lines", "hourly_rate_eur", "hourly_rate_verified",
                 "max_per_participant_eur", "participants", "subsidy_rate",
                 "total_eligible_eur", "total_eur")

    def __init__(self, hourly_rate_eur: float, hourly_rate_verified: bool, subsidy_rate: float,
                 max_per_participant_eur: float, participants: tuple[ParticipantSubsidy, ...],
                 excluded_lines: tuple[ExcludedCostLine, ...], total_eligible_eur: float,
                 total_eur: float) -> None:
        self.hourly_rate_eur = hourly_rate_eur
        self.hourly_rate_verified = hourly_rate_verified
        self.subsidy_rate = subsidy_rate
        self.max_per_participant_eur = max_per_participant_eur
        self.participants = participants
        self.excluded_lines = excluded_lines
        self.total_eligible_eur = total_eligible_eur
        self.total_eur = total_eur

    def to_json(self) -> dict[str, Any]:
        rate = self.hourly_rate_eur
        return {
            "hourly_rate_eur": int(rate) if float(rate).is_integer() else rate,
            "participants": [p.to_json() for p in self.participants],
            "total_eur": self.total_eur,
        }


#: The start of a finding's JSON text (UTF-8) up to its participant, by ``text_of`` and then
#: by criterion, status and article (a few hundred of them in all).
_FINDING_STARTS: dict[Any, dict[tuple[str, str, str], bytes]] = {}
#: The JSON text (UTF-8) of a finding's message or participant, by ``text_of`` and then by the
#: text (the same messages recur across the drafts of a batch, a KvK number in the findings of
#: a draft).
_MESSAGE_TEXTS: dict[Any, dict[str, bytes]] = {}

STATUS_ORDER = {Status.FAIL: 0, Status.WARN: 1, Status.UNKNOWN: 2, Status.PASS: 3, Status.INFO: 4}


class Report(Record):
    """The whole pre-check of one draft against one ruleset."""

    __slots__ = ("findings", "ruleset_id", "subsidy", "verdict")

    def __init__(self, ruleset_id: str, findings: tuple[Finding, ...],
                 subsidy: SubsidyCalculation) -> None:
        self.ruleset_id = ruleset_id
        self.findings = findings
        self.subsidy = subsidy
        self.verdict = verdict_of({f.status for f in findings})

    def unverified(self) -> tuple[str, ...]:
        """The unverified parameters the findings rest on, in order of first mention."""
        return tuple(dict.fromkeys(name for f in self.findings for name in f.unverified))

    def by_status(self, status: Status) -> list[Finding]:
        return [f for f in self.findings if f.status is status]

    def json_line(self, tr: Translator, file: str | None, text_of: Callable[[Any], str]) -> bytes:
        """``text_of(self.to_json(tr, file))`` in UTF-8, the same text, made faster: each answer
        and parameter of the findings' bases is made into text once (findings share many of
        them; a parameter's text is kept for every draft), and a finding's keys are written
        as text directly, not through a dictionary made for them. The line is put together
        from UTF-8 pieces, each encoded once: a line of text would be encoded as a whole (a
        "€" in one message makes all its 40 KB two bytes a character, and slower to encode).
        ``text_of`` gives the text of JSON data as ``json.dumps`` with its default separators
        does (it may escape more characters, as long as an escaped text passes through it
        unchanged)."""
        answers: dict[str, bytes] = {}
        starts = _FINDING_STARTS.get(text_of)
        if starts is None or len(starts) > 10_000:  # bounded, should articles ever vary
            starts = _FINDING_STARTS[text_of] = {}
        messages = _MESSAGE_TEXTS.get(text_of)
        if messages is None or len(messages) > 20_000:  # bounded for a long batch
            messages = _MESSAGE_TEXTS[text_of] = {}
        findings = []
        append = findings.append
        render = tr.render
        for f in self.findings:
            # Written as Finding.to_json's keys in its order, each value through text_of.
            key = (f.criterion, f.status, f.article)
            start = starts.get(key)
            if start is None:
                start = starts[key] = (
                    f'{{"criterion": {text_of(f.criterion)}, "status": {text_of(str(f.status))}, '
                    f'"article": {text_of(f.article)}, "participant": ').encode()
            participant = f.participant
            if participant is None:
                participant_text = b"null"
            else:  # a KvK number: in every per-participant finding of the draft
                participant_text = messages.get(participant)
                if participant_text is None:
                    participant_text = messages[participant] = text_of(participant).encode()
            message = f.text(tr) if f.notes else render(f.message)  # as f.text, one call less
            message_text = messages.get(message)
            if message_text is None:
                message_text = messages[message] = text_of(message).encode()
            # Each finding's text (a basis is about a kilobyte) and the line (tens of them) are
            # put together in one piece each, not copied once for every part added.
            hint = b"" if f.hint is None else b', "hint": ' + text_of(f.hint.to_json(tr)).encode()
            basis = f.basis
            if basis is not None:
                append(b'%b%b, "message": %b%b, "basis": %b}' % (
                    start, participant_text, message_text, hint,
                    basis.json_bytes(text_of, answers)))
            else:
                append(b'%b%b, "message": %b%b}' % (start, participant_text, message_text, hint))
        head = text_of({"file": file, "ruleset": self.ruleset_id, "verdict": str(self.verdict)})
        return b"".join((head[:-1].encode(), b', "findings": [', b", ".join(findings),
                         b'], "subsidy": ', text_of(self.subsidy.to_json()).encode(), b"}"))

    def to_json(self, tr: Translator, file: str | None = None) -> dict[str, Any]:
        """One line of ``check --format json`` (see the spec)."""
        return {
            "file": file,
            "ruleset": self.ruleset_id,
            "verdict": str(self.verdict),
            "findings": [f.to_json(tr) for f in self.findings],
            "subsidy": self.subsidy.to_json(),
        }


def verdict_of(statuses: Any) -> Verdict:
    """``not_eligible`` if any fails; else ``incomplete`` if any is unknown; else eligible."""
    seen = set(statuses)
    if Status.FAIL in seen:
        return Verdict.NOT_ELIGIBLE
    if Status.UNKNOWN in seen:
        return Verdict.INCOMPLETE
    return Verdict.ELIGIBLE

"""What a criterion returns, how it is registered, and the notes on unverified values.

A criterion function receives the evaluation context (``context.Context``) and returns an
``Outcome`` (or, for per-participant criteria, one per participant); ``evaluate`` turns
outcomes into ``Finding``s. Statuses: ``unknown`` only when an answer is missing (the
outcome names it in ``needs``); a criterion that rests on an unverified parameter gives at
worst ``warn`` and notes which value is uncertain (``fail_unless_unverified``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from intake_assistant.i18n import N_, Day, Message, Money, Number, Percent, Plural
from intake_assistant.models import ChainRole, CostCategory, Participant
from intake_assistant.records import Record
from intake_assistant.rules.findings import Status
from intake_assistant.rules.hints import Hint
from intake_assistant.rules.ruleset import ParameterValue, Params

if TYPE_CHECKING:
    from intake_assistant.rules.criteria.context import Context

# Translatable labels of the parameters that can be unverified (named in notes).
PARAMETER_LABELS: dict[str, str] = {
    "hourly_rate_eur": N_("the fixed hourly rate for own hours"),
    "start_after_grant_months": N_("the term within which the project must start"),
    "facilitator_min_experience_years": N_("the minimum experience of the facilitator"),
    "max_participants": N_("the maximum number of participants"),
    "opening_period": N_("the opening period for applications"),
    "subsidy_ceiling_eur": N_("the subsidy ceiling of the round"),
    "max_subsidy_per_participant_eur": N_("the maximum subsidy per SME"),
    "de_minimis_ceiling_eur": N_("the de-minimis ceiling over three fiscal years"),
    "textile_fibre_to_fibre_only": N_("the rule that textile projects must be fibre-to-fibre"),
    "repeat_application_refused": N_("the rule on repeat applications"),
    "caribbean_netherlands_open": N_("whether enterprises of the Caribbean Netherlands may take "
                                     "part"),
    "lead_continues_required": N_("the rule that the lead applicant keeps cooperating after the "
                                  "project"),
    "knowledge_sharing_eligible": N_("the rule that knowledge-sharing costs are eligible"),
}

CATEGORY_LABELS: dict[str, str] = {
    CostCategory.FACILITATOR: N_("process facilitator"),
    CostCategory.MATERIALS: N_("materials"),
    CostCategory.EQUIPMENT: N_("equipment"),
    CostCategory.CONSULTANCY: N_("consultancy"),
    CostCategory.CONTRACT_RESEARCH: N_("contract research"),
    CostCategory.OTHER: N_("other costs"),
    CostCategory.MARKETING: N_("marketing"),
    CostCategory.SALES: N_("sales"),
    CostCategory.TRAINING: N_("training"),
    CostCategory.EXHIBITION: N_("exhibition"),
    CostCategory.SYMPOSIUM: N_("symposium"),
    CostCategory.KNOWLEDGE_SHARING: N_("knowledge sharing"),
}

class Outcome(Record):
    """What a criterion found: a status, its message and what it rests on."""

    __slots__ = ("article", "hint", "message", "needs", "notes", "status", "unverified")
    __hash__ = None  # type: ignore[assignment]  # not frozen (``hinted`` sets the hint)

    def __init__(self, status: Status, message: Message, needs: tuple[str, ...] = (),
                 unverified: tuple[str, ...] = (), notes: tuple[Message, ...] = (),
                 article: str | None = None, hint: Hint | None = None) -> None:
        self.status = status
        self.message = message
        self.needs = needs
        self.unverified = unverified
        self.notes = notes
        #: Where a later round's rule rests on another article than the criterion's own.
        self.article = article
        #: What would change the outcome (a failure or warning on a number or a date).
        self.hint = hint


def hinted(outcome: Outcome, hint: Hint | None) -> Outcome:
    """``outcome`` with what would change it."""
    outcome.hint = hint
    return outcome


def passed(message: Message) -> Outcome:
    return Outcome(Status.PASS, message)


def failed(message: Message) -> Outcome:
    return Outcome(Status.FAIL, message)


def warned(message: Message) -> Outcome:
    return Outcome(Status.WARN, message)


def informed(message: Message) -> Outcome:
    return Outcome(Status.INFO, message)


def missing(message: Message, *needs: str) -> Outcome:
    return Outcome(Status.UNKNOWN, message, needs=tuple(needs))


def unverified_note(params: Params, name: str) -> Message:
    meta = params.meta(name)  # the note rests on it, as the test of its being verified does
    # Made once per parameter value, whatever the day (drafts of many days share the value):
    # the same message each time, its hash kept, its text found at once in the render cache.
    kept = _NOTES.get((name, id(meta)))
    if kept is None or kept[0] is not meta:
        kept = _NOTES[(name, id(meta))] = (meta, _unverified_note(meta, name))
    return kept[1]


#: The note of each unverified parameter value (kept alive with it), by name and value.
#: Parameter values live as long as their ruleset, which is loaded once: a few dozen.
_NOTES: dict[tuple[str, int], tuple[ParameterValue, Message]] = {}


def unverified_note_short(params: Params, name: str) -> Message:
    """``label (value; source: ...)``: one unverified value, as the verdict's basis lists it."""
    meta = params.meta(name)
    return Message("{parameter} ({value}; source: {source})",
                   parameter=Message(PARAMETER_LABELS.get(name, name)),
                   value=parameter_value(meta.value, meta.unit), source=Message(meta.source))


def _unverified_note(meta: ParameterValue, name: str) -> Message:
    return Message(
        "This rests on an unverified value: {parameter} ({value}; source: {source}).",
        parameter=Message(PARAMETER_LABELS.get(name, name)),
        value=parameter_value(meta.value, meta.unit),
        source=Message(meta.source),  # sources are in the rules catalog (extracted from the TOML)
    )


def _duration(unit: str, value: float) -> Plural:
    count = Number(value)
    if unit == "months":
        return Plural("{count} month", "{count} months", "count", count=count)
    return Plural("{count} year", "{count} years", "count", count=count)


def parameter_value(value: object, unit: str) -> object:
    """A parameter's value, ready for a Translator, in the words of its unit (the units of the
    ruleset files: EUR, fraction, months, years, period, flag, date, count)."""
    if unit == "EUR":
        return Money(value)  # type: ignore[arg-type]
    if unit == "period" and "/" in str(value):
        first, last = (dt.date.fromisoformat(part[:10]) for part in str(value).split("/", 1))
        return Message("{first} to {last}", first=Day(first), last=Day(last))
    if unit == "flag":
        return Message("yes") if value else Message("no")
    if unit == "fraction" and isinstance(value, int | float):
        return Percent(value)
    if unit in ("months", "years") and isinstance(value, int | float):
        return _duration(unit, value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Number(value)
    if isinstance(value, dt.date):
        return Day(value)
    return value or "—"


def fail_unless_unverified(params: Params, name: str, message: Message) -> Outcome:
    """A failure that rests on parameter ``name``: only a warning while it is unverified."""
    if params.verified(name):
        return failed(message)
    return Outcome(Status.WARN, message, unverified=(name,), notes=(unverified_note(params, name),))


def missing_unless_verified(params: Params, name: str, message: Message, *needs: str) -> Outcome:
    """A missing answer to a rule that is only reported: a warning, never ``incomplete``."""
    if params.verified(name):
        return missing(message, *needs)
    return Outcome(Status.WARN, message, needs=tuple(needs), unverified=(name,),
                   notes=(unverified_note(params, name),))


def with_unverified(outcome: Outcome, params: Params, name: str) -> Outcome:
    """Note on any outcome that it rests on parameter ``name`` while that is unverified."""
    if params.verified(name):
        return outcome
    outcome.unverified += (name,)
    outcome.notes += (unverified_note(params, name),)
    return outcome


class CriterionInfo(Record):
    """A criterion as registered: its ID, article and title."""

    __slots__ = ("added_by_change", "article", "id", "per_participant", "title")

    def __init__(self, id: str, article: str, title: str, per_participant: bool,
                 added_by_change: bool = False) -> None:
        self.id = id
        self.article = article
        self.title = title  # English message id; placeholders name parameters; see ``title_of``
        self.per_participant = per_participant
        #: Not in the 2020 regime: a rule change of a later round adds it.
        self.added_by_change = added_by_change

    def on_article(self, article: str) -> CriterionInfo:
        """The same criterion resting on ``article`` (a later round's)."""
        return CriterionInfo(self.id, article, self.title, self.per_participant,
                             self.added_by_change)


CriterionFn = Callable[["Context"], Outcome]
ParticipantFn = Callable[["Context", int, Participant], Outcome]

#: Every criterion by ID, as its module registered it; ``criteria.ORDER`` sets the order.
REGISTERED: dict[str, tuple[CriterionInfo, Callable[..., Outcome]]] = {}


def criterion(criterion_id: str, article: str, title: str, *, per_participant: bool = False,  # type: ignore[no-untyped-def]
              added_by_change: bool = False):
    def register(fn: Callable[..., Outcome]) -> Callable[..., Outcome]:
        if criterion_id in REGISTERED:
            raise ValueError(f"criterion {criterion_id} registered twice")
        REGISTERED[criterion_id] = (
            CriterionInfo(criterion_id, article, title, per_participant, added_by_change), fn)
        return fn

    return register


def blank(text: str | None) -> bool:
    return text is None or not text.strip()


def role_key(p: Participant) -> str | None:
    """The chain role a participant counts for (``other`` counts once it is named)."""
    if p.chain_role is None:
        return None
    if p.chain_role == ChainRole.OTHER:
        named = (p.chain_role_other or "").strip().casefold()
        return f"other:{named}" if named else None
    return str(p.chain_role)


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved ``years`` on; 29 February becomes 28 February; past 9999: the last day."""
    year = day.year + years
    if year > dt.MAXYEAR:
        return dt.date.max
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February into a common year
        return day.replace(year=year, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` on, clipped to the month's last day; past 9999: the last day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    if year > dt.MAXYEAR:
        return dt.date.max
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))

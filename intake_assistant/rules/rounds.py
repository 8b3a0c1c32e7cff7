"""The rounds of the scheme: which ruleset an application date belongs to.

Each ruleset is one round (``round = 2021`` in its TOML) with the day its text entered into
force (``in_force``) and its opening period (the ``opening_period`` parameter, ``first/last``,
ISO dates, times after ``T`` ignored: an application date is a day). The round of a date is the
round whose rules are in force on it: the last round whose text had entered into force by then
(years.md, "Rounds"), failing that the first round. A pre-check is usually made before a round
opens: on 31 March 2021 the 2021 rules apply, though round 2021 opens on 1 April. Whether a round
is open on the date is a separate question (``open_round``; APPLICATION-WINDOW warns when none
is). The regulation expires on ``regulation_expiry``; no later round is known.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import TYPE_CHECKING

from intake_assistant.i18n import Day, Joined, Message
from intake_assistant.records import Record
from intake_assistant.rules.ruleset import Params, Ruleset, available_rulesets, load_ruleset

if TYPE_CHECKING:
    from intake_assistant.models import DraftApplication
    from intake_assistant.rules.findings import Report

AUTO = "auto"


class Round(Record):
    """A round of the scheme: its ruleset, opening period, ceiling and the day in force."""

    __slots__ = ("ceiling_eur", "ceiling_verified", "first", "in_force", "last",
                 "period_verified", "ruleset_id", "title", "year")

    def __init__(self, ruleset_id: str, year: int, title: str, first: dt.date, last: dt.date,
                 period_verified: bool, ceiling_eur: float, ceiling_verified: bool,
                 in_force: dt.date) -> None:
        self.ruleset_id = ruleset_id
        self.year = year
        self.title = title  # English message id (the rules catalog translates it)
        self.first = first
        self.last = last
        self.period_verified = period_verified
        self.ceiling_eur = ceiling_eur
        self.ceiling_verified = ceiling_verified
        self.in_force = in_force  # the day the round's text entered into force

    def holds(self, day: dt.date) -> bool:
        return self.first <= day <= self.last


def parse_period(value: object) -> tuple[dt.date, dt.date] | None:
    """``"2021-04-01T09:00/2021-09-30T12:00"`` as its first and last day (None when empty)."""
    text = str(value or "")
    if "/" not in text:
        return None
    first, last = (dt.date.fromisoformat(part[:10]) for part in text.split("/", 1))
    return first, last


def round_of_ruleset(ruleset: Ruleset) -> Round | None:
    if ruleset.round is None:
        return None
    params = ruleset.params_on(ruleset.reference_date)
    period = parse_period(params.opening_period)
    if period is None:
        return None
    return Round(ruleset.id, int(ruleset.round), ruleset.title, period[0], period[1],
                 params.verified("opening_period"), float(params.subsidy_ceiling_eur),
                 params.verified("subsidy_ceiling_eur"), ruleset.in_force or period[0])


@cache
def rounds() -> tuple[Round, ...]:
    """Every round the pre-check knows, in order of opening."""
    found = [r for r in (round_of_ruleset(load_ruleset(i)) for i in available_rulesets()) if r]
    return tuple(sorted(found, key=lambda r: r.first))


def round_for_date(day: dt.date) -> Round:
    """The round whose rules are in force on an application date (see the module docstring)."""
    known = rounds()
    in_force = [r for r in known if r.in_force <= day]
    return max(in_force, key=lambda r: r.in_force) if in_force else known[0]


def open_round(day: dt.date) -> Round | None:
    """The round open on ``day``, if any."""
    return next((r for r in rounds() if r.holds(day)), None)


def regulation_expiry() -> dt.date:
    latest = rounds()[-1]
    return load_ruleset(latest.ruleset_id).params_on(latest.first).regulation_expiry


def resolve_ruleset_id(requested: str | None, application_date: dt.date | None,
                       fallback: str) -> str:
    """``auto`` (or nothing asked) becomes the round of the application date."""
    if requested and requested != AUTO:
        return requested
    if application_date is None:
        return fallback
    return round_for_date(application_date).ruleset_id


# -------------------------------------------------------------------------------------------
# What the user is told about the rounds (rules catalog).


def round_label(ruleset_id: str) -> Message:
    """The round's title in the user's language, with its ruleset ID."""
    ruleset = load_ruleset(ruleset_id)
    return Message("{title} (ruleset {ruleset})", title=Message(ruleset.title), ruleset=ruleset.id)


def coverage(today: dt.date) -> Message:
    """Which rounds the pre-check covers, and whether one is open ``today``."""
    known = rounds()
    years = Joined(tuple(str(r.year) for r in known), ", ")
    current = open_round(today)
    if current is not None:
        return Message("Rounds covered: {years}. Open today: round {year}, until {last}.",
                       years=years, year=str(current.year), last=Day(current.last))
    expiry = regulation_expiry()
    if today >= expiry:
        return Message("Rounds covered: {years}. No round is open today: the regulation expired "
                       "on {expiry} and no later round is known.", years=years, expiry=Day(expiry))
    return Message("Rounds covered: {years}. No round is open today.", years=years)


def unverified_basis(report: Report, draft: DraftApplication) -> tuple[Message, ...]:
    """The unverified values the verdict of ``report`` rests on, in the order the findings
    first name them, each with its value and source as in force on the draft's application
    date: the list the text of `check`, the reports and the terminal's summary show.
    ``UnknownRulesetError`` for a report of a ruleset that is not ours."""
    from intake_assistant.rules.criteria.criterion_outcomes import unverified_note_short

    params = load_ruleset(report.ruleset_id).params_on(
        draft.project.application_date if draft.project else None)
    return tuple(unverified_note_short(params, name) for name in report.unverified())


def verdict_basis_message(values: tuple[object, ...]) -> Message:
    """"The verdict rests on unverified values: ...": the values of ``unverified_basis`` (or
    their texts) in one line, as the text of `check` and the terminal's summary show them."""
    return Message("The verdict rests on unverified values: {values}",
                   values=Joined(values, "; "))


def unverified_parameters(ruleset: Ruleset, params: Params) -> tuple[str, ...]:
    """The names of all parameters of ``ruleset`` whose value in ``params`` (the ruleset's on
    some day) is not verified, by name: a round's unverified values, whatever a verdict rests
    on."""
    return tuple(sorted(name for name in ruleset.parameters if not params.verified(name)))

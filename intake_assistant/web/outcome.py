"""The outcome page's figures: each participant's share of the eligible costs against the
round's maximum share, and the subsidy per participant, as bars with the figures beside them.

The bars are drawn by the template as inline SVG from these numbers (no script, no style
attribute: the page's CSP allows neither); the same figures are written as text beside them,
and the table below them holds every figure for a screen reader.
"""

from __future__ import annotations

from dataclasses import dataclass

from intake_assistant.flow.session import IntakeSession
from intake_assistant.i18n import Translator
from intake_assistant.report import participant_label

#: The width of a full bar in the SVG's user units (the SVG scales to the page).
BAR_WIDTH = 300


@dataclass(frozen=True, slots=True)
class Bar:
    name: str
    #: Length of the bar, 0..BAR_WIDTH.
    length: float
    text: str
    over: bool


@dataclass(frozen=True, slots=True)
class Bars:
    shares: list[Bar]
    #: Where the line of the maximum share stands, 0..BAR_WIDTH, and its text ("70 %").
    limit_at: float
    limit_text: str
    subsidies: list[Bar]
    max_subsidy_text: str


def outcome_bars(session: IntakeSession, tr: Translator) -> Bars | None:
    """The bars of the outcome page; None when no participant has costs yet."""
    from intake_assistant.rules import load_ruleset

    report, draft = session.report, session.draft
    sub = report.subsidy
    known = [p for p in sub.participants if p.costs_known]
    if not known:
        return None
    day = draft.project.application_date if draft.project else None
    limit = float(load_ruleset(report.ruleset_id).params_on(day).max_cost_share)
    shares = []
    for p in sub.participants:
        share = p.cost_share or 0.0
        shares.append(Bar(participant_label(tr, draft, p.index) or "",
                          round(BAR_WIDTH * min(share, 1.0), 1),
                          "–" if p.cost_share is None else tr.percent(share),
                          share > limit + 1e-12))
    top = max(sub.max_per_participant_eur, *(p.subsidy_eur for p in sub.participants), 1.0)
    subsidies = [Bar(participant_label(tr, draft, p.index) or "",
                     round(BAR_WIDTH * p.subsidy_eur / top, 1), tr.money(p.subsidy_eur),
                     False) for p in sub.participants]
    return Bars(shares, round(BAR_WIDTH * limit, 1), tr.percent(limit), subsidies,
                tr.money(sub.max_per_participant_eur))

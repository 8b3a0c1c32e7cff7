"""Each participant's share of the eligible costs against the round's maximum share, and the
subsidy per participant, as bars with the figures beside them: on the web intake's outcome
page and in the HTML report.

A bar is inline SVG made from numbers alone (no text of a draft inside it; no script, no style
attribute: a page's CSP allows neither), hidden from screen readers: the same figures are
written as text beside it, and the subsidy table holds every figure. No UI here.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from intake_assistant.i18n import Translator
from intake_assistant.models import DraftApplication
from intake_assistant.reports.wording import participant_label
from intake_assistant.rules.findings import Report
from intake_assistant.rules.subsidy import share_over

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


def subsidy_bars(report: Report, draft: DraftApplication, tr: Translator) -> Bars | None:
    """The bars of a pre-check; None when no participant has costs yet."""
    from intake_assistant.rules import load_ruleset

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
                          share_over(p.cost_share, limit)))
    top = max(sub.max_per_participant_eur, *(p.subsidy_eur for p in sub.participants), 1.0)
    subsidies = [Bar(participant_label(tr, draft, p.index) or "",
                     round(BAR_WIDTH * p.subsidy_eur / top, 1), tr.money(p.subsidy_eur),
                     False) for p in sub.participants]
    return Bars(shares, round(BAR_WIDTH * limit, 1), tr.percent(limit), subsidies,
                tr.money(sub.max_per_participant_eur))


#: Colours with a contrast of at least 3:1 against the white page and the light track.
_FILL = {"share": "#1a5ea8", "over": "#b3001b", "subsidy": "#2c6e2f"}


def bar_svg(bar: Bar, kind: str, limit_at: float | None = None) -> Markup:
    """One bar as inline SVG (``kind``: share or subsidy), the line of the maximum share at
    ``limit_at``; made from numbers only, so it is safe markup."""
    fill = _FILL["over" if bar.over else kind]
    line = "" if limit_at is None else (
        f'<line x1="{limit_at + 1:.1f}" x2="{limit_at + 1:.1f}" y1="0" y2="20" stroke="#000" '
        'stroke-width="2"></line>')
    return Markup(
        f'<svg class="intake-bar" viewBox="0 0 {BAR_WIDTH + 2} 20" width="100%" height="20" '
        'aria-hidden="true" focusable="false" preserveAspectRatio="none">'
        f'<rect x="1" y="2" width="{BAR_WIDTH}" height="16" fill="#f1f1f1" stroke="#5a5a5a" '
        'stroke-width="1"></rect>'
        f'<rect x="1" y="2" width="{float(bar.length):.1f}" height="16" fill="{fill}"></rect>'
        f"{line}</svg>")

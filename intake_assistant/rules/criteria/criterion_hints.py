"""The hints of the criteria: how far a draft is from passing, and the smallest change.

Each function is called by its criterion where it fails or warns on a number or a date, and
computes the hint from the round's parameters (``ctx.params``): no threshold is written here.
See ``rules/hints.py`` for what a hint is and how its changes are applied.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from intake_assistant.i18n import N_, Day, Joined, Message, Money, Number, Percent, Plural
from intake_assistant.models import ChainRole
from intake_assistant.rules.criteria.criterion_outcomes import add_months, add_years, role_key
from intake_assistant.rules.findings import Status
from intake_assistant.rules.hints import (
    AddCosts,
    AddParticipants,
    Change,
    Hint,
    MoveCosts,
    ReduceCosts,
    RemoveParticipants,
    SetAnswer,
    unused_roles,
    whole_euros_down,
    whole_euros_up,
)
from intake_assistant.rules.subsidy import share_over

if TYPE_CHECKING:
    from intake_assistant.rules.criteria.context import Context

CHAIN_ROLE_LABELS: dict[str, str] = {
    ChainRole.RAW_MATERIAL_SUPPLIER: N_("raw-material supplier"),
    ChainRole.DESIGNER: N_("designer"),
    ChainRole.PRODUCER: N_("producer"),
    ChainRole.PROCESSOR: N_("processor"),
    ChainRole.DISTRIBUTOR: N_("distributor"),
    ChainRole.RETAILER: N_("retailer"),
    ChainRole.USER: N_("user"),
    ChainRole.COLLECTOR: N_("collector"),
    ChainRole.REPAIRER: N_("repairer"),
    ChainRole.RECYCLER: N_("recycler"),
    ChainRole.OTHER: N_("other role"),
}


def _roles(roles: tuple[str, ...]) -> Joined:
    return Joined(tuple(Message(CHAIN_ROLE_LABELS[r]) for r in roles))


# -------------------------------------------------------------------------------------------
# Costs: where they can go without another criterion getting worse.


def _de_minimis_room(ctx: Context, j: int) -> float:
    """Eligible costs participant ``j`` can take on before its de-minimis ceiling is passed."""
    if "de-minimis-aid" not in ctx.ruleset.rule_changes:  # read nothing a round does not use
        return math.inf
    ceiling = getattr(ctx.params, "de_minimis_ceiling_eur", None)
    received = ctx.participants[j].de_minimis_received_eur
    if ceiling is None or received is None:
        return math.inf
    row = ctx.subsidy.participants[j]
    headroom = ceiling - received - row.subsidy_eur
    if headroom < 0 or row.capped or headroom >= ctx.subsidy.max_per_participant_eur - row.subsidy_eur:
        return math.inf  # already over (cannot get worse), or the cap comes first
    return max(0.0, whole_euros_down(headroom / ctx.subsidy.subsidy_rate) - 1)


def _spread(amount: float, rooms: dict[int, float]) -> tuple[tuple[int, float], ...] | None:
    """``amount`` spread over participants with room, the roomiest first (None: no room)."""
    out: list[tuple[int, float]] = []
    left = amount
    for j, room in sorted(rooms.items(), key=lambda item: (-item[1], item[0])):
        if left <= 0:
            break
        room = whole_euros_down(room) if room != math.inf else left
        take = min(room, left)
        if take > 0:
            out.append((j, take))
            left -= take
    return tuple(out) if left <= 0 else None


def cost_share_hint(ctx: Context, largest: int) -> Hint | None:
    """COST-SHARE-70: move costs of the largest bearer to the others, or add costs elsewhere."""
    rows = ctx.subsidy.participants
    if len(rows) < 2:
        return None  # no one to share with: PARTNERSHIP-SIZE says how many more are needed
    limit = ctx.params.max_cost_share
    total = sum(r.eligible_costs_eur for r in rows)
    own = rows[largest].eligible_costs_eur
    others = [r.index for r in rows if r.index != largest]
    options: list[tuple[Change, ...]] = []
    move = whole_euros_up(own - limit * total)
    targets = _spread(move, {j: min(limit * total - rows[j].eligible_costs_eur - 1,
                                    _de_minimis_room(ctx, j)) for j in others})
    moved = targets is not None and move <= own
    if moved:
        options.append((MoveCosts(largest, targets),))  # type: ignore[arg-type]
    add = whole_euros_up(own / limit - total)
    new_total = total + add
    added = _spread(add, {j: min(limit * new_total - rows[j].eligible_costs_eur - 1,
                                 _de_minimis_room(ctx, j)) for j in others})
    if added is not None:
        options.append((AddCosts(added),))
    figures = {"name": ctx.name(largest), "move": Money(move), "add": Money(add),
               "limit": Percent(limit)}
    if moved and added is not None:
        message = Message("Moving {move} of the eligible costs of {name} to the other partners, or "
                          "adding {add} of eligible costs at the other partners, brings its share "
                          "to {limit}.", **figures)
    elif added is not None:
        message = Message("Adding {add} of eligible costs at the other partners brings the share "
                          "of {name} to {limit}.", **figures)
    elif moved:
        message = Message("Moving {move} of the eligible costs of {name} to the other partners "
                          "brings its share to {limit}.", **figures)
    else:
        message = Message("{name} bears {move} of eligible costs more than {limit} allows; the "
                          "other partners have no room to take costs on within the limits.",
                          **figures)
    return Hint(message, tuple(options))


def cap_hint(ctx: Context) -> Hint | None:
    """SUBSIDY-AMOUNT: the subsidy each capped participant loses to the maximum per SME."""
    sub = ctx.subsidy
    lost = tuple(
        Message("{amount} of the subsidy of {name} is lost to the maximum of {maximum} per SME",
                amount=Money(round(r.eligible_costs_eur * sub.subsidy_rate - r.subsidy_eur, 2)),
                name=ctx.name(r.index), maximum=Money(sub.max_per_participant_eur))
        for r in sub.participants if r.capped)
    if not lost:
        return None
    return Hint(Message("{lost}.", lost=Joined(lost, "; ")))


def de_minimis_hint(ctx: Context, i: int, received: float, total: float, ceiling: float) -> Hint:
    """DE-MINIMIS: how far over the ceiling; the eligible costs to take off to get under it."""
    over = Money(round(total - ceiling, 2))
    name = ctx.name(i)
    row = ctx.subsidy.participants[i]
    allowed = ceiling - received  # the subsidy that still fits under the ceiling
    if allowed < 0:
        return Hint(Message("{name} is {over} over the de-minimis ceiling; its earlier de-minimis "
                            "aid alone is more than the ceiling, so no part of this subsidy fits.",
                            name=name, over=over))
    keep = whole_euros_down(allowed / ctx.subsidy.subsidy_rate)
    reduce = whole_euros_up(row.eligible_costs_eur - keep)
    rows = ctx.subsidy.participants
    limit = ctx.params.max_cost_share
    rest = [r.eligible_costs_eur - (reduce if r.index == i else 0) for r in rows]
    total_after = sum(rest)
    shares_ok = not any(share_over(r.cost_share, limit) for r in rows)
    fits = total_after > 0 and (not shares_ok or max(rest) <= limit * total_after - 1e-9)
    options = ((ReduceCosts(i, reduce),),) if fits and reduce <= row.eligible_costs_eur else ()
    return Hint(Message("{name} is {over} over the de-minimis ceiling; {reduce} less of its "
                        "eligible costs (a subsidy of at most {allowed}) keeps it within.",
                        name=name, over=over, reduce=Money(reduce),
                        allowed=Money(max(0.0, allowed))), options)


# -------------------------------------------------------------------------------------------
# The partnership.


def _removal(ctx: Context, count: int, candidates: list[int]) -> tuple[int, ...] | None:
    """``count`` of ``candidates`` that can leave without hurting the other criteria."""
    ps = ctx.participants
    keys = [role_key(p) for p in ps]
    need_roles, low = ctx.params.min_chain_roles, ctx.params.min_participants
    distinct_all = len({k for k in keys if k})
    rows = ctx.subsidy.participants
    costs_known = all(r.costs_known for r in rows)
    limit = ctx.params.max_cost_share
    shares_ok = costs_known and not any(share_over(r.cost_share, limit) for r in rows)
    total = sum(r.eligible_costs_eur for r in rows)

    def staying_ok(rest: list[int]) -> bool:
        staying = [j for j in rest if ps[j].continues_after_project]
        return len(staying) >= low and len({keys[j] for j in staying if keys[j]}) >= need_roles

    continues_ok = staying_ok(list(range(len(ps))))
    order = sorted((i for i in candidates if not ps[i].is_lead_applicant),
                   key=lambda i: (bool(ps[i].continues_after_project), rows[i].eligible_costs_eur, i))
    chosen: list[int] = []
    for i in order:
        trial = {*chosen, i}
        rest = [j for j in range(len(ps)) if j not in trial]
        if len({keys[j] for j in rest if keys[j]}) < min(need_roles, distinct_all):
            continue
        if continues_ok and not staying_ok(rest):
            continue
        rest_total = sum(rows[j].eligible_costs_eur for j in rest)
        if total > 0 and rest_total <= 0:
            continue
        if shares_ok and any(rows[j].eligible_costs_eur > limit * rest_total + 1e-9 for j in rest):
            continue
        chosen.append(i)
        if len(chosen) == count:
            return tuple(chosen)
    return None


def _new_roles(ctx: Context, count: int) -> tuple[str, ...]:
    free = unused_roles({role_key(p) for p in ctx.participants})
    present = [str(p.chain_role) for p in ctx.participants if p.chain_role] or [str(ChainRole.PRODUCER)]
    return tuple((free + present * count)[:count])


def _more_smes(count: int) -> Message:
    return Plural("One more SME is needed.", "{count} more SMEs are needed.", "count",
                  count=count)


def too_few_hint(ctx: Context, count: int, minimum: int) -> Hint:
    """PARTNERSHIP-SIZE below the minimum: more SMEs (or, where allowed, a large enterprise)."""
    more = minimum - count
    notes = ()
    allowed = getattr(ctx.params, "max_large_enterprises", None)
    if allowed and "one-large-enterprise-allowed" in ctx.ruleset.rule_changes:
        notes = (Message("In this round a large enterprise may join too: with at most {allowed} "
                         "large enterprise, {minimum} to {maximum} SMEs are enough.",
                         allowed=int(allowed), minimum=int(ctx.params.min_smes_with_large),
                         maximum=int(ctx.params.max_smes_with_large)),)
    return Hint(_more_smes(more), ((AddParticipants(_new_roles(ctx, more)),),), notes)


def too_many_hint(ctx: Context, over: int, maximum: int, candidates: list[int],
                  what: Message) -> Hint:
    """PARTNERSHIP-SIZE above the maximum: which participants could leave."""
    chosen = _removal(ctx, over, candidates)
    options = ((RemoveParticipants(chosen),),) if chosen else ()
    if chosen:
        message = Message("{over} {what} too many (at most {maximum}); for example without "
                          "{names} the other criteria still hold.", over=over, what=what,
                          maximum=maximum, names=Joined(tuple(ctx.name(i) for i in chosen)))
    else:
        message = Message("{over} {what} too many (at most {maximum}).", over=over, what=what,
                          maximum=maximum)
    return Hint(message, options)


def sme_shortfall_hint(ctx: Context, smes: int, minimum: int) -> Hint:
    """PARTNERSHIP-SIZE with a large enterprise and too few SMEs."""
    more = minimum - smes
    return Hint(_more_smes(more), ((AddParticipants(_new_roles(ctx, more)),),))


def chain_roles_hint(ctx: Context, distinct: int, need: int, counted: list[int]) -> Hint:
    """CHAIN-ROLES: who could take another role, or which roles new partners could bring
    (``counted``: the participants whose roles count)."""
    missing = need - distinct
    keys = [role_key(ctx.participants[i]) for i in counted]
    seen: set[str | None] = set()
    sharing: list[int] = []
    for i, key in zip(counted, keys, strict=True):
        if key in seen:
            sharing.append(i)
        seen.add(key)
    free = unused_roles(set(keys))
    movers = sharing[:missing]
    new_count = missing - len(movers)
    roles = tuple(free[:missing])
    changes: list[Change] = [SetAnswer(f"participants[{i}].chain_role", role)
                             for i, role in zip(movers, roles, strict=False)]
    if new_count:
        changes.append(AddParticipants(roles[len(movers):]))
    first = Plural("One more distinct chain role is needed.",
                   "{count} more distinct chain roles are needed.", "count", count=missing)
    if movers and not new_count:
        how = Message("{names} shares a role with another participant and could take a role "
                      "not yet in the chain, such as {roles}.",
                      names=Joined(tuple(ctx.name(i) for i in movers)), roles=_roles(roles))
    else:
        how = Message("A new participant in a role not yet in the chain, such as {roles}, would "
                      "add one.", roles=_roles(roles[len(movers):]))
    options = ((*changes,),)
    if new_count and len(ctx.participants) + new_count > ctx.params.max_participants:
        options = ()  # adding partners would pass the maximum size
    return Hint(first, options, (how,))


def continues_hint(ctx: Context, low: int, need_roles: int, counted: list[int],
                   lead: int | None = None) -> Hint | None:
    """PARTNERSHIP-CONTINUES: who else would have to keep cooperating (of ``counted``, the
    participants that count; ``lead`` first where the lead applicant must keep on too)."""
    ps = ctx.participants
    staying = [i for i in counted if ps[i].continues_after_project]
    roles = {role_key(ps[i]) for i in staying} - {None}
    leaving = [i for i in counted if not ps[i].continues_after_project]
    # The lead first where it must stay, then new roles, then anyone, until both the count and
    # the roles are enough.
    leaving.sort(key=lambda i: (i != lead, role_key(ps[i]) in roles or role_key(ps[i]) is None, i))
    chosen: list[int] = []
    for i in leaving:
        if (len(staying) + len(chosen) >= low and len(roles) >= need_roles
                and (lead is None or lead in chosen)):
            break
        chosen.append(i)
        if role_key(ps[i]):
            roles.add(role_key(ps[i]))
    if not chosen or len(staying) + len(chosen) < low or len(roles) < need_roles:
        return None
    return Hint(Message("If {names} also keep cooperating after the project, the partnership "
                        "continues as required.", names=Joined(tuple(ctx.name(i) for i in chosen))),
                ((*(SetAnswer(f"participants[{i}].continues_after_project", True) for i in chosen),),))


def sme_hint(ctx: Context, i: int) -> Hint | None:
    """SME-STATUS failing on the figures: which thresholds fail, and by how much."""
    p = ctx.participants[i]
    if p.large_enterprise or p.public_bodies_control_25pct:
        return None  # not a number
    params = ctx.params
    parts: list[Message] = []
    changes: list[Change] = []
    staff, turnover, balance = p.staff_units, p.annual_turnover_eur, p.balance_sheet_total_eur
    max_staff = params.sme_max_staff_units
    if staff is not None and staff >= max_staff:
        target = float(max_staff - 1)
        parts.append(Message("staff {staff} of fewer than {limit} ({fewer} fewer needed)",
                             staff=Number(staff), limit=Number(max_staff),
                             fewer=Number(round(staff - target, 2))))
        changes.append(SetAnswer(f"participants[{i}].staff_units", target))
    max_t, max_b = params.sme_max_turnover_eur, params.sme_max_balance_sheet_eur
    if turnover is not None and balance is not None and turnover > max_t and balance > max_b:
        parts.append(Message("turnover {turnover} of at most {max_turnover} and balance-sheet total "
                             "{balance} of at most {max_balance}: one of them must come down, by "
                             "{turnover_over} or by {balance_over}",
                             turnover=Money(turnover), max_turnover=Money(max_t),
                             balance=Money(balance), max_balance=Money(max_b),
                             turnover_over=Money(round(turnover - max_t, 2)),
                             balance_over=Money(round(balance - max_b, 2))))
        if turnover - max_t <= balance - max_b:
            changes.append(SetAnswer(f"participants[{i}].annual_turnover_eur", float(max_t)))
        else:
            changes.append(SetAnswer(f"participants[{i}].balance_sheet_total_eur", float(max_b)))
    if not parts:
        return None
    options: tuple[tuple[Change, ...], ...] = ((*changes,),)
    # As an SME it would count in the partnership: past its maximum the change is no way out.
    counted = sum(1 for result in ctx.sme if result.status is not Status.FAIL)
    if counted + 1 > params.max_participants:
        options = ()
    return Hint(Message("{name} is no SME on: {parts}.", name=ctx.name(i),
                        parts=Joined(tuple(parts), "; ")), options)


# -------------------------------------------------------------------------------------------
# Dates and the facilitator.


def _days(n: int) -> Message:
    return Plural("{days} day", "{days} days", "days", days=n)


def duration_hint(ctx: Context, start: dt.date, end: dt.date, latest: dt.date) -> Hint:
    """DURATION: the latest end date, and how many days earlier that is."""
    if end < start:
        return Hint(Message("End the project on or after its start {start}, at the latest on "
                            "{latest}.", start=Day(start), latest=Day(latest)),
                    ((SetAnswer("project.end_date", latest),),))
    return Hint(Message("End by {latest} ({days} earlier).", latest=Day(latest),
                        days=_days((end - latest).days)),
                ((SetAnswer("project.end_date", latest),),))


def start_window_hint(ctx: Context, start: dt.date, end: dt.date | None,
                      latest: dt.date) -> Hint:
    """START-WINDOW: the latest start date (and, if the duration would pass its maximum, end)."""
    changes: list[Change] = [SetAnswer("project.start_date", latest)]
    notes = ()
    last_end = add_years(latest, int(ctx.params.max_duration_years))
    if end is not None and end > last_end:
        changes.append(SetAnswer("project.end_date", last_end))
        notes = (Message("The end date then moves to {end} at the latest.", end=Day(last_end)),)
    return Hint(Message("Start by {latest} ({days} earlier).", latest=Day(latest),
                        days=_days((start - latest).days)), ((*changes,),), notes)


def incentive_hint(ctx: Context, start: dt.date, applied: dt.date) -> Hint:
    """GBER-INCENTIVE on the dates: start on the application date at the earliest."""
    changes: list[Change] = [SetAnswer("project.start_date", applied)]
    end = ctx.project.end_date
    if end is not None:
        # The project keeps its length, within the maximum duration.
        new_end = min(applied + (end - start) if end >= start else applied,
                      add_years(applied, int(ctx.params.max_duration_years)))
        if new_end != end:
            changes.append(SetAnswer("project.end_date", new_end))
    return Hint(Message("Start on or after {application} ({days} later).",
                        application=Day(applied), days=_days((applied - start).days)),
                ((*changes,),))


def application_window_hint(ctx: Context, applied: dt.date, first: dt.date, last: dt.date,
                            year: int) -> Hint:
    """APPLICATION-WINDOW outside the draft's round: a date inside its opening period that
    keeps the start after the application and within the start term."""
    start = ctx.project.start_date
    day = last if start is None else min(last, start)
    options: tuple[tuple[Change, ...], ...] = ()
    if day >= first and (start is None or start <= add_months(
            day, int(ctx.params.start_after_grant_months))):
        options = ((SetAnswer("project.application_date", day),),)
    return Hint(Message("Apply between {first} and {last} (round {year}); for example on "
                        "{date}.", first=Day(first), last=Day(last), year=str(year),
                        date=Day(day)), options)


def experience_hint(ctx: Context, years: float, minimum: float) -> Hint:
    """FACILITATOR-EXPERIENCE: how much experience is short."""
    return Hint(Plural("A facilitator with {short} more year of experience ({minimum} in all) "
                       "meets this.", "A facilitator with {short} more years of experience "
                       "({minimum} in all) meets this.", "short",
                       short=Number(round(minimum - years, 2)), minimum=Number(minimum)),
                ((SetAnswer("facilitator.experience_years", float(minimum)),),))

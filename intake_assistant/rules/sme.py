"""The SME test of GBER Annex I for one participant (art. 2.1): its size class or why not.

Beside ``subsidy``: a figure derived from the draft and the round's parameters that the
criteria (``criteria.context``), the flow (the size class of each partner) and the screens
use; no criterion of its own (``SME-STATUS`` words this result).
"""

from __future__ import annotations

from intake_assistant.i18n import N_, Message, Money, Number, Percent
from intake_assistant.models import Participant
from intake_assistant.records import Record
from intake_assistant.rules.findings import Status, ppath
from intake_assistant.rules.ruleset import Params

SME_CLASS_LABELS = {"micro": N_("micro enterprise"), "small": N_("small enterprise"),
                    "medium": N_("medium-sized enterprise")}


class SmeResult(Record):
    """SME test of GBER Annex I for one participant."""

    __slots__ = ("message", "needs", "size_class", "status")
    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it was

    def __init__(self, status: Status, size_class: str | None, message: Message,
                 needs: tuple[str, ...]) -> None:
        self.status = status
        self.size_class = size_class  # micro | small | medium, when an SME
        self.message = message
        self.needs = needs


def sme_test(i: int, p: Participant, params: Params) -> SmeResult:
    name = p.name or Message("participant {number}", number=i + 1)
    if p.large_enterprise:  # a version-2 answer: no SME figures are asked then
        return SmeResult(Status.FAIL, None, Message(
            "{name} takes part as a large enterprise, not as an SME.", name=name), ())
    if p.public_bodies_control_25pct:
        return SmeResult(Status.FAIL, None, Message(
            "{name} is controlled for {share} or more by public bodies and so is not an SME.",
            name=name, share=Percent(params.public_control_share)), ())
    staff, turnover, balance = p.staff_units, p.annual_turnover_eur, p.balance_sheet_total_eur
    max_staff = params.sme_max_staff_units
    if staff is not None and staff >= max_staff:
        return SmeResult(Status.FAIL, None, Message(
            "{name} has {staff} staff units; an SME has fewer than {limit}.",
            name=name, staff=Number(staff), limit=Number(max_staff)), ())
    max_turnover, max_balance = params.sme_max_turnover_eur, params.sme_max_balance_sheet_eur
    turnover_ok = turnover is not None and turnover <= max_turnover
    balance_ok = balance is not None and balance <= max_balance
    money_known = turnover is not None and balance is not None
    if not (turnover_ok or balance_ok) and money_known:
        return SmeResult(Status.FAIL, None, Message(
            "{name} has a turnover of {turnover} and a balance-sheet total of {balance}; an SME "
            "has at most {max_turnover} turnover or at most {max_balance} balance-sheet total.",
            name=name, turnover=Money(turnover), balance=Money(balance),  # type: ignore[arg-type]
            max_turnover=Money(max_turnover), max_balance=Money(max_balance)), ())
    needs = []
    if staff is None:
        needs.append(ppath(i, "staff_units"))
    if not (turnover_ok or balance_ok):
        if turnover is None:
            needs.append(ppath(i, "annual_turnover_eur"))
        if balance is None:
            needs.append(ppath(i, "balance_sheet_total_eur"))
    if p.public_bodies_control_25pct is None:
        needs.append(ppath(i, "public_bodies_control_25pct"))
    if p.figures_include_linked_and_partner is None:
        needs.append(ppath(i, "figures_include_linked_and_partner"))
    if needs:
        return SmeResult(Status.UNKNOWN, None, Message(
            "Give the staff, turnover and balance-sheet figures of {name} to test SME status.",
            name=name), tuple(needs))
    assert staff is not None

    def money_within(limit: float) -> bool:
        return (turnover is not None and turnover <= limit) or (balance is not None and balance <= limit)

    if staff < params.micro_max_staff_units and money_within(params.micro_max_money_eur):
        size = "micro"
    elif staff < params.small_max_staff_units and money_within(params.small_max_money_eur):
        size = "small"
    else:
        size = "medium"
    if not p.figures_include_linked_and_partner:
        return SmeResult(Status.WARN, size, Message(
            "{name} seems to be an SME ({size}), but its figures do not include linked and "
            "partner enterprises; add them (100 % of linked, the share of partner enterprises) "
            "and check again.", name=name, size=Message(SME_CLASS_LABELS[size])), ())
    return SmeResult(Status.PASS, size, Message("{name} is an SME: {size}.", name=name,
                                                size=Message(SME_CLASS_LABELS[size])), ())

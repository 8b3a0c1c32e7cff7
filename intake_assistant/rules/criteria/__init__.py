"""The criteria of the circular chain projects subsidy, as pure functions over the draft.

One module per part of the regulation, each criterion beside the operative words of its
article (quoted in its docstring, from the digest and the Toelichting 2020):

- ``gber``: the GBER rejection grounds of art. 1.3 and, from 2022, the de-minimis ceiling;
- ``partnership``: the chain partnership of art. 2.1 and the lead applicant of art. 2.9;
- ``facilitator``: the process facilitator (art. 2.1, 2.3 b, 2.4 (2), 2.12 a);
- ``project``: the project itself (art. 2.3, 2.11);
- ``costs``: costs, subsidy and the application (art. 2.4-2.13).

``criterion_outcomes`` holds what a criterion returns and how it registers; ``context`` what it may look
at. Each criterion is registered with its stable ID (part of the public interface), the article
it comes from and a short title. ``ORDER`` below is the one order of the findings. A criterion
``added_by_change`` is not in the 2020 regime: a later round's rule change adds it.
"""

from __future__ import annotations

from collections.abc import Callable

# Importing the modules registers their criteria.
from intake_assistant.rules.criteria import costs, facilitator, gber, partnership, project
from intake_assistant.rules.criteria.context import Context
from intake_assistant.rules.criteria.criterion_outcomes import (
    CATEGORY_LABELS,
    PARAMETER_LABELS,
    REGISTERED,
    CriterionInfo,
    Outcome,
    failed,
    informed,
    missing,
    passed,
    warned,
)

# The order of the findings (and of the summary's sections).
ORDER: tuple[str, ...] = (
    # gber
    "GBER-INCENTIVE", "GBER-DIFFICULTY", "GBER-CUMULATION", "GBER-EXCLUDED", "DE-MINIMIS",
    # partnership
    "SME-STATUS", "PARTNERSHIP-SIZE", "CHAIN-ROLES", "NO-GROUP", "LEAD-APPLICANT",
    "EFFECTIVE-COLLABORATION",
    # facilitator
    "FACILITATOR-APPOINTED", "FACILITATOR-INDEPENDENT", "FACILITATOR-EXPERIENCE",
    "FACILITATOR-MARKET-RATE",
    # project
    "ACTIVITY-TYPE", "RESOURCE-CO2", "NO-DOWNCYCLING", "TEXTILE-FIBRE-TO-FIBRE",
    "MARKET-APPLICATION", "PARTNERSHIP-CONTINUES", "DURATION", "START-WINDOW", "ONE-PER-YEAR",
    "REPEAT-APPLICATION",
    # costs
    "COST-SHARE-70", "ELIGIBLE-COSTS", "SUBSIDY-AMOUNT", "APPLICATION-WINDOW", "COMPLETENESS",
    "REPORTING",
)

if set(ORDER) != set(REGISTERED) or len(ORDER) != len(REGISTERED):
    raise RuntimeError("criteria.ORDER must list every registered criterion exactly once: "
                       f"{sorted(set(ORDER) ^ set(REGISTERED))}")

#: Every criterion any round checks, in the order of the findings.
ALL_CRITERIA: list[CriterionInfo] = [REGISTERED[cid][0] for cid in ORDER]
#: The criteria of the 2020 regime (the ones no rule change has to add).
CRITERIA: list[CriterionInfo] = [c for c in ALL_CRITERIA if not c.added_by_change]


def function_of(criterion_id: str) -> Callable[..., Outcome]:
    return REGISTERED[criterion_id][1]


__all__ = [
    "ALL_CRITERIA",
    "CATEGORY_LABELS",
    "CRITERIA",
    "ORDER",
    "PARAMETER_LABELS",
    "Context",
    "CriterionInfo",
    "Outcome",
    "costs",
    "facilitator",
    "failed",
    "function_of",
    "gber",
    "informed",
    "missing",
    "partnership",
    "passed",
    "project",
    "warned",
]

"""The evaluation context: what every criterion may look at."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from intake_assistant.i18n import Message
from intake_assistant.models import DraftApplication, Facilitator, Participant, Project
from intake_assistant.rules.findings import SubsidyCalculation
from intake_assistant.rules.ruleset import Params, Ruleset
from intake_assistant.rules.sme import SmeResult, sme_test


class Context:
    """What every criterion may look at: the draft, its parameters and derived figures."""

    def __init__(
        self, draft: DraftApplication, ruleset: Ruleset, subsidy_fn: Callable[..., SubsidyCalculation]
    ) -> None:
        self.draft = draft
        self.ruleset = ruleset
        self.project: Project = draft.project or Project()
        self.participants: Sequence[Participant] = draft.participants or ()
        self.participants_answered = draft.participants is not None
        self.facilitator: Facilitator | None = draft.facilitator
        self.facilitator_answered = draft.facilitator_answered
        self.params: Params = ruleset.params_on(self.project.application_date)
        self.subsidy: SubsidyCalculation = subsidy_fn(self.participants, self.params)
        self.sme: list[SmeResult] = [
            sme_test(i, p, self.params) for i, p in enumerate(self.participants)
        ]

    def name(self, index: int) -> object:
        participant = self.participants[index]
        if participant.name:
            return participant.name
        return Message("participant {number}", number=index + 1)


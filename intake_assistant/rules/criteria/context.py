"""The evaluation context: what every criterion may look at.

The criteria see the draft, its parameters and the derived figures through views that note
what they read (``rules/basis.py``): ``evaluate`` points ``recording.current`` at the basis of
the finding being made, so each finding rests on exactly what its criterion read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from intake_assistant.i18n import Message
from intake_assistant.models import DraftApplication, Facilitator, Participant, Project
from intake_assistant.rules.basis import (
    Basis,
    DerivedList,
    EmptyList,
    ListView,
    Recording,
    SubsidyView,
    params_view,
    record,
    view_of,
)
from intake_assistant.rules.findings import SubsidyCalculation
from intake_assistant.rules.ruleset import Params, Ruleset
from intake_assistant.rules.sme import SmeResult, sme_test


@cache
def _empty_project() -> Project:
    """The project of a draft without one; made when first needed (making a model builds its
    validator, deferred until then: see ``models``)."""
    return Project()


class Context:
    """What every criterion may look at: the draft, its parameters and derived figures."""

    def __init__(
        self, draft: DraftApplication, ruleset: Ruleset, subsidy_fn: Callable[..., SubsidyCalculation],
        *, record_basis: bool = True,
    ) -> None:
        rec = self.recording = Recording()
        self.draft = draft
        self.ruleset = ruleset
        project = draft.project or _empty_project()
        self._facilitator: Any = None
        self.basis_recorded = record_basis
        self._once: dict[Callable[[Context], Any], tuple[Any, Basis | None]] = {}
        if not record_basis:  # the draft as it is: nothing noted (a text without the bases)
            self.project = project
            self.participants = draft.participants or ()
            self.participants_answered = draft.participants is not None
            self.params = ruleset.params_on(project.application_date)
            self.subsidy = self.subsidy_calculation = subsidy_fn(self.participants, self.params)
            self.sme = [sme_test(i, p, self.params) for i, p in enumerate(self.participants)]
            return
        self.project: Project = view_of(project, "project.", rec)  # type: ignore[assignment]
        participants = draft.participants
        self.participants: Sequence[Participant] = (
            ListView(participants, "participants", rec) if participants
            else EmptyList("participants", participants, rec))
        self.participants_answered = participants is not None
        day = project.application_date
        self.params: Params = params_view(  # type: ignore[assignment]
            ruleset.params_on(day), rec, _dated(ruleset), day)
        self.subsidy_calculation, read = record(rec, subsidy_fn, self.participants, self.params)
        self.subsidy: SubsidyCalculation = SubsidyView(  # type: ignore[assignment]
            self.subsidy_calculation, read, self.params, rec)  # type: ignore[arg-type]
        tested = [record(rec, sme_test, i, p, self.params) for i, p in enumerate(self.participants)]
        self.sme: Sequence[SmeResult] = DerivedList([r for r, _ in tested], [b for _, b in tested],
                                                    rec)

    @property
    def facilitator_answered(self) -> bool:
        answered = self.draft.facilitator_answered
        if not answered:
            self.recording.current.answers["facilitator"] = None
        return answered

    @property
    def facilitator(self) -> Facilitator | None:
        """The facilitator; that one is appointed (or not) is itself an answer read."""
        raw = self.draft.facilitator
        if not self.basis_recorded:
            return raw
        self.recording.current.answers["facilitator"] = raw
        if raw is None:
            return None
        if self._facilitator is None:
            self._facilitator = view_of(raw, "facilitator.", self.recording)
        return self._facilitator  # type: ignore[no-any-return]

    def once(self, compute: Callable[[Context], Any]) -> Any:
        """``compute(self)``, computed once per draft for the criteria that ask for it; each
        asking finding rests on what it read, as if it had computed it itself (taken in the
        order it was read: the basis is the same)."""
        kept = self._once.get(compute)
        if kept is None:
            if self.basis_recorded:
                kept = self._once[compute] = record(self.recording, compute, self)
            else:
                kept = self._once[compute] = (compute(self), None)
        value, basis = kept
        if basis is not None:
            self.recording.current.take(basis)
        return value

    def name(self, index: int) -> object:
        participant = self.participants[index]
        if participant.name:
            return participant.name
        return Message("participant {number}", number=index + 1)


@cache
def _dated(ruleset: Ruleset) -> frozenset[str]:
    """The parameters whose value in this round depends on the day."""
    return frozenset(name for name, p in ruleset.parameters.items() if len(p.values) > 1)

"""What the flow takes from the round: its numbers for the texts, and which round it is.

A dialog text names a threshold as ``{max_participants}``; it is filled here from the round's
ruleset, formatted for the language, so no number is written twice.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from intake_assistant.i18n import translator

if TYPE_CHECKING:
    from .session import IntakeSession


def flow_rulesets() -> list[str]:
    """Every round that has a question flow (``dialogs/<ruleset>/flow.yaml``)."""
    return list(_flow_rulesets())


@lru_cache(maxsize=1)  # the folder is read once: the intake asks after every change
def _flow_rulesets() -> tuple[str, ...]:
    from intake_assistant.i18n import resource_dir

    return tuple(sorted(p.parent.name for p in resource_dir("dialogs").glob("*/flow.yaml")))


@lru_cache(maxsize=32)
def ruleset_texts(ruleset_id: str, language: str) -> dict[str, str]:
    """Every numeric parameter of the round ``ruleset_id`` as text in ``language``."""
    from intake_assistant.rules import UnknownRulesetError, load_ruleset
    from intake_assistant.rules.texts import placeholders

    try:
        ruleset = load_ruleset(ruleset_id)
    except UnknownRulesetError:  # a flow without a ruleset of its own: no numbers to fill
        return {}
    return dict(placeholders(ruleset.params_on(None), translator(language)))


def session_for_round(session: IntakeSession) -> IntakeSession:
    """The same intake under the round of its application date, once that date is answered.

    A new intake starts under the first round and follows the date: answers are kept (the
    questions keep their ids across rounds; a later round's new questions are then open). An
    imported or replayed draft keeps the ruleset it names (its round is checked and a date in
    another round warns). Returns ``session`` itself when nothing changes.
    """
    from intake_assistant.rules.rounds import round_for_date

    project = session.draft.project
    day = project.application_date if project else None
    if day is None:
        return session
    target = round_for_date(day).ruleset_id
    # Checked before the state is copied: this runs after every change of the intake.
    if target == session.ruleset or target not in _flow_rulesets():
        return session
    data = session.to_state_dict()
    if not data.get("follow_language", True):
        return session
    data["ruleset"] = target
    data["draft_meta"] = {**data["draft_meta"], "ruleset": target}
    return type(session).from_state_dict(data)

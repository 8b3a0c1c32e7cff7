"""What the flow takes from the round: its numbers for the texts, and which rounds have a flow.

A dialog text names a threshold as ``{max_participants}``; it is filled here from the round's
ruleset, formatted for the language, so no number is written twice.
"""

from __future__ import annotations

from functools import lru_cache

from intake_assistant.i18n import translator


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

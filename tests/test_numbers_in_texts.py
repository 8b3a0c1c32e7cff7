"""Numbers live only in the ruleset: no dialog or criterion text writes a parameter's value.

A text names the parameter as a placeholder (``{max_cost_share}``) and is filled from the
round's values, so a round with other values never shows a stale number. Public IDs such as
``COST-SHARE-70`` are IDs, not texts, and stay.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from intake_assistant.i18n_tools import extract
from intake_assistant.rules import available_rulesets, load_ruleset

# A number standing alone: not part of a code (R3, CO2), an article (2.3, 2(18), 2:24b, 3°),
# a regulation (1407/2013) or a placeholder.
_NUMBER = re.compile(r"(?<![\w.:/(\-{])(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)(?![\w:(°/}\-]|\.\d)")


def _parameter_literals() -> dict[Decimal, str]:
    """Every numeric value of every round's parameters, as written in a text (70 for 0.7)."""
    found: dict[Decimal, str] = {}
    for ruleset_id in available_rulesets():
        for name, parameter in load_ruleset(ruleset_id).parameters.items():
            for value in parameter.values:
                v = value.value
                if isinstance(v, bool) or not isinstance(v, int | float):
                    continue
                shown = Decimal(str(v)) * (100 if parameter.unit == "fraction" else 1)
                found[shown.normalize()] = f"{ruleset_id}: {name}"
    return found


def _as_number(token: str) -> Decimal:
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", token):  # 20,000 / 20.000
        return Decimal(re.sub(r"[.,]", "", token))
    return Decimal(token.replace(",", "."))


def _texts() -> list[tuple[str, str]]:
    """(where, text) of every dialog text and every criterion text (titles and messages)."""
    out = []
    for domain, prefix in (("flow", "dialogs/"), ("rules", "intake_assistant/rules/criteria/")):
        for message in extract(domain):
            if not message.id:
                continue
            places = [f"{file}:{line}" for file, line in message.locations
                      if file.startswith(prefix)]
            if places:
                out.append((places[0], str(message.id)))
    return out


def _dutch(texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The Dutch translations of those texts (a translator must not write the number back)."""
    from intake_assistant.i18n import translator

    tr = translator("nl")
    return [(f"{where} (nl)", tr.gettext(text)) for where, text in texts]


def literals_in(text: str, literals: dict[Decimal, str]) -> list[tuple[str, str]]:
    return [(m.group(1), literals[_as_number(m.group(1)).normalize()])
            for m in _NUMBER.finditer(text) if _as_number(m.group(1)).normalize() in literals]


def test_no_dialog_or_criterion_text_writes_a_parameter_value() -> None:
    literals = _parameter_literals()
    texts = _texts()
    assert len(texts) > 100  # the extraction really found the texts
    texts += _dutch(texts)
    offending = [(where, text, hits) for where, text in texts
                 if (hits := literals_in(text, literals))]
    assert offending == [], "write a placeholder instead:\n" + "\n".join(
        f"{where}: {text!r} holds {hits}" for where, text, hits in offending)


@pytest.mark.parametrize(("text", "caught"), [
    ("The subsidy is 50 % of the eligible costs", True),
    ("at most 20,000 euros", True),
    ("at most € 20.000", True),
    ("at least 3 and at most 6 SMEs", True),
    ("R3 Reuse, CO2, art. 2.3 b 3°, GBER 2(18), Civil Code 2:24b, Reg. 1407/2013", False),
    ("at most {max_participants} SMEs; COST-SHARE-70", False),
])
def test_the_check_itself_catches_literals(text: str, caught: bool) -> None:
    assert bool(literals_in(text, _parameter_literals())) is caught

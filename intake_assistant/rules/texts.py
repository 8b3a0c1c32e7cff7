"""Numbers in texts come from the ruleset: placeholders filled from a round's parameters.

A criterion title or a dialog text names a parameter as ``{max_cost_share}``; ``placeholders``
gives every parameter of a round formatted for the reader's language (money, percentages,
numbers), so a round with other values never shows a stale number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from intake_assistant.i18n import Translator
    from intake_assistant.rules.ruleset import Params

#: Units whose values are shown as plain numbers.
_NUMBER_UNITS = frozenset({"count", "years", "months"})


def placeholders(params: Params, tr: Translator) -> dict[str, str]:
    """Every numeric parameter of ``params`` as text in ``tr``'s language, by name."""
    return params.memo(("placeholders", tr.language), lambda: _placeholders(params, tr))


def _placeholders(params: Params, tr: Translator) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in params.names():
        meta = params.meta(name)
        value = meta.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if meta.unit == "EUR":
            out[name] = tr.money_whole(value) if float(value).is_integer() else tr.money(value)
        elif meta.unit == "fraction":
            out[name] = tr.percent(value)
        elif meta.unit in _NUMBER_UNITS:
            out[name] = tr.number(value)
    return out


class Defaulting(dict[str, str]):
    """``str.format_map`` mapping that leaves unknown placeholders as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with the placeholders ``values`` knows filled in (a bad brace: unchanged)."""
    try:
        return text.format_map(Defaulting(values))
    except (ValueError, IndexError, AttributeError):
        return text

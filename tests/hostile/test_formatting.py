"""The last guard of number formatting: babel's decimal arithmetic never stops the program."""

from __future__ import annotations

import pytest

from intake_assistant.flow.values import format_money, format_number
from intake_assistant.i18n import translator


@pytest.mark.parametrize("value", [1e25, 1e30, 1e308, float("inf"), float("nan"), 10**40])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_formatting_an_absurd_number_gives_text(value: float, language: str) -> None:
    tr = translator(language)
    for format_ in (tr.money, tr.number, tr.percent, lambda v: format_number(v, language),
                    lambda v: format_money(v, language)):
        assert isinstance(format_(value), str) and format_(value)


def test_ordinary_numbers_are_formatted_as_before() -> None:
    assert translator("nl").money(41_700) == "€\xa041.700,00"
    assert translator("en").number(1_000_000) == "1,000,000"
    assert format_number(12.5, "nl") == "12,5"

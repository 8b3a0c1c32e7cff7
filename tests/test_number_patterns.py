"""Amounts, counts and shares read exactly as babel writes them, in Dutch and English: the
translators write babel's plain patterns themselves (number_patterns), and must not differ
by a character, also where a value is rounded."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from babel import Locale
from babel.numbers import format_currency, format_decimal, format_percent, parse_pattern
from hypothesis import given, settings
from hypothesis import strategies as st

from intake_assistant.i18n import Translator, percent_shown
from intake_assistant.number_patterns import PROBES, plain_format

LANGUAGES = ("nl", "en")

amounts = st.one_of(
    st.integers(0, 10**15),
    st.floats(0, 1e14, allow_nan=False),
    st.builds(lambda cents: cents / 100, st.integers(0, 10**13)),
    st.builds(lambda halves: halves / 200, st.integers(0, 10**9)),  # half cents: rounding
    st.sampled_from(PROBES),
)
fractions = st.one_of(st.floats(0, 2, allow_nan=False), st.sampled_from(
    (0.7, 0.70004, 0.699996, 0.5, 1 / 3, 2 / 3, 0.125, 0.0005)))


def babel_texts(language: str, value: Any) -> dict[str, str]:
    tr = Translator(language)
    locale = Locale.parse(tr.locale)
    whole = locale.currency_formats["standard"].pattern.split(";")[0].replace(".00", "")
    return {
        "money": format_currency(value, "EUR", locale=locale),
        "money_whole": format_currency(value, "EUR", locale=locale, currency_digits=False,
                                       format=whole),
        "number": format_decimal(value, locale=locale),
    }


@settings(max_examples=300, deadline=None)
@given(value=amounts)
@pytest.mark.parametrize("language", LANGUAGES)
def test_amounts_and_numbers_as_babel_writes_them(language: str, value: Any) -> None:
    tr = Translator(language)
    assert {"money": tr.money(value), "money_whole": tr.money_whole(value),
            "number": tr.number(value)} == babel_texts(language, value)


@settings(max_examples=300, deadline=None)
@given(fraction=fractions)
@pytest.mark.parametrize("language", LANGUAGES)
def test_shares_as_babel_writes_them(language: str, fraction: float) -> None:
    tr = Translator(language)
    assert tr.percent(fraction) == format_percent(
        percent_shown(fraction), format="#,##0.####%", locale=Locale.parse(tr.locale),
        decimal_quantization=False)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("value", [-1234.5, 1e16, 10**20, Decimal("-0.5"), float("inf")])
def test_values_beyond_the_plain_ones_are_babels_too(language: str, value: Any) -> None:
    tr = Translator(language)
    expected = babel_texts(language, value)
    assert tr.money(value) == expected["money"]
    assert tr.number(value) == expected["number"]


def test_a_pattern_of_another_kind_is_left_to_babel() -> None:
    locale = Locale.parse("en_US")
    for pattern in ("0.###E0", "@@@", "#,##,##0.00"):  # exponent, significant digits, Indian
        assert plain_format(parse_pattern(pattern), locale, str) is None

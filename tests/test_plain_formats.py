"""Amounts, counts, shares and dates read exactly as babel writes them, in Dutch and English:
in a batch the translators write babel's plain patterns themselves (plain_formats), and must
not differ by a character, also where a value is rounded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent, parse_pattern
from hypothesis import given, settings
from hypothesis import strategies as st

from intake_assistant.i18n import Translator, _formats_of, percent_shown
from intake_assistant.plain_formats import PROBES, plain_format

LANGUAGES = ("nl", "en")
NUMBER_KINDS = ("money", "money_whole", "number")

amounts = st.one_of(
    st.integers(0, 10**15),
    st.floats(0, 1e14, allow_nan=False),
    st.builds(lambda cents: cents / 100, st.integers(0, 10**13)),
    st.builds(lambda halves: halves / 200, st.integers(0, 10**9)),  # half cents: rounding
    st.sampled_from(PROBES),
)
fractions = st.one_of(st.floats(0, 2, allow_nan=False), st.sampled_from(
    (0.7, 0.70004, 0.699996, 0.5, 1 / 3, 2 / 3, 0.125, 0.0005)))


def babel_text(kind: str, language: str, value: Any) -> str:
    locale = Locale.parse(Translator(language).locale)
    if kind == "money":
        return format_currency(value, "EUR", locale=locale)
    if kind == "money_whole":
        whole = locale.currency_formats["standard"].pattern.split(";")[0].replace(".00", "")
        return format_currency(value, "EUR", locale=locale, currency_digits=False, format=whole)
    if kind == "number":
        return format_decimal(value, locale=locale)
    if kind == "percent":
        return format_percent(percent_shown(value), format="#,##0.####%", locale=locale,
                              decimal_quantization=False)
    return format_date(value, format="medium", locale=locale)


@cache
def plain(kind: str, language: str) -> Any:
    """The plain formatter of ``kind``: the intake's locales have one for every kind."""
    _babel, make = _formats_of(kind, Locale.parse(Translator(language).locale))
    made = make()
    assert made is not None, (kind, language)
    return made


@settings(max_examples=300, deadline=None)
@given(value=amounts)
@pytest.mark.parametrize("language", LANGUAGES)
def test_amounts_and_numbers_as_babel_writes_them(language: str, value: Any) -> None:
    for kind in NUMBER_KINDS:
        assert plain(kind, language)(value) == babel_text(kind, language, value)


@settings(max_examples=300, deadline=None)
@given(fraction=fractions)
@pytest.mark.parametrize("language", LANGUAGES)
def test_shares_as_babel_writes_them(language: str, fraction: float) -> None:
    assert plain("percent", language)(fraction) == babel_text("percent", language, fraction)


@settings(max_examples=300, deadline=None)
@given(day=st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_as_babel_writes_them(language: str, day: dt.date) -> None:
    assert plain("date", language)(day) == babel_text("date", language, day)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("value", [-1234.5, -0.0, 1e16, 10**20, Decimal("-0.5"), float("inf")])
def test_values_beyond_the_plain_ones_are_babels_too(language: str, value: Any) -> None:
    for kind in NUMBER_KINDS:
        assert plain(kind, language)(value) == babel_text(kind, language, value)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_translator_writes_as_babel_before_and_after_it_takes_the_plain_formats(
        language: str) -> None:
    tr = Translator(language)
    for cents in range(0, 200_000, 1_999):  # more values than babel writes alone
        value = cents / 100
        assert tr.money(value) == babel_text("money", language, value)
        assert tr.date(dt.date(2020, 1, 1) + dt.timedelta(days=cents // 1_999)) == babel_text(
            "date", language, dt.date(2020, 1, 1) + dt.timedelta(days=cents // 1_999))


@pytest.mark.parametrize("language", LANGUAGES)
def test_minus_zero_is_zero_whatever_came_before(language: str) -> None:
    """A draft may write -0.0 where 0 or more is asked: it reads as 0, also when it is the
    first value written (-0.0 == 0.0: a text kept by value must not depend on which came
    first, or a file's text would depend on the files checked before it)."""
    first, second = Translator(language), Translator(language)
    assert first.money(-0.0) == first.money(0.0) == second.money(0.0) == second.money(-0.0)
    assert first.number(-0.0) == first.number(0.0) and first.percent(-0.0) == first.percent(0.0)


def test_a_pattern_of_another_kind_is_left_to_babel() -> None:
    locale = Locale.parse("en_US")
    for pattern in ("0.###E0", "@@@", "#,##,##0.00"):  # exponent, significant digits, Indian
        assert plain_format(parse_pattern(pattern), locale, str) is None

"""Babel's number and date patterns of the plain kind, applied without babel's work on every
call.

A batch `check` formats thousands of distinct amounts, shares, counts and dates (each draft
has its own); babel's ``NumberPattern.apply`` costs some 15 µs a value, most of it spent on
things a plain pattern never needs (the currency's plural name is looked up for every amount,
the locale's symbols are read again), ``format_date`` some 7 µs. ``plain_format`` writes the
same text for a number pattern of the kind the intake uses (a prefix, digits grouped by three,
a fixed or bounded number of decimals, a suffix; no exponent, no significant digits) and a
value that is a finite, non-negative number below 10^15; ``plain_date`` for a date of the years
1000-9999 in the form babel writes each month in. Anything else is left to babel. Before it is
used, each formatter is compared with babel on values that exercise rounding, grouping, the
decimals, the months and the days: where one differs (another babel, another locale), babel
keeps doing the work.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

#: Below this a float's ``str`` is plain digits (babel reads a float through ``str``).
_PLAIN_BELOW = 1e15
#: Values on which a formatter must write what babel writes before it is used.
PROBES: tuple[Any, ...] = (
    0, 0.0, 1, 7, 0.004, 0.005, 0.015, 0.025, 0.1, 0.5, 0.70004, 0.699999, 0.333333, 12.5,
    999.995, 1000, 1234.5, 20_000, 41_700, 99_999.999, 1_234_567.891, 123_456_789_012.34,
    Decimal("0.70004"), Decimal("62.5"), Decimal("1234.5678"),
)

Format = Callable[[Any], str]


def plain_format(pattern: Any, locale: Any, babel_format: Format, *, currency: str | None = None,
                 frac_prec: tuple[int, int] | None = None,
                 quantize: bool = True) -> Format | None:
    """A function that writes what ``babel_format`` writes for the values it takes (see the
    module), falling back to ``babel_format`` for the others; ``None`` when the pattern is not
    of the plain kind or the function differs from babel on ``PROBES``.

    ``pattern`` is the babel ``NumberPattern`` that ``babel_format`` applies, ``frac_prec`` the
    decimals it uses (a currency's own digits), ``quantize`` False for babel's
    ``decimal_quantization=False`` (as many decimals as the value has, at least the pattern's).
    """
    from babel.numbers import get_currency_symbol, get_decimal_symbol, get_group_symbol

    if (pattern.exp_prec or "@" in pattern.pattern or pattern.grouping != (3, 3)
            or pattern.int_prec[0] != 1):
        return None
    low, high = frac_prec or pattern.frac_prec
    group, point = get_group_symbol(locale), get_decimal_symbol(locale)
    prefix, suffix = pattern.prefix[0], pattern.suffix[0]
    if currency is not None:
        symbol = get_currency_symbol(currency, locale)
        prefix, suffix = prefix.replace("¤", symbol), suffix.replace("¤", symbol)
    if "'" in prefix + suffix or "¤" in prefix + suffix:  # quoted text: babel's own way
        return None
    scale = pattern.scale
    quantum = Decimal(1).scaleb(-high)
    swap = str.maketrans({",": group, ".": point}) if (group, point) != (",", ".") else None

    def write(value: Any) -> str:
        kind = type(value)
        if kind is float or kind is int:
            if not 0 <= value < _PLAIN_BELOW:  # also NaN
                return babel_format(value)
            digits_text = str(value)  # what babel reads: Decimal(str(value))
            if fixed and "e" not in digits_text and digits_text[0] != "-":
                # Most amounts have no more decimals than are written (20569.96, 6000.0):
                # nothing to round, so the digits are written as they are, without Decimal.
                whole, _, fraction = digits_text.partition(".")
                if len(fraction) <= high:
                    return _written(whole, fraction + "0" * (high - len(fraction)), high)
            number = Decimal(digits_text)
            if number.is_signed():  # -0.0: babel writes its sign
                return babel_format(value)
        elif kind is Decimal:
            if not value.is_finite() or value.is_signed() or value >= _PLAIN_BELOW:
                return babel_format(value)
            number = value
        else:
            return babel_format(value)
        if scale:
            number = number.scaleb(scale)
        most = high
        if not quantize:
            exponent = number.normalize().as_tuple().exponent
            most = max(high, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
        rounded = number.quantize(quantum if most == high else Decimal(1).scaleb(-most))
        whole, _, fraction = f"{rounded:f}".partition(".")
        return _written(whole, fraction, most)

    # A value of ``high`` decimals or fewer needs no rounding where the pattern has a fixed
    # number of decimals and no scale (money, a count; not a percentage).
    fixed = quantize and not scale

    def _written(whole: str, fraction: str, most: int) -> str:
        """The text of a number rounded to ``most`` decimals (its whole part and decimals)."""
        digits = f"{int(whole):,}"
        fraction = fraction or "0"
        if len(fraction) < low:
            fraction += "0" * (low - len(fraction))
        if most == 0 or (low == 0 and int(fraction) == 0):
            text = digits
        else:
            fraction = fraction.rstrip("0") if low == 0 else (
                fraction[:low] + fraction[low:].rstrip("0"))
            text = digits + "." + fraction
        if swap is not None:
            text = text.translate(swap)
        return prefix + text + suffix

    try:
        if all(write(v) == babel_format(v) for v in PROBES):
            return write
    except (ArithmeticError, ValueError):
        pass
    return None

def plain_date(babel_format: Format) -> Format | None:
    """A function that writes what ``babel_format`` writes for a date (see the module): each
    month's form as babel writes it, with the day and the year filled in; ``None`` where that
    differs from babel on the probe days."""
    import datetime as dt

    templates: list[str] = []
    for month in range(1, 13):
        text = babel_format(dt.date(2001, month, 23))
        if text.count("23") != 1 or text.count("2001") != 1 or "{" in text or "}" in text:
            return None
        templates.append(text.replace("23", "{day}").replace("2001", "{year}"))

    def write(value: Any) -> str:
        if type(value) is not dt.date or not 1000 <= value.year <= 9999:
            return babel_format(value)
        return templates[value.month - 1].format(day=value.day, year=value.year)

    probes = [dt.date(year, month, day) for year in (1999, 2020, 2024)
              for month in range(1, 13) for day in (1, 9, 10, 28)]
    if all(write(day) == babel_format(day) for day in probes):
        return write
    return None


__all__ = ["PROBES", "plain_date", "plain_format"]

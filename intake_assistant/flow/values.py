"""Answers as people type them, per language, and stored values that are language-neutral.

``parse`` turns typed text into the stored value (English enum codes, ISO dates, numbers,
booleans) or raises ``AnswerError`` with a lazy message; ``format_answer`` writes a stored
value back as a user of that language would type it, so that
``parse(format_answer(v)) == v``. babel does the numbers and dates.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from intake_assistant.i18n import N_, Message, Money, Number, translator
from intake_assistant.models import MAX_EUROS, MAX_QUANTITY

from .schema import Question

#: The words for yes and no that are accepted, per language (the first is written).
YES_WORDS = {"nl": ("ja", "j", "yes"), "en": ("yes", "y")}
NO_WORDS = {"nl": ("nee", "n", "no"), "en": ("no", "n")}

_SHORT_TEXT_MAX = 200
_LONG_TEXT_MAX = 20_000
_DATE_NL = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_LOCALE = {"nl": "nl_NL", "en": "en_US"}

NUMBER_KINDS = frozenset({"whole_number", "decimal", "money", "percentage"})


class AnswerError(ValueError):
    """An answer the question refuses; ``message`` says why, in any language."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.msgid)
        self.message = message


def _examples(language: str) -> dict[str, str]:
    return {
        # a count: "1.250" reads as an amount of money, and no count here goes that far
        "whole_number": format_number(3, language),
        "decimal": format_number(12.5, language),
        "money": format_money(1800000.5, language),
        "percentage": format_number(12.5, language) + " %",
        "date": format_date(dt.date(2022, 8, 31), language),
    }


def example(kind: str, language: str, question: Question | None = None) -> str:
    """An answer of ``kind`` as a user of ``language`` types it; within the bounds of
    ``question`` where it has them (a count of 2 to 20 is not "for example 1"). """
    if kind == "whole_number" and question is not None:
        low, high = question.validation.min, question.validation.max
        number = 3 if low is None else max(3, math.ceil(low))
        return format_number(number if high is None else min(number, math.floor(high)), language)
    return _examples(language).get(kind, "")


def text_limit(question: Question) -> int | None:
    """The most characters a text answer takes (None: not a text question)."""
    if question.kind == "short_text":
        return question.validation.max_length or _SHORT_TEXT_MAX
    if question.kind == "long_text":
        return question.validation.max_length or _LONG_TEXT_MAX
    return None


def format_number(value: float | int | Decimal, language: str) -> str:
    from babel.numbers import format_decimal

    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    try:
        if number == number.to_integral_value():
            number = number.quantize(Decimal(1))
        text = format_decimal(number, locale=_LOCALE[language], decimal_quantization=False)
    except (ArithmeticError, ValueError):  # beyond decimal's 28 digits (the models bound it)
        return f"{value:.6g}"
    # 1.255 is written "1,2550" in Dutch: "1,255" would read as 1255 too (see _decimal_shape)
    return text + "0" if _decimal_shape(text, language) else text


def format_money(value: float | int | Decimal, language: str, *, cents: bool = False) -> str:
    """An amount as the user types it: its cents where it has them, or always (``cents``)."""
    from babel.numbers import format_decimal

    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    try:
        pattern = ("#,##0.00" if cents or number != number.to_integral_value() else "#,##0")
        return format_decimal(number, format=pattern, locale=_LOCALE[language])
    except (ArithmeticError, ValueError):  # beyond decimal's 28 digits (the models bound it)
        return f"{value:.6g}"


def format_date(value: dt.date, language: str) -> str:
    from babel.dates import format_date as babel_format_date

    pattern = "dd-MM-yyyy" if language == "nl" else "yyyy-MM-dd"
    return babel_format_date(value, format=pattern, locale=_LOCALE[language])


def _parse_decimal(text: str, language: str) -> Decimal:
    """``text`` read strictly in the language's notation (babel), finite and written out:
    ``Infinity``, ``NaN`` and ``1E400`` are not how anyone types a figure."""
    from babel.numbers import NumberFormatError, parse_decimal

    try:
        number = parse_decimal(text, locale=_LOCALE[language], strict=True)
    except (NumberFormatError, ArithmeticError, ValueError, IndexError):
        raise ValueError(text) from None
    if not number.is_finite() or "e" in text.lower():
        raise ValueError(text)
    return number


def _decimal_shape(text: str, language: str) -> bool:
    """Whether ``text`` ends in the language's decimal sign and exactly three digits, with no
    grouping sign before them: Dutch ``4,000`` or English ``400.000``. In the other notation
    the same text is a thousands figure, so such a text is never read one way silently."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    locale = _LOCALE[language]
    whole, sign, fraction = text.rpartition(get_decimal_symbol(locale))
    return (bool(sign) and len(fraction) == 3 and fraction.isdigit()
            and get_group_symbol(locale) not in whole)


def _other_reading(text: str, language: str, number: Decimal) -> Decimal | None:
    """The other notation's strict reading of ``text`` where it differs from ``number``
    (``4,000`` in Dutch: 4 here, 4000 in English), else None."""
    if not _decimal_shape(text, language):
        return None
    try:
        other = _parse_decimal(text, "en" if language == "nl" else "nl")
    except ValueError:
        return None
    return other if other != number else None


def _plain(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def parse(question: Question, raw: str | Sequence[str] | bool, language: str,
          choices: Sequence[tuple[str, str]] = (), label: str | None = None) -> Any:
    """The stored value for ``raw`` typed in ``language``; ``None`` for an empty answer.

    ``label`` is the question as the user reads it (its placeholders filled in): a message
    that could be mistaken for another field's names it."""
    kind = question.kind
    if kind == "multi_choice":
        return _parse_multi(question, raw, language, choices)
    if isinstance(raw, bool) and kind == "yes_no":
        return raw
    if not isinstance(raw, str):
        raise AnswerError(Message("The answer does not have the expected form."))
    text = raw.strip()
    if text == "":
        return None
    if kind in {"short_text", "long_text"}:
        limit = text_limit(question) or _LONG_TEXT_MAX
        if len(text) > limit:
            raise AnswerError(Message(
                "The answer is too long: at most {max} characters.", max=limit))
        if kind == "short_text" and "\n" in text:
            raise AnswerError(Message("Give a short answer on one line."))
        value: Any = text
    elif kind == "yes_no":
        word = text.lower()
        if word in YES_WORDS[language] or word == "yes":
            return True
        if word in NO_WORDS[language] or word == "no":
            return False
        raise AnswerError(Message("Answer {yes} or {no}.", yes=YES_WORDS[language][0],
                                  no=NO_WORDS[language][0]))
    elif kind == "choice":
        value = _parse_choice(text, language, choices)
    elif kind == "kvk":
        digits = re.sub(r"[\s.]", "", text)
        if not re.fullmatch(r"\d{8}", digits):
            raise AnswerError(Message("A KvK number has exactly 8 digits."))
        value = digits
    elif kind == "date":
        value = _parse_date(text, language).isoformat()
    elif kind in NUMBER_KINDS:
        value = _parse_number(question, text, language, label)
    else:  # pragma: no cover - the schema allows no other kinds
        raise AssertionError(kind)
    _check_bounds(question, value)
    if question.validation.pattern and isinstance(value, str) and not re.fullmatch(
        question.validation.pattern, value
    ):
        raise AnswerError(Message(question.validation.message
                                  or "The answer does not have the expected form."))
    return value


_NOT_A_NUMBER = {
    "whole_number": N_("Enter a whole number, for example {example}."),
    "decimal": N_("Enter a number, for example {example}."),
    "money": N_("Enter an amount in euros, for example {example}."),
    "percentage": N_("Enter a percentage, for example {example}."),
}


def _figure(kind: str, text: str) -> str:
    """The figure in ``text`` without what may surround it (€, ",-", %, spaces)."""
    cleaned = text
    if kind == "money":
        cleaned = re.sub(r"(?i)^\s*(€|eur)\s*|\s*(€|eur)\s*$", "", cleaned)
        cleaned = re.sub(r"[,.]-$", "", cleaned)  # "1.250,-"
    if kind == "percentage":
        cleaned = cleaned.rstrip("% ").strip()
    return cleaned.replace("\u00a0", "").replace(" ", "")


def readings(question: Question, raw: object, language: str) -> list[str]:
    """The answers ``raw`` can mean where it is a figure that reads two ways (Dutch
    ``4,000``: 4 or 4000), each written so that it reads one way only and as the user
    would type it (an amount with "€" and its cents); the readings that are no answer
    (cents, bounds) left out. Empty for any other answer: there is nothing to choose."""
    if question.kind not in NUMBER_KINDS or not isinstance(raw, str):
        return []
    cleaned = _figure(question.kind, raw.strip())
    try:
        number = _parse_decimal(cleaned, language)
    except ValueError:
        return []
    other = _other_reading(cleaned, language, number)
    if other is None:
        return []
    written = [_written(question.kind, reading, language, cents=True)
               for reading in _fitting_readings(question, number, other)]
    return [reading for reading in written if _an_answer(question, reading, language)]


def _an_answer(question: Question, text: str, language: str) -> bool:
    """Whether ``text`` is an answer to ``question`` (a reading beyond its bounds is not)."""
    try:
        parse(question, text, language)
    except AnswerError:
        return False
    return True


def _parse_number(question: Question, text: str, language: str,
                  label: str | None) -> int | float:
    kind = question.kind
    cleaned = _figure(kind, text)
    try:
        number = _parse_decimal(cleaned, language)
    except ValueError:
        raise AnswerError(Message(_NOT_A_NUMBER[kind],
                                  example=example(kind, language, question))) from None
    other = _other_reading(cleaned, language, number)
    if other is not None:
        raise AnswerError(_two_readings(question, text, number, other, language, label))
    _check_range(question, number)
    if kind == "whole_number" and number != number.to_integral_value():
        raise AnswerError(Message(_NOT_A_NUMBER[kind], example=example(kind, language, question)))
    if kind == "money" and number != number.quantize(Decimal("0.01")):
        raise AnswerError(Message("An amount has whole cents at most."))
    if kind == "percentage":
        return float(number / 100)
    return _plain(number)


def _two_readings(question: Question, typed: str, number: Decimal, other: Decimal,
                  language: str, label: str | None) -> Message:
    """The refusal of a figure that reads two ways (Dutch ``4,000``), with the readings as
    the user would type them, each of which reads one way only."""
    fitting = [_written(question.kind, reading, language)
               for reading in _fitting_readings(question, number, other)]
    if len(fitting) == 2:
        problem = Message("“{typed}” can mean {one} or {other}. Type {one} or {other}, "
                          "as you mean it.", typed=typed, one=fitting[0], other=fitting[1])
    else:
        problem = Message("Did you mean {other}? Then type {other}: here “{typed}” has three "
                          "decimals.", typed=typed, other=fitting[0])
    return Message("{question}: {problem}", question=label, problem=problem) if label else problem


def _written(kind: str, reading: Decimal, language: str, *, cents: bool = False) -> str:
    """A reading of a figure as the user would type it (it reads one way only); an amount
    with its cents when ``cents`` (€ 4,00 beside € 4.000,00 leaves no doubt)."""
    if kind == "money":
        return "€ " + format_money(reading, language, cents=True) if cents else format_money(
            reading, language)
    return format_number(reading, language) + (" %" if kind == "percentage" else "")


def _fitting_readings(question: Question, number: Decimal, other: Decimal) -> list[Decimal]:
    """The two readings of a figure, smaller first; the smaller one left out where it is
    no answer at all (cents, a whole number, the bounds)."""
    kind = question.kind
    small, large = sorted((number, other))
    try:
        _check_range(question, small)
        fits = (kind != "whole_number" or small == small.to_integral_value()) and (
            kind != "money" or small == small.quantize(Decimal("0.01")))
    except AnswerError:
        fits = False
    return [small, large] if fits else [large]


def _check_range(question: Question, number: Decimal) -> None:
    """A figure beyond what the draft can hold is refused before anything computes with it
    (27 nines overflow decimal's precision): with the bound, as the user would read it."""
    if question.kind == "money":
        if number < 0:
            raise AnswerError(Message("An amount cannot be negative."))
        if question.validation.max is None and number > MAX_EUROS:
            raise AnswerError(Message("An amount is at most {max}.",
                                      max=Money(MAX_EUROS, whole=True)))
        return
    shown = number  # a percentage is typed and bounded as a percentage
    if question.validation.max is None and shown > MAX_QUANTITY:
        raise AnswerError(Message("The answer must be at most {max}.", max=Number(MAX_QUANTITY)))
    if question.validation.min is None and shown < -MAX_QUANTITY:
        raise AnswerError(Message("The answer must be at least {min}.",
                                  min=Number(-MAX_QUANTITY)))


def _parse_date(text: str, language: str) -> dt.date:
    match = _DATE_ISO.match(text)
    parts: tuple[int, int, int] | None = None
    if match:
        parts = (int(match[1]), int(match[2]), int(match[3]))
    elif language == "nl" and (match := _DATE_NL.match(text)):
        parts = (int(match[3]), int(match[2]), int(match[1]))
    if parts is None:
        raise AnswerError(Message("Enter a date as {example}.", example=example("date", language)))
    try:
        return dt.date(*parts)
    except ValueError:
        raise AnswerError(Message("That date does not exist.")) from None


def _parse_choice(text: str, language: str, choices: Sequence[tuple[str, str]]) -> str:
    tr = translator(language)
    lowered = text.casefold()
    for code, label in choices:
        if text == code or lowered == tr.gettext(label).casefold():
            return code
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return choices[int(text) - 1][0]
    raise AnswerError(Message("Choose one of the options."))


def _parse_multi(question: Question, raw: str | Sequence[str] | bool, language: str,
                 choices: Sequence[tuple[str, str]]) -> list[str] | None:
    if isinstance(raw, bool):
        raise AnswerError(Message("The answer does not have the expected form."))
    items = [p.strip() for p in raw.split(",")] if isinstance(raw, str) else list(raw)
    items = [i for i in items if i]
    if not items:
        return None
    picked = {_parse_choice(item, language, choices) for item in items}
    minimum = question.validation.min_items
    if minimum and len(picked) < minimum:
        raise AnswerError(Message("Choose at least {min}.", min=minimum))
    return [code for code, _label in choices if code in picked]


def _check_bounds(question: Question, value: Any) -> None:
    rules = question.validation
    if not isinstance(value, int | float) or isinstance(value, bool):
        return
    shown: float = value * 100 if question.kind == "percentage" else value
    low = rules.min
    high = rules.max
    if question.kind == "percentage":
        low = None if low is None else low * 100
        high = None if high is None else high * 100
    if (low is not None and shown < low) or (high is not None and shown > high):
        if rules.message:
            raise AnswerError(Message(rules.message, min=low, max=high))
        if low is not None and shown < low:
            raise AnswerError(Message("The answer must be at least {min}.", min=low))
        raise AnswerError(Message("The answer must be at most {max}.", max=high))


def format_answer(question: Question, value: Any, language: str,
                  choices: Sequence[tuple[str, str]] = ()) -> str:
    """``value`` (stored) as a user of ``language`` would type it; "" for no answer."""
    if value is None:
        return ""
    kind = question.kind
    if kind == "yes_no":
        # capitalised as the yes/no list writes it ("Ja", "Nee"); parse() takes any case
        return (YES_WORDS[language][0] if value else NO_WORDS[language][0]).capitalize()
    if kind in {"choice", "multi_choice"}:
        tr = translator(language)
        labels = dict(choices)
        codes = value if isinstance(value, list) else [value]
        return ", ".join(tr.gettext(labels[c]) if c in labels else str(c) for c in codes)
    if kind == "date":
        return format_date(dt.date.fromisoformat(value), language)
    if kind == "money":
        return format_money(value, language)
    if kind == "percentage":
        return format_number(Decimal(repr(value)) * 100, language) + " %"
    if kind in NUMBER_KINDS:
        return format_number(value, language)
    return str(value)

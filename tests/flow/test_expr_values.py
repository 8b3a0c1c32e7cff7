from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake_assistant.flow import expr, values
from intake_assistant.flow.schema import Question


def ev(text: str, **answers: object) -> bool | None:
    return expr.evaluate(expr.parse(text), answers.get)


def test_conditions() -> None:
    assert ev("a == yes", a=True) is True
    assert ev("a == yes", a=False) is False
    assert ev("a == yes") is None
    assert ev('role == "other"', role="other") is True
    assert ev("n > 0 and a == no", n=2, a=False) is True
    assert ev("n > 0 and a == no", a=False) is None
    assert ev("n > 0 and a == no", n=0) is False  # false whatever the unknown is
    assert ev("n > 0 or a", a=True) is True
    assert ev("not (n >= 3)", n=2) is True
    assert ev('"product" in subject', subject=["product", "service"]) is True
    assert ev('"process" not in subject', subject=["product"]) is True
    assert ev("answered(a)") is False and ev("answered(a)", a="x") is True
    assert expr.names(expr.parse("a == 1 and (b or not c) and answered(d)")) == {
        "a", "b", "c", "d"}


@pytest.mark.parametrize("text", ["", "a ==", "a === b", "__import__('os')", "a.b == 1",
                                  "(a == 1", "a == 1)", "a ; b", "f(x)(y)"])
def test_bad_conditions_are_refused(text: str) -> None:
    with pytest.raises(expr.ExpressionError):
        expr.parse(text)


def q(kind: str, **extra: object) -> Question:
    return Question.model_validate({"id": "x", "kind": kind, "label": "X", "article": "1",
                                    **extra})


@pytest.mark.parametrize(("kind", "language", "text", "stored"), [
    ("money", "nl", "1.800.000", 1800000),
    ("money", "nl", "1.800.000,50", 1800000.5),
    ("money", "nl", "€ 1.250,-", 1250),
    ("money", "en", "1,800,000.50", 1800000.5),
    ("money", "en", "EUR 20,000", 20000),
    ("decimal", "nl", "12,5", 12.5),
    ("decimal", "en", "12.5", 12.5),
    ("whole_number", "nl", "1.250", 1250),
    ("percentage", "nl", "12,5 %", 0.125),
    ("date", "nl", "31-08-2022", "2022-08-31"),
    ("date", "nl", "2022-08-31", "2022-08-31"),
    ("date", "en", "2022-08-31", "2022-08-31"),
    ("yes_no", "nl", "Ja", True),
    ("yes_no", "en", "no", False),
    ("kvk", "en", "1234 5678", "12345678"),
])
def test_typed_answers(kind: str, language: str, text: str, stored: object) -> None:
    assert values.parse(q(kind), text, language) == stored


@pytest.mark.parametrize(("kind", "language", "text"), [
    ("money", "nl", "1,800,000.50"),
    ("money", "en", "12.345"),
    ("whole_number", "en", "1.5"),
    ("date", "en", "31-08-2022"),
    ("date", "nl", "31-02-2022"),
    ("yes_no", "en", "ja"),
    ("kvk", "nl", "1234567"),
])
def test_refused_typed_answers(kind: str, language: str, text: str) -> None:
    with pytest.raises(values.AnswerError):
        values.parse(q(kind), text, language)


@given(st.decimals(min_value=0, max_value=10**9, places=2), st.sampled_from(["nl", "en"]))
def test_money_round_trip(amount: object, language: str) -> None:
    question = q("money")
    stored = values.parse(question, values.format_money(amount, language), language)  # type: ignore[arg-type]
    assert stored == pytest.approx(float(amount))  # type: ignore[arg-type]
    assert values.parse(question, values.format_answer(question, stored, language), language
                        ) == stored


@given(st.floats(min_value=0, max_value=1e7, allow_nan=False).map(lambda f: round(f, 4)),
       st.sampled_from(["nl", "en"]))
def test_decimal_round_trip(number: float, language: str) -> None:
    question = q("decimal")
    assert values.parse(question, values.format_answer(question, number, language),
                        language) == number


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
       st.sampled_from(["nl", "en"]))
def test_date_round_trip(day: dt.date, language: str) -> None:
    question = q("date")
    text = values.format_answer(question, day.isoformat(), language)
    assert values.parse(question, text, language) == day.isoformat()

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake_assistant.flow import expr, values
from intake_assistant.flow.schema import Question
from intake_assistant.i18n import translator


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


@pytest.mark.parametrize(("kind", "language", "text", "readings"), [
    ("money", "nl", "4,000", ("4", "4.000")),
    ("money", "nl", "250,000", ("250", "250.000")),
    ("money", "en", "400.000", ("400", "400,000")),
    ("money", "en", "€ 1.250,-", ("1.25", "1,250")),
    ("decimal", "nl", "1,500", ("1,5", "1.500")),
    ("whole_number", "en", "2.000", ("2", "2,000")),
    ("percentage", "nl", "12,500 %", ("12,5 %", "12.500 %")),
])
def test_a_figure_that_reads_two_ways_is_refused_with_both(
        kind: str, language: str, text: str, readings: tuple[str, str]) -> None:
    with pytest.raises(values.AnswerError) as refused:
        values.parse(q(kind), text, language, label="Turnover")
    shown = translator(language).render(refused.value.message)
    assert shown.startswith("Turnover: ")
    assert f"“{text}”" in shown and all(reading in shown for reading in readings), shown


@pytest.mark.parametrize(("kind", "language", "text", "thousands"), [
    ("money", "nl", "12,345", "12.345"),  # 12,345 is no amount in cents
    ("whole_number", "nl", "4,500", "4.500"),  # nor 4,5 a whole number
])
def test_a_figure_that_reads_one_valid_way_asks_for_it(
        kind: str, language: str, text: str, thousands: str) -> None:
    with pytest.raises(values.AnswerError) as refused:
        values.parse(q(kind), text, language)
    assert thousands in translator(language).render(refused.value.message)


@pytest.mark.parametrize(("kind", "language", "text", "stored"), [
    ("money", "nl", "4.000", 4000),
    ("money", "en", "4,000", 4000),
    ("money", "nl", "1.250,50", 1250.5),
    ("money", "nl", "€ 1.250,-", 1250),
    ("money", "nl", "1250", 1250),
    ("money", "nl", "0,250", 0.25),  # "0,250" is no thousands figure in English
    ("decimal", "nl", "1.234,567", 1234.567),  # the grouping sign says which is which
    ("decimal", "nl", "1,2550", 1.255),
    ("decimal", "en", "12.5", 12.5),
])
def test_a_figure_in_the_users_own_notation_is_read_as_meant(
        kind: str, language: str, text: str, stored: object) -> None:
    assert values.parse(q(kind), text, language) == stored


@pytest.mark.parametrize("kind", sorted(values.NUMBER_KINDS))
@pytest.mark.parametrize("text", ["9" * 27, "9" * 40, "Infinity", "-Infinity", "NaN", "sNaN",
                                  "1E400", "1E-400", "1e3"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_figures_no_one_types_are_refused_with_a_message(kind: str, text: str,
                                                         language: str) -> None:
    with pytest.raises(values.AnswerError) as refused:
        values.parse(q(kind), text, language)
    assert translator(language).render(refused.value.message)


@pytest.mark.parametrize(("kind", "language", "bound"), [
    ("money", "nl", "€\u00a01.000.000.000.000"),
    ("money", "en", "€1,000,000,000,000"),
    ("decimal", "nl", "1.000.000.000.000"),
    ("whole_number", "en", "1,000,000,000,000"),
])
def test_a_figure_past_the_bound_says_the_bound(kind: str, language: str, bound: str) -> None:
    with pytest.raises(values.AnswerError) as refused:
        values.parse(q(kind), "9" * 27, language)
    assert bound in translator(language).render(refused.value.message)


_KINDS = ["short_text", "long_text", "yes_no", "choice", "multi_choice", "kvk", "date",
          *sorted(values.NUMBER_KINDS)]
_CHOICES = [("a", "Apple"), ("b", "Pear")]


@given(st.sampled_from(_KINDS), st.sampled_from(["nl", "en"]),
       st.one_of(st.text(), st.text(alphabet="0123456789.,-+eE€ %'\u00a0INFaninfty", max_size=40)))
def test_every_kind_answers_any_text_with_a_value_or_a_message(kind: str, language: str,
                                                               text: str) -> None:
    extra: dict[str, object] = {"choices": [{"code": c, "label": label} for c, label in _CHOICES]
                                } if kind in {"choice", "multi_choice"} else {}
    question = q(kind, **extra)
    try:
        stored = values.parse(question, text, language, _CHOICES, label="X")
    except values.AnswerError as refused:
        assert translator(language).render(refused.message)
        return
    if stored is not None and kind in values.NUMBER_KINDS:  # what is kept reads back as kept
        assert values.parse(question, values.format_answer(question, stored, language),
                            language) == stored


@given(st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False),
       st.sampled_from(["nl", "en"]))
def test_a_written_number_reads_back_one_way(number: object, language: str) -> None:
    question = q("decimal")
    stored = float(number)  # type: ignore[arg-type]
    assert values.parse(question, values.format_answer(question, stored, language),
                        language) == stored


@pytest.mark.parametrize(("kind", "language", "text", "meant"), [
    ("money", "nl", "4,000", {"€ 4,00": 4, "€ 4.000,00": 4000}),
    ("money", "en", "400.000", {"€ 400.00": 400, "€ 400,000.00": 400000}),
    ("money", "en", "€ 1.250,-", {"€ 1.25": 1.25, "€ 1,250.00": 1250}),
    ("money", "nl", "12,345", {"€ 12.345,00": 12345}),  # 12,345 is no amount in cents
    ("percentage", "nl", "12,500 %", {"12,5 %": 0.125, "12.500 %": 125.0}),
    ("money", "nl", "4.000", {}),  # one reading: nothing to choose
    ("money", "nl", "abc", {}),
])
def test_the_readings_to_choose_from_each_read_one_way(
        kind: str, language: str, text: str, meant: dict[str, float]) -> None:
    question = q(kind)
    readings = values.readings(question, text, language)
    assert readings == list(meant)
    for reading, value in meant.items():
        assert values.parse(question, reading, language) == value

"""Findings rendered in Dutch and English; money and numbers in the language's format."""

from __future__ import annotations

from typing import Any

import pytest

from intake_assistant.i18n import Message, translator
from intake_assistant.rules import CRITERIA, Report

from .helpers import changed, check, finding, plain, with_participants

EN, NL = translator("en"), translator("nl")


def test_subsidy_amount_money_formats(eligible: dict[str, Any]) -> None:
    found = finding(check(eligible), "SUBSIDY-AMOUNT")
    en, nl = found.text(EN), plain(found.text(NL))
    assert "€20,000.00" in en  # the maximum per SME
    assert "€9,200.00" in en and "€41,700.00" in en
    assert "€ 20.000,00" in nl
    assert "€ 9.200,00" in nl and "€ 41.700,00" in nl
    assert "50%" in en
    assert "€20,000.00" not in nl and "€ 20.000,00" not in plain(en)


def test_money_formatting_functions() -> None:
    assert EN.money(20000) == "€20,000.00"
    assert plain(NL.money(20000)) == "€ 20.000,00"
    assert plain(NL.money(1234.5)) == "€ 1.234,50"


def test_dutch_text_differs_from_english(eligible: dict[str, Any]) -> None:
    """The Dutch catalog translates the rules' messages (being filled; this one is there)."""
    found = finding(check(eligible), "REPORTING")
    assert found.text(NL) != found.text(EN)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_finding_renders(eligible: dict[str, Any], lang: str) -> None:
    tr = translator(lang)
    for changes in ({}, {"facilitator": None}, {"participants": []},
                    {"project.end_date": "2030-01-01", "participants[0].own_hours": 9999}):
        report = check(eligible, changes)
        for f in report.findings:
            text = f.text(tr)
            assert text.strip()
            assert "{" not in text and "}" not in text, text  # every placeholder filled
            assert "Message(" not in text
            row = f.to_json(tr)
            keys = ["criterion", "status", "article", "participant", "message"]
            # Issue 14: a finding with a hint has one optional key more, "hint"; issue 23:
            # every finding its basis, last.
            assert list(row) == [*keys, *(["hint"] if f.hint is not None else []), "basis"]
            assert row["message"] == text
            if f.hint is not None:
                hint = row["hint"]["message"]
                assert hint.strip() and "{" not in hint and "}" not in hint, hint


def test_dates_and_numbers_follow_language(eligible: dict[str, Any]) -> None:
    report = check(eligible, {"project.end_date": "2023-01-15"})
    found = finding(report, "DURATION")
    assert "Jan 15, 2023" in found.text(EN)
    assert "15 jan 2023" in plain(found.text(NL))


def test_every_criterion_title_is_text() -> None:
    for info in CRITERIA:
        assert EN.gettext(info.title).strip()
        assert NL.gettext(info.title).strip()


def test_messages_hash_by_their_parameters() -> None:
    """A message is a key (a translator keeps each rendered text by it): equal messages hash
    alike whatever the order of their parameters, and messages of one msgid that differ in a
    value (a name, an amount) do not all share one hash, which makes each lookup in a long
    batch's cache compare them one by one."""
    a = Message("{name} has {count}", name="A", count=1)
    b = Message("{name} has {count}", count=1, name="A")
    assert a == b and hash(a) == hash(b)
    assert len({hash(Message("{name} has {count}", name="A", count=i)) for i in range(100)}) == 100
    listed = Message("{names}", names=["A", "B"])  # a value that cannot be hashed
    assert hash(listed) == hash(Message("{names}", names=["A", "B"]))


def _one_each(eligible: dict[str, Any]) -> dict[str, tuple[Report, str]]:
    """Drafts where a count in a finding's text is 1, by criterion (and its finding's text
    in English with that count being 1)."""
    one_role = changed(eligible, {f"participants[{i}].chain_role": "producer"
                                  for i in range(len(eligible["participants"]))})
    one_staying = changed(eligible, {f"participants[{i}].continues_after_project": False
                                     for i in range(1, len(eligible["participants"]))})
    return {
        "FACILITATOR-EXPERIENCE": (check(eligible, {"facilitator.experience_years": 1}),
                                   "The facilitator has 1 year of experience."),
        "PARTNERSHIP-SIZE": (check(with_participants(eligible, 1)),
                             "The partnership has 1 SME; at least 3 SMEs are needed."),
        "CHAIN-ROLES": (check(one_role), "The participants have 1 chain role; at least 3 "
                                         "different ones are needed."),
        "PARTNERSHIP-CONTINUES": (check(one_staying), "Only 1 participant with 1 different role "
                                  "keeps cooperating after the project; at least 3 SMEs with 3 "
                                  "roles are expected."),
    }


def test_a_count_of_one_reads_in_the_singular_in_both_languages(eligible: dict[str, Any]) -> None:
    dutch = {
        "FACILITATOR-EXPERIENCE": "De procesbegeleider heeft 1 jaar ervaring.",
        "PARTNERSHIP-SIZE": "Het samenwerkingsverband heeft 1 mkb-onderneming; er zijn er ten "
                            "minste 3 nodig.",
        "CHAIN-ROLES": "De deelnemers hebben 1 rol in de keten; er zijn ten minste 3 "
                       "verschillende rollen nodig.",
        "PARTNERSHIP-CONTINUES": "Slechts 1 deelnemer met 1 verschillende rol blijft na het "
                                 "project samenwerken; verwacht worden ten minste 3 "
                                 "mkb-ondernemingen met 3 rollen.",
    }
    for criterion, (report, english) in _one_each(eligible).items():
        found = finding(report, criterion)
        assert found.text(EN) == english
        assert plain(found.text(NL)) == dutch[criterion]


def test_a_count_of_two_reads_in_the_plural(eligible: dict[str, Any]) -> None:
    found = finding(check(eligible, {"facilitator.experience_years": 2}), "FACILITATOR-EXPERIENCE")
    assert found.text(EN) == "The facilitator has 2 years of experience."
    assert plain(found.text(NL)) == "De procesbegeleider heeft 2 jaar ervaring."
    size = finding(check(with_participants(eligible, 2)), "PARTNERSHIP-SIZE")
    assert size.text(EN) == "The partnership has 2 SMEs; at least 3 SMEs are needed."
    assert plain(size.text(NL)) == ("Het samenwerkingsverband heeft 2 mkb-ondernemingen; er zijn "
                                    "er ten minste 3 nodig.")


def test_the_facilitators_ties_are_counted_in_the_singular_and_the_plural(
        eligible: dict[str, Any]) -> None:
    tie = {"participant_kvk": "22222222", "nature": "shareholder"}
    one = finding(check(eligible, {"facilitator.ties": [tie]}), "FACILITATOR-INDEPENDENT")
    assert one.text(EN).startswith("The facilitator has 1 tie with participants but no measures")
    assert one.text(NL).startswith("De procesbegeleider heeft 1 band met deelnemers, maar")
    two = finding(check(eligible, {"facilitator.ties": [tie, dict(tie, participant_kvk="33333333")]}),
                  "FACILITATOR-INDEPENDENT")
    assert two.text(EN).startswith("The facilitator has 2 ties with participants but no measures")
    assert two.text(NL).startswith("De procesbegeleider heeft 2 banden met deelnemers, maar")

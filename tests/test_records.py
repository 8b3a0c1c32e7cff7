"""The value classes written out on ``Record`` compare, hash and show as the dataclasses they
replaced did."""

from __future__ import annotations

import pytest

from intake_assistant.i18n import Message, Money, Number
from intake_assistant.rules.findings import Finding, Status
from intake_assistant.rules.hints import Hint, ReduceCosts
from intake_assistant.rules.ruleset import load_ruleset


def test_equal_by_class_and_fields() -> None:
    assert Money(1000, whole=True) == Money(1000, True)
    assert Money(1000) != Money(1000, whole=True)
    assert Number(5) != Money(5)  # the same values in another class are not equal
    assert Hint(Message("m"), ((ReduceCosts(0, 10.0),),)) == Hint(Message("m"),
                                                                    ((ReduceCosts(0, 10.0),),))


def test_values_hash_by_their_fields_and_mutable_ones_do_not_hash() -> None:
    assert hash(Money(1000)) == hash(Money(1000))
    assert len({Money(1000), Money(1000), Number(1000)}) == 2
    with pytest.raises(TypeError):
        hash(Finding("DURATION", Status.PASS, "2.11 b", Message("m")))


def test_a_ruleset_hashes_by_identity() -> None:
    ruleset = load_ruleset("sce-2020")
    assert hash(ruleset) == object.__hash__(ruleset)
    assert ruleset == ruleset


def test_repr_names_the_fields() -> None:
    assert repr(ReduceCosts(2, 10.0)) == "ReduceCosts(amount=10.0, index=2)"

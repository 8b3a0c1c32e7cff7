"""The criteria live in one module per part of the regulation, in one explicit order."""

from __future__ import annotations

import inspect

from intake_assistant.rules import ALL_CRITERIA, criteria_of
from intake_assistant.rules.criteria import ORDER, function_of


def test_the_findings_follow_the_one_explicit_order() -> None:
    assert [c.id for c in ALL_CRITERIA] == list(ORDER)
    assert len(set(ORDER)) == len(ORDER)
    # Every round checks its criteria in that order; the later rounds add, never reorder.
    for ruleset in ("sce-2020", "sce-2021", "sce-2022", "sce-2023", "sce-2024"):
        ids = [c.id for c in criteria_of(ruleset)]
        assert ids == [cid for cid in ORDER if cid in ids]
    assert "DE-MINIMIS" not in [c.id for c in criteria_of("sce-2021")]
    assert "DE-MINIMIS" in [c.id for c in criteria_of("sce-2022")]
    assert "REPEAT-APPLICATION" in [c.id for c in criteria_of("sce-2024")]


def test_every_criterion_quotes_the_operative_words_of_its_article() -> None:
    for info in ALL_CRITERIA:
        fn = function_of(info.id)
        doc = inspect.getdoc(fn) or ""
        first = info.article.split(";")[0].split(",")[0].split(" ")[0]
        assert first in doc.splitlines()[0], (info.id, info.article, doc[:80])
        assert doc.count('"') >= 2, f"{info.id}: no quoted operative words"
        module = fn.__module__.rsplit(".", 1)[-1]
        assert module in {"gber", "partnership", "facilitator", "project", "costs"}

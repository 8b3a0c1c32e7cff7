"""The criteria live in one module per part of the regulation, in one explicit order."""

from __future__ import annotations

import inspect

from intake_assistant.rules import CRITERIA
from intake_assistant.rules.criteria import ORDER, function_of


def test_the_findings_follow_the_one_explicit_order() -> None:
    assert [c.id for c in CRITERIA] == list(ORDER)
    assert len(set(ORDER)) == len(ORDER)


def test_every_criterion_quotes_the_operative_words_of_its_article() -> None:
    for info in CRITERIA:
        fn = function_of(info.id)
        doc = inspect.getdoc(fn) or ""
        first = info.article.split(";")[0].split(",")[0].split(" ")[0]
        assert first in doc.splitlines()[0], (info.id, info.article, doc[:80])
        assert doc.count('"') >= 2, f"{info.id}: no quoted operative words"
        module = fn.__module__.rsplit(".", 1)[-1]
        assert module in {"gber", "partnership", "facilitator", "project", "costs"}

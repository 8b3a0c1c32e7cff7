"""The Markdown report of a hostile draft: no control reaches it, no name breaks its structure."""

from __future__ import annotations

import re

import pytest

from intake_assistant.loading import parse_draft
from intake_assistant.reports.markdown import markdown_report
from intake_assistant.rules import evaluate

from .helpers import CONTROL, eligible

NAMES = [
    "Evil | B.V. # `x` [/b] *y* <script>",
    "Clear\x1b[2J\x1b]0;title\x07\x9b1m\u202eScreen",
    "Multi\nline\r\n# heading\n- item\n| a | b |",
    "1. Numbered",
]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_hostile_names_cannot_break_the_markdown(language: str) -> None:
    data = eligible()
    data["project"]["title"] = "Plan\n# Hacked `title` |"
    for participant, name in zip(data["participants"], NAMES, strict=True):
        participant["name"] = name
        participant["cost_lines"].append(
            {"description": name, "category": "marketing", "amount_eur": 10})
    draft = parse_draft(data, "evil.json")
    text = markdown_report(evaluate(draft), draft, language)
    assert not CONTROL.search(text), repr(text)
    lines = text.splitlines()
    headings = [line for line in lines if line.startswith("#")]
    assert len(headings) == len({h for h in headings})
    assert all("Hacked" not in h or h.startswith("# ") for h in headings)
    assert sum("Hacked" in line for line in lines) == 1  # the title stays on its one line
    rows = [line for line in lines if line.startswith("| ") and "---" not in line]
    unescaped_pipe = re.compile(r"(?<!\\)\|")
    assert all(len(unescaped_pipe.findall(row)) == 6 for row in rows), rows
    # Shown as the escape (its backslash escaped for Markdown, so a reader sees \x1b).
    assert "Clear\\\\x1b\\[2J\\\\x1b\\]0;title\\\\x07\\\\x9b1m\\\\u202eScreen" in text
    assert "Evil \\| B.V. \\# \\`x\\` \\[/b\\] \\*y\\* \\<script\\>" in text
    assert not any(line.startswith(("- item", "1. Numbered")) for line in lines)

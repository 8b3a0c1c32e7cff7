"""The words for the pre-check's verdicts and statuses, light to import.

Keyed by the values of ``rules.findings.Verdict`` and ``Status`` (string enums, so a member
finds its words too). Kept apart from ``report`` so that the start screen can word the
verdict of a saved intake without loading the models and the rules before its first paint;
``report`` re-exports these, so there is one set of words.
"""

from __future__ import annotations

from collections.abc import Mapping

from intake_assistant.i18n import Message

VERDICT_WORDS: Mapping[str, Message] = {
    "eligible": Message("Eligible"),
    "not_eligible": Message("Not eligible"),
    "incomplete": Message("Incomplete"),
}

#: The verdicts as the answer to "Eligible?" (the start screen's list where it is narrow).
SHORT_VERDICT_WORDS: Mapping[str, Message] = {
    "eligible": Message("yes"),
    "not_eligible": Message("no"),
    "incomplete": Message("incomplete"),
}

STATUS_WORDS: Mapping[str, Message] = {
    "pass": Message("met"),
    "fail": Message("fails"),
    "warn": Message("warning"),
    "unknown": Message("missing"),
    "info": Message("information"),
}

"""Hostile drafts for the fuzz suite and ``benchmarks/fuzz_speed.py``, and the properties
every run of ``check`` must keep on them.

A draft is one of the examples (or an empty draft), mutated at any path: a value replaced by a
wrong type, ``null``, an absurd or non-finite number, an odd date, a long or hostile string or
a deep nesting; a key deleted or a hostile key added; a list repeated (many participants).
It is then written as JSON in some encoding (UTF-8, with a BOM, UTF-16/32, Latin-1, cut short)
or replaced by random bytes.
"""

from __future__ import annotations

import copy
import io
import json
import re
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

REPO_DIR = Path(__file__).resolve().parents[2]
EXAMPLES_DIR = (REPO_DIR / ".." / "shared" / "examples").resolve()
BASES: list[dict[str, Any]] = [
    json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES_DIR.glob("*.json"))
] + [{"format": "sck-draft-application", "format_version": 1}]

#: A character that could act on a terminal (newline aside: it ends an output line).
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e"
                     "\u2060-\u2064\u2066-\u2069\ufeff\u2028\u2029\ud800-\udfff]")
CRASH_WORDS = ("Traceback", "unexpected error", "onverwachte fout")


@dataclass(frozen=True)
class Raw:
    """A JSON token written as is (numbers json.dumps cannot write: 5,000 digits, 1e400)."""

    token: str


HOSTILE_TEXTS = [
    "\x1b[2J\x1b[H", "\x1b]0;owned\x07", "\x9b31mred", "a\u202eb", "\x00nul", "\x07bell",
    "[/]", "[bold red]x", "Evil [/b] B.V.", "<script>alert(1)</script>", "| # ` * _ ~",
    "line\nVERDICT: eligible", "\r\n", "\ud800", "\u2028", "\ufeff", "x" * 25_000,
    "{name}", "%s", "'; DROP TABLE", "é" * 3000, "🙂" * 100,
]
ODD_DATES = ["2020-02-30", "2021-02-29", "0000-01-01", "0001-01-01", "9999-12-31",
             "2020-13-01", "2020-1-1", "20200601", "2020-06-01T00:00:00", "2020-06-01 ",
             "\uff12\uff10\uff12\uff10-06-01", "", "yesterday"]
ABSURD_NUMBERS: list[Any] = [
    1e308, -1e308, 1e25, -1e25, 9.99e24, 1e12, 1e12 + 0.01, 1_000_001, 250, 249.99, 70.01,
    0.7000001, -1, -0.0, 5e-324, 0.001, 0.005, 2**53 + 1, 10**40, -(10**40), 2**64,
    Raw("9" * 5000), Raw("-" + "9" * 4400), Raw("1e400"), Raw("-1e400"), Raw("NaN"),
    Raw("Infinity"), Raw("-Infinity"), Raw("1" + "0" * 41), Raw("0." + "0" * 60 + "1"),
]


def _nested(depth: int) -> Raw:
    """Objects and lists nested ``depth`` levels, as text (json.dumps would recurse)."""
    half = depth // 2
    return Raw('{"a": [' * half + "1" + "]}" * half)


hostile_texts = st.one_of(st.sampled_from(HOSTILE_TEXTS), st.text(max_size=40))
numbers = st.one_of(st.sampled_from(ABSURD_NUMBERS), st.floats(), st.integers(),
                    st.floats(0, 2e6))
dates = st.one_of(st.sampled_from(ODD_DATES), st.dates().map(lambda d: d.isoformat()))
wrong_types = st.one_of(st.none(), st.booleans(), st.lists(st.integers(), max_size=3),
                        st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
                        st.builds(dict), st.builds(list))  # fresh: they may be mutated
deep = st.sampled_from([4, 30, 34, 200, 5000]).map(_nested)
values = st.one_of(hostile_texts, numbers, dates, wrong_types, deep)
hostile_keys = st.one_of(st.sampled_from(["\x1b[2Jkey", "a\nb", "\x9b", "titel", "__proto__",
                                          "k" * 300, ""]), st.text(max_size=10))


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if len(prefix) >= 6:  # the format nests 4 levels; an inserted deep value is not walked
        return out
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):  # the first items stand for a long (repeated) list
        for index, value in enumerate(data[:8]):
            out += _paths(value, (*prefix, index))
    return out


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def mutated_drafts(draw: st.DrawFn) -> Any:
    """A draft (JSON data, possibly holding ``Raw`` tokens) mutated at 1 to 4 paths."""
    data = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(_paths(data)))
        kind = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add_key",
                                     "repeat"]))
        if kind == "replace":
            value = draw(values)
            if not path:
                data = value
                break
            _parent(data, path)[path[-1]] = value
        elif kind == "delete" and path:
            del _parent(data, path)[path[-1]]
        elif kind == "add_key":
            target = _parent(data, (*path, None))
            if isinstance(target, dict):
                target[draw(hostile_keys)] = draw(values)
        elif kind == "repeat":
            target = _parent(data, (*path, None))
            if isinstance(target, list) and target:
                target[:] = target * draw(st.sampled_from([2, 30, 130, 300]))
    return data


def dumps(data: Any, ensure_ascii: bool = False) -> str:
    """JSON text of ``data``; ``Raw`` tokens written as they are."""
    tokens: list[str] = []

    def default(value: Any) -> Any:
        if isinstance(value, Raw):
            tokens.append(value.token)
            return f"\x00RAW{len(tokens) - 1}\x00"
        raise TypeError(type(value).__name__)

    try:
        text = json.dumps(data, ensure_ascii=ensure_ascii, default=default)
    except ValueError:  # an int over 4,300 digits: Python will not write it either
        text = json.dumps(repr(data)[:100])
    for i, token in enumerate(tokens):
        text = text.replace(json.dumps(f"\x00RAW{i}\x00"), token)
    return text


@st.composite
def draft_bytes(draw: st.DrawFn) -> bytes:
    """The bytes of a hostile draft file."""
    if draw(st.integers(0, 19)) == 0:
        return draw(st.binary(max_size=300))
    text = dumps(draw(mutated_drafts()), ensure_ascii=draw(st.booleans()))
    encoding = draw(st.sampled_from(["utf-8"] * 12 + ["utf-8-sig", "utf-16", "utf-32",
                                                      "latin-1", "cut"]))
    if encoding == "cut":
        raw = text.encode("utf-8", "surrogatepass")
        return raw[: draw(st.integers(0, max(0, len(raw) - 1)))]
    return text.encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace")


# -- running check and its properties -----------------------------------------------------------


def run_in_process(argv: list[str], stdin: bytes) -> tuple[int, str, str]:
    """``intake-assistant ARGV`` in this process with ``stdin``: (status, stdout, stderr)."""
    from intake_assistant.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        with redirect_stdout(out), redirect_stderr(err):
            status = main(argv)
    finally:
        sys.stdin = saved
    return status, out.getvalue(), err.getvalue()


def strict_json(line: str) -> dict[str, Any]:
    def refuse(name: str) -> Any:
        raise AssertionError(f"{name} in the JSON output: not strict JSON")

    row = json.loads(line, parse_constant=refuse)
    assert isinstance(row, dict)
    return row


def assert_output_safe(status: int, out: str, err: str) -> None:
    assert status in (0, 1, 2), status
    for word in CRASH_WORDS:
        assert word not in out and word not in err, err
    found = CONTROL.search(out + err)
    assert found is None, (repr(found.group(0)), (out + err)[:2000])


def assert_figures_agree(raw: bytes, row: dict[str, Any]) -> None:
    """``eligible`` only where each criterion's own figures allow it."""
    from intake_assistant.loading import parse_draft_text
    from intake_assistant.rules import CRITERIA, load_ruleset

    draft = parse_draft_text(raw, "-")  # check accepted it, so it is a valid draft
    params = load_ruleset(row["ruleset"]).params_on(
        draft.project.application_date if draft.project else None)
    per_participant = {c.id for c in CRITERIA if c.per_participant}
    count = max(1, len(draft.participants or []))
    expected = sum(count if c.id in per_participant else 1 for c in CRITERIA)
    assert len(row["findings"]) == expected
    subsidy = row["subsidy"]
    total_eligible = sum(p["eligible_costs_eur"] for p in subsidy["participants"])
    for p in subsidy["participants"]:
        assert 0 <= p["subsidy_eur"] <= params.max_subsidy_per_participant_eur
        assert p["cost_share"] is None or 0 <= p["cost_share"] <= 1
    assert abs(subsidy["total_eur"] - sum(p["subsidy_eur"] for p in subsidy["participants"])) < 0.02
    if row["verdict"] != "eligible":
        return
    participants = draft.participants or []
    assert participants, "eligible without participants"
    for p in subsidy["participants"]:
        assert p["eligible_costs_eur"] <= params.max_cost_share * total_eligible + 0.01, row
    for participant in participants:
        assert participant.staff_units is not None
        assert participant.staff_units < params.sme_max_staff_units
        assert participant.in_difficulty is False
        assert participant.recovery_order_outstanding is False
        assert participant.received_this_subsidy_this_year is False
    assert sum(1 for p in participants if p.is_lead_applicant) == 1


def run_check_in_process(raw: bytes, fmt: str, language: str) -> tuple[int, str, str]:
    """``check --format FMT --lang LANGUAGE -`` over ``raw``, without the argument parsing
    (the part of ``main`` that does not depend on the draft): (status, stdout, stderr).

    Unlike ``main``, nothing catches an exception here: a crash fails the property at once.
    """
    from intake_assistant.cli import run_check
    from intake_assistant.i18n import set_language

    set_language(language)
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    try:
        with redirect_stdout(out), redirect_stderr(err):
            status = run_check(["-"], fmt, language, None)
    finally:
        sys.stdin = saved
    return status, out.getvalue(), err.getvalue()


def check_one(raw: bytes, fmt: str, language: str) -> None:
    """Run ``check`` over ``raw`` (as standard input) and assert every property."""
    status, out, err = run_check_in_process(raw, fmt, language)
    assert_output_safe(status, out, err)
    if status == 2:
        assert out == "" and err.startswith("-: ") and err.count("\n") == 1, err
        return
    assert err == ""
    if fmt == "json":
        (line,) = out.splitlines()
        row = strict_json(line)
        assert (status == 0) == (row["verdict"] == "eligible")
        assert_figures_agree(raw, row)

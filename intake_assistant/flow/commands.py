"""The flow's commands, wired into the CLI: ``dialogs lint``, ``dialogs graph``, ``replay``.

Each prints to standard output and returns the exit status; errors are one line on
standard error in the chosen language, never a traceback.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intake_assistant.i18n import Message, translator

from .round_texts import flow_rulesets
from .schema import DialogError, Question, load_flow

DEFAULT_RULESET = "sce-2020"


def run_dialogs_lint(language: str, ruleset: str | None = DEFAULT_RULESET,
                     folder: Path | None = None) -> int:
    """Check the dialog files (every round's when ``ruleset`` is None); 0 clean, 1 problems."""
    from .lint import lint

    tr = translator(language)
    if ruleset is None and folder is None:
        problems = [p for each in flow_rulesets() for p in lint(None, each)]
    else:
        problems = lint(folder, ruleset or DEFAULT_RULESET)
    for where, message in problems:
        print(f"{where.file}:{where.line}: {tr.render(message)}")
    if problems:
        print(tr.ngettext("{count} problem in the dialog files",
                          "{count} problems in the dialog files", len(problems),
                          count=len(problems)),
              file=sys.stderr)
        return 1
    return 0


def mermaid(ruleset: str = DEFAULT_RULESET, folder: Path | None = None) -> str:
    """The flow as a Mermaid state diagram: questions, their conditions, group loops."""
    from transitions.extensions.diagrams import GraphMachine

    from .plan import Plan

    plan = Plan(load_flow(ruleset, folder))
    questions = plan.questions
    ids = [q.id for q in questions]
    edges: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()

    def edge(source: str, dest: str, trigger: str, condition: str | None = None) -> None:
        label = (source, dest, condition or trigger)
        if label in seen:
            return
        seen.add(label)
        item: dict[str, Any] = {"trigger": trigger, "source": source, "dest": dest}
        if condition:
            item["conditions"] = condition.replace('"', "'")
        edges.append(item)

    def runs(group: str) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        start = None
        for i, q in enumerate([*questions, None]):
            inside = q is not None and group in plan.chain(q)
            if inside and start is None:
                start = i
            elif not inside and start is not None:
                found.append((start, i - 1))
                start = None
        return found

    for i, q in enumerate(questions):
        for j in range(i + 1, len(questions) + 1):
            if j == len(questions):
                edge(q.id, "review", "next")
                break
            target = questions[j]
            if target.group is not None and len(plan.chain(target)) > len(plan.chain(q)):
                group = plan.chain(target)[len(plan.chain(q))]
                edge(q.id, target.id, "next", f"{plan.count_of_group[group]} > 0")
                break
            edge(q.id, target.id, "next", target.when)
            if target.when is None:
                break
    for group, count_id in plan.count_of_group.items():
        for first, last in runs(group):
            edge(ids[last], ids[first], "next", f"another {group}")
            after = ids[last + 1] if last + 1 < len(ids) else "review"
            before = ids[first - 1] if first > 0 else None
            if before is not None:
                edge(before, after, "next", f"{count_id} == 0")
    edge("review", "summary", "finish")
    machine = GraphMachine(
        states=[*ids, "review", "summary"], transitions=edges,
        initial=ids[0], auto_transitions=False, graph_engine="mermaid",
        show_conditions=True, title=plan.flow.title,
    )
    return str(machine.get_graph().draw(None))


def run_dialogs_graph(ruleset: str | None = DEFAULT_RULESET) -> int:
    try:
        print(mermaid(ruleset or DEFAULT_RULESET))
    except DialogError as exc:
        print(str(exc.problems[0]), file=sys.stderr)
        return 2
    return 0


def typed_answer(question: Question, value: Any, language: str,
                 choices: list[tuple[str, str]]) -> str | list[str]:
    """``value`` as a user of ``language`` types it (multiple choice: the codes)."""
    from . import values

    if question.kind == "multi_choice":
        return list(value)
    return values.format_answer(question, value, language, choices)


@dataclass
class ReplayCount:
    """What a person would do to give a draft's answers: screens seen and key presses.

    Key presses as typed: each text answer's characters, a choice's arrow presses from
    nothing chosen, a multiple choice's arrows and spaces, one ``j``/``n`` for yes/no;
    plus one key (Enter or Tab) to leave every field, including one left empty."""

    screens: int = 0
    key_presses: int = 0


def key_presses(question: Question, text: str | list[str] | None,
                choices: list[tuple[str, str]]) -> int:
    """The keys that give ``text`` to ``question`` and leave its field (see ReplayCount)."""
    if text is None:
        return 1
    codes = [code for code, _label in choices]
    if question.kind == "yes_no":
        return 2
    if question.kind == "multi_choice":
        positions = sorted(codes.index(c) for c in text if c in codes)
        return (positions[-1] if positions else 0) + len(positions) + 1
    if question.kind == "choice":
        labels = {label: code for code, label in choices}
        code = labels.get(str(text), str(text))
        return (codes.index(code) + 1 if code in codes else len(str(text))) + 1
    return len(text) + 1


def replay(draft: Any, language: str, echo: Any = None,
           count: ReplayCount | None = None) -> tuple[Any, Any, str | None]:
    """Walk the flow with the answers of ``draft``, typed in ``language``, a screen at a time.

    Returns (session, the refused question's view or None, the refusal message or None).
    ``echo(view, text)`` is called for each question reached; ``count`` (if given) adds up
    the screens and key presses.
    """
    from .session import REVIEW, SUMMARY, IntakeSession

    session = IntakeSession.new(language, draft.ruleset or DEFAULT_RULESET, keep_meta_of=draft)
    targets = session.plan.answers_from_draft(draft.to_json_dict())
    limit = 20 * (len(targets) + len(session.plan.questions)) + 100
    for _step in range(limit):
        if session.state in (REVIEW, SUMMARY):
            break
        if count is not None:
            count.screens += 1
        for key in session.page_keys():
            view = session.view(key)
            assert view is not None
            q = session.plan.by_id[view.question_id]
            text = None
            if key in targets:
                text = typed_answer(q, targets[key], language, view.choices)
            if echo is not None:
                echo(view, text)
            if count is not None:
                count.key_presses += key_presses(q, text, view.choices)
            if text is not None:
                result = session.answer(text, key)
                if not result.accepted:
                    return session, view, result.message
        session.next(by_screen=True)
    return session, None, None


def run_replay(path: str, language: str, out: str | None, *, force: bool = False) -> int:
    """``intake-assistant replay DRAFT.json --lang nl|en [-o OUT.json|-] [--force]``.

    Everything echoed comes from the draft and is made visible (``safe_text``). ``-o -``
    writes the draft to standard output (the walk then goes to standard error); an existing
    file is replaced only with ``force``, and never through a symbolic link.
    """
    from intake_assistant.loading import DraftFileError, load_draft_file
    from intake_assistant.rules import UnknownRulesetError, available_rulesets, load_ruleset
    from intake_assistant.safe_text import json_text, visible

    tr = translator(language)
    try:
        draft = load_draft_file(path)
    except DraftFileError as exc:
        print(exc.render(tr), file=sys.stderr)
        return 2
    try:  # the draft's ruleset names a known ruleset, or nothing is loaded for it
        load_ruleset(draft.ruleset or DEFAULT_RULESET)
    except UnknownRulesetError:
        print(f"{visible(path, limit=500)}: ruleset: " + tr(
            "unknown ruleset {ruleset}; known: {known}", ruleset=visible(draft.ruleset, limit=80),
            known=", ".join(available_rulesets())), file=sys.stderr)
        return 2
    to_stdout = out == "-"
    walk = sys.stderr if to_stdout else sys.stdout
    no_answer = tr("(no answer)")

    def echo(view: Any, text: str | list[str] | None) -> None:
        shown = no_answer if text is None else (
            ", ".join(dict(view.choices).get(c, c) for c in text) if isinstance(text, list)
            else text)
        print(f"[{visible(view.key)}] {visible(view.label)}\n    {visible(shown)}", file=walk)

    count = ReplayCount()
    try:
        session, refused, message = replay(draft, language, echo, count)
    except DialogError as exc:
        print(visible(exc.problems[0]), file=sys.stderr)
        return 2
    if refused is not None:
        print(tr("The flow refused the answer to {question} ({key}): {reason}",
                 question=visible(refused.label), key=visible(refused.key),
                 reason=visible(message or "")), file=sys.stderr)
        return 1
    print(tr("{screens} screens, {keys} key presses", screens=count.screens,
             keys=count.key_presses), file=walk)
    # Strict JSON; the draft's values stay exact, but cannot act on a terminal (``-o -``).
    data = json_text(json.dumps(session.draft.to_json_dict(), ensure_ascii=False, indent=2,
                                allow_nan=False)) + "\n"
    if out is None:
        return 0
    if to_stdout:
        sys.stdout.write(data)
        return 0
    problem = _write_new(Path(out), data, force)
    if problem is not None:
        print(tr("Cannot write {file}: {reason}", file=visible(out, limit=500),
                 reason=problem if isinstance(problem, str) else tr.render(problem)),
              file=sys.stderr)
        return 2
    print(tr("Draft written to {file}", file=visible(out, limit=500)))
    return 0


def _write_new(target: Path, data: str, force: bool) -> Message | str | None:
    """Write ``data`` to ``target``; a reason when it must not or cannot be written.

    Without ``force`` the file is created exclusively (``O_EXCL`` also refuses a symbolic
    link, even a dangling one); with ``force`` a regular file is replaced atomically, so that
    a failed write leaves the old one whole. A symbolic link is never written through.
    """
    import os
    import tempfile

    if target.is_symlink():
        return Message("it is a symbolic link; name the file itself")
    if target.is_dir():
        return Message("this is a folder, not a file")
    encoded = data.encode("utf-8")
    try:
        if not force:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                         0o644)
            with os.fdopen(fd, "wb") as handle:
                handle.write(encoded)
            return None
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                    dir=target.parent if str(target.parent) else ".")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(encoded)
            os.chmod(temp, 0o644)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except FileExistsError:
        return Message("the file exists already; use --force to replace it")
    except OSError as exc:
        return exc.strerror or type(exc).__name__  # the system's own words
    return None


__all__ = ["ReplayCount", "key_presses", "mermaid", "replay", "run_dialogs_graph", "run_dialogs_lint",
           "run_replay"]

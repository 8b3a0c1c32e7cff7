"""The flow's commands, wired into the CLI: ``dialogs lint``, ``dialogs graph``, ``replay``.

Each prints to standard output and returns the exit status; errors are one line on
standard error in the chosen language, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from intake_assistant.i18n import translator

from .schema import DialogError, Question, load_flow

DEFAULT_RULESET = "sce-2020"


def flow_rulesets() -> list[str]:
    """Every round that has a question flow (``dialogs/<ruleset>/flow.yaml``)."""
    from intake_assistant.i18n import resource_dir

    return sorted(p.parent.name for p in resource_dir("dialogs").glob("*/flow.yaml"))


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
        print(tr("{count} problem(s) in the dialog files", count=len(problems)),
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


def replay(draft: Any, language: str, echo: Any = None) -> tuple[Any, Any, str | None]:
    """Walk the flow with the answers of ``draft``, typed in ``language``.

    Returns (session, the refused question's view or None, the refusal message or None).
    ``echo(view, text)`` is called for each question reached.
    """
    from .session import REVIEW, SUMMARY, IntakeSession

    session = IntakeSession.new(language, draft.ruleset or DEFAULT_RULESET, keep_meta_of=draft)
    targets = session.plan.answers_from_draft(draft.to_json_dict())
    limit = 20 * (len(targets) + len(session.plan.questions)) + 100
    for _step in range(limit):
        if session.state in (REVIEW, SUMMARY):
            break
        view = session.current
        assert view is not None
        if view.key in targets:
            q = session.plan.by_id[view.question_id]
            text = typed_answer(q, targets[view.key], language, view.choices)
            if echo is not None:
                echo(view, text)
            result = session.answer(text)
            if not result.accepted:
                return session, view, result.message
        elif echo is not None:
            echo(view, None)
        session.next()
    return session, None, None


def run_replay(path: str, language: str, out: str | None) -> int:
    """``intake-assistant replay DRAFT.json --lang nl|en [-o OUT.json]``."""
    from intake_assistant.loading import DraftFileError, load_draft_file

    tr = translator(language)
    try:
        draft = load_draft_file(path)
    except DraftFileError as exc:
        print(exc.render(tr), file=sys.stderr)
        return 2
    no_answer = tr("(no answer)")

    def echo(view: Any, text: str | list[str] | None) -> None:
        shown = no_answer if text is None else (
            ", ".join(dict(view.choices).get(c, c) for c in text) if isinstance(text, list)
            else text.replace("\n", " "))
        print(f"[{view.key}] {view.label}\n    {shown}")

    try:
        session, refused, message = replay(draft, language, echo)
    except DialogError as exc:
        print(str(exc.problems[0]), file=sys.stderr)
        return 2
    if refused is not None:
        print(tr("The flow refused the answer to {question} ({key}): {reason}",
                 question=refused.label, key=refused.key, reason=message or ""),
              file=sys.stderr)
        return 1
    data = json.dumps(session.draft.to_json_dict(), ensure_ascii=False, indent=2) + "\n"
    if out is None:
        return 0
    try:
        Path(out).write_text(data, encoding="utf-8")
    except OSError as exc:
        print(tr("Cannot write {file}: {reason}", file=out, reason=exc.strerror or str(exc)),
              file=sys.stderr)
        return 2
    print(tr("Draft written to {file}", file=out))
    return 0


__all__ = ["mermaid", "replay", "run_dialogs_graph", "run_dialogs_lint",
           "run_replay"]

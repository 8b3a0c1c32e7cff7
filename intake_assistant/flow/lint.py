"""``intake-assistant dialogs lint``: what the schema alone cannot see in the dialog files.

Checks, besides the schema: duplicate and unknown question ids, groups and their count
questions, conditions that refer to unknown questions or to questions asked later,
conditions that compare with a value the question cannot have (a question that can never
be asked), draft fields that no question fills, fields that are not in the draft, and
message ids that either catalog lacks.
"""

from __future__ import annotations

import gettext
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from intake_assistant.i18n import LANGUAGES, Message

from . import expr
from .plan import Plan
from .schema import DialogError, Flow, Problem, load_flow

#: Draft fields the session writes itself rather than a question.
SESSION_FIELDS = frozenset({"format", "format_version", "ruleset", "language"})


def draft_fields(model: type[BaseModel] | None = None, prefix: str = "") -> set[str]:
    """Every leaf field of draft format v1: ``project.title``, ``participants[].name``."""
    if model is None:
        from intake_assistant.models import DraftApplication

        model = DraftApplication
    found: set[str] = set()
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        inner, is_list = _unwrap(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            found.add(path + ("[]" if is_list else ""))  # the object/list itself
            found |= draft_fields(inner, path + ("[]." if is_list else "."))
        else:
            found.add(path)
    return found


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    is_list = False
    while True:
        origin = typing.get_origin(annotation)
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        elif origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin is list:
            is_list = True
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation, is_list


def path_text(path: tuple[str | None, ...]) -> str:
    out = ""
    for part in path:
        out += "[]" if part is None else (f".{part}" if out else part)
    return out


def _catalog_ids(language: str) -> set[str]:
    from intake_assistant.i18n import resource_dir

    mo = resource_dir("locales") / language / "LC_MESSAGES" / "flow.mo"
    if not mo.is_file():
        return set()
    with mo.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)
    return {k for k, v in catalog._catalog.items() if isinstance(k, str) and k and v}  # type: ignore[attr-defined]


def lint(folder: Path | None = None, ruleset: str = "sce-2020") -> list[tuple[Problem, Message]]:
    """Every problem of the flow, as (where, what) with a translatable ``what``."""
    try:
        flow = load_flow(ruleset, folder)
    except DialogError as exc:
        return [(p, Message("{detail}", detail=p.text)) for p in exc.problems]
    return _check(flow)


def _check(flow: Flow) -> list[tuple[Problem, Message]]:
    out: list[tuple[Problem, Message]] = []

    def add(file: str, line: int, message: Message) -> None:
        out.append((Problem(file, line, message.msgid), message))

    seen: dict[str, int] = {}
    for located in flow.questions:
        q = located.question
        if q.id in seen:
            add(located.file, located.line, Message(
                "question id {id} is used twice (first on line {line})", id=q.id,
                line=str(seen[q.id])))
        seen.setdefault(q.id, located.line)
    duplicates = len(out)
    for name, group in flow.groups.items():
        if group.parent is not None and group.parent not in flow.groups:
            add(flow.flow_file, 1, Message("group {group} has an unknown parent {parent}",
                                           group=name, parent=group.parent))
        if group.count not in seen:
            add(flow.flow_file, 1, Message(
                "group {group} is counted by {id}, which is not a question", group=name,
                id=group.count))
    for located in flow.questions:
        if located.question.group is not None and located.question.group not in flow.groups:
            add(located.file, located.line, Message("unknown group {group}",
                                                    group=located.question.group))
    if len(out) > duplicates:  # the groups must be sound before the flow can be expanded
        return out

    plan = Plan(flow)
    order = plan.order
    for located in flow.questions:
        q = located.question
        where = (located.file, located.line)
        chain = plan.chain(q)
        if q.id in plan.group_of_count:
            group = plan.group_of_count[q.id]
            if plan.chains[group][:-1] != chain:
                add(*where, Message(
                    "{id} counts group {group} but is not asked once per its parent",
                    id=q.id, group=group))
            if q.kind != "whole_number":
                add(*where, Message("{id} counts a group and must be a whole number", id=q.id))
        node = plan.conditions[q.id]
        refs = expr.names(node) if node is not None else set()
        if q.validation.after:
            refs = refs | {q.validation.after}
        for ref in sorted(refs):
            if ref not in plan.by_id:
                add(*where, Message("{id} refers to an unknown question {ref}", id=q.id, ref=ref))
            elif order[ref] >= order[q.id]:
                add(*where, Message(
                    "{id} refers to {ref}, which is asked later, so {id} is never reached",
                    id=q.id, ref=ref))
            elif len(plan.chain(plan.by_id[ref])) > len(chain) or plan.chain(
                    plan.by_id[ref]) != chain[: len(plan.chain(plan.by_id[ref]))]:
                add(*where, Message(
                    "{id} refers to {ref}, which belongs to another repeated group",
                    id=q.id, ref=ref))
        if node is not None:
            for ref, literal in expr.literals_compared_with(node):
                other = plan.by_id.get(ref)
                if other is None:
                    continue
                if other.choices and isinstance(literal, str) and literal not in {
                        c.code for c in other.choices}:
                    add(*where, Message(
                        "{id} can never be reached: {ref} has no option {value}",
                        id=q.id, ref=ref, value=literal))
                if other.kind == "yes_no" and not isinstance(literal, bool):
                    add(*where, Message(
                        "{id} can never be reached: {ref} is answered yes or no",
                        id=q.id, ref=ref))

    out += _check_forms(flow, plan)

    model_fields = draft_fields()
    filled: set[str] = set(SESSION_FIELDS)
    for located in flow.questions:
        q = located.question
        paths = []
        if q.field:
            paths.append(plan.field_path(q))
        if q.gate:
            paths.append(plan.field_path(q, q.gate.path))
        if q.id in plan.group_of_count:
            paths.append((*plan.group_path(plan.group_of_count[q.id]), None))
        for path in paths:
            text = path_text(path)
            if text not in model_fields:
                add(located.file, located.line, Message(
                    "{id} fills {field}, which is not a field of the draft", id=q.id,
                    field=text))
            filled.add(text)
    # The answers of draft format 2 belong to the rounds that ask them (2022 on).
    from intake_assistant.models import V2_FIELDS

    optional = {f"project.{n}" for n in V2_FIELDS["project"]} | {
        f"participants[].{n}" for n in V2_FIELDS["participant"]}
    for field in sorted(model_fields - filled - optional):
        # An object (project, facilitator) is filled through its fields; a list needs a count.
        if field.endswith("[]") or not _has_children(field, model_fields):
            add(flow.flow_file, 1, Message("no question fills the draft field {field}",
                                           field=field))

    ids = _message_ids(flow)
    for language in LANGUAGES:
        known = _catalog_ids(language)
        for msgid, (file, line) in ids.items():
            if msgid not in known:
                add(file, line, Message(
                    "the {language} catalog lacks the message {msgid}", language=language,
                    msgid=msgid))
    return out


def _check_forms(flow: Flow, plan: Plan) -> list[tuple[Problem, Message]]:
    """A form's questions follow one another in one section and one repeated group, each
    in one form only, none depends on another of its form (its screen would change under
    the user's hands), and a long text is the last (Tab from it goes to Next)."""
    out: list[tuple[Problem, Message]] = []
    owner: dict[str, str] = {}
    for name, members in flow.forms.items():
        file, line = flow.form_lines.get(name, (flow.flow_file, 1))

        def add(message: Message, _file: str = file, _line: int = line) -> None:
            out.append((Problem(_file, _line, message.msgid), message))

        unknown = [m for m in members if m not in plan.by_id]
        for m in unknown:
            add(Message("form {form} names {id}, which is not a question", form=name, id=m))
        known = [m for m in members if m in plan.by_id]
        if len(known) < 2 and not unknown:
            add(Message("form {form} needs at least two questions", form=name))
        for m in known:
            if m in owner:
                add(Message("{id} is in two forms: {first} and {form}", id=m,
                            first=owner[m], form=name))
            owner.setdefault(m, name)
        if not known:
            continue
        positions = sorted(plan.order[m] for m in known)
        if positions != list(range(positions[0], positions[0] + len(positions))):
            add(Message("the questions of form {form} do not follow one another in the flow",
                        form=name))
        first = plan.by_id[known[0]]
        for m in known[1:]:
            q = plan.by_id[m]
            if q.section != first.section or q.group != first.group:
                add(Message("{id} is not in the section and group of form {form}'s first "
                            "question", id=m, form=name))
        # a long text's hint says Tab then Enter goes on: Tab must reach Next, not a field
        for m in known[:-1]:
            if plan.by_id[m].kind == "long_text":
                add(Message("{id} is a long text, so it must be the last question of form "
                            "{form}", id=m, form=name))
        for m in known:
            node = plan.conditions[m]
            for ref in sorted(expr.names(node) if node is not None else set()):
                if ref in known:
                    add(Message("{id} depends on {ref}, another question of form {form}",
                                id=m, ref=ref, form=name))
    return out


def _has_children(field: str, fields: set[str]) -> bool:
    return any(f.startswith(field + ".") or f.startswith(field + "[].") for f in fields)


def _message_ids(flow: Flow) -> dict[str, tuple[str, int]]:
    ids: dict[str, tuple[str, int]] = {}
    for section in flow.sections:
        for text in (section.title, section.short_label):
            if text:
                ids.setdefault(text, (flow.flow_file, 1))
    for group in flow.groups.values():
        ids.setdefault(group.title, (flow.flow_file, 1))
    for located in flow.questions:
        q = located.question
        where = (located.file, located.line)
        for text in (q.label, q.help, q.why, q.validation.message):
            if text:
                ids.setdefault(text, where)
        for choice in q.choices:
            ids.setdefault(choice.label, where)
    return ids

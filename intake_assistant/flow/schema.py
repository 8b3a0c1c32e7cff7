"""The dialog files: their pydantic schema and the loader that reports mistakes by line.

A flow lives in ``dialogs/<ruleset>/``: ``flow.yaml`` names the sections (in interview
order) and the repeated groups; every other ``*.yaml`` holds the questions of one section.
A later round's flow ``extends`` the one before and writes only what differs: a question
with an id the earlier flow has replaces it in place, a new one goes ``after`` the question
it names (or at the end of its section), and ``remove`` lists the ids it drops.
``load_flow`` validates every file against the models below and raises ``DialogError``
listing each mistake with its file, line and what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from . import expr

Kind = Literal[
    "short_text", "long_text", "yes_no", "choice", "multi_choice", "whole_number",
    "decimal", "money", "date", "kvk", "percentage",
]
_ID = r"^[a-z][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Strict):
    code: str
    label: str


class Validation(_Strict):
    min: float | None = None
    max: float | None = None
    max_length: int | None = Field(default=None, gt=0)
    #: A longer text is kept, with a warning: what the answer is for reads best this short
    #: (a "short public summary").
    advised_length: int | None = Field(default=None, gt=0)
    min_items: int | None = Field(default=None, ge=1)
    pattern: str | None = None
    #: A date question whose answer must come before this one's.
    after: str | None = Field(default=None, pattern=_ID)
    #: No other instance of the group may give the same answer.
    unique: bool = False
    #: At most one instance of the group may answer yes.
    single_yes: bool = False
    #: The message shown when a bound, pattern or cross-field check refuses the answer.
    message: str | None = None


class Gate(_Strict):
    """A yes/no question that decides whether a part of the draft exists.

    ``no``: the value written at ``path`` when the answer is no (``null``, ``[]``);
    ``yes``: written when the answer is yes, if given (``{}`` for an object).
    """

    path: str
    no: Any = None
    yes: Any = None


class Question(_Strict):
    id: str = Field(pattern=_ID)
    kind: Kind
    label: str
    article: str
    required: bool = True
    section: str = ""  # filled in from the file
    group: str | None = None
    #: The draft field the answer fills, relative to the group's item.
    field: str | None = None
    #: Several yes/no questions fill one field: "any" yes makes it true, "all" yes does.
    combine: Literal["any", "all"] | None = None
    gate: Gate | None = None
    when: str | None = None
    #: Written to the field when the condition is false (the question does not apply).
    skipped_value: Any = None
    help: str | None = None
    why: str | None = None
    choices: tuple[Choice, ...] = ()
    choices_from: Literal["participants"] | None = None
    validation: Validation = Validation()
    #: In a flow that extends another: the question this new one follows.
    after: str | None = Field(default=None, pattern=_ID)

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        if self.kind in {"choice", "multi_choice"} and not (self.choices or self.choices_from):
            raise ValueError("a choice question needs choices or choices_from")
        if self.choices and self.kind not in {"choice", "multi_choice"}:
            raise ValueError(f"a {self.kind} question has no choices")
        if self.combine and self.kind != "yes_no":
            raise ValueError("only yes/no questions can combine into one field")
        if self.gate and self.kind != "yes_no":
            raise ValueError("a gate question is a yes/no question")
        if self.gate and self.field:
            raise ValueError("a gate question fills no field of its own")
        if self.when is not None:
            try:
                expr.parse(self.when)
            except expr.ExpressionError as exc:
                raise ValueError(f"condition {self.when!r}: {exc}") from None
        return self

    @property
    def has_skipped_value(self) -> bool:
        return "skipped_value" in self.model_fields_set

    @property
    def gate_writes_yes(self) -> bool:
        return self.gate is not None and "yes" in self.gate.model_fields_set


class GroupDef(_Strict):
    path: str
    count: str = Field(pattern=_ID)
    title: str
    parent: str | None = None


class FormDef(_Strict):
    """Questions answered together on one screen (a form): related answers of one instance.

    The questions follow one another in the flow, belong to one section and one repeated
    group, and none of them depends on another of the same form (``dialogs lint`` checks it);
    each still fills its own draft field and is validated on its own.
    """

    questions: tuple[str, ...] = Field(min_length=2)


class SectionDef(_Strict):
    id: str = Field(pattern=_ID)
    title: str
    short_label: str | None = None


class FlowFile(_Strict):
    ruleset: str
    title: str
    #: The earlier round's flow this one extends (only what differs is written again).
    extends: str | None = None
    groups: dict[str, GroupDef] = {}
    sections: tuple[SectionDef, ...] = ()
    #: Forms (several questions on one screen), by name; a later round's form of the same
    #: name replaces the earlier one.
    forms: dict[str, FormDef] = {}
    #: Question ids of the earlier flow this one drops.
    remove: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _sections(self) -> FlowFile:
        if not self.sections and not self.extends:
            raise ValueError("a flow that extends no other names its sections")
        return self


class SectionFile(_Strict):
    section: str = Field(pattern=_ID)
    questions: tuple[Question, ...] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class Problem:
    """A mistake in a dialog file."""

    file: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.text}"


class DialogError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Located:
    """A question with where it was written."""

    question: Question
    file: str
    line: int


@dataclass
class Flow:
    """A loaded, schema-valid flow (cross-references are the lint's business)."""

    ruleset: str
    title: str
    folder: Path
    groups: dict[str, GroupDef]
    sections: tuple[SectionDef, ...]
    questions: list[Located] = field(default_factory=list)
    flow_file: str = "flow.yaml"
    #: Forms by name: the ids of the questions shown together on one screen.
    forms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: The line of flow.yaml on which each form is written (for the lint).
    form_lines: dict[str, tuple[str, int]] = field(default_factory=dict)

    @property
    def by_id(self) -> dict[str, Question]:
        return {q.question.id: q.question for q in self.questions}


def _to_data(node: Any, path: tuple[Any, ...], lines: dict[tuple[Any, ...], int],
             loader: Any) -> Any:
    """The data of a composed node, remembering the line of every key and item."""
    import yaml

    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key, value in node.value:
            k = loader.construct_object(key) if isinstance(key, yaml.ScalarNode) else None
            out[k] = _to_data(value, (*path, k), lines, loader)
            lines[(*path, k)] = key.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(item, (*path, i), lines, loader) for i, item in enumerate(node.value)]
    return loader.construct_object(node)  # a scalar, resolved and constructed as safe_load does


def _read(path: Path, rel: str) -> tuple[Any, dict[tuple[Any, ...], int]]:
    import yaml

    # PyYAML's C parser where it was built with libyaml (several times faster); the safe
    # constructor either way. One loader per file composes it and constructs its scalars.
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    lines: dict[tuple[Any, ...], int] = {}
    try:
        loader = loader_class(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DialogError([Problem(rel, 1, f"cannot be read: {exc.strerror}")]) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise DialogError([Problem(rel, 1, "the file is empty")])
        return _to_data(node, (), lines, loader), lines
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise DialogError([Problem(rel, line, f"not valid YAML: {getattr(exc, 'problem', exc)}")]
                          ) from None
    finally:
        loader.dispose()


def _problems(exc: ValidationError, rel: str, lines: dict[tuple[Any, ...], int]) -> list[Problem]:
    found = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        line = 1
        for n in range(len(loc), -1, -1):  # the nearest enclosing node that has a line
            if loc[:n] in lines:
                line = lines[loc[:n]]
                break
        where = ".".join(str(p) for p in loc)
        found.append(Problem(rel, line, f"{where}: {error['msg']}" if where else error["msg"]))
    return found


def load_flow(ruleset: str = "sce-2020", folder: Path | None = None) -> Flow:
    """Load and schema-check the flow of ``ruleset``; raises ``DialogError``."""
    if folder is None:
        from intake_assistant.i18n import resource_dir

        # Looked up by name among the product's flows, never joined into a path: the name
        # may come from a draft ("../../x", a name too long for the file system).
        flows = {p.name: p for p in resource_dir("dialogs").iterdir() if p.is_dir()}
        if ruleset not in flows:
            raise DialogError([Problem("dialogs", 1, "no question flow for this ruleset")])
        folder = flows[ruleset]
    flow_path = folder / "flow.yaml"
    if not flow_path.is_file():
        raise DialogError([Problem(str(flow_path), 1, "missing: the flow has no flow.yaml")])
    base = folder.parent
    rel = flow_path.relative_to(base).as_posix()
    data, lines = _read(flow_path, rel)
    problems: list[Problem] = []
    try:
        meta = FlowFile.model_validate(data)
    except ValidationError as exc:
        raise DialogError(_problems(exc, rel, lines)) from None
    base_flow = None
    if meta.extends:
        if meta.extends == meta.ruleset or "/" in meta.extends:
            raise DialogError([Problem(rel, lines.get(("extends",), 1),
                                       f"extends: {meta.extends!r} is not another round")])
        base_flow = load_flow(meta.extends, folder.parent / meta.extends)
    sections = meta.sections or (base_flow.sections if base_flow else ())
    groups = {**(base_flow.groups if base_flow else {}), **meta.groups}
    flow = Flow(meta.ruleset, meta.title, folder, groups, sections, flow_file=rel)
    if base_flow is not None:  # inherited forms, without the questions this round drops
        for name, members in base_flow.forms.items():
            flow.forms[name] = tuple(m for m in members if m not in meta.remove)
            flow.form_lines[name] = base_flow.form_lines[name]
    for name, form in meta.forms.items():
        flow.forms[name] = form.questions
        flow.form_lines[name] = (rel, lines.get(("forms", name), 1))
    by_section: dict[str, list[Located]] = {}
    inherited: set[int] = set()  # ids (object identity) of the earlier round's questions
    if base_flow is not None:
        for inherited_q in base_flow.questions:
            if inherited_q.question.id not in meta.remove:
                by_section.setdefault(inherited_q.question.section, []).append(inherited_q)
                inherited.add(id(inherited_q))
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "flow.yaml":
            continue
        rel = path.relative_to(base).as_posix()
        try:
            data, lines = _read(path, rel)
            parsed = SectionFile.model_validate(data)
        except DialogError as exc:
            problems += exc.problems
            continue
        except ValidationError as exc:
            problems += _problems(exc, rel, lines)
            continue
        known = {s.id for s in sections}
        if parsed.section not in known:
            problems.append(Problem(rel, lines.get(("section",), 1),
                                    f"section {parsed.section!r} is not listed in flow.yaml"))
            continue
        located = by_section.setdefault(parsed.section, [])
        for i, q in enumerate(parsed.questions):
            q = q.model_copy(update={"section": parsed.section})
            item = Located(q, rel, lines.get(("questions", i), 1))
            _place(located, item, problems, inherited)
    if problems:
        raise DialogError(problems)
    for section in sections:
        flow.questions += by_section.get(section.id, [])
    return flow


def _place(located: list[Located], item: Located, problems: list[Problem],
           inherited: set[int]) -> None:
    """Put ``item`` into its section: replacing the earlier round's question of the same id,
    after ``after``, or at the end (a repeated id of the same round stays: the lint says so)."""
    q = item.question
    same = next((n for n, old in enumerate(located)
                 if old.question.id == q.id and id(old) in inherited), None)
    if same is not None and q.after is None:
        located[same] = item
        return
    if same is not None:
        del located[same]
    if q.after is None:
        located.append(item)
        return
    anchor = next((n for n, old in enumerate(located) if old.question.id == q.after), None)
    if anchor is None:
        problems.append(Problem(item.file, item.line,
                                f"after: {q.after!r} is not a question of this section"))
        return
    located.insert(anchor + 1, item)


@lru_cache(maxsize=8)
def cached_flow(ruleset: str = "sce-2020") -> Flow:
    """The flow of ``ruleset`` from the product's dialog folder, loaded once."""
    return load_flow(ruleset)

"""What a finding rests on: every draft answer and every parameter value its criterion read.

The basis is recorded while a criterion runs, not reconstructed afterwards, so it cannot drift
from what was used. ``evaluate`` hands the criteria views of the draft and of the parameters
that note each read into the basis of the finding being made (``Recording.current``):

- the draft through ``ModelView``/``ListView``: a read of ``p.cost_lines[0].amount_eur`` notes
  ``participants[2].cost_lines[0].amount_eur`` with its value. A nested object or a list that
  is there is not noted itself, its answers are as they are read; an absent one (``None``, an
  empty list) is noted with that value. Labels that only name a thing in a message (a
  participant's or the facilitator's name, a cost line's description) are not noted;
- the parameters through ``ParamsView``: ``params.max_cost_share`` or ``params.verified(...)``
  notes the parameter's value as it applies on the day, with its source;
- derived figures (the subsidy calculation, the SME test) are computed once per draft through
  the same views, each part with its own basis; a criterion that reads a part takes over that
  part's basis (``SubsidyView``, ``DerivedList``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from enum import Enum
from typing import Any

from pydantic import BaseModel

from intake_assistant.rules.ruleset import ParameterValue, Params

#: Fields that only name a thing in a message: what a finding says, not what it rests on.
LABEL_FIELDS: dict[str, frozenset[str]] = {
    "Participant": frozenset({"name"}),
    "CostLine": frozenset({"description"}),
    "Facilitator": frozenset({"name", "organisation"}),
    "Project": frozenset({"title"}),
}
_NO_LABELS: frozenset[str] = frozenset()
#: Properties of the models that read an answer: the draft field they read.
_PROPERTY_FIELDS = {"group_answered": "group"}


class Basis:
    """The answers (draft path -> value) and parameters (name -> value) one finding rests on."""

    __slots__ = ("_taken", "answers", "parameters")

    def __init__(self) -> None:
        self.answers: dict[str, Any] = {}
        self.parameters: dict[str, ParameterValue] = {}
        self._taken: set[int] | None = None

    def take(self, other: Basis) -> None:
        """Rest also on what ``other`` rests on (a derived figure this finding read)."""
        # A criterion reads several figures of one row, or a row again: half the takes of a
        # draft are of a basis taken before, which adds nothing (a derived figure's basis is
        # complete before it is read). By id: the bases taken live as long as the draft's.
        taken = self._taken
        if taken is None:
            self._taken = {id(other)}
        elif id(other) in taken:
            return
        else:
            taken.add(id(other))
        self.answers.update(other.answers)
        self.parameters.update(other.parameters)

    def unverified(self) -> tuple[ParameterValue, ...]:
        return tuple(p for p in self.parameters.values() if not p.verified)

    def to_json(self) -> dict[str, Any]:
        """Strict JSON: values as the draft writes them, parameters with their provenance."""
        return {
            "answers": [{"path": path, "value": json_value(value)}
                        for path, value in self.answers.items()],
            "parameters": [_parameter_json(p) for p in self.parameters.values()],
        }

    def json_bytes(self, text_of: Callable[[Any], str], answers: dict[str, bytes]) -> bytes:
        """``text_of(self.to_json())`` in UTF-8, each answer's text taken from ``answers`` (one
        draft's, by path) and each parameter's from ``_PARAMETER_TEXTS`` where made before."""
        get = answers.get
        # A path's text is never empty: ``or`` makes it where this draft has not yet.
        parts = b", ".join([get(path) or _answer_text(answers, path, value, text_of)
                            for path, value in self.answers.items()])
        if not self.parameters:
            return b'{"answers": [%b], "parameters": []}' % parts
        kept_texts = _PARAMETER_TEXTS.get(text_of)
        if kept_texts is None:
            kept_texts = _PARAMETER_TEXTS[text_of] = {}
        params = []
        append = params.append
        for p in self.parameters.values():
            kept = kept_texts.get(id(p))
            if kept is None or kept[0] is not p:
                kept = kept_texts[id(p)] = (p, text_of(_parameter_json(p)).encode())
            append(kept[1])
        return b'{"answers": [%b], "parameters": [%b]}' % (parts, b", ".join(params))

    def __repr__(self) -> str:
        return f"Basis({self.answers!r}, {sorted(self.parameters)!r})"


def _answer_text(answers: dict[str, bytes], path: str, value: Any,
                 text_of: Callable[[Any], str]) -> bytes:
    head = _ANSWER_HEADS.get(path)
    if head is None:  # the paths recur across the drafts of a batch: each made once
        if len(_ANSWER_HEADS) > 20_000:  # bounded: drafts of thousands of participants
            _ANSWER_HEADS.clear()
        # A path is made of the models' field names and indices: a plain JSON string.
        head = _ANSWER_HEADS[path] = b'{"path": "%b", "value": ' % path.encode()
    # Most answers are a yes or no, a figure or absent: written at once (as _value_text does).
    kind = type(value)
    if value is None:
        text = head + b"null}"
    elif kind is bool:
        text = head + (b"true}" if value else b"false}")
    elif kind is float:
        text = b"%b%b}" % (head, (repr(int(value)) if value.is_integer() else repr(value)).encode())
    else:
        # The other values recur across the drafts of a batch (a category, a KvK number):
        # kept by type and value (True and 1 are equal, but read true and 1).
        key = (kind, value if kind is not list else tuple(value), text_of)
        try:
            value_text = _VALUE_TEXTS.get(key)
        except TypeError:  # not hashable
            key, value_text = None, None
        if value_text is None:
            value_text = _value_text(value, text_of).encode()
            if key is not None:
                if len(_VALUE_TEXTS) > 50_000:  # bounded for a long batch
                    _VALUE_TEXTS.clear()
                _VALUE_TEXTS[key] = value_text
        text = b"%b%b}" % (head, value_text)
    answers[path] = text
    return text


#: The start of an answer's text by its path, and the text of a value (not a yes or no, a
#: figure or null) by its type and value (``_answer_text``), in UTF-8.
_ANSWER_HEADS: dict[str, bytes] = {}
_VALUE_TEXTS: dict[tuple[Any, ...], bytes] = {}


def _value_text(value: Any, text_of: Callable[[Any], str]) -> str:
    """The JSON text of an answer's value (what json.dumps writes for it)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is float:
        return repr(int(value)) if value.is_integer() else repr(value)
    if type(value) is int:
        return repr(value)
    if isinstance(value, Enum):  # a choice: its code is a plain JSON string
        return f'"{value.value}"'
    if isinstance(value, dt.date):
        return f'"{value.isoformat()}"'
    return text_of(json_value(value))


def _parameter_json(p: ParameterValue) -> dict[str, Any]:
    return {"key": p.name, "value": json_value(p.value), "from": p.valid_from.isoformat(),
            "source": p.source, "verified": p.verified}


#: The text of each parameter value as ``Basis.json_bytes`` made it (UTF-8), by ``text_of`` and
#: then by id (the value is kept alive with it). Parameter values live as long as their
#: ruleset, which is loaded once.
_PARAMETER_TEXTS: dict[Any, dict[int, tuple[ParameterValue, bytes]]] = {}


def json_value(value: Any) -> Any:
    """A draft or parameter value as strict JSON (an enum by its code, a date as ISO text)."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float):
        # 6000.0 as the draft writes it, 6000; the models bound money far below 2**53.
        return int(value) if value.is_integer() else value
    if isinstance(value, int):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, BaseModel):  # an object read as a whole (that it is there)
        return value.model_dump(mode="json", exclude_unset=True)
    return str(value)


class Recording:
    """Where the views note their reads: the basis of the finding being made."""

    __slots__ = ("current",)

    def __init__(self) -> None:
        self.current = Basis()


class ModelView:
    """A draft object (project, participant, cost line, facilitator) that notes each answer read.

    Made per model class (``view_of``): every field is a property, so a read costs one call
    (a fallback ``__getattr__`` would first raise and catch an AttributeError per read).
    """

    __slots__ = ("_children", "_model", "_path", "_paths", "_rec")

    def __init__(self, model: BaseModel, path: str, rec: Recording) -> None:
        self._model = model
        self._path = path
        self._paths = _paths_under(path)
        self._rec = rec
        self._children: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:  # methods and properties of the model
        return getattr(self._model, name)

    def __eq__(self, other: object) -> bool:
        return self._model == (other._model if isinstance(other, ModelView) else other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ModelView({self._path!r})"


def _answer(name: str) -> property:
    def read(self: ModelView) -> Any:
        value = self._model.__dict__[name]
        self._rec.current.answers[self._paths[name]] = value
        return value

    return property(read)


class _PathsUnder(dict[str, str]):
    """The draft paths of the answers under one prefix (``participants[2].`` + a field name),
    each string made once for every draft of a run: no new string (and hash) per read."""

    __slots__ = ("_prefix",)

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self._prefix = prefix

    def __missing__(self, name: str) -> str:
        path = self[name] = self._prefix + name
        return path


_PATHS: dict[str, _PathsUnder] = {}


def _paths_under(prefix: str) -> _PathsUnder:
    paths = _PATHS.get(prefix)
    if paths is None:
        if len(_PATHS) > 10_000:  # bounded: a draft of thousands of participants
            _PATHS.clear()
        paths = _PATHS[prefix] = _PathsUnder(prefix)
    return paths


def _label(name: str) -> property:
    return property(lambda self: self._model.__dict__[name])


def _nested(name: str, many: bool) -> property:
    def read(self: ModelView) -> Any:
        child = self._children.get(name)
        if child is not None:
            return child
        value = self._model.__dict__[name]
        if not value:  # absent, or an empty list: read as it is
            self._rec.current.answers[self._paths[name]] = value
            return value
        if many:
            child = ListView(value, self._path + name, self._rec)
        else:
            child = view_of(value, self._path + name + ".", self._rec)
        self._children[name] = child
        return child

    return property(read)


def _answered(field: str) -> property:
    """A model's property that tells whether an answer was given: it reads that answer."""
    def read(self: ModelView) -> Any:
        model = self._model
        self._rec.current.answers[self._paths[field]] = model.__dict__[field]
        return field in model.model_fields_set

    return property(read)


def _model_in(annotation: Any) -> tuple[bool, bool]:
    """Whether ``annotation`` holds a model, and whether as a list of them."""
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True, False
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    for arg in args:
        found, many = _model_in(arg)
        if found:
            return True, many or origin is list
    return False, False


_VIEW_CLASSES: dict[type, type[ModelView]] = {}


def view_of(model: BaseModel, path: str, rec: Recording) -> ModelView:
    """A view of ``model`` whose answers are noted under ``path`` (``participants[2].``)."""
    cls = type(model)
    view_cls = _VIEW_CLASSES.get(cls)
    if view_cls is None:
        labels = LABEL_FIELDS.get(cls.__name__, _NO_LABELS)
        members: dict[str, Any] = {"__slots__": ()}
        for name, info in cls.model_fields.items():
            found, many = _model_in(info.annotation)
            members[name] = (_label(name) if name in labels else
                             _nested(name, many) if found else _answer(name))
        for prop, field in _PROPERTY_FIELDS.items():
            if hasattr(cls, prop):
                members[prop] = _answered(field)
        view_cls = _VIEW_CLASSES[cls] = type(f"{cls.__name__}View", (ModelView,), members)
    return view_cls(model, path, rec)


def unrecorded(view: Any) -> Any:
    """The object behind a view, read without noting anything (for labels of a derived row)."""
    return view._model if isinstance(view, ModelView) else view


class ListView(list[Any]):
    """A list of draft objects (participants, cost lines, ties) as views of them: a list of
    its own, so that iterating and indexing cost what they cost on a list.

    Its length is not noted (how many participants there are is the draft's shape, not an
    answer); an empty or absent list is noted by the view of its parent as it is read.
    """

    __slots__ = ("_path",)

    def __init__(self, items: Sequence[Any], path: str, rec: Recording) -> None:
        super().__init__(view_of(item, f"{path}[{i}].", rec) for i, item in enumerate(items))
        self._path = path

    def __repr__(self) -> str:
        return f"ListView({self._path!r}, {len(self)})"


class EmptyList(Sequence[Any]):
    """An absent or empty top-level list (the participants): noted as read whenever it is."""

    __slots__ = ("_path", "_rec", "_value")

    def __init__(self, path: str, value: Any, rec: Recording) -> None:
        self._path = path
        self._value = value
        self._rec = rec

    def _note(self) -> None:
        self._rec.current.answers[self._path] = self._value

    def __len__(self) -> int:
        self._note()
        return 0

    def __bool__(self) -> bool:
        self._note()
        return False

    def __getitem__(self, index: Any) -> Any:
        self._note()
        return ()[index]

    def __iter__(self) -> Iterator[Any]:
        self._note()
        return iter(())


class ParamsView:
    """The parameters on the draft's day, noting each one a criterion reads.

    A parameter with more than one dated value in the round (``dated``) also rests on the
    application date that chose the value. Made per set of names (``params_view``): every
    parameter is a property, so a read costs one call, not a failed lookup first."""

    __slots__ = ("_dated", "_day", "_params", "_rec", "_values")

    def __init__(self, params: Params, rec: Recording, dated: frozenset[str] = frozenset(),
                 day: dt.date | None = None) -> None:
        self._params = params
        self._values = params._values
        self._rec = rec
        self._dated = dated
        self._day = day

    def __getattr__(self, name: str) -> Any:  # a parameter the view class does not know
        value = getattr(self._params, name)
        if not name.startswith("_"):
            self.meta(name)
        return value

    def meta(self, name: str) -> ParameterValue:
        current = self._rec.current
        meta = current.parameters[name] = self._values[name]
        if name in self._dated:
            current.answers["project.application_date"] = self._day
        return meta

    def verified(self, name: str) -> bool:
        return self.meta(name).verified

    def memo(self, key: object, make: Any) -> Any:
        return self._params.memo(key, make)

    def names(self) -> tuple[str, ...]:
        return self._params.names()


def _parameter(name: str, dated: bool) -> property:
    if dated:
        def read_dated(self: ParamsView) -> Any:
            current = self._rec.current
            meta = current.parameters[name] = self._values[name]
            current.answers["project.application_date"] = self._day
            return meta.value

        return property(read_dated)

    def read(self: ParamsView) -> Any:
        meta = self._rec.current.parameters[name] = self._values[name]
        return meta.value

    return property(read)


_PARAMS_VIEW_CLASSES: dict[tuple[tuple[str, ...], frozenset[str]], type[ParamsView]] = {}


def params_view(params: Params, rec: Recording, dated: frozenset[str] = frozenset(),
                day: dt.date | None = None) -> ParamsView:
    """A view of ``params`` (see ``ParamsView``) of the class made for its names."""
    cls = params.memo(("view class", dated), lambda: _params_view_class(params.names(), dated))
    return cls(params, rec, dated, day)  # type: ignore[no-any-return]


def _params_view_class(names: tuple[str, ...], dated: frozenset[str]) -> type[ParamsView]:
    key = (names, dated)
    cls = _PARAMS_VIEW_CLASSES.get(key)
    if cls is None:
        members: dict[str, Any] = {"__slots__": ()}
        for name in names:
            if not name.startswith("_") and not hasattr(ParamsView, name):
                members[name] = _parameter(name, name in dated)
        cls = _PARAMS_VIEW_CLASSES[key] = type("ParamsOfRound", (ParamsView,), members)
    return cls


class DerivedList(Sequence[Any]):
    """Figures derived once per draft (one per participant), each with its own basis: reading
    one makes the finding rest on what that one was computed from."""

    __slots__ = ("_bases", "_items", "_rec")

    def __init__(self, items: Sequence[Any], bases: Sequence[Basis], rec: Recording) -> None:
        self._items = items
        self._bases = bases
        self._rec = rec

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self._items))[index]]
        self._rec.current.take(self._bases[index])
        return self._items[index]

    def __iter__(self) -> Iterator[Any]:
        current = self._rec.current
        for basis in self._bases:
            current.take(basis)
        return iter(self._items)


def record(rec: Recording, compute: Any, *args: Any) -> tuple[Any, Basis]:
    """``compute(*args)`` and the basis of what it read."""
    before = rec.current
    basis = rec.current = Basis()
    try:
        return compute(*args), basis
    finally:
        rec.current = before


class RowView:
    """One participant's row of the subsidy calculation: its figures rest on that participant's
    costs and the parameters; its cost share on every participant's costs."""

    __slots__ = ("_all", "_basis", "_rec", "_row")

    def __init__(self, row: Any, basis: Basis, whole: Basis, rec: Recording) -> None:
        self._row = row
        self._basis = basis
        self._all = whole
        self._rec = rec

    def __getattr__(self, name: str) -> Any:  # what has no property below
        self._rec.current.take(self._basis)
        return getattr(self._row, name)

    @property
    def index(self) -> int:
        return self._row.index  # type: ignore[no-any-return]

    @property
    def name(self) -> Any:
        return self._row.name

    @property
    def cost_share(self) -> Any:
        self._rec.current.take(self._all)
        return self._row.cost_share

    @property
    def kvk_number(self) -> Any:
        row = self._row
        self._rec.current.answers[f"participants[{row.index}].kvk_number"] = row.kvk_number
        return row.kvk_number


def _row_figure(name: str) -> property:
    def read(self: RowView) -> Any:
        self._rec.current.take(self._basis)
        return getattr(self._row, name)

    return property(read)


for _figure in ("own_hours_eur", "eligible_costs_eur", "excluded_costs_eur", "subsidy_eur",
                "capped", "costs_known"):
    setattr(RowView, _figure, _row_figure(_figure))


#: Figures of the whole calculation that are parameters as they are.
_CALCULATION_PARAMETERS = {"hourly_rate_eur": "hourly_rate_eur",
                           "hourly_rate_verified": "hourly_rate_eur",
                           "subsidy_rate": "subsidy_rate",
                           "max_per_participant_eur": "max_subsidy_per_participant_eur"}


#: The participant a draft path is under (-1: none), by path: the same paths recur in every
#: draft of a batch.
_ROW_OF_PATH: dict[str, int] = {}


def _row_of(path: str) -> int:
    index = int(path[13:path.index("]")]) if path.startswith("participants[") else -1
    if len(_ROW_OF_PATH) > 20_000:  # bounded: drafts of thousands of participants
        _ROW_OF_PATH.clear()
    _ROW_OF_PATH[path] = index
    return index


class SubsidyView:
    """The subsidy calculation, computed once per draft, read by the criteria part by part."""

    __slots__ = ("_all", "_calc", "_params", "_rec", "participants")

    def __init__(self, calc: Any, read: Basis, params: ParamsView, rec: Recording) -> None:
        self._calc = calc
        self._rec = rec
        self._params = params
        self._all = read
        shared = Basis()
        shared.parameters.update(read.parameters)
        per_row: dict[int, Basis] = {}
        row_of = _ROW_OF_PATH
        for path, value in read.answers.items():
            index = row_of.get(path)
            if index is None:
                index = _row_of(path)
            if index >= 0:
                row_basis = per_row.get(index)
                if row_basis is None:
                    row_basis = per_row[index] = Basis()
                    row_basis.take(shared)
                row_basis.answers[path] = value
        self.participants = [RowView(row, per_row.get(row.index, shared), read, rec)
                             for row in calc.participants]

    def __getattr__(self, name: str) -> Any:  # what has no property below
        parameter = _CALCULATION_PARAMETERS.get(name)
        if parameter is not None:
            self._params.meta(parameter)
        else:
            self._rec.current.take(self._all)
        return getattr(self._calc, name)


def _calculation_parameter(name: str, parameter: str) -> property:
    def read(self: SubsidyView) -> Any:
        self._params.meta(parameter)
        return getattr(self._calc, name)

    return property(read)


def _calculation_figure(name: str) -> property:
    def read(self: SubsidyView) -> Any:
        self._rec.current.take(self._all)
        return getattr(self._calc, name)

    return property(read)


for _figure, _parameter_name in _CALCULATION_PARAMETERS.items():
    setattr(SubsidyView, _figure, _calculation_parameter(_figure, _parameter_name))
for _figure in ("excluded_lines", "total_eligible_eur", "total_eur"):
    setattr(SubsidyView, _figure, _calculation_figure(_figure))

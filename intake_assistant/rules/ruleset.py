"""Rulesets as data: parameters with dated values, their source and whether they are verified.

A ruleset file (``rules/data/<id>.toml``) is one round of the scheme (``round = 2021``) and
names its parameters; each parameter has a list of values, each valid from a date (until the
next one), with the source it comes from, a short quote of the official text where one was
read, and ``verified`` (an official text we hold confirms it). A later round's ruleset
``extends`` the one before: the parameters it names replace the earlier round's (each value
dated, with its reference), the rest are inherited, and it lists the named rule changes it adds
(see ``rules/changes.py``), so a new round is data plus small named code. A ruleset names the day
its text entered into force (``in_force``: its rules apply to applications from then on) and,
under ``[articles]``, the article a criterion rests on where that differs from the 2020 one.
"""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from intake_assistant.records import Record
from intake_assistant.rules.compiled_rulesets import compiled_data

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_RULESET = "sce-2020"


class UnknownRulesetError(LookupError):
    def __init__(self, ruleset_id: str) -> None:
        super().__init__(ruleset_id)
        self.ruleset_id = ruleset_id


class ParameterValue(Record):
    """One parameter as it applies on a day: its value and where that value comes from."""

    __slots__ = ("description", "name", "quote", "source", "unit", "valid_from", "value",
                 "verified")

    def __init__(self, name: str, value: Any, source: str, verified: bool, valid_from: dt.date,
                 unit: str, description: str, quote: str = "") -> None:
        self.name = name
        self.value = value
        self.source = source
        self.verified = verified
        self.valid_from = valid_from
        self.unit = unit
        self.description = description
        self.quote = quote  # the official text's words, where one was read


class Parameter(Record):
    """A parameter of a ruleset with its dated values."""

    __slots__ = ("description", "name", "unit", "values")

    def __init__(self, name: str, description: str, unit: str,
                 values: tuple[ParameterValue, ...]) -> None:
        self.name = name
        self.description = description
        self.unit = unit
        self.values = values  # sorted by valid_from

    def on(self, day: dt.date) -> ParameterValue:
        """The value in force on ``day`` (the earliest one for days before all of them)."""
        chosen = self.values[0]
        for candidate in self.values:
            if candidate.valid_from <= day:
                chosen = candidate
        return chosen


class Params:
    """All parameters of a ruleset as they apply on one day, as attributes (``params.x``)."""

    def __init__(self, values: dict[str, ParameterValue]) -> None:
        # Plain attributes: the rules read parameters dozens of times per draft.
        self.__dict__.update({name: v.value for name, v in values.items()})
        self._values = values
        self._memo: dict[object, Any] = {}

    def memo(self, key: object, make: Any) -> Any:
        """Something derived from these values only (e.g. a note), built once."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = make()
            return value

    def meta(self, name: str) -> ParameterValue:
        return self._values[name]

    def names(self) -> tuple[str, ...]:
        return tuple(self._values)

    def verified(self, name: str) -> bool:
        return self._values[name].verified


class Ruleset(Record):
    """One round's parameters and rule changes (equal by value, hashed by identity: the caches
    of its derived tables key on it)."""

    __slots__ = ("articles", "id", "in_force", "in_force_source", "parameters", "publication",
                 "reference_date", "round", "rule_changes", "title")

    def __init__(self, id: str, title: str, publication: str, reference_date: dt.date,
                 parameters: dict[str, Parameter], rule_changes: tuple[str, ...],
                 round: int | None = None, in_force: dt.date | None = None,
                 in_force_source: str = "", articles: dict[str, str] | None = None) -> None:
        self.id = id
        self.title = title
        self.publication = publication
        self.reference_date = reference_date
        self.parameters = parameters
        self.rule_changes = rule_changes
        self.round = round  # the year of the round this ruleset is
        #: The day its text entered into force (from then on its rules apply), and where that
        #: is read.
        self.in_force = in_force
        self.in_force_source = in_force_source
        #: Article labels of criteria that rest on another article in this round (inherited).
        self.articles = {} if articles is None else articles

    __hash__ = object.__hash__

    def params_on(self, day: dt.date | None) -> Params:
        """Parameter values in force on ``day`` (the reference date when unknown)."""
        return _params_on(self, day or self.reference_date)


@lru_cache(maxsize=256)
def _params_on(ruleset: Ruleset, day: dt.date) -> Params:
    return Params({name: p.on(day) for name, p in ruleset.parameters.items()})


def _ruleset_files() -> dict[str, Path]:
    return {p.stem: p for p in DATA_DIR.glob("*.toml")}


def available_rulesets() -> list[str]:
    return sorted(_ruleset_files())


@cache
def load_ruleset(ruleset_id: str = DEFAULT_RULESET) -> Ruleset:
    """The ruleset named ``ruleset_id``, looked up by name among the known ones.

    A name may come from a draft, so it is never joined into a path: ``../../x`` or a name
    of 256 characters is simply not a known name (``UnknownRulesetError``).
    """
    path = _ruleset_files().get(ruleset_id) if isinstance(ruleset_id, str) else None
    if path is None:
        raise UnknownRulesetError(ruleset_id)
    text = path.read_text(encoding="utf-8")
    # parsed ahead where the compiled file has this very text (compiled_rulesets.py)
    data = compiled_data(path.parent, ruleset_id, text)
    if data is None:
        import tomllib

        data = tomllib.loads(text)
    parameters: dict[str, Parameter] = {}
    rule_changes: list[str] = []
    articles: dict[str, str] = {}
    if base_id := data.get("extends"):
        base = load_ruleset(base_id)
        parameters.update(base.parameters)
        rule_changes.extend(base.rule_changes)
        articles.update(base.articles)
    articles.update(data.get("articles", {}))
    for name, spec in data.get("parameters", {}).items():
        earlier = parameters.get(name)
        description = spec.get("description", earlier.description if earlier else "")
        unit = spec.get("unit", earlier.unit if earlier else "")
        added = {
            v["from"]: ParameterValue(
                name=name,
                value=v["value"],
                source=v["source"],
                verified=bool(v["verified"]),
                valid_from=v["from"],
                unit=unit,
                description=description,
                quote=v.get("quote", ""),
            )
            for v in spec["values"]
        }
        # A round's ruleset is that round: a parameter it names replaces the earlier round's
        # values (the earlier ruleset keeps them); description and unit are inherited.
        values = tuple(sorted(added.values(), key=lambda v: v.valid_from))
        parameters[name] = Parameter(name, description, unit, values)
    rule_changes.extend(c for c in data.get("rule_changes", []) if c not in rule_changes)
    return Ruleset(
        id=data["id"],
        title=data.get("title", ruleset_id),
        publication=data.get("publication", ""),
        reference_date=data["reference_date"],
        parameters=parameters,
        rule_changes=tuple(rule_changes),
        round=data.get("round"),
        in_force=data.get("in_force"),
        in_force_source=data.get("in_force_source", ""),
        articles=articles,
    )

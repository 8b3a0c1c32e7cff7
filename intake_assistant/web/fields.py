"""A screen of the intake as the web page shows it: its fields, hints, errors and progress.

Everything here is read from the session (``view``, ``page_keys``, ``section_steps``), in the
session's language; the page template decides nothing about the flow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from intake_assistant.flow.session import REVIEW, SUMMARY, IntakeSession, QuestionView
from intake_assistant.flow.values import NUMBER_KINDS
from intake_assistant.i18n import Translator

#: Kinds asked with radio buttons in a fieldset (nothing chosen beforehand).
RADIO_KINDS = frozenset({"yes_no", "choice"})
#: The longest value a field takes (the flow's own bounds are smaller; this bounds the page).
MAX_FIELD_CHARS = 20_000


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str
    checked: bool
    id: str


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    id: str
    kind: str
    label: str
    hint: str
    error: str | None
    value: str
    choices: list[Choice]
    required: bool
    #: ``inputmode`` for the phone's keyboard (numbers, dates).
    inputmode: str | None
    #: The ids that describe the field (its hint and error), for aria-describedby.
    described_by: str
    #: A refused figure that reads two ways (Dutch "4,000"): its readings, each written
    #: to read one way only, for the visitor to choose one (a submit button each).
    readings: tuple[str, ...] = ()

    @property
    def grouped(self) -> bool:
        """Asked as a group of options: a fieldset with a legend."""
        return self.kind in RADIO_KINDS or self.kind == "multi_choice"


def field_id(key: str) -> str:
    """An HTML id for an answer key: ``cost_line_amount[0][1]`` -> ``f-cost_line_amount-0-1``."""
    return "f-" + re.sub(r"[^A-Za-z0-9_]+", "-", key).strip("-")


def page_fields(session: IntakeSession, tr: Translator, errors: dict[str, str],
                typed: dict[str, Any]) -> list[Field]:
    """The fields of the current screen, with what the visitor typed and what was refused."""
    out = []
    for key in session.page_keys():
        view = session.view(key)
        assert view is not None
        field = _field(view, tr, errors.get(key), typed.get(key))
        if field.error and key in typed:
            field = replace(field, readings=tuple(session.readings(typed[key], key)))
        out.append(field)
    return out


def _field(view: QuestionView, tr: Translator, error: str | None, typed: Any) -> Field:
    fid = field_id(view.key)
    hint = view.help
    sample = view.example  # within the question's bounds, as the terminal's placeholder
    if sample:
        for_example = tr("For example: {example}", example=sample)
        hint = f"{hint}\n{for_example}" if hint else for_example
    if typed is None:
        shown: Any = view.current_value if view.kind in ("multi_choice", *RADIO_KINDS) else (
            view.current_text)
    else:
        shown = typed
    if view.kind == "yes_no":
        options = [("yes", tr("Yes")), ("no", tr("No"))]
        current = {True: "yes", False: "no"}.get(shown, shown) if not isinstance(shown, str) else (
            shown)
        chosen = {current}
    else:
        options = list(view.choices)
        if isinstance(shown, (list, tuple)):
            chosen = {str(v) for v in shown}
        else:
            chosen = {str(shown)} if shown not in (None, "") else set()
    choices = [Choice(code, label, code in chosen, f"{fid}-{i}")
               for i, (code, label) in enumerate(options)] if (
        view.kind in RADIO_KINDS or view.kind == "multi_choice") else []
    described = " ".join(x for x in (f"{fid}-hint" if hint else "",
                                     f"{fid}-error" if error else "") if x)
    inputmode = "decimal" if view.kind in NUMBER_KINDS else (
        "numeric" if view.kind == "kvk" else None)
    value = "" if view.kind in RADIO_KINDS or view.kind == "multi_choice" else str(shown or "")
    return Field(view.key, fid, view.kind, view.label, hint, error, value[:MAX_FIELD_CHARS],
                 choices, view.required, inputmode, described)


@dataclass(frozen=True, slots=True)
class Progress:
    number: int
    total: int
    label: str
    #: "Participant 2: Acme B.V." in the steps asked per participant.
    instance: str | None


def progress(session: IntakeSession) -> Progress | None:
    """Which step of how many the current screen is in ("Stap 3 van 7: Deelnemers")."""
    if session.state in (REVIEW, SUMMARY):
        return None
    steps = session.section_steps()
    for number, step in enumerate(steps, 1):
        if step.current:
            view = session.current
            return Progress(number, len(steps), step.label,
                            view.instance_label if view is not None else None)
    return None


def page_heading(session: IntakeSession, fields: list[Field]) -> str:
    """A screen of one question is headed by it; a form by its section."""
    if len(fields) == 1:
        return fields[0].label
    view = session.current
    return view.section_label if view is not None else ""

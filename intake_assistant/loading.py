"""Read draft applications from files or text, with problems a user can act on.

Every problem names the JSON path (``participants[0].kvk_number``) and what is wrong, as a
translatable message; ``DraftFileError.render`` makes one line of it that also names the
file. Used by ``check``, ``replay`` and the intake's import.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intake_assistant.i18n import N_, Message, Translator

if TYPE_CHECKING:
    from pydantic import ValidationError

    from intake_assistant.models import DraftApplication

TOP_LEVEL = N_("(top level)")
INVALID_VALUE = N_("invalid value")

# The models' own validators raise these English texts; listed here so they are translated.
_VALIDATOR_TEXTS = {
    t: t
    for t in (
        N_("a KvK number has exactly 8 digits"),
        N_("must be a date written as YYYY-MM-DD"),
        N_("not a valid calendar date"),
        N_("money has whole cents at most"),
        N_("a choice is listed twice"),
    )
}


class DraftFileError(Exception):
    """A file that cannot be read, is not JSON, or is not a valid format-v1 draft."""

    def __init__(self, file: str, problems: list[tuple[str, Message]]) -> None:
        super().__init__(file)
        self.file = file
        self.problems = problems

    def render(self, tr: Translator) -> str:
        """One line: the file, then each JSON path and what is wrong there."""
        parts = [f"{tr.render(path) if path == TOP_LEVEL else path}: {tr.render(what)}"
                 for path, what in self.problems]
        return f"{self.file}: " + "; ".join(parts)


def json_path(loc: tuple[int | str, ...]) -> str:
    """``("participants", 0, "kvk_number")`` -> ``participants[0].kvk_number``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or TOP_LEVEL


def _describe(error: dict[str, Any]) -> Message:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "extra_forbidden":
        return Message("unknown field (a typo?); this field is not part of the format")
    if kind == "value_error":
        text = str(ctx.get("error", ""))
        return Message(_VALIDATOR_TEXTS.get(text, INVALID_VALUE))
    if kind in {"bool_type", "bool_parsing"}:
        return Message("must be true or false")
    if kind in {"string_type", "string_sub_type"}:
        return Message("must be text")
    if kind in {"float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"}:
        return Message("must be a number")
    if kind == "finite_number":
        return Message("must be a finite number")
    if kind == "greater_than_equal":
        return Message("must be {minimum} or more", minimum=ctx.get("ge"))
    if kind in {"enum", "literal_error"}:
        return Message("must be one of: {choices}", choices=str(ctx.get("expected", "")))
    if kind in {"list_type", "tuple_type"}:
        return Message("must be a list")
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return Message("must be an object")
    if kind == "too_short":
        return Message("must hold at least {count} item(s)", count=ctx.get("min_length", 1))
    if kind == "string_too_long":
        return Message("is too long (at most {count} characters)", count=ctx.get("max_length"))
    if kind == "missing":
        return Message("is required")
    return Message("invalid value ({kind})", kind=kind)


def describe_validation_error(exc: ValidationError) -> list[tuple[str, Message]]:
    """Each problem of a pydantic validation as (JSON path, translatable message)."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        # pydantic names the enum/literal member tried in union branches; keep the plain path.
        problems.append((json_path(loc), _describe(error)))
    return problems


def parse_draft(data: Any, file: str) -> DraftApplication:
    """Validate already-parsed JSON as a format-v1 draft."""
    from pydantic import ValidationError

    from intake_assistant.models import FORMAT, FORMAT_VERSIONS, DraftApplication

    if not isinstance(data, dict):
        raise DraftFileError(file, [(TOP_LEVEL, Message("a draft is a JSON object"))])
    if data.get("format") != FORMAT:
        raise DraftFileError(file, [("format", Message(
            "must be {expected}: this is not a draft application", expected=FORMAT))])
    version = data.get("format_version")
    if version not in FORMAT_VERSIONS or isinstance(version, bool):
        raise DraftFileError(file, [("format_version", Message(
            "version {version} is not known; this program reads version {known}",
            version=json.dumps(version), known=" / ".join(map(str, FORMAT_VERSIONS))))])
    try:
        draft = DraftApplication.model_validate(data)
    except ValidationError as exc:
        raise DraftFileError(file, describe_validation_error(exc)) from None
    if version == 1 and (newer := draft.v2_answers()):
        # Version 1 is read exactly as its spec says: its readers know no such field.
        raise DraftFileError(file, [(path, Message(
            "unknown field in format version 1; it belongs to format version 2 "
            "(set format_version to 2)")) for path in newer])
    return draft


def parse_draft_text(text: str | bytes, file: str) -> DraftApplication:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", 1)
        column = getattr(exc, "colno", 1)
        raise DraftFileError(file, [(TOP_LEVEL, Message(
            "not valid JSON (line {line}, column {column})", line=str(line),
            column=str(column)))]) from None
    return parse_draft(data, file)


def read_text(file: str) -> bytes:
    """The bytes of ``file`` (``-`` = standard input), or a ``DraftFileError``."""
    if file == "-":
        return sys.stdin.buffer.read()
    path = Path(file)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        problem = Message("the file does not exist")
    except IsADirectoryError:
        problem = Message("this is a folder, not a file")
    except PermissionError:
        problem = Message("no permission to read the file")
    except OSError as exc:
        problem = Message("the file cannot be read ({reason})", reason=exc.strerror or str(exc))
    raise DraftFileError(file, [(TOP_LEVEL, problem)])


def load_draft_file(file: str) -> DraftApplication:
    """Read and validate the draft in ``file`` (``-`` = standard input)."""
    return parse_draft_text(read_text(file), file)


__all__ = ["DraftFileError", "describe_validation_error", "json_path",
           "load_draft_file", "parse_draft", "parse_draft_text", "read_text"]

"""Read draft applications from files or text, with problems a user can act on.

Every problem names the JSON path (``participants[0].kvk_number``) and what is wrong, as a
translatable message; ``DraftFileError.render`` makes one line of it that also names the
file. Used by ``check``, ``replay`` and the intake's import.

A draft file is hostile until checked: its size and its nesting depth are bounded before it is
parsed (a file nested thousands of levels deep would end the parser in a ``RecursionError``),
integers of thousands of digits and the non-JSON constants ``NaN``/``Infinity`` are refused as
what they are, and every path and value echoed in an error line is made visible
(``safe_text.visible``): a JSON key holding an escape sequence or a newline cannot act on the
terminal or fake a second line.
"""

from __future__ import annotations

import json
import os
import re
import sys
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from intake_assistant.i18n import N_, Message, Number, Plural, Translator
from intake_assistant.safe_text import visible

if TYPE_CHECKING:
    from pydantic import ValidationError

    from intake_assistant.models import DraftApplication

#: The largest draft file read (bytes). A draft of 1,000 participants with 20 cost lines each
#: is about 2.5 MB; a real one is a few kilobytes.
MAX_FILE_BYTES = 5_000_000
#: The deepest nesting of objects and lists in a draft. The format itself nests 4 levels
#: (draft > participants > participant > cost_lines > cost line).
MAX_DEPTH = 32
#: The most digits of a number as written in a draft. Larger numbers are far beyond every
#: bound of the format (see ``models``); Python refuses to read integers over 4,300 digits.
MAX_NUMBER_DIGITS = 40
#: The most problems named in one error line; the rest are counted.
MAX_PROBLEMS_SHOWN = 20

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
        """One line: the file, then each JSON path and what is wrong there.

        Paths hold the draft's own keys and messages may quote its values: all of it is made
        visible, so that the line stays one line of plain text.
        """
        shown = self.problems[:MAX_PROBLEMS_SHOWN]
        parts = [visible(f"{tr.render(path) if path == TOP_LEVEL else path}: {tr.render(what)}",
                         limit=500)
                 for path, what in shown]
        if len(self.problems) > len(shown):
            more = len(self.problems) - len(shown)
            parts.append(tr.ngettext("and {count} more problem", "and {count} more problems",
                                     more, count=more))
        return f"{visible(self.file, limit=500)}: " + "; ".join(parts)


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
    if kind == "less_than_equal":
        return Message("must be {maximum} or less", maximum=Number(ctx.get("le")))
    if kind in {"enum", "literal_error"}:
        return Message("must be one of: {choices}", choices=str(ctx.get("expected", "")))
    if kind in {"list_type", "tuple_type"}:
        return Message("must be a list")
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return Message("must be an object")
    if kind == "too_short":
        return Plural("must hold at least {count} item", "must hold at least {count} items",
                      "count", count=ctx.get("min_length", 1))
    if kind == "too_long":
        return Message("holds too many items (at most {count})", count=ctx.get("max_length"))
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
    if type(version) is not int or version not in FORMAT_VERSIONS:  # true, 1.0 are not versions
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


# A JSON string (escapes included): taken out before the brackets are counted.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def nesting_depth(text: str) -> int:
    """How deep objects and lists nest in the JSON ``text`` (0 for a bare value).

    Counted without parsing, in time linear in the size, so that no input can exhaust the
    parser's recursion; brackets inside strings do not count.
    """
    brackets = _NOT_A_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0)


def within_depth(text: str, depth: int) -> bool:
    """Whether ``text`` nests at most ``depth`` levels. A draft rarely opens more objects and
    lists than that in all (nesting never goes deeper than the openings): then two passes
    over the whole text are not needed."""
    return text.count("{") + text.count("[") <= depth or nesting_depth(text) <= depth


class _NumberTooLong(ValueError):
    pass


class _NotJsonConstant(ValueError):
    pass


def _parse_int(text: str) -> int:
    if len(text) > MAX_NUMBER_DIGITS + 1:  # a sign
        raise _NumberTooLong(text)
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS + 8:  # a sign, the point and an exponent
        raise _NumberTooLong(text)
    return float(text)  # 1e400 is infinity here; the models refuse it by its path


def _refuse_constant(name: str) -> Any:
    raise _NotJsonConstant(name)


#: One decoder for every file (json.loads with hooks builds a new one per call).
_DECODER = json.JSONDecoder(parse_int=_parse_int, parse_float=_parse_float,
                            parse_constant=_refuse_constant)


def _decode(text: bytes, file: str) -> str:
    try:
        return text.decode(json.detect_encoding(text))
    except (UnicodeDecodeError, LookupError) as exc:
        where = getattr(exc, "start", 0)
        raise DraftFileError(file, [(TOP_LEVEL, Message(
            "not a text file in UTF-8 (unreadable byte at position {position})",
            position=str(where)))]) from None


def parse_draft_text(text: str | bytes, file: str) -> DraftApplication:
    """Parse and validate the JSON ``text`` of a draft, within the size and depth limits."""
    return parse_draft(parse_json_text(text, file), file)


def parse_json_text(text: str | bytes, file: str) -> Any:
    """The JSON value of ``text`` within a draft's size, depth and number limits (a draft,
    or a file beside one: the export's provenance file); ``DraftFileError`` otherwise."""
    if len(text) > MAX_FILE_BYTES:
        raise DraftFileError(file, [(TOP_LEVEL, too_large())])
    if isinstance(text, bytes):
        text = _decode(text, file)
    if text.startswith("\ufeff"):  # a byte-order mark some editors write
        text = text[1:]
    if not within_depth(text, MAX_DEPTH):
        raise DraftFileError(file, [(TOP_LEVEL, Message(
            "nested too deeply: at most {depth} levels of objects and lists",
            depth=str(MAX_DEPTH)))])
    try:
        data = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise DraftFileError(file, [(TOP_LEVEL, json_error(exc))]) from None
    except _NumberTooLong:
        raise DraftFileError(file, [(TOP_LEVEL, Message(
            "a number has more than {digits} digits; no answer of the format is that large",
            digits=str(MAX_NUMBER_DIGITS)))]) from None
    except _NotJsonConstant as exc:
        raise DraftFileError(file, [(TOP_LEVEL, Message(
            "{constant} is not a JSON number", constant=str(exc)))]) from None
    except RecursionError:  # cannot happen within MAX_DEPTH; kept as the last guard
        raise DraftFileError(file, [(TOP_LEVEL, Message(
            "nested too deeply: at most {depth} levels of objects and lists",
            depth=str(MAX_DEPTH)))]) from None
    return data


#: What the parser says (json.JSONDecodeError.msg, English) -> the same in the user's words.
_JSON_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("Expecting value", N_("a value is expected (a text in double quotes, a number, true, "
                           "false, null, an object or a list)")),
    ("Expecting property name enclosed in double quotes",
     N_("a name in double quotes is expected (or a comma too many before the closing brace)")),
    ("Expecting ':' delimiter", N_("a colon (:) is expected after the name")),
    ("Expecting ',' delimiter", N_("a comma (,) is expected between two items")),
    ("Illegal trailing comma", N_("a comma too many before the closing bracket")),
    ("Unterminated string", N_("a text is not closed with a double quote")),
    ("Extra data", N_("more follows after the end of the JSON")),
    ("Invalid control character", N_("a control character (such as a tab or a line break) "
                                      "inside a text")),
    ("Invalid \\uXXXX escape", N_("a \\u escape without four hexadecimal digits")),
    ("Invalid \\escape", N_("an unknown backslash escape inside a text")),
)


def json_error(exc: json.JSONDecodeError) -> Message:
    """The parser's complaint in the user's language, with the line and column it names."""
    what = next((words for start, words in _JSON_PROBLEMS if exc.msg.startswith(start)),
                None)
    if what is None:  # a complaint not listed here: still where, and the parser's words
        return Message("not valid JSON (line {line}, column {column}): {detail}",
                       line=str(exc.lineno), column=str(exc.colno), detail=visible(exc.msg))
    return Message("not valid JSON (line {line}, column {column}): {detail}",
                   line=str(exc.lineno), column=str(exc.colno), detail=Message(what))


def too_large() -> Message:
    return Message("the file is larger than {size} MB; a draft is far smaller",
                   size=str(MAX_FILE_BYTES // 1_000_000))


def read_text(file: str) -> bytes:
    """The bytes of ``file`` (``-`` = standard input), or a ``DraftFileError``."""
    if file == "-":
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise DraftFileError(file, [(TOP_LEVEL, too_large())])
        return data
    try:
        data = _read_bounded(file)
        if len(data) > MAX_FILE_BYTES:
            raise DraftFileError(file, [(TOP_LEVEL, too_large())])
        return data
    except FileNotFoundError:
        problem = Message("the file does not exist")
    except IsADirectoryError:
        problem = Message("this is a folder, not a file")
    except PermissionError:
        problem = Message("no permission to read the file")
    except OSError as exc:
        problem = Message("the file cannot be read ({reason})", reason=exc.strerror or str(exc))
    raise DraftFileError(file, [(TOP_LEVEL, problem)])


#: What a read asks for where a file's size is not known (a pipe, a device).
_PIECE = 1 << 16


def _read_bounded(file: str) -> bytes:
    """At most ``MAX_FILE_BYTES + 1`` bytes of ``file``, by the system's own calls: a batch
    reads a thousand drafts, and a file object (its buffer, its checks) cost a draft more
    than its read. A regular file is read at its own size (plus one byte: it may have
    grown); a file of no known size in pieces, not into a buffer of the limit's size."""
    fd = os.open(file, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        step = size + 1 if 0 < size <= MAX_FILE_BYTES else _PIECE
        parts = []
        total = 0
        while total <= MAX_FILE_BYTES:
            part = os.read(fd, min(step, MAX_FILE_BYTES + 1 - total))
            if not part:
                break
            parts.append(part)
            total += len(part)
            step = _PIECE
        return parts[0] if len(parts) == 1 else b"".join(parts)
    finally:
        os.close(fd)


def load_draft_file(file: str) -> DraftApplication:
    """Read and validate the draft in ``file`` (``-`` = standard input)."""
    return parse_draft_text(read_text(file), file)


__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_NUMBER_DIGITS", "DraftFileError",
           "describe_validation_error", "json_error", "json_path", "load_draft_file",
           "nesting_depth", "parse_draft", "parse_draft_text", "parse_json_text", "read_text"]

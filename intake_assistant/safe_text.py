"""Text from a draft, a save or a user, made safe for where it is shown.

Everything that comes from outside the program (a project title, a participant's name, a JSON
key, a file name) is hostile until it passes here: it may hold terminal escape sequences
(``ESC [ 2 J`` clears a screen, OSC sets a window title, BEL rings), C1 controls, bidirectional
overrides that reorder what a reader sees, Textual/Rich markup (``[/]`` crashes a DataTable),
Markdown (``|`` breaks a table row) or HTML (``<script>``). This one module is where each kind
of output gets its treatment, so that no other place has to know the list:

* :func:`visible` for any terminal, text output and widget: every control and format
  character is shown as its escape (``\\x1b``, ``\\u202e``), never executed; newlines and tabs
  are kept only where the caller says so.
* :func:`markdown_inline` for a value inside a Markdown line or table cell.
* :func:`html_text` for a value in HTML.
* :func:`json_text` for JSON written where a terminal may show it (``check --format json``):
  the value stays exactly what it was for a JSON reader, but the characters JSON allows raw
  (C1 controls such as the one-byte CSI ``\x9b``, bidi overrides) are written as escapes.

In Textual, a value made visible is still to be shown as text, never as markup: wrap it in
``rich.text.Text`` (or pass ``markup=False``); ``tui`` does so through its own helper.

This module imports nothing of the UI: the rules, the command line and the reports use it.
"""

from __future__ import annotations

import re
import unicodedata

#: The longest text shown in one place; longer values are cut with an ellipsis, so that a
#: megabyte-long "name" cannot flood a terminal or a table.
MAX_SHOWN = 2_000

# C0 controls, DEL and C1 controls, plus Unicode format characters that change what a reader
# sees (bidi overrides and isolates, zero-width joiners used to hide text, the BOM).
_BIDI_AND_FORMAT = (
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff\ufff9\ufffa\ufffb"
)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f" + _BIDI_AND_FORMAT + "\u2028\u2029\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def visible(value: object, *, keep_newlines: bool = False, limit: int = MAX_SHOWN) -> str:
    """``value`` as text in which no character can act on a terminal or hide from a reader.

    Controls are written as their escapes (``\\x1b``), so a reader sees that they were there.
    With ``keep_newlines`` a line break (and a tab) stays one; otherwise it is shown as
    ``\\n``, so that one value stays on one line (a name cannot fake a second output line).
    Values longer than ``limit`` characters are cut with ``…``.
    """
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    if keep_newlines:
        text = text.replace("\r\n", "\n")
        parts = re.split(r"([\n\t])", text)
        return "".join(p if p in ("\n", "\t") else _UNSAFE.sub(_escape, p) for p in parts)
    return _UNSAFE.sub(_escape, text)


def is_clean(text: str) -> bool:
    """Whether ``text`` holds no character that :func:`visible` would escape."""
    return _UNSAFE.search(text) is None


# Characters that start or end Markdown constructs inside a line, and the starts of a line
# that would make a list item.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_MARKDOWN_BULLET = re.compile(r"^(\s*)([-+])")
_MARKDOWN_NUMBERED = re.compile(r"^(\s*\d+)\.")


def markdown_inline(value: object, *, limit: int = MAX_SHOWN) -> str:
    """``value`` for one Markdown line or table cell: made visible, its syntax escaped.

    A name holding ``|`` cannot split a table cell, ``#`` cannot make a heading, a backtick
    cannot open code, and a newline cannot start a new block.
    """
    text = visible(value, limit=limit)
    text = unicodedata.normalize("NFC", text)
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = _MARKDOWN_BULLET.sub(r"\1\\\2", text)
    return _MARKDOWN_NUMBERED.sub(r"\1\\.", text)


def html_text(value: object, *, keep_newlines: bool = False, limit: int = MAX_SHOWN) -> str:
    """``value`` for HTML text or an attribute: made visible, then HTML-escaped."""
    from html import escape  # not at import: a check and the terminal never write HTML

    return escape(visible(value, keep_newlines=keep_newlines, limit=limit), quote=True)


def json_text(text: str) -> str:
    """JSON text as ``json.dumps(..., ensure_ascii=False)`` writes it, safe for a terminal.

    Every character :func:`visible` would escape is written as a JSON ``\\uXXXX`` escape, so a
    JSON reader gets the same value back. ``json.dumps`` already escapes C0 controls inside
    strings, so a raw newline can only be the layout of indented output: it is kept.
    """
    if text.isprintable():  # every character _UNSAFE matches is one Unicode calls unprintable
        return text
    return _UNSAFE.sub(_json_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    char = match.group(0)
    return char if char == "\n" else f"\\u{ord(char):04x}"

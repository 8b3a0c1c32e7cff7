"""Maintain the gettext catalogs: extract, update, compile and check.

    python -m intake_assistant.i18n_tools update [--domain D]   # extract + merge + compile
    python -m intake_assistant.i18n_tools check                 # complete and compiled?

Each domain collects the texts of one layer (see ``DOMAIN_SOURCES``). The English catalogs
translate every message id to itself (the ids are English); the Dutch catalogs are written
by translators. ``check`` reports every message that is missing, untranslated, fuzzy, whose
placeholders differ from the id's, or whose compiled ``.mo`` holds other messages than the
``.po`` (compared message by message, never byte by byte: another babel release writes other
bytes for the same messages). A warning of the extractor (a text it had to skip, such as an
f-string with substitutions) is a problem too: that text would reach every user untranslated.

This is a developer tool: the product never imports it at run time.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from intake_assistant.i18n import DOMAINS, LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"

# Which files feed which domain (globs relative to the repo root).
DOMAIN_SOURCES: dict[str, tuple[str, ...]] = {
    "rules": ("intake_assistant/rules/**/*.py", "intake_assistant/models.py",
              "intake_assistant/rules/data/*.toml"),
    "cli": ("intake_assistant/cli.py", "intake_assistant/compare.py", "intake_assistant/i18n.py",
            "intake_assistant/loading.py",
            "intake_assistant/report_command.py", "intake_assistant/reports/pdf.py",
            "intake_assistant/stores/**/*.py", "intake_assistant/import_command.py"),
    "flow": ("intake_assistant/flow/**/*.py", "dialogs/**/*.yaml"),
    "tui": ("intake_assistant/tui/**/*.py", "intake_assistant/service/**/*.py",
            "intake_assistant/storage/*.py",
            "intake_assistant/reports/wording.py", "intake_assistant/reports/markdown.py",
            "intake_assistant/reports/html.py",
            "intake_assistant/status_words.py"),
    "web": ("intake_assistant/web/**/*.py", "intake_assistant/web/templates/*.html"),
}

# `tr(...)` is a Translator called directly (intake_assistant.i18n.Translator.__call__).
# `Plural(singular, plural, count name, ...)` is a lazy message with a count (i18n.Plural).
KEYWORDS = {"_": None, "N_": None, "Message": None, "tr": None, "gettext": None,
            "ngettext": (1, 2), "Plural": (1, 2)}

# Keys of dialog YAML files whose string values are message ids.
YAML_TEXT_KEYS = frozenset(
    {"label", "help", "why", "message", "title", "text", "short_label", "description"}
)

# Keys of ruleset TOML files whose string values are shown to users (provenance, labels).
TOML_TEXT_KEYS = frozenset({"source", "description", "title", "publication", "in_force_source"})

_PLACEHOLDER = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)[^{}]*\}")


def _files(domain: str) -> list[Path]:
    found: set[Path] = set()
    for pattern in DOMAIN_SOURCES[domain]:
        found.update(p for p in ROOT.glob(pattern) if p.is_file())
    return sorted(found)


def _yaml_messages(path: Path) -> Iterator[tuple[int, str]]:
    import yaml

    node = yaml.compose(path.read_text(encoding="utf-8"))

    def walk(n: yaml.Node) -> Iterator[tuple[int, str]]:
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                if (
                    isinstance(key, yaml.ScalarNode)
                    and key.value in YAML_TEXT_KEYS
                    and isinstance(value, yaml.ScalarNode)
                    and value.value
                ):
                    yield value.start_mark.line + 1, value.value
                else:
                    yield from walk(value)
        elif isinstance(n, yaml.SequenceNode):
            for item in n.value:
                yield from walk(item)

    if node is not None:
        yield from walk(node)


def _toml_messages(path: Path) -> Iterator[tuple[int, str]]:
    import tomllib

    lines = path.read_text(encoding="utf-8").splitlines()

    def line_of(text: str) -> int:
        return next((n for n, line in enumerate(lines, 1) if text in line), 0)

    def walk(node: object) -> Iterator[tuple[int, str]]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in TOML_TEXT_KEYS and isinstance(value, str) and value:
                    yield line_of(value), value
                else:
                    yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    yield from walk(tomllib.loads(path.read_text(encoding="utf-8")))


def extract(domain: str) -> Catalog:
    """All message ids of ``domain`` as a template catalog."""
    return _extract(domain)[0]


def _extract(domain: str) -> tuple[Catalog, list[str]]:
    """The template catalog of ``domain`` and the extractor's warnings (one line each)."""
    template = Catalog(project="intake-assistant", fuzzy=False)
    warnings: list[str] = []
    for path in _files(domain):
        rel = path.relative_to(ROOT).as_posix()
        if path.suffix in {".yaml", ".toml"}:
            reader = _yaml_messages if path.suffix == ".yaml" else _toml_messages
            for lineno, text in reader(path):
                template.add(text, locations=[(rel, lineno)])
            continue
        # babel writes what it skips to stderr; caught here, it is a catalog problem.
        caught = io.StringIO()
        # A page template's texts are `_("...")` calls too (Jinja2's own extractor).
        method = "jinja2.ext:babel_extract" if path.suffix == ".html" else "python"
        with contextlib.redirect_stderr(caught):
            found = list(extract_from_file(method, path, keywords=KEYWORDS))
        babel_said = [
            line.replace(str(path), rel) for line in caught.getvalue().splitlines() if line.strip()
        ]
        warnings.extend(babel_said)
        # The same test without relying on a babel release that warns (2.19 does, 2.18 not).
        warned = {line.split(":")[1] for line in babel_said if line.startswith(f"{rel}:")}
        warnings.extend(
            f"{rel}:{lineno}: warning: an f-string with substitutions as a message id cannot "
            "be translated; pass a format string and its fields instead"
            for lineno in (_fstring_message_ids(path) if method == "python" else [])
            if str(lineno) not in warned
        )
        for lineno, message, _comments, _context in found:
            if message:
                template.add(message, locations=[(rel, lineno)])
    return template, warnings


def _fstring_message_ids(path: Path) -> list[int]:
    """Lines where a gettext keyword is called with an f-string with substitutions as its id."""
    import ast

    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in KEYWORDS
            and node.args
            and isinstance(node.args[0], ast.JoinedStr)
            and any(isinstance(v, ast.FormattedValue) for v in node.args[0].values)
        ):
            lines.append(node.lineno)
    return lines


def _shown(path: Path) -> str:
    """A path as shown in a report: relative to the repo where it lies inside it."""
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def _po_path(language: str, domain: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{domain}.po"


def _read(language: str, domain: str) -> Catalog:
    path = _po_path(language, domain)
    if path.is_file():
        with path.open("rb") as fh:
            return read_po(fh, locale=language)
    return Catalog(locale=language, project="intake-assistant", fuzzy=False)


def _mo_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def _undated(po: bytes) -> bytes:
    return re.sub(rb'"POT-Creation-Date: [^"]*"', b"", po)


def update(domains: Iterable[str]) -> None:
    for domain in domains:
        template = extract(domain)
        for language in LANGUAGES:
            catalog = _read(language, domain)
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            if language == "en":  # the ids are English: the English catalog echoes them
                for message in catalog:
                    if not message.id:
                        continue
                    if isinstance(message.id, str):
                        if not message.string:
                            message.string = message.id
                    elif not all(message.string):  # plural forms: singular, plural
                        # (a former singular entry merged in is marked fuzzy: it is settled)
                        message.string = tuple(message.id)
                        message.flags.discard("fuzzy")
            path = _po_path(language, domain)
            path.parent.mkdir(parents=True, exist_ok=True)
            buf = io.BytesIO()
            write_po(buf, catalog, width=100, sort_output=False, omit_header=False)
            # Rewrite only on a real change: a new creation date alone is churn in the history.
            if not path.is_file() or _undated(path.read_bytes()) != _undated(buf.getvalue()):
                path.write_bytes(buf.getvalue())
            # Compiled from the file as it now stands, so the .mo always matches the .po.
            current = _read(language, domain)
            mo = path.with_suffix(".mo")
            if not _compiled_matches(mo, current):
                mo.write_bytes(_mo_bytes(current))


def compile_all() -> None:
    for domain in DOMAINS:
        for language in LANGUAGES:
            po = _po_path(language, domain)
            if po.is_file():
                po.with_suffix(".mo").write_bytes(_mo_bytes(_read(language, domain)))


def _messages(catalog: Catalog) -> dict[str, str | tuple[str, ...]]:
    """What a catalog says, message by message: id -> translation (plural forms as a tuple).

    The header (empty id) is left out: it names the compiler and the dates, not a text.
    """
    return {
        (message.id if isinstance(message.id, str) else message.id[0]):
        (message.string if isinstance(message.string, str) else tuple(message.string))
        for message in catalog
        if message.id and not message.fuzzy and message.string and all(
            (message.string,) if isinstance(message.string, str) else message.string)
    }


def _compiled_matches(mo: Path, catalog: Catalog) -> bool:
    """Whether ``mo`` holds exactly the translated, non-fuzzy messages of ``catalog``."""
    if not mo.is_file():
        return False
    try:
        with mo.open("rb") as fh:
            compiled = read_mo(fh)
    except Exception:  # not a readable .mo at all: stale
        return False
    return _messages(compiled) == _messages(catalog)


def _placeholders(text: str | tuple[str, ...]) -> set[str]:
    texts = (text,) if isinstance(text, str) else text
    return {m.group(1) for t in texts for m in _PLACEHOLDER.finditer(t)}


def problems(domains: Iterable[str] = DOMAINS) -> list[str]:
    """Everything that keeps the catalogs from being complete; empty when all is well."""
    found: list[str] = []
    for domain in domains:
        template, warnings = _extract(domain)
        found.extend(f"extractor: {line}" for line in warnings)
        for language in LANGUAGES:
            po = _po_path(language, domain)
            if not po.is_file():
                if len(template):
                    found.append(f"{_shown(po)}: missing ({len(template)} messages)")
                continue
            catalog = _read(language, domain)
            for message in template:
                if not message.id:
                    continue
                where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
                entry = catalog.get(message.id)
                if entry is None:
                    found.append(f"{_shown(po)}: not in catalog: {message.id!r} ({where})")
                    continue
                strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
                if not all(strings):
                    found.append(f"{_shown(po)}: untranslated: {message.id!r} ({where})")
                elif entry.fuzzy:
                    found.append(f"{_shown(po)}: fuzzy: {message.id!r}")
                elif _placeholders(entry.string) != _placeholders(message.id):
                    found.append(
                        f"{_shown(po)}: placeholders differ: {message.id!r} "
                        f"-> {entry.string!r}"
                    )
            mo = po.with_suffix(".mo")
            if not _compiled_matches(mo, catalog):
                found.append(f"{_shown(mo)}: stale or missing; run the update")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m intake_assistant.i18n_tools")
    parser.add_argument("command", choices=["update", "compile", "check"])
    parser.add_argument("--domain", action="append", choices=DOMAINS)
    args = parser.parse_args(argv)
    domains = args.domain or list(DOMAINS)
    if args.command == "update":
        update(domains)
    elif args.command == "compile":
        compile_all()
    found = problems(domains)
    for line in found:
        print(line)
    if args.command == "check":
        return 1 if found else 0
    print(f"{len(found)} catalog problem(s) left")
    return 0


if __name__ == "__main__":
    sys.exit(main())

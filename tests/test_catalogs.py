"""Dutch and English catalogs are complete, compiled, and the check really catches gaps."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from intake_assistant import i18n_tools
from intake_assistant.i18n import DOMAINS, LANGUAGES, Money, translator


def test_every_message_is_translated_in_both_languages() -> None:
    problems = i18n_tools.problems()
    assert problems == [], "\n".join(problems)


def test_a_missing_translation_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(i18n_tools.LOCALES, locales)
    po = locales / "nl" / "LC_MESSAGES" / "rules.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="nl")
    victim = next(m for m in catalog if m.id)
    victim.string = ""
    with po.open("wb") as fh:
        write_po(fh, catalog)
    monkeypatch.setattr(i18n_tools, "LOCALES", locales)
    problems = i18n_tools.problems(["rules"])
    assert any("untranslated" in p and repr(victim.id) in p for p in problems)
    assert any("rules.mo: stale" in p for p in problems)


def test_placeholder_mismatch_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(i18n_tools.LOCALES, locales)
    po = locales / "nl" / "LC_MESSAGES" / "cli.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="nl")
    victim = next(m for m in catalog if m.id and "{" in m.id)
    victim.string = "zonder plaatshouders"
    with po.open("wb") as fh:
        write_po(fh, catalog)
    monkeypatch.setattr(i18n_tools, "LOCALES", locales)
    assert any("placeholders differ" in p for p in i18n_tools.problems(["cli"]))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_domain_has_a_compiled_catalog(language: str) -> None:
    folder = i18n_tools.LOCALES / language / "LC_MESSAGES"
    for domain in DOMAINS:
        if i18n_tools.extract(domain):
            assert (folder / f"{domain}.mo").is_file(), f"{language}/{domain}.mo missing"


def test_money_is_formatted_for_the_language() -> None:
    assert translator("nl").format_value(Money(20000)) == "€\xa020.000,00"
    assert translator("en").format_value(Money(20000)) == "€20,000.00"
    assert translator("nl")("participant {number}", number=3) == "deelnemer 3"


def _copy_locales(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    locales = tmp_path / "locales"
    shutil.copytree(i18n_tools.LOCALES, locales)
    monkeypatch.setattr(i18n_tools, "LOCALES", locales)
    return locales


def test_a_fuzzy_translation_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    po = _copy_locales(tmp_path, monkeypatch) / "nl" / "LC_MESSAGES" / "tui.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="nl")
    victim = next(m for m in catalog if m.id)
    victim.flags.add("fuzzy")
    with po.open("wb") as fh:
        write_po(fh, catalog)
    assert any("fuzzy" in p and repr(victim.id) in p for p in i18n_tools.problems(["tui"]))


def test_another_compiler_writing_the_same_messages_is_no_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A newer babel writes other bytes (its version, dates, order): the messages decide."""
    locales = _copy_locales(tmp_path, monkeypatch)
    for mo in locales.glob("*/LC_MESSAGES/*.mo"):
        with mo.with_suffix(".po").open("rb") as fh:
            catalog = read_po(fh, locale=mo.parts[-3])
        catalog.version = "99.0"
        catalog.msgid_bugs_address = "someone-else@example.org"
        catalog.creation_date = catalog.revision_date = datetime.datetime(2031, 1, 2, 3, 4)
        before = mo.read_bytes()
        with mo.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        assert mo.read_bytes() != before  # really other bytes
    assert i18n_tools.problems() == []


def test_a_text_the_extractor_skips_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An f-string with substitutions cannot be a message id: it would stay English."""
    source = tmp_path / "intake_assistant" / "cli.py"
    source.parent.mkdir()
    source.write_text('def f(name):\n    return _(f"Hello {name}")\n', encoding="utf-8")
    monkeypatch.setattr(i18n_tools, "ROOT", tmp_path)
    monkeypatch.setattr(i18n_tools, "DOMAIN_SOURCES", {"cli": ("intake_assistant/cli.py",)})
    _copy_locales(tmp_path, monkeypatch)
    problems = i18n_tools.problems(["cli"])
    assert any(p.startswith("extractor: intake_assistant/cli.py:2") for p in problems), problems

"""Dutch and English catalogs are complete, compiled, and the check really catches gaps."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
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

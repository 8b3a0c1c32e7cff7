"""Dutch and English catalogs are complete, compiled, and the check really catches gaps."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from intake_assistant import i18n_tools
from intake_assistant.i18n import DOMAINS, LANGUAGES, Money, Plural, translator
from intake_assistant.rules.criteria.criterion_outcomes import parameter_value


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


@pytest.mark.parametrize(("language", "one", "two"), [
    ("nl", "1 dag", "2 dagen"),
    ("en", "1 day", "2 days"),
])
def test_a_count_chooses_the_catalogs_plural_form(language: str, one: str, two: str) -> None:
    tr = translator(language)
    # rendered one after the other: the kept texts must not mix up the counts
    assert tr.render(Plural("{days} day", "{days} days", "days", days=1)) == one
    assert tr.render(Plural("{days} day", "{days} days", "days", days=2)) == two
    assert tr.ngettext("{days} day", "{days} days", 1, days=1) == one


@pytest.mark.parametrize(("language", "texts"), [
    ("nl", ("Er is nog één mkb-onderneming nodig.", "Er zijn nog 2 mkb-ondernemingen nodig.",
            "1 maand", "2 maanden", "1 jaar", "2 jaar",
            "Probeer het over een minuut opnieuw.", "Probeer het over 2 minuten opnieuw.")),
    ("en", ("One more SME is needed.", "2 more SMEs are needed.",
            "1 month", "2 months", "1 year", "2 years",
            "Try again in a minute.", "Try again in 2 minutes.")),
])
def test_texts_with_a_count_read_in_the_singular_for_one_only(
    language: str, texts: tuple[str, ...]
) -> None:
    tr = translator(language)
    sme = ("One more SME is needed.", "{count} more SMEs are needed.", "count")
    minute = ("Try again in a minute.", "Try again in {minutes} minutes.")
    assert (
        tr.render(Plural(*sme, count=1)), tr.render(Plural(*sme, count=2)),
        tr.render(parameter_value(1, "months")), tr.render(parameter_value(2, "months")),
        tr.render(parameter_value(1, "years")), tr.render(parameter_value(2, "years")),
        tr.ngettext(*minute, 1, minutes=1), tr.ngettext(*minute, 2, minutes=2),
    ) == texts


def test_a_fraction_reads_in_the_plural() -> None:
    assert translator("en").render(parameter_value(1.5, "years")) == "1.5 years"
    assert translator("nl").render(parameter_value(1.5, "months")) == "1,5 maanden"


def test_plural_texts_are_in_the_catalogs_with_their_plural_forms() -> None:
    with (i18n_tools.LOCALES / "nl" / "LC_MESSAGES" / "rules.po").open("rb") as fh:
        entry = read_po(fh, locale="nl").get("{days} day")
    assert entry is not None
    assert entry.id == ("{days} day", "{days} days")
    assert entry.string == ("{days} dag", "{days} dagen")


def test_a_missing_plural_form_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    po = _copy_locales(tmp_path, monkeypatch) / "nl" / "LC_MESSAGES" / "rules.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="nl")
    victim = catalog.get("{days} day")
    victim.string = ("{days} dag", "")
    with po.open("wb") as fh:
        write_po(fh, catalog)
    assert any("untranslated" in p and "{days} day" in p for p in i18n_tools.problems(["rules"]))

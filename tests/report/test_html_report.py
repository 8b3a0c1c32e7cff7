"""The HTML report: a valid, inert, self-contained document that holds every finding.

And ``intake-assistant report``: Markdown, HTML or PDF of drafts, headless, one bad file not
stopping the others; PDF only where the machine can make one, else a message and exit 2.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from intake_assistant import cli
from intake_assistant.i18n import translator
from intake_assistant.loading import load_draft_file, parse_draft
from intake_assistant.reports import pdf
from intake_assistant.reports.html import html_report
from intake_assistant.rules import evaluate

EXAMPLES = sorted((Path(__file__).resolve().parents[2].parent / "shared" / "examples").glob("*.json"))
VOID = {"meta", "br", "col", "img", "hr", "link", "input"}
HOSTILE_TITLE = "<script>alert('x')</script>\x1b[2J\x1b]0;owned\x07 & \u202e"
HOSTILE_NAME = '</td><img src=x onerror="alert(1)">Kringloop'


class StrictParser(HTMLParser):
    """html.parser that also checks that every opened element is closed, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> StrictParser:
    parser = StrictParser()
    parser.feed(html)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    return parser


def assert_inert(parser: StrictParser, html: str) -> None:
    names = [tag for tag, _ in parser.tags]
    assert "script" not in names and "iframe" not in names and "link" not in names
    for _tag, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs), attrs
        for name in ("src", "href", "action"):
            assert name not in attrs, attrs
    assert "url(" not in html and "@import" not in html
    assert "@media print" in html


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_example_gives_a_valid_inert_report_with_every_finding(example: Path,
                                                                      language: str) -> None:
    draft = load_draft_file(str(example))
    report = evaluate(draft)
    html = html_report(report, draft, language)
    parser = parsed(html)
    assert_inert(parser, html)
    text = " ".join(parser.text)
    tr = translator(language)
    for finding in report.findings:
        assert finding.criterion in text
        assert tr("art. {article}", article=finding.article) in text
    assert tr("This is a pre-check, not a decision: RVO decides.") in text
    assert tr.money(report.subsidy.total_eur) in text
    assert f'<html lang="{language}">' in html
    assert report.ruleset_id in text


def test_the_report_names_the_unverified_parameters_and_formats_for_the_language() -> None:
    draft = load_draft_file(str(EXAMPLES[0]))
    report = evaluate(draft)
    nl = " ".join(parsed(html_report(report, draft, "nl")).text)
    en = " ".join(parsed(html_report(report, draft, "en")).text)
    assert "Regelset en niet-geverifieerde parameters" in nl
    assert "Ruleset and unverified parameters" in en
    from intake_assistant.rules import load_ruleset

    unverified = [name for name, p in load_ruleset(report.ruleset_id).parameters.items()
                  if not p.on(draft.project.application_date).verified]
    assert unverified
    for name in unverified:
        assert name in nl and name in en
    assert "€60.00" in en and re.search(r"€\s?60,00", nl)  # the hourly rate, unverified
    # A Dutch amount has a comma before the cents, an English one a point.
    assert re.search(r"€\s?[\d.]+,\d\d", nl)
    assert re.search(r"€[\d,]+\.\d\d", en)


def _hostile_draft():
    data = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    data["project"]["title"] = HOSTILE_TITLE
    data["participants"][0]["name"] = HOSTILE_NAME
    return parse_draft(data, "hostile.json")


def test_hostile_text_from_a_draft_is_shown_as_text() -> None:
    draft = _hostile_draft()
    html = html_report(evaluate(draft), draft, "en")
    parser = parsed(html)
    assert_inert(parser, html)
    assert "<script>" not in html and "<img" not in html
    assert "\x1b" not in html and "\x07" not in html and "\u202e" not in html
    text = " ".join(parser.text)
    assert "<script>alert('x')</script>\\x1b[2J" in text  # shown, escaped, as text
    assert "\\u202e" in text
    assert '<img src=x onerror="alert(1)">Kringloop' in text


# -- the command --------------------------------------------------------------------------


def test_report_writes_each_draft_and_a_bad_one_does_not_stop_the_others(tmp_path: Path,
                                                                        capsys) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text("{ not json", encoding="utf-8")
    out = tmp_path / "reports"
    files = [str(EXAMPLES[0]), str(bad), str(EXAMPLES[1])]
    code = cli.main(["report", *files, "--format", "html", "--lang", "en", "-o", str(out)])
    assert code == 2
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(f"{p.stem}-precheck-en.html" for p in (EXAMPLES[0], EXAMPLES[1]))
    err = capsys.readouterr().err
    assert "broken.json" in err and "not valid JSON" in err
    for path in out.iterdir():
        parsed(path.read_text(encoding="utf-8"))
        assert path.stat().st_mode & 0o077 == 0


def test_report_markdown_of_one_draft_goes_to_standard_output(capsys) -> None:
    assert cli.main(["report", str(EXAMPLES[0]), "--format", "md", "--lang", "nl"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Rapport van de voorcheck")


def test_pdf_without_a_maker_says_how_to_get_one(monkeypatch, tmp_path: Path, capsys) -> None:
    monkeypatch.setattr(pdf, "find_browser", lambda: None)
    monkeypatch.setattr(pdf, "_weasyprint_available", lambda: False)
    code = cli.main(["--lang", "nl", "report", str(EXAMPLES[0]), "--format", "pdf",
                     "-o", str(tmp_path / "r.pdf")])
    assert code == 2
    err = capsys.readouterr().err
    assert "apt-get install chromium" in err and "intake-assistant[pdf]" in err
    assert "Installeer Chromium" in err
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.skipif(pdf.available() is None, reason="no Chromium and no WeasyPrint installed")
def test_pdf_of_a_report(tmp_path: Path) -> None:
    target = tmp_path / "r.pdf"
    assert cli.main(["report", str(EXAMPLES[0]), "--format", "pdf", "-o", str(target)]) == 0
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 5_000


def test_pdf_through_weasyprint_where_no_chromium_is_installed(monkeypatch, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint", reason="the optional extra [pdf] (WeasyPrint) is not installed")
    monkeypatch.setattr(pdf, "find_browser", lambda: None)
    target = tmp_path / "w.pdf"
    assert cli.main(["report", str(EXAMPLES[1]), "--format", "pdf", "-o", str(target)]) == 0
    assert target.read_bytes().startswith(b"%PDF-")


def test_a_dutch_report_names_its_ruleset_in_dutch_and_gives_periods_as_dates() -> None:
    draft = load_draft_file(str(EXAMPLES[0]))
    text = " ".join(parsed(html_report(evaluate(draft), draft, "nl")).text)
    assert "signed" not in text and "Circular chain projects" not in text
    assert "Getoetst aan regelset sce-2020: Circulaire ketenprojecten, ronde 2020." in text
    assert "2020-04-09/2020-10-01" not in text and "9 apr 2020 tot en met 1 okt 2020" in text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_finding_names_the_unverified_values_it_rests_on_in_words(language: str) -> None:
    """Not only a parameter's key: what it is, in the reader's language, and its unit."""
    from intake_assistant.reports.markdown import markdown_report

    example = next(p for p in EXAMPLES if p.stem == "eligible-office-chair")
    draft = load_draft_file(str(example))
    report = evaluate(draft)
    finding = next(f for f in report.findings if "start_after_grant_months" in f.unverified)
    tr = translator(language)
    words = tr("the term within which the project must start")
    md_text = markdown_report(report, draft, language)
    html_text = "".join(parsed(html_report(report, draft, language)).text)
    label = tr("Rests on unverified values:")
    assert f"{label} {words} (`start_after_grant_months`)" in md_text
    assert f"{label} {words} (start_after_grant_months)" in html_text
    assert finding.criterion in md_text
    # the verdict's basis gives the value with its unit
    assert f"{words} ({tr.ngettext('{count} month', '{count} months', 6, count='6')};" in md_text


def test_the_html_report_draws_each_share_and_subsidy_as_a_bar_beside_its_figure() -> None:
    import json as _json
    import re as _re
    from pathlib import Path as _Path

    from intake_assistant.models import DraftApplication as _Draft
    from intake_assistant.reports.html import html_report as _html_report
    from intake_assistant.rules import evaluate as _evaluate

    example = _Path(__file__).resolve().parents[2].parent / "shared" / "examples" / (
        "cost-share-over-70.json")
    draft = _Draft.model_validate(_json.loads(example.read_text(encoding="utf-8")))
    page = _html_report(_evaluate(draft, draft.ruleset or "sce-2020"), draft, "nl")
    assert page.count("<svg") == 2 * len(draft.participants or [])
    assert "maximale aandeel van 70%" in page
    assert 'fill="#b3001b"' in page  # the participant past the maximum share
    assert "<script" not in page
    assert _re.search(r'<line x1="211\.0"', page)  # the 70 % line

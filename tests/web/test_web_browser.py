"""The web intake in a real headless Chromium (Debian's): the four-partner example by keyboard
alone in Dutch, axe-core's WCAG 2.1 AA rules on every kind of page, a phone's width, two
browser contexts apart, and JavaScript's part (the focus on the error summary)."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser.helpers import chromium_missing, launched_chromium

from intake_assistant.web.site import SiteSettings

from .answers import FOUR_PARTNERS, typed_answers
from .keyboard import answer_screen, follow_link
from .live_server import LiveServer, axe_violations

pytestmark = pytest.mark.skipif(chromium_missing() is not None,
                                reason=chromium_missing() or "")


@pytest.fixture(scope="module")
def browser():
    yield from launched_chromium()


@pytest.fixture
def server(tmp_path: Path):
    with LiveServer(SiteSettings(data_dir=tmp_path / "data")) as live:
        yield live


def _new_page(browser, server, language: str = "nl", **options):
    context = browser.new_context(locale=language, extra_http_headers={
        "Accept-Language": language}, **options)
    page = context.new_page()
    page.goto(server.url + "/")
    return page


def _start_by_keyboard(page) -> None:
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.closest('form')?.action || ''").endswith(
                "/new"):
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
    raise AssertionError("the start button was not reached by Tab")


def test_the_four_partner_example_by_keyboard_alone_in_dutch(browser, server) -> None:
    answers = typed_answers(FOUR_PARTNERS, "nl")
    page = _new_page(browser, server)
    assert page.evaluate("() => document.documentElement.lang") == "nl"
    _start_by_keyboard(page)
    screens = 0
    while "/intake/q/" in page.url:
        before = page.url
        answer_screen(page, answers)
        screens += 1
        assert page.url != before or "Fout:" not in page.title(), page.content()
        assert screens <= 60
    assert page.url.endswith("/intake/review")
    assert screens == 49
    follow_link(page, "/intake/outcome")
    assert "Komt in aanmerking" in page.inner_text("main")
    assert page.title().startswith("Uitkomst van de voorcheck")


def _refused(page, field: str, value: str, button: str) -> None:
    """Send ``value`` in ``field``: the page comes back refused, its error summary focused."""
    page.fill(field, value)
    with page.expect_navigation():
        page.click(button)
    assert page.title().startswith("Fout:")
    assert page.evaluate("() => document.activeElement.id") == "error-summary"


def test_every_kind_of_page_has_no_wcag_21_aa_violation(browser, server) -> None:
    answers = typed_answers(FOUR_PARTNERS, "nl")
    found: dict[str, list] = {}
    page = _new_page(browser, server)
    found["start"] = axe_violations(page)
    page.fill("#code", "ABC")
    with page.expect_navigation():
        page.click("form[action='/resume'] button")
    found["start with an error"] = axe_violations(page)
    with page.expect_navigation():
        page.click("form[action='/new'] button")
    found["a text question"] = axe_violations(page)
    kinds = {"radio": "a yes/no or choice question", "checkbox": "a multiple choice",
             "textarea": "a long text"}
    while "/intake/q/" in page.url:
        types = set(page.eval_on_selector_all(
            "form.intake-form [name]:not([type=hidden])",
            "els => els.map(e => e.type || e.tagName.toLowerCase())"))
        if "a form of several fields" not in found and len(
                page.query_selector_all("form.intake-form .intake-field")) > 1:
            found["a form of several fields"] = axe_violations(page)
        for kind, label in kinds.items():
            if kind in types and label not in found:
                found[label] = axe_violations(page)
        if "participant_turnover[0]" in page.url or (page.query_selector(
                "[name='participant_turnover[0]']") and "a refused answer" not in found):
            _refused(page, "[name='participant_turnover[0]']", "veel",
                     "form.intake-form button[type=submit]")
            found["a refused answer"] = axe_violations(page)
        answer_screen(page, answers)
    found["review"] = axe_violations(page)
    page.goto(server.url + "/intake/outcome")
    found["outcome"] = axe_violations(page)
    page.goto(server.url + "/intake/download/exe")
    found["not found"] = axe_violations(page)
    page.goto(server.url + "/")
    with page.expect_navigation():
        page.click("a[href='/import']")
    found["import a draft"] = axe_violations(page)
    _refused(page, "#draft_text", '{"format": "circulaire-ketenprojecten-draft", "format_ver',
             "form[action='/import'] button[type=submit]")
    found["a refused import"] = axe_violations(page)
    english = _new_page(browser, server, "en")
    found["start in English"] = axe_violations(english)
    assert set(found) >= {"start", "a text question", "a yes/no or choice question",
                          "a multiple choice", "a form of several fields", "a refused answer",
                          "review", "outcome", "import a draft", "a refused import"}
    assert {kind: v for kind, v in found.items() if v} == {}


def test_a_phones_width_needs_no_sideways_scrolling(browser, server) -> None:
    answers = typed_answers(FOUR_PARTNERS, "nl")
    page = _new_page(browser, server, viewport={"width": 320, "height": 640})
    widths = {"start": page.evaluate("() => document.documentElement.scrollWidth")}
    with page.expect_navigation():
        page.click("form[action='/new'] button")
    while "/intake/q/" in page.url:
        widths[page.url] = page.evaluate("() => document.documentElement.scrollWidth")
        answer_screen(page, answers)
    widths["review"] = page.evaluate("() => document.documentElement.scrollWidth")
    page.goto(server.url + "/intake/outcome")
    widths["outcome"] = page.evaluate("() => document.documentElement.scrollWidth")
    assert {where: w for where, w in widths.items() if w > 320} == {}


def test_two_browser_contexts_never_see_each_others_intake(browser, server) -> None:
    first = _new_page(browser, server)
    with first.expect_navigation():
        first.click("form[action='/new'] button")
    first.fill("#f-project_title", "Geheim project")
    with first.expect_navigation():
        first.click("form.intake-form button[type=submit]")
    second = _new_page(browser, server)
    for path in ("/", "/intake", "/intake/review", "/intake/outcome"):
        second.goto(server.url + path)
        assert "Geheim project" not in second.content(), path
    with second.expect_navigation():
        second.click("form[action='/new'] button")
    second.goto(server.url + "/intake/review")
    assert "Geheim project" not in second.content()
    first.goto(server.url + "/intake/review")
    assert "Geheim project" in first.content()


def test_a_date_left_unreadable_is_named_at_once_with_the_terminals_message(
        browser, server) -> None:
    answers = typed_answers(FOUR_PARTNERS, "nl")
    page = _new_page(browser, server)
    with page.expect_navigation():
        page.click("form[action='/new'] button")
    while not page.query_selector("[name=project_application_date]"):
        answer_screen(page, answers)
    page.focus("[name=project_application_date]")
    page.keyboard.type("31-02-2020")
    page.keyboard.press("Tab")
    error = page.wait_for_selector("#f-project_application_date-error")
    assert error is not None
    from intake_assistant.flow.session import IntakeSession
    from intake_assistant.flow.values import AnswerError, parse
    from intake_assistant.i18n import translator

    question = IntakeSession.new().plan.by_id["project_application_date"]
    with pytest.raises(AnswerError) as refused:
        parse(question, "31-02-2020", "nl", [])
    assert error.inner_text() == translator("nl").render(refused.value.message)
    described = page.get_attribute("[name=project_application_date]", "aria-describedby")
    assert "f-project_application_date-error" in (described or "")
    page.focus("[name=project_application_date]")
    page.keyboard.press("Control+A")
    page.keyboard.type("02-06-2020")
    page.keyboard.press("Tab")
    page.wait_for_selector("#f-project_application_date-error", state="detached")

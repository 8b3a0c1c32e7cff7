"""Issue 10, the journey's rough edges: long text, returns, the import path, the brief
pre-check, small terminals, the export dialog's words, no English on Dutch screens."""

from __future__ import annotations

import json

import pytest
from textual.widgets import Button, DataTable, Input, OptionList, Static, TextArea

from intake_assistant.tui.screens.modals import (
    PathScreen,
    PrecheckListScreen,
    complete_path,
    restarted_path,
)
from intake_assistant.tui.screens.participants import ParticipantsScreen
from intake_assistant.tui.screens.question import QuestionScreen
from intake_assistant.tui.screens.review import ReviewScreen
from intake_assistant.tui.screens.start import StartScreen
from intake_assistant.tui.widgets.precheck import PrecheckPanel

from .conftest import DATA, SIZE, import_data, import_file, make_test_app


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def _visible(app, widget) -> bool:
    """The whole widget lies inside the screen (not scrolled or pushed out of sight)."""
    region = widget.region
    screen = app.screen.region
    return (region.height > 0 and region.width > 0 and screen.contains_region(region)
            and widget.visible)


async def _imported(pilot) -> None:
    assert import_file(pilot.app, DATA / "eligible-draft.json")
    await pilot.pause()
    pilot.app.clear_notifications()


# -- long text ---------------------------------------------------------------------------
async def test_long_text_says_how_to_go_on_and_ctrl_j_goes_on(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await _imported(pilot)
        app.jump_to("project_description")
        await pilot.pause()
        hint = str(app.screen.query_one(".long-text-hint", Static).render())
        assert "ctrl+j" in hint and "Tab" in hint and "volgende vraag" in hint
        area = app.screen.fields()[0].query_one("#answer", TextArea)
        assert app.focused is area
        # the cursor stands at the end of the answer already given
        assert area.cursor_location == area.document.end
        await pilot.press(*" Meer")
        await pilot.press("ctrl+j")  # one key goes on (Enter is a new line)
        await pilot.pause()
        assert app.session.draft.project.description.endswith(" Meer")
        assert app.session.state != "project_description"


@pytest.mark.parametrize("question", ["project_description", "circ_savings_basis"])
async def test_tab_then_enter_on_a_long_text_goes_on_as_the_hint_says(tmp_path, question):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await _imported(pilot)
        app.jump_to(question)
        await pilot.pause()
        await pilot.pause()
        hint = str(app.screen.query_one(".long-text-hint", Static).render())
        assert "Tab en dan Enter: volgende vraag" in hint
        assert isinstance(app.focused, TextArea)
        page = app.screen.page
        await pilot.press(*" Meer", "tab", "enter")  # one step: on (here: back to the review)
        await pilot.pause()
        assert app.session.value(question).endswith(" Meer")
        assert isinstance(app.screen, ReviewScreen) and page


async def test_footer_keys_work_while_writing_a_long_text(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await _imported(pilot)
        app.jump_to("project_description")
        await pilot.pause()
        assert isinstance(app.focused, TextArea)
        await pilot.press("f6")  # the text area's own F6 (select line) gives way
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_a_long_public_summary_is_kept_with_a_warning(tmp_path):
    from intake_assistant.flow.schema import cached_flow

    advised = next(q.validation.advised_length for q in
                   (located.question for located in cached_flow("sce-2020").questions)
                   if q.id == "project_public_summary")
    assert advised  # the limit is data of the question, not a number in a text
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await _imported(pilot)
        app.jump_to("project_public_summary")
        await pilot.pause()
        length = app.screen.query_one(".long-text-length", Static)
        assert "too-long" not in length.classes
        area = app.screen.fields()[0].query_one("#answer", TextArea)
        area.load_text("x" * (advised + 1))
        await pilot.pause()
        assert "too-long" in length.classes
        assert "longer than the" in str(length.render())
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert app.session.draft.project.public_summary == "x" * (advised + 1)  # kept


# -- returns -----------------------------------------------------------------------------
async def test_review_returns_to_the_changed_answer(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _imported(pilot)
        assert isinstance(app.screen, ReviewScreen)
        review = app.screen.query_one("#review-list", OptionList)
        key = "facilitator_name"
        review.highlighted = review.get_option_index(key)
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.state == key
        await pilot.press("end", *"X")
        await pilot.click("#next")  # the name is the first field of a form: Next answers it
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        review = app.screen.query_one("#review-list", OptionList)
        assert review.highlighted == review.get_option_index(key)  # not the top
        assert review.scroll_offset.y > 0


async def test_a_cost_line_added_from_the_table_returns_to_the_table(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await _imported(pilot)
        app.action_participants()
        await pilot.pause()
        assert isinstance(app.screen, ParticipantsScreen)
        before = len(app.session.draft.participants[0].cost_lines or [])
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        # the line's form: description, category (the first), amount; Enter on the last goes on
        await pilot.press(*"Sensor", "enter", "down", "enter", *"1000", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ParticipantsScreen)
        assert len(app.session.draft.participants[0].cost_lines) == before + 1
        assert isinstance(app.screen.query_one("#cost-lines-table", DataTable), DataTable)


# -- the import path ---------------------------------------------------------------------
def test_a_typed_absolute_path_or_home_replaces_the_proposed_folder():
    assert restarted_path("/home/a/exports//tmp/x.json") == "/tmp/x.json"
    assert restarted_path("/home/a/exports/~/x.json") == "~/x.json"
    assert restarted_path("/home/a/exports/x.json") == "/home/a/exports/x.json"


def test_tab_completion_of_paths(tmp_path):
    (tmp_path / "draft-one.json").write_text("{}", encoding="utf-8")
    (tmp_path / "draft-two.json").write_text("{}", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    assert complete_path(f"{tmp_path}/dr") == (f"{tmp_path}/draft-", ["draft-one.json",
                                                                      "draft-two.json"])
    assert complete_path(f"{tmp_path}/draft-o") == (f"{tmp_path}/draft-one.json", [])
    assert complete_path(f"{tmp_path}/fo") == (f"{tmp_path}/folder/", [])
    assert complete_path(f"{tmp_path}/nothing") == (f"{tmp_path}/nothing", [])


async def test_import_dialog_typing_tab_and_a_failed_import(tmp_path):
    draft = tmp_path / "elsewhere" / "my-draft.json"
    draft.parent.mkdir()
    draft.write_text((DATA / "eligible-draft.json").read_text(encoding="utf-8"),
                     encoding="utf-8")
    bad = tmp_path / "elsewhere" / "broken.json"
    bad.write_text('{"format": ', encoding="utf-8")
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        field = app.screen.query_one("#path", Input)
        assert field.value.endswith("exports/")
        # typing an absolute path over the proposed folder replaces it
        await pilot.press(*f"{tmp_path}/elsewhere/b", "tab")
        await pilot.pause()
        assert field.value == str(bad)
        await pilot.press("enter")
        await pilot.pause()
        # the dialog stays, with the parser's complaint in Dutch and where
        assert isinstance(app.screen, PathScreen)
        error = _text(app, "#path-error")
        assert "geen geldige JSON (regel 1, kolom 12)" in error and "Expecting" not in error
        field.value = f"{app.export_dir}/"  # the proposed folder again; ~ starts anew
        await pilot.pause()
        await pilot.press("end", "~")
        await pilot.pause()
        assert field.value == "~"
        field.value = f"{tmp_path}/elsewhere/my"
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.session.draft.project.title


# -- the brief pre-check and the full list -------------------------------------------------
async def test_precheck_at_the_start_is_brief_and_the_full_list_one_key_away(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        panel = str(app.screen.query_one(PrecheckPanel).query_one("#precheck-text").render())
        assert "van" in panel and "criteria zijn al te beoordelen" in panel
        assert panel.startswith("Voorcheck: Onvolledig")
        assert "Nog nodig in Project" in panel
        assert panel.count("ontbreekt") == 0  # not the wall of "missing"
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, PrecheckListScreen)
        full = _text(app, "#precheck-list-text")
        assert full.count("ontbreekt") >= 10 and "PARTNERSHIP-SIZE" in full
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)


async def test_precheck_names_what_fails(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await _imported(pilot)
        app.jump_to("project_work_started")
        await pilot.pause()
        await pilot.press(*"yes", "enter")  # work has started: fails
        await pilot.pause()
        app.jump_to("project_title")
        await pilot.pause()
        panel = str(app.screen.query_one(PrecheckPanel).query_one("#precheck-text").render())
        assert "✘" in panel and "art. 1.3" in panel


# -- sizes ---------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(80, 24), (60, 20), (120, 36)])
@pytest.mark.parametrize("question", ["project_title", "project_description",
                                      "participant_staff_units[0]", "project_work_started",
                                      "project_application_date"])
async def test_question_field_and_buttons_stay_in_sight(tmp_path, size, question):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=size) as pilot:
        await _imported(pilot)
        app.jump_to(question)
        await pilot.pause()
        await pilot.pause()  # the field takes the focus after the screen's first layout
        screen = app.screen
        # a single question's label, or a form's first field's label
        label = screen.query_one("#label-0")
        assert label.region.height > 0
        assert _visible(app, app.focused)  # the field being answered
        assert _visible(app, screen.query_one("#next", Button))
        panel = screen.query_one(PrecheckPanel)
        assert not panel.has_class("hidden") and panel.region.width > 0  # still shown


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_a_long_list_leaves_its_question_in_sight(tmp_path, size):
    """The eleven chain roles: at 60x20 the list filled the question area and its question
    was scrolled above it (under the header); a long list now scrolls within itself there."""
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=size) as pilot:
        await _imported(pilot)
        app.jump_to("participant_chain_role[1]")
        await pilot.pause()
        await pilot.pause()
        area = app.screen.query_one("#question-area").region
        label = app.screen.query_one("#label-0")
        assert "rol" in str(label.render())
        assert label.region.height > 0 and area.contains_region(label.region)
        assert area.contains_region(app.focused.region)  # the list being answered
        assert _visible(app, app.screen.query_one("#next", Button))


async def test_summary_subsidy_table_fits_80_columns(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await _imported(pilot)
        app.action_summary()
        await pilot.pause()
        table = app.screen.query_one("#subsidy-table", DataTable)
        assert table.virtual_size.width <= table.region.width


# -- the export dialog ------------------------------------------------------------------
async def test_export_keeping_the_files_says_nothing_was_written(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await _imported(pilot)
        app.action_export()
        await pilot.pause()
        screen = app.screen
        await pilot.click("#do-export")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        written = str(screen.query_one("#export-result", Static).render())
        # the draft, its report and the answers' provenance beside it
        assert written.count(".json") == 2 and ".provenance.json" in written and ".md" in written
        # again: they exist now (pressed, not clicked: the list of three files written
        # may have pushed the button out of a 24-line screen)
        screen.query_one("#do-export", Button).press()
        for _wait in range(50):  # the question whether to replace them (slow machines)
            await pilot.pause()
            if app.screen is not screen:
                break
        assert app.screen is not screen
        await pilot.press("escape")  # keep them
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Er is niets geschreven" in str(screen.query_one("#export-error").render())
        assert str(screen.query_one("#export-result", Static).render()).strip() == ""


async def test_export_write_error_lists_only_what_was_written(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await _imported(pilot)
        app.action_export()
        await pilot.pause()
        screen = app.screen
        folder = tmp_path / "a-folder.md"
        folder.mkdir()
        screen.query_one("#json-path", Input).value = str(tmp_path / "ok.json")
        screen.query_one("#md-path", Input).value = str(tmp_path / "missing" / "x" / "r.md")
        (tmp_path / "missing").write_text("a file where a folder should be", encoding="utf-8")
        await pilot.click("#do-export")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = str(screen.query_one("#export-result", Static).render())
        assert "ok.json" in result and "r.md" not in result
        assert "Could not write" in str(screen.query_one("#export-error").render())
        # nothing written at all: said so
        screen.query_one("#json-path", Input).value = str(tmp_path / "missing" / "y.json")
        screen.query_one("#do-export", Button).press()  # the message may have moved it
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Nothing was written" in str(screen.query_one("#export-error").render())
        assert str(screen.query_one("#export-result", Static).render()).strip() == ""


# -- no English on Dutch screens --------------------------------------------------------
async def _open_palette(pilot) -> None:
    await pilot.pause()
    await pilot.press("ctrl+p")
    await pilot.pause()


async def test_palette_placeholder_in_dutch(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await _open_palette(pilot)
        field = app.screen.query_one(Input)
        assert field.placeholder == "Zoek een opdracht…"


async def test_palette_says_no_matches_in_dutch(tmp_path):
    from textual.command import CommandList

    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await _open_palette(pilot)
        await pilot.press(*"xyzzy")
        await pilot.pause(1.0)  # Textual waits half a second before it says so
        await pilot.pause()
        options = app.screen.query_one(CommandList)
        prompts = [str(options.get_option_at_index(i).prompt.renderable)
                   for i in range(options.option_count)]
        assert prompts == ["Geen opdracht gevonden"]


def test_dutch_texts_without_english_or_doubled_stops():
    from intake_assistant.i18n import Message, translator
    from intake_assistant.loading import json_error

    nl = translator("nl")
    assert nl.render(Message("Answer the questions on financial difficulty for {name}.",
                             name="Ergozit B.V.")).endswith("Ergozit B.V.")
    saving = nl.render(Message(
        "The project saves {quantity} {unit} of raw material and {tonnes} tonnes of CO2 per "
        "year.", quantity="85", unit="t/jaar", tonnes="10"))
    assert "t/jaar per jaar" not in saving and "85 t/jaar" in saving
    ladder = nl.gettext("The R-ladder runs from R0 Refuse to R9 Recover. Higher on the ladder "
                        "(a lower number) saves more raw material.")
    assert "Weigeren" in ladder and "Terugwinnen" in ladder
    for text in ('{"a" 1}', '{"a": 1,}', "[1 2]", '"abc', "{} x", ""):
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            shown = nl.render(json_error(exc))
            assert "Expecting" not in shown and "regel" in shown and "kolom" in shown


async def test_yes_no_answers_read_alike_in_review_and_field(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await _imported(pilot)
        items = {i.key: i.answer for i in app.session.review_items()}
        assert items["project_work_started"] == "Nee"
        assert "ja" not in items.values() and "nee" not in items.values()


async def test_help_lists_f7_and_ctrl_l(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        table = app.screen.query_one("#help-keys", DataTable)
        keys = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert "F7" in keys and "ctrl+l" in keys and "ctrl+j" in keys


async def test_summary_names_criteria_by_title_with_the_id_after(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await _imported(pilot)
        app.jump_to("project_work_started")
        await pilot.pause()
        await pilot.press(*"ja", "enter")
        await pilot.pause()
        app.action_summary()
        await pilot.pause()
        texts = [str(w.render()) for w in app.screen.query(Static)]
        failure = next(t for t in texts if "GBER-INCENTIVE" in t)
        assert failure.startswith("• Geen werkzaamheden")
        assert failure.index("GBER-INCENTIVE") > failure.index("Geen werkzaamheden")


async def test_b_on_the_summary_shows_what_each_finding_rests_on(tmp_path):
    """Issue 23: the answers (by their question) and parameter values under each finding."""
    from intake_assistant.tui.screens.summary import SummaryScreen

    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await _imported(pilot)
        app.action_summary()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)

        def texts() -> str:
            return " ".join(str(w.render()) for w in app.screen.query(Static))

        assert "Rests on:" not in texts()
        await pilot.press("b")
        await pilot.pause()
        shown_texts = texts()
        assert "Rests on:" in shown_texts
        # an answer by its question with its value and path, a parameter by its description
        assert "On which date will you submit the application?" in shown_texts
        assert "project.application_date" in shown_texts
        assert "Period in which applications are accepted" in shown_texts
        assert "unverified" in shown_texts
        await pilot.press("b")
        await pilot.pause()
        assert "Rests on:" not in texts()


async def test_start_screen_still_opens_after_escape_from_import(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)


# -- a share just above the limit ----------------------------------------------------------
def test_a_share_just_off_a_whole_percentage_shows_the_difference():
    from intake_assistant.i18n import translator

    nl, en = translator("nl"), translator("en")
    assert [nl.percent(v) for v in (0.70004, 0.69996, 0.7, 0.705, 1 / 3)] == [
        "70,004%", "69,996%", "70%", "70,5%", "33,3%"]
    assert en.percent(0.7000001) == "70.0001%"  # rounded away from 70, never onto it
    assert en.percent(0.6999999) == "69.9999%"


async def test_a_share_above_70_percent_reads_above_it_everywhere(tmp_path):
    from intake_assistant.tui.screens.summary import SummaryScreen

    data = json.loads((DATA / "eligible-draft.json").read_text(encoding="utf-8"))
    data["participants"][2]["cost_lines"][0]["amount_eur"] = 93951  # 70.0031 % of all costs
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await import_data(pilot, tmp_path / "share.json", data)
        app.jump_to("project_title")
        await pilot.pause()
        panel = str(app.screen.query_one(PrecheckPanel).query_one("#precheck-text").render())
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        summary = " ".join(str(w.render()) for w in app.screen.query(Static))
        table = app.screen.query_one("#subsidy-table", DataTable)
        cells = [str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)]
        report = app.intake.export("md", "nl").data.decode()
    assert "70,003%" in panel
    assert "70,003%" in summary and "70,003%" in cells
    assert "70,003%" in report
    for text in (panel, summary, report, " ".join(cells)):
        assert "70,0%" not in text and "(70%)" not in text


# -- keys typed ahead of the screen ----------------------------------------------------------
async def _send_unwaited(app, keys: list[str], gap: float) -> None:
    """Keys as the terminal sends them: one after another, not waiting for the app."""
    import asyncio

    from textual import events

    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)
        await asyncio.sleep(gap)


@pytest.mark.parametrize("question", ["project_public_summary", "circ_savings_basis"])
async def test_tab_enter_typed_quickly_on_a_long_text_goes_on(tmp_path, question):
    """Tab then Enter in quick succession: the Enter used to reach the text area before the
    Tab's move to Next (a new line; the keys after it then pressed Back)."""
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await _imported(pilot)
        app.jump_to(question)
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.focused, TextArea)
        before = app.session.value(question)
        await _send_unwaited(app, ["X", "tab", "enter"], 0.0005)
        for _ in range(10):
            await pilot.pause(0.05)
        assert app.session.value(question) == before + "X"  # no new line
        assert isinstance(app.screen, ReviewScreen)  # gone on (from the review: back to it)


async def test_keys_typed_ahead_of_the_next_screen_never_answer_another_question(tmp_path):
    """A fast typist (or a slow machine): keys arrive while the next question replaces the
    last one. The replaced field's messages must neither stop the app (it did: a missing
    message line) nor give its text to the question now shown."""
    import asyncio

    from textual import events

    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        typed = {"project_title": "Titel", "project_public_summary": "Samenvatting",
                 "project_description": "Beschrijving"}
        keys = [*typed["project_title"], "enter", *typed["project_public_summary"], "tab",
                "enter", *typed["project_description"], "tab", "enter"]
        for key in keys:  # as the terminal sends them: not waiting for the app
            event = events.Key(key, key if len(key) == 1 else None)
            event.set_sender(app)
            app._driver.send_message(event)
            await asyncio.sleep(0.002)
        for _ in range(20):
            await pilot.pause(0.05)
        assert app.return_code is None and app.is_running  # still running: no traceback
        for key, text in typed.items():
            answer = app.session.value(key)
            assert answer is None or text.endswith(answer), (key, answer)


@pytest.mark.parametrize("save_takes", [0.0, 0.15])
async def test_a_form_typed_in_one_go_gives_each_field_its_own_keys(tmp_path, save_takes):
    """The dates form typed without waiting, on a quick and on a busy machine (each save
    takes a while): the keys typed after each Enter belong to the next field. They reached
    the field just answered (an application date became the end date; a "j" typed after
    "nee" and Enter could choose "ja"), and a late answer took the focus back."""
    import time

    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        app.jump_to("project_application_date")
        await pilot.pause()
        await pilot.pause()
        save = app.autosave

        def slow_save(*args, **kwargs):
            time.sleep(save_takes)  # the loop stands still, as on a loaded machine
            return save(*args, **kwargs)

        app.autosave = slow_save
        await _send_unwaited(app, [*"01-06-2020", "enter", *"01-09-2020", "enter",
                                   *"31-08-2022", "enter", "n", "enter", "j"], 0)
        for _ in range(30):
            await pilot.pause(0.05)
        assert app.session.state == "circ_r_strategy"  # the next screen: nothing refused
    assert [str(app.session.value(key)) for key in (
        "project_application_date", "project_start_date", "project_end_date")] == [
        "2020-06-01", "2020-09-01", "2022-08-31"]
    assert app.session.value("project_work_started") is False


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_summary_at_80x24_shows_the_subsidy_table_without_a_scroll(tmp_path, language):
    """The unverified values filled the first screen of the summary (the table needed a
    scroll): a line says they exist, and they are listed under the subsidy."""
    from textual.widgets import DataTable, Static

    from intake_assistant.tui.screens.summary import SummaryScreen

    app = make_test_app(tmp_path, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await _imported(pilot)
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        table = screen.query_one("#subsidy-table", DataTable)
        area = screen.query_one("#summary-scroll").region
        assert table.region.y + 3 < area.bottom  # its header and first row in sight
        values = str(screen.query_one("#unverified-values", Static).render())
        assert table.region.y < screen.query_one("#unverified-values").region.y
        assert ("6 maanden" if language == "nl" else "6 months") in values
        note = str(screen.query_one("#unverified-note", Static).render())
        assert ("onder de subsidie" if language == "nl" else "below the subsidy") in note

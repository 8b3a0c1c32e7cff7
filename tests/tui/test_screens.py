"""The screens one by one: language, help, palette, pre-check panel, filter, participants."""

from __future__ import annotations

from textual.widgets import Button, DataTable, Input
from waiting import wait_until

from intake_assistant.storage import IntakeMeta, Settings, Storage
from intake_assistant.tui.launch import launch, make_app
from intake_assistant.tui.screens.modals import HelpScreen
from intake_assistant.tui.screens.participants import ParticipantsScreen
from intake_assistant.tui.screens.question import QuestionScreen
from intake_assistant.tui.screens.start import StartScreen
from intake_assistant.tui.widgets.precheck import PrecheckPanel

from .conftest import DATA, SIZE, import_file, make_test_app


def _label(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Button).label)


async def test_language_switch_recomposes_and_is_remembered(tmp_path):
    app = make_test_app(tmp_path, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert _label(app, "#new") == "Nieuwe intake"  # Dutch by default
        await pilot.press("f2")
        await pilot.pause()
        assert _label(app, "#new") == "New intake"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert "Section 1 of" in str(app.screen.query_one("#section-title").render())
        await pilot.press("f2")
        await pilot.pause()
        assert "Onderdeel 1 van" in str(app.screen.query_one("#section-title").render())
        assert app.session.language == "nl"
        assert app.session.draft.language == "nl"
    assert Storage(tmp_path / "data").load_settings().language == "nl"
    # the next start uses the remembered language
    again = make_test_app(tmp_path, None)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert _label(again, "#new") == "Nieuwe intake"


async def test_language_buttons_on_the_start_screen(tmp_path):
    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#lang-en")
        await pilot.pause()
        assert _label(app, "#new") == "New intake"
    assert app.storage.load_settings().language == "en"


async def test_help_lists_the_keys_and_closes(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-keys", DataTable)
        keys = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert {"F1", "F2", "ctrl+q", "ctrl+p", "F3", "enter", "escape"} <= set(keys)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)


async def test_command_palette_offers_the_main_actions(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"New intake", "Import a draft", "Switch language", "Help", "Quit"} <= set(titles)
        assert "Export" not in titles  # no intake open yet
        assert import_file(app, DATA / "eligible-draft.json")
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Review answers", "Summary", "Participants", "Export"} <= set(titles)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"summary")
        assert await wait_until(lambda: _palette_offers(app, "Summary"))
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.state == "summary"


def _palette_offers(app, title: str) -> bool:
    """Whether the command palette lists a command that starts with ``title``."""
    from textual.command import CommandList

    found = app.screen.query(CommandList)
    if not found:
        return False
    options = found.first()
    prompts = (options.get_option_at_index(i).prompt for i in range(options.option_count))
    return any(title in str(getattr(prompt, "renderable", prompt)) for prompt in prompts)


async def test_precheck_panel_toggles_and_is_remembered(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        panel = app.screen.query_one(PrecheckPanel)
        assert not panel.has_class("hidden")
        text = str(panel.query_one("#precheck-text").render())
        assert "Pre-check: Incomplete" in text and "RVO decides" in text
        await pilot.press("f3")
        await pilot.pause()
        assert panel.has_class("hidden")
    assert app.storage.load_settings().show_precheck is False


async def test_live_validation_as_you_type(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert import_file(app, DATA / "eligible-draft.json")
        await pilot.pause()
        app.jump_to("participant_kvk[0]")
        await pilot.pause()
        # the KvK number is a field of the participant's form: its own message line
        error = app.screen.error_for("participant_kvk[0]")
        await pilot.press("ctrl+a", "ctrl+k", *"1234")
        await pilot.pause()
        assert "8 digits" in str(error.render())  # before Enter
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.state == "participant_kvk[0]"  # refused, nothing stored
        await pilot.press(*"5678")
        await pilot.pause()
        assert str(error.render()) == ""
        await pilot.press("enter")  # 12345678 is accepted (no other participant has it)
        await pilot.pause()
        assert app.session.draft.participants[0].kvk_number == "12345678"


async def test_resume_list_filters_by_typing(tmp_path):
    app = make_test_app(tmp_path, "en")
    app.storage.save("a", {}, IntakeMeta(title="Office chair", participants=("Ergo BV",),
                                         updated="2024-05-01T10:00:00+00:00"))
    app.storage.save("b", {}, IntakeMeta(title="Mattress", participants=("Sleep BV",),
                                         updated="2024-05-02T10:00:00+00:00"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#intakes", DataTable)
        assert table.row_count == 2
        await pilot.press(*"ergo")  # typing on the list goes to the filter
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == "ergo"
        assert table.row_count == 1
        assert str(table.get_row_at(0)[0]) == "Office chair"


async def test_participants_table_add_and_remove(tmp_path):
    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert import_file(app, DATA / "eligible-draft.json")
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantsScreen)
        table = app.screen.query_one("#participants-table", DataTable)
        assert table.row_count == 4
        rules = str(app.screen.query_one("#rules-status").render())
        assert "3 to 6 SMEs" in rules and "lead applicant" in rules.lower()
        await pilot.press("d")  # remove participant 1 (the lead), after asking
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantsScreen)
        table = app.screen.query_one("#participants-table", DataTable)
        assert table.row_count == 3
        rules = str(app.screen.query_one("#rules-status").render())
        assert "✘" in rules  # no lead applicant any more: the one-lead rule is broken
        await pilot.press("a")  # add one: on to its first question
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.session.state == "participant_name[3]"
        # issue 10: the row exists once its first answer is given, not before
        assert app.storage.load(app.intake_id).state["answers"]["participant_count"] == 3
        await pilot.press(*"New BV", "enter")
        await pilot.pause()
    saved = app.storage.load(app.intake_id)
    assert saved.state["answers"]["participant_count"] == 4


def test_make_app_and_launch_settings(tmp_path, monkeypatch):
    Storage(tmp_path).save_settings(Settings(language="en"))
    app = make_app(None, str(tmp_path))
    assert app.language == "en" and app.storage.root == tmp_path
    app = make_app("nl", str(tmp_path))
    assert app.language == "nl"
    ran = []
    monkeypatch.setattr("intake_assistant.tui.app.IntakeApp.run",
                        lambda self: ran.append(self.language))
    assert launch("en", str(tmp_path)) == 0
    assert ran == ["en"]


async def test_section_list_jumps_to_an_answered_question_and_escape_goes_back(tmp_path):
    from textual.widgets import OptionList

    app = make_test_app(tmp_path, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert import_file(app, DATA / "eligible-draft.json")
        await pilot.pause()
        # walked up to the dates' form, not opened from the review (Esc would return there)
        from intake_assistant.storage import IntakeMeta

        state = dict(app.session.to_state_dict(), state="project_end_date",
                     return_to_review=False)
        app.storage.save("20240501-100000-000001", state, IntakeMeta(
            title="Chairs", participants=(), updated="2024-05-01T10:00:00+02:00",
            verdict="eligible", language="en", state="project_end_date"))
        app.resume("20240501-100000-000001")
        await pilot.pause()
        await pilot.press("escape")  # a screen back: before the dates' form, the subject's
        await pilot.pause()
        assert app.session.state == "project_subject"
        await pilot.press("f4")
        await pilot.pause()
        nav = app.screen.query_one("#sections", OptionList)
        assert nav.has_class("shown") and app.focused is nav
        ids = [nav.get_option_at_index(i).id for i in range(nav.option_count)]
        assert "project_title" in ids and "participant_name[0]" in ids
        assert nav.highlighted == ids.index("project_subject")
        nav.highlighted = ids.index("participant_name[0]")
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.state == "participant_name[0]"
        assert isinstance(app.screen, QuestionScreen)
        value = app.screen.fields()[0].query_one("#answer", Input).value
        assert value == "Kringloop Kunststof B.V."  # the answer is kept and shown


async def test_a_warning_says_it_rests_on_an_unverified_value_where_it_stands(tmp_path):
    """The opening period of 2020 is reported, not verified: "the date falls in the opening
    period" is a warning for that reason, and the summary and the live pre-check say so."""
    from textual.widgets import Static

    from intake_assistant.tui.screens.modals import PrecheckListScreen
    from intake_assistant.tui.screens.summary import SummaryScreen

    app = make_test_app(tmp_path, "nl")
    async with app.run_test(size=(80, 24)) as pilot:
        assert import_file(app, DATA / "eligible-draft.json")
        await pilot.pause()
        app.jump_to("project_title")
        await pilot.pause()
        panel = str(app.screen.query_one(PrecheckPanel).query_one("#precheck-text").render())
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, PrecheckListScreen)
        full = " ".join(str(w.render()) for w in app.screen.query(Static))
        await pilot.press("escape")
        await pilot.pause()
        app.action_summary()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        summary = " ".join(str(w.render()) for w in app.screen.query(Static))
    brief = "Berust op niet-geverifieerde waarden: de openstellingsperiode voor aanvragen"
    for shown, why in ((panel, brief), (summary, brief), (full, "Dit berust op een "
                       "niet-geverifieerde waarde: de openstellingsperiode voor aanvragen")):
        flat = " ".join(shown.split())
        assert "valt in de openstellingsperiode" in flat
        assert why in flat, flat

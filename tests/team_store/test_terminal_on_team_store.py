"""The terminal intake on a team store: two advisors of one team on one intake, in two apps
with two data folders and one PostgreSQL: different answers merge, each names its advisor,
another team sees none of it; a wrong token stops the start with one line."""

from __future__ import annotations

from pathlib import Path

import psycopg
from textual.pilot import Pilot
from textual.widgets import DataTable, Input
from waiting import wait_until

from intake_assistant.cli import main
from intake_assistant.service.open_intake import Channel, OpenIntake
from intake_assistant.service.outcomes import DraftSource
from intake_assistant.storage import Settings
from intake_assistant.stores.advisor_tokens import TOKEN_VARIABLE
from intake_assistant.stores.postgres_store import PostgresStore
from intake_assistant.tui.app import IntakeApp

from .helpers import advisor_token, initialised, store_url

EXAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "examples" / \
    "eligible-office-chair.json"
SIZE = (120, 40)


def _anna_in_the_terminal_and_bram(pg_dsn: str, tmp_path: Path
                                   ) -> tuple[PostgresStore, OpenIntake, IntakeApp]:
    """Anna's terminal and Bram's intake service, each on a machine (folder) of their own,
    advisors of one team in one store."""
    initialised(pg_dsn)
    anna_store = PostgresStore(pg_dsn, advisor_token(pg_dsn, "Versnellingshuis", "Anna"),
                               tmp_path / "anna")
    bram = OpenIntake(Channel(PostgresStore(pg_dsn, advisor_token(
        pg_dsn, "Versnellingshuis", "Bram"), tmp_path / "bram")), Settings(mode="advisor"))
    app = IntakeApp(anna_store, Settings(mode="advisor", language="en"), "en",
                    export_dir=tmp_path / "exports")
    return anna_store, bram, app


async def _imported_and_listening(app: IntakeApp, pilot: Pilot) -> str:
    """Anna's terminal opens the example, imported, and hears her team's saves."""
    await pilot.pause()
    app.show_new(app.intake.import_draft(DraftSource.file(EXAMPLE), "en"))
    await pilot.pause()
    assert await wait_until(lambda: app.listening_to_colleagues, timeout=30)
    assert app.intake_id is not None
    return app.intake_id


def _notices(app: IntakeApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def _bram_changes_the_title_and_anna_hears(bram: OpenIntake, app: IntakeApp,
                                                 intake_id: str) -> None:
    bram.resume(intake_id, "en")
    bram.go_to("project_title")
    assert bram.answer("Circulaire stoel (Bram)").done
    assert await wait_until(
        lambda: any("Changed by Bram at" in n for n in _notices(app)), timeout=30), (
        _notices(app))


async def test_two_advisors_on_one_intake_merge_and_are_named(pg_dsn, tmp_path) -> None:
    anna_store, bram, app = _anna_in_the_terminal_and_bram(pg_dsn, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.show_new(app.intake.import_draft(DraftSource.file(EXAMPLE), "en"))
        await pilot.pause()
        intake_id = app.intake_id
        app.jump_to("project_title")
        await pilot.pause()
        # Bram, on his machine, changes the summary meanwhile
        bram.resume(intake_id, "en")
        bram.go_to("project_public_summary")
        assert bram.answer("Vier bedrijven maken samen een stoel die terugkomt (Bram).").done
        # Anna answers another question in her terminal: both answers are kept
        field = app.screen.field_for("project_title").query_one("#answer", Input)
        field.value = "Circulaire stoel (Anna)"
        field.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.intake_id == intake_id  # merged, not a copy
    stored = anna_store.load(intake_id).state
    assert stored["answers"]["project_title"] == "Circulaire stoel (Anna)"
    assert stored["answers"]["project_public_summary"].endswith("(Bram).")
    assert stored["provenance"]["project_title"]["name"] == "Anna"
    assert stored["provenance"]["project_public_summary"]["name"] == "Bram"
    other = PostgresStore(pg_dsn, advisor_token(pg_dsn, "ROM Noord", "Otto"), tmp_path / "o")
    assert other.list_headers().intakes == []


def test_the_intake_with_a_wrong_token_stops_with_one_line(pg_dsn, tmp_path, capsys,
                                                           monkeypatch) -> None:
    initialised(pg_dsn)
    monkeypatch.setenv(TOKEN_VARIABLE, "iat_" + "C" * 43)
    assert main(["--store", store_url(pg_dsn), "--data-dir", str(tmp_path), "--lang",
                 "en"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not valid for this store" in err
    assert main(["--store", "mysql://x", "--lang", "en"]) == 2
    assert "is not a team store" in capsys.readouterr().err


async def test_an_open_intake_hears_that_a_colleague_changed_it(pg_dsn, tmp_path) -> None:
    _anna_store, bram, app = _anna_in_the_terminal_and_bram(pg_dsn, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        intake_id = await _imported_and_listening(app, pilot)
        await _bram_changes_the_title_and_anna_hears(bram, app, intake_id)
        assert app.session.to_state_dict()["answers"]["project_title"] != (
            "Circulaire stoel (Bram)")  # not reloaded behind the advisor's back
        app.action_reload()
        await pilot.pause()
        assert app.session.to_state_dict()["answers"]["project_title"] == (
            "Circulaire stoel (Bram)")


async def test_the_entrepreneurs_answers_at_an_advisors_terminal_name_the_advisor(
        pg_dsn, tmp_path) -> None:
    initialised(pg_dsn)
    store = PostgresStore(pg_dsn, advisor_token(pg_dsn, "Versnellingshuis", "Anna"),
                          tmp_path / "anna")
    app = IntakeApp(store, Settings(mode="entrepreneur", language="en"), "en",
                    export_dir=tmp_path / "exports")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.show_new(app.intake.import_draft(DraftSource.file(EXAMPLE), "en"))
        await pilot.pause()
        app.jump_to("project_title")
        await pilot.pause()
        field = app.screen.field_for("project_title").query_one("#answer", Input)
        field.value = "Circulaire stoel"
        field.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.provenance_text("project_title").startswith(
            "entrepreneur with Anna, ")
        intake_id = app.intake_id
    record = store.load(intake_id).state["provenance"]["project_title"]
    assert (record["by"], record["name"]) == ("entrepreneur", "Anna")


async def test_the_start_screen_lists_a_colleagues_new_intake_as_it_is_saved(pg_dsn,
                                                                            tmp_path) -> None:
    _anna_store, bram, app = _anna_in_the_terminal_and_bram(pg_dsn, tmp_path)
    async with app.run_test(size=SIZE) as pilot:

        def rows(count: int) -> bool:
            tables = app.screen.query("#intakes").results(DataTable)
            return any(table.row_count == count for table in tables)

        assert await wait_until(lambda: app.listening_to_colleagues, timeout=30)
        await pilot.pause()
        bram.import_draft(DraftSource.file(EXAMPLE), "en")  # none listed before: a list now
        assert await wait_until(lambda: rows(1), timeout=30)
        bram.close()
        bram.import_draft(DraftSource.file(EXAMPLE), "en")  # the list grows by one
        assert await wait_until(lambda: rows(2), timeout=30)


async def test_a_colleague_who_only_moved_is_no_change_to_tell(pg_dsn, tmp_path) -> None:
    anna_store, bram, app = _anna_in_the_terminal_and_bram(pg_dsn, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        intake_id = await _imported_and_listening(app, pilot)
        bram.resume(intake_id, "en")
        assert bram.go_to("project_title").done  # Bram moves: a save, no answer changed

        def told() -> list[str]:
            return [n for n in _notices(app) if "Changed by" in n]

        # what the listener hands the window for Bram's save (see colleague_changes)
        app._colleague_changed(anna_store.changed_since(intake_id))
        await pilot.pause()
        assert told() == []
        assert bram.answer("Circulaire stoel (Bram)").done
        app._colleague_changed(anna_store.changed_since(intake_id))
        await pilot.pause()
        assert told() and all("Changed by Bram at" in text for text in told())


async def test_the_window_hears_colleagues_again_after_the_connection_was_lost(
        pg_dsn, tmp_path) -> None:
    _anna_store, bram, app = _anna_in_the_terminal_and_bram(pg_dsn, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        intake_id = await _imported_and_listening(app, pilot)
        # the server drops every connection of the app (a restart, a failover)
        with psycopg.connect(pg_dsn, autocommit=True) as owner:
            owner.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE application_name = 'intake-assistant'")
        # Bram's save comes while the window connects again or after: heard either way
        await _bram_changes_the_title_and_anna_hears(bram, app, intake_id)


async def test_an_intake_erased_in_the_store_is_closed_and_not_saved_again(pg_dsn,
                                                                           tmp_path) -> None:
    from intake_assistant.tui.screens.modals import MessageScreen

    anna_store, bram, app = _anna_in_the_terminal_and_bram(pg_dsn, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        intake_id = await _imported_and_listening(app, pilot)
        assert bram.storage.erase_client("11111111") == [intake_id]  # the client's request
        assert await wait_until(lambda: app.intake_id is None
                                and isinstance(app.screen, MessageScreen), timeout=30)
        assert app.session is None  # the answers are gone from the window too
        await pilot.press("ctrl+q")
    assert anna_store.list_headers().intakes == []  # nothing of it saved again

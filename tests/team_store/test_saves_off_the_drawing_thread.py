"""The terminal on a team store writes its saves off the thread that draws the screen: a save
held up by the server (a row lock another connection holds) leaves the intake answering keys,
and the answer is in the store once the lock goes; quit waits for it. A save the server refuses
says NOT SAVED and quit asks before the answers go."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
from textual.widgets import Input

from intake_assistant.service.outcomes import DraftSource
from intake_assistant.storage import Settings
from intake_assistant.stores.postgres_store import PostgresStore
from intake_assistant.tui.app import IntakeApp
from intake_assistant.tui.screens.modals import ConfirmScreen, HelpScreen

from .helpers import advisor_token, initialised

EXAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "examples" / \
    "eligible-office-chair.json"
SIZE = (120, 40)
#: However busy the machine: as long as a condition needs, no longer.
PATIENCE = 30.0


async def _until(condition: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.02)


def _anna(pg_dsn: str, tmp_path: Path) -> tuple[PostgresStore, IntakeApp]:
    initialised(pg_dsn)
    store = PostgresStore(pg_dsn, advisor_token(pg_dsn, "Versnellingshuis", "Anna"),
                          tmp_path / "anna")
    return store, IntakeApp(store, Settings(mode="advisor", language="en"), "en",
                            export_dir=tmp_path / "exports")


def _stored_title(pg_dsn: str, intake_id: str) -> str:
    with psycopg.connect(pg_dsn, autocommit=True) as conn:  # the owner: no policies
        return conn.execute("SELECT state -> 'answers' ->> 'project_title' FROM "
                            "intake_store.intakes WHERE id = %s", (intake_id,)).fetchone()[0]


async def _imported_on_the_title(app: IntakeApp, pilot) -> str:
    await pilot.pause()
    app.show_new(app.intake.import_draft(DraftSource.file(EXAMPLE), "en"))
    await _until(lambda: not app.intake.saving, "the import is saved")
    app.jump_to("project_title")
    await _until(lambda: str(app.session.state) == "project_title"
                 and app.screen.query("#answer"), "the title question shows")
    assert app.intake_id is not None
    return app.intake_id


async def _answer_title(app: IntakeApp, pilot, title: str) -> None:
    field = app.screen.field_for("project_title").query_one("#answer", Input)
    field.value = title
    field.focus()
    await pilot.press("enter")


async def test_a_slow_save_leaves_the_intake_answering_and_is_saved_after(pg_dsn,
                                                                          tmp_path) -> None:
    store, app = _anna(pg_dsn, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        intake_id = await _imported_on_the_title(app, pilot)
        before = _stored_title(pg_dsn, intake_id)
        # another connection holds the intake's row: the save waits for it
        holder = psycopg.connect(pg_dsn)
        holder.execute("SELECT FROM intake_store.intakes WHERE id = %s FOR UPDATE",
                       (intake_id,))
        # should the save run on the drawing thread, the lock goes after a while all the same
        # (then this test fails on the assertions below, rather than hanging)
        safety = threading.Timer(PATIENCE, holder.rollback)
        safety.start()
        try:
            await _answer_title(app, pilot, "Circulaire stoel (Anna)")
            # the next question shows and takes keys while the save waits for the lock
            await _until(lambda: str(app.session.state) != "project_title",
                         "the intake goes on to the next question")
            await pilot.pause()
            assert app.intake.saving
            assert _stored_title(pg_dsn, intake_id) == before
            await pilot.press("f1")
            await _until(lambda: isinstance(app.screen, HelpScreen),
                         "the help opens during the save")
            await pilot.press("escape")
            # another answer while the first save still waits: saved after it, never before
            await _until(lambda: not isinstance(app.screen, HelpScreen), "the help closed")
            second = str(app.session.state)
            await pilot.press("enter")
            await _until(lambda: str(app.session.state) != second, "on to a third question")
            last_state = app.session.to_state_dict()
            # quit waits for the save rather than going without it
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert app.return_code is None and app.intake.saving
            assert "NOT SAVED" not in app.sub_title
        finally:
            holder.rollback()
            safety.cancel()
            holder.close()
        await _until(lambda: app.return_code is not None, "quit once the answer is saved")
        assert app.return_code == 0
    assert _stored_title(pg_dsn, intake_id) == "Circulaire stoel (Anna)"
    stored = store.load(intake_id).state
    assert stored["provenance"]["project_title"]["name"] == "Anna"
    # the newest state is the one stored: the saves went in order
    assert stored["state"] == last_state["state"]
    assert stored["answers"] == last_state["answers"]


async def test_a_save_the_store_refuses_says_not_saved_and_quit_asks(pg_dsn,
                                                                     tmp_path) -> None:
    _store, app = _anna(pg_dsn, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        intake_id = await _imported_on_the_title(app, pilot)
        with psycopg.connect(pg_dsn, autocommit=True) as owner:  # every later save refused
            owner.execute("ALTER TABLE intake_store.intakes ADD CONSTRAINT refuse_all "
                          "CHECK (false) NOT VALID")
        await _answer_title(app, pilot, "Circulaire stoel (Anna)")
        await _until(lambda: "NOT SAVED" in app.sub_title, "the header says NOT SAVED")
        assert any("Could not save the intake in Versnellingshuis (Anna)" in str(n.message)
                   and "the store refused the work: "
                   "new row" in str(n.message) for n in app._notifications)
        assert str(app.session.state) != "project_title"  # the intake went on all the same
        await pilot.press("ctrl+q")
        await _until(lambda: isinstance(app.screen, ConfirmScreen), "quit asks")
        assert app.return_code is None
        asked = app.screen.text  # where the answers could not go: the team store, by name
        assert "could not be saved (Versnellingshuis (Anna))" in asked
        assert str(tmp_path) not in asked
        assert _stored_title(pg_dsn, intake_id) != "Circulaire stoel (Anna)"
        # the store takes saves again: the next answer saves them all, and the header says so
        with psycopg.connect(pg_dsn, autocommit=True) as owner:
            owner.execute("ALTER TABLE intake_store.intakes DROP CONSTRAINT refuse_all")
        await pilot.press("escape")  # stay
        await _until(lambda: not isinstance(app.screen, ConfirmScreen), "the question again")
        app.jump_to("project_title")
        await _until(lambda: str(app.session.state) == "project_title"
                     and app.screen.query("#answer"), "the title question shows")
        await _until(lambda: not app.intake.saving, "the save came back")
        assert "NOT SAVED" not in app.sub_title
    assert _stored_title(pg_dsn, intake_id) == "Circulaire stoel (Anna)"


async def test_an_advisor_revoked_meanwhile_is_told_at_the_next_save(pg_dsn, tmp_path) -> None:
    from intake_assistant.stores.team_admin import revoke_advisor

    _store, app = _anna(pg_dsn, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        intake_id = await _imported_on_the_title(app, pilot)
        with psycopg.connect(pg_dsn, autocommit=True) as owner:
            revoke_advisor(owner, team="Versnellingshuis", name="Anna")
        await _answer_title(app, pilot, "Circulaire stoel (Anna)")
        await _until(lambda: "NOT SAVED" in app.sub_title, "the header says NOT SAVED")
        assert any("the advisor token of Anna was revoked" in str(n.message)
                   for n in app._notifications)
        assert str(app.session.state) != "project_title"  # the answers stay in the window
    assert _stored_title(pg_dsn, intake_id) != "Circulaire stoel (Anna)"

"""The team store's access log: an intake is opened, exported (from the terminal too, and as a
served download), handed to a colleague (``store reassign``) and deleted (``store delete``),
each a line naming the advisor; a colleague of another team or one revoked is no one to hand an
intake to. Every refusal is one line, exit 2."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import psycopg
import pytest
from textual.widgets import Input
from waiting import wait_until

from intake_assistant.cli import main
from intake_assistant.service.open_intake import Channel, OpenIntake
from intake_assistant.service.outcomes import DraftSource
from intake_assistant.storage import Settings
from intake_assistant.stores.advisor_tokens import TOKEN_VARIABLE
from intake_assistant.stores.postgres_store import PostgresStore
from intake_assistant.tui.app import IntakeApp
from intake_assistant.tui.screens.export import ExportScreen

from .helpers import advisor_token, initialised, store_url

EXAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "examples" / \
    "eligible-office-chair.json"


def _team(pg_dsn: str, tmp_path: Path) -> tuple[str, dict[str, str]]:
    initialised(pg_dsn)
    tokens = {name: advisor_token(pg_dsn, "Versnellingshuis", name) for name in ("Anna", "Bram")}
    tokens["Otto"] = advisor_token(pg_dsn, "ROM Noord", "Otto")
    return store_url(pg_dsn), tokens


def _imported_by(pg_dsn: str, token: str, tmp_path: Path) -> str:
    intake = OpenIntake(Channel(PostgresStore(pg_dsn, token, tmp_path / "importer")),
                        Settings(mode="advisor"))
    intake.import_draft(DraftSource.file(EXAMPLE), "en")
    assert intake.intake_id is not None
    return intake.intake_id


def _owner_of(pg_dsn: str, intake_id: str) -> str | None:
    with psycopg.connect(pg_dsn) as conn:  # the schema's owner: no policies
        row = conn.execute("SELECT a.name FROM intake_store.intakes i LEFT JOIN "
                           "intake_store.advisors a ON a.id = i.advisor_id WHERE i.id = %s",
                           (intake_id,)).fetchone()
    return row[0] if row else None


def test_reassign_hands_an_intake_to_a_colleague_and_logs_it(pg_dsn, tmp_path, capsys,
                                                            monkeypatch) -> None:
    url, tokens = _team(pg_dsn, tmp_path)
    intake_id = _imported_by(pg_dsn, tokens["Anna"], tmp_path)
    assert _owner_of(pg_dsn, intake_id) == "Anna"  # who made it has it
    monkeypatch.setenv(TOKEN_VARIABLE, tokens["Anna"])
    assert main(["store", "reassign", intake_id, "--to-advisor", "Bram", "--store", url,
                 "--lang", "en"]) == 0
    assert f"Intake {intake_id} belongs to Bram now (was: Anna)." in capsys.readouterr().out
    assert _owner_of(pg_dsn, intake_id) == "Bram"
    bram = PostgresStore(pg_dsn, tokens["Bram"], tmp_path / "bram")
    line = bram.access_log(intake_id)[-1]
    assert (line["action"], line["advisor"], line["detail"]) == (
        "reassign", "Anna", {"from": "Anna", "to": "Bram"})
    assert bram.belongs_to(intake_id) == "Bram"


@pytest.mark.parametrize(("who", "args", "said"), [
    ("Anna", ["--to-advisor", "Otto"], "team Versnellingshuis has no advisor named Otto"),
    ("Anna", ["--to-advisor", "Nobody"], "team Versnellingshuis has no advisor named Nobody"),
    ("Otto", ["--to-advisor", "Anna"], "team ROM Noord has no intake"),
])
def test_reassign_refuses_another_team_and_unknown_names(pg_dsn, tmp_path, capsys,
                                                         monkeypatch, who, args, said) -> None:
    url, tokens = _team(pg_dsn, tmp_path)
    intake_id = _imported_by(pg_dsn, tokens["Anna"], tmp_path)
    monkeypatch.setenv(TOKEN_VARIABLE, tokens[who])
    assert main(["store", "reassign", intake_id, *args, "--store", url, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and said in err
    assert _owner_of(pg_dsn, intake_id) == "Anna"


def test_reassign_refuses_a_revoked_colleague(pg_dsn, tmp_path, capsys, monkeypatch) -> None:
    url, tokens = _team(pg_dsn, tmp_path)
    intake_id = _imported_by(pg_dsn, tokens["Anna"], tmp_path)
    with psycopg.connect(pg_dsn) as conn:
        conn.execute("UPDATE intake_store.advisors SET revoked_at = now() WHERE name = 'Bram'")
    monkeypatch.setenv(TOKEN_VARIABLE, tokens["Anna"])
    assert main(["store", "reassign", intake_id, "--to-advisor", "Bram", "--store", url,
                 "--lang", "en"]) == 2
    assert "has no advisor named Bram" in capsys.readouterr().err


def test_the_database_keeps_an_intake_within_its_team(pg_dsn, tmp_path) -> None:
    _url, tokens = _team(pg_dsn, tmp_path)
    intake_id = _imported_by(pg_dsn, tokens["Anna"], tmp_path)
    with psycopg.connect(pg_dsn) as conn, pytest.raises(psycopg.errors.ForeignKeyViolation):
        conn.execute("UPDATE intake_store.intakes SET advisor_id = (SELECT id FROM "
                     "intake_store.advisors WHERE name = 'Otto') WHERE id = %s", (intake_id,))


def test_delete_removes_one_intake_and_logs_it(pg_dsn, tmp_path, capsys, monkeypatch) -> None:
    url, tokens = _team(pg_dsn, tmp_path)
    intake_id = _imported_by(pg_dsn, tokens["Anna"], tmp_path)
    monkeypatch.setenv(TOKEN_VARIABLE, tokens["Otto"])  # another team's advisor: not theirs
    assert main(["store", "delete", intake_id, "--store", url, "--lang", "en"]) == 2
    assert "team ROM Noord has no intake" in capsys.readouterr().err
    monkeypatch.setenv(TOKEN_VARIABLE, tokens["Bram"])
    assert main(["store", "delete", intake_id, "--store", url, "--lang", "en"]) == 0
    assert f"Intake {intake_id} deleted" in capsys.readouterr().out
    bram = PostgresStore(pg_dsn, tokens["Bram"], tmp_path / "bram")
    assert bram.list_headers().intakes == []
    line = bram.access_log(intake_id)[-1]
    assert (line["action"], line["advisor"]) == ("delete", "Bram")


def test_opens_and_exports_are_logged(pg_dsn, tmp_path) -> None:
    _url, tokens = _team(pg_dsn, tmp_path)
    intake_id = _imported_by(pg_dsn, tokens["Anna"], tmp_path)
    bram = OpenIntake(Channel(PostgresStore(pg_dsn, tokens["Bram"], tmp_path / "bram")),
                      Settings(mode="advisor"))
    bram.resume(intake_id, "en")
    bram.export("json", "en")  # what a served tab's download makes
    lines = [(line["action"], line["advisor"], line["detail"])
             for line in bram.storage.access_log(intake_id)]
    assert ("open", "Bram", {}) in lines
    assert lines[-1] == ("export", "Bram", {"kind": "json"})


def _annas_terminal(pg_dsn: str, tmp_path: Path) -> tuple[PostgresStore, IntakeApp]:
    _url, tokens = _team(pg_dsn, tmp_path)
    store = PostgresStore(pg_dsn, tokens["Anna"], tmp_path / "anna")
    return store, IntakeApp(store, Settings(mode="advisor", language="en"), "en",
                            export_dir=tmp_path / "exports")


async def test_an_export_from_the_terminal_is_logged(pg_dsn, tmp_path) -> None:
    store, app = _annas_terminal(pg_dsn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.show_new(app.intake.import_draft(DraftSource.file(EXAMPLE), "en"))
        await pilot.pause()
        app.action_export()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        screen.query_one("#json-path", Input).value = str(tmp_path / "out" / "chair.json")
        screen.query_one("#md-path", Input).value = str(tmp_path / "out" / "chair.md")
        await pilot.click("#do-export")
        intake_id = app.intake_id
        deadline = time.monotonic() + 30
        while not any(line["action"] == "export" for line in store.access_log(intake_id)):
            assert time.monotonic() < deadline, store.access_log(intake_id)
            await asyncio.sleep(0.05)
    line = store.access_log(intake_id)[-1]
    assert (line["action"], line["advisor"], line["detail"]) == (
        "export", "Anna", {"kinds": ["json", "md", "provenance"], "files": 3})
    assert (tmp_path / "out" / "chair.json").is_file()


async def test_an_import_in_the_terminal_is_logged_with_its_first_save(pg_dsn, tmp_path) -> None:
    store, app = _annas_terminal(pg_dsn, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")  # the import dialog, as a user opens it
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(EXAMPLE)
        await pilot.press("enter")
        assert await wait_until(lambda: app.intake_id is not None
                                and store.list_headers().intakes, timeout=30)
        intake_id = app.intake_id
    lines = [(line["action"], line["advisor"], line["detail"])
             for line in store.access_log(intake_id)]
    assert lines == [("import", "Anna", {"from": "file", "left_out": 0})]


def test_a_merge_with_a_colleagues_save_is_not_another_open(pg_dsn, tmp_path) -> None:
    _url, tokens = _team(pg_dsn, tmp_path)
    intake_id = _imported_by(pg_dsn, tokens["Anna"], tmp_path)
    anna, bram = (OpenIntake(Channel(PostgresStore(pg_dsn, tokens[name], tmp_path / name)),
                             Settings(mode="advisor")) for name in ("Anna", "Bram"))
    anna.resume(intake_id, "en")
    bram.resume(intake_id, "en")
    anna.go_to("project_title")
    assert anna.answer("Circulaire stoel (Anna)").done
    bram.go_to("project_public_summary")
    assert bram.answer("Vier bedrijven maken samen een stoel (Bram).").done
    stored = bram.storage.load(intake_id).state["answers"]  # merged: both are kept
    assert (stored["project_title"], stored["project_public_summary"]) == (
        "Circulaire stoel (Anna)", "Vier bedrijven maken samen een stoel (Bram).")
    bram.close()
    bram.resume(intake_id, "en")  # opened again after closing: a line again
    opens = [line["advisor"] for line in bram.storage.access_log(intake_id)
             if line["action"] == "open"]
    assert opens == ["Anna", "Bram", "Bram"]

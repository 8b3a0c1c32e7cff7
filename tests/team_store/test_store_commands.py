"""The team store's commands: ``store init``, ``store add-advisor`` and ``list --store``, with the
advisor's token from the environment only; every refusal one line, exit 2."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import psycopg
import pytest

from intake_assistant.cli import main
from intake_assistant.storage import IntakeMeta
from intake_assistant.stores import postgres_schema
from intake_assistant.stores.advisor_tokens import TOKEN_VARIABLE
from intake_assistant.stores.postgres_store import PostgresStore

from .helpers import store_url


def _added_token(url: str, capsys: pytest.CaptureFixture[str], team: str, name: str) -> str:
    assert main(["store", "add-advisor", "--store", url, "--team", team, "--name", name]) == 0
    lines = capsys.readouterr().out.splitlines()
    tokens = [line for line in lines if line.startswith("iat_")]
    assert len(tokens) == 1
    return tokens[0]


def test_init_sets_up_the_store_and_again_changes_nothing(pg_dsn: str, capsys) -> None:
    url = store_url(pg_dsn)
    assert main(["store", "init", "--store", url, "--lang", "en"]) == 0
    latest = postgres_schema.latest_version()
    assert f"is set up (schema version {latest})" in capsys.readouterr().out
    assert main(["store", "init", "--store", url, "--lang", "en"]) == 0
    assert f"is up to date (schema version {latest})" in capsys.readouterr().out


def test_add_advisor_prints_the_token_once_and_keeps_only_its_hash(pg_dsn: str, capsys,
                                                                   monkeypatch) -> None:
    url = store_url(pg_dsn)
    monkeypatch.setenv("INTAKE_ASSISTANT_STORE", url)  # the store from the environment
    assert main(["store", "init"]) == 0
    capsys.readouterr()
    token = _added_token(url, capsys, "Versnellingshuis", "Anna")
    with psycopg.connect(pg_dsn) as conn:
        stored = conn.execute("SELECT name, token_hash FROM intake_store.advisors").fetchall()
        everything = conn.execute("SELECT string_agg(a::text, ' ') FROM intake_store.advisors a"
                                  ).fetchone()[0]
    assert stored == [("Anna", hashlib.sha256(token.encode()).digest())]
    assert token not in everything
    assert main(["store", "add-advisor", "--team", "Versnellingshuis", "--name", "Anna",
                 "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already has an advisor named Anna" in err


@pytest.mark.parametrize(("language", "wrong", "missing"), [
    ("en", "the advisor token is not valid for this store",
     "no advisor token: set INTAKE_ASSISTANT_ADVISOR_TOKEN"),
    ("nl", "het adviseurstoken is niet geldig voor deze opslag",
     "geen adviseurstoken: zet INTAKE_ASSISTANT_ADVISOR_TOKEN"),
])
def test_a_wrong_or_missing_token_is_one_line_and_exit_2(pg_dsn: str, capsys, monkeypatch,
                                                         language: str, wrong: str,
                                                         missing: str) -> None:
    url = store_url(pg_dsn)
    assert main(["store", "init", "--store", url]) == 0
    _added_token(url, capsys, "T", "Anna")
    for token in ("iat_" + "A" * 43, "iat_wrong", "not a token at all"):  # mistyped too
        monkeypatch.setenv(TOKEN_VARIABLE, token)
        assert main(["list", "--store", url, "--lang", language]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.count("\n") == 1 and wrong in captured.err
    monkeypatch.delenv(TOKEN_VARIABLE)
    assert main(["list", "--store", url, "--lang", language]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and missing in captured.err


def test_list_shows_the_own_teams_intakes_only(pg_dsn: str, capsys, monkeypatch) -> None:
    url = store_url(pg_dsn)
    assert main(["store", "init", "--store", url]) == 0
    anna = _added_token(url, capsys, "Versnellingshuis", "Anna")
    carla = _added_token(url, capsys, "ROM Noord", "Carla")
    PostgresStore(pg_dsn, anna).save("20261207-140200-aaaaaa", {}, IntakeMeta(
        title="Kantoorstoel \x1b[2J", participants=("Ergozit B.V.",), verdict="eligible",
        updated="2026-12-07T14:02:00+01:00", language="nl"))
    monkeypatch.setenv(TOKEN_VARIABLE, anna)
    assert main(["list", "--store", url, "--format", "json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["id"], r["title"], r["verdict"], r["file"]) for r in records] == [
        ("20261207-140200-aaaaaa", "Kantoorstoel \x1b[2J", "eligible", None)]
    assert main(["list", "--store", url, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Kantoorstoel \\x1b[2J (id 20261207-140200-aaaaaa)" in out
    assert "1 of 1 saved intake in Versnellingshuis (Anna)" in out
    monkeypatch.setenv(TOKEN_VARIABLE, carla)
    assert main(["list", "--store", url, "--lang", "en"]) == 0
    assert capsys.readouterr().out == "No saved intakes in ROM Noord (Carla)\n"


@pytest.mark.parametrize(("language", "said"), [
    ("en", "  advisor: Anna; last saved by: Bram\n"),
    ("nl", "  adviseur: Anna; laatst opgeslagen door: Bram\n"),
])
def test_list_names_whose_intake_it_is_and_who_saved_it_last(pg_dsn: str, tmp_path, capsys,
                                                            monkeypatch, language: str,
                                                            said: str) -> None:
    url = store_url(pg_dsn)
    assert main(["store", "init", "--store", url]) == 0
    anna = _added_token(url, capsys, "Versnellingshuis", "Anna")
    bram = _added_token(url, capsys, "Versnellingshuis", "Bram")
    meta = IntakeMeta(title="Kantoorstoel", participants=("Ergozit B.V.",), verdict="eligible",
                      updated="2026-12-07T14:02:00+01:00", language="nl")
    PostgresStore(pg_dsn, anna, tmp_path / "anna").save("20261207-140200-aaaaaa", {}, meta)
    brams = PostgresStore(pg_dsn, bram, tmp_path / "bram")
    brams.load("20261207-140200-aaaaaa")
    brams.save("20261207-140200-aaaaaa", {}, meta)
    monkeypatch.setenv(TOKEN_VARIABLE, anna)
    assert main(["list", "--store", url, "--lang", language]) == 0
    assert said in capsys.readouterr().out
    assert main(["list", "--store", url, "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["advisor"], record["changed_by"]) == ("Anna", "Bram")


def test_an_unreachable_store_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv(TOKEN_VARIABLE, "iat_" + "A" * 43)
    url = f"postgresql://nobody@/nothing?host={tmp_path}"
    assert main(["list", "--store", url, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("intake-assistant: the store cannot be reached")
    assert main(["store", "init", "--store", url, "--lang", "en"]) == 2
    assert capsys.readouterr().err.startswith("intake-assistant: the store cannot be reached")
    monkeypatch.delenv("INTAKE_ASSISTANT_STORE", raising=False)
    assert main(["store", "init", "--lang", "en"]) == 2
    assert "no store named" in capsys.readouterr().err


def test_copy_brings_a_data_folders_intakes_once(pg_dsn: str, tmp_path, capsys,
                                                 monkeypatch) -> None:
    from intake_assistant.storage import Storage

    folder = tmp_path / "solo"
    solo = Storage(folder)
    state = {"answers": {"project_title": "Stoelen"},
             "provenance": {"project_title": {"by": "advisor", "at": "2026-12-01T10:00:00+01:00"}}}
    solo.save("20261201-100000-aaaaaa", state, IntakeMeta(title="Stoelen"))
    solo.keep_state("20261201-100000-aaaaaa")
    solo.save("20261201-100000-aaaaaa", {**state, "n": 2}, IntakeMeta(title="Stoelen"))
    solo.save("20261202-100000-bbbbbb", {"answers": {}}, IntakeMeta(title="Matrassen"))
    damaged = folder / "intakes" / "20261203-100000-cccccc.json"
    damaged.write_text("{not json", encoding="utf-8")
    url = store_url(pg_dsn)
    assert main(["store", "init", "--store", url]) == 0
    monkeypatch.setenv(TOKEN_VARIABLE, _added_token(url, capsys, "Team", "Anna"))
    other = _added_token(url, capsys, "Other team", "Otto")

    assert main(["store", "copy", "--from", str(folder), "--store", url, "--lang", "en"]) == 2
    captured = capsys.readouterr()
    assert "2 intakes copied from" in captured.out and "0 were there already" in captured.out
    assert "20261203-100000-cccccc.json" in captured.err
    assert damaged.read_text(encoding="utf-8") == "{not json"  # named, left as it was
    assert main(["store", "copy", "--from", str(folder), "--store", url, "--lang", "en"]) == 2
    assert "0 intakes copied" in capsys.readouterr().out

    import os
    store = PostgresStore(pg_dsn, os.environ[TOKEN_VARIABLE])
    copied = store.load("20261201-100000-aaaaaa")
    assert (copied.revision, copied.state) == (2, {**state, "n": 2})
    assert [(s.revision, s.state) for s in store.earlier_states(copied.id)] == [(1, state)]
    assert sorted(h.id for h in store.list_headers().intakes) == [
        "20261201-100000-aaaaaa", "20261202-100000-bbbbbb"]
    assert [line["action"] for line in store.access_log()] == ["copy", "copy", "open"]
    assert PostgresStore(pg_dsn, other).list_headers().intakes == []


def test_a_store_named_before_the_command_is_the_commands_store(pg_dsn: str, tmp_path, capsys,
                                                                monkeypatch) -> None:
    monkeypatch.delenv("INTAKE_ASSISTANT_STORE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # this machine's data folder: not the real one
    url = store_url(pg_dsn)
    assert main(["--store", url, "store", "init", "--lang", "en"]) == 0
    anna = _added_token(url, capsys, "Versnellingshuis", "Anna")
    monkeypatch.setenv(TOKEN_VARIABLE, anna)
    draft = str(Path(__file__).resolve().parents[2].parent / "shared" / "examples"
                / "eligible-office-chair.json")
    assert main(["--store", url, "--data-dir", str(tmp_path / "machine"), "import", draft,
                 "--lang", "en"]) == 0
    capsys.readouterr()
    assert main(["--store", url, "list", "--lang", "en"]) == 0
    assert "1 of 1 saved intake in Versnellingshuis (Anna)" in capsys.readouterr().out
    assert not (tmp_path / "machine" / "intakes").exists()  # nothing went to the folder


def test_a_named_folder_beats_the_environments_store_for_import_and_list_alike(
        pg_dsn: str, tmp_path, capsys, monkeypatch) -> None:
    """One rule for import and list: a --data-dir given is the folder, also where
    INTAKE_ASSISTANT_STORE names a team store (list took the store)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    url = store_url(pg_dsn)
    assert main(["store", "init", "--store", url, "--lang", "en"]) == 0
    monkeypatch.setenv(TOKEN_VARIABLE, _added_token(url, capsys, "Versnellingshuis", "Anna"))
    monkeypatch.setenv("INTAKE_ASSISTANT_STORE", url)
    draft = str(Path(__file__).resolve().parents[2].parent / "shared" / "examples"
                / "eligible-office-chair.json")
    folder = tmp_path / "folder"
    assert main(["import", draft, "--data-dir", str(folder), "--lang", "en"]) == 0
    capsys.readouterr()
    assert main(["list", "--data-dir", str(folder), "--format", "json"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(listed) == 1 and listed[0]["file"] is not None  # the folder's save
    assert main(["list", "--format", "json"]) == 0  # the environment's store: nothing in it
    assert capsys.readouterr().out.strip() == ""

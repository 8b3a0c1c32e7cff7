"""Revoking an advisor (``store revoke-advisor``, as the schema's owner) and listing a team's
advisors (``store list-advisors``): by name within a team or by id, never a token or its hash
shown; a revoked name can be given a new token; the access log keeps a line; a store that is
open when its advisor is revoked is refused at its next call, with one clear line."""

from __future__ import annotations

import json
import secrets

import psycopg
import pytest
from psycopg import sql

from intake_assistant.cli import main
from intake_assistant.i18n import translator
from intake_assistant.storage import IntakeMeta
from intake_assistant.stores.advisor_tokens import TOKEN_VARIABLE, token_hash
from intake_assistant.stores.postgres_store import PostgresStore
from intake_assistant.stores.store_protocol import AdvisorRevokedError

from .helpers import advisor_token, initialised, store_url

TEAM = "Versnellingshuis"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["store", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_advisors_names_them_with_their_times_and_never_a_token(pg_dsn, tmp_path,
                                                                     capsys) -> None:
    initialised(pg_dsn)
    url = store_url(pg_dsn)
    tokens = {name: advisor_token(pg_dsn, TEAM, name) for name in ("Anna", "Bram")}
    otto = advisor_token(pg_dsn, "ROM Noord", "Otto")
    PostgresStore(pg_dsn, tokens["Anna"], tmp_path / "anna").list_headers()  # Anna works
    code, out, err = _run(capsys, "list-advisors", "--team", TEAM, "--store", url,
                          "--lang", "en")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 2 and "Otto" not in out
    assert "Versnellingshuis / Anna" in lines[0] and "last seen" in lines[0]
    assert "Versnellingshuis / Bram" in lines[1] and "never seen" in lines[1]
    assert all("active" in line for line in lines)
    code, out, _err = _run(capsys, "list-advisors", "--format", "json", "--store", url)
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["team"], r["name"]) for r in records] == [("ROM Noord", "Otto"), (TEAM, "Anna"),
                                                          (TEAM, "Bram")]
    assert records[1]["last_seen"] and records[2]["last_seen"] is None
    assert all(r["revoked"] is None and r["created"] for r in records)
    for token in [*tokens.values(), otto]:
        assert token not in out and token_hash(token).hex() not in out
    code, _out, err = _run(capsys, "list-advisors", "--team", "Nobody", "--store", url,
                           "--lang", "nl")
    assert code == 2 and err.count("\n") == 1 and "Nobody" in err


def test_revoke_by_name_logs_it_and_the_name_can_get_a_new_token(pg_dsn, tmp_path,
                                                                 capsys) -> None:
    initialised(pg_dsn)
    url = store_url(pg_dsn)
    anna = advisor_token(pg_dsn, TEAM, "Anna")
    bram = advisor_token(pg_dsn, TEAM, "Bram")
    code, out, _err = _run(capsys, "revoke-advisor", "--team", TEAM, "--name", "Anna",
                           "--store", url, "--lang", "en")
    assert code == 0 and "Advisor Anna (id 1) of team Versnellingshuis is revoked" in out
    with pytest.raises(Exception, match="not valid"):
        PostgresStore(pg_dsn, anna, tmp_path / "anna")
    log = PostgresStore(pg_dsn, bram, tmp_path / "bram").access_log()
    assert [(line["action"], line["advisor"], line["detail"]) for line in log] == [
        ("revoke", None, {"advisor": "Anna", "advisor_id": 1})]
    # by name there is no Anna left to revoke; by id she was revoked already
    code, _out, err = _run(capsys, "revoke-advisor", "--team", TEAM, "--name", "Anna",
                           "--store", url, "--lang", "en")
    assert code == 2 and err.count("\n") == 1 and "has no advisor named Anna" in err
    code, out, _err = _run(capsys, "revoke-advisor", "--id", "1", "--store", url, "--lang", "nl")
    assert code == 0 and "al ingetrokken" in out
    # Anna gets a new token under her name: two Annas, told apart by id, one of them revoked
    new_anna = advisor_token(pg_dsn, TEAM, "Anna")
    assert PostgresStore(pg_dsn, new_anna, tmp_path / "anna").advisor.name == "Anna"
    code, out, _err = _run(capsys, "list-advisors", "--team", TEAM, "--format", "json",
                           "--store", url)
    annas = [json.loads(line) for line in out.splitlines() if '"Anna"' in line]
    assert [(a["id"], a["revoked"] is not None) for a in annas] == [(1, True), (3, False)]
    code, _out, err = _run(capsys, "add-advisor", "--team", TEAM, "--name", "Anna",
                           "--store", url, "--lang", "en")
    assert code == 2 and "already has an advisor named Anna" in err  # one active Anna only
    # an id of another team, or none at all: one line each
    advisor_token(pg_dsn, "ROM Noord", "Otto")
    code, _out, err = _run(capsys, "revoke-advisor", "--team", TEAM, "--id", "4",
                           "--store", url, "--lang", "en")
    assert code == 2 and "team Versnellingshuis has no advisor with id 4" in err
    code, _out, err = _run(capsys, "revoke-advisor", "--team", TEAM, "--store", url,
                           "--lang", "en")
    assert code == 2 and err.count("\n") == 1 and "--id" in err


@pytest.mark.parametrize(("language", "said"), [
    ("en", "the advisor token of Anna was revoked"),
    ("nl", "het adviseurstoken van Anna is ingetrokken"),
])
def test_an_open_store_is_refused_at_its_next_call_once_revoked(pg_dsn, tmp_path, capsys,
                                                               monkeypatch, language: str,
                                                               said: str) -> None:
    initialised(pg_dsn)
    anna_token = advisor_token(pg_dsn, TEAM, "Anna")
    anna = PostgresStore(pg_dsn, anna_token, tmp_path / "anna")
    anna.save("k1", {"answers": {}}, IntakeMeta(title="Stoel"))
    assert _run(capsys, "revoke-advisor", "--team", TEAM, "--name", "Anna", "--store",
                store_url(pg_dsn))[0] == 0
    with pytest.raises(AdvisorRevokedError) as refused:
        anna.list_headers()
    assert said in translator(language).render(refused.value.problem)
    with pytest.raises(AdvisorRevokedError):  # a save too, and it writes nothing
        anna.save("k1", {"answers": {"project_title": "weg"}}, IntakeMeta(title="Weg"))
    with psycopg.connect(pg_dsn) as owner:
        assert owner.execute("SELECT meta ->> 'title' FROM intake_store.intakes").fetchone() \
            == ("Stoel",)
    # the command line: one line, exit 2
    monkeypatch.setenv(TOKEN_VARIABLE, anna_token)
    assert main(["list", "--store", store_url(pg_dsn), "--lang", language]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_an_owner_who_is_no_superuser_revokes_and_logs_it(pg_dsn, pg_server, tmp_path,
                                                        capsys) -> None:
    """The access log's policies hold for its owner too: the revoke line needs a policy of its
    own (a superuser, as the tests' usual user, would pass without one)."""
    owner = f"ia_owner_{secrets.token_hex(4)}"
    dbname = psycopg.conninfo.conninfo_to_dict(pg_dsn)["dbname"]
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(owner)))
        admin.execute(sql.SQL("GRANT CREATE ON DATABASE {} TO {}").format(
            sql.Identifier(dbname), sql.Identifier(owner)))
        admin.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
                      "'intake_assistant_app') THEN CREATE ROLE intake_assistant_app NOLOGIN; "
                      "END IF; END $$")
    owner_dsn = psycopg.conninfo.make_conninfo(pg_dsn, user=owner)
    try:
        initialised(owner_dsn)
        anna = advisor_token(owner_dsn, TEAM, "Anna")
        bram = advisor_token(owner_dsn, TEAM, "Bram")
        code, _out, err = _run(capsys, "revoke-advisor", "--team", TEAM, "--name", "Anna",
                               "--store", store_url(owner_dsn), "--lang", "en")
        assert (code, err) == (0, "")
        log = PostgresStore(pg_dsn, bram, tmp_path / "bram").access_log()
        assert [line["action"] for line in log] == ["revoke"]
        with pytest.raises(Exception, match="not valid"):
            PostgresStore(pg_dsn, anna, tmp_path / "anna")
        # the owner's policy lets it add a revoke line and nothing else
        with psycopg.connect(owner_dsn) as conn, pytest.raises(
                psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO intake_store.access_log (team_id, advisor_id, action) "
                         "VALUES (1, NULL, 'delete')")
    finally:
        with psycopg.connect(pg_server.admin_dsn, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(
                sql.Identifier(dbname)))
            admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(owner)))


@pytest.mark.parametrize(("language", "said"), [
    ("en", "the store's tables are of an older version (schema 4): its administrator runs "
           "'intake-assistant store init' to upgrade them"),
    ("nl", "de tabellen van de opslag zijn van een oudere versie (schema 4)"),
])
@pytest.mark.parametrize("action", [
    ("list-advisors", "--team", TEAM),
    ("revoke-advisor", "--team", TEAM, "--name", "Anna"),
])
def test_advisors_on_a_store_of_an_older_schema_are_one_line_naming_store_init(
        pg_dsn, capsys, action: tuple[str, ...], language: str, said: str) -> None:
    """Listing or revoking needs the newest tables (when an advisor was last seen): a store
    of an older schema says so and what to do, never a database error or a traceback."""
    from intake_assistant.stores import postgres_schema

    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        postgres_schema.upgrade(conn, up_to=4)
    advisor_token(pg_dsn, TEAM, "Anna")
    code, out, err = _run(capsys, *action, "--store", store_url(pg_dsn), "--lang", language)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and said in err and "Traceback" not in err
    with psycopg.connect(pg_dsn, autocommit=True) as conn:  # nothing changed
        assert postgres_schema.installed_version(conn) == 4
        assert conn.execute("SELECT revoked_at FROM intake_store.advisors").fetchall() == [
            (None,)]


def test_advisors_on_a_store_without_tables_name_store_init(pg_dsn, capsys) -> None:
    for action in (("list-advisors",), ("revoke-advisor", "--team", TEAM, "--name", "Anna")):
        code, out, err = _run(capsys, *action, "--store", store_url(pg_dsn), "--lang", "en")
        assert (code, out) == (2, "")
        assert "the store has no intake tables yet: run 'intake-assistant store init' first" \
            in err and err.count("\n") == 1

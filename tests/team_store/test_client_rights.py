"""The client's rights (AVG/GDPR) in the team store: a retention period and a purge (delete or
anonymise), everything held on one client exported as files, one client erased with a log line
that holds no personal data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest

from intake_assistant.cli import main
from intake_assistant.flow.session import IntakeSession
from intake_assistant.models import DraftApplication
from intake_assistant.storage import IntakeMeta, Storage
from intake_assistant.stores.advisor_tokens import TOKEN_VARIABLE
from intake_assistant.stores.postgres_store import PostgresStore

from .helpers import advisor_token, initialised, store_url

EXAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "examples" / \
    "eligible-office-chair.json"
CLIENT = "11111111"  # the example's first participant


def _state(**changes: str) -> dict[str, Any]:
    draft = DraftApplication.model_validate(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    state = IntakeSession.from_draft(draft, "nl").to_state_dict()
    state["answers"].update(changes)
    return state


@pytest.fixture
def team(pg_dsn: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, PostgresStore, PostgresStore]:
    """Anna's team holds the client in two intakes (one only in a kept state) and another
    client's; another team holds the client too."""
    initialised(pg_dsn)
    token = advisor_token(pg_dsn, "Versnellingshuis", "Anna")
    monkeypatch.setenv(TOKEN_VARIABLE, token)
    monkeypatch.setenv("INTAKE_ASSISTANT_STORE", store_url(pg_dsn))
    anna = PostgresStore(pg_dsn, token)
    meta = IntakeMeta(title="Circulaire kantoorstoel", participants=("Kringloop Kunststof B.V.",),
                      verdict="eligible", language="nl")
    anna.save("client-now", _state(), meta)
    anna.keep_state("client-now")
    anna.save("client-before", _state(), meta)
    anna.keep_state("client-before")
    anna.save("client-before", _state(**{"participant_kvk[0]": "55555555"}), meta)
    anna.save("other-client", _state(**{"participant_kvk[0]": "99999999"}), meta)
    other = PostgresStore(pg_dsn, advisor_token(pg_dsn, "ROM Noord", "Otto"))
    other.save("their-intake", _state(), meta)
    return pg_dsn, anna, other


def test_export_client_writes_drafts_provenance_saves_and_log_lines(team, tmp_path,
                                                                    capsys) -> None:
    _dsn, anna, _other = team
    anna.forget("client-now")  # written by this store: read again after closing it,
    anna.load("client-now")  # it is an open, in the log
    out = tmp_path / "export"
    assert main(["store", "export-client", CLIENT, "-o", str(out), "--lang", "en"]) == 0
    assert "2 intakes naming KvK number 11111111" in capsys.readouterr().out
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert names == sorted([
        "access-log.jsonl", "client-before.json", "client-before.provenance.json",
        "client-now.json", "client-now.provenance.json", "intakes/client-before.json",
        "intakes/client-now.json", "intakes/.history/client-before/00000001.json",
        "intakes/.history/client-now/00000001.json"])
    draft = json.loads((out / "client-now.json").read_text(encoding="utf-8"))
    assert draft["participants"][0]["kvk_number"] == CLIENT
    provenance = json.loads((out / "client-now.provenance.json").read_text(encoding="utf-8"))
    assert provenance  # who gave each answer and when
    log = [json.loads(line) for line in (out / "access-log.jsonl").read_text().splitlines()]
    assert ("open", "client-now", "Anna") in [(x["action"], x["intake"], x["advisor"])
                                              for x in log]
    assert {x["intake"] for x in log} <= {"client-now", "client-before"}
    # the export is a data folder the intake opens
    listing = Storage(out).list_headers(set_aside=False)
    assert sorted(h.id for h in listing.intakes) == ["client-before", "client-now"]
    # never over an earlier export
    assert main(["store", "export-client", CLIENT, "-o", str(out), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "exists already; nothing was written" in err


def test_erase_client_leaves_a_log_line_without_personal_data(team, capsys) -> None:
    dsn, anna, other = team
    assert main(["store", "erase-client", CLIENT, "--lang", "en"]) == 0
    assert "2 intakes naming KvK number 11111111 erased" in capsys.readouterr().out
    assert [h.id for h in anna.list_headers().intakes] == ["other-client"]
    assert [h.id for h in other.list_headers().intakes] == ["their-intake"]  # not this team's
    erased = [x for x in anna.access_log() if x["action"] == "erase"]
    assert sorted(x["intake"] for x in erased) == ["client-before", "client-now"]
    with psycopg.connect(dsn) as conn:  # as the owner: every row of every table
        left = conn.execute(
            "SELECT string_agg(t::text, ' ') FROM (SELECT * FROM intake_store.access_log) t "
            "UNION ALL SELECT string_agg(k::text, ' ') FROM intake_store.kept_states k "
            "WHERE k.team_id = (SELECT team_id FROM intake_store.intakes "
            "WHERE id = 'other-client')").fetchall()
    assert all(CLIENT not in (text or "") and "Kringloop" not in (text or "")
               for (text,) in left)
    assert main(["store", "erase-client", "1234", "--lang", "en"]) == 2
    assert "1234 is not a KvK number" in capsys.readouterr().err


def _age(dsn: str, intake_id: str, days: int) -> None:
    with psycopg.connect(dsn) as conn:
        conn.execute("UPDATE intake_store.intakes SET updated_at = now() - make_interval("
                     "days => %s) WHERE id = %s", (days, intake_id))


def test_purge_anonymises_or_deletes_what_outlived_the_retention(team, capsys) -> None:
    dsn, anna, _other = team
    assert main(["store", "purge", "--lang", "en"]) == 2
    assert "has no retention period" in capsys.readouterr().err
    assert main(["store", "set-retention", "--team", "Versnellingshuis", "--days", "30",
                 "--lang", "en"]) == 0
    assert "keeps intakes 30 days" in capsys.readouterr().out
    _age(dsn, "client-now", 40)
    assert main(["store", "purge", "--anonymise", "--lang", "en"]) == 0
    assert "1 intake not changed in 30 days anonymised" in capsys.readouterr().out
    kept = anna.load("client-now")
    assert kept.meta.title == "" and kept.meta.participants == ()
    assert kept.meta.verdict == "eligible"  # verdict and round kept
    assert kept.state["ruleset"] == "sce-2020" and kept.state["answers"] == {}
    assert anna.earlier_states("client-now") == []
    assert IntakeSession.from_state_dict(kept.state).to_state_dict()["answers"] == {}  # opens
    assert main(["store", "purge", "--anonymise", "--lang", "en"]) == 0
    assert "0 intakes" in capsys.readouterr().out
    _age(dsn, "other-client", 31)
    assert main(["store", "purge", "--lang", "en"]) == 0
    # an anonymised intake holds nothing personal: it stays for the team's figures
    assert "1 intake not changed in 30 days deleted" in capsys.readouterr().out
    assert sorted(h.id for h in anna.list_headers().intakes) == ["client-before", "client-now"]
    purged = [(x["intake"], x["detail"]["how"]) for x in anna.access_log()
              if x["action"] == "purge"]
    assert purged == [("client-now", "anonymise"), ("other-client", "delete")]


def test_a_retention_of_one_day_reads_in_the_singular(team, capsys) -> None:
    for language, words in (("en", "keeps intakes 1 day after"), ("nl", "bewaart intakes 1 dag na")):
        assert main(["store", "set-retention", "--team", "Versnellingshuis", "--days", "1",
                     "--lang", language]) == 0
        assert words in capsys.readouterr().out
    assert main(["store", "set-retention", "--team", "Versnellingshuis", "--days", "2",
                 "--lang", "nl"]) == 0
    assert "bewaart intakes 2 dagen na" in capsys.readouterr().out

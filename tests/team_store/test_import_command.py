"""``intake-assistant import``: drafts become saved intakes headless, in the data folder or the
team store, through the terminal's one checked import path (its limits included)."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake_assistant.cli import main
from intake_assistant.storage import Storage
from intake_assistant.stores.advisor_tokens import TOKEN_VARIABLE
from intake_assistant.stores.postgres_store import PostgresStore

from .helpers import advisor_token, initialised, store_url

EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "examples"
GOOD = [EXAMPLES / "eligible-office-chair.json", EXAMPLES / "cost-share-over-70.json"]


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "deep.json"
    path.write_text("[" * 200 + "]" * 200, encoding="utf-8")
    return path


def test_import_into_the_data_folder_keeps_going_past_a_bad_draft(tmp_path, hostile,
                                                                  capsys, monkeypatch) -> None:
    monkeypatch.delenv("INTAKE_ASSISTANT_STORE", raising=False)
    data = tmp_path / "data"
    assert main(["import", str(GOOD[0]), str(hostile), str(GOOD[1]), "--data-dir", str(data),
                 "--lang", "en"]) == 2
    captured = capsys.readouterr()
    assert captured.out.count("imported as intake") == 2
    assert captured.err.count("\n") == 1 and "deep.json" in captured.err
    assert "nested" in captured.err  # the loader's limit, named
    titles = sorted(h.meta.title for h in Storage(data).list_headers().intakes)
    assert len(titles) == 2 and all(titles)


def test_import_into_the_team_store_is_logged_and_seen_by_the_team_only(pg_dsn, tmp_path,
                                                                        capsys,
                                                                        monkeypatch) -> None:
    initialised(pg_dsn)
    token = advisor_token(pg_dsn, "Versnellingshuis", "Anna")
    other = advisor_token(pg_dsn, "ROM Noord", "Otto")
    monkeypatch.setenv(TOKEN_VARIABLE, token)
    monkeypatch.setenv("INTAKE_ASSISTANT_STORE", store_url(pg_dsn))
    monkeypatch.setenv("HOME", str(tmp_path))  # this machine's settings: not the real ones
    assert main(["import", *map(str, GOOD), "--lang", "en"]) == 0
    ids = [line.rsplit(" ", 1)[-1] for line in capsys.readouterr().out.splitlines()]
    anna = PostgresStore(pg_dsn, token, tmp_path / "machine")
    assert sorted(h.id for h in anna.list_headers().intakes) == sorted(ids)
    assert [line["action"] for line in anna.access_log()] == ["import", "import"]
    saved = anna.load(ids[0])
    assert saved.state["answers"]["project_title"]
    assert PostgresStore(pg_dsn, other, tmp_path / "m2").list_headers().intakes == []
    monkeypatch.setenv(TOKEN_VARIABLE, "iat_" + "B" * 43)
    assert main(["import", str(GOOD[0]), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not valid for this store" in err

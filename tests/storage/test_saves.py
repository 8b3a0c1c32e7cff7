"""Saved intakes: atomic, private, listed for resuming; damaged files set aside, never lost."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from intake_assistant.i18n import translator
from intake_assistant.storage import (
    DamagedSaveError,
    IntakeMeta,
    Settings,
    Storage,
    write_new_file,
)


def test_save_and_load_round_trip_private_files(tmp_path):
    store = Storage(tmp_path / "data")
    meta = IntakeMeta(title="Kringloop", participants=("A BV", "B BV"), verdict="incomplete")
    path = store.save("one", {"answers": {"x": 1}}, meta)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.intakes_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700
    loaded = store.load("one")
    assert loaded.state == {"answers": {"x": 1}}
    assert loaded.meta.title == "Kringloop"
    assert loaded.meta.participants == ("A BV", "B BV")
    assert loaded.meta.updated  # filled in on save
    # no temporary files left behind
    assert sorted(p.name for p in store.intakes_dir.iterdir()) == ["one.json"]


def test_save_replaces_atomically(tmp_path, monkeypatch):
    store = Storage(tmp_path)
    store.save("a", {"v": 1}, IntakeMeta(title="first"))

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        store.save("a", {"v": 2}, IntakeMeta(title="second"))
    monkeypatch.undo()
    # the old file is intact and the temporary file is gone
    assert store.load("a").state == {"v": 1}
    assert [p.name for p in store.intakes_dir.iterdir()] == ["a.json"]


def test_list_newest_first(tmp_path):
    store = Storage(tmp_path)
    store.save("old", {}, IntakeMeta(title="old", updated="2024-01-01T10:00:00+00:00"))
    store.save("new", {}, IntakeMeta(title="new", updated="2025-01-01T10:00:00+00:00"))
    listing = store.list_headers()
    assert [s.meta.title for s in listing.intakes] == ["new", "old"]
    assert listing.damaged == []


@pytest.mark.parametrize(
    "content",
    ["{not json", "[1, 2]", json.dumps({"format": "other", "version": 1, "state": {}})],
)
def test_damaged_file_is_set_aside_not_deleted(tmp_path, content):
    store = Storage(tmp_path)
    store.ensure()
    bad = store.intakes_dir / "bad.json"
    bad.write_text(content, encoding="utf-8")
    store.save("good", {"k": 1}, IntakeMeta(title="good"))
    listing = store.list_headers()
    assert [s.id for s in listing.intakes] == ["good"]
    assert len(listing.damaged) == 1
    damaged = listing.damaged[0]
    assert not bad.exists()
    assert damaged.moved_to is not None and damaged.moved_to.read_text() == content
    assert damaged.moved_to.name.startswith("bad.json.damaged-")
    text = translator("en").render(damaged.message())
    assert "bad.json" in text and "set aside" in text
    # the set-aside file is not listed again
    assert store.list_headers().damaged == []


def test_load_damaged_raises(tmp_path):
    store = Storage(tmp_path)
    store.ensure()
    (store.intakes_dir / "x.json").write_text("{", encoding="utf-8")
    with pytest.raises(DamagedSaveError) as info:
        store.load("x")
    assert info.value.damaged.moved_to.exists()


def test_bad_ids_refused(tmp_path):
    with pytest.raises(ValueError):
        Storage(tmp_path).path_of("../escape")


def test_settings_remembered(tmp_path):
    store = Storage(tmp_path)
    assert store.load_settings() == Settings()
    store.save_settings(Settings(language="en", show_precheck=False))
    assert Storage(tmp_path).load_settings() == Settings(language="en", show_precheck=False)
    store.settings_path.write_text("garbage", encoding="utf-8")
    assert store.load_settings() == Settings()


def test_export_never_overwrites_unasked(tmp_path):
    target = tmp_path / "out" / "draft.json"
    written = write_new_file(target, "one")
    assert written == target.resolve() and target.read_text() == "one"
    with pytest.raises(FileExistsError):
        write_new_file(target, "two")
    assert target.read_text() == "one"
    write_new_file(target, "two", overwrite=True)
    assert target.read_text() == "two"


def test_new_ids_unique():
    assert len({Storage.new_id() for _ in range(50)}) == 50


def test_exports_default_to_the_data_folder_in_use_without_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs

    from intake_assistant.storage import default_export_dir

    monkeypatch.setattr(platformdirs, "user_documents_dir", lambda: str(tmp_path / "no-documents"))
    assert default_export_dir(tmp_path / "data") == tmp_path / "data" / "exports"
    (tmp_path / "docs").mkdir()
    monkeypatch.setattr(platformdirs, "user_documents_dir", lambda: str(tmp_path / "docs"))
    assert default_export_dir(tmp_path / "data") == tmp_path / "docs"

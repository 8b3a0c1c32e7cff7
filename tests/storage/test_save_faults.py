"""Saves and exports under faults: a full disk, a read-only folder, a link or a folder where
a file goes, two writers; save versions and bounds."""

from __future__ import annotations

import errno
import json
import os

import pytest

from intake_assistant.i18n import translator
from intake_assistant.storage import (
    DamagedSaveError,
    IntakeMeta,
    NewerSaveError,
    SaveConflictError,
    Storage,
    atomic_write,
    write_new_file,
    write_problem,
)


def _save_text(**changes) -> str:
    payload = {"format": "intake-assistant-save", "version": 1, "id": "x",
               "meta": {"title": "t"}, "state": {"answers": {}}}
    payload.update(changes)
    return json.dumps(payload)


@pytest.mark.parametrize("version", [True, 1.0, "1", None, 0, -3])
def test_a_version_that_is_not_a_whole_number_is_damaged(tmp_path, version):
    store = Storage(tmp_path)
    store.ensure()
    (store.intakes_dir / "x.json").write_text(_save_text(version=version), encoding="utf-8")
    with pytest.raises(DamagedSaveError):
        store.load("x")


def test_a_newer_version_is_refused_and_left_in_place(tmp_path):
    store = Storage(tmp_path)
    store.ensure()
    path = store.intakes_dir / "x.json"
    path.write_text(_save_text(version=7), encoding="utf-8")
    with pytest.raises(NewerSaveError) as info:
        store.load("x")
    assert "made by a newer version" in translator("en").render(info.value.newer.message())
    listing = store.list_headers()
    assert listing.damaged == [] and [n.path for n in listing.newer] == [path]
    assert path.exists()


def test_an_oversized_or_deeply_nested_save_is_set_aside_unparsed(tmp_path, monkeypatch):
    from intake_assistant import storage

    store = Storage(tmp_path)
    store.ensure()
    (store.intakes_dir / "deep.json").write_text("[" * 100_000 + "]" * 100_000,
                                                 encoding="utf-8")
    monkeypatch.setattr(storage.saves, "MAX_SAVE_BYTES", 1000)
    (store.intakes_dir / "big.json").write_text(_save_text(pad="x" * 2000), encoding="utf-8")
    listing = store.list_headers()
    assert {d.original.name for d in listing.damaged} == {"deep.json", "big.json"}


@pytest.mark.parametrize("fault", ["full", "read-only"])
def test_a_failed_save_keeps_the_previous_one(tmp_path, monkeypatch, fault):
    store = Storage(tmp_path)
    store.save("a", {"v": 1}, IntakeMeta(title="first"))
    code = errno.ENOSPC if fault == "full" else errno.EROFS

    def failing_sync(fd):  # where a full disk shows: the data cannot be flushed
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", failing_sync)
    with pytest.raises(OSError) as info:
        store.save("a", {"v": 2}, IntakeMeta(title="second"))
    monkeypatch.undo()
    assert store.load("a").state == {"v": 1}
    assert [p.name for p in store.intakes_dir.iterdir()] == ["a.json"]
    text = translator("nl").render(write_problem(info.value))
    assert text == ("de schijf is vol" if fault == "full"
                    else "de map is alleen-lezen of er mag niet in worden geschreven")


def test_a_read_only_folder_refuses_the_save_and_keeps_the_old_file(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders; the failing-writer tests cover it")
    store = Storage(tmp_path)
    store.save("a", {"v": 1}, IntakeMeta(title="first"))
    os.chmod(store.intakes_dir, 0o500)
    try:
        with pytest.raises(OSError):
            store.save("a", {"v": 2}, IntakeMeta(title="second"))
    finally:
        os.chmod(store.intakes_dir, 0o700)
    assert store.load("a").state == {"v": 1}


def test_saves_and_exports_never_write_through_a_link_or_onto_a_folder(tmp_path):
    store = Storage(tmp_path / "data")
    store.ensure()
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("precious", encoding="utf-8")
    link = store.intakes_dir / "linked.json"
    link.symlink_to(elsewhere)
    with pytest.raises(OSError) as info:
        store.save("linked", {"v": 1}, IntakeMeta(title="x"))
    assert "symbolic link" in translator("en").render(write_problem(info.value))
    assert elsewhere.read_text(encoding="utf-8") == "precious" and link.is_symlink()
    (store.intakes_dir / "folder.json").mkdir()
    with pytest.raises(OSError) as info:
        store.save("folder", {"v": 1}, IntakeMeta(title="x"))
    assert "folder" in translator("en").render(write_problem(info.value))
    export_link = tmp_path / "export.json"
    export_link.symlink_to(elsewhere)
    for target in (export_link, tmp_path):
        with pytest.raises(OSError):
            write_new_file(target, "new", overwrite=True)
    assert elsewhere.read_text(encoding="utf-8") == "precious"
    with pytest.raises(OSError):
        atomic_write(export_link, "new")


def test_two_writers_on_one_intake_never_overwrite_each_other(tmp_path):
    first, second = Storage(tmp_path), Storage(tmp_path)
    first.save("a", {"v": 1}, IntakeMeta(title="one"))
    first.load("a")
    second.load("a")
    second.save("a", {"v": "second"}, IntakeMeta(title="two"))
    with pytest.raises(SaveConflictError):
        first.save("a", {"v": "first"}, IntakeMeta(title="one"))
    assert Storage(tmp_path).load("a").state == {"v": "second"}
    second.save("a", {"v": "second again"}, IntakeMeta(title="two"))  # its own revision
    assert Storage(tmp_path).load("a").state == {"v": "second again"}


def test_stale_temp_files_only_are_removed(tmp_path):
    import time

    store = Storage(tmp_path)
    store.ensure()
    stale, fresh = store.intakes_dir / ".a.json.1.tmp", store.intakes_dir / ".b.json.2.tmp"
    for path in (stale, fresh):
        path.write_text("{", encoding="utf-8")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    assert store.remove_stale_temp_files() == [stale]
    assert fresh.exists() and not stale.exists()


def test_meta_is_bounded(tmp_path):
    meta = IntakeMeta.from_json({"title": "t" * 10_000, "participants": ["p"] * 10_000})
    assert len(meta.title) <= 500 and len(meta.participants) <= 50

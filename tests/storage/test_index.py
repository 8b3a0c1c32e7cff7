"""The resume list's index: only the saves changed since it was written are read; a damaged
or hostile index is rebuilt; damaged saves are reported and the others listed."""

from __future__ import annotations

import json

from intake_assistant.storage import IntakeMeta, Storage
from intake_assistant.storage import index as index_module


def test_the_list_reads_only_the_saves_changed_since_the_index(tmp_path, monkeypatch):
    store = Storage(tmp_path / "data")
    for i in range(5):
        store.save(f"id{i}", {"answers": {"x": "y" * 1000}}, IntakeMeta(
            title=f"T{i}", updated=f"2024-01-0{i + 1}T10:00:00+00:00", verdict="eligible"))
    first = store.list_headers()
    assert [h.id for h in first.intakes] == ["id4", "id3", "id2", "id1", "id0"]
    assert store.index_path.is_file()
    read: list[str] = []
    real = index_module.read_save

    def counting(path, **kwargs):
        read.append(path.stem)
        return real(path, **kwargs)

    monkeypatch.setattr(index_module, "read_save", counting)
    again = Storage(tmp_path / "data")
    assert [h.meta for h in again.list_headers().intakes] == [h.meta for h in first.intakes]
    assert read == []  # all from the index
    again.save("id2", {}, IntakeMeta(title="Changed", updated="2024-02-01T10:00:00+00:00"))
    listing = Storage(tmp_path / "data").list_headers()
    assert read == ["id2"] and listing.intakes[0].meta.title == "Changed"
    # a damaged or hostile index is only a cache: ignored and rebuilt from the saves
    read.clear()
    index = json.loads(store.index_path.read_text(encoding="utf-8"))
    index["intakes"]["id0"]["meta"] = [1]
    index["intakes"]["id1"] = 5
    store.index_path.write_text(json.dumps(index), encoding="utf-8")
    assert len(Storage(tmp_path / "data").list_headers().intakes) == 5
    assert sorted(read) == ["id0", "id1"]
    read.clear()
    store.index_path.write_text("[" * 100_000)
    assert len(Storage(tmp_path / "data").list_headers().intakes) == 5
    assert len(read) == 5
    # a save removed (or set aside) leaves the index
    (store.intakes_dir / "id3.json").unlink()
    assert [h.id for h in Storage(tmp_path / "data").list_headers().intakes] == [
        "id2", "id4", "id1", "id0"]


def test_a_damaged_save_is_reported_and_the_others_listed(tmp_path):
    store = Storage(tmp_path / "data")
    store.save("good", {}, IntakeMeta(title="Good", updated="2024-01-01T10:00:00+00:00"))
    (store.intakes_dir / "bad.json").write_text("{not json")
    kept = store.list_headers(set_aside=False)
    assert [h.id for h in kept.intakes] == ["good"] and len(kept.damaged) == 1
    assert (store.intakes_dir / "bad.json").exists()  # only reported
    moved = store.list_headers()
    assert len(moved.damaged) == 1 and not (store.intakes_dir / "bad.json").exists()

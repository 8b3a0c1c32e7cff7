"""The data folder never follows a link or opens a special file: a linked ``intakes/``
folder, lock, index or settings file, or a pipe or ``/dev/zero`` in their place, is refused
with a message (or, for a cache, passed over) and the rest carries on; nothing is written
outside the data folder and nothing hangs. Real links and pipes in ``tmp_path``."""

from __future__ import annotations

import errno
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake_assistant.cli import main
from intake_assistant.i18n import translator
from intake_assistant.storage import (
    INDEX_FILE,
    DamagedSaveError,
    IntakeMeta,
    NotRegularFileError,
    Settings,
    Storage,
    write_problem,
)

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX pipes")


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """A read that blocks on a pipe fails the test instead of hanging the suite."""
    def hung(signum, frame):
        raise TimeoutError("blocked on a special file")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _store_with_one_save(tmp_path: Path) -> Storage:
    store = Storage(tmp_path / "data")
    store.save("one", {"v": 1}, IntakeMeta(title="Kringloop"))
    return store


def _elsewhere(tmp_path: Path) -> Path:
    """A folder outside the data folder with a save-like file and a killed save's leftover."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "precious.json").write_text("precious", encoding="utf-8")
    leftover = folder / ".x.json.1.tmp"
    leftover.write_text("{", encoding="utf-8")
    os.utime(leftover, (1, 1))
    return folder


def test_a_linked_intakes_folder_is_neither_read_nor_written(tmp_path):
    store = Storage(tmp_path / "data")
    store.root.mkdir()
    elsewhere = _elsewhere(tmp_path)
    store.intakes_dir.symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OSError) as info:
        store.save("one", {"v": 1}, IntakeMeta(title="x"))
    assert info.value.errno == errno.ELOOP
    assert "symbolische koppeling" in translator("nl").render(write_problem(info.value))
    assert not store.has_intakes()
    listing = store.list_headers()
    assert listing.intakes == [] and [r.path for r in listing.refused] == [store.intakes_dir]
    text = translator("en").render(listing.problems()[0])
    assert str(store.intakes_dir) in text and "symbolic link" in text
    with pytest.raises(DamagedSaveError) as damaged:
        store.load("precious")
    assert damaged.value.damaged.left_in_place
    assert "symbolische koppeling" in translator("nl").render(damaged.value.damaged.message())
    assert store.remove_stale_temp_files() == []
    assert store.keep_state("precious") is None and store.earlier_states("precious") == []
    assert sorted(p.name for p in elsewhere.iterdir()) == [".x.json.1.tmp", "precious.json"]
    assert (elsewhere / "precious.json").read_text(encoding="utf-8") == "precious"
    assert not os.path.lexists(store.index_path)


def test_list_names_a_linked_intakes_folder_and_exits_2(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    (data / "intakes").symlink_to(_elsewhere(tmp_path), target_is_directory=True)
    assert main(["list", "--data-dir", str(data), "--lang", "nl"]) == 2
    err = capsys.readouterr().err
    assert str(data / "intakes") in err and "symbolische koppeling" in err


@pytest.mark.parametrize("kind", ["link", "pipe"])
def test_a_lock_file_that_is_a_link_or_a_pipe_refuses_the_save(tmp_path, kind):
    store = _store_with_one_save(tmp_path)
    lock = store.root / ".intakes.lock"
    lock.unlink()
    outside = tmp_path / "outside.lock"
    if kind == "link":
        lock.symlink_to(outside)
    else:
        os.mkfifo(lock)
    with pytest.raises(OSError) as info:
        store.save("one", {"v": 2}, IntakeMeta(title="x"))
    expected = "symbolische koppeling" if kind == "link" else "een pipe"
    assert expected in translator("nl").render(write_problem(info.value))
    assert not os.path.lexists(outside)  # the link was not followed to create it
    assert store.load("one").state == {"v": 1}


@pytest.mark.parametrize("kind", ["pipe", "dev-zero", "link"])
def test_an_index_that_is_a_pipe_or_a_link_is_passed_over_and_left_alone(tmp_path, kind):
    store = _store_with_one_save(tmp_path)
    index = store.root / INDEX_FILE
    outside = tmp_path / "outside.json"
    outside.write_text("precious", encoding="utf-8")
    if index.exists():
        index.unlink()
    if kind == "pipe":
        os.mkfifo(index)
    else:
        index.symlink_to("/dev/zero" if kind == "dev-zero" else outside)
    listing = store.list_headers()
    assert [h.meta.title for h in listing.intakes] == ["Kringloop"]  # read in full
    assert [r.path for r in listing.refused] == [index]
    assert "laat het zoals het is" in translator("nl").render(listing.problems()[0])
    assert index.is_symlink() if kind != "pipe" else not index.is_file()
    assert outside.read_text(encoding="utf-8") == "precious"


@pytest.mark.parametrize("kind", ["pipe", "dev-zero", "link", "too-large"])
def test_settings_that_are_a_pipe_a_link_or_too_large_give_the_defaults(tmp_path, kind):
    store = Storage(tmp_path / "data")
    store.ensure()
    outside = tmp_path / "outside.json"
    outside.write_text('{"language": "en"}', encoding="utf-8")
    if kind == "pipe":
        os.mkfifo(store.settings_path)
    elif kind == "too-large":
        store.settings_path.write_text('{"language": "en", "pad": "' + "x" * 200_000 + '"}',
                                       encoding="utf-8")
    else:
        store.settings_path.symlink_to("/dev/zero" if kind == "dev-zero" else outside)
    assert store.load_settings() == Settings()
    if kind == "too-large":
        store.save_settings(Settings(language="nl"))  # a regular file: replaced
        assert store.load_settings() == Settings(language="nl")
        return
    with pytest.raises(OSError) as info:
        store.save_settings(Settings(language="nl"))
    words = translator("nl").render(write_problem(info.value))
    assert ("een pipe" if kind == "pipe" else "symbolische koppeling") in words
    if kind == "pipe":
        assert isinstance(info.value, NotRegularFileError)
    assert outside.read_text(encoding="utf-8") == '{"language": "en"}'


@pytest.mark.parametrize("kind", ["pipe", "dev-zero"])
def test_a_save_that_is_a_pipe_or_a_link_to_a_device_is_set_aside(tmp_path, kind):
    store = _store_with_one_save(tmp_path)
    bad = store.intakes_dir / "bad.json"
    if kind == "pipe":
        os.mkfifo(bad)
    else:
        bad.symlink_to("/dev/zero")
    listing = store.list_headers()
    assert [h.id for h in listing.intakes] == ["one"]
    assert [d.original for d in listing.damaged] == [bad]
    assert "not a regular file" in translator("en").render(listing.damaged[0].message())
    assert not os.path.lexists(bad)  # renamed aside, not deleted
    if kind == "pipe":
        os.mkfifo(bad)
        with pytest.raises(DamagedSaveError):
            store.load("bad")
        os.mkfifo(store.intakes_dir / "other.json")
        with pytest.raises(NotRegularFileError):  # refused, and never opened (no hang)
            store.save("other", {"v": 1}, IntakeMeta(title="x"))


def test_a_linked_history_folder_keeps_nothing_outside(tmp_path):
    store = _store_with_one_save(tmp_path)
    elsewhere = _elsewhere(tmp_path)
    store.history_dir("one").parent.symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OSError):
        store.keep_state("one")
    assert store.earlier_states("one") == []
    assert sorted(p.name for p in elsewhere.iterdir()) == [".x.json.1.tmp", "precious.json"]

"""An open intake learns that a colleague saved it: LISTEN/NOTIFY on the team's channel, the
colleague's name and time read through row-level security. No polling of a file."""

from __future__ import annotations

import psycopg

from intake_assistant.storage import IntakeMeta

from .helpers import advisor_store, initialised


def test_a_colleagues_save_is_heard_with_name_and_time(pg_dsn: str) -> None:
    initialised(pg_dsn)
    anna = advisor_store(pg_dsn, "Versnellingshuis", "Anna")
    bram = advisor_store(pg_dsn, "Versnellingshuis", "Bram")
    otto = advisor_store(pg_dsn, "ROM Noord", "Otto")
    anna.save("shared", {"n": 1}, IntakeMeta(title="x"))
    watch = anna.watch()
    try:
        otto.save("shared", {"theirs": True}, IntakeMeta(title="y"))  # another team's own
        anna.save("shared", {"n": 2}, IntakeMeta(title="x"))  # her own save: not news
        assert watch.wait({"shared"}, timeout=0.5) is None
        bram.load("shared")
        bram.save("shared", {"n": 3}, IntakeMeta(title="x"))
        change = watch.wait({"shared"}, timeout=30)
        assert change is not None
        assert (change.intake_id, change.revision, change.by) == ("shared", 3, "Bram")
        assert change.at is not None and change.at.tzinfo is not None
        anna.load("shared")  # reloaded: the change is known
        assert anna.changed_since("shared") is None
        # the intakes open are asked when a notice comes: one opened while waiting is heard
        opened: set[str] = set()
        bram.save("shared", {"n": 4}, IntakeMeta(title="x"))
        opened.add("shared")
        change = watch.wait(lambda: opened, timeout=30)
        assert change is not None and change.revision == 4
        anna.load("shared")
        bram.delete("shared")
        gone = watch.wait({"shared"}, timeout=30)
        assert gone is not None and gone.revision is None
    finally:
        watch.close()


def test_notices_that_come_together_are_each_heard(pg_dsn: str) -> None:
    initialised(pg_dsn)
    anna = advisor_store(pg_dsn, "Versnellingshuis", "Anna")
    bram = advisor_store(pg_dsn, "Versnellingshuis", "Bram")
    for n in range(3):
        anna.save(f"client-{n}", {"answers": {}}, IntakeMeta(title="x"))
    watch = bram.watch()
    try:
        with psycopg.connect(pg_dsn, autocommit=True) as owner:  # one transaction, 3 notices
            owner.execute("DELETE FROM intake_store.intakes")
        heard = [watch.notice(30) for _n in range(3)]
        assert sorted(heard) == ["client-0", "client-1", "client-2"]
        assert watch.notice(0.2) is None
    finally:
        watch.close()

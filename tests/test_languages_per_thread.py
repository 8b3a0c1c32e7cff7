"""A worker thread of a server renders in its visitor's language without switching the
process's: ``language_on_this_thread``."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from intake_assistant.i18n import _, get_language, language_on_this_thread, set_language


@pytest.fixture(autouse=True)
def _process_language_kept() -> Iterator[None]:
    before = get_language()
    yield
    set_language(before)


def test_a_thread_speaks_its_own_language_for_a_block_only() -> None:
    set_language("en")
    inside: list[str] = []
    started, switched = threading.Event(), threading.Event()

    def worker() -> None:
        with language_on_this_thread("nl"):
            started.set()
            switched.wait(10)  # the process switches meanwhile: this thread stays Dutch
            inside.append(_("NOT SAVED"))
        inside.append(_("NOT SAVED"))

    thread = threading.Thread(target=worker)
    thread.start()
    started.wait(10)
    assert get_language() == "en"  # the block is the worker's only
    set_language("en")
    switched.set()
    thread.join(10)
    assert inside == ["NIET OPGESLAGEN", "NOT SAVED"]
    assert _("NOT SAVED") == "NOT SAVED"
    with pytest.raises(ValueError):
        with language_on_this_thread("de"):
            pass

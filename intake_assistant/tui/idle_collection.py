"""Python's garbage collections made while nobody types, not in the middle of an answer.

Late in an intake a full collection took 40-100 ms, in the middle of an answer: it went over
everything made since the start (an intake's dialogs, state machine and rules, two thirds of
the objects; then what the screens keep painted). Only the process that runs the app manages
them (``launch``, the served tab): in a test process a collection goes over the tests' heap.
"""

from __future__ import annotations

import gc
import time

from textual import events
from textual.app import App

# A full collection (over every object not frozen) is made while nobody types once half of
# what makes Python's own (ten young collections) is there: no key, click or paste came for
# this long, looked at this often. Python's own are still made for one who never stops.
FULL_COLLECTION_AFTER = 5
IDLE_BEFORE_FULL_COLLECTION_S = 1.0
IDLE_CHECK_S = 0.5


class CollectsWhenIdle(App[int]):
    """An App that makes the full collections itself, while nobody types."""

    manages_collections = False
    #: When the last key, click or paste came (``time.monotonic``).
    _last_input = 0.0

    def start_collecting(self) -> None:
        """From the App's mount: look for a pause in the typing, now and then."""
        self._last_input = time.monotonic()
        if self.manages_collections:
            self.set_interval(IDLE_CHECK_S, self._collect_when_idle)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown | events.Paste):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def _collect_when_idle(self) -> None:
        """A full collection while nobody types, before Python makes one during an answer;
        what lives on is frozen again, so that Python's own pass it by."""
        if (gc.get_count()[2] >= FULL_COLLECTION_AFTER
                and time.monotonic() - self._last_input >= IDLE_BEFORE_FULL_COLLECTION_S):
            self._freeze_what_lives()

    def freeze_after_paint(self) -> None:
        """What an intake opened now holds while it is open is frozen once its first screen
        is painted: later collections pass it by, as they pass by what the start loaded."""
        if self.manages_collections:
            self.call_after_refresh(self._freeze_what_lives)

    @staticmethod
    def _freeze_what_lives() -> None:
        gc.unfreeze()  # what an intake closed since then held is collected now
        gc.collect()
        gc.freeze()

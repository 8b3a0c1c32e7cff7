"""The data folder as an intake store: the default, one person's intakes on one machine."""

from __future__ import annotations

import errno
import os

from intake_assistant.storage import SavedIntake, Storage


class FileStore(Storage):
    """``storage.Storage`` as an ``IntakeStore``: nothing changes for a solo user."""

    def load(self, intake_id: str) -> SavedIntake:
        """As ``Storage.load``; an intake that is not there (removed meanwhile) is not found,
        as in every store, rather than a damaged save."""
        path = self.path_of(intake_id)
        if not os.path.lexists(path):
            raise FileNotFoundError(errno.ENOENT, "no such intake", str(path))
        return super().load(intake_id)

    def describe(self) -> str:
        return str(self.intakes_dir)

    def close(self) -> None:
        """Nothing stays open between calls."""

"""What every intake store offers the intake service: the data folder (``FileStore``, the
default) and a team's PostgreSQL database (``PostgresStore``) alike.

Both give the same records (``storage.SavedIntake``, ``storage.IntakeHeader``) and raise the
same errors: ``SaveConflictError`` when a save would overwrite a revision this store did not
read, ``DamagedSaveError`` and ``NewerSaveError`` for an intake that cannot be read. A store
that cannot be reached raises ``StoreUnavailableError`` (an ``OSError``: the intake shows NOT
SAVED and keeps the answers, as for a full disk).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from intake_assistant.i18n import Message
from intake_assistant.storage import DamagedSave, HeaderList, IntakeMeta, SavedIntake, Settings


@runtime_checkable
class IntakeStore(Protocol):
    #: This machine's data folder (settings, the default folder of file dialogs), whichever
    #: store keeps the intakes.
    root: Path
    intakes_dir: Path

    def new_id(self) -> str: ...

    def save(self, intake_id: str, state: dict[str, Any], meta: IntakeMeta) -> object: ...

    def load(self, intake_id: str) -> SavedIntake: ...

    def forget(self, intake_id: str) -> None: ...

    def has_intakes(self) -> bool: ...

    def list_headers(self, *, set_aside: bool = True) -> HeaderList: ...

    def keep_state(self, intake_id: str, keep: int = ...) -> object: ...

    def earlier_states(self, intake_id: str) -> list[SavedIntake]: ...

    def set_aside(self, path: Path, reason: Message) -> DamagedSave: ...

    def remove_stale_temp_files(self) -> list[Path]: ...

    def load_settings(self) -> Settings: ...

    def save_settings(self, settings: Settings) -> None: ...

    def describe(self) -> str:
        """Where the intakes are kept, for messages (a folder; a team and a database)."""
        ...

    def close(self) -> None: ...


class StoreUnavailableError(OSError):
    """The store cannot be reached or refused the work; ``problem`` says why, in words."""

    def __init__(self, problem: Message) -> None:
        super().__init__(problem.msgid)
        self.problem = problem


class StoreAccessError(Exception):
    """The advisor's token is missing or wrong, or the store is not set up: ``problem``."""

    def __init__(self, problem: Message) -> None:
        super().__init__(problem.msgid)
        self.problem = problem


class AdvisorRevokedError(StoreUnavailableError):
    """The advisor's token was revoked while the store was open: every further call is
    refused (an ``OSError`` too, so an open intake keeps its answers and shows NOT SAVED)."""

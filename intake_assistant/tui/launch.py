"""``intake-assistant`` with no subcommand: resolve the settings (language and data folder from
the command line, else remembered / platformdirs; a team store's URL), build the App, run it."""

from __future__ import annotations

import gc

from intake_assistant.i18n import LANGUAGES
from intake_assistant.storage import Storage
from intake_assistant.tui.app import IntakeApp


def make_app(language: str | None = None, data_dir: str | None = None,
             store: str | None = None) -> IntakeApp:
    """Resolve the settings and build the App (the entry point and the tests use this).

    ``store``: a team store's ``postgresql://`` URL (the intakes are the team's; the settings
    stay in the data folder); ``StoreAccessError`` or ``StoreUnavailableError`` when it
    cannot be used."""
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    if store is not None:
        from intake_assistant.stores import open_store

        storage = open_store(store, data_dir)
    else:
        storage = Storage(data_dir)
    settings = storage.load_settings()
    if language is not None and settings.language != language:
        from dataclasses import replace

        settings = replace(settings, language=language)
    return IntakeApp(storage, settings, language)


def launch(language: str | None = None, data_dir: str | None = None,
           store: str | None = None) -> int:
    """Run the terminal UI; the exit code for the shell."""
    app = make_app(language, data_dir, store)
    # What is loaded now lives as long as the app: frozen, later collections skip it (a
    # collection over the whole heap paused the first screen and, late in an intake, answers).
    gc.freeze()
    gc.enable()
    app.manages_collections = True
    app.run()
    return app.return_code or 0

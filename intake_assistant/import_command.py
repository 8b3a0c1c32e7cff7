"""``intake-assistant import DRAFT... [--store URL | --data-dir DIR]``: drafts become intakes,
headless, through the intake service's one checked import path (the terminal's limits on size,
depth, numbers and answers; the provenance side file beside a draft is read too).

One draft that cannot be imported does not stop the others: each is named on its own line on
standard error (exit 2). Each imported intake is printed with its id; in a team store the
service writes the import to the access log with the intake's first save.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from intake_assistant.i18n import Translator

EXIT_OK, EXIT_INVALID = 0, 2


def add_import_command(commands: argparse._SubParsersAction, parser_class: type) -> None:
    from intake_assistant.i18n import LANGUAGES, _

    command = commands.add_parser(
        "import", help=_("add drafts as saved intakes, without the terminal"),
        description=_("Add draft applications (JSON) as saved intakes, with the limits of the "
                      "terminal's import."))
    command.add_argument("drafts", nargs="+", metavar=_("DRAFT"), help=_("a draft JSON file"))
    where = command.add_mutually_exclusive_group()
    where.add_argument("--store", dest="store_url", metavar="URL", help=_(
        "a team store: postgresql://... (or set INTAKE_ASSISTANT_STORE); the advisor's token "
        "comes from INTAKE_ASSISTANT_ADVISOR_TOKEN"))
    where.add_argument("--data-dir", dest="import_data_dir", metavar=_("DIR"),
                       help=_("folder of the saved intakes (default: your data folder)"))
    command.add_argument("--lang", choices=LANGUAGES, dest="import_lang",
                         help=_("language of the messages and of the new intakes"))


def run_import(drafts: list[str], store_url: str | None, data_dir: str | None,
               tr: Translator) -> int:
    from intake_assistant.i18n import set_language
    from intake_assistant.safe_text import visible
    from intake_assistant.service.open_intake import Channel, OpenIntake
    from intake_assistant.service.outcomes import DraftSource, IntakeProblem
    from intake_assistant.storage import Settings
    from intake_assistant.stores import chosen_location, open_store
    from intake_assistant.stores.store_protocol import StoreAccessError, StoreUnavailableError

    set_language(tr.language)  # the service's own texts too

    def fail(text: str) -> None:
        sys.stderr.write("intake-assistant: " + visible(text, limit=2000) + "\n")

    try:  # --store wins; --data-dir chooses the folder even where INTAKE_ASSISTANT_STORE is set
        store = open_store(chosen_location(store_url, data_dir), data_dir)
    except (StoreAccessError, StoreUnavailableError) as exc:
        fail(tr.render(exc.problem))
        return EXIT_INVALID
    failed = False
    try:
        service = OpenIntake(Channel(store, remembers_settings=False), Settings())
        for draft in drafts:
            try:
                opened = service.import_draft(DraftSource.file(draft), tr.language)
            except IntakeProblem as exc:
                fail(" ".join(part for part in (exc.title + ":", exc.text) if part))
                failed = True
                continue
            intake_id = service.intake_id
            if opened.saved is None or not opened.saved.ok or intake_id is None:
                fail(tr("{path} could not be saved in {where}", path=draft,
                        where=store.describe()))
                failed = True
                continue
            sys.stdout.write(tr("{path} imported as intake {id}", path=visible(draft),
                                id=intake_id) + "\n")
            for title, text in opened.messages:
                sys.stderr.write(visible(title, limit=500) + ": " + visible(text, limit=4000)
                                 + "\n")
            service.close()
    except StoreUnavailableError as exc:
        fail(tr.render(exc.problem))
        return EXIT_INVALID
    finally:
        store.close()
    return EXIT_INVALID if failed else EXIT_OK

"""The dialogs before the service acts: which draft file to import, what to compare with,
the advisor's note, whether unsaved answers may go.

Each asks with pop-ups and hands the answer to the intake service (``app.intake``); what
the service refuses is shown with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from intake_assistant.i18n import _
from intake_assistant.service.outcomes import DraftSource, IntakeProblem, PreparedImport

if TYPE_CHECKING:
    from intake_assistant.models import DraftApplication
    from intake_assistant.tui.app import IntakeApp


def ask_draft_path(app: IntakeApp) -> None:
    """Ask for the path of a draft to import; one that cannot be imported keeps the dialog
    open with why (the service's checks run as the path is given)."""
    from intake_assistant.tui.screens.modals import PathScreen

    prepared: dict[str, PreparedImport] = {}

    def check(text: str) -> str | None:
        try:
            prepared[text] = app.intake.prepare_import(DraftSource.file(text), app.language)
        except IntakeProblem as problem:
            return problem.text
        return None

    def chosen(text: str | None) -> None:
        if text and text in prepared:
            app.show_new(app.intake.open_import(prepared[text]))

    app.push_screen(
        PathScreen(_("Import a draft"), _("Path of a draft application JSON file"),
                   str(app.export_dir) + "/", must_exist=True, check=check),
        chosen,
    )


def compare_intake(app: IntakeApp, intake_id: str) -> None:
    """Ask what to compare the saved intake ``intake_id`` with (an exported draft or one of
    its earlier states), then show what changed."""
    from intake_assistant.tui.screens.provenance import (
        EXPORTED_FILE,
        CompareScreen,
        CompareSourceScreen,
    )
    from intake_assistant.tui.screens.start import format_updated

    intake = app.intake
    try:
        title, new = intake.saved_draft(intake_id)
    except IntakeProblem as problem:
        app.show_problem(problem)
        return
    states = intake.earlier_states(intake_id)
    choices = [(s.path.name, format_updated(s.meta.updated)) for s in states]
    by_name = {s.path.name: s for s in states}

    def chosen(choice: str | None) -> None:
        if choice == EXPORTED_FILE and app.look.server_files:
            _compare_with_file(app, title, new)
        elif choice in by_name:
            saved = by_name[choice]
            try:
                old = intake.draft_of_state(saved)
            except IntakeProblem as problem:
                app.show_problem(problem)
                return
            app.push_screen(CompareScreen(
                old, new, _("saved {when}", when=format_updated(saved.meta.updated)),
                _("{title} now", title=title)))

    app.push_screen(CompareSourceScreen(title, choices, files=app.look.server_files), chosen)


def _compare_with_file(app: IntakeApp, title: str, new: DraftApplication) -> None:
    from intake_assistant.tui.screens.modals import PathScreen
    from intake_assistant.tui.screens.provenance import CompareScreen

    def chosen(path_text: str | None) -> None:
        if not path_text:
            return
        path = Path(path_text).expanduser()
        try:  # the import's size, depth and number bounds
            old = app.intake.draft_of_file(path, app.language)
        except IntakeProblem as problem:
            app.show_problem(problem)
            return
        app.push_screen(CompareScreen(old, new, path.name, _("{title} now", title=title)))

    app.push_screen(
        PathScreen(_("Compare with an exported draft"),
                   _("Path of a draft application JSON file"), str(app.export_dir) + "/",
                   must_exist=True),
        chosen,
    )


def ask_note(app: IntakeApp, key: str) -> None:
    """Ask the advisor's note on the answer ``key`` (from the review), then hand it to the
    service; in the entrepreneur's mode, or without an answer, say why there is none."""
    from intake_assistant.tui.screens.provenance import NoteScreen

    session = app.session
    if session is None:
        return
    if session.mode != "advisor":
        app.notify(_("Only an advisor adds notes; switch to the advisor mode first (F8)."),
                   severity="warning")
        return
    entry = session.provenance(key)
    if entry is None and session.value(key) is None:
        app.notify(_("Only an answer can have a note; answer the question first."),
                   severity="warning")
        return
    view = session.view(key)

    def noted(text: str | None) -> None:
        if text is not None:
            problem = app.show_change(app.intake.set_note(key, text), show_state=False)
            if problem:
                app.notify(problem, severity="error", timeout=8)

    app.push_screen(NoteScreen(view.label if view else key, entry.note if entry else None),
                    noted)


def confirm_losing_answers(app: IntakeApp, title: str, yes: str,
                           then: Callable[[], object]) -> None:
    """Ask before the answers that could not be saved are dropped."""
    from intake_assistant.tui.screens.modals import ConfirmScreen
    from intake_assistant.tui.service_outcomes import where_kept

    def confirmed(leave: bool | None) -> None:
        if leave:
            then()

    app.push_screen(
        ConfirmScreen(title,
                      _("The last answers could not be saved ({folder}); they are lost "
                        "if you go on. Export the intake first to keep them.",
                        folder=where_kept(app.storage)),
                      yes, _("Stay")),
        confirmed,
    )

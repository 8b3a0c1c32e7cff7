"""The command palette's commands of the intake (a channel's ``Look`` may change them)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from intake_assistant.i18n import _

if TYPE_CHECKING:
    from intake_assistant.tui.app import IntakeApp


def intake_commands(app: IntakeApp) -> Iterator[SystemCommand]:
    yield SystemCommand(_("Switch language"), _("Nederlands / English"),
                        app.action_toggle_language)
    yield SystemCommand(_("Help"), _("Keys and how the intake works"), app.action_help)
    yield SystemCommand(_("Switch mode"), _("Entrepreneur / advisor: who gives the answers "
                                            "from now on (F8)"), app.action_toggle_mode)
    yield SystemCommand(_("New intake"), _("Start a new intake"), app.action_new)
    yield SystemCommand(_("Import a draft"), _("Open a draft application JSON file"),
                        app.action_import)
    yield SystemCommand(_("Start screen"), _("Resume another intake"), app.action_start_screen)
    if app.session is not None:
        yield SystemCommand(_("Review answers"), _("All answers, grouped by section"),
                            app.action_review)
        yield SystemCommand(_("Summary"), _("The pre-check and the subsidy"),
                            app.action_summary)
        yield SystemCommand(_("Every criterion"), _("The full live pre-check (ctrl+l)"),
                            app.action_precheck_list)
        yield SystemCommand(_("Participants"), _("The partners and their costs"),
                            app.action_participants)
        yield SystemCommand(_("Export"), _("Write the draft JSON and the report"),
                            app.action_export)
        if hasattr(app.storage, "watch"):  # a team store: colleagues change intakes too
            yield SystemCommand(_("Reload"), _("Open this intake again as it is saved now, "
                                               "with a colleague's answers"), app.action_reload)
    yield SystemCommand(_("Quit"), _("Save and quit"), app.action_quit)

"""The Textual intake: the App owns the session, the storage, the settings and the navigation.

``launch()`` is what ``intake-assistant`` with no subcommand runs: it resolves the settings
(language from the command line, else the remembered one; data folder from the command line,
else platformdirs), builds the App and runs it. Screens get their data in their constructor
and report back with messages or ``dismiss()``; only the App changes the session, saves it
and decides which screen shows (``screen_for``).

Imports run one way: app -> screens -> base/widgets. Heavy modules (the question flow, the
rules, pydantic) are imported when an intake starts, not at startup: the start screen needs
only the list of saved intakes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from intake_assistant.i18n import LANGUAGES, N_, _, get_language, render, set_language
from intake_assistant.storage import (
    DamagedSaveError,
    IntakeMeta,
    Settings,
    Storage,
    default_export_dir,
    now_iso,
)
from intake_assistant.tui.screens.base import IntakeScreen, LocalizedScreen, localize_bindings
from intake_assistant.tui.screens.export import ExportScreen
from intake_assistant.tui.screens.modals import ConfirmScreen, HelpScreen, MessageScreen, PathScreen
from intake_assistant.tui.screens.participants import ParticipantsScreen
from intake_assistant.tui.screens.question import QuestionScreen
from intake_assistant.tui.screens.review import ReviewScreen
from intake_assistant.tui.screens.start import StartScreen
from intake_assistant.tui.screens.summary import SummaryScreen

if TYPE_CHECKING:
    from intake_assistant.flow.session import IntakeSession


class IntakeApp(App[int]):
    """The guided pre-check intake."""

    CSS_PATH = "app.tcss"
    TITLE = "intake-assistant"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", N_("Quit"), priority=True),
        Binding("f1", "help", N_("Help")),
        Binding("f2", "toggle_language", N_("Nederlands/English")),
    ]

    def __init__(
        self,
        storage: Storage,
        settings: Settings,
        language: str | None = None,
        *,
        export_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.storage = storage
        self.settings = settings
        set_language(language or settings.language or "nl")
        self.export_dir = export_dir or (
            Path(settings.export_dir) if settings.export_dir else default_export_dir(storage.root)
        )
        self.session: IntakeSession | None = None
        self.intake_id: str | None = None
        self.startup_notices: list[str] = []
        localize_bindings(self)

    # -- start -----------------------------------------------------------------------
    def on_mount(self) -> None:
        self.sub_title = _("pre-check, RVO decides")
        self.push_screen(StartScreen())

    @property
    def language(self) -> str:
        return get_language()

    # -- language --------------------------------------------------------------------
    async def set_ui_language(self, language: str) -> None:
        if language not in LANGUAGES:
            return
        set_language(language)
        self.settings = replace(self.settings, language=language)
        self._save_settings()
        if self.session is not None:
            self.session.set_language(language)
            self.autosave()
        localize_bindings(self)
        self.sub_title = _("pre-check, RVO decides")
        screen = self.screen
        if isinstance(screen, LocalizedScreen):
            await screen.relocalize()
        self.refresh_bindings()

    async def action_toggle_language(self) -> None:
        other = "en" if self.language == "nl" else "nl"
        await self.set_ui_language(other)
        self.notify(_("The screens are now in English."))

    def _save_settings(self) -> None:
        try:
            self.storage.save_settings(self.settings)
        except OSError as exc:
            self.notify(_("Could not save the settings: {error}", error=str(exc)),
                        severity="error")

    def remember_export_dir(self, folder: Path) -> None:
        """The next export proposes the folder of the last one."""
        self.export_dir = folder
        self.settings = replace(self.settings, export_dir=str(folder))
        self._save_settings()

    def set_show_precheck(self, show: bool) -> None:
        self.settings = replace(self.settings, show_precheck=show)
        self._save_settings()

    # -- help and commands ------------------------------------------------------------
    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand(_("Switch language"), _("Nederlands / English"),
                            self.action_toggle_language)
        yield SystemCommand(_("Help"), _("Keys and how the intake works"), self.action_help)
        yield SystemCommand(_("New intake"), _("Start a new intake"), self.start_new)
        yield SystemCommand(_("Import a draft"), _("Open a draft application JSON file"),
                            self.action_import)
        yield SystemCommand(_("Start screen"), _("Resume another intake"),
                            self.action_start_screen)
        if self.session is not None:
            yield SystemCommand(_("Review answers"), _("All answers, grouped by section"),
                                self.action_review)
            yield SystemCommand(_("Summary"), _("The pre-check and the subsidy"),
                                self.action_summary)
            yield SystemCommand(_("Participants"), _("The partners and their costs"),
                                self.action_participants)
            yield SystemCommand(_("Export"), _("Write the draft JSON and the report"),
                                self.action_export)
        yield SystemCommand(_("Quit"), _("Save and quit"), self.action_quit)

    # -- intakes ---------------------------------------------------------------------
    def start_new(self) -> None:
        from intake_assistant.flow.session import IntakeSession

        self.session = IntakeSession.new(self.language)
        self.intake_id = self.storage.new_id()
        self.autosave()
        self.show_current()

    def resume(self, intake_id: str) -> None:
        from intake_assistant.flow.session import IntakeSession

        try:
            saved = self.storage.load(intake_id)
        except DamagedSaveError as exc:
            self.show_message(_("Damaged save file"), render(exc.damaged.message()))
            self.refresh_start()
            return
        except FileNotFoundError:
            self.refresh_start()
            return
        try:
            session = IntakeSession.from_state_dict(saved.state)
        except Exception as exc:  # a save the session cannot restore is damaged too
            damaged = self.storage.set_aside(saved.path, _message_of(exc))
            self.show_message(_("Damaged save file"), render(damaged.message()))
            self.refresh_start()
            return
        self.session = session
        self.intake_id = intake_id
        if session.language != self.language:
            session.set_language(self.language)
        self.show_current()

    def action_import(self) -> None:
        def chosen(path: str | None) -> None:
            if path:
                self.import_draft(Path(path).expanduser())

        self.push_screen(
            PathScreen(_("Import a draft"), _("Path of a draft application JSON file"),
                       str(self.export_dir) + "/", must_exist=True),
            chosen,
        )

    def import_draft(self, path: Path) -> bool:
        from intake_assistant.flow.session import IntakeSession
        from intake_assistant.i18n import translator
        from intake_assistant.loading import DraftFileError, load_draft_file

        try:
            draft = load_draft_file(path)
        except DraftFileError as exc:
            self.show_message(_("This draft cannot be imported"),
                              exc.render(translator(self.language)))
            return False
        except OSError as exc:
            self.show_message(_("This draft cannot be imported"),
                              _("{path} cannot be read: {error}", path=str(path),
                                error=exc.strerror or str(exc)))
            return False
        self.session = IntakeSession.from_draft(draft, self.language)
        self.intake_id = self.storage.new_id()
        self.autosave()
        self.notify(_("Imported {path}", path=path.name))
        self.show_current()
        return True

    def meta(self) -> IntakeMeta:
        assert self.session is not None
        draft = self.session.draft
        title = (draft.project.title if draft.project else None) or ""
        names = tuple(p.name for p in (draft.participants or []) if p.name)
        return IntakeMeta(
            title=title,
            participants=names,
            updated=now_iso(),
            verdict=str(self.session.report.verdict),
            language=self.language,
            state=str(self.session.state),
        )

    def autosave(self) -> None:
        """Save the session at once (temporary file + rename)."""
        if self.session is None or self.intake_id is None:
            return
        try:
            self.storage.save(self.intake_id, self.session.to_state_dict(), self.meta())
        except OSError as exc:
            self.notify(_("Could not save the intake: {error}", error=str(exc)),
                        severity="error", timeout=10)

    # -- which screen -------------------------------------------------------------------
    def show_current(self) -> None:
        """Show the screen for where the session stands."""
        assert self.session is not None
        screen = self.screen_for(self.session.state)
        if getattr(self.screen, "is_intake_screen", False):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    @staticmethod
    def screen_for(state: str) -> IntakeScreen:
        """The screen for a state of the session: the review, the summary or a question."""
        if state == "review":
            return ReviewScreen()
        if state == "summary":
            return SummaryScreen()
        return QuestionScreen()

    def action_start_screen(self) -> None:
        self.autosave()
        while not isinstance(self.screen, StartScreen) and len(self.screen_stack) > 1:
            self.pop_screen()
        self.session = None
        self.intake_id = None
        self.refresh_start()

    def refresh_start(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, StartScreen):
                screen.call_later(screen.reload)

    def submit_answer(self, value: Any) -> str | None:
        """Answer the current question; saved at once, then on to the next one.

        Returns the reason when the session refuses the answer (nothing changes then).
        """
        session = self.session
        if session is None:
            return None
        result = session.answer(value)
        if not result.accepted:
            return result.message or _("This answer is not accepted.")
        session.next()
        self._follow_round()
        self.autosave()
        self.show_current()
        return None

    def _follow_round(self) -> None:
        """Once the application date is answered, the intake runs under that date's round."""
        from intake_assistant.flow.rounds import session_for_round

        assert self.session is not None
        followed = session_for_round(self.session)
        if followed is not self.session:
            self.session = followed
            from intake_assistant.rules.rounds import round_label

            self.notify(_("The intake now follows {round}, the round of the application date.",
                          round=render(round_label(followed.ruleset))))

    def go_back(self) -> None:
        if self.session is None:
            return
        if self.session.back():
            self.autosave()
            self.show_current()

    def jump_to(self, key: str) -> None:
        if self.session is not None and self.session.go_to(key):
            self.autosave()
            self.show_current()

    # -- participants ---------------------------------------------------------------------
    def _after_group_change(self, moved: bool) -> None:
        self.autosave()
        if moved:
            self.show_current()
        elif isinstance(self.screen, ParticipantsScreen):
            self.screen.refresh_after_change()

    def _group_change(self, change: Any, *args: Any, moved: bool) -> None:
        try:
            change(*args)
        except ValueError as exc:  # the session words these in the current language
            self.notify(str(exc) or _("This change is not possible."), severity="warning", timeout=8)
            return
        except (IndexError, KeyError):  # a row that is gone: nothing a user can read in the detail
            self.notify(_("This change is not possible."), severity="warning", timeout=8)
            return
        self._after_group_change(moved)

    def add_participant(self) -> None:
        if self.session is not None:
            self._group_change(self.session.add_participant, moved=True)

    def edit_participant(self, index: int) -> None:
        if self.session is not None:
            self._group_change(self.session.edit_participant, index, moved=True)

    def remove_participant(self, index: int, name: str) -> None:
        def confirmed(yes: bool | None) -> None:
            if yes and self.session is not None:
                self._group_change(self.session.remove_participant, index, moved=False)

        self.push_screen(
            ConfirmScreen(_("Remove participant?"),
                          _("Remove {name} and all answers about this participant?", name=name),
                          _("Remove"), _("Keep")),
            confirmed,
        )

    def add_cost_line(self, participant: int) -> None:
        if self.session is not None:
            self._group_change(self.session.add_cost_line, participant, moved=True)

    def edit_cost_line(self, participant: int, line: int) -> None:
        from intake_assistant.flow.plan import parse_key

        if self.session is None:
            return
        for _sid, _label, keys in self.session.sections():
            for key in keys:
                if parse_key(key)[1] == (participant, line):
                    self.jump_to(key)
                    return

    def remove_cost_line(self, participant: int, line: int) -> None:
        def confirmed(yes: bool | None) -> None:
            if yes and self.session is not None:
                self._group_change(self.session.remove_cost_line, participant, line,
                                   moved=False)

        self.push_screen(
            ConfirmScreen(_("Remove cost line?"),
                          _("Remove cost line {number}?", number=str(line + 1)),
                          _("Remove"), _("Keep")),
            confirmed,
        )

    def _go(self, target: str) -> None:
        if self.session is None:
            return
        self.session.go_to(target)
        self.autosave()
        self.show_current()

    def action_review(self) -> None:
        self._go("review")

    def action_summary(self) -> None:
        self._go("summary")

    def action_participants(self) -> None:
        if self.session is None or isinstance(self.screen, ParticipantsScreen):
            return
        if getattr(self.screen, "is_intake_screen", False):
            self.switch_screen(ParticipantsScreen())
        else:
            self.push_screen(ParticipantsScreen())

    def action_export(self) -> None:
        if self.session is not None:
            self.push_screen(ExportScreen(self.session, self.intake_id or "intake",
                                          self.export_dir))

    def show_message(self, title: str, text: str) -> None:
        self.push_screen(MessageScreen(title, text))

    async def action_quit(self) -> None:
        self.autosave()
        self.exit(0)


def _message_of(exc: Exception):
    from intake_assistant.i18n import Message

    # A known reason is a message id of the flow catalog and is translated; others stay as said.
    return Message("the session cannot be restored: {detail}", detail=Message(str(exc)))


def make_app(language: str | None = None, data_dir: str | None = None) -> IntakeApp:
    """Resolve the settings and build the App (the entry point and the tests use this)."""
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    storage = Storage(data_dir)
    settings = storage.load_settings()
    if language is not None and settings.language != language:
        settings = replace(settings, language=language)
    return IntakeApp(storage, settings, language)


def launch(language: str | None = None, data_dir: str | None = None) -> int:
    """Run the terminal UI; the exit code for the shell."""
    app = make_app(language, data_dir)
    app.run()
    return app.return_code or 0

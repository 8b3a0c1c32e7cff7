"""The Textual intake: the App keeps the screens, the keys and the messages; the intake
service (``self.intake``: ``service.open_intake.OpenIntake``) opens, changes, saves and
exports the intake. Screens get their data in their constructor and report back with
messages or ``dismiss()``; the App hands each change to the service and shows what came of
it (``service_outcomes``, ``screen_for``). Another channel (a served browser tab) is a
configuration: the service's ``Channel`` and the App's ``Look``.

``tui.launch`` resolves the settings, builds the App and runs it. Imports run one way:
app -> screens -> base/widgets; the question flow, the rules and pydantic are imported when
an intake starts, not before the start screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from intake_assistant.flow.states import REVIEW, SUMMARY
from intake_assistant.i18n import LANGUAGES, N_, _, get_language, set_language
from intake_assistant.service.open_intake import Channel, OpenIntake
from intake_assistant.storage import Settings, Storage, default_export_dir
from intake_assistant.tui.colleague_changes import HearsColleagues
from intake_assistant.tui.look import TERMINAL, Look, remap_keys
from intake_assistant.tui.screens.base import IntakeScreen
from intake_assistant.tui.screens.start import StartScreen
from intake_assistant.tui.service_outcomes import ShowsServiceOutcomes
from intake_assistant.tui.typed_kept import KeepsTypedAnswers

if TYPE_CHECKING:
    from intake_assistant.flow.session import IntakeSession
    from intake_assistant.service.outcomes import DraftSource
    from intake_assistant.tui.screens.export import ExportScreen
    from intake_assistant.tui.screens.participants import ParticipantsScreen
    from intake_assistant.tui.screens.question import QuestionScreen
    from intake_assistant.tui.screens.review import ReviewScreen


class IntakeApp(HearsColleagues, KeepsTypedAnswers, ShowsServiceOutcomes):
    """The guided pre-check intake."""

    CSS_PATH = Path(__file__).parent / "app.tcss"  # also for an App made elsewhere
    TITLE = "intake-assistant"
    ENABLE_COMMAND_PALETTE = True
    #: Classes the screens' sizes follow (app.tcss): at 80 columns the pre-check narrows,
    #: below 70 it stacks under the question; below 30 rows the buttons are one line high
    #: (below 36 those of the start screen, whose list needs the room).
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [
        (0, "-narrow"), (70, "-medium"), (110, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [
        (0, "-short"), (30, "-low"), (36, "-tall")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", N_("Help")),
        Binding("f2", "toggle_language", N_("Nederlands/English")),
        Binding("ctrl+q", "quit", N_("Quit"), priority=True),
        Binding("f8", "toggle_mode", N_("Entrepreneur/advisor"), show=False),
        Binding("ctrl+l", "precheck_list", N_("Every criterion"), show=False),
    ]

    def __init__(self, storage: Storage, settings: Settings, language: str | None = None, *,
                 export_dir: Path | None = None, channel: Channel | None = None,
                 look: Look = TERMINAL) -> None:
        super().__init__()
        set_language(language or settings.language or "nl")
        self.intake = OpenIntake(channel or Channel(storage), settings)
        self.look = look
        self._export_dir = export_dir or (
            Path(settings.export_dir) if settings.export_dir else None)
        #: The answer last chosen from the review: the review opens on it again.
        self.review_key: str | None = None
        #: The row (its indices) of a cost line added or changed from the participants
        #: table: once its questions are answered, the table shows again.
        self.table_row: tuple[int, ...] | None = None
        self.after_saves = []
        remap_keys(self, look.key_map)

    # -- what the service holds ------------------------------------------------------------
    @property
    def session(self) -> IntakeSession | None:
        return self.intake.session

    @property
    def intake_id(self) -> str | None:
        return self.intake.intake_id

    @property
    def storage(self) -> Storage:
        return self.intake.storage

    @property
    def settings(self) -> Settings:
        return self.intake.settings

    @property
    def unsaved(self) -> bool:
        """The last save of the open intake failed: the answers since live only here."""
        return self.intake.unsaved or self.intake.left_unsaved

    @property
    def language(self) -> str:
        return get_language()

    @property
    def export_dir(self) -> Path:
        """Where an export goes: the last export's folder, else the documents folder (asked
        of platformdirs when first needed, not before the first paint)."""
        if self._export_dir is None:
            self._export_dir = default_export_dir(self.storage.root)
        return self._export_dir

    # -- start -----------------------------------------------------------------------
    def on_mount(self) -> None:
        try:  # leftovers of a save that was killed mid-write
            self.storage.remove_stale_temp_files()
        except OSError:
            pass
        self.save_off_thread()  # the service decides: a team store's saves, off this thread
        self._show_sub_title()
        self.start_collecting()
        self.listen_to_colleagues()
        if self.look.at_start is not None:
            self.call_later(self.look.at_start, self)

    def on_unmount(self) -> None:
        # Ended from outside (a served tab's server: idle, Ctrl+C): what is not saved is now;
        # the save line writes what waits first.
        self.intake.finish_saves()

    def get_default_screen(self) -> Screen:
        # The start screen is the bottom of the stack: Textual's own default screen would be
        # composed, styled and laid out before it, for nothing.
        screen = StartScreen(self.storage, extra_buttons=self.look.start_buttons,
                             mode=self.settings.mode, mode_choice=self.look.mode_choice)
        remap_keys(screen, self.look.key_map)  # not pushed: the App starts on it
        return screen

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(screen, Screen):
            remap_keys(screen, self.look.key_map)
        return super().push_screen(screen, *args, **kwargs)

    def switch_screen(self, screen: Any) -> Any:
        if isinstance(screen, Screen):
            remap_keys(screen, self.look.key_map)
        return super().switch_screen(screen)

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Every notification is text, never markup: most name a file or a participant."""
        from intake_assistant.safe_text import visible

        super().notify(visible(message, keep_newlines=True), title=visible(title),
                       severity=severity, timeout=timeout, markup=False)

    # -- opening intakes ---------------------------------------------------------------
    def action_new(self) -> None:
        self.leave_question(lambda: self.show_new(self.intake.new(self.language)))

    @on(StartScreen.IntakeChosen)
    def _intake_chosen(self, event: StartScreen.IntakeChosen) -> None:
        self.resume(event.intake_id)

    def resume(self, intake_id: str) -> None:
        from intake_assistant.service.outcomes import IntakeProblem

        try:
            self.show_opened(self.intake.resume(intake_id, self.language))
        except IntakeProblem as problem:
            self.show_problem(problem)

    def action_import(self) -> None:
        from intake_assistant.tui.asking import ask_draft_path

        self.leave_question(lambda: (self.look.ask_import or ask_draft_path)(self))

    def import_from(self, source: DraftSource) -> bool:
        """Import a draft through the service's one checked path (False, with why shown)."""
        from intake_assistant.service.outcomes import IntakeProblem

        try:
            self.show_new(self.intake.import_draft(source, self.language))
        except IntakeProblem as problem:
            self.show_problem(problem)
            return False
        return True

    @on(StartScreen.CompareChosen)
    def _compare_chosen(self, event: StartScreen.CompareChosen) -> None:
        from intake_assistant.tui.asking import compare_intake

        compare_intake(self, event.intake_id)

    # -- language and who answers --------------------------------------------------------
    async def set_ui_language(self, language: str) -> None:
        if language not in LANGUAGES:
            return
        screen = self.open_question_screen()
        if self.session is not None and screen is not None:
            # read in the language it was typed in ("12,5" is 12.5 in Dutch only)
            self.keep_typed(screen)
        set_language(language)
        outcome = self.intake.set_language(language)  # the session's texts and the draft's
        self._show_sub_title()
        if self.show_change(outcome, show_state=False) is None and not outcome.done:
            self._refresh_screen()
        self.refresh_bindings()

    async def action_language(self, language: str) -> None:
        await self.set_ui_language(language)

    async def action_toggle_language(self) -> None:
        await self.set_ui_language("en" if self.language == "nl" else "nl")
        self.notify(_("The screens are now in English."))

    def set_mode(self, mode: str) -> bool:
        """Who uses the intake from now on (the service says when that may not be)."""
        outcome = self.intake.set_mode(mode)
        if outcome.problem:
            self.notify(outcome.problem, severity="warning")
            return False
        for screen in self.screen_stack:
            if isinstance(screen, StartScreen):
                screen.show_mode(mode)
        self.show_change(outcome, show_state=False)
        return True

    def action_mode(self, mode: str) -> None:
        self.set_mode(mode)

    def action_toggle_mode(self) -> None:
        advisor = self.settings.mode != "advisor"
        if self.set_mode("advisor" if advisor else "entrepreneur"):
            self.notify(_("Advisor mode: answers are recorded as the advisor's; press n on "
                          "the review to add a note.") if advisor else
                        _("Entrepreneur mode: answers are recorded as the entrepreneur's."))

    def on_review_screen_note_requested(self, event: ReviewScreen.NoteRequested) -> None:
        from intake_assistant.tui.asking import ask_note

        ask_note(self, event.key)

    def _remember(self, **changes: Any) -> None:
        problem = self.intake.remember(**changes)
        if problem:
            self.notify(problem, severity="error")

    def on_export_screen_exported(self, event: ExportScreen.Exported) -> None:
        """The next export proposes the folder of the last one (the service wrote the files
        and logged the export)."""
        self._export_dir = event.folder
        self._remember(export_dir=str(event.folder))

    def on_question_screen_precheck_toggled(self, event: QuestionScreen.PrecheckToggled) -> None:
        self._remember(show_precheck=event.shown)

    # -- which screen -------------------------------------------------------------------
    def show_current(self) -> None:
        """Show the screen for where the session stands."""
        from intake_assistant.tui.screens.question import QuestionScreen

        session = self.session
        assert session is not None
        if isinstance(self.screen, QuestionScreen) and session.state not in (REVIEW, SUMMARY):
            self.call_next(self.screen.session_changed, session)  # the next question, in place
            return
        self._show(self.screen_for(session))

    def _show(self, screen: Screen) -> None:
        if getattr(self.screen, "is_intake_screen", False):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def screen_for(self, session: IntakeSession) -> IntakeScreen:
        """The screen for where the session stands: the review, the summary or a question."""
        from intake_assistant.tui.screens.question import QuestionScreen
        from intake_assistant.tui.screens.review import ReviewScreen
        from intake_assistant.tui.screens.summary import SummaryScreen

        if session.state == REVIEW:
            return ReviewScreen(session, focus_key=self.review_key)
        if session.state == SUMMARY:
            return SummaryScreen(session)
        return QuestionScreen(session, show_precheck=self.settings.show_precheck)

    def action_show_current(self) -> None:
        if self.session is not None:
            self.show_current()

    def action_start_screen(self) -> None:
        from intake_assistant.tui.asking import confirm_losing_answers

        def close() -> None:
            self.when_saved(lambda saved: self.close_to_start() if saved else (
                confirm_losing_answers(self, _("Close without saving?"),
                                       _("Close without saving"), self.close_to_start)))

        self.leave_question(close)

    def close_to_start(self) -> None:
        """Close the open intake (what is not saved is dropped) and show the start screen."""
        while not isinstance(self.screen, StartScreen) and len(self.screen_stack) > 1:
            self.pop_screen()
        self.intake.close()
        self._show_sub_title()
        self.refresh_start()

    def refresh_start(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, StartScreen):
                screen.call_later(screen.reload)

    # -- answers and moves ------------------------------------------------------------------
    def on_question_screen_answer_submitted(self, event: QuestionScreen.AnswerSubmitted) -> None:
        """Answer the current question (or a form's fields); saved at once, then on to the
        next one. When the service refuses an answer the screen says why."""
        try:
            self._answer_submitted(event)
        finally:  # after the screen it leads to: keys typed after it must not stay held
            self.call_next(event.screen.answer_taken, event.holder)

    def _answer_submitted(self, event: QuestionScreen.AnswerSubmitted) -> None:
        if event.answers is None:
            outcome = self.intake.answer(event.value, event.key)
        else:
            outcome = self.intake.answer_form(event.answers, go_on=event.go_on,
                                              then=event.then)
        problem = self.show_change(outcome)
        if outcome.refused:
            event.screen.refuse_fields(outcome.refused, move_focus=not event.left,
                                       go_on=event.go_on, then=event.then)
        elif problem:
            event.screen.refuse(problem)
        elif self.table_row is not None and self.intake.current_row() != self.table_row:
            # the row's questions are answered: back to the table it came from
            self.table_row = None
            self.call_later(self.action_participants)

    def action_back(self) -> None:
        self.leave_question(self._back)

    def _back(self) -> None:
        session = self.session
        cancelled_add = session is not None and session.adding  # Esc on a new row's question
        self.show_change(self.intake.back())
        if self.table_row is not None and self.intake.current_row() != self.table_row:
            self.table_row = None  # back out of the row: no return to the table any more
        if cancelled_add:
            self.call_later(self.action_participants)  # back to the table the add came from

    def jump_to(self, key: str) -> None:
        self.leave_question(lambda: self.show_change(self.intake.go_to(key)))

    @on(IntakeScreen.QuestionChosen)
    def _question_chosen(self, event: IntakeScreen.QuestionChosen) -> None:
        from intake_assistant.tui.screens.review import ReviewScreen

        if isinstance(event.screen, ReviewScreen):
            self.review_key = event.key
        self.jump_to(event.key)

    def action_review(self) -> None:
        self.jump_to(REVIEW)

    def action_summary(self) -> None:
        self.jump_to(SUMMARY)

    # -- participants, export, help and commands -------------------------------------------
    def on_participants_screen_command_issued(self, event: ParticipantsScreen.CommandIssued) -> None:
        problem = self.change_session(event.command.run, show_state=not event.command.stays)
        if problem:
            self.notify(problem, severity="warning", timeout=8)
            return
        # a row's questions answered from the table go back to it
        self.table_row = self.intake.current_row() if event.command.returns_to_table else None

    def action_participants(self) -> None:
        from intake_assistant.tui.screens.participants import ParticipantsScreen

        def show() -> None:
            if self.session is not None and not isinstance(self.screen, ParticipantsScreen):
                self._show(ParticipantsScreen(self.session))

        self.leave_question(show)

    def action_export(self) -> None:
        from intake_assistant.tui.screens.export import ExportScreen

        def export() -> None:
            if self.session is None:
                return
            if self.look.ask_export is not None:
                self.look.ask_export(self)
            else:
                self.push_screen(ExportScreen(self.intake, self.export_dir),
                                 self.exported_shown)

        self.leave_question(export)  # what is typed belongs in the draft

    def exported_shown(self, written: list[Path] | None) -> None:
        """Say where the export dialog wrote its files: on the summary in a line above its
        buttons (a toast covered them for seconds), elsewhere in a notice."""
        from intake_assistant.tui.screens.summary import SummaryScreen

        if not written:
            return
        folder = str(written[0].parent)  # the folder the next export proposes (Exported)
        if isinstance(self.screen, SummaryScreen):
            self.screen.show_exported(folder, [path.name for path in written])
        else:
            self.notify(_("Exported to {folder}", folder=folder))

    def show_message(self, title: str, text: str) -> None:
        from intake_assistant.tui.screens.modals import MessageScreen

        self.push_screen(MessageScreen(title, text))

    def action_help(self) -> None:
        from intake_assistant.tui.screens.modals import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.look.help_keys() if self.look.help_keys else None))

    def action_precheck_list(self) -> None:
        """The full live pre-check, every criterion (the panel beside the questions is brief)."""
        from intake_assistant.tui.screens.modals import PrecheckListScreen
        from intake_assistant.tui.widgets.precheck import precheck_text

        if self.session is not None and not isinstance(self.screen, PrecheckListScreen):
            self.push_screen(PrecheckListScreen(precheck_text(self.session.report,
                                                              self.session.draft)))

    def action_command_palette(self) -> None:
        """Textual's palette, with its placeholder and keys in the UI's language."""
        from textual.command import CommandPalette

        from intake_assistant.tui.screens.modals import LocalizedPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(LocalizedPalette())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from intake_assistant.tui.palette_commands import intake_commands

        commands = intake_commands(self)
        return self.look.commands(self, commands) if self.look.commands else commands

    async def action_quit(self) -> None:
        self.leave_question(self._quit)

    def _quit(self) -> None:
        from intake_assistant.tui.asking import confirm_losing_answers

        def ask() -> None:
            # exit code 1: the shell (and a script) learns that answers were not saved
            confirm_losing_answers(self, _("Quit without saving?"), _("Quit without saving"),
                                   lambda: self.exit(1, return_code=1))

        if self.session is None:
            self.exit(0)
        elif self.after_saves:  # ctrl+q again while a save is on its way: ask, not wait
            ask()
        else:
            self.when_saved(lambda saved: self.exit(0) if saved else ask())


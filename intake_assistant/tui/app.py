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

import gc
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from intake_assistant.flow.states import REVIEW, SUMMARY
from intake_assistant.i18n import LANGUAGES, N_, _, get_language, render, set_language
from intake_assistant.storage import (
    DamagedSaveError,
    IntakeMeta,
    NewerSaveError,
    SaveConflictError,
    SavedIntake,
    Settings,
    Storage,
    default_export_dir,
    now_iso,
    write_problem,
)
from intake_assistant.tui.screens.base import IntakeScreen, LocalizedScreen
from intake_assistant.tui.screens.start import StartScreen

if TYPE_CHECKING:
    from intake_assistant.flow.session import IntakeSession
    from intake_assistant.tui.screens.export import ExportScreen
    from intake_assistant.tui.screens.participants import ParticipantsScreen
    from intake_assistant.tui.screens.question import QuestionScreen
    from intake_assistant.tui.screens.review import ReviewScreen


# A full collection (over every object not frozen) is made while nobody types once half of
# what makes Python's own (ten young collections) is there: no key, click or paste came for
# this long, looked at this often. Python's own are still made for one who never stops.
FULL_COLLECTION_AFTER = 5
IDLE_BEFORE_FULL_COLLECTION_S = 1.0
IDLE_CHECK_S = 0.5


class IntakeApp(App[int]):
    """The guided pre-check intake."""

    CSS_PATH = "app.tcss"
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
        self._export_dir = export_dir or (
            Path(settings.export_dir) if settings.export_dir else None)
        self.session: IntakeSession | None = None
        self.intake_id: str | None = None
        self.startup_notices: list[str] = []
        #: The last save of the open intake failed: the answers since live only here.
        self.unsaved = False
        #: The answer last chosen from the review: the review opens on it again.
        self.review_key: str | None = None
        #: The row (its indices) of a cost line added or changed from the participants
        #: table: once its questions are answered, the table shows again.
        self.table_row: tuple[int, ...] | None = None

    @property
    def export_dir(self) -> Path:
        """Where an export goes: the last export's folder, else the documents folder (asked
        of platformdirs when first needed, not before the first paint)."""
        if self._export_dir is None:
            self._export_dir = default_export_dir(self.storage.root)
        return self._export_dir

    @export_dir.setter
    def export_dir(self, folder: Path) -> None:
        self._export_dir = folder

    # -- start -----------------------------------------------------------------------
    def on_mount(self) -> None:
        try:  # leftovers of a save that was killed mid-write
            self.storage.remove_stale_temp_files()
        except OSError:
            pass
        self._show_sub_title()
        self._last_input = time.monotonic()
        if self.manages_collections:
            self.set_interval(IDLE_CHECK_S, self._collect_when_idle)

    # -- garbage collection ----------------------------------------------------------
    # Late in an intake a full collection took 40-100 ms, in the middle of an answer: it
    # went over everything made since the start (an intake's dialogs, state machine and
    # rules, two thirds of the objects; then what the screens keep painted). Only the
    # process that runs the app manages them (``launch``, the served app): in a test
    # process a collection goes over the tests' heap.
    manages_collections = False
    #: When the last key, click or paste came (``time.monotonic``).
    _last_input = 0.0

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

    def _freeze_after_paint(self) -> None:
        """What an intake opened now holds while it is open is frozen once its first screen
        is painted: later collections pass it by, as they pass by what the start loaded."""
        if self.manages_collections:
            self.call_after_refresh(self._freeze_what_lives)

    @staticmethod
    def _freeze_what_lives() -> None:
        gc.unfreeze()  # what an intake closed since then held is collected now
        gc.collect()
        gc.freeze()

    def get_default_screen(self) -> Screen:
        # The start screen is the bottom of the stack: Textual's own default screen would be
        # composed, styled and laid out before it, for nothing.
        return self.start_screen()

    def start_screen(self) -> StartScreen:
        """The first screen (the served intake adds a button to it)."""
        return StartScreen(self.storage, mode=self.settings.mode)

    def _show_sub_title(self) -> None:
        self.sub_title = (_("NOT SAVED: the last answers are only in this window")
                          if self.unsaved else _("pre-check, RVO decides"))

    @property
    def language(self) -> str:
        return get_language()

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Every notification is text, never markup: most name a file or a participant."""
        from intake_assistant.safe_text import visible

        super().notify(visible(message, keep_newlines=True), title=visible(title),
                       severity=severity, timeout=timeout, markup=False)

    # -- the one path of every change of the session -------------------------------------
    def change_session(self, change: Callable[[IntakeSession], object], *,
                       show_state: bool = True) -> str | None:
        """Change the session, save it at once, and show it: the one path of every change.

        ``change`` returns False when there was nothing to change (then nothing is saved
        or refreshed); it raises ``Refused`` or ``ValueError`` (worded for the user) or
        ``IndexError``/``KeyError`` (a row that is gone) when the change is not possible;
        that reason is returned and nothing is saved. With ``show_state`` the screen for
        where the session now stands shows; otherwise the screen that shows stays and is
        refreshed.
        """
        session = self.session
        if session is None:
            return None
        try:
            if change(session) is False:
                return None
        except (Refused, ValueError) as exc:
            return str(exc) or _("This change is not possible.")
        except (IndexError, KeyError):  # a row that is gone: nothing a user can read in the detail
            return _("This change is not possible.")
        self._follow_round()
        self.autosave()
        if show_state:
            self.show_current()
        else:
            self._refresh_screen()
        return None

    def _refresh_screen(self) -> None:
        """The screen that shows, as the session now is (in the language now chosen)."""
        screen = self.screen
        if isinstance(screen, LocalizedScreen) and screen.composed_language != get_language():
            self.call_next(screen.relocalize)
        elif isinstance(screen, IntakeScreen) and self.session is not None:
            self.call_next(screen.session_changed, self.session)

    # -- language --------------------------------------------------------------------
    async def set_ui_language(self, language: str) -> None:
        if language not in LANGUAGES:
            return
        set_language(language)
        self.settings = replace(self.settings, language=language)
        self._save_settings()
        self._show_sub_title()
        if self.session is not None:  # the session's texts and the draft's language follow
            self.change_session(lambda s: s.set_language(language), show_state=False)
        else:
            self._refresh_screen()
        self.refresh_bindings()

    async def action_language(self, language: str) -> None:
        await self.set_ui_language(language)

    async def action_toggle_language(self) -> None:
        other = "en" if self.language == "nl" else "nl"
        await self.set_ui_language(other)
        self.notify(_("The screens are now in English."))

    def _save_settings(self) -> None:
        try:
            self.storage.save_settings(self.settings)
        except OSError as exc:
            self.notify(_("Could not save the settings: {error}", error=render(write_problem(exc))),
                        severity="error")

    # -- who answers: the entrepreneur or an advisor ------------------------------------
    def set_mode(self, mode: str) -> None:
        """Who uses the intake from now on; remembered, and recorded with every answer."""
        if mode not in ("entrepreneur", "advisor"):
            return
        self.settings = replace(self.settings, mode=mode)
        self._save_settings()
        for screen in self.screen_stack:
            if isinstance(screen, StartScreen):
                screen.show_mode(mode)
        if self.session is not None and self.session.mode != mode:
            self.change_session(lambda s: s.set_mode(mode), show_state=False)

    def action_mode(self, mode: str) -> None:
        self.set_mode(mode)

    def action_toggle_mode(self) -> None:
        advisor = self.settings.mode != "advisor"
        self.set_mode("advisor" if advisor else "entrepreneur")
        self.notify(_("Advisor mode: answers are recorded as the advisor's; press n on the "
                      "review to add a note.") if advisor else
                    _("Entrepreneur mode: answers are recorded as the entrepreneur's."))

    def on_review_screen_note_requested(self, event: ReviewScreen.NoteRequested) -> None:
        from intake_assistant.tui.screens.provenance import NoteScreen

        session = self.session
        if session is None:
            return
        if session.mode != "advisor":
            self.notify(_("Only an advisor adds notes; switch to the advisor mode first "
                          "(F8)."), severity="warning")
            return
        entry = session.provenance(event.key)
        if entry is None and session.value(event.key) is None:
            self.notify(_("Only an answer can have a note; answer the question first."),
                        severity="warning")
            return
        view = session.view(event.key)
        key = event.key

        def noted(text: str | None) -> None:
            if text is None:
                return
            problem = self.change_session(lambda s: s.set_note(key, text), show_state=False)
            if problem:
                self.notify(problem, severity="error", timeout=8)

        self.push_screen(NoteScreen(view.label if view else key,
                                    entry.note if entry else None), noted)

    # -- comparing a saved intake with an earlier draft ---------------------------------
    @on(StartScreen.CompareChosen)
    def _compare_chosen(self, event: StartScreen.CompareChosen) -> None:
        self.compare_intake(event.intake_id)

    def compare_intake(self, intake_id: str) -> None:
        """Ask what to compare the saved intake ``intake_id`` with, then show it."""
        from intake_assistant.tui.screens.provenance import (
            EXPORTED_FILE,
            CompareScreen,
            CompareSourceScreen,
        )
        from intake_assistant.tui.screens.start import format_updated

        current = self._saved_draft(intake_id)
        if current is None:
            return
        title, new = current
        states = self.storage.earlier_states(intake_id)
        choices = [(s.path.name, format_updated(s.meta.updated)) for s in states]
        by_name = {s.path.name: s for s in states}

        def chosen(choice: str | None) -> None:
            if choice == EXPORTED_FILE:
                self._compare_with_file(title, new)
            elif choice in by_name:
                saved = by_name[choice]
                old = self._draft_of_state(saved.state, saved.path.name)
                if old is not None:
                    self.push_screen(CompareScreen(
                        old, new, _("saved {when}", when=format_updated(saved.meta.updated)),
                        _("{title} now", title=title)))

        self.push_screen(CompareSourceScreen(title, choices), chosen)

    def _saved_draft(self, intake_id: str) -> tuple[str, Any] | None:
        """(title, draft) of the saved intake, or None after saying why it cannot be read."""
        try:
            saved = self._read_save(intake_id)
        finally:
            if self.intake_id != intake_id:
                self.storage.forget(intake_id)  # read to compare, not opened here
        if saved is None:
            return None
        draft = self._draft_of_state(saved.state, saved.path.name)
        if draft is None:
            return None
        return saved.meta.title or _("(untitled)"), draft

    def _draft_of_state(self, state: dict[str, Any], name: str) -> Any:
        """The draft of a saved state, or None after saying why it cannot be restored."""
        from intake_assistant.flow.session import IntakeSession

        try:
            return IntakeSession.from_state_dict(state).draft
        except Exception as exc:  # bounds, a newer format, damage: none of it a traceback
            self.show_message(_("This state cannot be compared"),
                              _("{name}: {reason}", name=name, reason=render(_message_of(exc))))
            return None

    def _compare_with_file(self, title: str, new: Any) -> None:
        from intake_assistant.i18n import translator
        from intake_assistant.loading import DraftFileError, load_draft_file
        from intake_assistant.tui.screens.modals import PathScreen
        from intake_assistant.tui.screens.provenance import CompareScreen

        def chosen(path_text: str | None) -> None:
            if not path_text:
                return
            path = Path(path_text).expanduser()
            try:
                old = load_draft_file(str(path))  # the import's size, depth and number bounds
            except DraftFileError as exc:
                self.show_message(_("This draft cannot be compared"),
                                  exc.render(translator(self.language)))
                return
            except OSError as exc:
                self.show_message(_("This draft cannot be compared"),
                                  _("{path} cannot be read: {error}", path=str(path),
                                    error=exc.strerror or str(exc)))
                return
            self.push_screen(CompareScreen(old, new, path.name, _("{title} now", title=title)))

        self.push_screen(
            PathScreen(_("Compare with an exported draft"),
                       _("Path of a draft application JSON file"), str(self.export_dir) + "/",
                       must_exist=True),
            chosen,
        )

    def on_export_screen_exported(self, event: ExportScreen.Exported) -> None:
        """The next export proposes the folder of the last one."""
        self.export_dir = event.folder
        self.settings = replace(self.settings, export_dir=str(event.folder))
        self._save_settings()

    def on_question_screen_precheck_toggled(self, event: QuestionScreen.PrecheckToggled) -> None:
        self.settings = replace(self.settings, show_precheck=event.shown)
        self._save_settings()

    # -- help and commands ------------------------------------------------------------
    def action_help(self) -> None:
        from intake_assistant.tui.screens.modals import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

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
        yield SystemCommand(_("Switch language"), _("Nederlands / English"),
                            self.action_toggle_language)
        yield SystemCommand(_("Help"), _("Keys and how the intake works"), self.action_help)
        yield SystemCommand(_("Switch mode"), _("Entrepreneur / advisor: who gives the answers "
                                                "from now on (F8)"), self.action_toggle_mode)
        yield SystemCommand(_("New intake"), _("Start a new intake"), self.action_new)
        yield SystemCommand(_("Import a draft"), _("Open a draft application JSON file"),
                            self.action_import)
        yield SystemCommand(_("Start screen"), _("Resume another intake"),
                            self.action_start_screen)
        if self.session is not None:
            yield SystemCommand(_("Review answers"), _("All answers, grouped by section"),
                                self.action_review)
            yield SystemCommand(_("Summary"), _("The pre-check and the subsidy"),
                                self.action_summary)
            yield SystemCommand(_("Every criterion"), _("The full live pre-check (ctrl+l)"),
                                self.action_precheck_list)
            yield SystemCommand(_("Participants"), _("The partners and their costs"),
                                self.action_participants)
            yield SystemCommand(_("Export"), _("Write the draft JSON and the report"),
                                self.action_export)
        yield SystemCommand(_("Quit"), _("Save and quit"), self.action_quit)

    # -- intakes ---------------------------------------------------------------------
    def _open(self, session: IntakeSession, intake_id: str, *, save: bool) -> None:
        self._take(session, intake_id)
        if save:
            self.autosave()
        self.show_current()

    def _take(self, session: IntakeSession, intake_id: str) -> None:
        """``session`` is the open intake now, saved as ``intake_id``."""
        if self.intake_id is not None and self.intake_id != intake_id:
            self.storage.forget(self.intake_id)
        session.set_mode(self.settings.mode)  # who is at the keyboard now
        self.session = session
        self.intake_id = intake_id
        self.unsaved = False
        self._show_sub_title()
        self._freeze_after_paint()

    def action_new(self) -> None:
        from intake_assistant.flow.session import IntakeSession

        self._open(IntakeSession.new(self.language), self.storage.new_id(), save=True)

    @on(StartScreen.IntakeChosen)
    def _intake_chosen(self, event: StartScreen.IntakeChosen) -> None:
        self.resume(event.intake_id)

    def _read_save(self, intake_id: str) -> SavedIntake | None:
        """The saved intake ``intake_id``, or None after saying why it
        cannot be read (the start screen's list follows: a damaged save is set aside)."""
        try:
            return self.storage.load(intake_id)
        except DamagedSaveError as exc:
            self.show_message(_("Damaged save file"), render(exc.damaged.message()))
            self.refresh_start()
        except NewerSaveError as exc:
            self.show_message(_("Saved by a newer version"), render(exc.newer.message()))
        except FileNotFoundError:
            self.refresh_start()
        return None

    def resume(self, intake_id: str) -> None:
        from intake_assistant.flow.bounds import OutOfBounds
        from intake_assistant.flow.session import IntakeSession, NewerStateError
        from intake_assistant.storage import NewerSave

        saved = self._read_save(intake_id)
        if saved is None:
            return
        try:
            session = IntakeSession.from_state_dict(saved.state)
        except NewerStateError:
            newer = NewerSave(saved.path, 0)
            self.show_message(_("Saved by a newer version"), render(newer.message()))
            return
        except OutOfBounds as exc:
            damaged = self.storage.set_aside(saved.path, _problems_message(exc.problems))
            self.show_message(_("Damaged save file"), render(damaged.message()))
            self.refresh_start()
            return
        except Exception as exc:  # a save the session cannot restore is damaged too
            damaged = self.storage.set_aside(saved.path, _message_of(exc))
            self.show_message(_("Damaged save file"), render(damaged.message()))
            self.refresh_start()
            return
        if session.language != self.language:
            session.set_language(self.language)
        try:  # the state as it was when opened again: one to compare with later
            self.storage.keep_state(intake_id, self.settings.kept_states)
        except OSError:
            pass  # comparing is a help; the intake opens without it
        self._open(session, intake_id, save=False)
        if session.left_out:
            self.call_later(
                self.show_message,
                _("Some saved answers were left out"),
                _("These answers in the save are not ones the questions accept; they were "
                  "left out, answer them again:") + "\n" + _problems_lines(session.left_out))

    def action_import(self) -> None:
        """Ask for the path; a draft that cannot be imported keeps the dialog open with why."""
        from intake_assistant.tui.screens.modals import PathScreen

        prepared: dict[str, Any] = {}

        def check(text: str) -> str | None:
            path = Path(text).expanduser()
            outcome = self._prepare_import(path)
            if isinstance(outcome, str):
                return outcome
            prepared[text] = (path, outcome)
            return None

        def chosen(text: str | None) -> None:
            if text and text in prepared:
                path, (session, left_out) = prepared[text]
                self._import_prepared(path, session, left_out)

        self.push_screen(
            PathScreen(_("Import a draft"), _("Path of a draft application JSON file"),
                       str(self.export_dir) + "/", must_exist=True, check=check),
            chosen,
        )

    def import_draft(self, path: Path) -> bool:
        """Import the draft at ``path`` (False, with a message shown, when it cannot be)."""
        outcome = self._prepare_import(path)
        if isinstance(outcome, str):
            self.show_message(_("This draft cannot be imported"), outcome)
            return False
        session, left_out = outcome
        self._import_prepared(path, session, left_out)
        return True

    def _prepare_import(self, path: Path) -> tuple[IntakeSession, Any] | str:
        """The session of the draft at ``path`` and what was left out, or why it cannot be."""
        from intake_assistant.flow.bounds import OutOfBounds
        from intake_assistant.flow.session import IntakeSession
        from intake_assistant.i18n import translator
        from intake_assistant.loading import DraftFileError, load_draft_file

        try:
            draft = load_draft_file(str(path))
        except DraftFileError as exc:
            return exc.render(translator(self.language))
        except OSError as exc:
            return _("{path} cannot be read: {error}", path=str(path),
                     error=exc.strerror or str(exc))
        try:
            return IntakeSession.imported(draft, self.language)
        except OutOfBounds as exc:
            return (_("{path} holds more than this intake takes; nothing was imported:",
                      path=str(path)) + "\n" + _problems_lines(exc.problems))

    def _import_prepared(self, path: Path, session: IntakeSession, left_out: Any) -> None:
        side_file = self._take_provenance(session, path)
        self._take(session, self.storage.new_id())
        self.autosave()
        self.notify(_("Imported {path}", path=path.name) + side_file)
        self.show_current()
        if left_out:
            self.call_later(
                self.show_message,
                _("Some answers were not imported"),
                _("These answers in {path} are outside what the questions accept; they were "
                  "not imported, answer them in the intake:", path=path.name) + "\n"
                + _problems_lines(left_out))

    def _take_provenance(self, session: IntakeSession, path: Path) -> str:
        """Who gave the answers, from the export's side file beside the draft, if there is
        one; without it every answer is marked imported. Returns a line for the notice."""
        from intake_assistant.loading import DraftFileError, parse_json_text, read_text
        from intake_assistant.tui.screens.export import provenance_path

        side = provenance_path(path)
        if not side.is_file():
            return ""
        try:
            count = session.take_provenance(parse_json_text(read_text(str(side)), str(side)))
        except (DraftFileError, ValueError):
            return "\n" + _("{path} is not a provenance file; the answers are marked imported.",
                            path=side.name)
        return "\n" + _("Who gave the answers, and when: from {path} ({count} answers).",
                        path=side.name, count=str(count))

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

    def autosave(self) -> bool:
        """Save the session at once (temporary file + rename); False when that failed.

        A failed save is shown until a later one succeeds (the header says NOT SAVED) and
        says where the answers can go instead; another window's newer save of the same
        intake is never overwritten: this window's answers become a separate intake.
        """
        if self.session is None or self.intake_id is None:
            return True
        try:
            self.storage.save(self.intake_id, self.session.to_state_dict(), self.meta())
        except SaveConflictError:
            return self._save_as_copy()
        except OSError as exc:
            was_unsaved = self.unsaved
            self.unsaved = True
            self._show_sub_title()
            if not was_unsaved:  # once per failure, not per answer
                self.notify(
                    _("Could not save the intake in {folder}: {reason}. Your answers stay in "
                      "this window; export them to another folder or disk (command palette, "
                      "ctrl+p: Export; proposed: {export})",
                      folder=str(self.storage.intakes_dir), reason=render(write_problem(exc)),
                      export=str(self.export_dir)),
                    severity="error", timeout=30)
            return False
        if self.unsaved:
            self.unsaved = False
            self._show_sub_title()
            self.notify(_("The intake is saved again."))
        return True

    def _save_as_copy(self) -> bool:
        """Another window saved this intake meanwhile: keep both, as two intakes."""
        assert self.session is not None and self.intake_id is not None
        other = self.intake_id
        self._take(self.session, self.storage.new_id())
        saved = self.autosave()
        if saved:  # after the screen change that follows the save
            self.call_later(
                self.show_message,
                _("Changed in another window"),
                _("This intake ({id}) was also changed in another window since it was opened "
                  "here. So that neither window loses answers, the answers of this window are "
                  "now saved as a separate intake ({copy}); the start screen lists both.",
                  id=other, copy=self.intake_id or ""))
        return saved

    # -- which screen -------------------------------------------------------------------
    def show_current(self) -> None:
        """Show the screen for where the session stands."""
        from intake_assistant.tui.screens.question import QuestionScreen

        session = self.session
        assert session is not None
        if isinstance(self.screen, QuestionScreen) and session.state not in (REVIEW, SUMMARY):
            self.call_next(self.screen.session_changed, session)  # the next question, in place
            return
        screen = self.screen_for(session)
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
        def leave() -> None:
            while not isinstance(self.screen, StartScreen) and len(self.screen_stack) > 1:
                self.pop_screen()
            if self.intake_id is not None:
                self.storage.forget(self.intake_id)
            self.session = None
            self.intake_id = None
            self.unsaved = False
            self._show_sub_title()
            self.refresh_start()

        if self.autosave():
            leave()
        else:
            self._confirm_losing_answers(_("Close without saving?"), _("Close without saving"),
                                         leave)

    def _confirm_losing_answers(self, title: str, yes: str, then: Any) -> None:
        """Ask before the answers that could not be saved are dropped."""
        from intake_assistant.tui.screens.modals import ConfirmScreen

        def confirmed(leave: bool | None) -> None:
            if leave:
                then()

        self.push_screen(
            ConfirmScreen(title,
                          _("The last answers could not be saved ({folder}); they are lost "
                            "if you go on. Export the intake first to keep them.",
                            folder=str(self.storage.intakes_dir)),
                          yes, _("Stay")),
            confirmed,
        )

    def refresh_start(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, StartScreen):
                screen.call_later(screen.reload)

    # -- answers and moves ------------------------------------------------------------------
    def on_question_screen_answer_submitted(self, event: QuestionScreen.AnswerSubmitted) -> None:
        """Answer the current question; saved at once, then on to the next one.

        When the session refuses the answer nothing changes, and the screen says why.
        """
        try:
            self._answer_submitted(event)
        finally:  # after the screen it leads to: keys typed after it must not stay held
            self.call_next(event.screen.answer_taken, event.holder)

    def _answer_submitted(self, event: QuestionScreen.AnswerSubmitted) -> None:
        if event.answers is None:
            if self.session is None or (event.key is not None
                                        and self.session.state != event.key):
                return  # typed ahead: the question it answered is no longer the current one
            problem = self.change_session(lambda s: _answer_and_next(s, event.value))
        else:
            refused: dict[str, str] = {}
            answers, go_on, then = event.answers, event.go_on, event.then
            problem = self.change_session(
                lambda s: _answer_form(s, answers, go_on, then, refused))
            if refused:
                event.screen.refuse_fields(refused)
                return
        if problem:
            event.screen.refuse(problem)
            return
        row = self.table_row
        if row is not None and not self._on_row(row):
            # the row's questions are answered: back to the table it came from
            self.table_row = None
            self.call_later(self.action_participants)

    def _on_row(self, row: tuple[int, ...]) -> bool:
        """The current question is one of the row with indices ``row``."""
        from intake_assistant.flow.plan import parse_key

        session = self.session
        if session is None or session.state in (REVIEW, SUMMARY):
            return False
        return parse_key(str(session.state))[1] == row

    def action_back(self) -> None:
        session = self.session
        cancelled_add = session is not None and session.adding  # Esc on a new row's question
        self.change_session(lambda s: s.back(by_screen=True))
        if self.table_row is not None and not self._on_row(self.table_row):
            self.table_row = None  # back out of the row: no return to the table any more
        if cancelled_add:
            self.call_later(self.action_participants)  # back to the table the add came from

    def _follow_round(self) -> None:
        """Once the application date is answered, the intake runs under that date's round."""
        from intake_assistant.flow.rounds import session_for_round

        assert self.session is not None
        followed = session_for_round(self.session)
        if followed is not self.session:
            self.session = followed
            self._freeze_after_paint()
            from intake_assistant.rules.rounds import round_label

            self.notify(_("The intake now follows {round}, the round of the application date.",
                          round=render(round_label(followed.ruleset))))

    def jump_to(self, key: str) -> None:
        self.change_session(lambda s: s.go_to(key))

    @on(IntakeScreen.QuestionChosen)
    def _question_chosen(self, event: IntakeScreen.QuestionChosen) -> None:
        from intake_assistant.tui.screens.review import ReviewScreen

        if isinstance(event.screen, ReviewScreen):
            self.review_key = event.key
        self.jump_to(event.key)

    def _go(self, target: str) -> None:
        def go(session: IntakeSession) -> None:
            session.go_to(target)

        self.change_session(go)

    def action_review(self) -> None:
        self._go(REVIEW)

    def action_summary(self) -> None:
        self._go(SUMMARY)

    # -- participants ---------------------------------------------------------------------
    def on_participants_screen_command_issued(self, event: ParticipantsScreen.CommandIssued) -> None:
        problem = self.change_session(event.command.run, show_state=not event.command.stays)
        if problem:
            self.notify(problem, severity="warning", timeout=8)
            return
        self.table_row = None
        if event.command.returns_to_table and self.session is not None:
            from intake_assistant.flow.plan import parse_key

            if self.session.state not in (REVIEW, SUMMARY):
                self.table_row = parse_key(str(self.session.state))[1]

    def action_participants(self) -> None:
        from intake_assistant.tui.screens.participants import ParticipantsScreen

        if self.session is None or isinstance(self.screen, ParticipantsScreen):
            return
        screen = ParticipantsScreen(self.session)
        if getattr(self.screen, "is_intake_screen", False):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def action_export(self) -> None:
        from intake_assistant.tui.screens.export import ExportScreen

        if self.session is not None:
            self.push_screen(ExportScreen(self.session, self.intake_id or "intake",
                                          self.export_dir))

    def show_message(self, title: str, text: str) -> None:
        from intake_assistant.tui.screens.modals import MessageScreen

        self.push_screen(MessageScreen(title, text))

    async def action_quit(self) -> None:
        if self.autosave() or self.session is None:
            self.exit(0)
            return
        # exit code 1: the shell (and a script) learns that answers were not saved
        self._confirm_losing_answers(_("Quit without saving?"), _("Quit without saving"),
                                     lambda: self.exit(1, return_code=1))


class Refused(Exception):
    """The session did not accept a change; the text says why, in the user's language."""


def _answer_and_next(session: IntakeSession, value: Any) -> None:
    result = session.answer(value)
    if not result.accepted:
        raise Refused(result.message or _("This answer is not accepted."))
    session.next(by_screen=True)


def _answer_form(session: IntakeSession, answers: dict[str, Any], go_on: bool,
                 then: str | None, refused: dict[str, str]) -> bool:
    """A form's fields answered, each on its own; on to the next screen (``go_on``) or to
    the field ``then`` when all are accepted, else to the first refused field (``refused``
    gets each one's reason). Nothing accepted and nothing to move: no change."""
    results = session.answer_page(answers)
    for key, result in results.items():
        if not result.accepted:
            refused[key] = result.message or _("This answer is not accepted.")
    if refused:
        if len(refused) == len(results):
            raise Refused(next(iter(refused.values())))  # nothing changed: nothing to save
        return session.go_to(next(iter(refused)))
    # a change chosen in the review goes back to it (as next() does: unless the next field
    # is still open, as in a row just added)
    if go_on or (session.returns_to_review and then is not None
                 and session.value(then) is not None):
        return session.next(by_screen=True) or bool(results)
    if then is not None and then != session.state:
        return session.go_to(then) or bool(results)
    return bool(results)


def _problems_lines(problems) -> str:
    """One line per (path, why): ``participants[0].staff_units: must be at most 1000000``."""
    lines = [f"• {path}: {render(what)}" for path, what in problems[:20]]
    if len(problems) > 20:
        lines.append(_("and {count} more", count=str(len(problems) - 20)))
    return "\n".join(lines)


def _problems_message(problems):
    from intake_assistant.i18n import Message

    return Message("outside the limits of the questions: {problems}", problems="; ".join(
        f"{path}: {render(what)}" for path, what in problems[:5]))


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
    # What is loaded now lives as long as the app: frozen, later collections skip it (a
    # collection over the whole heap paused the first screen and, late in an intake, answers).
    gc.freeze()
    gc.enable()
    app.manages_collections = True
    app.run()
    return app.return_code or 0

"""The start: choose the language, start a new intake, resume one, or import a draft."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Header, Input, Label, Static

from intake_assistant.i18n import N_, _, get_language, render
from intake_assistant.status_words import VERDICT_WORDS
from intake_assistant.storage import SavedIntake
from intake_assistant.tui.screens.base import LocalizedScreen
from intake_assistant.tui.widgets.footer import Footer
from intake_assistant.tui.widgets.safe import shown

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from textual.widget import Widget

    from intake_assistant.i18n import Message as LazyMessage
    from intake_assistant.storage import Storage


def format_updated(iso: str) -> str:
    """The last change as saved (local time then), written as the questions write dates.

    (Not through babel: its date module costs more startup time than the whole list.)
    """
    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    pattern = "%d-%m-%Y %H:%M" if get_language() == "nl" else "%Y-%m-%d %H:%M"
    return when.strftime(pattern)


def matches(saved: SavedIntake, needle: str) -> bool:
    if not needle:
        return True
    words = needle.casefold().split()
    haystack = " ".join((saved.meta.title, *saved.meta.participants)).casefold()
    return all(word in haystack for word in words)


class StartScreen(LocalizedScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "app.new", N_("New intake")),
        Binding("ctrl+o", "app.import", N_("Import")),
        Binding("ctrl+f", "filter", N_("Filter"), show=False),
        Binding("ctrl+d", "compare", N_("Compare")),
    ]

    @dataclass
    class IntakeChosen(Message):
        """The user chose a saved intake to resume."""

        screen: StartScreen
        intake_id: str

        @property
        def control(self) -> StartScreen:
            return self.screen

    @dataclass
    class CompareChosen(Message):
        """The user wants to compare a saved intake with an earlier draft or state."""

        screen: StartScreen
        intake_id: str

        @property
        def control(self) -> StartScreen:
            return self.screen

    def __init__(self, storage: Storage, *,
                 extra_buttons: Callable[[], Iterable[Widget]] = tuple,
                 mode: str = "entrepreneur") -> None:
        super().__init__()
        self.storage = storage
        self.mode = mode  # who answers: the App remembers it and says when it changes
        self.extra_buttons = extra_buttons
        self.saved: list[SavedIntake] = []
        self.damaged_texts: list[str] = []
        # Whether there is a list is known without reading a save: the first paint has the
        # layout the screen keeps, and the saves are read right after it.
        self.has_list = storage.has_intakes()

    def _load(self) -> None:
        try:
            listing = self.storage.list_intakes()
        except OSError as exc:  # an unreadable folder: say so, still offer a new intake
            self.damaged_texts.append(_("The saved intakes cannot be read: {error}",
                                        error=exc.strerror or str(exc)))
            return
        self.saved = listing.intakes
        self.damaged_texts += [render(d.message()) for d in listing.damaged]
        self.damaged_texts += [render(n.message()) for n in listing.newer]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="start"):
            yield Static(
                _("Guided pre-check for the circular chain projects subsidy "
                  "(Subsidieregeling Circulaire Economie, paragraph 2). "
                  "This is a pre-check, not a decision: RVO decides."),
                id="intro",
            )
            # Filled after the first paint: the rounds come from the rules (pydantic), which
            # the start screen does not wait for.
            rounds = self._rounds_message
            yield Static(render(rounds) if rounds is not None else "", id="rounds", markup=False)
            with Horizontal(id="language-row"):
                yield Label(_("Language / Taal:"), id="language-label")
                yield Button("Nederlands", id="lang-nl", action="app.language('nl')",
                             variant="primary" if get_language() == "nl" else "default")
                yield Button("English", id="lang-en", action="app.language('en')",
                             variant="primary" if get_language() == "en" else "default")
            advisor = self.mode == "advisor"
            with Horizontal(id="mode-row"):
                yield Label(_("Who answers:"), id="mode-label")
                yield Button(_("Entrepreneur"), id="mode-entrepreneur",
                             action="app.mode('entrepreneur')",
                             variant="default" if advisor else "primary")
                yield Button(_("Advisor"), id="mode-advisor", action="app.mode('advisor')",
                             variant="primary" if advisor else "default")
            with Horizontal(id="start-actions"):
                yield Button(_("New intake"), id="new", variant="success", action="app.new")
                yield Button(_("Import a draft"), id="import", action="app.import")
                if self.has_list:
                    yield Button(_("Resume the last intake"), id="resume-last")
                    yield Button(_("Compare…"), id="compare", action="screen.compare")
                yield from self.extra_buttons()  # the served intake's "Resume with a code"
            for text in self.damaged_texts:
                yield Static(shown(text, keep_newlines=True), classes="damaged")
            yield Label(_("Saved intakes"), classes="section-title")
            if self.has_list:
                yield Input(placeholder=_("Type to filter by project or participant"),
                            id="filter", select_on_focus=False)
                yield DataTable(id="intakes", cursor_type="row")
            else:
                yield Static(_("No saved intakes yet."), id="no-intakes")
        yield Footer()

    def on_mount(self) -> None:
        self._focus()
        self.call_after_refresh(self._read_saves)

    def _focus(self) -> None:
        if self.has_list:
            self.query_one("#intakes", DataTable).focus()
        else:
            self.query_one("#new", Button).focus()

    _rounds_message: LazyMessage | None = None  # which rounds are covered, kept for a recompose

    def _show_rounds(self) -> None:
        from intake_assistant.rules.rounds import coverage

        self._rounds_message = coverage(dt.date.today())
        self.query_one("#rounds", Static).update(render(self._rounds_message))

    async def _read_saves(self) -> None:
        self._show_rounds()
        self._load()
        if self.damaged_texts or self.has_list != bool(self.saved):
            self.has_list = bool(self.saved)
            await self.recompose()
            self._focus()
        self._fill_table()

    async def reload(self) -> None:
        self.saved = []
        self._load()
        self.has_list = bool(self.saved)
        await self.recompose()
        self._fill_table()

    async def relocalize(self) -> None:
        await super().relocalize()
        self._fill_table()

    def _fill_table(self, needle: str = "") -> None:
        tables = self.query("#intakes").results(DataTable)
        table = next(iter(tables), None)
        if table is None:
            return
        table.clear(columns=True)
        table.add_column(_("Project"), key="title")
        table.add_column(_("Participants"), key="participants")
        table.add_column(_("Last change"), key="updated")
        table.add_column(_("Pre-check"), key="verdict")
        unshowable = []
        for saved in self.saved:
            if not matches(saved, needle):
                continue
            try:
                table.add_row(*self._cells(saved), key=saved.id)
            except Exception:  # one save must never stop the start screen
                unshowable.append(saved)
        for saved in unshowable:
            self._set_aside(saved)

    @staticmethod
    def _cells(saved: SavedIntake) -> tuple[Text, ...]:
        meta = saved.meta
        verdict = render(VERDICT_WORDS[meta.verdict]) if meta.verdict in VERDICT_WORDS else ""
        return (
            shown(meta.title) if meta.title else Text(_("(untitled)")),
            shown(", ".join(meta.participants) or "–"),
            shown(format_updated(meta.updated)),
            Text(verdict),
        )

    def _set_aside(self, saved: SavedIntake) -> None:
        from intake_assistant.i18n import Message

        damaged = self.storage.set_aside(saved.path, Message("the start screen cannot show it"))
        self.saved = [s for s in self.saved if s.id != saved.id]
        self.notify(render(damaged.message()), severity="error", timeout=15)

    # -- actions ---------------------------------------------------------------------
    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill_table(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        table = self.query_one("#intakes", DataTable)
        if table.row_count:
            self._resume(table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value)

    def on_key(self, event) -> None:
        # Typing on the list goes to the filter: "filtered by typing".
        focused = self.focused
        if isinstance(focused, DataTable) and focused.id == "intakes":
            if event.character and event.character.isprintable() and len(event.key) == 1:
                field = self.query_one("#filter", Input)
                field.focus()
                field.insert_text_at_cursor(event.character)
                event.stop()
        elif isinstance(focused, Input) and focused.id == "filter" and event.key == "down":
            self.query_one("#intakes", DataTable).focus()
            event.stop()

    def action_filter(self) -> None:
        if self.has_list:
            self.query_one("#filter", Input).focus()

    @on(DataTable.RowSelected, "#intakes")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self._resume(event.row_key.value)

    @on(Button.Pressed, "#resume-last")
    def _resume_last(self) -> None:
        if self.saved:
            self._resume(self.saved[0].id)

    def show_mode(self, mode: str) -> None:
        """The mode chosen now (the App remembers it) is the highlighted button."""
        self.mode = mode
        for button in self.query("#mode-row Button").results(Button):
            button.variant = "primary" if button.id == f"mode-{mode}" else "default"

    def action_compare(self) -> None:
        """Compare the intake under the cursor with an earlier export or saved state."""
        tables = list(self.query("#intakes").results(DataTable))
        if not tables or not tables[0].row_count:
            self.notify(_("There is no saved intake to compare."), severity="warning")
            return
        table = tables[0]
        intake_id = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        if intake_id:
            self.post_message(self.CompareChosen(self, intake_id))

    def _resume(self, intake_id: str | None) -> None:
        if intake_id:
            self.post_message(self.IntakeChosen(self, intake_id))

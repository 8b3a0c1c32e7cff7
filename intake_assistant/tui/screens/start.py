"""The start: choose the language, start a new intake, resume one, or import a draft.

The resume list shows each saved intake's project, participants, last change, pre-check
verdict and the end of its id (two intakes with the same title differ there); the project and
the participants share what is left of the width, cut with an ellipsis, so the verdict and the
last change stay visible however long a title is. It filters by typing (project,
participant or id), by verdict (F4) and by the last change (F5), and sorts by any column
(F3, or a click on the column's header; again: the other way round).

The first paint waits for nothing it does not show: the list is read from the save index (and
its table mounted) right after it, and the covered rounds (which need the rules) are found in
a thread after that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Header, Input, Label, Static

from intake_assistant.i18n import N_, _, get_language, ngettext, render
from intake_assistant.status_words import SHORT_VERDICT_WORDS, VERDICT_WORDS
from intake_assistant.storage import HeaderList, IntakeHeader
from intake_assistant.storage.listing import (
    CHANGED_FILTERS,
    CHANGED_NAMES,
    SORT_KEYS,
    SORT_NAMES,
    VERDICT_FILTERS,
    ListFilter,
    arranged,
    duplicate_titles,
    format_updated,
    short_id,
)
from intake_assistant.tui.screens.base import LocalizedScreen
from intake_assistant.tui.widgets.button import Button
from intake_assistant.tui.widgets.footer import Footer
from intake_assistant.tui.widgets.safe import shown

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from textual.widget import Widget
    from textual.widgets import DataTable

    from intake_assistant.i18n import Message as LazyMessage
    from intake_assistant.storage import Storage

__all__ = ["StartScreen", "format_updated"]

#: Seconds between the first frame and reading the saves (a frame at 20 per second).
TERMINAL_SHOWS_FRAME = 0.05
#: Seconds after the screen is mounted by which the saves are read, whatever happens.
LIST_AT_THE_LATEST = 0.5

_VERDICT_STYLES = {"eligible": "green", "not_eligible": "bold red", "incomplete": "yellow"}
_VERDICT_MARKS = {"eligible": "✔", "not_eligible": "✘", "incomplete": "…"}
#: Column widths that stay (the verdict's words, a date and time, the id's end).
_DATE_WIDTH, _ID_WIDTH = 16, 6
#: Below this width the list leaves out the participants and words the verdicts shortly.
COMPACT_LIST_BELOW = 100
_SHORT_DATE_WIDTH = 11


def _verdict_width() -> int:
    return 2 + max(len(render(words)) for words in VERDICT_WORDS.values())


class StartScreen(LocalizedScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "app.new", N_("New intake")),
        Binding("ctrl+o", "app.import", N_("Import")),
        Binding("ctrl+f", "filter", N_("Filter"), show=False),
        Binding("f3", "sort", N_("Sort")),
        # Their Selects show what they do; the footer keeps room for F1 and F2.
        Binding("f4", "verdict_filter", N_("Verdict"), show=False),
        Binding("f5", "changed_filter", N_("Last change"), show=False),
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
                 mode: str = "entrepreneur", mode_choice: bool = True) -> None:
        super().__init__()
        self.mode_choice = mode_choice  # False: who answers is fixed (a served client)
        self.storage = storage
        self.mode = mode  # who answers: the App remembers it and says when it changes
        self.extra_buttons = extra_buttons
        self.saved: list[IntakeHeader] = []  # newest first
        self.damaged_texts: list[str] = []
        self.list_filter = ListFilter()
        self.sort_by = "updated"
        self.sort_reversed = False
        # Whether there is a list is known without reading a save: the first paint has the
        # layout the screen keeps, and the saves are read right after it (the list's widgets
        # are mounted then too: the first paint does not wait for a table it cannot fill).
        self.has_list = storage.has_intakes()
        self.list_mounted = False

    def _load(self) -> None:
        try:
            listing = self.storage.list_headers()
        except OSError as exc:  # an unreadable folder: say so, still offer a new intake
            self.damaged_texts.append(_("The saved intakes cannot be read: {error}",
                                        error=exc.strerror or str(exc)))
            return
        self._take(listing)

    def _take(self, listing: HeaderList) -> None:
        self.saved = listing.intakes
        self.damaged_texts += [render(problem) for problem in listing.problems()]

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
            if self.mode_choice:
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
                with Vertical(id="list-area"):
                    if self.list_mounted:
                        yield from self._list_widgets()
            else:
                yield Static(_("No saved intakes yet."), id="no-intakes")
        yield Footer()

    def _list_widgets(self) -> list[Widget]:
        # The table's module is loaded here, after the first paint (its import was a tenth of
        # the time to the first screen); the screen's handlers name it by message name.
        from textual.widgets import DataTable

        return [
            Horizontal(
                Input(self.list_filter.needle, id="filter", select_on_focus=False,
                      placeholder=_("Type to filter by project, participant or id")),
                # Buttons that step through the choices (as F4 and F5 do): lighter to draw
                # than a Select and its overlay.
                Button(self._verdict_label(), id="verdict-filter", classes="list-choice"),
                Button(self._changed_label(), id="changed-filter", classes="list-choice"),
                id="list-filters"),
            Static("", id="list-status", markup=False),
            DataTable(id="intakes", cursor_type="row", zebra_stripes=True),
        ]

    def on_mount(self) -> None:
        self._focus()
        # The saves are read once the screen is on the terminal. ``call_after_refresh`` is
        # too soon: while the app starts, its frames are held back (a batch), and the list was
        # read and filled before anything showed. The layout-refresh signal comes after each
        # frame; it is subscribed through a child, as unsubscribing drops every subscription
        # of the node, and the screen has its own.
        self.screen_layout_refresh_signal.subscribe(
            self.query_one("#start"), self._after_a_frame, immediate=True)
        # The first layout of the App's first screen sends no signal (Textual says "ready"
        # instead); a later one comes at once (the header's subtitle, the footer's keys),
        # and this is in case none does.
        self.set_timer(LIST_AT_THE_LATEST, self._read_saves)

    def _after_a_frame(self, _screen: object) -> None:
        if getattr(self.app, "_batch_count", 0):  # the frame was held back, not written
            return
        self.screen_layout_refresh_signal.unsubscribe(self.query_one("#start"))
        if self.app.is_headless:  # no terminal to wait for
            self.call_next(self._read_saves)
        else:
            # The terminal gets a moment to show the frame: reading and listing 200 saves
            # at once kept a busy two-core machine from showing it for ~90 ms.
            self.set_timer(TERMINAL_SHOWS_FRAME, self._read_saves)

    def _focus(self) -> None:
        if self.has_list and self.list_mounted:
            self._table().focus()
        else:
            self.query_one("#new", Button).focus()

    _rounds_message: LazyMessage | None = None  # which rounds are covered, kept for a recompose

    def _rounds_in_thread(self) -> None:
        """Which rounds are covered: the rules (pydantic) load in a thread, after the list."""
        try:
            from intake_assistant.rules.rounds import coverage

            message = coverage(dt.date.today())
            self.app.call_from_thread(self._show_rounds, message)
        except Exception:  # a line of information: the app closed meanwhile, or it failed
            return

    def _show_rounds(self, message: LazyMessage) -> None:
        self._rounds_message = message
        for static in self.query("#rounds").results(Static):
            static.update(render(message))

    async def _read_saves(self) -> None:
        if self.list_mounted:  # read already (the signal, then the timer)
            return
        self._load()
        untouched = self.focused is None or self.focused.id == "new"
        self.list_mounted = True
        if self.damaged_texts or self.has_list != bool(self.saved):
            self.has_list = bool(self.saved)
            await self.recompose()
        elif self.has_list:
            await self.query_one("#list-area", Vertical).mount_all(self._list_widgets())
        if untouched:  # not when the user has moved on meanwhile
            self._focus()
        self._fill_table()
        if self._rounds_message is None:  # after the next paint (the footer's keys are in it)
            self.call_after_refresh(self._start_rounds)

    def _start_rounds(self) -> None:
        self.run_worker(self._rounds_in_thread, thread=True, exit_on_error=False,
                        group="rounds")

    def show_listing(self, listing: HeaderList) -> None:
        """The saved intakes as read again (a colleague changed the team's): the table
        follows, keeping the filter, the order and the row the cursor is on."""
        if not self.list_mounted:
            return  # the first read is still to come, and reads them itself
        problems = [render(problem) for problem in listing.problems()]
        if bool(listing.intakes) != self.has_list or problems != self.damaged_texts:
            # the screen's layout changes: laid out again from this listing, not read again
            # (a team store's list is a round trip, and the listener read it just now)
            self.call_later(self.reload, listing)
            return
        self.saved = listing.intakes
        self._fill_table()

    async def reload(self, listing: HeaderList | None = None) -> None:
        """The list laid out again: from ``listing``, else as read now."""
        self.saved = []
        self.damaged_texts = []
        if listing is None:
            self._load()
        else:
            self._take(listing)
        self.has_list = bool(self.saved)
        await self.recompose()
        self._fill_table()

    async def relocalize(self) -> None:
        await super().relocalize()
        self._fill_table()

    def _compact(self) -> bool:
        """Below 100 columns the list leaves out the participants, answers "Eligible?" in a
        word and leaves out the year of this year's changes, so the project's title is
        readable: at 80 columns it was cut to "Circula…"."""
        return (self.size.width or 120) < COMPACT_LIST_BELOW

    def _widths(self) -> tuple[int, int, int]:
        """The project's, the participants' (0: left out) and the verdict's column widths
        at the screen's width now."""
        compact = self._compact()
        verdict = max(len(_("Eligible?")),
                      *(2 + len(render(w)) for w in SHORT_VERDICT_WORDS.values())) \
            if compact else _verdict_width()
        columns = 4 if compact else 5
        date = _SHORT_DATE_WIDTH if compact else _DATE_WIDTH
        # 4 of the screen's padding, 2 per cell, 2 for a scroll bar, 1 to spare
        rest = max(12, (self.size.width or 120) - 4 - 2 * columns - 2 - 1
                   - verdict - date - _ID_WIDTH)
        if compact:
            return rest, 0, verdict
        title = max(6, rest // 2)
        return title, max(6, rest - title), verdict

    def _table_if_shown(self) -> DataTable | None:
        """The list of saved intakes, if it is mounted (not before the first paint, not
        without saves)."""
        for table in self.query("#intakes"):
            return cast("DataTable", table)
        return None

    def _table(self) -> DataTable:
        return cast("DataTable", self.query_one("#intakes"))

    def _fill_table(self) -> None:
        table = self._table_if_shown()
        if table is None:
            return
        title_width, names_width, verdict_width = self._filled_widths = self._widths()
        kept = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value \
            if table.row_count else None
        table.clear(columns=True)
        compact = not names_width
        for key, label, width in (
                ("title", _("Project"), title_width),
                ("participants", _("Participants"), names_width),
                ("updated", _("Changed") if compact else _("Last change"),
                 _SHORT_DATE_WIDTH if compact else _DATE_WIDTH),
                ("verdict", _("Eligible?") if compact else _("Pre-check"), verdict_width),
                ("id", _("ID"), _ID_WIDTH)):
            if not width:
                continue
            if key == self.sort_by:
                label += " ▲" if (key == "updated") == self.sort_reversed else " ▼"
            table.add_column(label, key=key, width=width)
        rows = arranged(self.saved, self.list_filter, self.sort_by, self.sort_reversed)
        doubled = duplicate_titles(self.saved)
        unshowable = []
        for saved in rows:
            try:
                table.add_row(*self._cells(saved, doubled, compact=compact), key=saved.id)
            except Exception:  # one save must never stop the start screen
                unshowable.append(saved)
        for saved in unshowable:
            self._set_aside(saved)
        if kept is not None and kept in table.rows:
            table.move_cursor(row=table.get_row_index(kept))
        self._show_status(len(rows) - len(unshowable))

    def _show_status(self, count: int) -> None:
        direction = (_("newest first") if self.sort_by == "updated" else _("A to Z")) \
            if not self.sort_reversed else \
            (_("oldest first") if self.sort_by == "updated" else _("Z to A"))
        if self.sort_by == "verdict":
            direction = _("other way round") if self.sort_reversed else \
                _("not eligible first")
        text = ngettext("{shown} of {total} intake shown; sorted by {column}, {direction}.",
                        "{shown} of {total} intakes shown; sorted by {column}, {direction}.",
                        len(self.saved), shown=str(count), total=str(len(self.saved)),
                        column=_(SORT_NAMES[self.sort_by]), direction=direction)
        for static in self.query("#list-status").results(Static):
            static.update(text)

    def on_resize(self) -> None:
        if self.has_list and getattr(self, "_filled_widths", None) not in (None, self._widths()):
            self._fill_table()

    @staticmethod
    def _cells(saved: IntakeHeader, doubled: set[str], *, compact: bool = False
               ) -> tuple[Text, ...]:
        meta = saved.meta
        if meta.verdict in VERDICT_WORDS:
            words = render((SHORT_VERDICT_WORDS if compact else VERDICT_WORDS)[meta.verdict])
            verdict = Text(f"{_VERDICT_MARKS[meta.verdict]} {words}",
                           style=_VERDICT_STYLES[meta.verdict])
        else:
            verdict = Text("–")
        title = shown(meta.title) if meta.title else Text(_("(untitled)"))
        same = " ".join(meta.title.casefold().split()) in doubled
        for cell in (title, names := shown(", ".join(meta.participants) or "–")):
            cell.no_wrap, cell.overflow = True, "ellipsis"
        updated = shown(format_updated(meta.updated, short=compact))
        end = shown(short_id(saved.id), style="bold" if same else "dim")
        if compact:
            return title, updated, verdict, end
        return title, names, updated, verdict, end

    def _set_aside(self, saved: IntakeHeader) -> None:
        from intake_assistant.i18n import Message

        damaged = self.storage.set_aside(saved.path, Message("the start screen cannot show it"))
        self.saved = [s for s in self.saved if s.id != saved.id]
        self.notify(render(damaged.message()), severity="error", timeout=15)

    # -- actions ---------------------------------------------------------------------
    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self._set_filter(needle=event.value)

    def _verdict_label(self) -> str:
        verdict = self.list_filter.verdict
        return render(VERDICT_WORDS[verdict]) if verdict else _("every verdict")

    def _changed_label(self) -> str:
        return _(CHANGED_NAMES[self.list_filter.changed])

    @on(Button.Pressed, "#verdict-filter")
    def action_verdict_filter(self) -> None:
        """Show only the intakes with the next verdict (after the last: every verdict)."""
        self._step("verdict", VERDICT_FILTERS)

    @on(Button.Pressed, "#changed-filter")
    def action_changed_filter(self) -> None:
        """Show only the intakes changed in the next period (after the last: any time)."""
        self._step("changed", tuple(CHANGED_FILTERS))

    def _step(self, name: str, choices: tuple[str, ...]) -> None:
        if not (self.has_list and self.list_mounted):
            return
        current = getattr(self.list_filter, name)
        self._set_filter(**{name: choices[(choices.index(current) + 1) % len(choices)]})
        self.query_one("#verdict-filter", Button).label = self._verdict_label()
        self.query_one("#changed-filter", Button).label = self._changed_label()

    def _set_filter(self, **changes: str) -> None:
        chosen = replace(self.list_filter, **changes)
        if chosen != self.list_filter:
            self.list_filter = chosen
            self._fill_table()

    def action_sort(self) -> None:
        """The next column to sort by, in its own direction."""
        self._sort(SORT_KEYS[(SORT_KEYS.index(self.sort_by) + 1) % len(SORT_KEYS)])

    def _sort(self, key: str) -> None:
        if not self.has_list:
            return
        self.sort_reversed = key == self.sort_by and not self.sort_reversed
        self.sort_by = key
        self._fill_table()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        if event.data_table.id != "intakes":
            return
        key = str(event.column_key.value)
        self._sort(key if key in SORT_KEYS else "updated")

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        table = self._table()
        if table.row_count:
            self._resume(table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value)

    def on_key(self, event) -> None:
        # Typing on the list (or on its filter buttons) goes to the filter: "filtered by
        # typing". A space still presses a button.
        focused = self.focused
        on_list = focused is not None and focused.id == "intakes"
        on_choice = isinstance(focused, Button) and focused.has_class("list-choice")
        if on_list or on_choice:
            if (event.character and event.character.isprintable() and len(event.key) == 1
                    and not (on_choice and event.character == " ")):
                field = self.query_one("#filter", Input)
                field.focus()
                field.insert_text_at_cursor(event.character)
                event.stop()
        elif isinstance(focused, Input) and focused.id == "filter" and event.key == "down":
            self._table().focus()
            event.stop()

    def action_filter(self) -> None:
        if self.has_list and self.list_mounted:
            self.query_one("#filter", Input).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "intakes":
            self._resume(event.row_key.value)

    @on(Button.Pressed, "#resume-last")
    async def _resume_last(self) -> None:
        await self._read_saves()  # pressed before they were read (a no-op after)
        if self.saved:
            self._resume(self.saved[0].id)

    def show_mode(self, mode: str) -> None:
        """The mode chosen now (the App remembers it) is the highlighted button."""
        self.mode = mode
        for button in self.query("#mode-row Button").results(Button):
            button.variant = "primary" if button.id == f"mode-{mode}" else "default"

    def action_compare(self) -> None:
        """Compare the intake under the cursor with an earlier export or saved state."""
        table = self._table_if_shown()
        if table is None or not table.row_count:
            self.notify(_("There is no saved intake to compare."), severity="warning")
            return
        intake_id = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        if intake_id:
            self.post_message(self.CompareChosen(self, intake_id))

    def _resume(self, intake_id: str | None) -> None:
        if intake_id:
            self.post_message(self.IntakeChosen(self, intake_id))

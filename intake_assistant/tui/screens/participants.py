"""The participants table: add, edit and remove partners and their cost lines.

The 3-6 rule and the one-lead rule are shown as the pre-check judges them (the TUI adds no
rules of its own): the findings PARTNERSHIP-SIZE, LEAD-APPLICANT and CHAIN-ROLES.

The screen changes nothing itself: it issues a command (``ParticipantsScreen.CommandIssued``)
that the App runs on the session, saves, and shows: the participants again after a removal,
the question a new or edited participant or cost line opens otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Header, Label, Static

from intake_assistant.i18n import N_, _, current_translator, render
from intake_assistant.status_words import STATUS_WORDS
from intake_assistant.tui.screens.base import IntakeScreen
from intake_assistant.tui.screens.modals import ConfirmScreen
from intake_assistant.tui.widgets.button import Button
from intake_assistant.tui.widgets.fitted_table import FittedColumn, FittedTable
from intake_assistant.tui.widgets.footer import Footer
from intake_assistant.tui.widgets.precheck import STATUS_STYLE
from intake_assistant.tui.widgets.safe import shown

if TYPE_CHECKING:
    from intake_assistant.flow.session import IntakeSession

RULES_SHOWN = ("PARTNERSHIP-SIZE", "LEAD-APPLICANT", "CHAIN-ROLES")


@dataclass(frozen=True, slots=True)
class GroupCommand:
    """A change of the participants or their cost lines, run by the App on its one path.

    ``run`` changes the session (False: there was nothing to change); ``stays`` says that
    the participants table stays on screen afterwards instead of the question now current.
    """

    change: Callable[[IntakeSession], object]
    stays: bool = False
    #: Once the questions of the row this command goes to are answered, the table shows
    #: again (a cost line added or changed from the table returns to it).
    returns_to_table: bool = False

    def run(self, session: IntakeSession) -> object:
        return self.change(session)


def add_participant() -> GroupCommand:
    return GroupCommand(lambda s: s.add_participant())


def edit_participant(index: int) -> GroupCommand:
    return GroupCommand(lambda s: s.edit_participant(index))


def remove_participant(index: int) -> GroupCommand:
    return GroupCommand(lambda s: s.remove_participant(index), stays=True)


def add_cost_line(participant: int) -> GroupCommand:
    return GroupCommand(lambda s: s.add_cost_line(participant), returns_to_table=True)


def edit_cost_line(participant: int, line: int) -> GroupCommand:
    def change(session: IntakeSession) -> bool:
        from intake_assistant.flow.plan import parse_key

        for _sid, _label, keys in session.sections():
            for key in keys:
                if parse_key(key)[1] == (participant, line):
                    return session.go_to(key)
        return False

    return GroupCommand(change, returns_to_table=True)


def remove_cost_line(participant: int, line: int) -> GroupCommand:
    return GroupCommand(lambda s: s.remove_cost_line(participant, line), stays=True)


class ParticipantsScreen(IntakeScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.show_current", N_("Back to the questions")),
        Binding("a", "add", N_("Add participant")),
        Binding("e", "edit", N_("Edit")),
        Binding("delete,d", "remove", N_("Remove")),
        Binding("c", "add_cost", N_("Add cost line")),
    ]

    @dataclass
    class CommandIssued(Message):
        """The user asked for a change of the participants or their cost lines."""

        screen: ParticipantsScreen
        command: GroupCommand

        @property
        def control(self) -> ParticipantsScreen:
            return self.screen

    def __init__(self, session: IntakeSession) -> None:
        super().__init__(session)
        self.selected = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="participants-area"):
            yield Label(_("Participants"), classes="section-title")
            yield FittedTable(id="participants-table", cursor_type="row", zebra_stripes=True)
            yield Static(self._rules_text(), id="rules-status")
            yield Label("", id="cost-title", classes="section-title")
            yield FittedTable(id="cost-lines-table", cursor_type="row")
            yield Static(_("a: add participant · e or Enter: edit · d or Delete: remove · "
                           "c: add cost line · Enter on a cost line: edit it"),
                         id="participants-keys")
        with Horizontal(id="question-buttons"):
            yield Button(_("Add participant"), id="add", variant="success")
            yield Button(_("Edit"), id="edit")
            yield Button(_("Remove"), id="remove", variant="error")
            yield Button(_("Add cost line"), id="add-cost")
            yield Button(_("Back to the questions"), id="close", action="app.show_current")
        yield Footer()

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#participants-table", DataTable).focus()

    async def relocalize(self) -> None:
        await super().relocalize()
        self._fill()

    def _rules_text(self) -> Text:
        from intake_assistant.i18n import get_language
        from intake_assistant.reports.wording import filled_titles

        titles = filled_titles(self.session.report, self.session.draft, get_language())
        text = Text()
        for finding in self.session.report.findings:
            if finding.criterion not in RULES_SHOWN:
                continue
            status = str(finding.status)
            symbol, style = STATUS_STYLE[status]
            if text:
                text.append("\n")
            text.append(f"{symbol} {titles.get(finding.criterion, finding.criterion)}: ",
                        style=style)
            text.append_text(shown(f"{render(STATUS_WORDS[status])} — {render(finding.message)}"))
        return text

    def _fill(self) -> None:
        from intake_assistant.rules.sme import SME_CLASS_LABELS

        session = self.session
        table = self.query_one("#participants-table", FittedTable)
        people = session.participants()
        # the number and the KvK number are figures: the texts give way to them
        table.fill(
            [FittedColumn("#", figure=True), FittedColumn(_("Name")),
             FittedColumn(_("KvK"), figure=True), FittedColumn(_("Chain role")),
             FittedColumn(_("SME class")), FittedColumn(_("Lead"))],
            [([str(p.index + 1), shown(p.name), shown(p.kvk or "–"), shown(p.role_label or "–"),
               _(SME_CLASS_LABELS[p.sme_class]) if p.sme_class in SME_CLASS_LABELS else "–",
               _("lead applicant") if p.is_lead else ""], str(p.index)) for p in people])
        if people:
            self.selected = min(self.selected, len(people) - 1)
            table.move_cursor(row=self.selected)
        self._fill_costs()

    def _fill_costs(self) -> None:
        session = self.session
        costs = self.query_one("#cost-lines-table", FittedTable)
        people = session.participants()
        title = self.query_one("#cost-title", Label)
        if not people:
            title.update(_("No participants yet. Press a to add one."))
            costs.fill([], [])
            return
        person = people[self.selected]
        title.update(shown(_("Cost lines of {name}", name=person.name)))
        descriptions = session.cost_lines(person.index)
        draft_lines = []
        participants = session.draft.participants or []
        if person.index < len(participants):
            draft_lines = participants[person.index].cost_lines or []
        rows: list[tuple[list[str | Text], str | None]] = []
        for i, description in enumerate(descriptions):
            line = draft_lines[i] if i < len(draft_lines) else None
            kind = self._category_label(line.category) if line and line.category else "–"
            amount = Text(current_translator().money(line.amount_eur)
                          if line is not None and line.amount_eur is not None else "–",
                          justify="right")
            rows.append(([shown(description or "–"), shown(kind), amount], str(i)))
        costs.fill([FittedColumn(_("Description")), FittedColumn(_("Kind")),
                    FittedColumn(_("Amount"), figure=True)], rows)

    def _category_label(self, code: object) -> str:
        choices = self._category_choices()
        value = str(code)
        return choices.get(value, value)

    def _category_choices(self) -> dict[str, str]:
        plan = self.session.plan
        question = plan.by_id.get("cost_line_category")
        if question is None:
            return {}
        return {c.code: _(c.label) for c in question.choices}

    # -- events ----------------------------------------------------------------------
    @on(DataTable.RowHighlighted, "#participants-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.selected = int(event.row_key.value)
            self._fill_costs()

    @on(DataTable.RowSelected, "#participants-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    @on(DataTable.RowSelected, "#cost-lines-table")
    def _cost_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.issue(edit_cost_line(self.selected, int(event.row_key.value)))

    def on_key(self, event) -> None:
        focused = self.focused
        if (event.key in ("delete", "d") and isinstance(focused, DataTable)
                and focused.id == "cost-lines-table"):
            event.stop()
            event.prevent_default()
            row = focused.cursor_row
            if focused.row_count and row is not None:
                self.confirm_remove_cost_line(self.selected, row)

    def issue(self, command: GroupCommand) -> None:
        self.post_message(self.CommandIssued(self, command))

    @on(Button.Pressed, "#add")
    def action_add(self) -> None:
        self.issue(add_participant())

    @on(Button.Pressed, "#edit")
    def action_edit(self) -> None:
        if self.session.participants():
            self.issue(edit_participant(self.selected))

    @on(Button.Pressed, "#remove")
    def action_remove(self) -> None:
        people = self.session.participants()
        if not people:
            return
        index, name = self.selected, people[self.selected].name

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.issue(remove_participant(index))

        self.app.push_screen(
            ConfirmScreen(_("Remove participant?"),
                          _("Remove {name} and all answers about this participant?", name=name),
                          _("Remove"), _("Keep"), default_yes=True),
            confirmed,
        )

    def confirm_remove_cost_line(self, participant: int, line: int) -> None:
        def confirmed(yes: bool | None) -> None:
            if yes:
                self.issue(remove_cost_line(participant, line))

        self.app.push_screen(
            ConfirmScreen(_("Remove cost line?"),
                          _("Remove cost line {number}?", number=str(line + 1)),
                          _("Remove"), _("Keep"), default_yes=True),
            confirmed,
        )

    @on(Button.Pressed, "#add-cost")
    def action_add_cost(self) -> None:
        if self.session.participants():
            self.issue(add_cost_line(self.selected))

    async def session_changed(self, session: IntakeSession) -> None:
        self.session = session
        self.query_one("#rules-status", Static).update(self._rules_text())
        self._fill()

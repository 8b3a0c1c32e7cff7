"""The summary: the verdict in words, failures, warnings, what is missing, the subsidy."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Collapsible, Header, Label, Static

from intake_assistant.i18n import N_, _, current_translator, get_language
from intake_assistant.reports.wording import rests_on_words
from intake_assistant.rules.rounds import verdict_basis_message
from intake_assistant.safe_text import visible
from intake_assistant.tui.screens.base import IntakeScreen
from intake_assistant.tui.widgets.button import Button
from intake_assistant.tui.widgets.fitted_table import FittedColumn, FittedTable
from intake_assistant.tui.widgets.footer import Footer
from intake_assistant.tui.widgets.safe import shown

if TYPE_CHECKING:
    from intake_assistant.flow.session import IntakeSession


def _lines(items, basis: bool = False) -> Text:
    """One bullet per finding: the criterion's title in the user's language first, its ID and
    article after it, smaller; names and reasons are outside text, made visible per line.
    With ``basis``, what each finding rests on under it (the answers and parameter values)."""
    text = Text()
    for i, item in enumerate(items):
        if i:
            text.append("\n")
        who = f" — {item.who}" if item.who else ""
        article = _("art. {article}", article=item.article)
        text.append(f"• {visible(item.title)}{visible(who)}", style="bold")
        text.append(f"  {visible(article)} · {visible(item.criterion)}", style="dim")
        text.append(f"\n  {visible(item.reason)}")
        if item.unverified:  # why a warning warns: it rests on a value not verified
            text.append(" " + visible(rests_on_words(current_translator(), item.unverified)),
                        style="italic")
        if item.hint:  # what would change the outcome (issue 14)
            text.append("\n  → " + _("What would change it: {hint}", hint=visible(item.hint)),
                        style="italic")
        if basis and item.basis:  # issue 23: what the finding rests on
            text.append("\n  " + _("Rests on:"), style="dim")
            for words, code in item.basis:
                text.append(f"\n    · {visible(words)}")
                text.append(f"  {visible(code)}", style="dim")
    return text


def _amount(text: str, mark: str = "") -> Text:
    """An amount right-aligned, without cents when it has none (the table fits 80 columns)."""
    cell = shown(text.removesuffix(",00").removesuffix(".00") + mark)
    cell.justify = "right"
    return cell


def _subsidy_table(s) -> FittedTable:
    """Subsidy per participant: two-line headers and whole euros keep it narrow; the names
    give way to the amounts (a name may end in "…", an amount is never cut)."""
    table = FittedTable(id="subsidy-table", cursor_type="row", zebra_stripes=True,
                        header_height=2)
    columns = [FittedColumn(_("Participant"))] + [
        FittedColumn(label.replace(" ", "\n", 1), figure=True, narrow_label=narrow)
        for label, narrow in (
            # the headers of a narrow table (60 columns), a line each as narrow as the
            # amounts under them: hyphenated where a word is wider ("Subsi-\ndiabele")
            (_("Eligible costs"), _("Eligible\ncosts")),
            (_("Excluded costs"), _("Excluded\ncosts")),
            (_("Share"), None), (_("Subsidy"), None))]
    rows: list[tuple[list[str | Text], str | None]] = [
        ([shown(row.name), _amount(row.eligible), _amount(row.excluded), _amount(row.share),
          _amount(row.subsidy, " *" if row.capped else "")], None)
        for row in s.subsidy_rows]
    rows.append(([shown(_("Total")), _amount(s.total_eligible), Text(""), Text(""),
                  _amount(s.total_subsidy)], None))
    table.fill(columns, rows)
    return table


class SummaryScreen(IntakeScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+e", "app.export", N_("Export")),
        Binding("f6", "app.review", N_("Review")),
        # Not in the footer: at 80 columns it would push F1 and F2 out; F1's help lists it.
        Binding("b", "toggle_basis", N_("Rests on"), show=False),
        Binding("escape", "app.back", N_("Back")),
    ]

    def __init__(self, session: IntakeSession) -> None:
        super().__init__(session)
        #: Whether each finding shows what it rests on (``b``), and the texts that show them.
        self.basis_shown = False
        self._finding_texts: list[tuple[Static, list]] = []
        #: Where the last export from here wrote (its folder, its files' names), said above
        #: the buttons until the screen is left.
        self.exported: tuple[str, list[str]] | None = None

    def show_exported(self, folder: str, files: list[str]) -> None:
        """Say where an export wrote, in a line above the buttons (no toast over them)."""
        self.exported = (folder, files)
        outcome = self.query_one("#export-outcome", Static)
        outcome.update(self._exported_text())
        outcome.display = True

    def _exported_text(self) -> Text:
        folder, files = self.exported or ("", [])
        return shown(_("Exported to {folder}: {files}", folder=folder, files=", ".join(files)))

    def _findings(self, items: list) -> Static:
        static = Static(_lines(items, self.basis_shown), classes="findings")
        self._finding_texts.append((static, items))
        return static

    def action_toggle_basis(self) -> None:
        """Show or hide, under every finding, the answers and parameter values it rests on."""
        self.basis_shown = not self.basis_shown
        for static, items in self._finding_texts:
            static.update(_lines(items, self.basis_shown))

    def compose(self) -> ComposeResult:
        from intake_assistant.reports.wording import summarize

        session = self.session
        self._finding_texts = []
        s = summarize(session.report, session.draft, get_language())
        yield Header()
        with VerticalScroll(id="summary-scroll"):
            yield Static(shown(_("Pre-check: {verdict}", verdict=s.verdict_words)),
                         id="verdict", classes=f"verdict-{s.verdict}")
            yield Static(shown(s.verdict_explained, keep_newlines=True))
            yield Static(shown(_("Round: {round}", round=s.round_title)), id="round")
            if s.unverified_values:  # said at once; which values, below (they fill a screen)
                yield Static(shown(_("The verdict rests on unverified values; they are "
                                     "listed below the subsidy.")), id="unverified-note")
            yield Static(shown(s.notice, keep_newlines=True), classes="notice")
            for title, items, css in (
                (_("Failures"), s.failures, "status-fail"),
                (_("Warnings"), s.warnings, "status-warn"),
                (_("Still missing"), s.missing, "status-unknown"),
            ):
                if items:
                    yield Label(f"{title} ({len(items)})", classes=f"review-section {css}")
                    yield self._findings(items)
            yield Label(_("Subsidy per participant"), classes="review-section")
            yield _subsidy_table(s)
            if any(r.capped for r in s.subsidy_rows):
                yield Static("* " + _("limited to the maximum per participant"))
            yield Static(shown(s.subsidy_basis, keep_newlines=True))
            if s.unverified_values:
                yield Label(_("Unverified values ({count})", count=str(len(s.unverified_values))),
                            classes="review-section status-warn")
                yield Static(shown(current_translator().render(verdict_basis_message(
                    tuple(s.unverified_values))), keep_newlines=True), id="unverified-values")
            if s.passed or s.info:
                with Collapsible(title=_("Met ({count})", count=str(len(s.passed))),
                                 collapsed=True):
                    yield self._findings(s.passed + s.info)
        outcome = Static(self._exported_text(), id="export-outcome")
        outcome.display = self.exported is not None
        yield outcome
        with Horizontal(id="question-buttons"):
            yield Button(_("Export"), id="export", variant="success", action="app.export")
            yield Button(_("Review answers"), id="review", action="app.review")
            yield Button(_("Back"), id="back", action="app.back")
        yield Footer()

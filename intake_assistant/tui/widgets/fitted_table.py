"""A table whose figures are never cut: its text columns give way to them.

A ``DataTable`` sizes each column to its widest cell and cuts whatever passes its right
edge: at 80 columns the summary showed ``€ 11.00`` for EUR 11.000 and dropped the ``*`` of a
capped amount, with only a one-character scroll bar to say that more was there. Here a
column is either a figure (an amount, a share, a KvK number), always as wide as its widest
cell, or a text (a name, a kind), which is narrowed to what the table's width leaves and
ends in ``…`` where it is cut. Only when the figures alone are wider than the table does it
scroll sideways, the figures still whole. A figure column's label may have a narrower form
(``narrow_label``, on more lines: "Subsidiabele kosten" took 12 columns over amounts of 9),
taken where the table would scroll sideways with the wide ones; the header grows to its
lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import DataTable

#: The narrowest a text column is made (a name cut shorter says nothing).
MIN_TEXT_WIDTH = 8


@dataclass(frozen=True)
class FittedColumn:
    """A column: its label (lines separated by ``\\n``), whether it holds a figure, and
    the label's narrower form for a narrow table (None: the label as it is)."""

    label: str
    figure: bool = False
    narrow_label: str | None = None


def _width(cell: str | Text) -> int:
    plain = cell.plain if isinstance(cell, Text) else str(cell)
    return max((cell_len(line) for line in plain.split("\n")), default=0)


def text_widths(naturals: Sequence[int], room: int) -> list[int]:
    """Widths for text columns of ``naturals`` widths sharing ``room`` cells: each its share
    of the room by its width (a long name keeps more than a short role), at least
    ``MIN_TEXT_WIDTH``."""
    total = sum(naturals)
    if total <= room:
        return list(naturals)
    return [min(n, max(MIN_TEXT_WIDTH, max(room, 0) * n // total)) for n in naturals]


def _cut(cell: str | Text, width: int) -> Text:
    text = cell.copy() if isinstance(cell, Text) else Text(str(cell))
    if _width(text) > width:
        text.truncate(width, overflow="ellipsis")
    return text


class FittedTable(DataTable[Text]):
    """A ``DataTable`` filled through :meth:`fill`, laid out again for each new width."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._spec: list[FittedColumn] = []
        self._rows: list[tuple[Sequence[str | Text], str | None]] = []
        self._filled_for: int | None = None

    def fill(self, columns: Sequence[FittedColumn],
             rows: Sequence[tuple[Sequence[str | Text], str | None]]) -> None:
        """Show ``rows`` (cells, row key) under ``columns``, fitted to the table's width."""
        self._spec = list(columns)
        self._rows = list(rows)
        if self.is_mounted:
            self._lay_out(self._room())

    def on_mount(self) -> None:
        if self._spec:
            self._lay_out(self._room())

    def _room(self) -> int:
        """The cells a row may take: the table's width once laid out, else the screen's."""
        width = self.scrollable_content_region.width
        if not width:
            try:
                width = self.app.size.width - 4
            except RuntimeError:  # not in an app yet (NoActiveAppError): as wide as the cells
                return 10_000
        return int(width)

    def _lay_out(self, room: int) -> None:
        self._filled_for = room
        padding = 2 * self.cell_padding * len(self._spec)
        texts = [i for i, c in enumerate(self._spec) if not c.figure]
        labels = [c.label for c in self._spec]
        naturals = self._naturals(labels)
        figures = sum(w for w, c in zip(naturals, self._spec, strict=True) if c.figure)
        if figures + padding + MIN_TEXT_WIDTH * len(texts) > room:  # the narrow labels
            labels = [c.narrow_label or c.label for c in self._spec]
            naturals = self._naturals(labels)
            figures = sum(w for w, c in zip(naturals, self._spec, strict=True) if c.figure)
        spec = [FittedColumn(label, c.figure) for label, c in zip(labels, self._spec,
                                                                 strict=True)]
        self.header_height = max(label.count("\n") + 1 for label in labels)
        widths: list[int | None] = [None] * len(spec)
        if sum(naturals) + padding > room and texts:
            fitted = text_widths([naturals[i] for i in texts], room - padding - figures)
            for i, width in zip(texts, fitted, strict=True):
                widths[i] = width
        row = self.cursor_row
        self.clear(columns=True)
        for i, column in enumerate(spec):
            label = (Text(column.label) if widths[i] is None
                     else Text("\n").join(_cut(line, widths[i]) for line in  # type: ignore[arg-type]
                                         column.label.split("\n")))
            self.add_column(label, width=widths[i])
        for cells, key in self._rows:
            self.add_row(*(cell if widths[i] is None and isinstance(cell, Text)
                           else _cut(cell, widths[i] or 10_000)
                           for i, cell in enumerate(cells)), key=key)
        if self._rows:
            self.move_cursor(row=min(row, len(self._rows) - 1), animate=False)

    def _naturals(self, labels: Sequence[str]) -> list[int]:
        """Each column's width for its label and its widest cell."""
        return [max([_width(label)] + [_width(cells[i]) for cells, _k in self._rows])
                for i, label in enumerate(labels)]

    @property
    def laid_out_for_its_width(self) -> bool:
        """Whether the rows are fitted to the width the table has now (a new width is laid
        out on the Resize that follows it)."""
        return self._filled_for == self._room()

    def on_resize(self, event: events.Resize) -> None:
        room = self._room()
        if self._spec and room != self._filled_for:
            self._lay_out(room)


__all__ = ["FittedColumn", "FittedTable", "text_widths"]

"""Widgets of the question area that are laid out once per change, not twice.

Textual lays the screen out, then sets each widget's new virtual size as a reactive that asks
for another layout of the screen: a second reflow and a second frame, one frame after the
first, for every widget whose size changed (most texts of the area, on every next screen).
For these widgets the first layout already placed everything at that size (their virtual
size moves no other widget, and the area's scroll bar is always there), so the size is
taken without asking again.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.containers import VerticalScroll
from textual.dom import NoScreen
from textual.geometry import Size
from textual.widgets import Static


class LaidOutOnce:
    """Mixin (first among the bases) for a widget whose new size needs no second layout."""

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        return super()._size_updated(  # type: ignore[misc]
            size, virtual_size, container_size, layout=False)


class AreaText(LaidOutOnce, Static):
    """A text of the question area: a label, a message line, a help, the article."""


class QuestionArea(LaidOutOnce, VerticalScroll):
    """The scrolling area of the question screen's fields and texts."""

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        bar = self._vertical_scrollbar
        if changed and bar is not None and bar._repaint_required:
            # The scroll bar follows the new length of the area as it is laid out: painted
            # in this frame (the frame being made now), not alone in the next one.
            try:
                self.screen._compositor.update_widgets({bar})
            except NoScreen:  # not on a screen: painted as Textual does
                return changed
            bar._repaint_required = False
        return changed


class MadeForLayoutWidth:
    """Mixin (first among the bases) for a widget that makes its lines for its width (an
    option list's lines, a text area's wrapping): it makes them as a layout gives it a new
    width, for that layout's frame.

    Textual's make them again on the Resize event, which comes after the frame: a widget
    shown at a new width (a new field, or a kept one shown again) was painted twice, the
    second a frame after the screen's. The Resize at the width made for leaves them."""

    _made_for_width: int | None = None

    def _width_to_make_for(self) -> int:
        """The width the lines are made for."""
        raise NotImplementedError

    def _make_for_width(self) -> None:
        """Make the lines for ``_width_to_make_for`` (it may set the virtual size)."""
        raise NotImplementedError

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        changed: bool = super()._size_updated(  # type: ignore[misc]
            size, virtual_size, container_size, layout)
        this: Any = self
        width = self._width_to_make_for()
        if size.width and width != self._made_for_width:
            self._made_for_width = width
            asked = this._layout_required, this._repaint_required
            self._make_for_width()
            if changed:
                # The new virtual size asks for a layout and a paint: it moves nothing (the
                # widget's height is set, or that of its options), and a widget with a new
                # size is painted in this layout's frame.
                this._layout_required, this._repaint_required = asked
        return changed

    def _on_resize(self, event: events.Resize) -> None:
        width = self._width_to_make_for()
        if event.size.width and width == self._made_for_width:
            event.prevent_default()  # made for this width already
        self._made_for_width = width


class OptionsLaidOutOnce(MadeForLayoutWidth):
    """For an OptionList (a choice list, a ticked list): its lines for the layout's width."""

    def _width_to_make_for(self) -> int:
        return int(self.scrollable_content_region.width)  # type: ignore[attr-defined]

    def _make_for_width(self) -> None:
        this: Any = self
        this._option_render_cache.clear()
        this._line_cache.clear()
        this._update_lines()

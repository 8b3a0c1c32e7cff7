"""Textual's footer, recomposed only when the keys it shows change.

Textual's ``Footer`` recomposes its keys after every change of the bindings (each focus
change: several times per answer), though on a question screen the keys shown are almost
always the same: every recompose mounts a dozen keys anew and restyles them, the largest
part of an answer's time. So the footer keeps what it composed and recomposes only when a
shown key, its description (a language switch), its state or its tooltip changes.

A key is made with ``compact`` on and bound to the footer's (off) once mounted: each key
was styled three times (as mounted, with ``-compact``, without it), half of the start
screen's styling before its first frame. The keys composed here start as they end.

Each recompose also binds the new keys' ``compact`` to the footer; the watchers of the
removed keys are only pruned when ``compact`` changes, so a recompose leaks a dozen keys.
A forced change after the recompose prunes them.

And when the keys do change (another screen: a key for long texts, one for the participants,
a key enabled or not), Textual recomposes a frame after the change: the screen was painted a
second time, with the old keys in the first frame. The footer updates its keys in place as
the bindings change instead, before the frame (each key takes the new binding's texts and
state; keys beyond the new count are hidden, kept for a later screen), and recomposes only
where it cannot (a binding group).

And Textual's footer is one line, cut on the right: at 80 columns a question screen's own
keys (F3 to F6) fell off the end, past the App's keys. This footer goes on on a second line
(and more) where its keys do not fit on one (``WrappingKeys``; its height follows).
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import NULL_OFFSET, Region, Size
from textual.layout import ArrangeResult, Layout, WidgetPlacement
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey as TextualFooterKey

from intake_assistant.tui.widgets.laid_out import LaidOutOnce

if TYPE_CHECKING:
    from textual.widget import Widget

PALETTE_CLASS = "-command-palette"


class WrappingKeys(Layout):
    """The keys left to right, on as many lines as they need: a key that does not fit in
    what is left of a line starts the next one (a key is never cut). The palette's key
    ends the last line at its right end, where Textual docks it."""

    name = "wrapping-keys"

    def arrange(self, parent: Widget, children: list[Widget], size: Size,
                greedy: bool = True) -> ArrangeResult:
        parent.pre_layout(self)
        viewport = parent.app.viewport_size
        placements: list[WidgetPlacement] = []
        x = y = 0
        for widget in children:
            box = widget._get_box_model(size, viewport, Fraction(size.width),
                                        Fraction(size.height), greedy=greedy)
            width, height = int(box.width), max(1, int(box.height))
            margin = box.margin
            if x and x + margin.left + width > size.width:
                x, y = 0, y + 1
            left = x + margin.left
            if widget.has_class(PALETTE_CLASS):  # at the right end, as Textual docks it
                left = max(left, size.width - width - margin.right)
            region = Region(left, y, width, height)
            placements.append(WidgetPlacement(region, NULL_OFFSET, margin, widget))
            x = region.right + margin.right
        return placements


_WRAPPING_KEYS = WrappingKeys()


class FooterKey(LaidOutOnce, TextualFooterKey):
    """A key of the footer that takes a new width without a second layout of the screen
    (the footer's row was laid out with it)."""


class Footer(TextualFooter):
    DEFAULT_CSS = """
    Footer { height: auto; max-height: 4; }
    /* placed by WrappingKeys: docked, it took its width from every line */
    Footer FooterKey.-command-palette { dock: none; }
    """

    @property
    def layout(self) -> Layout:
        return _WRAPPING_KEYS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._composed_keys: tuple[Any, ...] | None = None
        # The keys are composed with the footer, from the screen's bindings as they are then:
        # Textual's footer waits for the screen to announce its bindings and composes them
        # a frame later, so the first frame of the app had an empty footer.
        self._bindings_ready = True

    def shown_keys(self, active: dict[str, Any] | None = None) -> tuple[Any, ...]:
        """What the footer shows of the screen's bindings (``active``, what ``compose``
        reads: ``Screen.active_bindings``, computed anew at each call)."""
        palette = self.app.COMMAND_PALETTE_BINDING
        if active is None:
            active = self.screen.active_bindings
        return tuple(
            (key, binding.key, binding.key_display, binding.description, binding.action,
             binding.group, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in active.items()
            if binding.show or key == palette)

    def _wants_compact(self, keys: list[tuple[str, str]]) -> bool:
        """Whether the keys (each its key's text and description) take less room in the
        compact style: where they do not fit on one line in the other. (A key takes its
        texts and three cells, one less compact: at 80 columns the summary's keys fitted
        on one line only so, and a second line hid the subsidy table's first row.)"""
        width = self.app.size.width
        return sum(cell_len(key) + cell_len(description) + 3 for key, description in keys) > width

    def _fit_style(self) -> None:
        """Compact or not, as the keys shown now need it (the keys follow the footer's)."""
        keys = [(key.key_display, key.description) for key in self.children
                if isinstance(key, FooterKey) and key.display]
        if keys and self._wants_compact(keys) != self.compact:
            self.compact = not self.compact

    def on_resize(self) -> None:
        self._fit_style()

    def compose(self) -> ComposeResult:
        self._composed_keys = self.shown_keys()
        made_keys = list(super().compose())
        compact = self._wants_compact([(made.key_display, made.description)
                                       for made in made_keys
                                       if isinstance(made, TextualFooterKey)])
        self.set_reactive(TextualFooter.compact, compact)
        self.set_class(compact, "-compact", update=False)
        for made in made_keys:
            widget = made
            if isinstance(made, TextualFooterKey):
                widget = FooterKey(made.key, made.key_display, made.description, made.action,
                                   disabled=made._disabled, tooltip=str(made.tooltip or ""),
                                   classes=" ".join(made.classes))
                # Textual binds every key but the palette's to the footer; that one stays
                # compact
                palette = made.has_class(PALETTE_CLASS)
                if not palette:
                    widget.data_bind(compact=TextualFooter.compact)
                compact = made.compact if palette else self.compact
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return  # (as Textual's: the keys follow once the app has the focus again)
        if not self._update_keys():
            self.call_after_refresh(self.recompose)

    def _update_keys(self) -> bool:
        """Show the screen's keys in the keys composed before; False where that cannot be
        done (a binding group, or no keys composed yet): then the footer recomposes."""
        active = self.screen.active_bindings
        shown = self.shown_keys(active)
        if shown == self._composed_keys:
            return True
        if self._composed_keys is None or any(group is not None for *_, group, _e, _t in shown):
            return False
        palette_key = self.app.COMMAND_PALETTE_BINDING
        keys = [key for key in self.children if isinstance(key, FooterKey)]
        if len(keys) != len(self.children):
            return False  # (a group's widgets)
        plain = [key for key in keys if not key.has_class(PALETTE_CLASS)]
        palettes = [key for key in keys if key.has_class(PALETTE_CLASS)]
        # as Textual's compose: one key per action, its first binding's (ctrl+j, ctrl+enter)
        first_of_action: dict[str, tuple[Any, ...]] = {}
        for entry in shown:
            if entry[0] != palette_key:
                first_of_action.setdefault(entry[4], entry)
        wanted = list(first_of_action.values())
        palette_entry = next((entry for entry in shown if entry[0] == palette_key), None)
        palette_shown = (palette_entry is not None and self.show_command_palette
                         and self.app.ENABLE_COMMAND_PALETTE)
        if len(palettes) != palette_shown:  # the palette's key comes or goes: composed anew
            return False
        made: list[FooterKey] = []
        for i, entry in enumerate(wanted):
            if i < len(plain):
                self._show_in(plain[i], entry, active[entry[0]][1])
            else:
                key = FooterKey("", "", "", "").data_bind(compact=TextualFooter.compact)
                key.set_reactive(FooterKey.compact, self.compact)
                key.set_class(self.compact, "-compact", update=False)
                self._show_in(key, entry, active[entry[0]][1])
                made.append(key)
        for key in plain[len(wanted):]:
            # kept for a later screen; blank, so that nothing reads a key it does not show
            key.key = key.key_display = key.description = key.action = ""
            key.display = False
        if palettes and palette_entry is not None:  # (then it is shown)
            self._show_in(palettes[0], palette_entry, active[palette_key][1], palette=True)
        if made:
            self.mount_all(made, before=palettes[0] if palettes else None)
        self._composed_keys = shown
        self._fit_style()
        return True

    def _show_in(self, key: FooterKey, entry: tuple[Any, ...], binding: Binding, *,
                 palette: bool = False) -> None:
        """Show a binding in a composed key, as Textual's compose makes one."""
        _key, name, _key_display, description, action, _group, enabled, tooltip = entry
        key_display = self.app.get_key_display(binding)
        resized = (key_display, description) != (key.key_display, key.description)
        key.key, key.key_display, key.description, key.action = (
            name, key_display, description, action)
        key._disabled = not enabled
        key.set_class(not enabled, "-disabled")
        key.tooltip = (binding.tooltip or description) if palette else (tooltip or None)
        key.display = True
        key.refresh(layout=resized)
        key._check_refresh()  # the layout is asked for now: the next frame has the new keys

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        if self.shown_keys() == self._composed_keys:
            return  # the same keys: nothing to mount
        await super().recompose()  # compose records the keys
        self.mutate_reactive(TextualFooter.compact)  # drops the watchers of closed keys

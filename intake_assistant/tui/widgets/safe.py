"""Outside text in a widget: made visible by ``safe_text.visible`` and wrapped as ``Text``.

Textual reads a plain ``str`` in a ``Static``, a ``Label``, a ``DataTable`` cell, an
``Option`` or a notification as markup: a project title ``Plan [/b] X`` crashes it and
``[bold red]Plan`` is shown red. A ``rich.text.Text`` is shown as it is, so every text that
holds anything from a user, a save or a file goes through :func:`shown` (the escaping itself
is ``safe_text``'s; this only says "text, not markup").
"""

from __future__ import annotations

from rich.text import Text

from intake_assistant.safe_text import visible


def shown(value: object, *, style: str = "", keep_newlines: bool = False) -> Text:
    """``value`` as text for a widget: controls shown as escapes, never read as markup."""
    return Text(visible("" if value is None else value, keep_newlines=keep_newlines),
                style=style)


__all__ = ["shown"]

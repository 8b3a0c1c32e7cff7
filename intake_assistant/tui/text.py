"""The UI's language: ``_()`` in the language the user chose, whichever task asks.

``intake_assistant.i18n`` keeps the current language in a context variable. Textual runs
every widget's message loop in its own asyncio task, and a task copies the context when it
is created, so setting the variable in a key handler would not reach the widgets that are
already running. The UI therefore keeps its language here, in one place, and translates
through the same catalogs (``i18n.translator``). ``set_language`` also sets i18n's context
variable, for code that runs in the caller's task.
"""

from __future__ import annotations

from typing import Any

from intake_assistant import i18n
from intake_assistant.i18n import N_, Message

__all__ = ["N_", "Message", "_", "get_language", "render", "set_language", "tr"]

_language: str = i18n.DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    global _language
    i18n.set_language(language)  # validates
    _language = language


def get_language() -> str:
    return _language


def tr() -> i18n.Translator:
    return i18n.translator(_language)


def _(msgid: str, /, **params: Any) -> str:
    """Translate ``msgid`` into the UI's language and fill in its parameters."""
    return i18n.translator(_language)(msgid, **params)


def render(message: Message | str) -> str:
    return i18n.translator(_language).render(message)

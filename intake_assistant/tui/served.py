"""The intake as one browser tab of ``intake-assistant serve`` runs it.

``tui/serve.py`` starts ``python -m intake_assistant.tui.served`` once per tab, with its
settings in the environment (``ENV_*``). This is the terminal intake (``IntakeApp``) with what
a page served to strangers needs instead:

* a *client* (any visitor) lists no saved intakes: :class:`ServedStorage` hides them. Every new
  intake gets a long random **resume code**; the save file is named after a hash of it, so the
  code is the only way back in (``ENV_RESUME`` or the "Resume with a code" pop-up). An
  *advisor* (who holds the advisor token) lists every served intake.
* import by **pasting** the draft's JSON (never a path on the server), under the loader's
  bounds; export as **downloads** to the browser (``App.deliver_text``/``deliver_binary``).
* keys a browser keeps for itself (ctrl+n, ctrl+t, ctrl+w, ctrl+q) get alternatives, and the
  footer shows those (:data:`BROWSER_KEYS`).
* the language a visitor chooses stays in their tab (no shared settings file is written), and
  the session is saved when the server ends it (idle, full, Ctrl+C).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.screen import Screen

from intake_assistant.i18n import N_, _
from intake_assistant.storage import HeaderList, Settings, Storage
from intake_assistant.tui.app import IntakeApp
from intake_assistant.tui.screens.start import StartScreen
from intake_assistant.tui.served_env import (
    ENV_DATA_DIR,
    ENV_LANG,
    ENV_PDF,
    ENV_RESUME,
    ENV_ROLE,
    ENV_URL,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual.app import SystemCommand
    from textual.widget import Widget


#: Keys a browser keeps for itself (ctrl+n, ctrl+t and ctrl+w never reach a page; ctrl+q
#: closes the whole browser on Linux), and the key that does the same in the served intake.
#: The intake binds ctrl+t and ctrl+w to nothing; F9 and F10 reach a page (F11 and F12 would
#: not: full screen and the developer tools).
BROWSER_KEYS: dict[str, str] = {"ctrl+n": "f9", "ctrl+q": "f10"}
BROWSER_KEPT = ("ctrl+n", "ctrl+t", "ctrl+w", "ctrl+q")



def served_help_keys() -> list[tuple[str, str, str]]:
    """The help screen's keys as they are in a page: none a browser keeps for itself."""
    from intake_assistant.tui.screens.modals import HELP_KEYS

    served_what = {
        "ctrl+o": N_("import a draft: paste its JSON"),
        "ctrl+e": N_("download the draft and the report"),
    }
    keys = []
    for where, key, what in HELP_KEYS:
        if key in BROWSER_KEPT and key not in BROWSER_KEYS:
            continue
        shown = BROWSER_KEYS[key].upper() if key in BROWSER_KEYS else key
        keys.append((where, shown, served_what.get(key, what)))
    keys[3:3] = [
        (N_("Everywhere"), "F8", N_("resume code: show this intake's, or resume with one")),
        (N_("Everywhere"), "alt+backspace", N_("delete the word before the cursor")),
    ]
    return keys


# Letters and digits that cannot be mistaken for one another when read aloud or copied.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_CODE_LENGTH = 24  # 24 x 5 bits = 120 bits: unguessable
_SERVED_PREFIX = "web-"


def new_resume_code() -> str:
    """A long random code, in groups of four: ``K7QM-2XPA-…``."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, _CODE_LENGTH, 4))


def normalize_code(text: str) -> str | None:
    """The code as generated (groups of four), or None when ``text`` cannot be one."""
    raw = re.sub(r"[\s\-_.]", "", text).upper()
    if len(raw) != _CODE_LENGTH or any(c not in _CODE_ALPHABET for c in raw):
        return None
    return "-".join(raw[i:i + 4] for i in range(0, _CODE_LENGTH, 4))


def intake_id_of(code: str) -> str:
    """The save file's id for a resume code: a hash, so a file name does not give the code."""
    return _SERVED_PREFIX + hashlib.sha256(code.encode("ascii")).hexdigest()[:40]


class ServedStorage(Storage):
    """Storage of the server's data folder as one served visitor may use it.

    A client lists nothing; every new intake's id is the hash of a new resume code, which
    :meth:`code_of` gives back while this process runs.
    """

    def __init__(self, data_dir: str | None, *, lists_intakes: bool) -> None:
        super().__init__(data_dir)
        self.lists_intakes = lists_intakes
        self._codes: dict[str, str] = {}

    def has_intakes(self) -> bool:
        # A client's start screen is laid out for no list at all: the first paint shows no
        # trace of others' intakes, and the screen need not be rebuilt once the saves are read.
        return super().has_intakes() if self.lists_intakes else False

    def list_headers(self, *, set_aside: bool = True) -> HeaderList:
        return super().list_headers(set_aside=set_aside) if self.lists_intakes else HeaderList()

    def new_id(self) -> str:  # type: ignore[override]
        code = new_resume_code()
        intake_id = intake_id_of(code)
        self._codes[intake_id] = code
        return intake_id

    def adopt_code(self, code: str) -> str:
        intake_id = intake_id_of(code)
        self._codes[intake_id] = code
        return intake_id

    def code_of(self, intake_id: str | None) -> str | None:
        return self._codes.get(intake_id) if intake_id else None


def remap_browser_keys(node: Any) -> None:
    """Move ``node``'s bindings off the keys a browser keeps, onto their alternatives."""
    bindings = node._bindings.key_to_bindings
    for key, alternative in BROWSER_KEYS.items():
        moved = bindings.pop(key, None)
        if moved and alternative not in bindings:
            bindings[alternative] = [replace(b, key=alternative) for b in moved]


class ServedIntakeApp(IntakeApp):
    """The intake in a browser tab of ``intake-assistant serve``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f8", "resume_code", N_("Resume code")),
        Binding("ctrl+o", "import", N_("Import"), show=False),
    ]

    def __init__(self, storage: ServedStorage, language: str, *, advisor: bool,
                 base_url: str = "", resume: str | None = None, pdf: bool = False) -> None:
        # who answers follows the link: the advisor's link records the advisor's answers, a
        # client's the entrepreneur's (a visitor cannot declare themselves the advisor)
        super().__init__(storage, Settings(language=language,
                                           mode="advisor" if advisor else "entrepreneur"),
                         language, export_dir=storage.root / "exports")
        self.storage: ServedStorage = storage
        self.advisor = advisor
        self.base_url = base_url
        self.resume_at_start = resume
        self.pdf = pdf
        remap_browser_keys(self)

    # -- screens: the browser's keys ------------------------------------------------------
    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(screen, Screen):
            remap_browser_keys(screen)
        return super().push_screen(screen, *args, **kwargs)

    def switch_screen(self, screen: Any) -> Any:
        if isinstance(screen, Screen):
            remap_browser_keys(screen)
        return super().switch_screen(screen)

    def action_help(self) -> None:
        from intake_assistant.tui.screens.modals import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(served_help_keys()))

    def on_mount(self) -> None:
        super().on_mount()
        if self.resume_at_start:
            code, self.resume_at_start = self.resume_at_start, None
            self.call_later(self.resume_with_code, code)

    def start_screen(self) -> StartScreen:
        """The start screen with what a served visitor adds: "Resume with a code"."""
        screen = StartScreen(self.storage, extra_buttons=_resume_code_button,
                             mode=self.settings.mode, mode_choice=self.advisor)
        remap_browser_keys(screen)  # the first screen is not pushed: the App starts on it
        return screen

    # -- who answers -------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        if mode == "advisor" and not self.advisor:
            self.notify(_("Answers are recorded as the advisor's only through the advisor's "
                          "link."), severity="warning")
            return
        super().set_mode(mode)

    def action_toggle_mode(self) -> None:
        if self.advisor:
            super().action_toggle_mode()
        else:
            self.set_mode("advisor")  # refused, saying why

    # -- settings stay in this tab -----------------------------------------------------------
    def _save_settings(self) -> None:
        """Not written: the server's settings file is shared by every visitor."""

    # -- resume code -----------------------------------------------------------------------
    def resume_link(self, code: str) -> str:
        from urllib.parse import urlencode

        separator = "&" if "?" in self.base_url else "?"
        return f"{self.base_url}{separator}{urlencode({'resume': code})}"

    def action_resume_code(self) -> None:
        from intake_assistant.tui.screens.served import ResumeCodeScreen, ResumeCodeShownScreen

        code = self.storage.code_of(self.intake_id)
        if self.session is not None and code:
            self.push_screen(ResumeCodeShownScreen(code, self.resume_link(code)))
            return
        if self.session is not None:  # an advisor's intake listed from the folder
            self.notify(_("This intake was not started in this tab; its resume code is with "
                          "whoever started it."), severity="warning")
            return
        self.push_screen(ResumeCodeScreen(), self.resume_with_code)

    def resume_with_code(self, text: str | None) -> None:
        from intake_assistant.tui.screens.served import ResumeCodeScreen

        if not text:
            return
        code = normalize_code(text)
        if code is None or not self.storage.path_of(intake_id_of(code)).is_file():
            self.push_screen(ResumeCodeScreen(_("There is no intake with this code. Check it "
                                                "and try again.")), self.resume_with_code)
            return
        self.resume(self.storage.adopt_code(code))

    def _show_code_of_new_intake(self) -> None:
        from intake_assistant.tui.screens.served import ResumeCodeShownScreen

        code = self.storage.code_of(self.intake_id)
        if code:
            self.push_screen(ResumeCodeShownScreen(code, self.resume_link(code)))

    def action_new(self) -> None:
        super().action_new()
        self._show_code_of_new_intake()

    # -- import by pasting -------------------------------------------------------------------
    def action_import(self) -> None:
        from intake_assistant.tui.screens.served import PasteDraftScreen

        self.push_screen(PasteDraftScreen(), self.import_pasted)

    def import_pasted(self, text: str | None) -> bool:
        from intake_assistant.flow.session import IntakeSession
        from intake_assistant.i18n import translator
        from intake_assistant.loading import DraftFileError, parse_draft_text

        if not text:
            return False
        try:
            draft = parse_draft_text(text, _("pasted draft"))
        except DraftFileError as exc:
            self.show_message(_("This draft cannot be imported"),
                              exc.render(translator(self.language)))
            return False
        self.notify(_("The pasted draft was imported."))
        self._open(IntakeSession.from_draft(draft, self.language), self.storage.new_id(),
                   save=True)
        self._show_code_of_new_intake()
        return True

    # -- export as downloads -------------------------------------------------------------------
    def action_export(self) -> None:
        from intake_assistant.tui.screens.served import DownloadScreen

        if self.session is not None:
            self.push_screen(DownloadScreen(self.pdf))

    def download_file(self, kind: str) -> tuple[str, bytes, str] | None:
        """(file name, content, MIME type) of one export of the current intake."""
        from intake_assistant.i18n import get_language
        from intake_assistant.tui.screens.export import draft_json, report_markdown, slug

        session = self.session
        if session is None:
            return None
        base = slug(session.draft.project.title if session.draft.project else None)
        language = get_language()
        if kind == "json":
            return f"{base}-draft.json", draft_json(session).encode(), "application/json"
        if kind == "md":
            return (f"{base}-precheck-{language}.md", report_markdown(session).encode(),
                    "text/markdown")
        from intake_assistant.report_html import html_report

        html = html_report(session.report, session.draft, language)
        if kind == "html":
            return f"{base}-precheck-{language}.html", html.encode(), "text/html"
        if kind == "pdf":
            from intake_assistant.pdf import html_to_pdf

            return f"{base}-precheck-{language}.pdf", html_to_pdf(html), "application/pdf"
        return None

    def action_download(self, kind: str) -> None:
        if kind == "pdf":
            self.notify(_("Making the PDF…"), timeout=3)
        self._deliver(kind)

    @work(thread=True, exclusive=True, group="download")
    def _deliver(self, kind: str) -> None:
        from intake_assistant.pdf import PdfUnavailable

        try:
            made = self.download_file(kind)
        except PdfUnavailable as exc:
            from intake_assistant.i18n import render

            self.call_from_thread(self.notify, render(exc.message), severity="error", timeout=10)
            return
        if made is None:
            return
        name, data, mime = made
        self.call_from_thread(self.deliver_binary, io.BytesIO(data), save_filename=name,
                              mime_type=mime, open_method="download")
        self.call_from_thread(self.notify, _("Downloading {name}", name=name))

    # -- commands and the end ------------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from textual.app import SystemCommand

        for command in super().get_system_commands(screen):
            if command.callback == self.action_import:
                yield SystemCommand(_("Import a draft"), _("Paste a draft application's JSON"),
                                    self.action_import)
            elif command.callback == self.action_export:
                yield SystemCommand(_("Download"), _("The draft JSON and the report as files"),
                                    self.action_export)
            elif command.callback == self.action_toggle_mode:
                if self.advisor:  # F8 is the resume code here
                    yield SystemCommand(_("Switch mode"), _("Entrepreneur / advisor: who gives "
                                                            "the answers from now on"),
                                        self.action_toggle_mode)
            else:
                yield command
        yield SystemCommand(_("Resume code"), _("Show this intake's code, or resume with one"),
                            self.action_resume_code)

    async def _on_exit_app(self) -> None:
        # The server ends a session (idle, Ctrl+C) with a quit: save first.
        self.autosave()
        await super()._on_exit_app()


def _resume_code_button() -> list[Widget]:
    from intake_assistant.tui.widgets.button import Button

    return [Button(_("Resume with a code"), id="resume-with-code", action="app.resume_code")]


def make_served_app(environ: dict[str, str] | os._Environ[str] = os.environ) -> ServedIntakeApp:
    language = environ.get(ENV_LANG) or "nl"
    if language not in ("nl", "en"):
        language = "nl"
    advisor = environ.get(ENV_ROLE) == "advisor"
    storage = ServedStorage(environ.get(ENV_DATA_DIR) or None, lists_intakes=advisor)
    return ServedIntakeApp(storage, language, advisor=advisor,
                           base_url=environ.get(ENV_URL, ""),
                           resume=environ.get(ENV_RESUME) or None,
                           pdf=bool(environ.get(ENV_PDF)))


def main() -> int:
    app = make_served_app()
    app.manages_collections = True
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())

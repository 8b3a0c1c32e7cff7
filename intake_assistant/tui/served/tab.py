"""The intake as one browser tab of ``intake-assistant serve`` runs it.

``served/server.py`` starts ``python -m intake_assistant.tui.served.tab`` once per tab, with
its settings in the environment (``ENV_*``). The tab is the terminal intake configured for a
page served to strangers, not a copy of it:

* the service's channel (``service.resume_codes.served_channel``): a *client* (any visitor)
  lists no saved intakes and finds theirs only by its **resume code**; an *advisor* (who holds
  the advisor token) lists every served intake; a visitor answers as the entrepreneur; the
  language a visitor chooses stays in their tab (no shared settings file is written).
* the App's look (:func:`served_look`): keys a browser keeps for itself (ctrl+n, ctrl+t,
  ctrl+w, ctrl+q) get alternatives, and the footer and help show those
  (:data:`BROWSER_KEYS`); import by **pasting** the draft's JSON (never a path on the server),
  through the service's one checked import; export as **downloads** to the browser
  (``App.deliver_binary``).

``ServedIntakeApp`` only adds the tab's own actions (the resume code, the downloads, a pasted
draft); it overrides nothing of ``IntakeApp``.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import SystemCommand
from textual.binding import Binding, BindingType

from intake_assistant.i18n import N_, _, get_language
from intake_assistant.service.resume_codes import ServedIntakes, served_channel
from intake_assistant.storage import Settings
from intake_assistant.tui.app import IntakeApp
from intake_assistant.tui.look import Look
from intake_assistant.tui.served.environment import (
    ENV_DATA_DIR,
    ENV_LANG,
    ENV_PDF,
    ENV_RESUME,
    ENV_ROLE,
    ENV_STORE,
    ENV_URL,
)

if TYPE_CHECKING:
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


class ServedIntakeApp(IntakeApp):
    """The intake in a browser tab of ``intake-assistant serve``: ``IntakeApp`` with the
    served channel and look, and the tab's own actions."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f8", "resume_code", N_("Resume code")),
        Binding("ctrl+o", "import", N_("Import"), show=False),
    ]

    def __init__(self, data_dir: str | None, language: str, *, advisor: bool,
                 base_url: str = "", resume: str | None = None, pdf: bool = False,
                 store: str | None = None) -> None:
        channel = served_channel(data_dir, advisor=advisor, store=store)
        # who answers follows the link: the advisor's link records the advisor's answers, a
        # client's the entrepreneur's (a visitor cannot declare themselves the advisor)
        super().__init__(channel.storage, Settings(language=language,
                                                   mode="advisor" if advisor else "entrepreneur"),
                         language, export_dir=channel.storage.root / "exports",
                         channel=channel, look=served_look(advisor))
        self.served_storage: ServedIntakes = channel.storage  # type: ignore[assignment]
        self.advisor = advisor
        self.base_url = base_url
        self.resume_at_start = resume
        self.pdf = pdf

    # -- resume code -----------------------------------------------------------------------
    def resume_link(self, code: str) -> str:
        from urllib.parse import urlencode

        separator = "&" if "?" in self.base_url else "?"
        return f"{self.base_url}{separator}{urlencode({'resume': code})}"

    def action_resume_code(self) -> None:
        from intake_assistant.tui.served.popups import ResumeCodeScreen, ResumeCodeShownScreen

        code = self.served_storage.code_of(self.intake_id)
        if self.session is not None and code:
            self.push_screen(ResumeCodeShownScreen(code, self.resume_link(code)))
            return
        if self.session is not None:  # an advisor's intake listed from the folder
            self.notify(_("This intake was not started in this tab; its resume code is with "
                          "whoever started it."), severity="warning")
            return
        self.push_screen(ResumeCodeScreen(), self.resume_with_code)

    def resume_with_code(self, text: str | None) -> None:
        from intake_assistant.tui.served.popups import ResumeCodeScreen

        if not text:
            return
        intake_id = self.served_storage.intake_of_code(text)
        if intake_id is None:
            self.push_screen(ResumeCodeScreen(_("There is no intake with this code. Check it "
                                                "and try again.")), self.resume_with_code)
            return
        self.resume(intake_id)

    def show_code_of_new_intake(self) -> None:
        from intake_assistant.tui.served.popups import ResumeCodeShownScreen

        code = self.served_storage.code_of(self.intake_id)
        if code:
            self.push_screen(ResumeCodeShownScreen(code, self.resume_link(code)))

    def resume_from_link(self) -> None:
        if self.resume_at_start:
            code, self.resume_at_start = self.resume_at_start, None
            self.resume_with_code(code)

    # -- import by pasting -------------------------------------------------------------------
    def ask_pasted_draft(self) -> None:
        from intake_assistant.tui.served.popups import PasteDraftScreen

        self.push_screen(PasteDraftScreen(), self.import_pasted)

    def import_pasted(self, text: str | None) -> bool:
        """A pasted draft, through the service's one checked import (the same limits as a
        file's)."""
        from intake_assistant.service.outcomes import DraftSource

        return self.import_from(DraftSource.pasted(text)) if text else False

    # -- export as downloads -------------------------------------------------------------------
    def ask_download(self) -> None:
        from intake_assistant.tui.served.popups import DownloadScreen

        self.push_screen(DownloadScreen(self.pdf))

    def download_file(self, kind: str) -> tuple[str, bytes, str] | None:
        """(file name, content, media type) of one export of the current intake."""
        if self.session is None:
            return None
        made = self.intake.export(kind, get_language())
        return made.name, made.data, made.media_type

    def action_download(self, kind: str) -> None:
        if kind == "pdf":
            self.notify(_("Making the PDF…"), timeout=3)
        self.deliver(kind)

    @work(thread=True, exclusive=True, group="download")
    def deliver(self, kind: str) -> None:
        from intake_assistant.reports.pdf import PdfUnavailable

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


def served_look(advisor: bool) -> Look:
    """The App's look in a browser tab (see the module's text)."""
    return Look(key_map=BROWSER_KEYS, help_keys=served_help_keys,
                start_buttons=_resume_code_button, mode_choice=advisor,
                ask_import=ServedIntakeApp.ask_pasted_draft,  # type: ignore[arg-type]
                ask_export=ServedIntakeApp.ask_download,  # type: ignore[arg-type]
                commands=_served_commands,  # type: ignore[arg-type]
                new_intake_opened=ServedIntakeApp.show_code_of_new_intake,  # type: ignore[arg-type]
                at_start=ServedIntakeApp.resume_from_link,  # type: ignore[arg-type]
                server_files=False)


def _served_commands(app: ServedIntakeApp,
                     commands: Iterable[SystemCommand]) -> Iterable[SystemCommand]:
    for command in commands:
        if command.callback == app.action_import:
            yield SystemCommand(_("Import a draft"), _("Paste a draft application's JSON"),
                                app.action_import)
        elif command.callback == app.action_export:
            yield SystemCommand(_("Download"), _("The draft JSON and the report as files"),
                                app.action_export)
        elif command.callback == app.action_toggle_mode:
            if app.advisor:  # F8 is the resume code here
                yield SystemCommand(_("Switch mode"), _("Entrepreneur / advisor: who gives "
                                                        "the answers from now on"),
                                    app.action_toggle_mode)
        else:
            yield command
    yield SystemCommand(_("Resume code"), _("Show this intake's code, or resume with one"),
                        app.action_resume_code)


def _resume_code_button() -> list[Widget]:
    from intake_assistant.tui.widgets.button import Button

    return [Button(_("Resume with a code"), id="resume-with-code", action="app.resume_code")]


def make_served_app(environ: dict[str, str] | os._Environ[str] = os.environ) -> ServedIntakeApp:
    """The tab's App from the server's variables. On a team store the tab works with the token
    in ``INTAKE_ASSISTANT_ADVISOR_TOKEN`` (the signed-in advisor's, or the server's own for a
    client), which is taken out of the environment once the store is open: nothing the tab
    starts later inherits it (the store keeps only its hash)."""
    from intake_assistant.stores.advisor_tokens import TOKEN_VARIABLE

    language = environ.get(ENV_LANG) or "nl"
    if language not in ("nl", "en"):
        language = "nl"
    advisor = environ.get(ENV_ROLE) == "advisor"
    try:
        return ServedIntakeApp(environ.get(ENV_DATA_DIR) or None, language, advisor=advisor,
                               base_url=environ.get(ENV_URL, ""),
                               resume=environ.get(ENV_RESUME) or None,
                               pdf=bool(environ.get(ENV_PDF)),
                               store=environ.get(ENV_STORE) or None)
    finally:
        environ.pop(TOKEN_VARIABLE, None)


def main() -> int:
    from intake_assistant.i18n import translator
    from intake_assistant.stores.store_protocol import StoreAccessError, StoreUnavailableError

    try:
        app = make_served_app()
    except (StoreAccessError, StoreUnavailableError) as exc:  # the team store went away
        tr = translator(os.environ.get(ENV_LANG) or "nl")
        sys.stderr.write(tr.render(exc.problem) + "\n")  # for the operator, in the log
        _say_before_the_end(tr("The intakes cannot be reached on the server just now. Your "
                               "resume code stays valid: try again in a few minutes."))
        return 2
    app.manages_collections = True
    app.run()
    return app.return_code or 0


def _say_before_the_end(text: str) -> None:
    """Show ``text`` in the visitor's page when no App could start: textual-serve's prelude
    and one data packet (what a Textual app writes once it runs), then the session ends."""
    payload = ("\r\n  " + text + "\r\n").encode("utf-8")
    out = sys.stdout.buffer
    out.write(b"__GANGLION__\n" + b"D" + len(payload).to_bytes(4, "big") + payload)
    out.flush()


if __name__ == "__main__":
    raise SystemExit(main())

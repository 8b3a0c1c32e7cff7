"""The HTML report printed to PDF, where the machine can make one.

Two ways, in this order: the system's headless Chromium (``--print-to-pdf``; Debian's
``chromium`` package), or WeasyPrint when the optional extra is installed
(``pip install 'intake-assistant[pdf]'``). Without either, :class:`PdfUnavailable` says how to
get one; the caller words it for the user.

The HTML is the inert report of ``reports.html`` (no script, no external fetch), so printing it
in a browser without its sandbox (which a root process or a container needs) exposes nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from intake_assistant.i18n import Message

#: Browser programs tried, in order (Debian, other distributions, Google's build).
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_SECONDS = 90

HOW_TO_GET_ONE = Message(
    "No PDF maker is installed. Install Chromium (Debian/Ubuntu: sudo apt-get install "
    "chromium) or WeasyPrint (pip install 'intake-assistant[pdf]'), or write the report as "
    "HTML (--format html) and print that from a browser."
)


class PdfUnavailable(Exception):
    """Neither Chromium nor WeasyPrint is there, or the one there failed."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.msgid)
        self.message = message


def find_browser() -> str | None:
    """The path of a headless-capable Chromium, or None (``INTAKE_ASSISTANT_CHROMIUM`` first)."""
    override = os.environ.get("INTAKE_ASSISTANT_CHROMIUM")
    if override:
        return override if os.access(override, os.X_OK) else None
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def _weasyprint_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except Exception:  # not installed, or its system libraries are missing
        return False
    return True


def available() -> str | None:
    """Which PDF maker would be used: ``"chromium"``, ``"weasyprint"`` or None."""
    if find_browser():
        return "chromium"
    if _weasyprint_available():
        return "weasyprint"
    return None


def chromium_command(browser: str, html_file: Path, pdf_file: Path, profile: Path) -> list[str]:
    return [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-extensions", "--no-first-run", "--no-pdf-header-footer",
        f"--user-data-dir={profile}", f"--print-to-pdf={pdf_file}", html_file.as_uri(),
    ]


def html_to_pdf(html: str) -> bytes:
    """The PDF of ``html``; :class:`PdfUnavailable` when no maker is there or it fails."""
    browser = find_browser()
    if browser is not None:
        return _with_chromium(browser, html)
    if _weasyprint_available():
        import weasyprint

        return weasyprint.HTML(string=html).write_pdf()
    raise PdfUnavailable(HOW_TO_GET_ONE)


def _with_chromium(browser: str, html: str) -> bytes:
    # A profile of its own: a Chromium the user has open (its lock) must not get in the way.
    with tempfile.TemporaryDirectory(prefix="intake-assistant-pdf-") as tmp:
        folder = Path(tmp)
        html_file, pdf_file = folder / "report.html", folder / "report.pdf"
        html_file.write_text(html, encoding="utf-8")
        command = chromium_command(browser, html_file, pdf_file, folder / "profile")
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS,
                                  stdin=subprocess.DEVNULL, check=False)
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(Message("Chromium did not finish the PDF within {seconds} seconds.",
                                         seconds=str(TIMEOUT_SECONDS))) from None
        except OSError as exc:
            raise PdfUnavailable(Message("Chromium could not be started: {error}",
                                         error=exc.strerror or str(exc))) from None
        if not pdf_file.is_file() or pdf_file.stat().st_size == 0:
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise PdfUnavailable(Message("Chromium made no PDF (exit status {status}): {detail}",
                                         status=str(done.returncode), detail=tail[0]))
        return pdf_file.read_bytes()


__all__ = ["HOW_TO_GET_ONE", "PdfUnavailable", "available", "find_browser", "html_to_pdf"]

"""``intake-assistant report``: the pre-check report of drafts as files, headless, for batches.

Each draft is read as ``check`` reads it (``loading.load_draft_file``, with its bounds), checked,
and its report written as Markdown, HTML or PDF (``reports.KINDS``: the same renderers and file
names as the terminal's export and the browser's downloads). A draft that cannot be read or checked is
reported on standard error and the others go on; the exit status is 2 when any failed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from intake_assistant.i18n import Message, Translator, translator
from intake_assistant.safe_text import visible

EXIT_OK, EXIT_FAILED = 0, 2


def output_path(file: str, fmt: str, language: str, output: str | None, batch: bool) -> Path | None:
    """Where the report of ``file`` goes; None for standard output. A file's name is the
    output kind's (``reports.KINDS``), its base the draft file's name."""
    from intake_assistant.reports import KINDS

    stem = "stdin" if file == "-" else Path(file).stem
    name = KINDS[fmt].file_name(stem, language)
    if output is None:
        if not batch and fmt != "pdf":
            return None
        return Path(name)
    if output == "-" and not batch:
        return None
    if batch:
        return Path(output) / name
    return Path(output)


def _fail(tr: Translator, file: str, message: Message | str) -> None:
    text = tr.render(message) if isinstance(message, Message) else message
    sys.stderr.write(f"{visible(file)}: {visible(text)}\n")


def run_report(files: list[str], fmt: str, language: str | None, output: str | None) -> int:
    from intake_assistant.loading import DraftFileError, load_draft_file
    from intake_assistant.reports import KINDS, Subject
    from intake_assistant.reports.pdf import PdfUnavailable, available
    from intake_assistant.rules import UnknownRulesetError, evaluate
    from intake_assistant.storage import atomic_write_bytes

    default_tr = translator(language or "nl")
    if fmt == "pdf" and available() is None:  # say it once, before reading anything
        from intake_assistant.reports.pdf import HOW_TO_GET_ONE

        sys.stderr.write("intake-assistant: " + default_tr.render(HOW_TO_GET_ONE) + "\n")
        return EXIT_FAILED
    batch = len(files) > 1
    if batch and output == "-":
        sys.stderr.write("intake-assistant: " + default_tr.render(Message(
            "with several drafts, -o names a folder; standard output holds one report")) + "\n")
        return EXIT_FAILED
    status = EXIT_OK
    stdin_used = False
    for file in files:
        if file == "-":
            if stdin_used:
                _fail(default_tr, file, Message("standard input was already read; it is checked once"))
                continue
            stdin_used = True
        try:
            draft = load_draft_file(file)
        except DraftFileError as exc:
            sys.stderr.write(visible(exc.render(default_tr)) + "\n")
            status = EXIT_FAILED
            continue
        lang = language or draft.language or "nl"
        tr = translator(lang)
        try:
            report = evaluate(draft)
            data = KINDS[fmt].render(Subject(report, draft, lang))
        except UnknownRulesetError as exc:
            _fail(tr, file, Message("unknown ruleset {ruleset}; known: {known}",
                                    ruleset=exc.ruleset_id, known=", ".join(_known())))
            status = EXIT_FAILED
            continue
        except PdfUnavailable as exc:
            _fail(tr, file, exc.message)
            status = EXIT_FAILED
            continue
        except Exception as exc:  # a defect must not stop the other drafts
            error = f"{type(exc).__name__}: {exc}"
            _fail(tr, file, Message("unexpected error while checking: {error}; please report this",
                                    error=error))
            status = EXIT_FAILED
            continue
        target = output_path(file, fmt, lang, output, batch)
        if target is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, data)
        except OSError as exc:
            _fail(tr, str(target), Message("cannot be written: {error}",
                                           error=exc.strerror or str(exc)))
            status = EXIT_FAILED
            continue
        sys.stderr.write(tr.render(Message("{file}: report written to {path}", file=visible(file),
                                           path=visible(str(target)))) + "\n")
    return status


def _known() -> list[str]:
    from intake_assistant.rules import available_rulesets

    return available_rulesets()

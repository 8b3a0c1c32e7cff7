"""The ``intake-assistant`` command.

    intake-assistant [--lang nl|en] [--data-dir DIR]     the guided intake (terminal UI)
    intake-assistant check FILE... [--format text|json] [--lang nl|en] [--ruleset ID]
    intake-assistant rulesets [--format text|json]       the rounds: in force, period, ceiling, unverified
    intake-assistant schema [--version 1|2]              JSON Schema of draft format v1 or v2
    intake-assistant dialogs lint|graph [--ruleset ID]   check or draw the question flow
    intake-assistant replay DRAFT --lang nl|en [-o OUT]  walk the flow with a draft's answers
    intake-assistant report DRAFT... --format md|html|pdf [--lang nl|en] [-o OUT]
    intake-assistant serve [--host H] [--port P] [--token SECRET]  the intake in a browser
    intake-assistant list [--data-dir DIR] [--format text|json] [--lang nl|en]  saved intakes
    intake-assistant import DRAFT... [--store URL | --data-dir DIR]  drafts as saved intakes
    intake-assistant store init|add-advisor|... [--store URL]  a team store (PostgreSQL)

Imports are deferred to the command that needs them: ``check`` never imports textual, and
starting the intake does not pay for the rules' import before the first screen.
"""

from __future__ import annotations

import argparse
import errno
import gc
import json
import os
import sys
from typing import TYPE_CHECKING, NoReturn, TextIO

from intake_assistant.i18n import LANGUAGES, N_, _, render, set_language, translator

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from intake_assistant.i18n import Translator
    from intake_assistant.models import DraftApplication
    from intake_assistant.rules import Report

EXIT_OK, EXIT_NOT_ELIGIBLE, EXIT_INVALID = 0, 1, 2

STATUS_LABELS = {
    "fail": N_("FAIL"),
    "warn": N_("WARN"),
    "unknown": N_("MISSING"),
    "pass": N_("PASS"),
    "info": N_("INFO"),
}


def _language_from_environment() -> str | None:
    for name in ("INTAKE_ASSISTANT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")[:2].lower()
        if value in LANGUAGES:
            return value
    return None


def _early_language(argv: list[str]) -> str:
    """The language of help and usage errors, before the arguments are parsed."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGUAGES:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg[7:] in LANGUAGES:
            return arg[7:]
    return _language_from_environment() or "nl"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse's own detail stays as argparse says it; our part is translated.
        self.exit(EXIT_INVALID, _("{prog}: usage error: {detail}", prog=self.prog,
                                  detail=message) + "\n" + _("Try: {prog} --help",
                                                             prog=self.prog) + "\n")


#: The options before the command that take a value (``--lang nl check ...``).
_TOP_OPTIONS_WITH_VALUE = ("--lang", "--data-dir", "--store")


def command_of(argv: list[str]) -> str | None:
    """The command ``argv`` names where that is certain without the parser (``check``), else
    None. Only the options before the command that take a value are passed over; anything
    else (a help request, an unknown option) is left to the whole parser."""
    skip = False
    for arg in argv:
        if skip:  # the value of an option before the command
            skip = False
            continue
        if not arg.startswith("-"):
            return arg if arg == "check" else None
        name, has_value, _value = arg.partition("=")
        if len(name) < 3 or not any(o.startswith(name) for o in _TOP_OPTIONS_WITH_VALUE):
            return None  # -h, --help, an unknown option: the whole parser says what it is
        skip = not has_value
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; ``only="check"``: with that command alone (a check starts
    without building the other commands, nor importing the modules that add them)."""
    parser = _Parser(prog="intake-assistant", description=_(
        "Pre-check for the circular chain projects subsidy (a pre-check: RVO decides)."))
    parser.add_argument("--lang", choices=LANGUAGES, help=_("language: nl or en"))
    parser.add_argument("--data-dir", help=_("folder for saved intakes (default: your data folder)"))
    parser.add_argument("--store", dest="intake_store_url", metavar="URL", help=_(
        "a team store: postgresql://... (or set INTAKE_ASSISTANT_STORE); the advisor's token "
        "comes from INTAKE_ASSISTANT_ADVISOR_TOKEN"))
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=_Parser)

    check = commands.add_parser("check", help=_("check draft applications"),
                                description=_("Check draft applications against the rules."))
    check.add_argument("files", nargs="+", metavar=_("FILE"),
                       help=_("draft JSON files; - reads standard input"))
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help=_("text (default) or json (one JSON object per line)"))
    check.add_argument("--lang", choices=LANGUAGES, dest="check_lang",
                       help=_("language of the messages (default: the draft's own language)"))
    check.add_argument("--ruleset", help=_(
        "ruleset to check against (default: the draft's own); auto: the round of the "
        "application date"))
    check.add_argument("--explain", action="store_true", help=_(
        "text: under each finding, what it rests on (the answers and parameter values used)"))
    if only == "check":
        return parser
    from intake_assistant.reports import REPORT_KINDS  # the report kinds of reports.KINDS

    rulesets = commands.add_parser("rulesets", help=_(
        "list the rounds: the day in force, opening period, ceiling and unverified values"))
    rulesets.add_argument("--format", choices=("text", "json"), default="text",
                          dest="rulesets_format", help=_("text (default) or json"))
    rulesets.add_argument("--lang", choices=LANGUAGES, dest="rulesets_lang")

    schema = commands.add_parser("schema", help=_("print the JSON Schema of the draft format"))
    schema.add_argument("--version", type=int, choices=(1, 2), default=1, dest="schema_version",
                        help=_("format version 1 (default) or 2"))

    dialogs = commands.add_parser("dialogs", help=_("check or draw the question flow"))
    dialogs.add_argument("action", choices=("lint", "graph"))
    dialogs.add_argument("--lang", choices=LANGUAGES, dest="dialogs_lang")
    dialogs.add_argument("--ruleset", dest="dialogs_ruleset", help=_(
        "the round whose flow to check or draw (default: every round for lint, sce-2020 for "
        "graph)"))

    replay = commands.add_parser("replay", help=_("walk the question flow with a draft's answers"))
    replay.add_argument("draft", metavar=_("DRAFT"))
    replay.add_argument("--lang", choices=LANGUAGES, dest="replay_lang", required=True)
    replay.add_argument("-o", "--output", metavar=_("OUT"),
                        help=_("write the draft to OUT; - writes it to standard output"))
    replay.add_argument("--force", action="store_true",
                        help=_("replace OUT when it exists (never through a symbolic link)"))

    report = commands.add_parser(
        "report", help=_("write the pre-check report of drafts (Markdown, HTML or PDF)"),
        description=_("Write the pre-check report of each draft, headless (for batches)."))
    report.add_argument("files", nargs="+", metavar=_("DRAFT"),
                        help=_("draft JSON files; - reads standard input"))
    report.add_argument("--format", choices=REPORT_KINDS, default="html", dest="report_format",
                        help=_("md, html (default) or pdf"))
    report.add_argument("--lang", choices=LANGUAGES, dest="report_lang",
                        help=_("language of the report (default: the draft's own language)"))
    report.add_argument("-o", "--output", metavar=_("OUT"),
                        help=_("the file to write (- = standard output); with several drafts a "
                               "folder. Default: standard output for one Markdown or HTML "
                               "report, else files in the current folder"))

    diff = commands.add_parser(
        "diff", help=_("what changed between two drafts"),
        description=_("List the answers that changed between two drafts, the criteria whose "
                      "status changed and the subsidy per participant before and after. "
                      "Exit 0 when the verdict is the same, 1 when it changed, 2 when a draft "
                      "cannot be read."))
    diff.add_argument("old", metavar=_("OLD"), help=_("the earlier draft JSON file"))
    diff.add_argument("new", metavar=_("NEW"), help=_("the later draft JSON file"))
    diff.add_argument("--format", choices=("text", "json"), default="text", dest="diff_format",
                      help=_("text (default) or json (one JSON object)"))
    diff.add_argument("--lang", choices=LANGUAGES, dest="diff_lang",
                      help=_("language of the questions and messages (default: the later "
                             "draft's own language)"))

    listing = commands.add_parser(
        "list", help=_("list the saved intakes with their pre-check verdict"),
        description=_("List the saved intakes (newest first) with their title, pre-check "
                      "verdict at the last save, last change and participants. Changes "
                      "no save: an unreadable save is named on its own line and left as it "
                      "is (exit 2); the others are listed."))
    listing.add_argument("--data-dir", dest="list_data_dir", metavar=_("DIR"),
                         help=_("folder of the saved intakes (default: your data folder)"))
    listing.add_argument("--store", dest="store_url", metavar="URL", help=_(
        "a team store: postgresql://... (or set INTAKE_ASSISTANT_STORE); the advisor's token "
        "comes from INTAKE_ASSISTANT_ADVISOR_TOKEN"))
    listing.add_argument("--format", choices=("text", "json"), default="text",
                         dest="list_format",
                         help=_("text (default) or json (one JSON object per line)"))
    listing.add_argument("--lang", choices=LANGUAGES, dest="list_lang",
                         help=_("language of the verdicts and dates"))
    listing.add_argument("--verdict", choices=("eligible", "not_eligible", "incomplete"),
                         dest="list_verdict", help=_("only the intakes with this verdict"))
    listing.add_argument("--sort", choices=("updated", "title", "verdict", "participants"),
                         default="updated", dest="list_sort",
                         help=_("order: updated (newest first, default), title, verdict "
                                "(not eligible first) or participants"))

    serve = commands.add_parser(
        "serve", help=_("serve the intake in a web browser"),
        description=_("Serve the intake in a web browser: every tab gets its own intake."))
    serve.add_argument("--host", default="127.0.0.1",
                       help=_("address to listen on (default 127.0.0.1: this machine only)"))
    serve.add_argument("--port", type=int, default=8000, help=_("port (default 8000)"))
    serve.add_argument("--lang", choices=LANGUAGES, dest="serve_lang",
                       help=_("language a new visitor starts in"))
    serve.add_argument("--data-dir", dest="serve_data_dir", metavar=_("DIR"),
                       help=_("folder for the served intakes (default: your data folder)"))
    serve.add_argument("--token", metavar=_("SECRET"),
                       help=_("deprecated: a secret on the command line shows in the process "
                              "list; set INTAKE_ASSISTANT_TOKEN or use --token-file"))
    serve.add_argument("--token-file", metavar=_("FILE"),
                       help=_("file holding the secret a visitor needs in the URL; required "
                              "for any address other than this machine (or set "
                              "INTAKE_ASSISTANT_TOKEN)"))
    serve.add_argument("--allowed-host", action="append", default=[], metavar=_("NAME"),
                       help=_("a name of this server visitors use (DNS rebinding: any other "
                              "Host is refused); may be given more than once"))
    serve.add_argument("--trusted-proxy", action="append", default=[], metavar=_("ADDRESS"),
                       help=_("address of a reverse proxy whose X-Forwarded-Proto and "
                              "X-Forwarded-For are believed (cookies are then Secure behind "
                              "TLS; failed advisor sign-ins count per visitor)"))
    serve.add_argument("--advisor-token", metavar=_("SECRET"),
                       help=_("secret that shows every served intake (default: a random one, "
                              "printed at the start; or set INTAKE_ASSISTANT_ADVISOR_LINK_TOKEN)"))
    serve.add_argument("--store", dest="serve_store_url", metavar="URL", help=_(
        "keep the served intakes in a team store: postgresql://... (or set "
        "INTAKE_ASSISTANT_STORE); the server's own advisor token in "
        "INTAKE_ASSISTANT_ADVISOR_TOKEN; advisors sign in with theirs"))
    serve.add_argument("--max-sessions", type=int, default=8, metavar="N",
                       help=_("most intakes open at once (default 8)"))
    serve.add_argument("--idle-minutes", type=float, default=30, metavar=_("MINUTES"),
                       help=_("end an intake left alone this long, its answers saved first "
                              "(default 30)"))
    from intake_assistant.import_command import add_import_command
    from intake_assistant.stores.store_commands import add_store_commands

    add_import_command(commands, _Parser)
    add_store_commands(commands, _Parser)
    return parser


# -------------------------------------------------------------------------------------------
# check


def _visible_translator(language: str) -> Translator:
    """A translator whose text parameters are made visible: names and titles come from the
    draft, and the text output goes to a terminal."""
    from intake_assistant.i18n import Translator
    from intake_assistant.safe_text import visible

    cached = _VISIBLE_TRANSLATORS.get(language)
    if cached is not None:
        return cached

    class VisibleTranslator(Translator):
        def format_value(self, value: object) -> str:
            if isinstance(value, str):
                return visible(value)
            return super().format_value(value)

    made = _VISIBLE_TRANSLATORS[language] = VisibleTranslator(language, translator(language))
    return made


_VISIBLE_TRANSLATORS: dict[str, Translator] = {}


def _round_lines(report: Report, draft: DraftApplication, tr: Translator) -> list[str]:
    """The round's title and the unverified values the verdict rests on."""
    # not through reports.wording: a check would import the reports (8 ms of a cold start)
    from intake_assistant.rules.rounds import round_label, unverified_basis, verdict_basis_message

    lines = ["  " + tr("Round: {round}", round=tr.render(round_label(report.ruleset_id)))]
    basis = unverified_basis(report, draft)
    if basis:
        lines.append("  " + tr.render(verdict_basis_message(basis)))
    return lines


def _text_summary(report: Report, draft: DraftApplication, file: str, tr: Translator,
                  explain: bool = False) -> str:
    """The human summary of one draft.

    A criterion is listed once: a per-participant criterion that some participants fail shows
    each participant's finding under it and names those who pass, rather than appearing under
    both FAIL and PASS. Criteria every participant passes are named on the PASS line.
    """
    from intake_assistant.rules.findings import STATUS_ORDER, Finding
    from intake_assistant.safe_text import visible
    from intake_assistant.status_words import VERDICT_WORDS

    lines: list[str] = []
    verdict = tr.render(VERDICT_WORDS[report.verdict])
    lines.append(tr("{file}: {verdict} (pre-check; RVO decides) - ruleset {ruleset}",
                    file=visible(file, limit=500), verdict=verdict, ruleset=report.ruleset_id))
    lines += _round_lines(report, draft, tr)
    width = max(len(tr.gettext(label)) for label in STATUS_LABELS.values())

    def label(status: str) -> str:
        return f"{tr.gettext(STATUS_LABELS[status]):<{width}}"

    participants = draft.participants or []

    def hint_lines(finding: Finding, indent: str) -> list[str]:
        text = finding.hint_text(tr)
        lines = [] if text is None else [indent + tr("Hint: {hint}", hint=text)]
        return lines + basis_lines(finding, indent) if explain else lines

    def basis_lines(finding: Finding, indent: str) -> list[str]:
        """--explain: what the finding rests on, one answer or parameter a line."""
        from intake_assistant.reports.wording import basis_words

        parts = basis_words(tr, finding, draft, report.ruleset_id)
        if not parts:
            return []
        return [indent + tr("Rests on:")] + [
            f"{indent}  - {visible(words, limit=500)} [{visible(code, limit=200)}]"
            for words, code in parts]

    def who(index: int | None) -> str:
        name = participants[index].name if index is not None and index < len(participants) else None
        return visible(name) if name else tr("participant {number}", number=(index or 0) + 1)

    groups: dict[str, list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault(finding.criterion, []).append(finding)
    passed: list[str] = []
    explained_passes: list[str] = []
    shown: list[tuple[int, list[str]]] = []
    for criterion, findings in groups.items():
        worst = min(findings, key=lambda f: STATUS_ORDER[f.status])
        if worst.status == "pass":  # a summary: passes are named, not explained
            passed.append(criterion)
            if explain:  # ... unless asked: each with what it rests on
                for f in findings:
                    head = criterion if f.participant_index is None else \
                        f"{criterion} ({who(f.participant_index)})"
                    explained_passes += [f"  {label('pass')} {head}", *basis_lines(f, " " * 6)]
            continue
        article = tr("art. {article}", article=worst.article)
        per_participant = len(findings) > 1 or findings[0].participant_index is not None
        if not per_participant:
            block = [f"  {label(str(worst.status))} {criterion} ({article}): {worst.text(tr)}",
                     *hint_lines(worst, " " * (width + 3))]
        else:
            block = [f"  {label(str(worst.status))} {criterion} ({article}), "
                     + tr("per participant:")]
            others = sorted((f for f in findings if f.status != "pass"),
                            key=lambda f: STATUS_ORDER[f.status])
            for f in others:
                block.append(f"      {label(str(f.status))} {f.text(tr)}")
                block += hint_lines(f, " " * (width + 7))
            passing = [who(f.participant_index) for f in findings if f.status == "pass"]
            if passing:
                block.append(f"      {label('pass')} " + ", ".join(passing))
                if explain:
                    for f in findings:
                        if f.status == "pass":
                            block += [f"        {who(f.participant_index)}:",
                                      *basis_lines(f, " " * 10)]
        shown.append((STATUS_ORDER[worst.status], block))
    for _order, block in sorted(shown, key=lambda item: item[0]):
        lines += block
    if explained_passes:
        lines += explained_passes
    elif passed:
        lines.append(f"  {label('pass')} " + ", ".join(passed))
    sub = report.subsidy
    if sub.participants:
        lines.append("  " + tr("Subsidy per participant:"))
        for row in sub.participants:
            share = "—" if row.cost_share is None else tr.percent(row.cost_share)
            lines.append("    " + tr("{name}: eligible {eligible}, excluded {excluded}, share "
                                    "{share}, subsidy {subsidy}", name=who(row.index),
                                    eligible=tr.money(row.eligible_costs_eur),
                                    excluded=tr.money(row.excluded_costs_eur), share=share,
                                    subsidy=tr.money(row.subsidy_eur)))
        lines.append("    " + tr("Total subsidy: {total}", total=tr.money(sub.total_eur)))
    # Every value from the draft went through visible() above; this guards the whole output.
    return "".join(visible(line, limit=1_000_000) + "\n" for line in lines)


def _json_line_text(data: object) -> str:
    """JSON data as ``json.dumps(data, ensure_ascii=False, allow_nan=False)`` writes it, safe
    for a terminal; one encoder for the whole run (dumps builds one per call)."""
    from intake_assistant.safe_text import json_text

    if type(data) is str:  # most are (a finding's message): what the encoder does for one
        return json_text(_json_string(data))
    return json_text(_JSON_ENCODER.encode(data))


_JSON_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False)
_json_string = json.encoder.encode_basestring


def run_check(files: list[str], fmt: str, language: str | None, ruleset_id: str | None,
              *, explain: bool = False) -> int:
    # What a check loads before its first draft is written (pydantic, the models, the rules,
    # the draft schema, the ruleset, the catalogs, the locale data) lives as long as the run:
    # the collector waits until then (its passes over all that cost a cold check ~10 ms),
    # and is told not to look at it again, also at each full collection of a long batch
    # (every draft leaves no cycles).
    collecting = gc.isenabled()
    gc.disable()
    thresholds = gc.get_threshold()
    try:
        return _check_files(files, fmt, language, ruleset_id, explain, collecting)
    finally:
        gc.freeze()  # else its first pass would look at everything allocated meanwhile
        gc.set_threshold(*thresholds)
        if collecting:
            gc.enable()


def _collect_from_now(collecting: bool) -> None:
    """The collector starts (see run_check). A draft's objects (its model, views, findings
    and bases: thousands) are freed by their counts once its line is written; started every
    700 new objects, as by default, the collector walked those alive at that moment and the
    batch's caches some 400 times in 1,000 drafts (a tenth of the time); every 50,000 it
    still finds any cycle."""
    gc.freeze()
    gc.set_threshold(50_000, *gc.get_threshold()[1:])
    if collecting:
        gc.enable()


def _check_files(files: list[str], fmt: str, language: str | None, ruleset_id: str | None,
                 explain: bool, collecting: bool) -> int:
    from functools import partial

    from intake_assistant.rules import UnknownRulesetError, load_ruleset
    from intake_assistant.rules.rounds import AUTO
    from intake_assistant.safe_text import visible

    default_language = language or _language_from_environment() or "nl"
    status = EXIT_OK
    if ruleset_id is not None and ruleset_id != AUTO:
        try:
            load_ruleset(ruleset_id)
        except UnknownRulesetError:
            return _unknown_ruleset(visible(ruleset_id, limit=80), translator(default_language))
    check = partial(_check_file, fmt=fmt, language=language, ruleset_id=ruleset_id,
                    explain=explain, default_language=default_language)
    write = _FileWriter(fmt, translator(language or default_language))
    summaries: Iterable[int] = map(write, _checked_here(files, check, collecting))
    if len(files) > 1:  # a single check does not load the batch's machinery
        from intake_assistant import check_batch

        jobs = check_batch.jobs_for(files)
        if jobs > 1 and _outputs_are_files():
            summaries = _shared(files, check, write, jobs, collecting)
    printed_text = False
    for summary in summaries:
        printed_text = printed_text or bool(summary & _PRINTED)
        file_status = summary & _STATUS
        if file_status == EXIT_INVALID:
            status = EXIT_INVALID
        elif file_status == EXIT_NOT_ELIGIBLE and status == EXIT_OK:
            status = EXIT_NOT_ELIGIBLE
    if write.cut_off:
        status = EXIT_INVALID
    if printed_text:
        _print_coverage(translator(language or default_language))
    return status


#: What checking one file gives: its output (text, or a JSON line in UTF-8), its error line
#: and its exit status (``None``: none of its own).
FileResult = tuple[str | bytes, str, int | None]

#: A file's summary (what ``_FileWriter`` gives back): its exit status (``_NO_STATUS``: none
#: of its own), and whether a text was written (the coverage note closes it).
_STATUS, _NO_STATUS, _PRINTED = 3, 3, 4


class _FileWriter:
    """Writes a file's output and error line as one process does (a batch's other processes
    too: ``check_batch``), and gives back its summary."""

    __slots__ = ("_fmt", "_tr", "_write_bytes", "cut_off")

    def __init__(self, fmt: str, tr: Translator) -> None:
        self._fmt = fmt
        self._tr = tr
        self._write_bytes: Callable[[bytes], object] | None = None
        #: A process of the batch ended while writing a file's output (``cut``).
        self.cut_off = False

    def __call__(self, result: FileResult) -> int:
        output, error, file_status = result
        summary = _NO_STATUS if file_status is None else file_status
        # the writes one process makes for the file (the same interleaving, also as 2>&1)
        if output:
            self._write(output)
            if self._fmt != "json":
                summary |= _PRINTED
        if error:
            sys.stderr.write(error)
        return summary

    def _write(self, output: str | bytes) -> None:
        if type(output) is bytes:  # a JSON line
            if self._write_bytes is None:
                self._write_bytes = _bytes_writer()
            self._write_bytes(output)
        else:
            sys.stdout.write(output)  # type: ignore[arg-type]

    def cut(self, file: str) -> None:
        """A process of a shared batch ended while writing ``file``'s output (killed while a
        slow reader held its write): what it wrote may be cut off. A line break ends that,
        the file's output follows whole, and the run says so and ends with exit 2."""
        from intake_assistant.safe_text import visible

        tr = self._tr
        self.cut_off = True
        self._write(b"\n" if self._fmt == "json" else "\n")
        sys.stdout.flush()  # before the line that says so (also with 2>&1)
        sys.stderr.write(visible(file, limit=500) + ": " + tr(
            "a process checking this batch ended while writing this file's output: the line "
            "above may be cut off; the output follows in full") + "\n")


def _shared(files: list[str], check: Callable[[str], FileResult], write: _FileWriter,
            jobs: int, collecting: bool) -> Iterator[int]:
    """A long batch shared among ``jobs`` processes (``check_batch``). The first file is
    checked here: what a check loads on its first draft (the draft schema, the catalogs, the
    locale data) is then loaded once, and frozen, before the processes are forked."""
    from intake_assistant import check_batch

    yield write(check(files[0]))
    _collect_from_now(collecting)
    yield from check_batch.checked_and_written(files[1:], check, write, _flush_outputs, jobs,
                                               write.cut)


def _outputs_are_files() -> bool:
    """Standard output and error are files the processes of a batch can share (not streams
    put in their place, as a program that runs this one inside itself may)."""
    try:
        sys.stdout.fileno()
        sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    return True


def _flush_outputs() -> None:
    sys.stdout.flush()
    sys.stderr.flush()


def _bytes_writer() -> Callable[[bytes], object]:
    """How output given as bytes is written: to standard output's bytes, after what was
    written to it as text; as text where it has no bytes (a stream put in its place)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        return lambda output: sys.stdout.write(output.decode("utf-8"))
    sys.stdout.flush()
    return buffer.write  # type: ignore[no-any-return]


def _checked_here(files: list[str], check: Callable[[str], FileResult],
                  collecting: bool) -> Iterator[FileResult]:
    stdin_used = False
    for position, file in enumerate(files):
        if position == 1:  # the first draft is written: the collector starts (see run_check)
            _collect_from_now(collecting)
        if file == "-":
            if stdin_used:  # standard input can be read once
                yield "", "-: " + _("standard input was already read; it is checked once") + "\n", \
                    None
                continue
            stdin_used = True
        yield check(file)


def _check_file(file: str, *, fmt: str, language: str | None, ruleset_id: str | None,
                explain: bool, default_language: str) -> FileResult:
    """The output, error line and exit status of checking one file."""
    from intake_assistant.loading import DraftFileError, load_draft_file
    from intake_assistant.rules import DEFAULT_RULESET, UnknownRulesetError, evaluate
    from intake_assistant.rules.rounds import AUTO, resolve_ruleset_id
    from intake_assistant.safe_text import visible

    try:
        draft = load_draft_file(file)
    except DraftFileError as exc:
        return "", exc.render(translator(default_language)) + "\n", EXIT_INVALID
    shown_file = visible(file, limit=500)
    tr = translator(language or draft.language or default_language)
    applied = draft.project.application_date if draft.project else None
    chosen = (resolve_ruleset_id(AUTO, applied, draft.ruleset or DEFAULT_RULESET)
              if ruleset_id == AUTO else ruleset_id or draft.ruleset)
    try:
        # the bases are written in JSON and explained on demand; a plain text has none
        report = evaluate(draft, chosen, basis=fmt == "json" or explain)
        if fmt == "json":
            # Strict JSON (a NaN would be a defect: the models bound every figure); the
            # draft's values stay exact for a reader and cannot act on a terminal.
            output = report.json_line(tr, file, _json_line_text) + b"\n"  # UTF-8, as JSON is
        else:
            output = _text_summary(report, draft, file, _visible_translator(tr.language), explain)
    except UnknownRulesetError as exc:
        return "", f"{shown_file}: ruleset: " + tr(
            "unknown ruleset {ruleset}; known: {known}",
            ruleset=visible(exc.ruleset_id, limit=80),
            known=", ".join(_known_rulesets())) + "\n", EXIT_INVALID
    except Exception as exc:  # a defect in the rules must not stop the other files
        error = visible(f"{type(exc).__name__}: {exc}", limit=500)
        return "", f"{shown_file}: " + tr(
            "unexpected error while checking: {error}; please report this", error=error) + "\n", \
            EXIT_INVALID
    return output, "", EXIT_OK if report.verdict == "eligible" else EXIT_NOT_ELIGIBLE


def _print_coverage(tr: Translator) -> None:
    """Which rounds the pre-check covers, and that no round is open today."""
    import datetime as dt

    from intake_assistant.rules.rounds import coverage

    sys.stdout.write(tr.render(coverage(dt.date.today())) + "\n")


def _known_rulesets() -> list[str]:
    from intake_assistant.rules import available_rulesets

    return available_rulesets()


def _unknown_ruleset(ruleset_id: str, tr: Translator) -> int:
    sys.stderr.write("intake-assistant: " + tr("unknown ruleset {ruleset}; known: {known}",
                                                ruleset=ruleset_id,
                                                known=", ".join(_known_rulesets())) + "\n")
    return EXIT_INVALID


def run_schema(version: int = 1) -> int:
    from intake_assistant.models import json_schema

    sys.stdout.write(json.dumps(json_schema(version), indent=2, allow_nan=False) + "\n")
    return EXIT_OK


def run_rulesets(fmt: str, language: str | None) -> int:
    """Every round: its ruleset, the day its text entered into force, opening period, ceiling and
    the values not verified."""
    from intake_assistant.i18n import Message
    from intake_assistant.rules import load_ruleset
    from intake_assistant.rules.criteria import PARAMETER_LABELS
    from intake_assistant.rules.rounds import rounds, unverified_parameters

    tr = translator(language or _language_from_environment() or "nl")
    out = sys.stdout.write
    for known in rounds():
        ruleset = load_ruleset(known.ruleset_id)
        params = ruleset.params_on(ruleset.reference_date)
        unverified = unverified_parameters(ruleset, params)
        if fmt == "json":
            out(json.dumps({
                "ruleset": known.ruleset_id, "round": known.year,
                "title": tr.gettext(ruleset.title),
                "in_force": {"from": known.in_force.isoformat(),
                             "source": tr.gettext(ruleset.in_force_source)},
                "opening_period": {"first": known.first.isoformat(),
                                   "last": known.last.isoformat(),
                                   "verified": known.period_verified},
                "ceiling_eur": known.ceiling_eur, "ceiling_verified": known.ceiling_verified,
                "rule_changes": list(ruleset.rule_changes),
                "unverified": [{"parameter": name, "value": params.meta(name).value,
                                "source": tr.gettext(params.meta(name).source)}
                               for name in unverified],
            }, ensure_ascii=False, default=str) + "\n")
            continue
        unsure = tr("(reported, not verified)")
        out(tr("{ruleset}: {title}", ruleset=known.ruleset_id, title=tr.gettext(ruleset.title))
            + "\n")
        out("  " + tr("in force from {day} ({source})", day=tr.date(known.in_force),
                      source=tr.gettext(ruleset.in_force_source)) + "\n")
        out("  " + tr("opening period {first} to {last}", first=tr.date(known.first),
                      last=tr.date(known.last))
            + ("" if known.period_verified else " " + unsure) + "\n")
        out("  " + tr("ceiling {amount}", amount=tr.money_whole(known.ceiling_eur))
            + ("" if known.ceiling_verified else " " + unsure) + "\n")
        # each value in words, its key beside it for reference (never the key alone)
        words = [f"{tr.render(Message(PARAMETER_LABELS.get(name, name)))} ({name})"
                 for name in unverified]
        out("  " + tr("unverified values: {names}", names="; ".join(words) or "—") + "\n")
    if fmt != "json":
        _print_coverage(tr)
    return EXIT_OK


# -------------------------------------------------------------------------------------------


def run_diff(old_file: str, new_file: str, fmt: str, language: str | None) -> int:
    """``diff``: exit 0 when both drafts have the same verdict, 1 when it changed, 2 when one
    cannot be read (each unreadable draft named on its own line)."""
    from intake_assistant.compare import compare, to_json, to_text
    from intake_assistant.loading import DraftFileError, load_draft_file
    from intake_assistant.safe_text import json_text

    default_language = language or _language_from_environment() or "nl"
    drafts = []
    for file in (old_file, new_file):
        try:
            drafts.append(load_draft_file(file))
        except DraftFileError as exc:
            sys.stderr.write(exc.render(translator(default_language)) + "\n")
    if len(drafts) < 2:
        return EXIT_INVALID
    old, new = drafts
    shown_language = language or new.language or default_language
    comparison = compare(old, new, shown_language)
    if fmt == "json":
        sys.stdout.write(json_text(json.dumps(to_json(comparison, old_file, new_file),
                                              ensure_ascii=False, allow_nan=False)) + "\n")
    else:
        sys.stdout.write(to_text(comparison, shown_language, old_file, new_file))
    return EXIT_OK if comparison.same_verdict else EXIT_NOT_ELIGIBLE


def run_list(data_dir: str | None, fmt: str, language: str | None, verdict: str | None = None,
             sort: str = "updated", store_url: str | None = None) -> int:
    """``list``: the saved intakes (of the data folder or the team store), headless. Exit 0;
    2 when a save (or the folder, or the store) cannot be read, each such save named on its own
    line on standard error."""
    from intake_assistant.safe_text import json_text, visible
    from intake_assistant.service.open_intake import Channel, OpenIntake
    from intake_assistant.status_words import VERDICT_WORDS
    from intake_assistant.storage import Settings
    from intake_assistant.storage.listing import ListFilter, arranged, format_updated
    from intake_assistant.stores import chosen_location, open_store
    from intake_assistant.stores.file_store import FileStore
    from intake_assistant.stores.store_protocol import StoreAccessError, StoreUnavailableError

    tr = translator(language or _language_from_environment() or "nl")
    set_language(tr.language)  # the dates follow the language too
    try:
        store = open_store(chosen_location(store_url, data_dir), data_dir)
        intakes = OpenIntake(Channel(store, remembers_settings=False), Settings())
        folder = visible(store.describe(), limit=500)
        listing = intakes.saved_intakes(set_aside=False)
    except (StoreAccessError, StoreUnavailableError) as exc:
        sys.stderr.write("intake-assistant: " + visible(tr.render(exc.problem), limit=2000)
                         + "\n")
        return EXIT_INVALID
    except OSError as exc:
        sys.stderr.write("intake-assistant: " + tr(
            "the saved intakes in {folder} cannot be read: {error}", folder=folder,
            error=visible(exc.strerror or str(exc))) + "\n")
        return EXIT_INVALID
    headers = arranged(listing.intakes, ListFilter(verdict=verdict or ""), sort)
    team = not isinstance(store, FileStore)  # a team store names who has each intake
    out = sys.stdout.write
    for header in headers:
        meta = header.meta
        if fmt == "json":
            record = {"id": header.id, "title": meta.title, "verdict": meta.verdict,
                      "updated": meta.updated, "participants": list(meta.participants),
                      "language": meta.language, "state": meta.state,
                      "file": None if team else str(header.path)}
            if team:
                record |= {"advisor": header.belongs_to, "changed_by": header.changed_by}
            out(json_text(json.dumps(record, ensure_ascii=False, allow_nan=False)) + "\n")
            continue
        words = (tr.render(VERDICT_WORDS[meta.verdict]) if meta.verdict in VERDICT_WORDS
                 else tr("no verdict saved"))
        out(tr("{title} (id {id})", title=visible(meta.title) if meta.title else tr("(untitled)"),
               id=visible(header.id)) + "\n")
        out("  " + tr("pre-check: {verdict}; last change: {updated}", verdict=words,
                      updated=visible(format_updated(meta.updated))) + "\n")
        out("  " + tr("participants: {names}", names=", ".join(
            visible(name) for name in meta.participants) or "–") + "\n")
        if team:
            out("  " + tr("advisor: {advisor}; last saved by: {changed_by}",
                          advisor=visible(header.belongs_to or "–", limit=200),
                          changed_by=visible(header.changed_by or "–", limit=200)) + "\n")
    if fmt != "json":
        if headers:
            out(tr.ngettext("{count} of {total} saved intake in {folder}",
                            "{count} of {total} saved intakes in {folder}", len(listing.intakes),
                            count=str(len(headers)), total=str(len(listing.intakes)),
                            folder=folder) + "\n")
        else:
            out(tr("No saved intakes in {folder}", folder=folder) + "\n")
    problems = listing.problems()
    for problem in problems:
        sys.stderr.write(visible(tr.render(problem), limit=2000) + "\n")
    return EXIT_INVALID if problems else EXIT_OK


def _command(args: argparse.Namespace) -> int:
    """Run the command ``args`` name; its exit status."""
    if args.command == "check":
        return run_check(args.files, args.format, args.check_lang or args.lang, args.ruleset,
                         explain=args.explain)
    if args.command == "schema":
        return run_schema(args.schema_version)
    if args.command == "rulesets":
        return run_rulesets(args.rulesets_format, args.rulesets_lang or args.lang)
    if args.command == "dialogs":
        from intake_assistant.flow import commands as flow_commands

        if args.action == "lint":
            return flow_commands.run_dialogs_lint(args.dialogs_lang or args.lang or "en",
                                                  args.dialogs_ruleset)
        return flow_commands.run_dialogs_graph(args.dialogs_ruleset)
    if args.command == "replay":
        from intake_assistant.flow import commands as flow_commands

        return flow_commands.run_replay(args.draft, args.replay_lang, args.output,
                                        force=args.force)
    if args.command == "report":
        from intake_assistant.report_command import run_report

        return run_report(args.files, args.report_format, args.report_lang or args.lang,
                          args.output)
    if args.command == "diff":
        return run_diff(args.old, args.new, args.diff_format, args.diff_lang or args.lang)
    if args.command == "list":
        return run_list(args.list_data_dir or args.data_dir, args.list_format,
                        args.list_lang or args.lang, args.list_verdict, args.list_sort,
                        args.store_url)
    if args.command == "import":
        from intake_assistant.import_command import run_import

        # a --data-dir before the command is the folder unless a store is named
        folder = args.import_data_dir or (None if args.store_url else args.data_dir)
        return run_import(args.drafts, args.store_url, folder,
                          translator(args.import_lang or args.lang
                                     or _language_from_environment() or "nl"))
    if args.command == "store":
        from intake_assistant.stores.store_commands import run_store

        return run_store(args, translator(args.store_lang or args.lang
                                          or _language_from_environment() or "nl"))
    if args.command == "serve":
        from intake_assistant.tui.served.server import run_serve

        return run_serve(args)
    from intake_assistant.stores import is_store_url, store_location

    store = store_location(args.intake_store_url)
    if store is not None and not is_store_url(store):
        from intake_assistant.safe_text import visible

        sys.stderr.write("intake-assistant: " + _(
            "{store} is not a team store: give postgresql://...",
            store=visible(store, limit=200)) + "\n")
        return EXIT_INVALID
    # The collector waits while the UI's modules load (textual, our screens): they live as
    # long as the program, and each full collection among them cost the first screen
    # ~100 ms. ``launch`` freezes them and turns it back on.
    gc.disable()
    from intake_assistant.stores.store_protocol import (
        StoreAccessError,
        StoreUnavailableError,
    )
    from intake_assistant.tui.launch import launch

    try:
        return launch(language=args.lang, data_dir=args.data_dir, store=store)
    except (StoreAccessError, StoreUnavailableError) as exc:
        gc.enable()
        sys.stderr.write("intake-assistant: " + render(exc.problem)[:2000] + "\n")
        return EXIT_INVALID


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(_early_language(argv))
    args = build_parser(command_of(argv)).parse_args(argv)
    if getattr(args, "store_url", None) is None:  # --store before the command names it too
        args.store_url = getattr(args, "intake_store_url", None)
    code: int | None = None
    try:
        code = _command(args)
        # what waits in standard output's buffer is written here, where a full disk or a
        # closed pipe meets the handlers below, not at the interpreter's exit
        if sys.stdout is not None:  # None where the program was started without one
            sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `check ... | head`: the reader has what it wanted
        _drop_unwritten_output()
        sys.stderr.close()
        return EXIT_OK if code is None else code  # a status made before the last flush
    except OSError as exc:
        if exc.errno not in _DISK_FULL:
            return _unexpected(exc)
        # the output sent to a full disk (check ... > file): the user's to act on, no defect
        _drop_unwritten_output()
        try:
            sys.stderr.write("intake-assistant: " + _(
                "the output cannot be written: the disk is full. Free some space, or send "
                "the output elsewhere.") + "\n")
            sys.stderr.flush()
        except OSError:  # standard error on the same full disk: nothing can be said
            _drop_unwritten_output(sys.stderr)
        return EXIT_INVALID
    except UnicodeEncodeError as exc:
        if not _is_standard_outputs(exc.encoding):
            return _unexpected(exc)
        # a terminal (or a file it is sent to) in an encoding without the euro sign or an
        # accented letter: say which character and what to do, not "please report this"
        character = "U+" + format(ord(exc.object[exc.start]), "04X")
        sys.stderr.write("intake-assistant: " + _(
            "the output cannot be written in this terminal's encoding ({encoding}): it has no "
            "{character}. Use a UTF-8 locale (for example LANG=C.UTF-8 or "
            "PYTHONIOENCODING=utf-8), or --format json, which is always UTF-8.",
            encoding=exc.encoding, character=character) + "\n")
        return EXIT_INVALID
    except Exception as exc:  # the last guard: a user never sees a traceback
        return _unexpected(exc)


def _is_standard_outputs(encoding: str) -> bool:
    """Whether ``encoding`` is standard output's (the error came from writing to it)."""
    import codecs

    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return any(codecs.lookup(stream.encoding).name == name
               for stream in (sys.stdout, sys.__stdout__) if getattr(stream, "encoding", None))


def _drop_unwritten_output(stream: TextIO | None = None) -> None:
    """What waits in ``stream``'s buffer (standard output's) cannot be written: it is sent
    nowhere, so that the interpreter's last flush does not fail again ("Exception ignored
    ...", exit 120)."""
    stream = sys.stdout if stream is None else stream
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        os.dup2(devnull, stream.fileno())
    except (AttributeError, OSError, ValueError):
        pass
    finally:
        os.close(devnull)


#: An output or a file that cannot be written for want of room.
_DISK_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})


def _unexpected(exc: Exception) -> int:
    """The last guard's line: a user never sees a traceback (nor a file's or a save's text
    acting on the terminal)."""
    from intake_assistant.safe_text import visible

    error = visible(f"{type(exc).__name__}: {exc}", limit=500)
    sys.stderr.write(_("intake-assistant: unexpected error: {error}. Nothing you entered "
                       "was lost; please report this.", error=error) + "\n")
    return EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())

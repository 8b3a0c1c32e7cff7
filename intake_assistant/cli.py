"""The ``intake-assistant`` command.

    intake-assistant [--lang nl|en] [--data-dir DIR]     the guided intake (terminal UI)
    intake-assistant check FILE... [--format text|json] [--lang nl|en] [--ruleset ID]
    intake-assistant schema                              JSON Schema of draft format v1
    intake-assistant dialogs lint|graph                  check or draw the question flow
    intake-assistant replay DRAFT --lang nl|en [-o OUT]  walk the flow with a draft's answers
    intake-assistant report DRAFT... --format md|html|pdf [--lang nl|en] [-o OUT]

Imports are deferred to the command that needs them: ``check`` never imports textual, and
starting the intake does not pay for the rules' import before the first screen.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, NoReturn

from intake_assistant.i18n import LANGUAGES, N_, _, set_language, translator

if TYPE_CHECKING:
    from intake_assistant.i18n import Translator
    from intake_assistant.rules import Report

EXIT_OK, EXIT_NOT_ELIGIBLE, EXIT_INVALID = 0, 1, 2
REPORT_FORMATS = ("md", "html", "pdf")

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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="intake-assistant", description=_(
        "Pre-check for the circular chain projects subsidy (a pre-check: RVO decides)."))
    parser.add_argument("--lang", choices=LANGUAGES, help=_("language: nl or en"))
    parser.add_argument("--data-dir", help=_("folder for saved intakes (default: your data folder)"))
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=_Parser)

    check = commands.add_parser("check", help=_("check draft applications"),
                                description=_("Check draft applications against the rules."))
    check.add_argument("files", nargs="+", metavar=_("FILE"),
                       help=_("draft JSON files; - reads standard input"))
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help=_("text (default) or json (one JSON object per line)"))
    check.add_argument("--lang", choices=LANGUAGES, dest="check_lang",
                       help=_("language of the messages (default: the draft's own language)"))
    check.add_argument("--ruleset", help=_("ruleset to check against (default: the draft's own)"))

    commands.add_parser("schema", help=_("print the JSON Schema of the draft format"))

    dialogs = commands.add_parser("dialogs", help=_("check or draw the question flow"))
    dialogs.add_argument("action", choices=("lint", "graph"))
    dialogs.add_argument("--lang", choices=LANGUAGES, dest="dialogs_lang")

    replay = commands.add_parser("replay", help=_("walk the question flow with a draft's answers"))
    replay.add_argument("draft", metavar=_("DRAFT"))
    replay.add_argument("--lang", choices=LANGUAGES, dest="replay_lang", required=True)
    replay.add_argument("-o", "--output", metavar=_("OUT"))

    report = commands.add_parser(
        "report", help=_("write the pre-check report of drafts (Markdown, HTML or PDF)"),
        description=_("Write the pre-check report of each draft, headless (for batches)."))
    report.add_argument("files", nargs="+", metavar=_("DRAFT"),
                        help=_("draft JSON files; - reads standard input"))
    report.add_argument("--format", choices=REPORT_FORMATS, default="html", dest="report_format",
                        help=_("md, html (default) or pdf"))
    report.add_argument("--lang", choices=LANGUAGES, dest="report_lang",
                        help=_("language of the report (default: the draft's own language)"))
    report.add_argument("-o", "--output", metavar=_("OUT"),
                        help=_("the file to write (- = standard output); with several drafts a "
                               "folder. Default: standard output for one Markdown or HTML "
                               "report, else files in the current folder"))

    return parser


# -------------------------------------------------------------------------------------------
# check


def _print_text(report: Report, file: str, tr: Translator) -> None:
    from intake_assistant.rules.findings import STATUS_ORDER

    out = sys.stdout.write
    from intake_assistant.report import VERDICT_WORDS

    verdict = tr.render(VERDICT_WORDS[report.verdict])
    out(tr("{file}: {verdict} (pre-check; RVO decides) - ruleset {ruleset}", file=file,
           verdict=verdict, ruleset=report.ruleset_id) + "\n")
    width = max(len(tr.gettext(label)) for label in STATUS_LABELS.values())
    passed: list[str] = []
    for finding in sorted(report.findings, key=lambda f: STATUS_ORDER[f.status]):
        if finding.status == "pass":  # a summary: passes are named, not explained
            if finding.criterion not in passed:
                passed.append(finding.criterion)
            continue
        label = tr.gettext(STATUS_LABELS[str(finding.status)])
        article = tr("art. {article}", article=finding.article)
        out(f"  {label:<{width}} {finding.criterion} ({article}): {finding.text(tr)}\n")
    if passed:
        pass_label = STATUS_LABELS["pass"]
        out(f"  {tr.gettext(pass_label):<{width}} " + ", ".join(passed) + "\n")
    sub = report.subsidy
    if sub.participants:
        out("  " + tr("Subsidy per participant:") + "\n")
        for row in sub.participants:
            name = row.name or tr("participant {number}", number=row.index + 1)
            share = "—" if row.cost_share is None else tr.percent(row.cost_share)
            out("    " + tr("{name}: eligible {eligible}, excluded {excluded}, share {share}, "
                           "subsidy {subsidy}", name=name, eligible=tr.money(row.eligible_costs_eur),
                           excluded=tr.money(row.excluded_costs_eur), share=share,
                           subsidy=tr.money(row.subsidy_eur)) + "\n")
        out("    " + tr("Total subsidy: {total}", total=tr.money(sub.total_eur)) + "\n")


def run_check(files: list[str], fmt: str, language: str | None, ruleset_id: str | None) -> int:
    from intake_assistant.loading import DraftFileError, load_draft_file
    from intake_assistant.rules import UnknownRulesetError, evaluate, load_ruleset

    default_language = language or _language_from_environment() or "nl"
    status = EXIT_OK
    if ruleset_id is not None:
        try:
            load_ruleset(ruleset_id)
        except UnknownRulesetError:
            return _unknown_ruleset(ruleset_id, translator(default_language))
    stdin_used = False
    for file in files:
        if file == "-":
            if stdin_used:  # standard input can be read once
                sys.stderr.write("-: " + _("standard input was already read; it is checked once") + "\n")
                continue
            stdin_used = True
        try:
            draft = load_draft_file(file)
        except DraftFileError as exc:
            sys.stderr.write(exc.render(translator(default_language)) + "\n")
            status = EXIT_INVALID
            continue
        tr = translator(language or draft.language or default_language)
        try:
            report = evaluate(draft, ruleset_id or draft.ruleset)
        except UnknownRulesetError as exc:
            sys.stderr.write(f"{file}: ruleset: " + tr(
                "unknown ruleset {ruleset}; known: {known}", ruleset=exc.ruleset_id,
                known=", ".join(_known_rulesets())) + "\n")
            status = EXIT_INVALID
            continue
        except Exception as exc:  # a defect in the rules must not stop the other files
            error = f"{type(exc).__name__}: {exc}"
            sys.stderr.write(f"{file}: " + tr(
                "unexpected error while checking: {error}; please report this", error=error) + "\n")
            status = EXIT_INVALID
            continue
        if fmt == "json":
            sys.stdout.write(json.dumps(report.to_json(tr, file), ensure_ascii=False) + "\n")
        else:
            _print_text(report, file, tr)
        if report.verdict != "eligible" and status == EXIT_OK:
            status = EXIT_NOT_ELIGIBLE
    return status


def _known_rulesets() -> list[str]:
    from intake_assistant.rules import available_rulesets

    return available_rulesets()


def _unknown_ruleset(ruleset_id: str, tr: Translator) -> int:
    sys.stderr.write("intake-assistant: " + tr("unknown ruleset {ruleset}; known: {known}",
                                                ruleset=ruleset_id,
                                                known=", ".join(_known_rulesets())) + "\n")
    return EXIT_INVALID


def run_schema() -> int:
    from intake_assistant.models import DraftApplication

    sys.stdout.write(json.dumps(DraftApplication.model_json_schema(), indent=2) + "\n")
    return EXIT_OK


# -------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(_early_language(argv))
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check":
            return run_check(args.files, args.format, args.check_lang or args.lang, args.ruleset)
        if args.command == "schema":
            return run_schema()
        if args.command == "dialogs":
            from intake_assistant.flow import commands as flow_commands

            if args.action == "lint":
                return flow_commands.run_dialogs_lint(args.dialogs_lang or args.lang or "en")
            return flow_commands.run_dialogs_graph()
        if args.command == "replay":
            from intake_assistant.flow import commands as flow_commands

            return flow_commands.run_replay(args.draft, args.replay_lang, args.output)
        if args.command == "report":
            from intake_assistant.report_command import run_report

            return run_report(args.files, args.report_format, args.report_lang or args.lang,
                              args.output)
        from intake_assistant.tui.app import launch

        return launch(language=args.lang, data_dir=args.data_dir)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `check ... | head`
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:  # the last guard: a user never sees a traceback
        error = f"{type(exc).__name__}: {exc}"
        sys.stderr.write(_("intake-assistant: unexpected error: {error}. Nothing you entered "
                           "was lost; please report this.", error=error) + "\n")
        return EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())

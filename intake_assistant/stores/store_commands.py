"""``intake-assistant store ...``: set up a team store, its advisors and the clients' rights.

    intake-assistant store init [--store URL]              create or upgrade the schema
    intake-assistant store add-advisor --team T --name N   prints the advisor's token once
    intake-assistant store copy --from DATA_DIR            a solo advisor's intakes into the team's
    intake-assistant store list-advisors [--team T]         a team's advisors (never a token)
    intake-assistant store revoke-advisor --team T --name N  (or --id ID) the token opens nothing
    intake-assistant store set-retention --team T --days N how long a team keeps intakes
    intake-assistant store purge [--anonymise]             past the retention: delete/anonymise
    intake-assistant store export-client KVK -o DIR        all held on one client, as files
    intake-assistant store erase-client KVK                delete one client's intakes
    intake-assistant store reassign ID --to-advisor NAME   hand an intake to a colleague
    intake-assistant store delete ID                       delete one intake of the team

``init``, ``add-advisor``, ``list-advisors``, ``revoke-advisor`` and ``set-retention`` run as
the owner of the store's schema (the user of the URL); the others as an advisor
(``INTAKE_ASSISTANT_ADVISOR_TOKEN``), on their own team's intakes. The URL comes from
``--store`` or ``INTAKE_ASSISTANT_STORE``. Every failure is one line on standard error, exit 2.
Only the parser's part is imported with the command line: the rest (and psycopg) when a store
command runs.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from intake_assistant.i18n import LANGUAGES, Message, _
from intake_assistant.stores import is_store_url, store_location

if TYPE_CHECKING:
    import argparse
    import datetime as dt

    import psycopg

    from intake_assistant.i18n import Translator
    from intake_assistant.stores.postgres_store import PostgresStore

EXIT_OK, EXIT_INVALID = 0, 2


def add_store_commands(commands: argparse._SubParsersAction, parser_class: type) -> None:
    """The ``store`` command and its actions, in the command line's parser."""
    tr = _
    store = commands.add_parser("store", help=tr("set up a team store in PostgreSQL"),
                                description=tr(
                                    "Set up a store that advisors of several teams share: "
                                    "PostgreSQL, each team seeing only its own intakes."))
    actions = store.add_subparsers(dest="store_action", required=True, metavar=tr("ACTION"),
                                   parser_class=parser_class)
    init = actions.add_parser("init", help=tr("create or upgrade the store's tables (running it "
                                             "again is harmless)"))
    add = actions.add_parser("add-advisor", help=tr(
        "add an advisor to a team (made when new) and print the advisor's token once"))
    add.add_argument("--team", required=True, help=tr("the team's name"))
    add.add_argument("--name", required=True, help=tr("the advisor's name"))
    copy = actions.add_parser("copy", help=tr(
        "copy a data folder's intakes, with their earlier states and who answered what, into "
        "the team store (again: adds nothing)"))
    copy.add_argument("--from", dest="copy_from", required=True, metavar=tr("DIR"),
                      help=tr("the data folder to copy from"))
    retention = actions.add_parser("set-retention", help=tr(
        "how long a team's intakes are kept after their last change (for store purge)"))
    retention.add_argument("--team", required=True, help=tr("the team's name"))
    retention.add_argument("--days", required=True, type=int, metavar=tr("DAYS"),
                           help=tr("days, 1 to 36500; 0: no limit"))
    purge = actions.add_parser("purge", help=tr(
        "delete (or anonymise) the own team's intakes not changed within its retention period"))
    purge.add_argument("--anonymise", action="store_true", help=tr(
        "keep each intake's verdict and round; drop names, numbers and figures"))
    export = actions.add_parser("export-client", help=tr(
        "write everything the own team holds on one client (drafts, provenance, log lines) "
        "into a folder"))
    export.add_argument("kvk", metavar="KVK", help=tr("the client's KvK number (8 digits)"))
    export.add_argument("-o", "--output", required=True, dest="export_dir", metavar=tr("DIR"),
                        help=tr("the folder to write into (no file in it is overwritten)"))
    erase = actions.add_parser("erase-client", help=tr(
        "delete every intake of the own team that names this client; the access log keeps a "
        "line without personal data"))
    erase.add_argument("kvk", metavar="KVK", help=tr("the client's KvK number (8 digits)"))
    reassign = actions.add_parser("reassign", help=tr(
        "hand one of the team's intakes to a colleague (written to the access log)"))
    reassign.add_argument("intake_id", metavar="INTAKE_ID", help=tr("the intake's id (list)"))
    reassign.add_argument("--to-advisor", required=True, dest="to_advisor", metavar=tr("NAME"),
                          help=tr("the colleague's name, as in store add-advisor"))
    delete = actions.add_parser("delete", help=tr(
        "delete one of the team's intakes with its earlier states (written to the access log)"))
    delete.add_argument("intake_id", metavar="INTAKE_ID", help=tr("the intake's id (list)"))
    listing = actions.add_parser("list-advisors", help=tr(
        "the advisors of a team (or of every team): id, name, added, revoked, last seen; "
        "never a token"))
    listing.add_argument("--team", help=tr("the team's name (default: every team)"))
    listing.add_argument("--format", choices=("text", "json"), default="text",
                         dest="advisors_format", help=tr("text, or one JSON object a line"))
    revoke = actions.add_parser("revoke-advisor", help=tr(
        "revoke an advisor's token: the store refuses it from its next use on (written to "
        "the access log)"))
    revoke.add_argument("--team", help=tr("the team's name"))
    revoke.add_argument("--name", help=tr("the advisor's name (the one not revoked)"))
    revoke.add_argument("--id", type=int, dest="advisor_id", metavar="ID",
                        help=tr("the advisor's id, as list-advisors shows it"))
    for action in (init, add, copy, retention, purge, export, erase, reassign, delete,
                   listing, revoke):
        action.add_argument("--store", dest="store_url", metavar="URL", help=tr(
            "the store: postgresql://... (or set INTAKE_ASSISTANT_STORE)"))
        action.add_argument("--lang", choices=LANGUAGES, dest="store_lang",
                            help=tr("language of the messages"))


def _fail(tr: Translator, problem: Message) -> int:
    from intake_assistant.safe_text import visible

    sys.stderr.write("intake-assistant: " + visible(tr.render(problem), limit=2000) + "\n")
    return EXIT_INVALID


def _admin_connection(url: str) -> psycopg.Connection:
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=10,
                           application_name="intake-assistant store")


def run_store(args: argparse.Namespace, tr: Translator) -> int:
    import psycopg

    from intake_assistant.stores import postgres_schema
    from intake_assistant.stores.postgres_store import reason_of

    url = store_location(args.store_url)
    if not is_store_url(url):
        return _fail(tr, Message("no store named: give --store postgresql://... or set "
                                 "INTAKE_ASSISTANT_STORE"))
    if args.store_action == "copy":
        return _copy(str(url), args.copy_from, tr)
    if args.store_action in ("purge", "export-client", "erase-client", "reassign", "delete"):
        return _client_rights(str(url), args, tr)
    try:
        with _admin_connection(str(url)) as conn:
            if args.store_action == "init":
                return _init(conn, tr)
            if args.store_action == "set-retention":
                return _set_retention(conn, args.team, args.days, tr)
            if args.store_action == "list-advisors":
                return _list_advisors(conn, args.team, args.advisors_format, tr)
            if args.store_action == "revoke-advisor":
                return _revoke_advisor(conn, args, tr)
            return _add_advisor(conn, args.team, args.name, tr)
    except postgres_schema.SchemaNewerError as exc:
        return _fail(tr, Message("the store was set up by a newer version of intake-assistant "
                                 "(schema {found}); use that version", found=str(exc.found)))
    except psycopg.OperationalError as exc:
        return _fail(tr, Message("the store cannot be reached: {reason}", reason=reason_of(exc)))
    except psycopg.Error as exc:
        return _fail(tr, Message("the store refused the work: {reason}", reason=reason_of(exc)))


def _init(conn: psycopg.Connection, tr: Translator) -> int:
    from intake_assistant.stores import postgres_schema

    done = postgres_schema.upgrade(conn)
    if not done.applied:
        sys.stdout.write(tr("The store is up to date (schema version {version}).",
                            version=str(done.after)) + "\n")
    elif done.before == 0:
        sys.stdout.write(tr("The store is set up (schema version {version}).",
                            version=str(done.after)) + "\n")
    else:
        sys.stdout.write(tr("The store is upgraded from schema version {before} to {after}.",
                            before=str(done.before), after=str(done.after)) + "\n")
    return EXIT_OK


def _add_advisor(conn: psycopg.Connection, team: str, name: str, tr: Translator) -> int:
    from intake_assistant.safe_text import visible
    from intake_assistant.stores import postgres_schema
    from intake_assistant.stores.team_admin import AdvisorExistsError, add_advisor

    if postgres_schema.installed_version(conn) == 0:
        return _fail(tr, Message("the store has no intake tables yet: run 'intake-assistant "
                                 "store init' first"))
    try:
        added = add_advisor(conn, team, name)
    except ValueError:
        return _fail(tr, Message("a team and a name are 1 to 200 characters"))
    except AdvisorExistsError:
        return _fail(tr, Message("team {team} already has an advisor named {name}",
                                 team=visible(team, limit=200), name=visible(name, limit=200)))
    out = sys.stdout.write
    shown = {"team": visible(added.team, limit=200), "name": visible(added.name, limit=200)}
    out((tr("Advisor {name} added to the new team {team}.", **shown) if added.team_created
         else tr("Advisor {name} added to team {team}.", **shown)) + "\n")
    out(tr("The advisor's token, shown only now (the store keeps only a hash of it):") + "\n")
    out(added.token + "\n")
    out(tr("The advisor sets it as INTAKE_ASSISTANT_ADVISOR_TOKEN (never on the command line) "
           "and starts intake-assistant with --store.") + "\n")
    return EXIT_OK


def _copy(url: str, folder: str, tr: Translator) -> int:
    """``store copy``: every readable intake of a data folder into the advisor's team."""
    from intake_assistant.safe_text import visible
    from intake_assistant.storage import DamagedSaveError, NewerSaveError, Storage
    from intake_assistant.storage.saves import read_save
    from intake_assistant.stores.advisor_tokens import token_from_environment
    from intake_assistant.stores.postgres_store import PostgresStore
    from intake_assistant.stores.store_protocol import StoreAccessError, StoreUnavailableError

    source = Storage(folder)
    shown = visible(str(source.intakes_dir), limit=500)
    if not source.intakes_dir.is_dir():
        return _fail(tr, Message("no saved intakes in {folder}", folder=shown))
    try:
        store = PostgresStore(url, token_from_environment())
    except (StoreAccessError, StoreUnavailableError) as exc:
        return _fail(tr, exc.problem)
    copied = present = 0
    problems = []
    try:
        listing = source.list_headers(set_aside=False)  # the folder is read, never changed
        problems.extend(problem.message() for problem in [*listing.damaged, *listing.newer])
        for header in listing.intakes:
            try:  # read as the list reads it: a damaged save is left where it is
                saved = read_save(source.path_of(header.id), set_aside_damaged=False)
            except (DamagedSaveError, NewerSaveError, FileNotFoundError):
                continue  # changed or removed since the list was read: left for the next run
            if store.copy_in(saved, source.earlier_states(header.id)):
                copied += 1
            else:
                present += 1
    except StoreUnavailableError as exc:
        return _fail(tr, exc.problem)
    finally:
        store.close()
    for problem in problems:
        sys.stderr.write(visible(tr.render(problem), limit=2000) + "\n")
    there = tr.ngettext("{count} was there already", "{count} were there already", present,
                        count=str(present))
    sys.stdout.write(tr.ngettext(
        "{copied} intake copied from {folder} into the team store of {team}; {present}.",
        "{copied} intakes copied from {folder} into the team store of {team}; {present}.",
        copied, copied=str(copied), folder=shown, team=visible(store.describe(), limit=500),
        present=there) + "\n")
    return EXIT_INVALID if problems else EXIT_OK


def _set_retention(conn: psycopg.Connection, team: str, days: int, tr: Translator) -> int:
    from intake_assistant.safe_text import visible
    from intake_assistant.stores.team_admin import NoSuchTeamError, set_retention

    try:
        set_retention(conn, team, days or None)
    except ValueError:
        return _fail(tr, Message("the retention period is 1 to 36500 days (0: no limit)"))
    except NoSuchTeamError:
        return _fail(tr, Message("there is no team named {team}", team=visible(team, limit=200)))
    shown = visible(team.strip(), limit=200)
    sys.stdout.write((tr.ngettext("Team {team} keeps intakes {days} day after their last change.",
                                  "Team {team} keeps intakes {days} days after their last change.",
                                  days, team=shown, days=str(days)) if days
                      else tr("Team {team} keeps intakes without a limit.", team=shown)) + "\n")
    return EXIT_OK


def _client_rights(url: str, args: argparse.Namespace, tr: Translator) -> int:
    """``purge``, ``export-client`` and ``erase-client``, on the advisor's own team."""
    import re

    from intake_assistant.safe_text import visible
    from intake_assistant.stores.advisor_tokens import token_from_environment
    from intake_assistant.stores.postgres_store import PostgresStore
    from intake_assistant.stores.store_protocol import StoreAccessError, StoreUnavailableError

    kvk = getattr(args, "kvk", None)
    if kvk is not None and not re.fullmatch(r"[0-9]{8}", kvk):
        return _fail(tr, Message("{kvk} is not a KvK number (8 digits)",
                                 kvk=visible(kvk, limit=40)))
    try:
        store = PostgresStore(url, token_from_environment())
    except (StoreAccessError, StoreUnavailableError) as exc:
        return _fail(tr, exc.problem)
    out = sys.stdout.write
    try:
        if args.store_action == "purge":
            done = store.purge(anonymise=args.anonymise)
            if done.retention_days is None:
                return _fail(tr, Message("team {team} has no retention period: its "
                                         "administrator sets one with 'store set-retention'",
                                         team=visible(store.advisor.team_name, limit=200)))
            count, days = len(done.intakes), done.retention_days
            in_days = tr.ngettext("{days} day", "{days} days", days, days=str(days))
            out((tr.ngettext("{count} intake not changed in {days} anonymised.",
                             "{count} intakes not changed in {days} anonymised.", count,
                             count=str(count), days=in_days)
                 if args.anonymise else
                 tr.ngettext("{count} intake not changed in {days} deleted.",
                             "{count} intakes not changed in {days} deleted.", count,
                             count=str(count), days=in_days)) + "\n")
        elif args.store_action in ("reassign", "delete"):
            return _one_intake(store, args, tr)
        elif args.store_action == "erase-client":
            erased = store.erase_client(kvk)
            out(tr.ngettext("{count} intake naming KvK number {kvk} erased; the access log keeps "
                            "one line for it, without personal data.",
                            "{count} intakes naming KvK number {kvk} erased; the access log keeps "
                            "one line for each, without personal data.", len(erased),
                            count=str(len(erased)), kvk=kvk) + "\n")
        else:
            return _export_client(store, kvk, args.export_dir, tr)
    except StoreUnavailableError as exc:
        return _fail(tr, exc.problem)
    finally:
        store.close()
    return EXIT_OK


def _one_intake(store: PostgresStore, args: argparse.Namespace, tr: Translator) -> int:
    """``reassign`` and ``delete``: one intake of the advisor's team, by its id."""
    from intake_assistant.safe_text import visible

    intake_id = visible(args.intake_id, limit=100)
    if args.store_action == "delete":
        if not store.delete(args.intake_id):
            return _fail(tr, Message("team {team} has no intake {id}",
                                     team=visible(store.advisor.team_name, limit=200),
                                     id=intake_id))
        sys.stdout.write(tr("Intake {id} deleted with its earlier states; the access log keeps "
                            "a line.", id=intake_id) + "\n")
        return EXIT_OK
    name = visible(args.to_advisor, limit=200)
    try:
        done = store.reassign(args.intake_id, args.to_advisor)
    except FileNotFoundError:
        return _fail(tr, Message("team {team} has no intake {id}",
                                 team=visible(store.advisor.team_name, limit=200), id=intake_id))
    except LookupError:
        return _fail(tr, Message("team {team} has no advisor named {name}",
                                 team=visible(store.advisor.team_name, limit=200), name=name))
    sys.stdout.write(tr("Intake {id} belongs to {name} now (was: {before}).", id=intake_id,
                        name=name, before=visible(done.before or "?", limit=200)) + "\n")
    return EXIT_OK


def _export_client(store: PostgresStore, kvk: str, folder: str, tr: Translator) -> int:
    from pathlib import Path

    from intake_assistant.safe_text import visible
    from intake_assistant.storage import write_problem
    from intake_assistant.stores.client_export import write_client_export

    records = store.client_records(kvk)
    target = Path(folder).expanduser()
    try:
        written = write_client_export(records, target)
    except FileExistsError as exc:
        return _fail(tr, Message("{path} exists already; nothing was written (choose an empty "
                                 "folder)", path=visible(str(exc), limit=500)))
    except OSError as exc:
        return _fail(tr, Message("{path} cannot be written: {reason}",
                                 path=visible(str(target), limit=500),
                                 reason=write_problem(exc)))
    files = tr.ngettext("{count} file", "{count} files", len(written), count=str(len(written)))
    sys.stdout.write(tr.ngettext(
        "{count} intake naming KvK number {kvk}: {files} written to {folder}.",
        "{count} intakes naming KvK number {kvk}: {files} written to {folder}.",
        len(records.intakes), count=str(len(records.intakes)), kvk=kvk, files=files,
        folder=visible(str(target), limit=500)) + "\n")
    return EXIT_OK


def _not_the_newest_tables(conn: psycopg.Connection, tr: Translator) -> int | None:
    """For a command that reads or writes what only the newest tables hold (when an advisor
    was last seen, revoked): the store has no tables, or older ones, said with what to do
    (exit 2); None: the newest."""
    from intake_assistant.stores import postgres_schema

    found = postgres_schema.installed_version(conn)
    if found == 0:
        return _fail(tr, Message("the store has no intake tables yet: run 'intake-assistant "
                                 "store init' first"))
    if found < postgres_schema.latest_version():
        return _fail(tr, Message("the store's tables are of an older version (schema {found}): "
                                 "its administrator runs 'intake-assistant store init' to "
                                 "upgrade them", found=str(found)))
    return None


def _list_advisors(conn: psycopg.Connection, team: str | None, form: str,
                   tr: Translator) -> int:
    """``list-advisors``: one line (or JSON object) per advisor; no token, no hash."""
    import json

    from intake_assistant.safe_text import visible
    from intake_assistant.stores.team_admin import NoSuchTeamError, list_advisors

    if (not_newest := _not_the_newest_tables(conn, tr)) is not None:
        return not_newest
    try:
        advisors = list_advisors(conn, team)
    except NoSuchTeamError:
        return _fail(tr, Message("there is no team named {team}", team=visible(team or "",
                                                                                limit=200)))

    def when(moment: dt.datetime | None) -> str | None:
        return moment.isoformat(timespec="minutes") if moment is not None else None

    out = sys.stdout.write
    for advisor in advisors:
        if form == "json":
            out(json.dumps({"id": advisor.id, "team": advisor.team, "name": advisor.name,
                            "created": when(advisor.created), "revoked": when(advisor.revoked),
                            "last_seen": when(advisor.last_seen)}, ensure_ascii=False) + "\n")
            continue
        revoked = (tr("revoked {at}", at=_moment(advisor.revoked)) if advisor.revoked
                   else tr("active"))
        seen = (tr("last seen {at}", at=_moment(advisor.last_seen)) if advisor.last_seen
                else tr("never seen"))
        out(tr("{id}  {team} / {name}  added {created}; {revoked}; {seen}",
               id=str(advisor.id), team=visible(advisor.team, limit=200),
               name=visible(advisor.name, limit=200), created=_moment(advisor.created),
               revoked=revoked, seen=seen) + "\n")
    if not advisors and form == "text":
        out(tr("No advisors yet.") + "\n")
    return EXIT_OK


def _moment(moment: dt.datetime | None) -> str:
    """A moment in this machine's time zone, to the minute (the same in either language)."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment is not None else "?"


def _revoke_advisor(conn: psycopg.Connection, args: argparse.Namespace, tr: Translator) -> int:
    """``revoke-advisor``: by name within a team, or by id."""
    from intake_assistant.safe_text import visible
    from intake_assistant.stores.team_admin import (
        NoSuchAdvisorError,
        NoSuchTeamError,
        revoke_advisor,
    )

    if args.advisor_id is None and (not args.team or not args.name):
        return _fail(tr, Message("name the advisor: --team T --name N, or --id ID (see "
                                 "'store list-advisors')"))
    if args.advisor_id is not None and args.name:
        return _fail(tr, Message("name the advisor by --name or by --id, not both"))
    if (not_newest := _not_the_newest_tables(conn, tr)) is not None:
        return not_newest
    team = visible(args.team or "", limit=200)
    try:
        done = revoke_advisor(conn, team=args.team, name=args.name, advisor_id=args.advisor_id)
    except NoSuchTeamError:
        return _fail(tr, Message("there is no team named {team}", team=team))
    except NoSuchAdvisorError:
        if args.advisor_id is not None:
            return _fail(tr, (Message("team {team} has no advisor with id {id}", team=team,
                                      id=str(args.advisor_id)) if args.team else
                              Message("there is no advisor with id {id}",
                                      id=str(args.advisor_id))))
        return _fail(tr, Message("team {team} has no advisor named {name} (not revoked)",
                                 team=team, name=visible(args.name, limit=200)))
    advisor = done.advisor
    shown = {"name": visible(advisor.name, limit=200), "team": visible(advisor.team, limit=200),
             "id": str(advisor.id)}
    if done.already:
        sys.stdout.write(tr("Advisor {name} (id {id}) of team {team} was revoked already, "
                            "{at}; nothing changed.", at=_moment(advisor.revoked),
                            **shown) + "\n")
        return EXIT_OK
    sys.stdout.write(tr("Advisor {name} (id {id}) of team {team} is revoked: the store refuses "
                        "their token from its next use on (a terminal's next save, a served "
                        "sign-in's next page). The access log keeps a line.", **shown) + "\n")
    return EXIT_OK

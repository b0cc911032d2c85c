"""The `trivsel` command. Subcommand names and options are a contract; keep them stable."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from trivsel import auth, config, demo
from trivsel.imports import ImportRejected
from trivsel.imports.absence import import_absence
from trivsel.imports.employees import import_employees
from trivsel.imports.units import import_units
from trivsel.roles import ROLES
from trivsel.store import StoreLockedError, open_store
from trivsel.store.migrations import MigrationError

CLI_ACTOR = "cli"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own errors, as one Danish line
        self.exit(2, f"Fejl: ugyldig kommando ({message}). Se 'trivsel --help'.\n")


class Failure(Exception):
    """A refusal with a Danish message; the CLI prints it as one line and exits non-zero."""


def _db_option() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--db", metavar="PATH", help="databasefil (standard: $TRIVSEL_DB eller data/trivsel.duckdb)")
    return parent


def build_parser() -> argparse.ArgumentParser:
    db = _db_option()
    parser = _Parser(prog="trivsel", description="Trivsel, sygefravær og supervision.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    commands.add_parser("init", parents=[db], help="opret eller opdatér databasen").set_defaults(run=_init)

    p = commands.add_parser("demo", parents=[db], help="indlæs demokommunen")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--today", type=date.fromisoformat, default=None, help="dato demoen regner frem til (åååå-mm-dd)")
    p.add_argument("--if-empty", action="store_true", help="gør intet, hvis databasen allerede har data")
    p.set_defaults(run=_demo)

    users = commands.add_parser("users", help="brugere").add_subparsers(dest="users_command", required=True, parser_class=_Parser)
    p = users.add_parser("add", parents=[db], help="opret en lokal bruger")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=list(ROLES))
    p.add_argument("--unit", dest="unit_id", help="enheds-id (påkrævet for leder)")
    p.add_argument("--password-stdin", action="store_true", required=True, help="læs adgangskoden fra stdin")
    p.set_defaults(run=_users_add)
    users.add_parser("list", parents=[db], help="vis brugere").set_defaults(run=_users_list)

    imports = commands.add_parser("import", help="importér filer").add_subparsers(dest="import_command", required=True, parser_class=_Parser)
    for name, importer in (("units", import_units), ("employees", import_employees), ("absence", import_absence)):
        p = imports.add_parser(name, parents=[db], help=f"importér {name} fra CSV eller XLSX")
        p.add_argument("file", type=Path)
        p.set_defaults(run=_importer(importer))
    return parser


def _init(store, args) -> str:
    return f"Databasen {store.path} er klar."


def _demo(store, args) -> str:
    if not demo.is_empty(store):
        if args.if_empty:
            return f"Databasen {store.path} har allerede data; demodata er ikke indlæst."
        raise Failure("Databasen indeholder allerede data. Brug en ny fil med --db for at indlæse demoen.")
    data = demo.load(store, seed=args.seed, today=args.today)
    logins = "\n".join(f"  {u:<20} {ROLES[r]}" for u, r, _ in demo.DEMO_USERS)
    return (
        f"Demokommunen er indlæst i {store.path}: {len(data.units)} enheder, "
        f"{data.employments.employee_id.nunique()} medarbejdere siden {demo.HISTORY_START:%Y} "
        f"({data.employments.end_date.isna().sum()} ansat nu), {len(data.spells)} fraværsperioder.\n"
        f"Demo-logins (adgangskode for alle: {demo.DEMO_PASSWORD}):\n{logins}"
    )


def _users_add(store, args) -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    auth.add_user(store, args.username, args.role, password, args.unit_id, actor=CLI_ACTOR)
    return f"Brugeren {args.username} er oprettet med rollen {ROLES[args.role]}."


def _users_list(store, args) -> str:
    users = auth.list_users(store)
    lines = [f"{'brugernavn':<24} {'rolle':<22} enhed"]
    lines += [f"{r.username:<24} {r.role:<22} {r.unit_id}" for r in users.itertuples()]
    return "\n".join(lines)


def _importer(importer):
    def run(store, args) -> str:
        try:
            data = args.file.read_bytes()
        except OSError as exc:
            raise Failure(f"Filen {args.file} kan ikke læses ({exc.strerror}).") from exc
        return importer(store, data, actor=CLI_ACTOR).message

    return run


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        store = open_store(config.db_path(args.db))
        try:
            print(args.run(store, args))
        finally:
            store.close()
    except ImportRejected as exc:
        print(f"Fejl: {exc.summary(limit=10)}", file=sys.stderr)
        return 1
    except (Failure, StoreLockedError, auth.AuthError, MigrationError, ValueError) as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

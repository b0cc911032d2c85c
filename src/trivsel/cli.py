"""The `trivsel` command. Subcommand names and options are a contract; keep them stable."""

from __future__ import annotations

import argparse
import errno
import importlib
import re
import sys
from datetime import date
from pathlib import Path

from trivsel import config
from trivsel.roles import ROLES

# Each command imports what it uses when it runs: `trivsel --help` then answers without loading pandas,
# DuckDB or the importers (issue 16: it took 2 s).

CLI_ACTOR = "cli"


# argparse's own error messages, in Danish. The last one carries the Danish reasons of our own types.
_USAGE_ERRORS = [
    (re.compile(r"the following arguments are required: (.+)"), "mangler {0}"),
    (re.compile(r"unrecognized arguments: (.+)"), "ukendt tilvalg eller argument: {0}"),
    (re.compile(r"argument (.+?): expected one argument"), "{0} mangler en værdi"),
    (re.compile(r"argument (.+?): expected at most one argument"), "{0} tager højst én værdi"),
    (
        re.compile(r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)"),
        "{1} er ikke et gyldigt valg for {0} (vælg mellem {2})",
    ),
    (re.compile(r"argument (.+?): ignored explicit argument (.+)"), "{0} tager ingen værdi (fik {1})"),
    (re.compile(r"argument (.+?): invalid .+? value: (.+)"), "{1} er ikke en gyldig værdi for {0}"),
    (re.compile(r"ambiguous option: (\S+) could match (.+)"), "{0} er tvetydigt: det kan være {1}"),
    (re.compile(r"argument (.+?): (.+)"), "{0}: {1}"),
]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own errors, as one Danish line
        for pattern, danish in _USAGE_ERRORS:
            if match := pattern.fullmatch(message):
                message = danish.format(*match.groups())
                break
        self.exit(2, f"Fejl: ugyldig kommando: {message.rstrip('.')}. Se '{self.prog} --help'.\n")


class Failure(Exception):
    """A refusal with a Danish message; the CLI prints it as one line and exits non-zero."""


def _db_option() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--db", metavar="PATH", help="databasefil (standard: $TRIVSEL_DB eller data/trivsel.duckdb)")
    return parent


def build_parser() -> argparse.ArgumentParser:
    db = _db_option()
    parser = _Parser(prog="trivsel", description="Trivsel, sygefravær og supervision.")
    commands = parser.add_subparsers(dest="command", metavar="KOMMANDO", required=True, parser_class=_Parser)

    commands.add_parser("init", parents=[db], help="opret eller opdatér databasen").set_defaults(run=_init)

    p = commands.add_parser("demo", parents=[db], help="indlæs demokommunen")
    p.add_argument("--seed", type=_seed, default=1)
    p.add_argument("--today", type=_demo_today, default=None, help="dato demoen regner frem til")
    p.add_argument("--if-empty", action="store_true", help="gør intet, hvis databasen allerede har data")
    p.set_defaults(run=_demo)

    users = commands.add_parser("users", help="brugere").add_subparsers(
        dest="users_command", metavar="KOMMANDO", required=True, parser_class=_Parser
    )
    p = users.add_parser("add", parents=[db], help="opret en lokal bruger")
    p.add_argument("username", metavar="BRUGERNAVN")
    p.add_argument("--role", required=True, choices=list(ROLES))
    p.add_argument("--unit", dest="unit_id", help="enheds-id (påkrævet for leder)")
    p.add_argument("--password-stdin", action="store_true", required=True, help="læs adgangskoden fra stdin")
    p.set_defaults(run=_users_add)
    users.add_parser("list", parents=[db], help="vis brugere").set_defaults(run=_users_list)

    imports = commands.add_parser("import", help="importér filer").add_subparsers(
        dest="import_command", metavar="KOMMANDO", required=True, parser_class=_Parser
    )
    for name in ("units", "employees", "absence", "placements"):
        p = imports.add_parser(name, parents=[db], help=f"importér {name} fra CSV eller XLSX")
        p.add_argument("file", type=Path, metavar="FIL")
        p.set_defaults(run=_importer(f"trivsel.imports.{name}", f"import_{name}"))

    p = imports.add_parser("responses", parents=[db], help="importér historiske svar fra CSV eller XLSX")
    p.add_argument("file", type=Path, metavar="FIL")
    p.add_argument("--survey", required=True, help="spørgeskemaets id, fx trivsel")
    p.add_argument("--round", dest="round_label", required=True, metavar="LABEL")
    p.set_defaults(run=_import_responses)

    surveys_ = commands.add_parser("surveys", help="spørgeskemaer").add_subparsers(
        dest="surveys_command", metavar="KOMMANDO", required=True, parser_class=_Parser
    )
    p = surveys_.add_parser("check", help="kontrollér definitionerne")
    p.add_argument("directory", nargs="?", type=Path, default=None, metavar="DIR")
    p.set_defaults(run=_surveys_check, needs_store=False)
    translations = surveys_.add_parser("translations", help="oversættelser til og fra Excel").add_subparsers(
        dest="translations_command", metavar="KOMMANDO", required=True, parser_class=_Parser
    )
    p = translations.add_parser("export", help="skriv spørgeskemaets tekster til et Excel-ark til en oversætter")
    p.add_argument("--survey", required=True, metavar="ID", help="spørgeskemaets id, fx trivsel")
    p.add_argument("-o", dest="output", type=Path, required=True, metavar="FIL.xlsx")
    p.set_defaults(run=_translations_export, needs_store=False)
    p = translations.add_parser("import", help="læs oversættelserne fra et Excel-ark ind i definitionen")
    p.add_argument("--survey", required=True, metavar="ID", help="spørgeskemaets id, fx trivsel")
    p.add_argument("file", type=Path, metavar="FIL.xlsx")
    p.set_defaults(run=_translations_import, needs_store=False)

    exports_ = commands.add_parser("export", help="eksportér tal").add_subparsers(
        dest="export_command", metavar="KOMMANDO", required=True, parser_class=_Parser
    )
    p = exports_.add_parser("unit-summary", parents=[db], help="sygefravær pr. enhed (anonymitetsregler anvendt)")
    p.add_argument("--from", dest="period_from", type=_date, required=True, metavar="DATO")
    p.add_argument("--to", dest="period_to", type=_date, required=True, metavar="DATO")
    p.add_argument("--as-of", dest="as_of", type=_date, metavar="DATO")
    p.add_argument("--unit", dest="unit_id")
    p.add_argument(
        "--min-persons", type=_whole_number, help="mindste antal personer (standard: administratorens tærskel, 5)"
    )
    p.add_argument("--format", choices=["csv", "xlsx"], required=True)
    p.add_argument("-o", dest="output", type=Path, required=True, metavar="FIL")
    p.set_defaults(run=_export_unit_summary)
    p = exports_.add_parser("survey-summary", parents=[db], help="trivselsresultater pr. enhed og mål")
    p.add_argument("--survey", required=True)
    p.add_argument("--round", dest="round_label", required=True, metavar="LABEL")
    p.add_argument("--format", choices=["csv", "xlsx"], required=True)
    p.add_argument("-o", dest="output", type=Path, required=True, metavar="FIL")
    p.set_defaults(run=_export_survey_summary)
    p = exports_.add_parser(
        "supervision-summary",
        parents=[db],
        help="supervisionsanmodninger pr. område, enhed, emne og måned (anonymitetsregler anvendt)",
    )
    p.add_argument("--from", dest="period_from", type=_date, required=True, metavar="DATO")
    p.add_argument("--to", dest="period_to", type=_date, required=True, metavar="DATO")
    p.add_argument("--format", choices=["csv", "xlsx"], required=True)
    p.add_argument("-o", dest="output", type=Path, required=True, metavar="FIL")
    p.set_defaults(run=_export_supervision_summary)

    p = commands.add_parser("backup", parents=[db], help="tag en sikkerhedskopi (Parquet) i en ny mappe")
    p.add_argument("-o", dest="output", type=Path, required=True, metavar="DIR")
    p.set_defaults(run=_backup)
    p = commands.add_parser("restore", help="gendan en sikkerhedskopi til en ny databasefil")
    p.add_argument("directory", type=Path, metavar="DIR")
    p.add_argument("--db", metavar="PATH", help="den nye databasefil (standard: $TRIVSEL_DB eller data/trivsel.duckdb)")
    p.set_defaults(run=_restore, needs_store=False)

    retention_ = commands.add_parser("retention", help="sletning efter opbevaringsperioden").add_subparsers(
        dest="retention_command", metavar="KOMMANDO", required=True, parser_class=_Parser
    )
    p = retention_.add_parser("run", parents=[db], help="slet det, der er forfaldent")
    p.add_argument("--dry-run", action="store_true", help="vis kun, hvad der ville blive slettet")
    p.add_argument("--today", type=_date, default=None, help=argparse.SUPPRESS)
    p.set_defaults(run=_retention_run)
    nudges_ = commands.add_parser("nudges", help="påmindelser til ledere pr. e-mail").add_subparsers(
        dest="nudges_command", metavar="KOMMANDO", required=True, parser_class=_Parser
    )
    p = nudges_.add_parser("send", parents=[db], help="send de påmindelser, der er forfaldne i dag")
    p.add_argument("--dry-run", action="store_true", help="vis kun, hvad der ville blive sendt")
    p.add_argument("--today", type=_date, default=None, help=argparse.SUPPRESS)
    p.set_defaults(run=_nudges_send)
    _add_poster_command(commands, db)
    _add_report_command(commands, db)
    return parser


def _date(text: str) -> date:
    from trivsel.imports.parsing import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


# The demo's fixed rounds (Basis 2022/23 and Forår 2025, see demo_surveys) must lie before its "today";
# the upper bound keeps every date the demo derives from it valid.
DEMO_TODAY_RANGE = (date(2025, 5, 1), date(2099, 12, 31))


def _demo_today(text: str) -> date:
    day = _date(text)
    first, last = DEMO_TODAY_RANGE
    if not first <= day <= last:
        raise argparse.ArgumentTypeError(
            f"demoen kan kun bygges til en dato fra {first:%d-%m-%Y} til {last:%d-%m-%Y}, for dens faste målinger "
            "(Basis 2022/23 og Forår 2025) skal ligge før"
        )
    return day


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' er ikke et helt tal.") from None


def _seed(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise argparse.ArgumentTypeError(f"'{text}' er ikke et helt tal på 0 eller derover.")
    return int(text)


def _init(store, args) -> str:
    return f"Databasen {store.path} er klar."


def _demo(store, args) -> str:
    from trivsel import demo

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
    from trivsel import auth

    password = sys.stdin.readline().rstrip("\r\n")
    auth.add_user(store, args.username, args.role, password, args.unit_id, actor=CLI_ACTOR)
    return f"Brugeren {args.username} er oprettet med rollen {ROLES[args.role]}."


def _users_list(store, args) -> str:
    from trivsel import auth

    users = auth.list_users(store)
    lines = [f"{'brugernavn':<24} {'rolle':<22} enhed"]
    lines += [f"{r.username:<24} {r.role:<22} {r.unit_id}" for r in users.itertuples()]
    return "\n".join(lines)


_OS_REASONS = {
    errno.ENOENT: "den findes ikke",
    errno.EISDIR: "den er en mappe",
    errno.ENOTDIR: "en del af stien er en fil, ikke en mappe",
    errno.EEXIST: "en del af stien er en fil, ikke en mappe",  # from mkdir
    errno.EACCES: "der er ikke adgang til den",
    errno.EPERM: "der er ikke adgang til den",
    errno.ENOSPC: "disken er fuld",
    errno.EROFS: "drevet er skrivebeskyttet",
}


def _os_reason(exc: OSError) -> str:
    return _OS_REASONS.get(exc.errno, exc.strerror or type(exc).__name__)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise Failure(f"Filen {path} kan ikke læses: {_os_reason(exc)}.") from exc


def _importer(module: str, function: str):
    def run(store, args) -> str:
        importer = getattr(importlib.import_module(module), function)
        return importer(store, _read(args.file), actor=CLI_ACTOR).message

    return run


def _write_export(store, args, what: str, parameters: dict, sheets: dict) -> int:
    """Write the first sheet as CSV, or every sheet as XLSX; audit the export; return its rows."""
    from trivsel import audit, exports

    table = next(iter(sheets.values()))
    data = exports.to_csv(table) if args.format == "csv" else exports.to_xlsx(sheets)
    try:
        args.output.write_bytes(data)
    except OSError as exc:
        raise Failure(f"Filen {args.output} kan ikke skrives: {_os_reason(exc)}.") from exc
    audit.record_export(store, CLI_ACTOR, what, {**parameters, "format": args.format}, len(table))
    return len(table)


def _export_unit_summary(store, args) -> str:
    from trivsel.views import absence as absence_view

    protected = absence_view.summary(
        store, args.period_from, args.period_to, args.as_of, args.unit_id, args.min_persons
    )
    rows = _write_export(
        store,
        args,
        "unit_summary",
        {
            "from": args.period_from,
            "to": args.period_to,
            "as_of": args.as_of,
            "unit": args.unit_id,
            "min_persons": protected.threshold,
        },
        {"Enheder": absence_view.export_table(protected), "Definitioner": absence_view.definitions(protected)},
    )
    hidden = int(protected.table["suppressed"].sum())
    return f"{rows} enheder skrevet til {args.output} ({hidden} skjult efter anonymitetsreglerne)."


def _survey(survey_id: str):
    from trivsel.surveys.definitions import load_all

    catalog = load_all(config.surveys_dir())
    if survey_id not in catalog:
        raise Failure(f"Spørgeskemaet '{survey_id}' findes ikke. Kendte: {', '.join(sorted(catalog))}.")
    return catalog[survey_id]


def _export_survey_summary(store, args) -> str:
    from trivsel.surveys import rounds
    from trivsel.views import surveys as survey_view

    survey = _survey(args.survey)
    rnd = rounds.find_round(store, survey.id, args.round_label)
    if rnd is None:
        raise Failure(f"Runden '{args.round_label}' findes ikke for {survey.id}.")
    if not rnd.results_released(date.today()):
        raise Failure(f"Runden '{rnd.label}' er stadig åben. {rnd.release_note()}")
    protected = survey_view.summary(store, survey, rnd)
    rows = _write_export(
        store,
        args,
        "survey_summary",
        {"survey": survey.id, "round": rnd.label},
        {"Resultater": survey_view.export_table(protected, survey)},
    )
    hidden = int(protected.table["suppressed"].sum())
    return f"{rows} rækker skrevet til {args.output} ({hidden} skjult efter anonymitetsreglerne)."


def _export_supervision_summary(store, args) -> str:
    if args.period_to < args.period_from:
        raise Failure("Slutdatoen (--to) ligger før startdatoen (--from).")
    from trivsel.views import supervision as supervision_view

    result = supervision_view.summary(store, args.period_from, args.period_to, _survey("supervision_request"))
    table = supervision_view.export_table(result)
    rows = _write_export(
        store,
        args,
        "supervision_summary",
        {"from": args.period_from, "to": args.period_to},
        {"Supervision": table, "Definitioner": supervision_view.definitions(result)},
    )
    hidden = int((table["suppressed"] == "true").sum())
    return f"{rows} rækker skrevet til {args.output} ({hidden} skjult efter anonymitetsreglerne)."


def _import_responses(store, args) -> str:
    from trivsel.imports.responses import import_responses

    survey = _survey(args.survey)
    return import_responses(store, _read(args.file), survey, args.round_label, actor=CLI_ACTOR).message


def _surveys_check(args) -> str:
    from trivsel.surveys.definitions import check_directory, definition_files

    directory = args.directory or config.surveys_dir()
    problems = check_directory(directory)
    if problems:
        print("\n".join(str(p) for p in problems))
        raise Failure(f"{len(problems)} fejl i definitionerne i {directory}.")
    return f"Alle {len(definition_files(directory))} definitioner er gyldige."


def _survey_file(survey_id: str) -> Path:
    from trivsel.surveys.definitions import survey_file

    _survey(survey_id)  # refuses an unknown id, or a directory with a bad file, in Danish
    return survey_file(config.surveys_dir(), survey_id)


def _translations_export(args) -> str:
    from trivsel.surveys.translations import export_xlsx

    data = export_xlsx(_survey_file(args.survey))
    try:
        args.output.write_bytes(data)
    except OSError as exc:
        raise Failure(f"Filen {args.output} kan ikke skrives: {_os_reason(exc)}.") from exc
    return f"Teksterne i {args.survey} er skrevet til {args.output}."


def _translations_import(args) -> str:
    from trivsel.surveys.translations import import_xlsx

    path = _survey_file(args.survey)
    return f"{import_xlsx(path, _read(args.file)).message} Filen {path} er skrevet; genstart appen for at bruge dem."


def _backup(store, args) -> str:
    from trivsel import backup

    counts = backup.backup(store, args.output, actor=CLI_ACTOR)
    return f"Sikkerhedskopien er gemt i {args.output}: {len(counts)} tabeller, {sum(counts.values())} rækker."


def _restore(args) -> str:
    from trivsel import backup

    target = config.db_path(args.db)
    _db_folder(target)
    counts = backup.restore(args.directory, target)
    return f"Sikkerhedskopien er gendannet i {target}: {len(counts)} tabeller, {sum(counts.values())} rækker."


def _retention_run(store, args) -> str:
    from trivsel import retention

    found = retention.run(store, args.today or date.today(), actor=CLI_ACTOR, dry_run=args.dry_run)
    verb = "ville blive slettet" if args.dry_run else "slettet"
    return "\n".join(f"{d.rule.label}: {d.rows} rækker ældre end {d.cutoff:%d-%m-%Y} {verb}." for d in found)


def _nudges_send(store, args) -> str:
    from datetime import datetime

    from trivsel.jobs import nudging
    from trivsel.mail import MailError

    now = datetime.now()
    if args.today:
        now = datetime.combine(args.today, now.time())
    try:
        return nudging.run(store, now, config.smtp(), actor=CLI_ACTOR, dry_run=args.dry_run)
    except MailError as exc:
        raise Failure(str(exc)) from exc


def _add_poster_command(commands, db) -> None:
    p = commands.add_parser("poster", parents=[db], help="A4-plakat (PDF) med QR-kode til enhedens medarbejderlink")
    p.add_argument("--unit", dest="unit_id", required=True, metavar="ID", help="enheds-id")
    p.add_argument("--survey", metavar="ID", help="spørgeskemaets id, fx trivsel (sammen med --round)")
    p.add_argument(
        "--round",
        dest="round_label",
        metavar="LABEL",
        help="rundens navn (standard: den åbne runde, enhedens link åbner, hvis der er en)",
    )
    p.add_argument("-o", dest="output", type=Path, required=True, metavar="FIL.pdf", help="PDF-filen, der skrives")
    p.set_defaults(run=_poster)


def _poster(store, args) -> str:
    from trivsel import audit, posters
    from trivsel.surveys import rounds

    if (args.survey is None) != (args.round_label is None):
        raise Failure("--survey og --round skal angives sammen.")
    rnd = None
    if args.survey is not None:
        survey = _survey(args.survey)
        rnd = rounds.find_round(store, survey.id, args.round_label)
        if rnd is None:
            raise Failure(f"Runden '{args.round_label}' findes ikke for {survey.id}.")
    try:
        poster = posters.unit_poster(store, args.unit_id, date.today(), rnd)
    except posters.PosterError as exc:
        raise Failure(str(exc)) from exc
    try:
        args.output.write_bytes(posters.pdf([poster]))
    except OSError as exc:
        raise Failure(f"Filen {args.output} kan ikke skrives: {_os_reason(exc)}.") from exc
    # the unit and round, never the link: the link is the unit's key
    audit.record_export(store, CLI_ACTOR, "poster", {"unit": args.unit_id, "round": poster.round_label}, 1)
    about = f" med runden '{poster.round_label}' ({poster.round_line()})" if poster.round_label else ""
    return f"Plakaten til {poster.unit_name}{about} er skrevet til {args.output}."


REPORT_FORMATS = {".pdf": "pdf", ".pptx": "pptx"}


def _add_report_command(commands, db) -> None:
    reports = commands.add_parser("report", help="rapporter (PDF eller PowerPoint)").add_subparsers(
        dest="report_command", metavar="KOMMANDO", required=True, parser_class=_Parser
    )
    output = {"metavar": "FIL.pdf|FIL.pptx", "help": "filen, der skrives: .pdf eller .pptx (PowerPoint)"}
    p = reports.add_parser(
        "unit", parents=[db], help="rapport til MED-udvalget for en runde og en enhed med enhederne under"
    )
    p.add_argument("--survey", required=True, metavar="ID", help="spørgeskemaets id, fx trivsel")
    p.add_argument("--round", dest="round_label", required=True, metavar="LABEL", help="rundens navn")
    p.add_argument("--unit", dest="unit_id", required=True, metavar="ID", help="enheds-id")
    p.add_argument("-o", dest="output", type=Path, required=True, **output)
    p.set_defaults(run=_report_unit)
    p = reports.add_parser(
        "followup",
        parents=[db],
        help="opfølgning på trivselsteamet: basis mod en senere runde og periode for området og hvert område",
    )
    p.add_argument(
        "--baseline-round", metavar="LABEL", help="basisrunden (standard: runden markeret som basis, ellers den ældste)"
    )
    p.add_argument("--round", dest="round_label", required=True, metavar="LABEL", help="opfølgningsrunden")
    p.add_argument("--from", dest="period_from", type=_date, required=True, metavar="DATO", help="periodens start")
    p.add_argument("--to", dest="period_to", type=_date, required=True, metavar="DATO", help="periodens slut")
    p.add_argument("--baseline-from", type=_date, metavar="DATO", help="basisperiodens start (standard: 01-07-2022)")
    p.add_argument("--baseline-to", type=_date, metavar="DATO", help="basisperiodens slut (standard: 30-06-2023)")
    p.add_argument("--survey", default="trivsel", metavar="ID", help="spørgeskemaets id (standard: trivsel)")
    p.add_argument("-o", dest="output", type=Path, required=True, **output)
    p.set_defaults(run=_report_followup)


def _report_format(output: Path) -> str:
    found = REPORT_FORMATS.get(output.suffix.lower())
    if found is None:
        raise Failure(f"Filen {output} skal ende på .pdf eller .pptx (PowerPoint).")
    return found


def _write_report(store, args, what: str, parameters: dict, make) -> None:
    """Make the report (the charts may fail), write it, and audit it as an export."""
    from trivsel import audit
    from trivsel.reports import charts
    from trivsel.reports.unit import ReportError

    try:
        with charts.drawing():  # Chromium starts while the figures are computed
            data = make()
    except (ReportError, charts.ChartError) as exc:
        raise Failure(str(exc)) from exc
    try:
        args.output.write_bytes(data)
    except OSError as exc:
        raise Failure(f"Filen {args.output} kan ikke skrives: {_os_reason(exc)}.") from exc
    audit.record_export(store, CLI_ACTOR, what, parameters, 1)


def _report_unit(store, args) -> str:
    from trivsel.reports import unit as unit_report

    file_format = _report_format(args.output)
    survey = _survey(args.survey)
    rnd = _find_round(store, survey, args.round_label)
    baseline = unit_report.default_baseline(store, survey)
    parameters = unit_report.parameters(survey, rnd, baseline, args.unit_id, None) | {"format": file_format}
    render = unit_report.pdf if file_format == "pdf" else unit_report.pptx
    found = {}

    def make() -> bytes:
        found["report"] = unit_report.gather(store, survey, rnd, baseline, args.unit_id, date.today())
        return render(found["report"])

    _write_report(store, args, "unit_report", parameters, make)
    return f"Rapporten for {found['report'].unit_name}, runden '{rnd.label}', er skrevet til {args.output}."


def _report_followup(store, args) -> str:
    from trivsel.reports import followup
    from trivsel.reports import unit as unit_report

    file_format = _report_format(args.output)
    survey = _survey(args.survey)
    rnd = _find_round(store, survey, args.round_label)
    if args.baseline_round:
        baseline = _find_round(store, survey, args.baseline_round)
    elif (baseline := unit_report.default_baseline(store, survey)) is None:
        raise Failure(f"Der er ingen runder for {survey.id}.")
    baseline_period = (
        args.baseline_from or followup.BASELINE_PERIOD[0],
        args.baseline_to or followup.BASELINE_PERIOD[1],
    )
    period = (args.period_from, args.period_to)
    render = followup.pdf if file_format == "pdf" else followup.pptx

    def make() -> bytes:
        from trivsel.surveys.definitions import load_all

        catalog = load_all(config.surveys_dir())
        report = followup.gather(
            store, survey, catalog["supervision_request"], baseline, rnd, baseline_period, period, date.today(),
            followup.lifecycle_surveys(catalog),
        )  # fmt: skip
        return render(report)

    parameters = followup.parameters(survey, baseline, rnd, baseline_period, period) | {"format": file_format}
    _write_report(store, args, "followup_report", parameters, make)
    return f"Opfølgningen ({baseline.label} mod {rnd.label}) er skrevet til {args.output}."


def _find_round(store, survey, label: str):
    from trivsel.surveys import rounds

    rnd = rounds.find_round(store, survey.id, label)
    if rnd is None:
        raise Failure(f"Runden '{label}' findes ikke for {survey.id}.")
    return rnd


def _db_folder(path: Path) -> None:
    """Make the folder of the database file, or refuse the path in Danish."""
    if path.is_dir():
        raise Failure(f"--db {path} er en mappe, ikke en databasefil.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Failure(f"Databasefilen {path} kan ikke oprettes: {_os_reason(exc)}.") from exc


def _open_store(path: Path):
    import duckdb

    from trivsel.store import open_store

    _db_folder(path)
    try:
        return open_store(path)
    except duckdb.IOException as exc:
        if "not a valid DuckDB database file" in str(exc):
            raise Failure(
                f"Filen {path} er ikke en DuckDB-database, så den åbnes ikke. Angiv databasefilen "
                "med --db, eller et nyt filnavn for at oprette en ny database."
            ) from exc
        raise Failure(f"Databasefilen {path} kan ikke åbnes ({exc}).") from exc


def _error(message: str) -> int:
    print("Fejl: " + " ".join(message.split()), file=sys.stderr)  # always one line
    return 1


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from trivsel import auth, backup
    from trivsel.imports.problems import ImportRejected
    from trivsel.store import StoreLockedError
    from trivsel.store.migrations import MigrationError

    try:
        if not getattr(args, "needs_store", True):
            print(args.run(args))
            return 0
        store = _open_store(config.db_path(args.db))
        try:
            print(args.run(store, args))
        finally:
            store.close()
    except ImportRejected as exc:
        return _error(exc.summary(limit=10))
    except StoreLockedError as exc:  # the app runs: name its job that does the same work
        from trivsel import jobs  # the scheduler and the importers: only for this message

        return _error(jobs.locked_message(exc, args.command, getattr(args, "import_command", None)))
    except (Failure, auth.AuthError, MigrationError, ValueError, backup.BackupError) as exc:
        return _error(str(exc))
    except Exception as exc:  # noqa: BLE001 (a bug or a failure not foreseen: still one line, no traceback)
        return _error(f"kommandoen stoppede med en uventet fejl ({type(exc).__name__}: {exc}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

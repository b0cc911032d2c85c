"""A survey's texts as a spreadsheet for a translator, and the translations read back into its YAML file.

The sheet has one row per text, keyed by the ids in the file (`sections.velbefindende.items.who5_1.text`), and
one column per language; two rows at the top carry each language's review status and note. Reading it back
checks every row first: a language that is imported must have every text, placeholders and markup must be as in
the Danish text, and an unknown key is refused. Nothing is written unless every row is fine, and the new file
must pass the same checks as any definition. The file is rewritten with ruamel.yaml, which keeps its comments
and layout; only the texts that change are touched.
"""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from trivsel import audit
from trivsel.imports.problems import ImportRejected, Problem
from trivsel.imports.xlsx import xlsx_rows
from trivsel.surveys.definitions import MAX_TEXT_LENGTH, Survey, load_survey, parse_survey
from trivsel.surveys.languages import DANISH_NAMES, LANGUAGES, SOURCE, STATUSES, TRANSLATED

SHEET = "Oversættelser"
KEY_HEADING = "Nøgle"
STATUS_KEY, NOTE_KEY = "translations.status", "translations.note"
HEADINGS = {code: f"{DANISH_NAMES[code]} ({code})" for code in LANGUAGES}
# What a translation must carry over unchanged: {placeholders}, <tags> and web addresses.
_TOKENS = re.compile(r"\{[^{}]*\}|<[^<>]*>|https?://\S+")


@dataclass(frozen=True)
class ImportResult:
    languages: tuple[str, ...]
    changed: int  # texts whose wording changed

    @property
    def message(self) -> str:
        names = ", ".join(DANISH_NAMES[code].lower() for code in self.languages)
        return f"Oversættelserne er indlæst ({names}): {self.changed} tekster ændret."


def status_table(survey: Survey) -> dict[str, list]:
    """Each language of the survey with its review status, for the konsulent: Danish first, as the source."""
    codes = [code for code in LANGUAGES if code == SOURCE or code in survey.translations]
    translations = survey.translations
    return {
        "Sprog": [DANISH_NAMES[code] for code in codes],
        "Status": ["kildesprog" if code == SOURCE else translations[code].status for code in codes],
        "Note": ["" if code == SOURCE else translations[code].note or "" for code in codes],
        "Tilbydes": ["Ja" if code in survey.languages else "Nej, ikke alle tekster" for code in codes],
    }


def record_import(store, actor: str, survey_id: str, result: ImportResult) -> None:
    """The audit entry of an import from the page: who changed which survey's texts (the file is not the
    database, so this is its only trace there)."""
    audit.record_alone(store, actor, "survey_translations", survey=survey_id, changed=result.changed)


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line
    yaml.indent(mapping=2, sequence=4, offset=2)  # the layout of the shipped files
    return yaml


def _text_maps(root: CommentedMap) -> dict[str, CommentedMap]:
    """Each text of a (valid) definition by its stable key: the mapping that holds its languages."""
    found = {"title": root["title"], "intro": root["intro"]}
    for dimension, text in (root.get("dimensions") or {}).items():
        found[f"dimensions.{dimension}"] = text
    for section in root["sections"]:
        prefix = f"sections.{section['id']}"
        found[f"{prefix}.title"] = section["title"]
        if "intro" in section:
            found[f"{prefix}.intro"] = section["intro"]
        for item in section["items"]:
            found[f"{prefix}.items.{item['id']}.text"] = item["text"]
            for option in item.get("options") or ():
                found[f"{prefix}.items.{item['id']}.options.{option['value']}"] = option
    return found


def _load(path: Path) -> CommentedMap:
    load_survey(path)  # only a valid definition is exported or changed
    return _yaml().load(path.read_text(encoding="utf-8"))


def export_xlsx(path: str | Path) -> bytes:
    """Every text of the definition file, one row each, with a column per language and a frozen header."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    root = _load(Path(path))
    declared = root.get("translations") or {}
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([KEY_HEADING, *HEADINGS.values()])
    sheet.append([STATUS_KEY, "", *((declared.get(code) or {}).get("status", "") for code in TRANSLATED)])
    sheet.append([NOTE_KEY, "", *((declared.get(code) or {}).get("note", "") for code in TRANSLATED)])
    for key, text in _text_maps(root).items():
        sheet.append([key, *(str(text.get(code) or "").strip() for code in LANGUAGES)])
    sheet.freeze_panes = "B2"  # the header row and the keys stay put while the translator scrolls
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 45
    for column in "BCDEF":
        sheet.column_dimensions[column].width = 50
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_xlsx(path: str | Path, data: bytes) -> ImportResult:
    """Read the translations in `data` into the definition file; raises ImportRejected and writes nothing
    when any row is wrong."""
    path = Path(path)
    root = _load(path)
    texts = _text_maps(root)
    rows = xlsx_rows(data)
    header_row, header = rows[0] if rows else (1, [])
    columns = _columns(header_row, header)
    sheet = _Sheet(columns, {k: str(t[SOURCE]).strip() for k, t in texts.items()})
    for number, cells in rows[1:]:
        sheet.read_row(number, cells)
    imported = sheet.check_languages(root.get("translations") or {})
    if sheet.problems:
        raise ImportRejected(sheet.problems)

    changed = 0
    for key, text in texts.items():
        for code in imported:
            new = sheet.texts[key][code]
            if str(text.get(code) or "").strip() != new:
                _set_language(text, code, new)
                changed += 1
    _set_statuses(root, {code: sheet.statuses[code] for code in imported}, sheet.notes)
    _write(path, root)
    return ImportResult(imported, changed)


def _columns(row: int, header: list[str]) -> dict[int, str]:
    """Column index -> language code (the key column is index 0). Refuses an unknown or doubled heading."""
    by_heading = {heading.casefold(): code for code, heading in HEADINGS.items()}
    problems, columns = [], {}
    if not header or header[0].strip() != KEY_HEADING:
        problems.append(Problem(row, "A", f"første kolonne skal hedde '{KEY_HEADING}'"))
    for index, heading in enumerate(header[1:], start=1):
        if not heading.strip():
            continue
        code = by_heading.get(heading.strip().casefold())
        if code is None:
            allowed = ", ".join(HEADINGS.values())
            problems.append(Problem(row, heading, f"ukendt kolonne (tilladt: {allowed})"))
        elif code in columns.values():
            problems.append(Problem(row, heading, "kolonnen står to gange"))
        else:
            columns[index] = code
    if SOURCE not in columns.values():
        problems.append(Problem(row, None, f"kolonnen '{HEADINGS[SOURCE]}' mangler"))
    if problems:
        raise ImportRejected(problems)
    return columns


class _Sheet:
    """The rows of the sheet, checked one by one; problems are collected, never raised halfway."""

    def __init__(self, columns: dict[int, str], danish: dict[str, str]):
        self.columns = columns
        self.danish = danish
        self.problems: list[Problem] = []
        self.rows: dict[str, int] = {}  # key -> its row
        self.texts: dict[str, dict[str, str]] = {key: {} for key in danish}
        self.statuses: dict[str, str] = {}
        self.notes: dict[str, str] = {}

    def report(self, row: int | None, code: str | None, reason: str) -> None:
        column = HEADINGS[code] if code else (KEY_HEADING if row else None)
        self.problems.append(Problem(row, column, reason))

    def read_row(self, number: int, cells: list[str]) -> None:
        key = cells[0].strip() if cells else ""
        values = {code: cells[i].strip() for i, code in self.columns.items() if i < len(cells)}
        if not key:
            if any(values.values()):
                self.report(number, None, "rækken har tekst, men ingen nøgle")
            return
        if key in self.rows:
            self.report(number, None, f"nøglen '{key}' står også i række {self.rows[key]}")
            return
        if key not in self.texts and key not in (STATUS_KEY, NOTE_KEY):
            self.report(number, None, f"ukendt nøgle '{key}'; nøglerne skal stå som i den eksporterede fil")
            return
        self.rows[key] = number
        if key == STATUS_KEY:
            self.status_row(number, values)
        elif key == NOTE_KEY:
            self.notes = {code: value for code, value in values.items() if code != SOURCE and value}
        else:
            self.text_row(number, key, values)

    def status_row(self, number: int, values: dict[str, str]) -> None:
        for code, value in values.items():
            if not value:
                continue
            if code == SOURCE:
                self.report(number, code, "dansk er kildesproget og har ingen status")
            elif value not in STATUSES:
                self.report(number, code, f"ukendt status '{value}' (tilladt: {', '.join(STATUSES)})")
            else:
                self.statuses[code] = value

    def text_row(self, number: int, key: str, values: dict[str, str]) -> None:
        danish = self.danish[key]
        if values.get(SOURCE, "") != danish:
            self.report(
                number, SOURCE, "den danske tekst er ændret; dansk er kilden og rettes ikke her, kun oversættelserne"
            )
        expected = Counter(_TOKENS.findall(danish))
        for code, text in values.items():
            if code == SOURCE or not text:
                continue
            self.texts[key][code] = text
            if len(text) > MAX_TEXT_LENGTH:
                self.report(number, code, f"teksten er på {len(text)} tegn; højst {MAX_TEXT_LENGTH}")
            found = Counter(_TOKENS.findall(text))
            if found != expected:
                missing, extra = list((expected - found).elements()), list((found - expected).elements())
                said = [f"mangler {', '.join(missing)}"] if missing else []
                said += [f"har ekstra {', '.join(extra)}"] if extra else []
                self.report(
                    number, code, f"pladsholdere og opmærkning skal stå som i den danske tekst ({'; '.join(said)})"
                )

    def check_languages(self, declared: dict) -> tuple[str, ...]:
        """The languages the sheet imports (any text or status in their column); each must be complete."""
        imported = tuple(
            code
            for code in TRANSLATED
            if code in self.statuses or code in self.notes or any(code in t for t in self.texts.values())
        )
        for code in imported:
            if code not in self.statuses and code not in declared:
                self.report(self.rows.get(STATUS_KEY), code, f"angiv status i rækken '{STATUS_KEY}'")
            for key, texts in self.texts.items():
                if key not in self.rows:
                    continue  # reported once below
                if code not in texts:
                    self.report(self.rows[key], code, "mangler oversættelse: sproget skal have alle tekster")
        for key in self.texts:
            if key not in self.rows:
                self.report(None, None, f"nøglen '{key}' mangler i arket")
        for code in imported:
            self.statuses.setdefault(code, (declared.get(code) or {}).get("status"))
            self.notes.setdefault(code, (declared.get(code) or {}).get("note"))
        return imported


def _set_language(text: CommentedMap, code: str, value: str) -> None:
    if code not in text and text.fa.flow_style():  # a one-line {da: ..., en: ...} grows too long with more
        text.fa.set_block_style()
    _put_in_order(text, code, value)


def _set_statuses(root: CommentedMap, statuses: dict[str, str], notes: dict[str, str | None]) -> None:
    if "translations" not in root:
        before = "dimensions" if "dimensions" in root else "sections"
        root.insert(list(root).index(before), "translations", CommentedMap())
    for code, status in statuses.items():
        entry = root["translations"].get(code)
        if entry is None:
            entry = CommentedMap()
            entry.fa.set_flow_style()  # as the shipped files write it: `ar: {status: maskinoversat}`
            _put_in_order(root["translations"], code, entry)
        entry["status"] = status
        if notes.get(code):
            entry["note"] = notes[code]


def _put_in_order(mapping: CommentedMap, code: str, value) -> None:
    """Set a language key, a new one after the languages that come before it in LANGUAGES."""
    if code in mapping:
        mapping[code] = value
        return
    order = list(LANGUAGES)
    before = [i for i, key in enumerate(mapping) if key in order and order.index(key) < order.index(code)]
    mapping.insert(before[-1] + 1 if before else len(mapping), code, value)
    keys = list(mapping)
    if keys[-1] == code and len(keys) > 1:
        _move_trailing_comment(mapping, keys[-2], code)


def _move_trailing_comment(mapping: CommentedMap, old_last: str, new_last: str) -> None:
    """ruamel hangs the comment lines that follow a mapping on its last value; a key added after that value
    would land below them, under a comment about the next key. The lines move down to the new last value
    (a comment at the end of the old last value's own line stays there)."""
    comment = mapping.ca.items.get(old_last)
    if comment and len(comment) > 2 and comment[2] is not None and comment[2].value.startswith("\n"):
        if isinstance(mapping[old_last], (FoldedScalarString, LiteralScalarString)):
            comment[2].value = "\n" + comment[2].value  # a block scalar's token lacks its own line end
        mapping.ca.items[new_last] = [None, None, comment[2], None]
        comment[2] = None


def _write(path: Path, root: CommentedMap) -> None:
    buffer = io.StringIO()
    _yaml().dump(root, buffer)
    text = buffer.getvalue()
    _, problems = parse_survey(text, path.name)
    if problems:  # a bug here, not in the sheet: refuse rather than write a file the app cannot load
        raise ImportRejected([Problem(None, None, f"den nye definition er ugyldig: {problems[0]}")])
    temporary = path.with_name(f".{path.name}.ny")  # not *.yaml, so never read as a definition
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)

"""Survey definitions: YAML files in `surveys/`, validated when they are loaded.

The format is documented in `surveys/SCHEMA.md`. A file is never trusted: every problem
is collected with file, line, key path and a Danish reason, so that `trivsel surveys
check` can report all of them in one run, and a survey with any problem is not loaded.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import Any

import yaml

from trivsel.surveys import yaml_lines
from trivsel.surveys.languages import LANGUAGES, SOURCE, STATUSES, TRANSLATED
from trivsel.surveys.yaml_lines import LineList, LineMap

ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
QUESTION_TYPES = ("likert5", "who5", "scale0_10", "number", "single_choice", "multiple_choice", "free_text")
CHOICE_TYPES = ("single_choice", "multiple_choice")
MAX_TEXT_LENGTH = 2000
WHO5_ITEMS = tuple(f"who5_{n}" for n in range(1, 6))
# Scoring finds these items by id, so each id is tied to the type its score needs.
RESERVED_IDS = {**dict.fromkeys(WHO5_ITEMS, "who5"), "enps": "scale0_10", "stay": "likert5"}
# Answer values per type; a number item carries its own min and max.
VALUE_RANGES = {"likert5": (1, 5), "who5": (0, 5), "scale0_10": (0, 10)}

_SURVEY_KEYS = ("id", "version", "anonymous", "title", "intro", "sections")
_SECTION_KEYS = ("id", "title", "items")
_ITEM_KEYS = ("id", "type", "text")
# Keys an item carries besides id, type, text and `required`, by type.
_TYPE_REQUIRED = {
    "number": ("min", "max"),
    "single_choice": ("options",),
    "multiple_choice": ("options",),
    "free_text": ("max_length",),
}
_TYPE_OPTIONAL = {"likert5": ("dimension", "reverse")}


@dataclass(frozen=True)
class Text:
    """One text in every language it has; Danish is required, since every user reads Danish."""

    da: str
    en: str | None = None
    ar: str | None = None
    pl: str | None = None
    uk: str | None = None

    def get(self, language: str) -> str:
        """The text in `language`, or in Danish when it has no translation (per text, not per survey)."""
        return (getattr(self, language) if language in LANGUAGES else None) or self.da

    def has(self, language: str) -> bool:
        return language in LANGUAGES and bool(getattr(self, language))


@dataclass(frozen=True)
class Translation:
    status: str  # a key of languages.STATUSES
    note: str | None = None  # e.g. that WHO-5 is not the validated version


# The answer scales belong to the engine, so the same value reads the same in every survey. The Arabic,
# Polish and Ukrainian WHO-5 labels are ours, not the validated versions (see surveys/SCHEMA.md).
LIKERT_LABELS = {
    5: Text(
        "I meget høj grad", "To a very large extent", "بدرجة كبيرة جدًا", "W bardzo dużym stopniu", "Дуже значною мірою"
    ),
    4: Text("I høj grad", "To a large extent", "بدرجة كبيرة", "W dużym stopniu", "Значною мірою"),
    3: Text("Delvist", "Somewhat", "إلى حد ما", "Częściowo", "Частково"),
    2: Text("I ringe grad", "To a small extent", "بدرجة قليلة", "W małym stopniu", "Незначною мірою"),
    1: Text(
        "I meget ringe grad",
        "To a very small extent",
        "بدرجة قليلة جدًا",
        "W bardzo małym stopniu",
        "Дуже незначною мірою",
    ),
}
WHO5_LABELS = {
    5: Text("Hele tiden", "All of the time", "طوال الوقت", "Przez cały czas", "Весь час"),
    4: Text("Det meste af tiden", "Most of the time", "معظم الوقت", "Przez większość czasu", "Більшу частину часу"),
    3: Text(
        "Lidt mere end halvdelen af tiden",
        "More than half of the time",
        "أكثر من نصف الوقت",
        "Przez ponad połowę czasu",
        "Більше половини часу",
    ),
    2: Text(
        "Lidt mindre end halvdelen af tiden",
        "Less than half of the time",
        "أقل من نصف الوقت",
        "Przez mniej niż połowę czasu",
        "Менше половини часу",
    ),
    1: Text("Lidt af tiden", "Some of the time", "بعض الوقت", "Przez pewien czas", "Деякий час"),
    0: Text("På intet tidspunkt", "At no time", "ولا مرة", "Nigdy", "Ніколи"),
}


@dataclass(frozen=True)
class Option:
    value: str
    label: Text


@dataclass(frozen=True)
class Item:
    id: str
    type: str
    text: Text
    required: bool = False
    dimension: str | None = None
    reverse: bool = False
    options: tuple[Option, ...] = ()
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None

    @property
    def value_range(self) -> tuple[int, int] | None:
        """The lowest and highest answer of a numeric item; None for choice and free text."""
        if self.type == "number":
            return self.minimum, self.maximum
        return VALUE_RANGES.get(self.type)


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    items: tuple[Item, ...]
    intro: Text | None = None


@dataclass(frozen=True)
class Survey:
    id: str
    version: int
    anonymous: bool
    title: Text
    intro: Text
    dimensions: dict[str, Text]
    sections: tuple[Section, ...]
    translations: dict[str, Translation] = field(default_factory=dict)  # language -> its review status

    # Scoring asks for these once per respondent and dimension; a definition never changes once
    # loaded (frozen), so they are worked out once.
    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(chain.from_iterable(s.items for s in self.sections))

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @cached_property
    def texts(self) -> tuple[Text, ...]:
        """Every text a respondent can read, in the order of the file."""
        found = [self.title, self.intro, *self.dimensions.values()]
        for section in self.sections:
            found += [section.title, *([section.intro] if section.intro else [])]
            for item in section.items:
                found += [item.text, *(o.label for o in item.options)]
        return tuple(found)

    @cached_property
    def languages(self) -> tuple[str, ...]:
        """The languages every text of the survey has: only these are offered to a respondent."""
        return tuple(code for code in LANGUAGES if all(text.has(code) for text in self.texts))

    def dimension_items(self, dimension: str) -> tuple[Item, ...]:
        return self._items_by_dimension.get(dimension, ())

    @cached_property
    def _items_by_dimension(self) -> dict[str, tuple[Item, ...]]:
        return {d: tuple(i for i in self.items if i.dimension == d) for d in {i.dimension for i in self.items}}


@dataclass(frozen=True)
class DefinitionProblem:
    file: str
    line: int | None
    key: str | None  # path such as sections[1].items[3].type, counting from 0
    reason: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where} {self.key}: {self.reason}" if self.key else f"{where}: {self.reason}"


def _order(problem: DefinitionProblem) -> tuple:
    return problem.file, problem.line or 0, problem.key or "", problem.reason


class DefinitionError(ValueError):
    """One or more definitions are invalid; nothing from them was loaded."""

    def __init__(self, problems: Iterable[DefinitionProblem]):
        self.problems = sorted(problems, key=_order)
        shown = "; ".join(str(p) for p in self.problems[:5])
        more = len(self.problems) - 5
        tail = f" (og {more} fejl mere)" if more > 0 else ""
        super().__init__(f"Ugyldig spørgeskemadefinition, {len(self.problems)} fejl: {shown}{tail}")


def definition_files(directory: str | Path) -> list[Path]:
    return sorted(Path(directory).glob("*.yaml"))


def load_survey(path: str | Path) -> Survey:
    survey, problems = _read(Path(path))
    if problems:
        raise DefinitionError(problems)
    return survey


def load_all(directory: str | Path) -> dict[str, Survey]:
    """Every definition in the directory by survey id; raises if any file has a problem."""
    surveys, problems = _read_directory(Path(directory))
    if problems:
        raise DefinitionError(problems)
    return surveys


def check_directory(directory: str | Path) -> list[DefinitionProblem]:
    """Every problem in every *.yaml file of the directory; empty when all are valid."""
    return sorted(_read_directory(Path(directory))[1], key=_order)


def _read_directory(directory: Path) -> tuple[dict[str, Survey], list[DefinitionProblem]]:
    if not directory.is_dir():
        return {}, [DefinitionProblem(str(directory), None, None, "mappen findes ikke")]
    files = definition_files(directory)
    if not files:
        return {}, [DefinitionProblem(str(directory), None, None, "mappen har ingen .yaml-filer")]
    surveys: dict[str, Survey] = {}
    sources: dict[str, str] = {}
    problems: list[DefinitionProblem] = []
    for path in files:
        survey, found = _read(path)
        problems += found
        if survey is None:
            continue
        if survey.id in sources:
            problems.append(
                DefinitionProblem(path.name, None, "id", f"id'et '{survey.id}' bruges også i {sources[survey.id]}")
            )
            continue
        surveys[survey.id] = survey
        sources[survey.id] = path.name
    return surveys, problems


def survey_file(directory: str | Path, survey_id: str) -> Path | None:
    """The definition file of a survey in the directory, or None when no valid file has that id."""
    for path in definition_files(directory):
        survey, _ = _read(path)
        if survey is not None and survey.id == survey_id:
            return path
    return None


def parse_survey(text: str, file: str) -> tuple[Survey | None, list[DefinitionProblem]]:
    """A definition from its YAML text, as if read from `file`: the survey, or None and its problems."""
    return _parse(_Checker(file), lambda: text)


def _read(path: Path) -> tuple[Survey | None, list[DefinitionProblem]]:
    return _parse(_Checker(path.name), lambda: path.read_text(encoding="utf-8"))


def _parse(checker: _Checker, read: Callable[[], str]) -> tuple[Survey | None, list[DefinitionProblem]]:
    try:
        root = yaml_lines.load(read())
    except yaml.YAMLError as exc:
        mark, context = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
        reason = f"ugyldig YAML: {getattr(exc, 'problem', None) or exc}"
        if mark and context and context.line != mark.line:  # e.g. a brace opened lines earlier
            reason += f" (i det, der begynder i linje {context.line + 1})"
        checker.report(None, mark.line + 1 if mark else None, reason)
        return None, checker.problems
    except UnicodeDecodeError:
        checker.report(None, None, "filen skal være gemt som UTF-8")
        return None, checker.problems
    except OSError as exc:
        checker.report(None, None, f"filen kan ikke læses ({exc.strerror})")
        return None, checker.problems
    survey = checker.survey(root)
    return (None if checker.problems else survey), checker.problems


# Value checks: each returns a Danish reason, or None when the value is fine.


def _identifier(value: Any) -> str | None:
    if isinstance(value, bool):  # YAML reads yes, no, on and off as true or false
        return 'skal være tekst; sæt værdien i anførselstegn, fx "no"'
    if not isinstance(value, str):
        return "skal være tekst"
    if not ID_PATTERN.fullmatch(value):
        return f"ugyldigt id '{value}': brug kun a-z, 0-9 og _, og start med et lille bogstav"
    return None


def _integer(value: Any) -> str | None:
    return None if isinstance(value, int) and not isinstance(value, bool) else "skal være et helt tal"


def _positive(value: Any) -> str | None:
    return _integer(value) or (None if value >= 1 else "skal være 1 eller større")


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "skal være true eller false"


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "skal være en tekst, der ikke er tom"


def _status(value: Any) -> str | None:
    return None if value in STATUSES else f"ukendt status '{value}' (tilladt: {', '.join(STATUSES)})"


def _question_type(value: Any) -> str | None:
    if value in QUESTION_TYPES:
        return None
    return f"ukendt spørgsmålstype '{value}' (tilladt: {', '.join(QUESTION_TYPES)})"


def _max_length(value: Any) -> str | None:
    if _integer(value) or not 1 <= value <= MAX_TEXT_LENGTH:
        return f"skal være et helt tal mellem 1 og {MAX_TEXT_LENGTH}"
    return None


def _misplaced(key: Any) -> str | None:
    types = [t for t, keys in chain(_TYPE_REQUIRED.items(), _TYPE_OPTIONAL.items()) if key in keys]
    return f"'{key}' er kun tilladt for spørgsmål af typen {' eller '.join(types)}" if types else None


def _join(path: str | None, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


class _Checker:
    """Walks one loaded file, collecting problems and building the survey on the way."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[DefinitionProblem] = []
        self.dimension_lines: dict[str, int] = {}
        self.members: Counter[str] = Counter()
        self.item_paths: dict[str, str] = {}
        self.languages_used: set[str] = set()

    def report(self, key: str | None, line: int | None, reason: str) -> None:
        self.problems.append(DefinitionProblem(self.file, line, key, reason))

    # Structure

    def mapping(self, node: Any, path: str | None, line: int | None) -> LineMap | None:
        if not isinstance(node, LineMap):
            self.report(path, line, "skal være nøgle/værdi-par (nøgle: værdi)")
            return None
        for key, key_line in node.duplicates:
            self.report(_join(path, key), key_line, "nøglen står to gange")
        return node

    def keys(
        self,
        node: LineMap,
        path: str | None,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
        misplaced: Callable[[Any], str | None] = lambda key: None,
    ) -> None:
        allowed = required + optional
        for key in required:
            if key not in node:
                self.report(_join(path, key), node.line, "påkrævet nøgle mangler")
        for key in node:
            if key not in allowed:
                self.report(
                    _join(path, key),
                    node.key_lines[key],
                    misplaced(key) or f"ukendt nøgle '{key}' (tilladt: {', '.join(allowed)})",
                )

    def sequence(self, node: LineMap, key: str, path: str | None, at_least: int, what: str) -> LineList:
        """node[key] as a list of at least `at_least` elements; an empty list after a problem."""
        if key not in node:
            return LineList(node.line)
        value, line = node[key], node.key_lines[key]
        if not isinstance(value, LineList):
            self.report(_join(path, key), line, "skal være en liste")
            return LineList(line)
        if len(value) < at_least:
            self.report(_join(path, key), line, f"skal have mindst {at_least} {what}")
        return value

    def value(self, node: LineMap, key: str, path: str | None, check: Callable[[Any], str | None]) -> Any:
        """node[key] when present and accepted by `check`, else None (a bad value is reported)."""
        if key not in node:
            return None
        reason = check(node[key])
        if reason:
            self.report(_join(path, key), node.key_lines[key], reason)
            return None
        return node[key]

    def unique(self, seen: dict[Any, str], value: Any, node: LineMap, key: str, path: str, what: str) -> None:
        if value is None:
            return
        if value in seen:
            self.report(_join(path, key), node.key_lines[key], f"{what} '{value}' er allerede brugt i {seen[value]}")
        else:
            seen[value] = path

    def texts(self, node: LineMap, path: str | None) -> Text | None:
        """The language keys of a mapping; Danish is required."""
        if _text(node.get(SOURCE)):
            self.report(_join(path, SOURCE), node.key_lines.get(SOURCE, node.line), "mangler dansk tekst")
            return None
        translated = {code: self.value(node, code, path, _text) for code in TRANSLATED}
        self.languages_used.update(code for code, text in translated.items() if text)
        return Text(node[SOURCE].strip(), **{code: text and text.strip() for code, text in translated.items()})

    def text(self, node: LineMap, key: str, path: str | None) -> Text | None:
        if key not in node:
            return None
        where, line = _join(path, key), node.key_lines[key]
        if not isinstance(node[key], LineMap):
            self.report(where, line, "skal være en tekst på dansk og gerne andre sprog: {da: ..., en: ...}")
            return None
        text = self.mapping(node[key], where, line)
        self.keys(text, where, required=(), optional=tuple(LANGUAGES))
        return self.texts(text, where)

    # The survey, top down

    def survey(self, root: Any) -> Survey | None:
        if root is None:
            self.report(None, None, "filen er tom")
            return None
        node = self.mapping(root, None, 1)
        if node is None:
            return None
        self.keys(node, None, required=_SURVEY_KEYS, optional=("dimensions", "translations"))
        survey_id = self.value(node, "id", None, _identifier)
        version = self.value(node, "version", None, _positive)
        anonymous = self.value(node, "anonymous", None, _boolean)
        title, intro = self.text(node, "title", None), self.text(node, "intro", None)
        dimensions = self.dimensions(node)
        sections = self.sections(node)
        for dimension, line in self.dimension_lines.items():
            if self.members[dimension] < 2:
                self.report(
                    f"dimensions.{dimension}",
                    line,
                    f"dimensionen har {self.members[dimension]} spørgsmål; den skal have mindst 2",
                )
        who5_missing = [i for i in WHO5_ITEMS if i not in self.item_paths]
        if 0 < len(who5_missing) < len(WHO5_ITEMS):
            self.report(
                "sections",
                node.key_lines.get("sections"),
                f"WHO-5 skal have alle fem spørgsmål; mangler {', '.join(who5_missing)}",
            )
        translations = self.translations(node)
        declared = node.get("translations")
        declared = set(declared) if isinstance(declared, LineMap) else set()  # a bad status is reported once
        for code in sorted(self.languages_used - declared, key=list(LANGUAGES).index):
            self.report(
                f"translations.{code}",
                node.key_lines.get("translations", node.line),
                f"sproget '{code}' bruges i teksterne, men har ingen status under translations",
            )
        return Survey(survey_id, version, anonymous, title, intro, dimensions, sections, translations)

    def translations(self, node: LineMap) -> dict[str, Translation]:
        """`translations: {ar: {status: maskinoversat, note: ...}}`: how far each language has been checked."""
        if "translations" not in node:
            return {}
        declared = self.mapping(node["translations"], "translations", node.key_lines["translations"])
        if declared is None:
            return {}
        found = {}
        for code, line in declared.key_lines.items():
            path = f"translations.{code}"
            if code == SOURCE:
                self.report(path, line, "dansk er kildesproget og har ingen oversættelsesstatus")
                continue
            if code not in TRANSLATED:
                self.report(path, line, f"ukendt sprog '{code}' (tilladt: {', '.join(TRANSLATED)})")
                continue
            entry = self.mapping(declared[code], path, line)
            if entry is None:
                continue
            self.keys(entry, path, required=("status",), optional=("note",))
            status = self.value(entry, "status", path, _status)
            if status is not None:
                found[code] = Translation(status, self.value(entry, "note", path, _text))
        return found

    def dimensions(self, node: LineMap) -> dict[str, Text]:
        if "dimensions" not in node:
            return {}
        dimensions = self.mapping(node["dimensions"], "dimensions", node.key_lines["dimensions"])
        if dimensions is None:
            return {}
        texts = {}
        for dimension, line in dimensions.key_lines.items():
            reason = _identifier(dimension)
            if reason:
                self.report(f"dimensions.{dimension}", line, reason)
                continue
            self.dimension_lines[dimension] = line
            texts[dimension] = self.text(dimensions, dimension, "dimensions")
        return texts

    def sections(self, node: LineMap) -> tuple[Section, ...]:
        sections = []
        seen: dict[str, str] = {}
        raw = self.sequence(node, "sections", None, 1, "afsnit")
        for index, (value, line) in enumerate(zip(raw, raw.item_lines)):
            path = f"sections[{index}]"
            section = self.mapping(value, path, line)
            if section is None:
                continue
            self.keys(section, path, required=_SECTION_KEYS, optional=("intro",))
            section_id = self.value(section, "id", path, _identifier)
            self.unique(seen, section_id, section, "id", path, "afsnits-id'et")
            items = self.sequence(section, "items", path, 1, "spørgsmål")
            sections.append(
                Section(
                    section_id,
                    self.text(section, "title", path),
                    tuple(
                        self.item(item, f"{path}.items[{i}]", item_line)
                        for i, (item, item_line) in enumerate(zip(items, items.item_lines))
                    ),
                    self.text(section, "intro", path),
                )
            )
        return tuple(sections)

    def item(self, value: Any, path: str, line: int) -> Item | None:
        node = self.mapping(value, path, line)
        if node is None:
            return None
        kind = self.value(node, "type", path, _question_type)
        if kind is None:  # without a known type, the type-specific keys cannot be judged
            type_required = ()
            type_optional = tuple(chain(*_TYPE_REQUIRED.values(), *_TYPE_OPTIONAL.values()))
        else:
            type_required, type_optional = _TYPE_REQUIRED.get(kind, ()), _TYPE_OPTIONAL.get(kind, ())
        self.keys(
            node, path, required=_ITEM_KEYS, optional=("required", *type_required, *type_optional), misplaced=_misplaced
        )
        for key in type_required:
            if key not in node:
                self.report(_join(path, key), node.line, f"påkrævet for spørgsmål af typen {kind}")

        item_id = self.value(node, "id", path, _identifier)
        self.unique(self.item_paths, item_id, node, "id", path, "spørgsmåls-id'et")
        if kind and item_id in RESERVED_IDS and kind != RESERVED_IDS[item_id]:
            self.report(
                _join(path, "type"),
                node.key_lines["type"],
                f"id'et '{item_id}' er forbeholdt spørgsmål af typen {RESERVED_IDS[item_id]}",
            )
        if kind == "who5" and item_id and item_id not in WHO5_ITEMS:
            self.report(
                _join(path, "id"),
                node.key_lines["id"],
                f"et who5-spørgsmål skal have et af id'erne {', '.join(WHO5_ITEMS)}",
            )

        item = Item(
            item_id, kind, self.text(node, "text", path), required=self.value(node, "required", path, _boolean) or False
        )
        if kind == "likert5":
            return self.likert(node, path, item)
        if kind in CHOICE_TYPES:
            return replace(item, options=self.options(node, path))
        if kind == "free_text":
            return replace(item, max_length=self.value(node, "max_length", path, _max_length))
        if kind == "number":
            return self.number(node, path, item)
        return item

    def likert(self, node: LineMap, path: str, item: Item) -> Item:
        dimension = self.value(node, "dimension", path, _identifier)
        if dimension is not None:
            if dimension in self.dimension_lines:
                self.members[dimension] += 1
            else:
                self.report(
                    _join(path, "dimension"),
                    node.key_lines["dimension"],
                    f"dimensionen '{dimension}' er ikke defineret under dimensions",
                )
        reverse = self.value(node, "reverse", path, _boolean) or False
        if reverse and "dimension" not in node:
            self.report(
                _join(path, "reverse"), node.key_lines["reverse"], "reverse virker kun for et spørgsmål i en dimension"
            )
        return replace(item, dimension=dimension, reverse=reverse)

    def number(self, node: LineMap, path: str, item: Item) -> Item:
        minimum = self.value(node, "min", path, _integer)
        maximum = self.value(node, "max", path, _integer)
        if minimum is not None and maximum is not None and minimum >= maximum:
            self.report(_join(path, "max"), node.key_lines["max"], "max skal være større end min")
        return replace(item, minimum=minimum, maximum=maximum)

    def options(self, node: LineMap, path: str) -> tuple[Option, ...]:
        options = []
        seen: dict[str, str] = {}
        raw = self.sequence(node, "options", path, 2, "svarmuligheder")
        for index, (value, line) in enumerate(zip(raw, raw.item_lines)):
            option_path = f"{path}.options[{index}]"
            option = self.mapping(value, option_path, line)
            if option is None:
                continue
            self.keys(option, option_path, required=("value",), optional=tuple(LANGUAGES))
            option_value = self.value(option, "value", option_path, _identifier)
            self.unique(seen, option_value, option, "value", option_path, "svarværdien")
            options.append(Option(option_value, self.texts(option, option_path)))
        return tuple(options)

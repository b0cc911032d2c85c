"""Survey definitions as data: the files in surveys/, their schema and their validation."""

from trivsel.surveys.definitions import (
    LIKERT_LABELS,
    QUESTION_TYPES,
    WHO5_ITEMS,
    WHO5_LABELS,
    DefinitionError,
    DefinitionProblem,
    Item,
    Option,
    Section,
    Survey,
    Text,
    check_directory,
    definition_files,
    load_all,
    load_survey,
)

__all__ = [
    "LIKERT_LABELS",
    "QUESTION_TYPES",
    "WHO5_ITEMS",
    "WHO5_LABELS",
    "DefinitionError",
    "DefinitionProblem",
    "Item",
    "Option",
    "Section",
    "Survey",
    "Text",
    "check_directory",
    "definition_files",
    "load_all",
    "load_survey",
]

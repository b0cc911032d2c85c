"""The languages a survey can be answered in, and the review status of a translation."""

from __future__ import annotations

# Each language by its own name, as the respondent's language picker shows it. Danish comes first: it is the
# source every other text is translated from, and the fallback for a text that has no translation.
LANGUAGES = {"da": "Dansk", "en": "English", "ar": "العربية", "pl": "Polski", "uk": "Українська"}
SOURCE = "da"
TRANSLATED = tuple(code for code in LANGUAGES if code != SOURCE)
# The Danish names, for the konsulent's pages and the translation sheet.
DANISH_NAMES = {"da": "Dansk", "en": "Engelsk", "ar": "Arabisk", "pl": "Polsk", "uk": "Ukrainsk"}
RIGHT_TO_LEFT = frozenset({"ar"})

# How far a translation has been checked, from least to most. The konsulent sees it per survey and language.
STATUSES = {
    "maskinoversat": "Maskinoversat, ikke gennemlæst af en oversætter",
    "udkast": "Skrevet af en person, ikke gennemlæst",
    "gennemlæst": "Gennemlæst af en oversætter eller en, der har sproget som modersmål",
    "valideret": "Den publicerede, validerede ordlyd",
}

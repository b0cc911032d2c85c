"""Survey definitions: the shipped files are valid and say what the domain brief asks, and
every kind of broken file is reported with file, line, key path and a Danish reason."""

from collections import defaultdict
from pathlib import Path

import pytest

from trivsel.surveys import (
    LIKERT_LABELS,
    WHO5_ITEMS,
    WHO5_LABELS,
    DefinitionError,
    DefinitionProblem,
    check_directory,
    definition_files,
    load_all,
    load_survey,
)

SURVEYS = Path(__file__).parents[1] / "surveys"
BAD = Path(__file__).parent / "surveys_bad"

# The official Danish WHO-5, word for word from the domain brief (shared/docs/domain.md).
WHO5_DA = [
    "I de sidste 2 uger har jeg været glad og i godt humør",
    "I de sidste 2 uger har jeg følt mig rolig og afslappet",
    "I de sidste 2 uger har jeg følt mig aktiv og energisk",
    "I de sidste 2 uger er jeg vågnet frisk og udhvilet",
    "I de sidste 2 uger har min dagligdag været fyldt med ting, der interesserer mig",
]
WHO5_LABELS_DA = {
    5: "Hele tiden",
    4: "Det meste af tiden",
    3: "Lidt mere end halvdelen af tiden",
    2: "Lidt mindre end halvdelen af tiden",
    1: "Lidt af tiden",
    0: "På intet tidspunkt",
}

# Trends compare rounds item by item, so a renamed id silently breaks them. Add ids, never rename.
TRIVSEL_ITEM_IDS = [
    "who5_1",
    "who5_2",
    "who5_3",
    "who5_4",
    "who5_5",
    "arb_tid",
    "arb_naar_ikke",
    "arb_tempo",
    "indf_tilrettelaegge",
    "indf_hoert",
    "indf_ideer",
    "mening_forskel",
    "mening_lyst",
    "mening_stolt",
    "rolle_forventninger",
    "rolle_ansvar",
    "rolle_modstridende",
    "ledelse_tillid",
    "ledelse_tilgaengelig",
    "ledelse_retfaerdig",
    "ledelse_information",
    "faell_hjaelp",
    "faell_del",
    "faell_tone",
    "aner_leder",
    "aner_kolleger",
    "aner_overset",
    "krav_belastende",
    "krav_konflikter",
    "krav_stoette",
    "udv_laere",
    "udv_faglighed",
    "udv_sparring",
    "balance_energi",
    "balance_vagter",
    "balance_livsfase",
    "enps",
    "stay",
    "comment",
]
TRIVSEL_DIMENSIONS = [
    "arbejdsmaengde",
    "indflydelse",
    "mening",
    "rolleklarhed",
    "ledelse",
    "faellesskab",
    "anerkendelse",
    "foelelsesmaessige_krav",
    "faglig_udvikling",
    "balance",
]


@pytest.fixture(scope="module")
def surveys():
    return load_all(SURVEYS)


def test_every_shipped_definition_is_valid(surveys):
    assert check_directory(SURVEYS) == []
    assert sorted(surveys) == [
        "apv",
        "exit",
        "leader_mentor",
        "leader_onboarding",
        "new_employee_3m",
        "placement",
        "supervision_request",
        "trivsel",
    ]
    assert len(definition_files(SURVEYS)) == 8


def test_who5_has_the_exact_danish_wording_and_answer_labels(surveys):
    items = [surveys["trivsel"].item(item_id) for item_id in WHO5_ITEMS]
    assert [i.text.da for i in items] == WHO5_DA
    assert all(i.type == "who5" and i.required and i.value_range == (0, 5) for i in items)
    assert {value: label.da for value, label in WHO5_LABELS.items()} == WHO5_LABELS_DA


def test_trivsel_item_ids_are_unique_and_stable(surveys):
    ids = [i.id for i in surveys["trivsel"].items]
    assert ids == TRIVSEL_ITEM_IDS
    assert len(set(ids)) == len(ids)


def test_trivsel_dimensions_enps_stay_and_comment(surveys):
    survey = surveys["trivsel"]
    assert survey.anonymous
    assert list(survey.dimensions) == TRIVSEL_DIMENSIONS
    for dimension in TRIVSEL_DIMENSIONS:
        assert 2 <= len(survey.dimension_items(dimension)) <= 4
    assert survey.item("arb_naar_ikke").reverse
    assert survey.item("arb_naar_ikke").text.da == "Jeg når ikke mine opgaver i løbet af min arbejdstid"
    assert sum(i.reverse for i in survey.items) >= 5

    enps = survey.item("enps")
    assert (enps.type, enps.value_range) == ("scale0_10", (0, 10))
    assert enps.text.da == "Hvor sandsynligt er det, at du vil anbefale din arbejdsplads til en ven?"
    stay = survey.item("stay")
    assert (stay.type, stay.dimension, stay.text.da) == ("likert5", None, "Jeg forventer at arbejde her om et år")
    comment = survey.item("comment")
    assert (comment.type, comment.max_length, comment.required) == ("free_text", 1000, False)
    assert [label.da for label in LIKERT_LABELS.values()] == [
        "I meget høj grad",
        "I høj grad",
        "Delvist",
        "I ringe grad",
        "I meget ringe grad",
    ]


def test_other_surveys(surveys):
    assert all(surveys[s].anonymous for s in ("exit", "new_employee_3m", "placement"))
    assert surveys["exit"].item("exit_reasons").type == "multiple_choice"
    assert {"introduktion", "mentor"} <= set(surveys["new_employee_3m"].dimensions)

    request = surveys["supervision_request"]
    assert not request.anonymous
    assert [i.id for i in request.items] == [
        "contact_name",
        "contact",
        "role",
        "group_size",
        "topic",
        "description",
        "urgency",
        "leader_knows",
        "weekdays",
        "times",
    ]
    assert [o.label.da for o in request.item("topic").options] == [
        "Samarbejde i teamet",
        "Svære borger- eller pårørendeforløb",
        "Følelsesmæssige belastninger",
        "Faglig sparring",
        "Andet",
    ]
    assert [o.value for o in request.item("role").options] == ["medarbejder", "leder"]
    assert request.item("group_size").value_range == (1, 30)
    assert request.item("description").max_length == 500
    assert request.item("weekdays").type == "multiple_choice"
    assert all(i.required for i in request.items if i.id not in ("weekdays", "times"))


# file -> every problem it must produce: (line, key, reason)
EXPECTED = {
    "bad_id.yaml": [
        (
            10,
            "sections[0].items[0].id",
            "ugyldigt id 'Trivsel-1': brug kun a-z, 0-9 og _, og start med et lille bogstav",
        )
    ],
    "choice_without_options.yaml": [
        (10, "sections[0].items[0].options", "påkrævet for spørgsmål af typen single_choice")
    ],
    "duplicate_item_ids.yaml": [
        (16, "sections[1].items[0].id", "spørgsmåls-id'et 'q1' er allerede brugt i sections[0].items[0]")
    ],
    "duplicate_option_values.yaml": [
        (
            15,
            "sections[0].items[0].options[1].value",
            "svarværdien 'ja' er allerede brugt i sections[0].items[0].options[0]",
        )
    ],
    "duplicate_yaml_key.yaml": [(12, "sections[0].items[0].type", "nøglen står to gange")],
    "empty.yaml": [(None, None, "filen er tom")],
    "max_length_zero.yaml": [(12, "sections[0].items[0].max_length", "skal være et helt tal mellem 1 og 2000")],
    "missing_danish.yaml": [(13, "sections[0].items[0].text.da", "mangler dansk tekst")],
    "number_range.yaml": [(13, "sections[0].items[0].max", "max skal være større end min")],
    "reserved_id.yaml": [(11, "sections[0].items[0].type", "id'et 'enps' er forbeholdt spørgsmål af typen scale0_10")],
    "reverse_on_non_likert.yaml": [
        (12, "sections[0].items[0].reverse", "'reverse' er kun tilladt for spørgsmål af typen likert5")
    ],
    "reverse_without_dimension.yaml": [
        (12, "sections[0].items[0].reverse", "reverse virker kun for et spørgsmål i en dimension")
    ],
    "small_dimension.yaml": [(7, "dimensions.mening", "dimensionen har 1 spørgsmål; den skal have mindst 2")],
    "syntax_error.yaml": [
        (5, None, ("ugyldig YAML: expected ',' or '}', but got ':' (i det, der begynder i linje 4)"))
    ],
    "unknown_dimension.yaml": [
        (22, "sections[0].items[2].dimension", "dimensionen 'ledelsen' er ikke defineret under dimensions")
    ],
    "unknown_key.yaml": [
        (1, "title", "påkrævet nøgle mangler"),
        (
            4,
            "titel",
            (
                "ukendt nøgle 'titel' (tilladt: id, version, anonymous, title, intro, sections, dimensions, "
                "translations)"
            ),
        ),
    ],
    "unknown_type.yaml": [
        (
            11,
            "sections[0].items[0].type",
            (
                "ukendt spørgsmålstype 'slider' (tilladt: likert5, who5, scale0_10, number, "
                "single_choice, multiple_choice, free_text)"
            ),
        )
    ],
    "translation_without_status.yaml": [
        (6, "translations.pl", "sproget 'pl' bruges i teksterne, men har ingen status under translations")
    ],
    "translation_bad_status.yaml": [
        (
            7,
            "translations.ar.status",
            "ukendt status 'oversat' (tilladt: maskinoversat, udkast, gennemlæst, valideret)",
        ),
        (8, "translations.da", "dansk er kildesproget og har ingen oversættelsesstatus"),
    ],
    "unknown_language.yaml": [
        (14, "sections[0].items[0].text.fr", "ukendt nøgle 'fr' (tilladt: da, en, ar, pl, uk)"),
    ],
    "who5_incomplete.yaml": [(6, "sections", "WHO-5 skal have alle fem spørgsmål; mangler who5_5")],
    "wrong_types.yaml": [
        (2, "version", "skal være et helt tal"),
        (3, "anonymous", "skal være true eller false"),
        (12, "sections[0].items[0].required", "skal være true eller false"),
    ],
}


@pytest.fixture(scope="module")
def bad_problems() -> dict[str, list[DefinitionProblem]]:
    by_file = defaultdict(list)
    for problem in check_directory(BAD):
        by_file[problem.file].append(problem)
    return by_file


@pytest.mark.parametrize("file", sorted(EXPECTED))
def test_a_bad_definition_is_reported_with_line_key_and_reason(bad_problems, file):
    assert [(p.line, p.key, p.reason) for p in bad_problems[file]] == EXPECTED[file]


def test_every_bad_file_has_its_expectation():
    assert sorted(p.name for p in definition_files(BAD)) == sorted(EXPECTED)


def test_a_problem_reads_as_file_line_key_reason(bad_problems):
    assert str(bad_problems["unknown_type.yaml"][0]) == (
        "unknown_type.yaml:11 sections[0].items[0].type: ukendt spørgsmålstype 'slider' (tilladt: "
        "likert5, who5, scale0_10, number, single_choice, multiple_choice, free_text)"
    )
    assert str(bad_problems["empty.yaml"][0]) == "empty.yaml: filen er tom"


def test_load_survey_refuses_a_bad_file_with_all_its_problems():
    with pytest.raises(DefinitionError) as raised:
        load_survey(BAD / "wrong_types.yaml")
    assert [p.key for p in raised.value.problems] == ["version", "anonymous", "sections[0].items[0].required"]
    assert "3 fejl" in str(raised.value)


def test_load_all_refuses_the_same_survey_id_in_two_files(tmp_path):
    text = (SURVEYS / "exit.yaml").read_text(encoding="utf-8")
    (tmp_path / "exit.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "exit_copy.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as raised:
        load_all(tmp_path)
    assert [str(p) for p in raised.value.problems] == ["exit_copy.yaml id: id'et 'exit' bruges også i exit.yaml"]


def test_a_missing_or_empty_directory_is_a_problem_not_a_crash(tmp_path):
    assert [p.reason for p in check_directory(tmp_path / "findes_ikke")] == ["mappen findes ikke"]
    assert [p.reason for p in check_directory(tmp_path)] == ["mappen har ingen .yaml-filer"]


def test_english_is_optional_and_falls_back_to_danish(tmp_path):
    path = tmp_path / "kort.yaml"
    path.write_text(
        "id: kort\nversion: 2\nanonymous: false\ntitle: {da: Kort}\nintro: {da: Indledning}\n"
        "sections:\n  - id: a\n    title: {da: A}\n    items:\n"
        "      - {id: antal, type: number, min: 0, max: 9, text: {da: Antal}}\n",
        encoding="utf-8",
    )
    survey = load_survey(path)
    assert (survey.version, survey.anonymous, survey.title.get("en")) == (2, False, "Kort")
    assert survey.item("antal").value_range == (0, 9)


def test_the_trivsel_survey_is_answered_in_five_languages_and_the_others_in_danish_and_english(surveys):
    assert surveys["trivsel"].languages == ("da", "en", "ar", "pl", "uk")
    for survey_id in ("exit", "new_employee_3m", "placement", "supervision_request"):
        assert surveys[survey_id].languages == ("da", "en"), survey_id
    who5 = surveys["trivsel"].item("who5_1").text
    assert who5.get("ar") != who5.da and who5.get("uk") != who5.get("pl") != who5.da


def test_every_translation_has_a_review_status_and_who5_is_marked_unvalidated_outside_danish_and_english(surveys):
    translations = surveys["trivsel"].translations
    assert sorted(translations) == ["ar", "en", "pl", "uk"]
    for language in ("ar", "pl", "uk"):
        assert translations[language].status == "maskinoversat"
        assert "WHO-5" in translations[language].note and "ikke den validerede" in translations[language].note
    for survey in surveys.values():
        assert set(survey.translations) == set(survey.languages) - {"da"}, survey.id


def test_a_language_with_only_some_texts_falls_back_to_danish_and_is_not_offered(tmp_path):
    path = tmp_path / "delvis.yaml"
    path.write_text(
        "id: delvis\nversion: 1\nanonymous: true\ntitle: {da: Kort, pl: Krótka}\nintro: {da: Indledning}\n"
        "translations: {pl: {status: udkast}}\n"
        "sections:\n  - id: a\n    title: {da: A, pl: A}\n    items:\n"
        "      - {id: antal, type: number, min: 0, max: 9, text: {da: Antal, pl: Liczba}}\n",
        encoding="utf-8",
    )
    survey = load_survey(path)
    assert survey.languages == ("da",)  # the intro has no Polish
    assert (survey.title.get("pl"), survey.intro.get("pl"), survey.title.get("ar")) == ("Krótka", "Indledning", "Kort")
    assert survey.translations["pl"].status == "udkast" and survey.translations["pl"].note is None

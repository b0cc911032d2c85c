"""The translation workflow: a survey's texts out to a spreadsheet, and the translator's sheet back into the
definition file, refused whole with row, column and a Danish reason when any row is wrong."""

import io
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from trivsel.imports import ImportRejected
from trivsel.surveys import load_survey
from trivsel.surveys.translations import HEADINGS, export_xlsx, import_xlsx

SURVEYS = Path(__file__).parents[1] / "surveys"


@pytest.fixture
def exit_file(tmp_path) -> Path:
    """A copy of the exit survey, which ships in Danish and English only."""
    path = tmp_path / "exit.yaml"
    shutil.copy(SURVEYS / "exit.yaml", path)
    return path


def sheet_of(path: Path):
    return load_workbook(io.BytesIO(export_xlsx(path))).active


def filled(path: Path, code: str = "pl", status: str | None = "udkast", **cells) -> bytes:
    """The exported sheet with every text of `code` filled in ("PL: <Danish>"), then the given cells by
    (key, code) changed; a value of None empties the cell."""
    sheet = sheet_of(path)
    column = list(HEADINGS).index(code) + 2
    for row in sheet.iter_rows(min_row=2):
        key, danish = row[0].value, row[1].value
        if key == "translations.status":
            row[column - 1].value = status
        elif key != "translations.note":
            row[column - 1].value = f"{code.upper()}: {danish}"
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    for name, value in cells.items():
        key, language = name.rsplit("__", 1)
        rows[key.replace("__", ".")][list(HEADINGS).index(language) + 1].value = value
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    return buffer.getvalue()


def problems(path: Path, data: bytes) -> list[str]:
    before = path.read_bytes()
    with pytest.raises(ImportRejected) as refused:
        import_xlsx(path, data)
    assert path.read_bytes() == before  # nothing written
    return [str(p) for p in refused.value.problems]


def test_the_export_has_one_row_per_text_a_danish_frozen_header_and_stable_keys():
    sheet = sheet_of(SURVEYS / "trivsel.yaml")
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Nøgle", "Dansk (da)", "Engelsk (en)", "Arabisk (ar)", "Polsk (pl)", "Ukrainsk (uk)")
    assert sheet.freeze_panes == "B2"
    assert rows[1] == ("translations.status", None, "udkast", "maskinoversat", "maskinoversat", "maskinoversat")
    by_key = {row[0]: row for row in rows[3:]}
    assert len(by_key) == len(rows) - 3 == len(load_survey(SURVEYS / "trivsel.yaml").texts)
    who5 = by_key["sections.velbefindende.items.who5_1.text"]
    assert who5[1] == "I de sidste 2 uger har jeg været glad og i godt humør"
    assert who5[3] == "خلال الأسبوعين الماضيين شعرت بالبهجة والمزاج الجيد"
    assert "dimensions.ledelse" in by_key and "title" in by_key and "intro" in by_key
    options = sheet_of(SURVEYS / "exit.yaml")
    keys = [row[0] for row in options.iter_rows(values_only=True)]
    assert "sections.fratraedelsen.items.exit_initiative.options.pension" in keys


def test_an_unchanged_sheet_leaves_the_file_as_it_was(tmp_path):
    path = tmp_path / "trivsel.yaml"
    shutil.copy(SURVEYS / "trivsel.yaml", path)
    result = import_xlsx(path, export_xlsx(path))
    assert result.changed == 0
    assert path.read_bytes() == (SURVEYS / "trivsel.yaml").read_bytes()


def test_a_translated_sheet_adds_the_language_with_its_status_and_keeps_the_comments(exit_file):
    assert load_survey(exit_file).languages == ("da", "en")
    result = import_xlsx(exit_file, filled(exit_file, "pl", "gennemlæst"))
    assert result.languages == ("en", "pl") and result.changed == len(load_survey(exit_file).texts)
    survey = load_survey(exit_file)
    assert survey.languages == ("da", "en", "pl")
    assert survey.translations["pl"].status == "gennemlæst"
    assert survey.title.get("pl") == "PL: Spørgeskema ved fratrædelse"
    assert survey.item("exit_initiative").options[0].label.get("pl") == "PL: Jeg har selv sagt op"
    text = exit_file.read_text(encoding="utf-8")
    assert text.startswith("# Exit survey (fratrædelse). Anonymous on purpose")
    assert "# How far each translation has been checked" in text


def test_a_language_missing_one_text_is_refused_with_row_and_column(exit_file):
    key = "sections.fratraedelsen.items.exit_initiative.text"
    data = filled(exit_file, "pl", **{key.replace(".", "__") + "__pl": None})
    row = [r[0].value for r in sheet_of(exit_file).iter_rows()].index(key) + 1
    assert problems(exit_file, data) == [
        f"Række {row}, kolonne Polsk (pl): mangler oversættelse: sproget skal have alle tekster"
    ]


def test_placeholders_and_markup_must_stay_as_in_the_danish_text(tmp_path):
    path = tmp_path / "kort.yaml"
    path.write_text(
        "id: kort\nversion: 1\nanonymous: true\ntitle: {da: Kort}\n"
        "intro: {da: 'Vises for grupper med mindst {threshold} svar, se <b>privatliv</b>'}\n"
        "sections:\n  - id: a\n    title: {da: A}\n    items:\n"
        "      - {id: antal, type: number, min: 0, max: 9, text: {da: Antal}}\n",
        encoding="utf-8",
    )
    data = filled(path, "uk", intro__uk="Показано для груп від {поріг} відповідей, див. приватність")
    assert problems(path, data) == [
        (
            "Række 5, kolonne Ukrainsk (uk): pladsholdere og opmærkning skal stå som i den danske tekst "
            "(mangler {threshold}, <b>, </b>; har ekstra {поріг})"
        )
    ]
    import_xlsx(path, filled(path, "uk", intro__uk="Для груп від {threshold} відповідей, див. <b>приватність</b>"))
    assert load_survey(path).intro.get("uk") == "Для груп від {threshold} відповідей, див. <b>приватність</b>"


def test_unknown_keys_and_columns_a_changed_danish_text_and_a_bad_status_are_refused(exit_file):
    sheet = sheet_of(exit_file)
    sheet.append(["sections.fratraedelsen.items.opfundet.text", "Opfundet", None, None, "Wymyślone"])
    sheet.cell(1, 7).value = "Fransk (fr)"
    sheet.cell(4, 2).value = "Et nyt dansk navn"
    sheet.cell(2, 5).value = "oversat"
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    assert problems(exit_file, buffer.getvalue()) == [
        (
            "Række 1, kolonne Fransk (fr): ukendt kolonne (tilladt: Dansk (da), Engelsk (en), Arabisk (ar), "
            "Polsk (pl), Ukrainsk (uk))"
        )
    ]
    sheet.cell(1, 7).value = None
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    found = problems(exit_file, buffer.getvalue())
    last = sheet.max_row
    assert (
        "Række 2, kolonne Polsk (pl): ukendt status 'oversat' (tilladt: maskinoversat, udkast, gennemlæst, valideret)"
    ) in found
    assert (
        "Række 4, kolonne Dansk (da): den danske tekst er ændret; dansk er kilden og rettes ikke her, "
        "kun oversættelserne"
    ) in found
    assert (
        f"Række {last}, kolonne Nøgle: ukendt nøgle 'sections.fratraedelsen.items.opfundet.text'; nøglerne skal "
        "stå som i den eksporterede fil"
    ) in found


def test_a_new_language_needs_a_status(exit_file):
    found = problems(exit_file, filled(exit_file, "ar", status=None))
    assert found == ["Række 2, kolonne Arabisk (ar): angiv status i rækken 'translations.status'"]


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_danish(exit_file):
    assert problems(exit_file, b"not a zip") == ["Excel-filen kan ikke åbnes (BadZipFile)."]
    book = Workbook()
    book.active.append(["Key", "Danish"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert problems(exit_file, buffer.getvalue()) == [
        "Række 1: kolonnen 'Dansk (da)' mangler",
        "Række 1, kolonne A: første kolonne skal hedde 'Nøgle'",
        (
            "Række 1, kolonne Danish: ukendt kolonne (tilladt: Dansk (da), Engelsk (en), Arabisk (ar), "
            "Polsk (pl), Ukrainsk (uk))"
        ),
    ]


def test_the_konsulent_sees_each_language_with_its_status_on_maalinger(demo_db, demo_store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from trivsel import auth
    from trivsel.ui.session import TOKEN_KEY

    monkeypatch.setenv("TRIVSEL_DB", str(demo_db))
    at = AppTest.from_file(str(Path(__file__).parents[1] / "app.py"), default_timeout=60)
    at.session_state[TOKEN_KEY] = auth.start_session(demo_store, "konsulent")
    at.switch_page("pages/rounds.py")
    at.run()
    assert "Spørgeskemaer og sprog" in [e.label for e in at.expander]
    table = next(d.value for d in at.dataframe if "Sprog" in d.value.columns)
    assert table.to_dict("list") == {
        "Sprog": ["Dansk", "Engelsk", "Arabisk", "Polsk", "Ukrainsk"],
        "Status": ["kildesprog", "udkast", "maskinoversat", "maskinoversat", "maskinoversat"],
        "Note": [
            "",
            "WHO-5 følger den publicerede engelske ordlyd",
            *(
                f"WHO-5 er ikke den validerede {name} version; teksten og svarskalaen er oversat af os"
                for name in ("arabiske", "polske", "ukrainske")
            ),
        ],
        "Tilbydes": ["Ja"] * 5,
    }
    at.selectbox(key="translation_survey").select("exit").run()
    table = next(d.value for d in at.dataframe if "Sprog" in d.value.columns)
    assert table["Sprog"].tolist() == ["Dansk", "Engelsk"]
    assert "Hent teksterne til oversætteren (Excel)" in [b.label for b in at.get("download_button")]

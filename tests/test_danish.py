"""Danish everywhere (issue 17, item 6): month names, decimal commas, dd-mm-yyyy, Excel files for people and
an audit log in words."""

import ast
import json
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from trivsel import audit, exports, retention
from trivsel.supervision import queue
from trivsel.ui import figures, tables
from trivsel.views import absence, supervision, surveys

ROOT = Path(__file__).parents[1]


def test_months_read_as_danes_write_them():
    assert [figures.danish_month(date(2022, m, 1)) for m in (1, 5, 7, 9, 12)] == [
        "jan. 2022",
        "maj 2022",
        "jul. 2022",
        "sep. 2022",
        "dec. 2022",
    ]
    assert figures.danish_month("2025-03", short=False) == "marts 2025"
    assert figures.danish_month(pd.Timestamp("2024-02-29"), short=False) == "februar 2024"


def test_numbers_have_decimal_commas_and_changes_their_sign():
    assert figures.danish_number(1234.56, 1) == "1\u2009234,6"
    assert figures.danish_number(0.641, 2) == "0,64"
    assert figures.danish_number(-0.04, 1) == "0,0"  # never "-0,0"
    assert figures.signed_number(0.7, 1) == "+0,7"
    assert figures.signed_number(-1.26, 1) == "-1,3"
    assert figures.signed_number(0.0, 1) == "+0,0"


def test_dates_are_day_month_year():
    assert figures.danish_date(date(2025, 3, 5)) == "05-03-2025"
    assert figures.danish_date(pd.Timestamp("2025-12-31 14:00")) == "31-12-2025"
    assert figures.danish_date(None) == figures.danish_date(pd.NaT) == ""


def monthly_chart(first: str, months: int) -> go.Figure:
    chart = go.Figure()
    chart.add_scatter(x=pd.date_range(first, periods=months, freq="MS").date, y=[6.5] * months, name="Enhed")
    return chart


def test_a_month_axis_has_danish_ticks_and_hover():
    chart = figures.danish_dates(monthly_chart("2022-07-01", 53), "%{y:.1f} %")  # jul. 2022 to nov. 2026
    axis = chart.layout.xaxis
    assert axis.ticktext[:3] == ("jul. 2022", "jan. 2023", "jul. 2023") and axis.ticktext[-1] == "jul. 2026"
    assert axis.tickvals[0] == "2022-07-01" and len(axis.tickvals) <= 12
    trace = chart.data[0]
    assert trace.customdata[0] == "juli 2022" and trace.customdata[-1] == "november 2026"
    assert trace.hovertemplate == "%{customdata}: %{y:.1f} %"

    short = figures.danish_dates(monthly_chart("2025-11-01", 4))
    assert short.layout.xaxis.ticktext == ("nov. 2025", "dec. 2025", "jan. 2026", "feb. 2026")


def test_every_chart_is_drawn_through_the_danish_helper():
    """separators=",." and Plotly's toolbar in Danish come from figures.plotly_chart; a page that draws a chart
    itself gets neither."""
    drawn_directly = [
        f"{path.name}:{number}"
        for path in sorted((ROOT / "pages").glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "st.plotly_chart(" in line or "separators=" in line
    ]
    assert drawn_directly == []
    assert figures.PLOTLY_CONFIG["locales"]["da"]["dictionary"]["Reset axes"] == "Nulstil akserne"


def show_tables():
    from datetime import date, datetime  # AppTest runs this function's source on its own

    import pandas as pd

    from trivsel.ui import figures

    figures.dataframe(
        pd.DataFrame(
            {
                "Hvornår": [date(2025, 3, 5), None],
                "Opdateret": [datetime(2025, 3, 5, 14, 30)] * 2,
                "Hvem": ["Anne", None],
                "Årsværk": [5.93, None],
            }
        ),
        decimals=1,
    )
    figures.dataframe(pd.DataFrame({"Hvad": []}), empty="Der er ingen aftaler endnu.")


def test_tables_show_danish_dates_numbers_and_no_none_or_empty():
    at = AppTest.from_function(show_tables).run()
    assert not at.exception
    table = at.dataframe[0]
    config = json.loads(table.proto.columns)
    assert config["Hvornår"]["type_config"]["format"] == "DD-MM-YYYY"
    assert config["Opdateret"]["type_config"]["format"] == "DD-MM-YYYY HH:mm"
    assert table.proto.placeholder == "–"
    assert table.value["Årsværk"].tolist() == ["5,9", "–"]
    assert len(at.dataframe) == 1 and at.info[0].value.replace("\\", "") == "Der er ingen aftaler endnu."


def workbook(sheets: dict[str, pd.DataFrame]):
    return load_workbook(BytesIO(exports.to_xlsx(sheets)))


def test_xlsx_files_are_for_people():
    frame = pd.DataFrame(
        {
            "unit_id": ["SO-PC-SOL", "V"],
            "unit_name": ["Plejecenter Solgården", "Velfærdsområdet"],
            "period_start": ["2025-01-01", "2025-01-01"],
            "opens_on": [date(2025, 3, 1), None],
            "updated_on": pd.to_datetime(["2025-03-05", "2025-03-06"]),
            "logged": pd.to_datetime(["2025-03-05 14:30", "2025-03-06 09:00"]),
            "is_baseline": [True, False],
            "suppressed": ["false", "true"],
            "score": [61.5, None],
        }
    )
    sheet = workbook({"Data": frame})["Data"]
    assert [c.value for c in sheet[1]] == [
        "Enheds-id",
        "Enhed",
        "Periode fra",
        "Runden åbnede",
        "Opdateret",
        "logged",
        "Basisrunde",
        "Skjult",
        "Score",
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == len("Plejecenter Solgården") + 2
    assert sheet.column_dimensions["A"].width == len("SO-PC-SOL") + 2
    for column in "CDE":
        cell = sheet[f"{column}2"]
        assert (
            cell.is_date
            and cell.number_format == "DD-MM-YYYY"
            and cell.value.date() == (date(2025, 1, 1), date(2025, 3, 1), date(2025, 3, 5))["CDE".index(column)]
        )
    assert sheet["F2"].is_date and sheet["F2"].number_format == "DD-MM-YYYY HH:MM"
    assert sheet["F2"].value == datetime(2025, 3, 5, 14, 30)
    assert [sheet["G2"].value, sheet["G3"].value, sheet["H2"].value, sheet["H3"].value] == ["Ja", "Nej", "Nej", "Ja"]
    assert sheet["D3"].value is None and sheet["I2"].value == 61.5


def test_csv_keeps_the_documented_names_and_values():
    frame = pd.DataFrame({"unit_id": ["V"], "period_start": ["2025-01-01"], "suppressed": ["true"], "score": [61.5]})
    assert exports.to_csv(frame).decode("utf-8-sig").splitlines() == [
        "unit_id;period_start;suppressed;score",
        "V;2025-01-01;true;61,5",
    ]


def test_every_export_column_has_a_danish_heading():
    written = {*absence.export_columns(), *supervision.EXPORT_COLUMNS, *surveys.EXPORT_COLUMNS}
    assert {c for c in written if exports.heading(c) == c} == set()


def test_definitions_name_the_excel_headings():
    sheet = workbook(
        {
            "Definitioner": exports.definitions(
                [("persons", "Antal personer."), (("reached_day5", "reached_day14"), "Nåede dagen.")]
            )
        }
    )["Definitioner"]
    assert list(sheet.values) == [
        ("Kolonne", "Navn i CSV-filen", "Betydning"),
        ("Personer", "persons", "Antal personer."),
        ("Nåede dag 5, Nåede dag 14", "reached_day5, reached_day14", "Nåede dagen."),
    ]


# --- the audit log in words ------------------------------------------------------------------------------


def _calls(tree: ast.AST, names: set[str]):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in names:
                yield node


def _argument(call: ast.Call, position: int, keyword: str):
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _values_of_parameter(tree: ast.Module, call: ast.Call, name: str) -> list[str]:
    """The texts passed for parameter `name` of the function around `call`, from that module's calls to it."""
    function = next(
        f
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef) and call in ast.walk(f) and name in [a.arg for a in f.args.args]
    )
    position = [a.arg for a in function.args.args].index(name)
    return [_argument(c, position, name).value for c in _calls(tree, {function.name})]


def recorded() -> tuple[set[str], set[str], set[str]]:
    """Every action, details key and exported `what` the code can write to the audit log, read from the code."""
    found, keys, whats = set(), set(), set()
    for path in sorted((ROOT / "src" / "trivsel").rglob("*.py")) + sorted((ROOT / "pages").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in _calls(tree, {"record"}):
            if not (
                path.name == "audit.py"
                or getattr(call.func, "value", None) is not None
                and getattr(call.func.value, "id", "") == "audit"
            ):
                continue
            action = call.args[2]
            if isinstance(action, ast.Constant):
                found.add(action.value)
            elif isinstance(action, ast.Name):
                found.update(_values_of_parameter(tree, call, action.id))
            elif isinstance(action, ast.JoinedStr) and ast.unparse(action) == "f'supervision_{kind}'":
                found.update(f"supervision_{kind}" for kind in queue.ACTIONS)
            else:
                pytest.fail(f"{path.name}:{call.lineno}: teach this test the actions of {ast.unparse(action)}")
            keys.update(k.arg for k in call.keywords if k.arg not in (None, "what", "parameters", "rows"))
            if any(k.arg is None for k in call.keywords):  # the retention run: one count per dataset
                keys.update(rule.dataset for rule in retention.RULES)
        for call in _calls(tree, {"download_buttons", "audited_download", "_write_export", "record_export"}):
            what = _argument(call, 2, "what")
            if isinstance(what, ast.Constant):
                whats.add(what.value)
            parameters = _argument(call, 3, "parameters")
            if isinstance(parameters, ast.Dict):
                keys.update(k.value for k in parameters.keys if isinstance(k, ast.Constant))
    return found, keys, whats


def test_every_recorded_action_has_a_danish_name():
    actions, keys, whats = recorded()
    assert {"export", "user_deleted", "supervision_declined", "round_created", "retention_run"} <= actions
    assert sorted(actions - audit.ACTIONS.keys()) == []
    assert sorted(keys - tables.DETAIL_LABELS.keys()) == []
    assert {"unit_summary", "audit_log", "one_time_codes"} <= whats and sorted(whats - audit.EXPORTS.keys()) == []


def test_details_read_as_words():
    assert (
        tables.audit_details(
            "round_created",
            json.dumps(
                {"access": "link", "codes": 0, "label": "Forår 2025", "survey": "trivsel", "units": 12}, sort_keys=True
            ),
        )
        == "adgang: Enhedens link; engangskoder: 0; runde: Forår 2025; spørgeskema: trivsel; enheder: 12"
    )
    assert (
        tables.audit_details(
            "export",
            json.dumps(
                {
                    "parameters": {"from": "2025-01-01", "to": "2025-12-31", "actions": []},
                    "rows": 54,
                    "what": "unit_summary",
                }
            ),
        )
        == "hvad: Sygefravær pr. enhed; fra: 01-01-2025; til: 31-12-2025; handlinger: –; rækker: 54"
    )
    assert (
        tables.audit_details("role_changed", json.dumps({"old_role": "leder", "role": "admin", "unit_id": None}))
        == "tidligere rolle: Leder; rolle: Administrator; enhed: –"
    )
    assert tables.audit_details("import_units", '{"new": 3, "rows": 40}') == "nye enheder: 3; rækker: 40"
    assert tables.audit_details("backup", None) == ""

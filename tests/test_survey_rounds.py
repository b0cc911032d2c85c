"""Rounds, codes and anonymous answers: what staff are promised, tested against the store."""

import json
import re
import subprocess
import sys
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from conftest import snapshot
from trivsel import config, retention, settings
from trivsel.backup import backup
from trivsel.disclosure import PRIMARY
from trivsel.imports import ImportRejected
from trivsel.imports.responses import import_responses
from trivsel.surveys import actions, responses, rounds
from trivsel.surveys.definitions import load_all
from trivsel.views import surveys as views

TODAY = date(2026, 11, 23)
SURVEY_OF = load_all(config.surveys_dir())
SURVEY = SURVEY_OF["trivsel"]
TRIVSEL = str(Path(sys.executable).parent / "trivsel")


def full_answers(level: int = 4) -> dict:
    """Every required question answered (plus a comment)."""
    answers = {}
    for item in SURVEY.items:
        if item.type in ("who5", "likert5"):
            answers[item.id] = level
        elif item.type == "scale0_10":
            answers[item.id] = 9
    answers["comment"] = "Godt sammenhold"
    return answers


@pytest.fixture
def small_org(store):
    """V with two departments of 6 and 7 employees."""

    def work(cur):
        cur.executemany(
            "INSERT INTO units VALUES (?, ?, ?, '')",
            [("V", "Velfærdsområdet", None), ("A", "Afdeling A", "V"), ("B", "Afdeling B", "V")],
        )
        for i in range(13):
            unit = "A" if i < 6 else "B"
            cur.execute("INSERT INTO employees VALUES (?)", [f"E{i}"])
            cur.execute("INSERT INTO employments VALUES (?, ?, DATE '2020-01-01', NULL, 1, 'SSA')", [f"E{i}", unit])

    store.write(work)
    return store


def org_of(store, sizes: dict[str, int], parents: dict[str, str] | None = None) -> None:
    """Units under V ('Velfærdsområdet') with the given number of employees each; parents default to V."""
    parents = parents or {}

    def work(cur):
        cur.execute("INSERT INTO units VALUES ('V', 'Velfærdsområdet', NULL, '')")
        for unit, n in sizes.items():
            cur.execute("INSERT INTO units VALUES (?, ?, ?, '')", [unit, f"Enhed {unit}", parents.get(unit, "V")])
            for i in range(n):
                cur.execute("INSERT INTO employees VALUES (?)", [f"{unit}-{i}"])
                cur.execute(
                    "INSERT INTO employments VALUES (?, ?, DATE '2020-01-01', NULL, 1, 'SSA')", [f"{unit}-{i}", unit]
                )

    store.write(work)


def open_round(store, access="link", opens=TODAY - timedelta(days=1), closes=TODAY + timedelta(days=7), label="R1"):
    return rounds.create_round(store, SURVEY, label, opens, closes, ["A", "B"], access, "konsulent")


def test_code_round_makes_one_code_per_person_and_keeps_only_hashes(small_org):
    rnd, codes = open_round(small_org, "code")
    assert codes.groupby("unit_id").size().to_dict() == {"A": 6, "B": 7}
    assert codes["code"].str.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}").all()
    stored = {r[0] for r in small_org.query_all("SELECT code_hash FROM round_codes")}
    assert len(stored) == 13 and not any(code.replace("-", "") in h for code in codes["code"] for h in stored)
    assert responses.response_counts(small_org, rnd.round_id).set_index("unit_id")["persons_at_start"].to_dict() == {
        "A": 6,
        "B": 7,
    }


def test_code_can_be_used_once_and_resumed_before_that(small_org):
    rnd, codes = open_round(small_org, "code")
    code = codes.loc[codes["unit_id"] == "A", "code"].iloc[0]
    rounds.save_draft(small_org, code.lower().replace("-", " "), {"who5_1": 3})  # typed sloppily
    resumed_round, unit_id, draft = rounds.resolve_code(small_org, code, TODAY)
    assert (resumed_round.round_id, unit_id, draft) == (rnd.round_id, "A", {"who5_1": 3})
    rounds.submit(small_org, rnd, "A", SURVEY, full_answers(), TODAY, code=code)
    assert small_org.query_value("SELECT count(*) FROM code_drafts") == 0
    with pytest.raises(rounds.RoundError, match="allerede brugt"):
        rounds.resolve_code(small_org, code, TODAY)
    with pytest.raises(rounds.RoundError, match="allerede brugt"):
        rounds.submit(small_org, rnd, "A", SURVEY, full_answers(), TODAY, code=code)
    assert small_org.query_value("SELECT count(*) FROM survey_responses") == 1


def test_a_code_only_opens_its_own_unit(small_org):
    rnd, codes = open_round(small_org, "code")
    code_for_a = codes.loc[codes["unit_id"] == "A", "code"].iloc[0]
    with pytest.raises(rounds.RoundError, match="allerede brugt"):
        rounds.submit(small_org, rnd, "B", SURVEY, full_answers(), TODAY, code=code_for_a)
    assert small_org.query_value("SELECT count(*) FROM survey_responses") == 0


def test_closed_and_planned_rounds_refuse_answers(small_org):
    closed, _ = open_round(small_org, opens=TODAY - timedelta(days=20), closes=TODAY - timedelta(days=1), label="Gl")
    planned, _ = open_round(small_org, opens=TODAY + timedelta(days=3), closes=TODAY + timedelta(days=9), label="Ny")
    with pytest.raises(rounds.RoundError, match="lukket"):
        rounds.submit(small_org, closed, "A", SURVEY, full_answers(), TODAY)
    with pytest.raises(rounds.RoundError, match="åbner først"):
        rounds.submit(small_org, planned, "A", SURVEY, full_answers(), TODAY)
    assert rounds.open_link_rounds(small_org, "A", TODAY) == []


def test_a_unit_outside_the_round_cannot_answer(small_org):
    small_org.write(lambda cur: cur.execute("INSERT INTO units VALUES ('C', 'Afdeling C', 'V', '')"))
    rnd, _ = open_round(small_org)
    with pytest.raises(rounds.RoundError, match="ikke med i denne måling"):
        rounds.submit(small_org, rnd, "C", SURVEY, full_answers(), TODAY)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"who5_1": None}, "Spørgsmål 1 skal besvares"),
        ({"who5_1": 6}, "fra 0 til 5"),
        ({"enps": 11}, "fra 0 til 10"),
        ({"comment": "x" * 1001}, "højst være 1000 tegn"),
        ({"opfundet": 1}, "Ukendte spørgsmål"),
    ],
)
def test_invalid_answers_are_refused(small_org, change, message):
    rnd, _ = open_round(small_org)
    answers = {**full_answers(), **change}
    with pytest.raises(rounds.RoundError, match=message):
        rounds.submit(small_org, rnd, "A", SURVEY, {k: v for k, v in answers.items() if v is not None}, TODAY)


def test_answers_cannot_be_linked_to_a_code_or_a_person(small_org, tmp_path):
    """With full database access and a backup: no column, and no row order, ties an answer to a code,
    a time, a user or the order answers came in."""
    rnd, codes = open_round(small_org, "code")
    # Ten of the thirteen printed codes answer, in a known order, each with a comment naming its turn.
    for turn, code in enumerate(codes["code"].iloc[[7, 2, 11, 0, 5, 9, 1, 12, 4, 8]]):
        unit = codes.loc[codes["code"] == code, "unit_id"].iloc[0]
        rounds.submit(small_org, rnd, unit, SURVEY, {**full_answers(), "comment": f"svar {turn}"}, TODAY, code=code)
    columns = {
        t: [
            c[0]
            for c in small_org.query_all("SELECT column_name FROM information_schema.columns WHERE table_name = ?", [t])
        ]
        for t in ("survey_responses", "survey_answers")
    }
    assert columns == {
        "survey_responses": ["response_id", "round_id", "unit_id", "survey_version"],
        "survey_answers": ["response_id", "item_id", "value", "text"],
    }
    code_columns = [
        c[0]
        for c in small_org.query_all(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'round_codes'"
        )
    ]
    assert code_columns == ["code_hash", "round_id", "unit_id", "used"]  # a bare flag: no time, no order
    hashes = {r[0] for r in small_org.query_all("SELECT code_hash FROM round_codes")}
    stored_text = {str(v) for row in small_org.query_all("SELECT * FROM survey_answers") for v in row}
    stored_text |= {str(v) for row in small_org.query_all("SELECT * FROM survey_responses") for v in row}
    assert not hashes & stored_text
    arrived = [
        small_org.query_value("SELECT response_id FROM survey_answers WHERE text = ?", [f"svar {turn}"])
        for turn in range(10)
    ]
    # Random 128-bit ids, not a counter that would follow the order of submission.
    assert len(set(arrived)) == 10 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in arrived)
    assert arrived != sorted(arrived)  # 10 random ids come sorted once in 3.6 million rounds
    assert small_org.query_value("SELECT count(*) FROM code_drafts") == 0

    # A backup holds the answers and codes sorted by their random keys, whatever order they came in.
    backup(small_org, tmp_path / "kopi", actor="admin")
    backed_up = pq.read_table(tmp_path / "kopi" / "survey_responses.parquet").column("response_id").to_pylist()
    assert backed_up == sorted(arrived)
    answers = pq.read_table(tmp_path / "kopi" / "survey_answers.parquet").select(["response_id", "item_id"])
    answer_keys = list(zip(*(c.to_pylist() for c in answers.columns)))
    assert answer_keys == sorted(answer_keys) and list(dict.fromkeys(r for r, _ in answer_keys)) == sorted(arrived)
    stored_codes = pq.read_table(tmp_path / "kopi" / "round_codes.parquet").to_pydict()
    printed = [rounds.hash_code(c) for c in codes["code"]]
    assert stored_codes["code_hash"] == sorted(printed) != printed  # not the order of the printed list
    assert sum(stored_codes["used"]) == 10

    # The live tables are rewritten in the same order by the nightly retention run.
    retention.run(small_org, TODAY, actor="cli")
    assert [r for (r,) in small_org.query_all("SELECT response_id FROM survey_responses ORDER BY rowid")] == sorted(
        arrived
    )
    live_answers = small_org.query_all("SELECT response_id, item_id FROM survey_answers ORDER BY rowid")
    assert live_answers == sorted(live_answers) == answer_keys
    assert responses.response_counts(small_org, rnd.round_id).set_index("unit_id")["responses"].sum() == 10


AFTER_CLOSE = TODAY + timedelta(days=8)  # open_round closes a week after TODAY


def test_answers_show_only_once_the_unit_reaches_the_threshold(small_org):
    rnd, _ = open_round(small_org)
    for n in range(1, 6):
        rounds.submit(small_org, rnd, "A", SURVEY, full_answers(level=5), TODAY)
        table = views.summary(small_org, SURVEY, rnd, AFTER_CLOSE).table
        a = table[(table["unit_id"] == "A") & (table["measure"] == "who5")].iloc[0]
        assert bool(a["suppressed"]) == (n < 5), n
    assert a["score"] == 100.0 and a["respondents"] == 5
    # B has no answers; V equals A, which is fine: nothing small can be subtracted out.
    v = table[(table["unit_id"] == "V") & (table["measure"] == "who5")].iloc[0]
    assert not v["suppressed"] and v["score"] == 100.0


def test_the_admins_survey_threshold_hides_a_unit_the_default_would_show(store):
    # Both thresholds default to 5; a survey threshold of 7 must reach the results and the response
    # rates, while the absence threshold stays 5. A has 6 (hidden), B 7 (hidden too, or V minus C
    # would be A), C 8 (shown).
    org_of(store, {"A": 6, "B": 7, "C": 8})
    settings.set_value(store, "threshold.survey", 7, actor="admin")
    assert settings.get(store, "threshold.absence") == 5
    rnd, _ = rounds.create_round(store, SURVEY, "R1", TODAY, TODAY + timedelta(days=7), ["A", "B", "C"], "link", "k")
    for unit, answers in (("A", 6), ("B", 7), ("C", 8)):
        for _ in range(answers):
            rounds.submit(store, rnd, unit, SURVEY, full_answers(), TODAY)
    table = views.summary(store, SURVEY, rnd, AFTER_CLOSE).table
    who5 = table[table["measure"] == "who5"].set_index("unit_id")
    assert who5.loc["A", "suppression_reason"] == PRIMARY and pd.isna(who5.loc["A", "score"])
    assert not who5.loc["C", "suppressed"] and who5.loc["C", "respondents"] == 8
    rates = views.response_rates(store, rnd).table.set_index("unit_id")
    assert rates.loc["A", "suppression_reason"] == PRIMARY and pd.isna(rates.loc["A", "responses"])
    assert not rates.loc["C", "suppressed"] and rates.loc["C", "responses"] == 8


def test_comments_count_only_those_who_wrote_one(store):
    org_of(store, {"A": 12})
    rnd, _ = rounds.create_round(store, SURVEY, "R1", TODAY, TODAY + timedelta(days=7), ["A"], "link", "k")
    for _ in range(9):
        rounds.submit(store, rnd, "A", SURVEY, full_answers(), TODAY)
    rounds.submit(store, rnd, "A", SURVEY, {**full_answers(), "comment": ""}, TODAY)
    # Ten answers, nine comments: under the comment threshold of 10.
    assert views.comments(store, SURVEY, rnd, "A", AFTER_CLOSE) is None
    rounds.submit(store, rnd, "A", SURVEY, full_answers(), TODAY)
    assert views.comments(store, SURVEY, rnd, "A", AFTER_CLOSE) == ["Godt sammenhold"] * 10


def test_response_rate_counts_against_staff_at_round_start(small_org):
    rnd, _ = open_round(small_org)
    for _ in range(3):
        rounds.submit(small_org, rnd, "B", SURVEY, full_answers(), TODAY)
    rates = views.response_rates(small_org, rnd).table.set_index("unit_id")
    assert rates.loc["B", "rate_pct"] == pytest.approx(100 * 3 / 7)
    assert rates.loc["V", "rate_pct"] == pytest.approx(100 * 3 / 13)


def test_historical_import_takes_a_subset_of_items_and_is_idempotent(small_org):
    data = b"unit_id;who5_1;who5_2;who5_3;who5_4;who5_5;enps\nA;3;3;3;3;3;8\nB;5;5;4;4;4;10\n"
    import_responses(small_org, data, SURVEY, "Basis 2022/23", "cli")
    import_responses(small_org, data, SURVEY, "Basis 2022/23", "cli")
    rnd = rounds.find_round(small_org, "trivsel", "Basis 2022/23")
    assert rnd.access == "historical" and rnd.status(TODAY) == "historisk"
    assert small_org.query_value("SELECT count(*) FROM survey_responses") == 2
    frame = responses.responses_of_rounds(small_org, [rnd.round_id]).set_index("unit_id")
    assert frame.loc["B", "enps"] == 10 and "ledelse_tillid" not in frame.columns


@pytest.mark.parametrize(
    "body, expected",
    [
        ("unit_id;who5_1;ukendt\nA;3;1\n", "kolonne ukendt: ukendt kolonne"),
        ("unit_id;who5_1\nA;6\n", "Række 2, kolonne who5_1: '6' er uden for skalaen"),
        ("unit_id;who5_1\nA;tre\n", "Række 2, kolonne who5_1: 'tre' er ikke et helt tal"),
        ("unit_id;who5_1\nX;3\n", "Række 2, kolonne unit_id: 'X' er en ukendt enhed"),
        ("unit_id;comment\nA;" + "x" * 1001 + "\n", "længere end 1000 tegn"),
    ],
)
def test_bad_response_files_are_rejected_whole(small_org, body, expected):
    before = snapshot(small_org)
    with pytest.raises(ImportRejected) as info:
        import_responses(small_org, body.encode(), SURVEY, "Basis", "cli")
    assert expected in info.value.summary()
    assert snapshot(small_org) == before and rounds.find_round(small_org, "trivsel", "Basis") is None


def test_responses_are_never_imported_into_a_live_round(small_org):
    open_round(small_org, label="Live")
    with pytest.raises(ImportRejected, match="ikke historisk"):
        import_responses(small_org, b"unit_id;who5_1\nA;3\n", SURVEY, "Live", "cli")


def test_export_survey_summary_cli(demo_db, tmp_path):
    out = tmp_path / "trivsel.csv"
    result = subprocess.run(
        [
            TRIVSEL,
            "export",
            "survey-summary",
            "--survey",
            "trivsel",
            "--round",
            "Forår 2025",
            "--format",
            "csv",
            "-o",
            str(out),
            "--db",
            str(demo_db),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(StringIO(out.read_bytes().decode("utf-8-sig")), sep=";", decimal=",", dtype={"suppressed": str})
    assert list(frame.columns) == views.EXPORT_COLUMNS
    assert set(frame["measure"]) == {"who5", "enps", *SURVEY.dimensions}
    hidden = frame[frame["suppressed"] == "true"]
    assert len(hidden) > 0 and hidden["score"].isna().all() and hidden["respondents"].isna().all()
    shown = frame[frame["suppressed"] == "false"]
    assert (shown["respondents"] >= 5).all() and shown["score"].between(-100, 100).all()


def test_surveys_check_cli_reports_file_line_and_key(tmp_path):
    bad = Path(__file__).parent / "surveys_bad"
    result = subprocess.run([TRIVSEL, "surveys", "check", str(bad)], check=False, capture_output=True, text=True)
    assert result.returncode == 1 and result.stderr.startswith("Fejl:")
    assert "unknown_type.yaml:" in result.stdout and "sections[0].items[0].type" in result.stdout
    ok = subprocess.run([TRIVSEL, "surveys", "check"], check=False, capture_output=True, text=True)
    assert ok.returncode == 0 and "definitioner er gyldige" in ok.stdout


def test_a_round_without_answers_shows_everything_as_hidden(small_org):
    rnd, _ = open_round(small_org)
    summary = views.summary(small_org, SURVEY, rnd, AFTER_CLOSE)
    assert summary.table["suppressed"].all()
    assert views.export_table(summary, SURVEY)["suppressed"].eq("true").all()


def test_a_resumed_survey_opens_where_the_respondent_stopped():
    from trivsel.ui.survey_form import _resume_at

    first, second = SURVEY.sections[0], SURVEY.sections[1]
    assert _resume_at(SURVEY, {}) == 0
    assert _resume_at(SURVEY, {first.items[0].id: 3}) == 0  # required WHO-5 items still open
    done_first = {i.id: 3 for i in first.items}
    assert _resume_at(SURVEY, done_first) == 1
    assert _resume_at(SURVEY, done_first | {second.items[0].id: 4}) == 2  # optional items may stay empty


def round_tables(store) -> dict[str, list]:
    """Every row a round owns, to prove a refusal changed nothing."""
    tables = ["survey_rounds", "round_units", "round_codes", "code_drafts", "survey_responses", "action_notes"]
    return {t: sorted(map(repr, store.query_all(f"SELECT * FROM {t}"))) for t in tables}


def audited(store, action: str) -> list[tuple[str, dict]]:
    return [
        (actor, json.loads(details))
        for actor, details in store.query_all(
            "SELECT actor, details FROM audit_log WHERE action = ? ORDER BY id", [action]
        )
    ]


def test_overlap_lists_each_shared_unit_of_a_round_open_or_planned_in_the_period(store):
    org_of(store, {"A": 2, "B": 2, "C": 2})

    def make(label, units, opens, closes, survey=SURVEY):
        return rounds.create_round(
            store,
            survey,
            label,
            TODAY + timedelta(days=opens),
            TODAY + timedelta(days=closes),
            units,
            "link",
            "konsulent",
        )[0]

    make("Åben", ["A", "B"], -5, 10)
    make("Planlagt", ["C"], 20, 30)
    make("Forbi", ["A", "B", "C"], -30, -1)
    rounds.close_round(store, make("Lukket før tid", ["A"], -5, 10), TODAY, "konsulent")
    make("Andet skema", ["A"], -5, 10, survey=SURVEY_OF["exit"])

    def overlap(units, opens, closes):
        found = rounds.overlapping_rounds(
            store, "trivsel", units, TODAY + timedelta(days=opens), TODAY + timedelta(days=closes), TODAY
        )
        return list(zip(found["label"], found["unit_name"]))

    assert overlap(["A", "B", "C"], 0, 21) == [("Åben", "Enhed A"), ("Åben", "Enhed B"), ("Planlagt", "Enhed C")]
    assert overlap(["B"], 10, 12) == [("Åben", "Enhed B")]  # sharing the close day is an overlap
    assert overlap(["A", "B"], 11, 40) == []  # after the open round, and the planned one has other units
    assert overlap(["C"], -40, -2) == []  # the past round is closed: nothing to warn about
    found = rounds.overlapping_rounds(store, "trivsel", ["C"], TODAY, TODAY + timedelta(days=25), TODAY)
    assert [d.date() for d in found[["opens_on", "closes_on"]].iloc[0]] == [
        TODAY + timedelta(days=20),
        TODAY + timedelta(days=30),
    ]


def test_extend_moves_the_close_date_later_and_is_audited(small_org):
    rnd, _ = open_round(small_org)
    later = rnd.closes_on + timedelta(days=14)
    rounds.extend_round(small_org, rnd, later, TODAY, "konsulent")
    assert rounds.round_by_id(small_org, rnd.round_id).closes_on == later
    assert audited(small_org, "round_extended") == [
        (
            "konsulent",
            {"survey": "trivsel", "label": "R1", "closes_before": str(rnd.closes_on), "closes_on": str(later)},
        )
    ]
    planned, _ = open_round(small_org, opens=TODAY + timedelta(days=3), closes=TODAY + timedelta(days=9), label="Ny")
    rounds.extend_round(small_org, planned, TODAY + timedelta(days=10), TODAY, "konsulent")
    assert rounds.round_by_id(small_org, planned.round_id).closes_on == TODAY + timedelta(days=10)


def test_extend_refuses_an_earlier_date_and_a_closed_round(small_org):
    rnd, _ = open_round(small_org)
    past, _ = open_round(small_org, opens=TODAY - timedelta(days=20), closes=TODAY - timedelta(days=1), label="Gl")
    early, _ = open_round(small_org, label="Tidligt")
    rounds.close_round(small_org, early, TODAY, "konsulent")
    before = round_tables(small_org)
    for new_close in (rnd.closes_on, rnd.closes_on - timedelta(days=1), TODAY - timedelta(days=1)):
        with pytest.raises(rounds.RoundError, match=f"skal ligge efter den nuværende \\({rnd.closes_on:%d-%m-%Y}\\)"):
            rounds.extend_round(small_org, rnd, new_close, TODAY, "konsulent")
    # Reopening would let answers arrive after the results were shown.
    for closed in (past, early):
        with pytest.raises(rounds.RoundError, match="Kun en åben eller planlagt runde kan forlænges"):
            rounds.extend_round(small_org, closed, TODAY + timedelta(days=30), TODAY, "konsulent")
    assert round_tables(small_org) == before and audited(small_org, "round_extended") == []


def test_rename_gives_a_new_name_unique_within_the_survey_and_is_audited(small_org):
    rnd, _ = open_round(small_org)
    open_round(small_org, label="Efterår")
    other = rounds.create_round(small_org, SURVEY_OF["exit"], "Forår", TODAY, TODAY, ["A"], "link", "konsulent")[0]
    rounds.rename_round(small_org, rnd, "  Forår  ", "konsulent")  # the exit survey's round may share it
    assert rounds.round_by_id(small_org, rnd.round_id).label == "Forår"
    assert rounds.round_by_id(small_org, other.round_id).label == "Forår"
    assert audited(small_org, "round_renamed") == [
        ("konsulent", {"survey": "trivsel", "label_before": "R1", "label": "Forår"})
    ]
    before = round_tables(small_org)
    for label, message in [
        ("Efterår", "findes allerede en runde med navnet 'Efterår'"),
        ("  ", "skal have et navn"),
        ("Forår", "hedder allerede 'Forår'"),
    ]:
        with pytest.raises(rounds.RoundError, match=message):
            rounds.rename_round(small_org, rnd, label, "konsulent")
    assert round_tables(small_org) == before and len(audited(small_org, "round_renamed")) == 1


def test_delete_removes_a_round_without_answers_with_its_codes_and_drafts(small_org):
    rnd, codes = open_round(small_org, "code")
    kept, _ = open_round(small_org, "code", label="Beholdes")
    rounds.save_draft(small_org, codes["code"].iloc[0], {"who5_1": 3})
    rounds.delete_round(small_org, rnd, "konsulent")
    for table in ("survey_rounds", "round_units", "round_codes"):
        assert small_org.query_value(f"SELECT count(*) FROM {table} WHERE round_id = ?", [rnd.round_id]) == 0, table
    assert small_org.query_value("SELECT count(*) FROM code_drafts") == 0
    assert small_org.query_value("SELECT count(*) FROM round_codes WHERE round_id = ?", [kept.round_id]) == 13
    assert audited(small_org, "round_deleted") == [
        ("konsulent", {"survey": "trivsel", "label": "R1", "units": 2, "codes": 13, "drafts": 1})
    ]
    with pytest.raises(rounds.RoundError, match="Koden findes ikke"):
        rounds.resolve_code(small_org, codes["code"].iloc[1], TODAY)
    with pytest.raises(rounds.RoundError, match="findes ikke længere"):
        rounds.rename_round(small_org, rnd, "Ny", "konsulent")


def test_a_round_with_answers_or_agreed_follow_up_cannot_be_deleted(small_org):
    answered, _ = open_round(small_org)
    rounds.submit(small_org, answered, "A", SURVEY, full_answers(), TODAY)
    followed_up, _ = open_round(small_org, label="Opfølgning")
    actions.add(small_org, followed_up.round_id, "A", "Fælles møde", "Leder", None, "konsulent", None, TODAY)
    before = round_tables(small_org)
    with pytest.raises(rounds.RoundError, match="kan ikke slettes, fordi der er kommet svar i den"):
        rounds.delete_round(small_org, answered, "konsulent")
    with pytest.raises(rounds.RoundError, match="kan ikke slettes, fordi der er aftalt opfølgning"):
        rounds.delete_round(small_org, followed_up, "konsulent")
    assert round_tables(small_org) == before and audited(small_org, "round_deleted") == []
    assert rounds.has_answers(small_org, answered.round_id) and not rounds.has_answers(small_org, followed_up.round_id)

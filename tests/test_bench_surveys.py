"""The survey benchmarks' (P6, P8) small, fast twins: their data and their completeness checks, on
small data. No timing is asserted here; `make bench` measures the speed."""

import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))  # the benchmarks package lives at the project root

from benchmarks import generate, survey_data, worker

from trivsel import cli
from trivsel.surveys import rounds

TODAY = date(2026, 11, 23)
SMALL_ROUND = survey_data.ExportRound(responses=1_500, positions=1_200, staff_factor=2, seed=3, label="Lille runde")


def test_answer_sets_are_complete_and_valid():
    sets = survey_data.answer_sets(200, seed=5)
    survey = survey_data.survey()
    assert all(rounds.answer_problems(survey, answers) == [] for answers in sets)
    assert {len(rounds.answer_rows(survey, answers)) for answers in sets} == {len(survey.items)}
    # Realistic, not constant: the answers to one question spread over the scale.
    assert len({answers["ledelse_tillid"] for answers in sets}) >= 4
    assert sets == survey_data.answer_sets(200, seed=5)


def test_submissions_from_threads_are_counted_against_what_was_sent(tmp_path):
    db = tmp_path / "small.duckdb"
    generate.write(generate.Scale("surveys", 150, years=2, seed=4, today=TODAY), db, log=lambda *_: None)
    sets = survey_data.answer_sets(24, seed=2)
    seconds, run, waited = worker._submit_at_once(db, sets, threads=4, today=TODAY)
    assert seconds > 0 and len(waited) == 24
    assert run["lost"] == run["duplicated"] == run["errors"] == run["orphans"] == 0
    assert run["units_as_sent"] and run["answer_rows"] == {str(len(survey_data.survey().items)): 24}


@pytest.fixture(scope="module")
def small_round(tmp_path_factory):
    path = tmp_path_factory.mktemp("surveys") / "round.duckdb"
    survey_data.write_export_round(SMALL_ROUND, path, log=lambda *_: None)
    return path


def test_the_generated_round_has_exactly_its_responses(small_round, tmp_path):
    out = tmp_path / "summary.csv"
    assert (
        cli.main(
            [
                "export",
                "survey-summary",
                "--survey",
                "trivsel",
                "--round",
                SMALL_ROUND.label,
                "--format",
                "csv",
                "-o",
                str(out),
                "--db",
                str(small_round),
            ]
        )
        == 0
    )
    check = survey_data.check_export(out, small_round, SMALL_ROUND.label)
    assert check["complete"] and check["responses"] == check["root_respondents"] == SMALL_ROUND.responses
    assert check["rows"] == check["units"] * check["measures"] and check["suppressed"] > 0


def test_the_export_check_notices_a_missing_row_and_a_wrong_count(small_round, tmp_path):
    out = tmp_path / "summary.csv"
    cli.main(
        [
            "export",
            "survey-summary",
            "--survey",
            "trivsel",
            "--round",
            SMALL_ROUND.label,
            "--format",
            "csv",
            "-o",
            str(out),
            "--db",
            str(small_round),
        ]
    )
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    out.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8-sig")
    assert not survey_data.check_export(out, small_round, SMALL_ROUND.label)["complete"]
    shown = next(i for i, line in enumerate(lines) if ";who5;" in line and line.endswith(";false"))
    fields = lines[shown].split(";")
    fields[3] = str(int(fields[3]) + 1)
    lines[shown] = ";".join(fields)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    check = survey_data.check_export(out, small_round, SMALL_ROUND.label)
    assert not check["complete"] and check["who5_mismatches"] == 1

"""The survey form's first screen says how long the survey takes, computed from its definition."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from trivsel import config
from trivsel.surveys.definitions import Item, Section, Survey, Text, load_all
from trivsel.ui import survey_form

APP = str(Path(__file__).parents[1] / "app.py")
SURVEYS = load_all(config.surveys_dir())


def survey_of(*types: str) -> Survey:
    items = tuple(
        Item(f"q{n}", kind, Text("Spørgsmål", "Question"), max_length=500 if kind == "free_text" else None)
        for n, kind in enumerate(types)
    )
    return Survey(
        id="s",
        version=1,
        anonymous=True,
        title=Text("S", "S"),
        intro=Text("", ""),
        dimensions={},
        sections=(Section("a", Text("A", "A"), items),),
    )


@pytest.mark.parametrize(
    "types, minutes",
    [
        (("likert5",), 1),  # 10 s, rounded up to a whole minute
        (("likert5",) * 6, 1),  # 60 s exactly
        (("likert5",) * 7, 2),  # 70 s
        (("free_text",), 1),  # 60 s
        (("free_text", "scale0_10", "who5"), 2),  # 80 s
        ((), 0),
    ],
)
def test_minutes_follow_the_rule_per_question(types, minutes):
    assert survey_form.estimated_minutes(survey_of(*types)) == minutes


def test_the_trivsel_survey_says_eight_minutes_and_39_questions():
    trivsel = SURVEYS["trivsel"]  # 38 closed questions and one comment: 38 × 10 s + 60 s = 7⅓ minutes
    assert survey_form.duration(trivsel, "da") == "Det tager ca. 8 minutter at svare (39 spørgsmål)."
    assert survey_form.duration(trivsel, "en") == "It takes about 8 minutes to answer (39 questions)."


def test_one_minute_and_one_question_are_singular():
    assert survey_form.duration(survey_of("likert5"), "da") == "Det tager ca. 1 minut at svare (1 spørgsmål)."
    assert survey_form.duration(survey_of("likert5"), "en") == "It takes about 1 minute to answer (1 question)."


def test_the_staff_survey_shows_its_duration_on_the_first_section_only(demo_store, demo_db, monkeypatch):
    monkeypatch.setenv("TRIVSEL_DB", str(demo_db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/staff.py")
    at.query_params["adgang"] = demo_store.query_value(
        "SELECT token FROM unit_access_links WHERE unit_id = 'SOC-FAMH' AND revoked_at IS NULL"
    )
    at.run()
    line = "Det tager ca. 8 minutter at svare (39 spørgsmål)."
    assert line in [c.value for c in at.caption]
    for radio in at.radio:
        radio.set_value(radio.options[0])
    next(b for b in at.button if b.label == "Næste").click().run()
    assert at.get("progress")[0].proto.text.startswith("2 / ")
    assert line not in [c.value for c in at.caption]

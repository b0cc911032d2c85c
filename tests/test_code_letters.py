"""Printed code letters: one A4 letter per one-time code, with the code in large print and a QR code that
opens the survey with the code filled in. Read back as a printer gets them (pdf_pages)."""

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

from conftest import DEMO_TODAY
from pdf_pages import images, qr_codes, texts
from trivsel import code_letters, config, org
from trivsel.surveys import rounds
from trivsel.surveys.definitions import load_all
from trivsel.ui import navigation

SURVEY = load_all(config.surveys_dir())["trivsel"]
BASE = "https://trivsel.kommune.dk"
UNITS = ["SO-DEMK", "SOC-PAAR"]  # small units: 3 and 2 persons


def code_round(store, label="Koderunden", opens_on=DEMO_TODAY, closes_on=date(2026, 12, 12)):
    return rounds.create_round(store, SURVEY, label, opens_on, closes_on, UNITS, "code", "konsulent")


def test_each_code_gets_one_page_whose_qr_opens_the_staff_page_with_that_code(demo_store, tmp_path, monkeypatch):
    monkeypatch.setenv("TRIVSEL_BASE_URL", BASE + "/")  # the address the QR posters use, trailing slash or not
    rnd, codes = code_round(demo_store)
    assert len(codes) == 5
    pdf = code_letters.pdf(code_letters.round_letters(rnd, codes, DEMO_TODAY))
    pages, page_texts = images(pdf, tmp_path), texts(pdf)
    assert len(pages) == len(page_texts) == len(codes)
    # the real path of the staff page, with the code as its query parameter, in the order of the codes
    assert [qr_codes(page) for page in pages] == [
        [f"{BASE}/{navigation.STAFF.url_path}?kode={code}"] for code in codes["code"]
    ]
    for text, name, code in zip(page_texts, codes["unit_name"], codes["code"]):
        assert name in text and code in text
        assert "Koderunden" in text and "svar senest 12-12-2026" in text
        assert "anonym" in text and "én gang" in text
        assert f"{BASE}/{navigation.STAFF.url_path}" in text  # the address to type the code into


def test_the_code_in_the_letters_link_opens_the_survey_in_its_unit(demo_store):
    rnd, codes = code_round(demo_store)
    for letter, unit_id in zip(code_letters.round_letters(rnd, codes, DEMO_TODAY), codes["unit_id"]):
        [code] = parse_qs(urlsplit(letter.link).query)["kode"]
        opened, opened_unit, draft = rounds.resolve_code(demo_store, code, DEMO_TODAY)
        assert (opened.round_id, opened_unit, draft) == (rnd.round_id, unit_id, {})


def test_a_planned_round_says_when_it_opens(demo_store):
    opens, closes = DEMO_TODAY + timedelta(days=60), DEMO_TODAY + timedelta(days=80)
    rnd, codes = code_round(demo_store, "Senere", opens, closes)
    [text, *_] = texts(code_letters.pdf(code_letters.round_letters(rnd, codes, DEMO_TODAY)))
    assert f"Åbner {opens:%d-%m-%Y}" in text and f"svar senest {closes:%d-%m-%Y}" in text


def test_a_long_unit_name_still_leaves_the_code_and_a_readable_qr_code(demo_store, tmp_path):
    letter = code_letters.Letter(
        "Bøgehøj – " + "Æblehaven på Ålholm " * 12,
        "Efterår 2026",
        "ABCD-EFGH",
        f"{BASE}/medarbejder?kode=ABCD-EFGH",
        None,
        date(2026, 12, 12),
    )
    pdf = code_letters.pdf([letter])
    assert qr_codes(images(pdf, tmp_path)[0]) == [letter.link]
    assert "ABCD-EFGH" in texts(pdf)[0]


def test_the_staff_links_use_the_same_page_address(demo_store):
    assert all(
        link.startswith(f"{config.base_url()}/{navigation.STAFF.url_path}?adgang=")
        for link in org.staff_links(demo_store)["link"]
    )

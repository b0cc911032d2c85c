"""The A4 poster with a QR code to a unit's staff link: the PDF as a printer gets it (rendered with
poppler's pdftoppm, the QR code read back with zbar, the text extracted with pypdf), from the domain,
the `trivsel poster` command and the download buttons on Min enhed, Organisation and Målinger."""

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from conftest import DEMO_TODAY
from pdf_pages import images, qr_codes, texts
from trivsel import auth, config, org, posters
from trivsel.auth import Identity
from trivsel.store import open_store
from trivsel.surveys import rounds
from trivsel.surveys.definitions import load_all
from trivsel.ui.session import TOKEN_KEY

APP = str(Path(__file__).parents[1] / "app.py")
TRIVSEL = [str(Path(sys.executable).parent / "trivsel")]
SURVEY = load_all(config.surveys_dir())["trivsel"]
LINK = "https://trivsel.kommune.dk/medarbejder?adgang=Qx7-pK2_vN9rT4mW8yZ1aB"
SOLGAARDEN = ["SO-PC-SOL", "SO-PC-SOL-DE", "SO-PC-SOL-OE", "SO-PC-SOL-VE"]
A4 = (595, 842)  # points, rounded


def links(store) -> dict[str, str]:
    table = org.staff_links(store)
    return dict(zip(table["unit_id"], table["link"]))


def names(store) -> dict[str, str]:
    table = org.units(store)
    return dict(zip(table["unit_id"], table["unit_name"]))


def link_round(store, label: str, opens_on: date, closes_on: date, units=SOLGAARDEN, access="link") -> rounds.Round:
    return rounds.create_round(store, SURVEY, label, opens_on, closes_on, units, access, "konsulent")[0]


# The domain: one poster, then the posters of a round


def test_a_poster_is_one_a4_page_whose_qr_code_holds_exactly_the_link_and_whose_text_is_danish(tmp_path):
    pdf = posters.pdf(
        [posters.Poster("Bøgehøj – Æblehaven på Ålholm", LINK, "Efterår 2026", closes_on=date(2026, 12, 12))]
    )
    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) == 1
    assert tuple(round(float(x)) for x in reader.pages[0].mediabox[2:]) == A4
    [page] = images(pdf, tmp_path)
    assert qr_codes(page) == [LINK]
    [text] = texts(pdf)
    assert "Bøgehøj – Æblehaven på Ålholm" in text
    assert "Efterår 2026" in text and "svar senest 12-12-2026" in text
    assert "anonym" in text and "Scan" in text


def test_a_poster_without_a_round_names_no_round_and_no_date(tmp_path):
    pdf = posters.pdf([posters.Poster("Nattevagten", LINK)])
    assert qr_codes(images(pdf, tmp_path)[0]) == [LINK]
    [text] = texts(pdf)
    assert "Nattevagten" in text and "svar senest" not in text


def test_a_unit_poster_has_the_units_own_link_and_the_open_link_round_it_opens(demo_store):
    poster = posters.unit_poster(demo_store, "SO-PC-SOL-OE", DEMO_TODAY)
    assert poster.unit_name == "Solgården, Afsnit Øst"
    assert poster.link == links(demo_store)["SO-PC-SOL-OE"]
    # the demo's open round, the one the staff page shows through the link (kept open past the day tests run)
    closes_on = demo_store.query_value("SELECT closes_on FROM survey_rounds WHERE label = ?", [poster.round_label])
    assert (poster.round_label, poster.closes_on) == (f"Efterår {DEMO_TODAY.year}", closes_on)
    assert closes_on >= max(DEMO_TODAY, date.today()) + timedelta(days=7)
    later = posters.unit_poster(demo_store, "SO-PC-SOL-OE", closes_on + timedelta(days=1))
    assert later.round_label is None and later.closes_on is None


def test_a_round_gives_one_page_per_unit_each_with_its_own_units_link(demo_store, tmp_path):
    rnd = link_round(demo_store, "Plakatrunden", DEMO_TODAY, date(2026, 12, 12))
    made = posters.round_posters(demo_store, rnd, DEMO_TODAY)
    pdf = posters.pdf(made)
    pages, page_texts = images(pdf, tmp_path), texts(pdf)
    assert len(pages) == len(page_texts) == len(SOLGAARDEN)
    unit_links, unit_names = links(demo_store), names(demo_store)
    by_link = {unit_links[u]: u for u in SOLGAARDEN}
    seen = []
    for page, text in zip(pages, page_texts):
        [link] = qr_codes(page)
        unit_id = by_link[link]
        assert unit_names[unit_id] in text
        assert "Plakatrunden" in text and "svar senest 12-12-2026" in text
        seen.append(unit_id)
    assert sorted(seen) == SOLGAARDEN


def test_a_planned_round_says_when_it_opens(demo_store):
    rnd = link_round(demo_store, "Senere", DEMO_TODAY + timedelta(days=60), DEMO_TODAY + timedelta(days=80))
    [text, *_] = texts(posters.pdf(posters.round_posters(demo_store, rnd, DEMO_TODAY)))
    opens, closes = DEMO_TODAY + timedelta(days=60), DEMO_TODAY + timedelta(days=80)
    assert f"Åbner {opens:%d-%m-%Y}" in text and f"svar senest {closes:%d-%m-%Y}" in text


def test_no_poster_for_a_code_round_a_closed_round_or_a_unit_outside_the_round(demo_store):
    coded = link_round(demo_store, "Koderunden", DEMO_TODAY, DEMO_TODAY + timedelta(days=10), access="code")
    with pytest.raises(posters.PosterError, match="engangskoder"):
        posters.round_posters(demo_store, coded, DEMO_TODAY)
    closed = link_round(demo_store, "Lukket", DEMO_TODAY - timedelta(days=30), DEMO_TODAY - timedelta(days=10))
    with pytest.raises(posters.PosterError, match="lukket"):
        posters.unit_poster(demo_store, "SO-PC-SOL", DEMO_TODAY, closed)
    fresh = link_round(demo_store, "Åben", DEMO_TODAY, DEMO_TODAY + timedelta(days=10))
    with pytest.raises(posters.PosterError, match="ikke med i runden"):
        posters.unit_poster(demo_store, "SO-HP-NAT", DEMO_TODAY, fresh)
    with pytest.raises(posters.PosterError, match="findes ikke"):
        posters.unit_poster(demo_store, "FINDES-IKKE", DEMO_TODAY)


# The command line, as a real process


def trivsel(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        TRIVSEL + list(args), check=False, capture_output=True, text=True, timeout=120, env=dict(os.environ)
    )


def test_the_poster_command_writes_the_pdf_and_logs_it_without_the_token(demo_db, tmp_path):
    today = date.today()  # the command's own today
    store = open_store(demo_db)
    link_round(store, "Vinter", today, today + timedelta(days=12))
    link = links(store)["SO-PC-SOL-OE"]
    store.close()
    out = tmp_path / "plakat.pdf"
    result = trivsel(
        "poster",
        "--unit",
        "SO-PC-SOL-OE",
        "--survey",
        "trivsel",
        "--round",
        "Vinter",
        "-o",
        str(out),
        "--db",
        str(demo_db),
    )
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    pdf = out.read_bytes()
    assert qr_codes(images(pdf, tmp_path / "sider")[0]) == [link]
    [text] = texts(pdf)
    assert "Solgården, Afsnit Øst" in text and "Vinter" in text
    assert f"svar senest {today + timedelta(days=12):%d-%m-%Y}" in text
    store = open_store(demo_db)
    details = json.loads(
        store.query_value("SELECT details FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1")
    )
    store.close()
    assert details["what"] == "poster" and details["parameters"]["unit"] == "SO-PC-SOL-OE"
    assert details["parameters"]["round"] == "Vinter"
    assert link.split("adgang=")[1] not in json.dumps(details)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--unit", "FINDES-IKKE"], "Enheden 'FINDES-IKKE' findes ikke"),
        (["--unit", "SO-PC-SOL", "--round", "Vinter"], "--survey og --round"),
        (["--unit", "SO-PC-SOL", "--survey", "trivsel", "--round", "Findes ikke"], "Runden 'Findes ikke' findes ikke"),
    ],
)
def test_the_poster_command_refuses_in_danish_and_writes_nothing(demo_db, tmp_path, args, reason):
    out = tmp_path / "plakat.pdf"
    result = trivsel("poster", *args, "-o", str(out), "--db", str(demo_db))
    assert result.returncode == 1
    assert result.stderr.startswith("Fejl: ") and reason in result.stderr and len(result.stderr.splitlines()) == 1
    assert not out.exists()


# The pages: the download buttons, what they make, and the audit log


@pytest.fixture
def app(demo_db, demo_store, monkeypatch):
    monkeypatch.setenv("TRIVSEL_DB", str(demo_db))

    def make(identity: Identity, page: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.session_state[TOKEN_KEY] = auth.start_session(demo_store, identity.username)  # logged in in this tab
        at.switch_page(page)
        return at.run()

    return make


@pytest.fixture
def deferred(monkeypatch) -> list:
    """The file makers that download buttons hand to Streamlit, to be called as a click would."""
    makers = []
    register = MediaFileManager.add_deferred

    def spy(self, data_callable, *args, **kwargs):
        makers.append(data_callable)
        return register(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return makers


def click(maker) -> bytes:
    """Streamlit makes a deferred file in a worker thread, with no script-run context."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(maker).result()


def last_export(store) -> dict:
    return json.loads(
        store.query_value("SELECT details FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1")
    )


POSTER_BUTTON = "Hent plakat med QR-kode (PDF)"


@pytest.mark.parametrize(
    ("identity", "page", "unit_id"),
    [
        (Identity("leder.solgaarden", "leder", "SO-PC-SOL"), "pages/my_unit.py", "SO-PC-SOL-VE"),
        (Identity("admin", "admin"), "pages/organisation.py", "SO-HP-NAT"),
    ],
)
def test_leader_and_admin_download_a_units_poster_and_each_download_is_logged(
    app, demo_store, deferred, identity, page, unit_id, tmp_path
):
    at = app(identity, page)
    assert not at.exception
    picker = at.selectbox(key="poster_unit")
    if identity.role == "leder":  # only the units under the leader
        assert sorted(picker.options) == sorted(names(demo_store)[u] for u in SOLGAARDEN)
    picker.select(unit_id).run()
    buttons = [b for b in at.get("download_button") if b.proto.label == POSTER_BUTTON]
    assert len(buttons) == 1 and buttons[0].proto.ignore_rerun
    pdf = click(deferred[-1])
    assert qr_codes(images(pdf, tmp_path)[0]) == [links(demo_store)[unit_id]]
    assert names(demo_store)[unit_id] in texts(pdf)[0]
    logged = last_export(demo_store)
    assert (logged["what"], logged["parameters"]["unit"], logged["rows"]) == ("poster", unit_id, 1)
    assert links(demo_store)[unit_id].split("adgang=")[1] not in json.dumps(logged)


POSTERS = "Hent plakater til alle enheder (PDF)"


def test_maalinger_gives_all_the_rounds_posters_in_one_pdf(app, demo_store, deferred, tmp_path):
    today = date.today()  # the page's own today
    rnd = link_round(demo_store, "Plakater til alle", today, today + timedelta(days=12))
    coded = link_round(demo_store, "Med koder", today, today + timedelta(days=12), access="code")
    at = app(Identity("admin", "admin"), "pages/rounds.py")
    at.selectbox(key="chosen_round").set_value(rnd.round_id).run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[-1] == POSTERS and labels.count(POSTERS) == 1  # below the translation sheets' buttons
    pdf = click(deferred[-1])
    unit_links = links(demo_store)
    assert [qr_codes(page) for page in images(pdf, tmp_path)] == [
        [unit_links[u]] for u in sorted(SOLGAARDEN, key=names(demo_store).get)
    ]
    logged = last_export(demo_store)
    assert (logged["what"], logged["parameters"]["round"], logged["rows"]) == ("poster", "Plakater til alle", 4)

    at.selectbox(key="chosen_round").set_value(coded.round_id).run()
    # the unit's link does not open a round with one-time codes
    assert POSTERS not in [b.proto.label for b in at.get("download_button")]

"""Nudges to leaders by e-mail, sent through a real SMTP server the test starts (aiosmtpd): who gets which
e-mail when, that none is sent twice, that no e-mail carries an answer or a score, and what the admin sees."""

import os
import re
import socket
import subprocess
import sys
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from streamlit.testing.v1 import AppTest

from trivsel import auth, config, jobs, nudges, org
from trivsel.jobs import nudging
from trivsel.mail import MailError
from trivsel.store import open_store
from trivsel.surveys import rounds
from trivsel.surveys.definitions import load_all
from trivsel.ui.session import TOKEN_KEY
from trivsel.views import surveys as survey_views

ROOT = Path(__file__).parents[1]
SURVEY = load_all(config.surveys_dir())["trivsel"]
OPENS, CLOSES = date(2026, 10, 1), date(2026, 10, 21)  # midway 11-10, two days before close 19-10
NUDGE_HOUR = clock_time(7, 0)
SECRET_COMMENT = "Hemmelig kommentar om Birgitte"
SMTP_PASSWORD = "hemmeligt-mail-kodeord-93"


class Inbox:
    """aiosmtpd's handler: keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.original_content, policy=policy.default)))
        return "250 OK"

    def to(self, address: str) -> list:
        return [msg for rcpts, msg in self.messages if address in rcpts]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def mail_server(monkeypatch):
    """A local SMTP server, and the TRIVSEL_SMTP_* settings that point at it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("TRIVSEL_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("TRIVSEL_SMTP_PORT", str(port))
    monkeypatch.setenv("TRIVSEL_SMTP_SECURITY", "none")
    monkeypatch.setenv("TRIVSEL_SMTP_FROM", "trivsel@kommune.dk")
    yield inbox
    controller.stop()


def answers(level: int) -> dict:
    found = {}
    for item in SURVEY.items:
        if item.type in ("who5", "likert5"):
            found[item.id] = level
        elif item.type == "scale0_10":
            found[item.id] = 9
    found["comment"] = SECRET_COMMENT
    return found


@pytest.fixture
def round_with_leaders(store):
    """Solgården (10 staff) with Nattevagt under it (3 staff, below the threshold of 5), and Hjemmeplejen Nord
    (12 staff); a link round for all three with some answers. Leader `leder.sol` sees Solgården and its
    Nattevagt, `leder.nord` Hjemmeplejen Nord; both have an e-mail address."""

    def work(cur):
        cur.execute("INSERT INTO units VALUES ('V', 'Velfærdsområdet', NULL, '')")
        for unit, name, parent, staff in (
            ("SOL", "Plejecenter Solgården", "V", 10),
            ("NAT", "Nattevagt Solgården", "SOL", 3),
            ("NORD", "Hjemmeplejen Nord", "V", 12),
        ):
            cur.execute("INSERT INTO units VALUES (?, ?, ?, '')", [unit, name, parent])
            for i in range(staff):
                cur.execute("INSERT INTO employees VALUES (?)", [f"{unit}-{i}"])
                cur.execute(
                    "INSERT INTO employments VALUES (?, ?, DATE '2020-01-01', NULL, 1, 'SSA')", [f"{unit}-{i}", unit]
                )
        org.ensure_staff_links(cur)

    store.write(work)
    rnd, _ = rounds.create_round(store, SURVEY, "Efterår 2026", OPENS, CLOSES, ["SOL", "NAT", "NORD"], "link", "k")
    for unit, count in (("SOL", 4), ("NAT", 2), ("NORD", 7)):
        for i in range(count):
            rounds.submit(store, rnd, unit, SURVEY, answers(1 + i % 5), OPENS)
    auth.add_user(store, "leder.sol", "leder", "en-god-adgangskode", "SOL", actor="admin")
    auth.add_user(store, "leder.nord", "leder", "en-god-adgangskode", "NORD", actor="admin")
    auth.set_email(store, "leder.sol", "sol@kommune.dk", actor="admin")
    auth.set_email(store, "leder.nord", "nord@kommune.dk", actor="admin")
    return rnd


class FakeClock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def at(day: date, hour: int = 7, minute: int = 0) -> datetime:
    return datetime.combine(day, clock_time(hour, minute))


def body(msg) -> str:
    return msg.get_content()


def test_each_leader_gets_their_own_units_rates_once_at_start_midway_and_two_days_before_close(
    store, round_with_leaders, mail_server, tmp_path
):
    clock = FakeClock(at(OPENS, 6))
    scheduler = jobs.Scheduler(store, clock, clock_time(2, 0), tmp_path / "backups", 3, nudges_at=NUDGE_HOUR)
    clock.now = at(OPENS, 7, 1)
    scheduler.tick()

    sol, nord = mail_server.to("sol@kommune.dk"), mail_server.to("nord@kommune.dk")
    assert len(sol) == 1 and len(nord) == 1 and len(mail_server.messages) == 2
    for msg in (sol[0], nord[0]):
        assert msg.get_content_type() == "text/plain" and msg.get_content_charset() == "utf-8"
        assert msg["Subject"] == "Målingen 'Efterår 2026' er åbnet"
        assert msg["From"] == "trivsel@kommune.dk"
    sol_text, nord_text = body(sol[0]), body(nord[0])
    assert "er åbnet i dine enheder. Der kan svares til og med 21-10-2026." in sol_text
    # Solgården over its subtree: 4 + 2 answers of 10 + 3 staff; the Nattevagt (3 staff) is hidden.
    assert "Plejecenter Solgården: 6 af 13 ansatte har svaret (46 %)" in sol_text
    night = next(line for line in sol_text.splitlines() if "Nattevagt" in line and "http" not in line)
    assert night.strip() == "Nattevagt Solgården: vises ikke" and not re.search(r"\d", night)
    assert "Enheder med færre end 5 ansatte vises ikke" in sol_text
    assert "Hjemmeplejen Nord: 7 af 12 ansatte har svaret (58 %)" in nord_text
    # Each leader sees only their own units: not the other's, and not the area above them both.
    assert "Hjemmeplejen" not in sol_text and "Solgården" not in nord_text
    assert "Velfærdsområdet" not in sol_text + nord_text
    links = org.staff_links(store).set_index("unit_id")["link"]
    assert links["SOL"] in sol_text and links["NAT"] in sol_text and links["NORD"] not in sol_text
    assert links["NORD"] in nord_text and links["SOL"] not in nord_text
    assert f"{config.base_url()}/min-enhed" in sol_text

    # The same day again, by the job and by a second run (a restart): nothing is sent twice.
    clock.now = at(OPENS, 12)
    scheduler.tick()
    jobs.Scheduler(store, clock, clock_time(2, 0), tmp_path / "backups", 3, nudges_at=NUDGE_HOUR).tick()
    assert "0 påmindelser sendt" in nudging.run(store, clock.now, config.smtp(), actor="cli")
    assert len(mail_server.messages) == 2

    # Days without a nudge due send nothing; midway and two days before close each send the next one.
    clock.now = at(date(2026, 10, 5), 7, 1)
    scheduler.tick()
    assert len(mail_server.messages) == 2
    for day, subject in ((date(2026, 10, 11), "er halvvejs"), (date(2026, 10, 19), "lukker 21-10-2026")):
        clock.now = at(day, 7, 1)
        scheduler.tick()
        scheduler.tick()
        latest = mail_server.messages[-2:]
        assert sorted(r[0] for r, _ in latest) == ["nord@kommune.dk", "sol@kommune.dk"]
        assert all(subject in msg["Subject"] for _, msg in latest)
    assert "lukker om 2 dage" in body(mail_server.to("sol@kommune.dk")[-1])
    assert len(mail_server.messages) == 6
    assert sorted(store.query_all("SELECT leader, kind FROM nudges_sent")) == sorted(
        (leader, kind) for leader in ("leder.nord", "leder.sol") for kind in ("before_close", "midway", "start")
    )
    # After the close date nothing more goes out.
    clock.now = at(CLOSES + timedelta(days=1), 7, 1)
    scheduler.tick()
    assert len(mail_server.messages) == 6
    runs = store.query_all("SELECT status FROM job_runs WHERE job = 'nudges'")
    assert runs and {s for (s,) in runs} == {"ok"}
    assert store.query_value("SELECT count(*) FROM audit_log WHERE action = 'nudges_run'") >= len(runs)


def test_no_email_carries_an_answer_or_a_score(store, round_with_leaders, mail_server):
    """Every number in a message is a date, part of a link or the round's name, the threshold, the days left, or
    a count or rate the protected response-rate table shows. No answer text, no score."""
    rnd = round_with_leaders
    shown = survey_views.response_rates(store, rnd).table
    shown = shown[~shown["suppressed"]]
    allowed = {"5", "2"}  # the threshold; the days left before close
    for column in ("responses", "persons_at_start", "rate_pct"):
        allowed |= {f"{value:.0f}" for value in shown[column]}
    for day in (OPENS, date(2026, 10, 11), date(2026, 10, 19)):
        nudging.run(store, at(day), config.smtp(), actor="cli")
    assert len(mail_server.messages) == 6
    for _, msg in mail_server.messages:
        text = body(msg) + msg["Subject"]
        assert SECRET_COMMENT not in text and "Birgitte" not in text
        assert not re.search(r"WHO|eNPS|score|gennemsnit|trivselsscore", text, re.IGNORECASE)
        words = re.sub(r"https?://\S+", " ", text.replace(rnd.label, " "))  # links and the round's name
        words = re.sub(r"\d{2}-\d{2}-\d{4}", " ", words)
        assert set(re.findall(r"\d+", words)) <= allowed, text
    # the hidden unit's own counts (3 staff, 2 answers) appear nowhere
    sol_text = body(mail_server.to("sol@kommune.dk")[0])
    assert not re.search(r"\b[23] af\b|af 3\b", sol_text)


def test_without_smtp_nothing_is_sent_and_the_admin_is_told_why(store, round_with_leaders, monkeypatch):
    for name in ("HOST", "PORT", "FROM", "SECURITY"):
        monkeypatch.delenv(f"TRIVSEL_SMTP_{name}", raising=False)
    result = nudging.run(store, at(OPENS), config.smtp(), actor="planlægger")
    assert result.startswith("SMTP er ikke sat op (TRIVSEL_SMTP_HOST)") and "2 påmindelser venter" in result
    assert store.query_value("SELECT count(*) FROM nudges_sent") == 0
    assert "SMTP er ikke sat op" in store.query_value("SELECT details FROM audit_log WHERE action = 'nudges_run'")


def test_a_leader_without_an_address_is_skipped_and_named(store, round_with_leaders, mail_server):
    auth.set_email(store, "leder.nord", "", actor="admin")
    result = nudging.run(store, at(OPENS), config.smtp(), actor="cli")
    assert "1 påmindelser sendt" in result and "Uden gyldig e-mailadresse: leder.nord" in result
    assert [r for r, _ in mail_server.messages] == [["sol@kommune.dk"]]
    assert [leader.leader for leader in nudges.leaders(store) if not leader.reachable] == ["leder.nord"]
    # given an address the same day, the leader gets the nudge at the next run, and only they do
    auth.set_email(store, "leder.nord", "nord@kommune.dk", actor="admin")
    nudging.run(store, at(OPENS, 9), config.smtp(), actor="cli")
    assert [r for r, _ in mail_server.messages] == [["sol@kommune.dk"], ["nord@kommune.dk"]]


def test_an_sso_leader_gets_the_nudge_at_their_mapped_address(store, round_with_leaders, mail_server):
    auth.set_sso_mapping(store, "chef.nord@kommune.dk", "leder", "NORD", actor="admin")
    nudging.run(store, at(OPENS), config.smtp(), actor="cli")
    assert len(mail_server.to("chef.nord@kommune.dk")) == 1
    assert "Hjemmeplejen Nord: 7 af 12" in body(mail_server.to("chef.nord@kommune.dk")[0])


def test_a_disabled_leader_gets_no_nudge(store, round_with_leaders, mail_server):
    auth.disable_user(store, "leder.nord", actor="admin")
    assert "1 påmindelser sendt" in nudging.run(store, at(OPENS), config.smtp(), actor="cli")
    assert [r for r, _ in mail_server.messages] == [["sol@kommune.dk"]]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_refused_login_names_the_server_and_never_the_password(store, round_with_leaders, monkeypatch, caplog):
    inbox = Inbox()
    port = free_port()

    def refuse(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=False, handled=False)

    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=refuse, auth_require_tls=False, auth_required=True
    )
    controller.start()
    try:
        for name, value in (
            ("HOST", "127.0.0.1"),
            ("PORT", str(port)),
            ("SECURITY", "none"),
            ("FROM", "trivsel@kommune.dk"),
            ("USER", "trivsel"),
            ("PASSWORD", SMTP_PASSWORD),
        ):
            monkeypatch.setenv(f"TRIVSEL_SMTP_{name}", value)
        smtp = config.smtp()
        assert SMTP_PASSWORD not in repr(smtp)
        with pytest.raises(MailError, match="afviste brugeren trivsel") as refused:
            nudging.run(store, at(OPENS), smtp, actor="cli")
    finally:
        controller.stop()
    assert SMTP_PASSWORD not in str(refused.value) and SMTP_PASSWORD not in caplog.text
    assert SMTP_PASSWORD not in "".join(d for (d,) in store.query_all("SELECT details FROM audit_log"))
    assert inbox.messages == [] and store.query_value("SELECT count(*) FROM nudges_sent") == 0


@pytest.mark.parametrize(
    "opens, closes, expected",
    [
        (date(2026, 10, 1), date(2026, 10, 21), [("start", 1), ("midway", 11), ("before_close", 19)]),
        (date(2026, 10, 1), date(2026, 10, 4), [("start", 1), ("midway", 2)]),  # 2 days before close = midway
        (date(2026, 10, 1), date(2026, 10, 1), [("start", 1)]),
    ],
)
def test_schedule_keeps_the_nudges_in_order_in_a_short_round(opens, closes, expected):
    rnd = rounds.Round("r", "trivsel", 1, "R", opens, closes, "link", False)
    assert [(kind, day.day) for kind, day in nudges.schedule(rnd)] == expected


def test_no_nudge_for_a_closed_early_planned_or_historical_round():
    base = {"round_id": "r", "survey_id": "trivsel", "survey_version": 1, "label": "R", "is_baseline": False}
    early = rounds.Round(**base, opens_on=OPENS, closes_on=CLOSES, access="link", closed_early=True)
    historical = rounds.Round(**base, opens_on=None, closes_on=None, access="historical")
    planned = rounds.Round(**base, opens_on=OPENS, closes_on=CLOSES, access="code")
    assert nudges.due(early, OPENS) is None and nudges.due(historical, OPENS) is None
    assert nudges.due(planned, OPENS - timedelta(days=1)) is None and nudges.due(planned, OPENS) == "start"


@pytest.mark.parametrize(
    "bad", ["sol", "sol@", "sol@kommune", "Sol <sol@kommune.dk>", "sol@kommune.dk\nBcc: x@y.dk", "a b@kommune.dk"]
)
def test_a_wrong_email_address_is_refused_in_danish_and_changes_nothing(store, round_with_leaders, bad):
    with pytest.raises(auth.AuthError, match="er ikke en gyldig e-mailadresse"):
        auth.set_email(store, "leder.sol", bad, actor="admin")
    assert store.query_value("SELECT email FROM users WHERE username = 'leder.sol'") == "sol@kommune.dk"


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("TRIVSEL_SMTP_PORT", "femogtyve", "TRIVSEL_SMTP_PORT skal være et portnummer"),
        ("TRIVSEL_SMTP_SECURITY", "tls", "TRIVSEL_SMTP_SECURITY skal være starttls, ssl eller none"),
        ("TRIVSEL_SMTP_FROM", "trivsel", "TRIVSEL_SMTP_FROM skal være afsenderens e-mailadresse"),
        ("TRIVSEL_SMTP_USER", "trivsel", "TRIVSEL_SMTP_USER og TRIVSEL_SMTP_PASSWORD skal sættes sammen"),
    ],
)
def test_a_wrong_smtp_setting_is_a_danish_error(monkeypatch, name, value, message):
    monkeypatch.setenv("TRIVSEL_SMTP_HOST", "mail.kommune.dk")
    monkeypatch.setenv("TRIVSEL_SMTP_FROM", "trivsel@kommune.dk")
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        config.smtp()


def test_deleting_a_round_forgets_its_nudges(store):
    def work(cur):
        cur.execute("INSERT INTO units VALUES ('V', 'Velfærdsområdet', NULL, '')")
        org.ensure_staff_links(cur)

    store.write(work)
    rnd, _ = rounds.create_round(store, SURVEY, "Tom", OPENS, CLOSES, ["V"], "link", "k")
    assert nudges.claim(store, rnd.round_id, "leder", "start", "x@kommune.dk", at(OPENS))
    assert not nudges.claim(store, rnd.round_id, "leder", "start", "x@kommune.dk", at(OPENS, 9))
    rounds.delete_round(store, rnd, "k")
    assert store.query_value("SELECT count(*) FROM nudges_sent") == 0


# ---------------------------------------------------------------- what the admin sees, and the CLI


@pytest.fixture
def admin_page(demo_db, monkeypatch):
    """An AppTest of a page as the demo's admin, on a copy of the demo database."""
    monkeypatch.setenv("TRIVSEL_DB", str(demo_db))

    def run(page: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        store = open_store(demo_db)
        at.session_state[TOKEN_KEY] = auth.start_session(store, "admin")
        store.close()
        at.switch_page(page)
        return at.run()

    return run


def test_admin_sets_a_leaders_email_on_brugere_and_a_wrong_one_is_refused(admin_page, demo_db):
    at = admin_page("pages/users.py")
    mail = at.tabs[2]
    mail.selectbox[0].select("leder.solgaarden")
    mail.text_input[0].input("solgaarden kommune.dk")
    mail.button[0].click().run()
    assert any("er ikke en gyldig e-mailadresse" in e.value.replace("\\", "") for e in at.error)
    mail = at.tabs[2]
    mail.selectbox[0].select("leder.solgaarden")
    mail.text_input[0].input("leder.solgaarden@kommune.dk")
    mail.button[0].click().run()
    assert any("E-mailadressen for leder.solgaarden er gemt" in s.value.replace("\\", "") for s in at.success)
    users = at.dataframe[0].value.set_index("Brugernavn")
    assert users.loc["leder.solgaarden", "E-mail"] == "leder.solgaarden@kommune.dk"
    store = open_store(demo_db)
    try:
        assert store.query_value("SELECT email FROM users WHERE username = 'leder.solgaarden'") == (
            "leder.solgaarden@kommune.dk"
        )
        assert store.query_value("SELECT count(*) FROM audit_log WHERE action = 'user_email_set'") == 1
    finally:
        store.close()


def test_settings_show_why_no_email_goes_out_what_was_sent_and_the_leaders_without_an_address(
    admin_page, demo_db, monkeypatch
):
    monkeypatch.delenv("TRIVSEL_SMTP_HOST", raising=False)
    store = open_store(demo_db)
    try:
        rnd = next(r for r in rounds.all_rounds(store) if r.status(date.today()) == "aaben")
        auth.set_email(store, "leder.hjemmepleje", "hjemmepleje@kommune.dk", actor="admin")
        nudges.claim(store, rnd.round_id, "leder.hjemmepleje", "start", "hjemmepleje@kommune.dk", at(date.today()))
    finally:
        store.close()
    page = admin_page("pages/settings_page.py")
    assert not page.exception
    assert any(
        "Der sendes ingen e-mails: mailserveren er ikke sat op" in w.value.replace("\\", "") for w in page.warning
    )
    job_names = page.dataframe[0].value["Job"].tolist()
    assert "Påmindelser til ledere (e-mail)" in job_names
    sent = page.dataframe[1].value
    assert sent[["Runde", "Leder", "Påmindelse", "Sendt til"]].values.tolist() == [
        [rnd.label, "leder.hjemmepleje", "Runden er åbnet", "hjemmepleje@kommune.dk"]
    ]
    without = page.dataframe[2].value
    assert without["Leder"].tolist() == ["leder.solgaarden"] and without["Enhed"].tolist() == ["Plejecenter Solgården"]
    assert any("1 ledere har ingen gyldig e-mailadresse" in w.value for w in page.warning)

    monkeypatch.setenv("TRIVSEL_SMTP_HOST", "mail.kommune.dk")
    monkeypatch.setenv("TRIVSEL_SMTP_PORT", "25x")
    page = admin_page("pages/settings_page.py")
    assert any("Der sendes ingen e-mails: TRIVSEL_SMTP_PORT skal være" in e.value.replace("\\", "") for e in page.error)


def trivsel(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).parent / "trivsel"), *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_cli_dry_run_lists_the_due_nudges_and_sends_nothing_then_names_the_apps_job(store, round_with_leaders):
    path = str(store.path)
    store.close()
    dry = trivsel("nudges", "send", "--dry-run", "--today", "2026-10-01", "--db", path, env={"TRIVSEL_SMTP_HOST": ""})
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines()[0] == "2 påmindelser ville blive sendt."
    assert "Efterår 2026: Runden er åbnet til leder.sol <sol@kommune.dk>" in dry.stdout
    holder = open_store(path)  # the running app
    try:
        assert holder.query_value("SELECT count(*) FROM nudges_sent") == 0
        locked = trivsel("nudges", "send", "--db", path, env={"TRIVSEL_NUDGES_HOUR": "06:30"})
    finally:
        holder.close()
    assert locked.returncode == 1
    assert locked.stderr.strip().endswith(
        "Appen kører og sender selv påmindelserne til lederne hver dag kl. 06:30 (se Indstillinger)."
    )

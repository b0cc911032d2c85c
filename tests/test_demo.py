from conftest import DEMO_TODAY
from trivsel import auth, demo, org


def test_demo_is_deterministic_for_a_seed():
    a = demo.generate(seed=7, today=DEMO_TODAY)
    b = demo.generate(seed=7, today=DEMO_TODAY)
    assert a.employments.equals(b.employments) and a.spells.equals(b.spells)
    assert not demo.generate(seed=8, today=DEMO_TODAY).spells.equals(a.spells)


def test_demo_has_the_welfare_area_shape(demo_store):
    names = {r[0] for r in demo_store.query_all("SELECT unit_name FROM units")}
    for expected in (
        "Velfærdsområdet",
        "Sundhed og Omsorg",
        "Socialområdet",
        "Sundhedsplejen",
        "Tandplejen",
        "Familiehuset",
        "Bostøtten",
        "Børne- og Ungecenter Nord (BUCN)",
    ):
        assert expected in names
    assert sum("Plejecenter" in n for n in names) >= 3
    assert sum("Hjemmeplejen" in n for n in names) >= 3
    assert sum("Botilbuddet" in n for n in names) >= 2
    assert org.units(demo_store)["depth"].max() == 3  # Velfærdsområdet -> area -> agreement unit -> department


def test_demo_has_about_2000_staff_and_small_teams(demo_store):
    current = demo_store.query_value("SELECT count(DISTINCT employee_id) FROM employments WHERE end_date IS NULL")
    assert 1800 <= current <= 2200
    small = demo_store.query_value("""
        SELECT count(*) FROM (
            SELECT unit_id FROM employments e WHERE end_date IS NULL
              AND unit_id NOT IN (SELECT DISTINCT parent_id FROM units WHERE parent_id IS NOT NULL)
            GROUP BY unit_id HAVING count(*) < 5)""")
    assert small >= 3
    assert demo_store.query_value("SELECT min(fte) > 0 AND max(fte) <= 1 FROM employments")


def test_demo_sickness_rate_is_realistic(demo_store):
    rate = demo_store.query_value("""
        WITH p AS (SELECT DATE '2023-01-01' AS f, DATE '2025-12-31' AS t),
        emp AS (SELECT e.fte, greatest(0, least(coalesce(e.end_date, t), t) - greatest(e.start_date, f) + 1) AS d
                FROM employments e, p),
        sick AS (SELECT e.fte * s.degree * greatest(0, least(coalesce(s.end_date, t), t, coalesce(e.end_date, t))
                        - greatest(s.start_date, f, e.start_date) + 1) AS d
                 FROM absence_spells s JOIN employments e USING (employee_id), p
                 WHERE s.absence_type <> 'barns_sygdom')
        SELECT (SELECT sum(d) FROM sick) / (SELECT sum(fte * d) FROM emp)""")
    assert 0.05 <= rate <= 0.09


def test_demo_spells_are_valid(demo_store):
    assert demo_store.query_value(f"SELECT count(*) FROM absence_spells WHERE start_date > DATE '{DEMO_TODAY}'") == 0
    overlaps = demo_store.query_value("""
        SELECT count(*) FROM absence_spells a JOIN absence_spells b
          ON a.employee_id = b.employee_id AND a.start_date < b.start_date
         AND coalesce(a.end_date, DATE '9999-12-31') >= b.start_date""")
    assert overlaps == 0
    assert demo_store.query_value("SELECT count(*) FROM absence_spells WHERE end_date IS NULL") > 0
    assert demo_store.query_value("SELECT count(*) FROM absence_spells WHERE end_date - start_date >= 55") > 0


def test_demo_users_log_in_for_every_role(demo_store):
    roles = {auth.authenticate(demo_store, u, demo.DEMO_PASSWORD).role for u, _, _ in demo.DEMO_USERS}
    assert roles == {
        "admin",
        "trivselskonsulent",
        "sygefravaersraadgiver",
        "supervisor",
        "leder",
        "arbejdsmiljoerepraesentant",
    }

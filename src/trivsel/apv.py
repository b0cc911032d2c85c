"""The APV (arbejdspladsvurdering, arbejdsmiljøloven § 15 a) of a unit, one per cycle.

An APV is built on a closed round of the APV survey that asked the unit (the mapping), and holds the problem
list, the written assessment of the sickness absence, the action plan (the round's action notes for the unit)
and the approvals. A leader writes the APV of the own units; it is approved once a leader and an
arbejdsmiljørepræsentant of the unit have both approved it, and is then revised at the latest 3 years later.
An approved APV's problems and assessment are fixed; its action plan is still followed up.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import pandas as pd

from trivsel import audit, org
from trivsel.auth import Identity
from trivsel.roles import AMR, LEDER, role_label
from trivsel.store import Store
from trivsel.surveys import actions, rounds

SURVEY_ID = "apv"
REVISION_YEARS = 3  # arbejdsmiljøloven § 15 a: revised at least every three years
DUE_SOON_DAYS = 90
APPROVERS = (LEDER, AMR)
PRIORITIES = {1: "Høj", 2: "Middel", 3: "Lav"}
MAX_TITLE, MAX_TEXT = 200, 2000


class ApvError(ValueError):
    """A refused APV change, with a Danish message."""


@dataclass(frozen=True)
class Apv:
    apv_id: str
    unit_id: str
    round_id: str
    absence_assessment: str
    approved_on: date | None
    revise_by: date | None
    created_by: str
    created_on: date

    @property
    def approved(self) -> bool:
        return self.approved_on is not None


_COLUMNS = "apv_id, unit_id, round_id, absence_assessment, approved_on, revise_by, created_by, created_on"


def revision_limit(day: date) -> date:
    """The latest revision date for an APV approved on `day`."""
    try:
        return day.replace(year=day.year + REVISION_YEARS)
    except ValueError:  # 29 February
        return day.replace(year=day.year + REVISION_YEARS, day=28)


def get(store: Store, apv_id: str) -> Apv:
    row = store.query_one(f"SELECT {_COLUMNS} FROM apvs WHERE apv_id = ?", [apv_id])
    if row is None:
        raise ApvError("APV'en findes ikke længere.")
    return Apv(*row)


def of_unit(store: Store, unit_id: str) -> list[Apv]:
    """The unit's APVs, newest first."""
    rows = store.query_all(f"SELECT {_COLUMNS} FROM apvs WHERE unit_id = ? ORDER BY created_on DESC", [unit_id])
    return [Apv(*row) for row in rows]


def visible(store: Store, apv_id: str, who: Identity) -> Apv:
    """The APV, if the user may see it: their own units' for a leader or arbejdsmiljørepræsentant."""
    found = get(store, apv_id)
    _check_sees(store, who, found.unit_id)
    return found


def _check_sees(store: Store, who: Identity, unit_id: str) -> None:
    if who.scope and unit_id not in org.subtree_ids(store, who.scope):
        raise ApvError("Du kan kun se og skrive APV for dine egne enheder.")


def _check_writes(store: Store, who: Identity, unit_id: str) -> None:
    if who.role != LEDER:
        raise ApvError(f"Kun enhedens leder skriver APV'en; rollen {role_label(who.role)} kan ikke ændre den.")
    _check_sees(store, who, unit_id)


def _editable(store: Store, who: Identity, apv_id: str) -> Apv:
    found = get(store, apv_id)
    _check_writes(store, who, found.unit_id)
    if found.approved:
        raise ApvError("APV'en er godkendt og kan ikke ændres. Handleplanen kan stadig følges op.")
    return found


def candidate_rounds(store: Store, unit_id: str, today: date) -> list[rounds.Round]:
    """The closed rounds of the APV survey that asked the unit or units under it, and have no APV of it yet."""
    used = {a.round_id for a in of_unit(store, unit_id)}
    asked = rounds.units_of_rounds(store, [r.round_id for r in rounds.all_rounds(store) if r.survey_id == SURVEY_ID])
    below = set(org.subtree_ids(store, unit_id))
    ids = set(asked.loc[asked["unit_id"].isin(below), "round_id"])
    return [
        r
        for r in rounds.all_rounds(store)
        if r.round_id in ids and r.round_id not in used and r.results_released(today)
    ]


def start(store: Store, unit_id: str, round_id: str, who: Identity, today: date) -> str:
    """A new APV of the unit on a closed round of the APV survey."""
    _check_writes(store, who, unit_id)
    if round_id not in {r.round_id for r in candidate_rounds(store, unit_id, today)}:
        raise ApvError(
            "Vælg en lukket runde med APV-spørgeskemaet, som spurgte enheden, og som enheden ikke har en APV på."
        )
    apv_id = uuid.uuid4().hex

    def work(cur):
        cur.execute(
            "INSERT INTO apvs (apv_id, unit_id, round_id, created_by, created_on) VALUES (?, ?, ?, ?, ?)",
            [apv_id, unit_id, round_id, who.username, today],
        )
        audit.record(cur, who.username, "apv_started", apv_id=apv_id, unit_id=unit_id, round_id=round_id)

    store.write(work)
    return apv_id


def problems(store: Store, apv_id: str) -> pd.DataFrame:
    """The problem list, highest priority first."""
    return store.query_df(
        """SELECT problem_id, title, measure, priority, description, written_by, written_on
           FROM apv_problems WHERE apv_id = ? ORDER BY priority, written_on, title""",
        [apv_id],
    )


def add_problem(
    store: Store,
    apv_id: str,
    title: str,
    priority: int,
    description: str,
    who: Identity,
    today: date,
    measure: str | None = None,
) -> str:
    """A problem on the list: a suggested area (`measure`) or the unit's own."""
    _editable(store, who, apv_id)
    title, description = title.strip(), description.strip()
    if not title:
        raise ApvError("Skriv, hvad problemet er.")
    if len(title) > MAX_TITLE or len(description) > MAX_TEXT:
        raise ApvError(f"Problemet må højst være {MAX_TITLE} tegn og beskrivelsen {MAX_TEXT} tegn.")
    if priority not in PRIORITIES:
        raise ApvError("Prioriteten skal være høj, middel eller lav.")
    if measure and (problems(store, apv_id)["measure"] == measure).any():
        raise ApvError("Området står allerede på problemlisten.")
    problem_id = uuid.uuid4().hex

    def work(cur):
        cur.execute(
            "INSERT INTO apv_problems VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [problem_id, apv_id, title, measure, priority, description, who.username, today],
        )
        audit.record(cur, who.username, "apv_problem_added", apv_id=apv_id, problem_id=problem_id, measure=measure)

    store.write(work)
    return problem_id


def remove_problem(store: Store, apv_id: str, problem_id: str, who: Identity) -> None:
    """A problem written by mistake; refused once actions answer it."""
    _editable(store, who, apv_id)
    if store.query_value("SELECT count(*) FROM action_notes WHERE problem_id = ?", [problem_id]):
        raise ApvError("Problemet har handlinger i handleplanen og kan ikke fjernes.")

    def work(cur):
        cur.execute("DELETE FROM apv_problems WHERE apv_id = ? AND problem_id = ?", [apv_id, problem_id])
        audit.record(cur, who.username, "apv_problem_removed", apv_id=apv_id, problem_id=problem_id)

    store.write(work)


def set_absence_assessment(store: Store, apv_id: str, text: str, who: Identity) -> None:
    """The written assessment of whether the sickness absence is connected to the working environment."""
    _editable(store, who, apv_id)
    if len(text) > MAX_TEXT:
        raise ApvError(f"Vurderingen må højst være {MAX_TEXT} tegn.")

    def work(cur):
        cur.execute("UPDATE apvs SET absence_assessment = ? WHERE apv_id = ?", [text.strip(), apv_id])
        audit.record(cur, who.username, "apv_absence_assessed", apv_id=apv_id)

    store.write(work)


def plan(store: Store, apv_id: str) -> pd.DataFrame:
    """The action plan: the APV round's action notes for the unit, with the problem each answers."""
    found = get(store, apv_id)
    notes = actions.notes(store, found.round_id, [found.unit_id], apv=True)
    titles = problems(store, apv_id).set_index("problem_id")["title"]
    return notes.assign(problem=notes["problem_id"].map(titles).fillna(""))


def late(plan_rows: pd.DataFrame, today: date) -> pd.Series:
    """The actions past their deadline and not done."""
    due = pd.to_datetime(plan_rows["due_on"])
    return (plan_rows["status"] != "faerdig") & due.notna() & (due < pd.Timestamp(today))


def add_action(
    store: Store,
    apv_id: str,
    problem_id: str,
    what: str,
    owner: str,
    due_on: date | None,
    follow_up_on: date | None,
    who: Identity,
    today: date,
) -> str:
    """An action on the plan, answering a problem on the list, with its deadline and follow-up date."""
    found = get(store, apv_id)
    _check_writes(store, who, found.unit_id)
    if problem_id not in set(problems(store, apv_id)["problem_id"]):
        raise ApvError("Vælg det problem på problemlisten, som handlingen skal løse.")
    if due_on is None or follow_up_on is None:
        raise ApvError("Skriv både en frist og en dato for opfølgning.")
    if follow_up_on < due_on:
        raise ApvError("Opfølgningen kan ikke ligge før fristen.")
    try:
        return actions.add(
            store,
            found.round_id,
            found.unit_id,
            what,
            owner,
            due_on,
            who.username,
            who.scope,
            today,
            role=who.role,
            problem_id=problem_id,
            follow_up_on=follow_up_on,
        )
    except actions.ActionError as exc:
        raise ApvError(str(exc)) from exc


def set_action_status(store: Store, apv_id: str, note_id: str, status: str, who: Identity, today: date) -> None:
    found = get(store, apv_id)
    _check_writes(store, who, found.unit_id)
    if note_id not in set(plan(store, apv_id)["note_id"]):
        raise ApvError("Handlingen hører ikke til denne APV.")
    try:
        actions.set_status(store, note_id, status, who.username, who.scope, today, role=who.role)
    except actions.ActionError as exc:
        raise ApvError(str(exc)) from exc


def set_revise_by(store: Store, apv_id: str, revise_by: date | None, who: Identity, today: date) -> None:
    """An earlier revision date than 3 years after approval (e.g. a planned move); None for the 3 years."""
    _editable(store, who, apv_id)
    if revise_by is not None and not today < revise_by <= revision_limit(today):
        raise ApvError(f"Revisionsdatoen skal ligge efter i dag og højst {REVISION_YEARS} år fremme.")

    def work(cur):
        cur.execute("UPDATE apvs SET revise_by = ? WHERE apv_id = ?", [revise_by, apv_id])
        audit.record(cur, who.username, "apv_revise_by_set", apv_id=apv_id, revise_by=revise_by)

    store.write(work)


def approvals(store: Store, apv_id: str) -> pd.DataFrame:
    found = store.query_df(
        "SELECT username, role, approved_on FROM apv_approvals WHERE apv_id = ? ORDER BY approved_on, username",
        [apv_id],
    )
    return found.assign(role=found["role"].map(role_label))


def approve(store: Store, apv_id: str, who: Identity, today: date) -> bool:
    """Record the user's approval; return whether the APV is approved now (a leader and an
    arbejdsmiljørepræsentant have both approved), which sets its approval and revision dates."""
    found = get(store, apv_id)
    if who.role not in APPROVERS:
        raise ApvError(
            f"Rollen {role_label(who.role)} godkender ikke APV'er; det gør leder og arbejdsmiljørepræsentant."
        )
    _check_sees(store, who, found.unit_id)
    if found.approved:
        raise ApvError("APV'en er allerede godkendt.")
    if not found.absence_assessment:
        raise ApvError("Skriv vurderingen af sygefraværet, før APV'en godkendes.")
    if problems(store, apv_id).empty:
        raise ApvError("Problemlisten er tom. Skriv mindst ét problem, eller at kortlægningen ikke viste nogen.")

    def work(cur):
        if cur.execute(
            "SELECT count(*) FROM apv_approvals WHERE apv_id = ? AND username = ?", [apv_id, who.username]
        ).fetchone()[0]:
            raise ApvError("Du har allerede godkendt APV'en.")
        cur.execute("INSERT INTO apv_approvals VALUES (?, ?, ?, ?)", [apv_id, who.username, who.role, today])
        roles = {r for (r,) in cur.execute("SELECT role FROM apv_approvals WHERE apv_id = ?", [apv_id]).fetchall()}
        done = set(APPROVERS) <= roles
        if done:
            limit = revision_limit(today)
            revise_by = min(found.revise_by, limit) if found.revise_by else limit
            cur.execute("UPDATE apvs SET approved_on = ?, revise_by = ? WHERE apv_id = ?", [today, revise_by, apv_id])
        audit.record(cur, who.username, "apv_approved", apv_id=apv_id, role=who.role, complete=done)
        return done

    return store.write(work)


def record_discussion(store: Store, unit_id: str, held_on: date, note: str, who: Identity, today: date) -> None:
    """The annual arbejdsmiljødrøftelse: when it was held and a short note."""
    _check_writes(store, who, unit_id)
    note = note.strip()
    if not note:
        raise ApvError("Skriv en kort note om drøftelsen.")
    if len(note) > MAX_TEXT:
        raise ApvError(f"Noten må højst være {MAX_TEXT} tegn.")
    if held_on > today:
        raise ApvError("Drøftelsen kan ikke være holdt i fremtiden.")

    def work(cur):
        cur.execute(
            "INSERT INTO apv_discussions VALUES (?, ?, ?, ?, ?)",
            [uuid.uuid4().hex, unit_id, held_on, note, who.username],
        )
        audit.record(cur, who.username, "apv_discussion", unit_id=unit_id, held_on=held_on)

    store.write(work)


def discussions(store: Store, unit_id: str) -> pd.DataFrame:
    return store.query_df(
        "SELECT held_on, note, written_by FROM apv_discussions WHERE unit_id = ? ORDER BY held_on DESC", [unit_id]
    )


STATES = {
    "none": "Ingen APV",
    "draft": "Under udarbejdelse",
    "current": "Gældende",
    "due_soon": "Skal snart revideres",
    "overdue": "Forfalden",
}


def state(last: Apv | None, writing: bool, today: date) -> str:
    """Where a unit stands: its newest approved APV decides; without one, whether one is being written."""
    if last is None:
        return "draft" if writing else "none"
    if last.revise_by < today:
        return "overdue"
    return "due_soon" if (last.revise_by - today).days <= DUE_SOON_DAYS else "current"


def overview(store: Store, today: date) -> pd.DataFrame:
    """Every unit with an APV, and every aftaleenhed without one: the state of its APV, the last approved one and
    when the next is due, open actions past their deadline, the last arbejdsmiljødrøftelse, and whether anything
    is overdue (no approved APV, a revision date passed, a late action, or no drøftelse for a year)."""
    units = org.units(store)
    apvs = [Apv(*row) for row in store.query_all(f"SELECT {_COLUMNS} FROM apvs ORDER BY created_on")]
    listed = units[(units["depth"] == 2) | units["unit_id"].isin({a.unit_id for a in apvs})]
    late = dict(
        store.query_all(
            """SELECT n.unit_id, count(*) FROM action_notes n JOIN apvs a USING (round_id, unit_id)
               WHERE n.status <> 'faerdig' AND n.due_on < ? GROUP BY n.unit_id""",
            [today],
        )
    )
    talks = {
        unit_id: (held_on, note)
        for unit_id, held_on, note in store.query_all(
            """SELECT unit_id, held_on, note FROM apv_discussions
               QUALIFY row_number() OVER (PARTITION BY unit_id ORDER BY held_on DESC) = 1"""
        )
    }
    rows = []
    for unit_id, name in zip(listed["unit_id"], listed["unit_name"]):
        own = [a for a in apvs if a.unit_id == unit_id]
        last = max((a for a in own if a.approved), key=lambda a: a.approved_on, default=None)
        found = state(last, bool(own), today)
        held, note = talks.get(unit_id, (None, ""))
        rows.append(
            {
                "unit_id": unit_id,
                "unit_name": name,
                "state": STATES[found],
                "approved_on": last.approved_on if last else None,
                "revise_by": last.revise_by if last else None,
                "late_actions": late.get(unit_id, 0),
                "discussion_on": held,
                "discussion_note": note,
                "overdue": found in ("none", "draft", "overdue")
                or unit_id in late
                or held is None
                or (today - held).days > 365,
            }
        )
    return pd.DataFrame(rows, columns=list(OVERVIEW_COLUMNS))


OVERVIEW_COLUMNS = {
    "unit_id": "Enhed-id",
    "unit_name": "Enhed",
    "state": "APV",
    "approved_on": "Sidst godkendt",
    "revise_by": "Næste senest",
    "late_actions": "Handlinger over frist",
    "discussion_on": "Arbejdsmiljødrøftelse",
    "discussion_note": "Note fra drøftelsen",
    "overdue": "Forfalden",
}

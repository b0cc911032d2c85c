"""Survey rounds: opening a round for units, one-time codes, and storing anonymous answers.

An answer is stored with its round, unit and survey version only. A code is kept as a
hash with a bare `used` flag (no time, no order), and a code holder's unfinished answers
(the draft) are deleted in the same transaction that stores the finished, unlinked answer.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import uuid
from dataclasses import dataclass
from datetime import date

import pandas as pd

from trivsel import audit, org
from trivsel.store import Store
from trivsel.surveys import responses
from trivsel.surveys.definitions import Survey
from trivsel.surveys.responses import CHOSEN_ROUNDS

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are typed from paper
ACCESS_LABELS = {"link": "Enhedens link", "code": "Engangskoder", "historical": "Historisk (importeret)"}
STATUS_LABELS = {"planlagt": "Planlagt", "aaben": "Åben", "lukket": "Lukket", "historisk": "Historisk"}


class RoundError(ValueError):
    """A refusal with a Danish message for the respondent or the konsulent."""


class UnknownCodeError(RoundError):
    """No round has this one-time code: a typo, or a guess the staff page counts."""


# A unit link could otherwise take any number of answers, and known answers added beside a real one
# can be subtracted from the unit's result. No unit stores more answers than it had employees.
FULL_UNIT = (
    "Din enhed har allerede fået lige så mange svar, som der var ansatte, da målingen åbnede. "
    "Kontakt trivselskonsulenten, hvis du ikke har svaret."
)


@dataclass(frozen=True)
class Round:
    round_id: str
    survey_id: str
    survey_version: int
    label: str
    opens_on: date | None
    closes_on: date | None
    access: str
    is_baseline: bool
    closed_early: bool = False

    def status(self, today: date) -> str:
        if self.access == "historical":
            return "historisk"
        if self.closed_early:
            return "lukket"
        if today < self.opens_on:
            return "planlagt"
        return "aaben" if today <= self.closes_on else "lukket"

    def results_released(self, today: date) -> bool:
        """Figures about the answers leave only once no answer can arrive: before that, each change
        between two looks at a result would be the newest answer."""
        return self.status(today) in ("lukket", "historisk")

    def release_note(self) -> str:
        """Why a round shows no results yet, in Danish."""
        return f"Resultaterne vises, når runden er lukket den {self.closes_on:%d-%m-%Y}."


_ROUND_FIELDS = [
    "round_id",
    "survey_id",
    "survey_version",
    "label",
    "opens_on",
    "closes_on",
    "access",
    "is_baseline",
    "closed_early",
]
_ROUND_COLUMNS = ", ".join(_ROUND_FIELDS)
_ROUND_COLUMNS_R = ", ".join(f"r.{f}" for f in _ROUND_FIELDS)


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def hash_code(code: str) -> str:
    normalised = "".join(code.upper().split()).replace("-", "")
    return hashlib.sha256(normalised.encode("ascii", errors="replace")).hexdigest()


# A lifecycle pool is a code round too, but it is run by its schedule (trivsel.lifecycle), not on Målinger.
_NOT_A_POOL = "round_id NOT IN (SELECT round_id FROM lifecycle_pools)"


def all_rounds(store: Store) -> list[Round]:
    """The rounds the konsulent runs (lifecycle pools left out)."""
    rows = store.query_all(
        f"SELECT {_ROUND_COLUMNS} FROM survey_rounds WHERE {_NOT_A_POOL} ORDER BY opens_on DESC NULLS LAST, label"
    )
    return [Round(*row) for row in rows]


def find_round(store: Store, survey_id: str, label: str) -> Round | None:
    row = store.query_one(
        f"SELECT {_ROUND_COLUMNS} FROM survey_rounds WHERE survey_id = ? AND label = ?", [survey_id, label]
    )
    return Round(*row) if row else None


def create_round(
    store: Store,
    survey: Survey,
    label: str,
    opens_on: date,
    closes_on: date,
    unit_ids: list[str],
    access: str,
    actor: str,
    is_baseline: bool = False,
) -> tuple[Round, pd.DataFrame]:
    """Open a round; with access 'code', return one fresh code per person (unit_id, unit_name, code)."""
    label = _clean_label(label)
    if access not in ("link", "code"):
        raise RoundError("Adgangen skal være enhedens link eller engangskoder.")
    if closes_on < opens_on:
        raise RoundError("Runden kan ikke lukke, før den åbner.")
    if not unit_ids:
        raise RoundError("Vælg mindst én enhed.")
    _check_label_free(store, survey.id, label)
    names = {u: org.unit_name(store, u) for u in unit_ids}
    unknown = [u for u, n in names.items() if n is None]
    if unknown:
        raise RoundError(f"Ukendte enheder: {', '.join(unknown)}.")
    counts = org.headcount(store, unit_ids, opens_on).set_index("unit_id")["persons"]
    persons = {u: int(counts.get(u, 0)) for u in unit_ids}
    codes = pd.DataFrame(
        [(u, names[u], new_code()) for u in unit_ids for _ in range(persons[u] if access == "code" else 0)],
        columns=["unit_id", "unit_name", "code"],
    )
    rnd = Round(uuid.uuid4().hex, survey.id, survey.version, label, opens_on, closes_on, access, is_baseline)

    def work(cur):
        cur.execute(
            f"INSERT INTO survey_rounds ({_ROUND_COLUMNS}, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [*rnd.__dict__.values(), actor],
        )
        cur.executemany(
            "INSERT INTO round_units (round_id, unit_id, persons_at_start) VALUES (?, ?, ?)",
            [[rnd.round_id, u, n] for u, n in persons.items()],
        )
        if len(codes):
            cur.executemany(
                "INSERT INTO round_codes (code_hash, round_id, unit_id) VALUES (?, ?, ?)",
                [[hash_code(c), rnd.round_id, u] for u, c in zip(codes["unit_id"], codes["code"])],
            )
        audit.record(
            cur,
            actor,
            "round_created",
            survey=survey.id,
            label=label,
            units=len(unit_ids),
            access=access,
            codes=len(codes),
        )

    store.write(work)
    return rnd, codes


def close_round(store: Store, rnd: Round, today: date, actor: str) -> None:
    """Close a round before its close date: no more answers, and its results are released."""
    if rnd.status(today) != "aaben":
        raise RoundError("Kun en åben runde kan lukkes.")

    def work(cur):
        cur.execute("UPDATE survey_rounds SET closed_early = true WHERE round_id = ?", [rnd.round_id])
        audit.record(cur, actor, "round_closed", survey=rnd.survey_id, label=rnd.label)

    store.write(work)
    shuffle_answers(store)  # the round's answers lose their arrival order now, not only at night


def _clean_label(label: str) -> str:
    label = label.strip()
    if not label:
        raise RoundError("Runden skal have et navn.")
    return label


def _check_label_free(store: Store, survey_id: str, label: str) -> None:
    if find_round(store, survey_id, label):
        raise RoundError(f"Der findes allerede en runde med navnet '{label}'.")


def overlapping_rounds(
    store: Store, survey_id: str, unit_ids: list[str], opens_on: date, closes_on: date, today: date
) -> pd.DataFrame:
    """The rounds of the same survey, open or planned today, that take any of the units during the
    period: one row per round and unit (label, opens_on, closes_on, unit_id, unit_name). Two such
    rounds at once split a unit's answers, and staff get asked twice."""
    return store.query_df(
        f"""SELECT r.label, r.opens_on, r.closes_on, u.unit_id, n.unit_name
           FROM survey_rounds r JOIN round_units u USING (round_id) JOIN units n USING (unit_id)
           WHERE r.survey_id = $survey AND r.access <> 'historical' AND NOT r.closed_early AND r.{_NOT_A_POOL}
             AND r.closes_on >= $today AND r.opens_on <= $closes AND r.closes_on >= $opens
             AND u.unit_id IN (SELECT unnest($units::VARCHAR[]))
           ORDER BY r.opens_on, r.label, n.unit_name""",
        {"survey": survey_id, "units": list(unit_ids), "opens": opens_on, "closes": closes_on, "today": today},
    )


def extend_round(store: Store, rnd: Round, closes_on: date, today: date, actor: str) -> None:
    """Move an open or planned round's close date later. A closed round is never reopened: its results
    have been shown, and an answer arriving after that could be told apart."""
    rnd = round_by_id(store, rnd.round_id)  # as stored now: another session may have changed it
    if rnd.status(today) not in ("aaben", "planlagt"):
        raise RoundError("Kun en åben eller planlagt runde kan forlænges.")
    if closes_on <= rnd.closes_on:
        raise RoundError(f"Den nye lukkedato skal ligge efter den nuværende ({rnd.closes_on:%d-%m-%Y}).")

    def work(cur):
        cur.execute("UPDATE survey_rounds SET closes_on = ? WHERE round_id = ?", [closes_on, rnd.round_id])
        audit.record(
            cur,
            actor,
            "round_extended",
            survey=rnd.survey_id,
            label=rnd.label,
            closes_before=rnd.closes_on,
            closes_on=closes_on,
        )

    store.write(work)


def rename_round(store: Store, rnd: Round, label: str, actor: str) -> None:
    """Give a round a new name, unique among the rounds of its survey."""
    label = _clean_label(label)
    rnd = round_by_id(store, rnd.round_id)  # as stored now: another session may have changed it
    if label == rnd.label:
        raise RoundError(f"Runden hedder allerede '{label}'.")
    _check_label_free(store, rnd.survey_id, label)

    def work(cur):
        cur.execute("UPDATE survey_rounds SET label = ? WHERE round_id = ?", [label, rnd.round_id])
        audit.record(cur, actor, "round_renamed", survey=rnd.survey_id, label_before=rnd.label, label=label)

    store.write(work)


HAS_ANSWERS = "Runden kan ikke slettes, fordi der er kommet svar i den."
_ANSWER_COUNT = "SELECT count(*) FROM survey_responses WHERE round_id = ?"


def has_answers(store: Store, round_id: str) -> bool:
    """Whether any answer has arrived (a yes or no only: counts under the threshold stay hidden)."""
    return store.query_value(_ANSWER_COUNT, [round_id]) > 0


def delete_round(store: Store, rnd: Round, actor: str) -> None:
    """Delete a round that has no answers, with its units, one-time codes, unfinished answers and the record of
    its nudges (a round made by mistake). A round with answers, or with follow-up agreed on it, stays."""
    rnd = round_by_id(store, rnd.round_id)  # as stored now: another session may have changed it

    def work(cur):
        # Counted inside the transaction: an answer that arrives meanwhile makes one of the two retry.
        if cur.execute(_ANSWER_COUNT, [rnd.round_id]).fetchone()[0]:
            raise RoundError(HAS_ANSWERS)
        if cur.execute("SELECT count(*) FROM action_notes WHERE round_id = ?", [rnd.round_id]).fetchone()[0]:
            raise RoundError("Runden kan ikke slettes, fordi der er aftalt opfølgning på den.")
        drafts = cur.execute(
            "DELETE FROM code_drafts WHERE code_hash IN (SELECT code_hash FROM round_codes WHERE round_id = ?)",
            [rnd.round_id],
        ).fetchone()[0]
        codes = cur.execute("DELETE FROM round_codes WHERE round_id = ?", [rnd.round_id]).fetchone()[0]
        units = cur.execute("DELETE FROM round_units WHERE round_id = ?", [rnd.round_id]).fetchone()[0]
        cur.execute("DELETE FROM nudges_sent WHERE round_id = ?", [rnd.round_id])
        cur.execute("DELETE FROM survey_rounds WHERE round_id = ?", [rnd.round_id])
        audit.record(
            cur, actor, "round_deleted", survey=rnd.survey_id, label=rnd.label, units=units, codes=codes, drafts=drafts
        )

    store.write(work)


def round_by_id(store: Store, round_id: str) -> Round:
    row = store.query_one(f"SELECT {_ROUND_COLUMNS} FROM survey_rounds WHERE round_id = ?", [round_id])
    if row is None:  # deleted, e.g. in another session since the page showed it
        raise RoundError("Runden findes ikke længere.")
    return Round(*row)


def units_of_rounds(store: Store, round_ids: list[str]) -> pd.DataFrame:
    """(round_id, unit_id) of every unit taking part in the given rounds."""
    return store.query_df(
        f"SELECT round_id, unit_id FROM round_units WHERE {CHOSEN_ROUNDS} ORDER BY round_id, unit_id",
        {"rounds": round_ids},
    )


def open_link_rounds(store: Store, unit_id: str, today: date) -> list[Round]:
    rows = store.query_all(
        f"""SELECT {_ROUND_COLUMNS_R}
            FROM survey_rounds r JOIN round_units u USING (round_id)
            WHERE u.unit_id = ? AND r.access = 'link' AND NOT r.closed_early AND r.opens_on <= ? AND r.closes_on >= ?
            ORDER BY r.closes_on, r.label""",
        [unit_id, today, today],
    )
    return [Round(*row) for row in rows]


def resolve_code(store: Store, code: str, today: date) -> tuple[Round, str, dict]:
    """The round, unit and saved draft a one-time code opens, or a Danish refusal."""
    row = store.query_one("SELECT round_id, unit_id, used FROM round_codes WHERE code_hash = ?", [hash_code(code)])
    if row is None:
        raise UnknownCodeError("Koden findes ikke. Tjek, at den er skrevet rigtigt.")
    round_id, unit_id, used = row
    if used:
        raise RoundError("Koden er allerede brugt. En kode kan kun bruges én gang.")
    rnd = round_by_id(store, round_id)
    _check_open(rnd, today)
    draft = store.query_value("SELECT answers FROM code_drafts WHERE code_hash = ?", [hash_code(code)])
    return rnd, unit_id, json.loads(draft) if draft else {}


def save_draft(store: Store, code: str, answers: dict) -> None:
    """Keep a code's unfinished answers (saved at every section). No figure reads a draft: bookkeeping."""
    store.write(
        lambda cur: cur.execute(
            "INSERT OR REPLACE INTO code_drafts VALUES (?, ?)", [hash_code(code), json.dumps(answers)]
        ),
        bookkeeping=True,
    )


def _check_open(rnd: Round, today: date) -> None:
    status = rnd.status(today)
    if status == "planlagt":
        raise RoundError(f"Målingen åbner først {rnd.opens_on:%d-%m-%Y}.")
    if status != "aaben":
        raise RoundError("Målingen er lukket, og der kan ikke længere svares.")


def answer_problems(survey: Survey, answers: dict) -> list[str]:
    """Danish reasons an answer set cannot be stored (required items, ranges, options, lengths)."""
    problems = []
    for number, item in enumerate(survey.items, start=1):
        value = answers.get(item.id)
        if value in (None, "", []):
            if item.required:
                problems.append(f"Spørgsmål {number} skal besvares.")
            continue
        if item.value_range:
            low, high = item.value_range
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                problems.append(f"Spørgsmål {number}: svaret skal være et helt tal fra {low} til {high}.")
        elif item.type in ("single_choice", "multiple_choice"):
            chosen = value if isinstance(value, list) else [value]
            allowed = {o.value for o in item.options}
            if (item.type == "single_choice" and isinstance(value, list)) or not set(chosen) <= allowed:
                problems.append(f"Spørgsmål {number}: ukendt svarmulighed.")
        elif item.type == "free_text" and (not isinstance(value, str) or len(value) > item.max_length):
            problems.append(f"Spørgsmål {number}: teksten må højst være {item.max_length} tegn.")
    unknown = set(answers) - {i.id for i in survey.items}
    if unknown:
        problems.append(f"Ukendte spørgsmål: {', '.join(sorted(unknown))}.")
    return problems


def answer_rows(survey: Survey, answers: dict) -> list[tuple[str, int | None, str | None]]:
    """(item_id, value, text) for each answered item, as survey_answers stores them."""
    rows = []
    for item in survey.items:
        value = answers.get(item.id)
        if value in (None, "", []):
            continue
        if item.value_range:
            rows.append((item.id, int(value), None))
        else:
            rows.append((item.id, None, ",".join(sorted(value)) if isinstance(value, list) else str(value)))
    return rows


def insert_response(cur, round_id: str, unit_id: str, version: int, rows: list[tuple]) -> None:
    response_id = uuid.uuid4().hex
    cur.execute("INSERT INTO survey_responses VALUES (?, ?, ?, ?)", [response_id, round_id, unit_id, version])
    # One statement for all the answers: executemany runs one per row, 20-30 ms for a whole survey.
    cur.execute(
        "INSERT INTO survey_answers SELECT ?, unnest(?::VARCHAR[]), unnest(?::INTEGER[]), unnest(?::VARCHAR[])",
        [response_id, [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]],
    )


def submit(
    store: Store, rnd: Round, unit_id: str, survey: Survey, answers: dict, today: date, code: str | None = None
) -> None:
    """Store one finished answer; with a code, use it up and drop its draft in the same transaction."""
    _check_open(rnd, today)
    if survey.id != rnd.survey_id:
        raise RoundError("Spørgeskemaet passer ikke til runden.")
    problems = answer_problems(survey, answers)
    if problems:
        raise RoundError(" ".join(problems))
    if rnd.access == "code" and code is None:
        raise RoundError("Denne måling kræver en engangskode.")
    if not store.query_value(
        "SELECT count(*) FROM round_units WHERE round_id = ? AND unit_id = ?", [rnd.round_id, unit_id]
    ):
        raise RoundError("Din enhed er ikke med i denne måling.")
    rows = answer_rows(survey, answers)

    def work(cur):
        # Bumping the unit's lock makes two answers sent at once conflict, so the later one is retried
        # and sees the first: the count and the cap are checked atomically.
        room = cur.execute(
            """UPDATE round_units SET answer_lock = answer_lock + 1
               WHERE round_id = $round AND unit_id = $unit AND persons_at_start >
                     (SELECT count(*) FROM survey_responses WHERE round_id = $round AND unit_id = $unit)""",
            {"round": rnd.round_id, "unit": unit_id},
        ).fetchall()
        if room[0][0] != 1:
            raise RoundError(FULL_UNIT)
        if code is not None:
            used = cur.execute(
                "UPDATE round_codes SET used = true WHERE code_hash = ? AND round_id = ? AND unit_id = ? AND NOT used",
                [hash_code(code), rnd.round_id, unit_id],
            ).fetchall()
            if used[0][0] != 1:
                raise RoundError("Koden er allerede brugt. En kode kan kun bruges én gang.")
            cur.execute("DELETE FROM code_drafts WHERE code_hash = ?", [hash_code(code)])
        insert_response(cur, rnd.round_id, unit_id, rnd.survey_version, rows)

    with _unit_lock(rnd.round_id, unit_id):
        store.write(work, answers=True)  # the absence figures stay kept


_unit_locks: dict[tuple[str, str], threading.Lock] = {}
_unit_locks_guard = threading.Lock()


def _unit_lock(round_id: str, unit_id: str) -> threading.Lock:
    """One lock per round and unit: staff who send together at a meeting wait their turn in the app (one
    process writes the file) rather than conflicting in the database until its retries run out."""
    with _unit_locks_guard:
        return _unit_locks.setdefault((round_id, unit_id), threading.Lock())


# DuckDB keeps a table's rows in the order they were inserted, so answers lie in the order they arrived
# until they are written again, sorted by their random ids. A round is due when its responses, or the
# blocks of its answers, are out of that order: that happens once an answer arrived after the last rewrite
# (unless its random id happens to sort last, which tells nothing either).
_UNSORTED_ROUNDS = """
    SELECT round_id FROM (
        SELECT round_id, response_id < lag(response_id) OVER (PARTITION BY round_id ORDER BY rowid) AS back
        FROM survey_responses)
    GROUP BY round_id HAVING bool_or(back)
    UNION
    SELECT round_id FROM (
        SELECT r.round_id, a.response_id < lag(a.response_id) OVER (PARTITION BY r.round_id ORDER BY a.rowid) AS back
        FROM survey_answers a JOIN survey_responses r USING (response_id))
    GROUP BY round_id HAVING bool_or(back)"""
_SHUFFLE = (
    "CREATE TEMP TABLE shuffled_responses AS SELECT * FROM survey_responses WHERE " + CHOSEN_ROUNDS,
    (
        "CREATE TEMP TABLE shuffled_answers AS "
        "SELECT * FROM survey_answers WHERE response_id IN (SELECT response_id FROM shuffled_responses)"
    ),
    "DELETE FROM survey_answers WHERE response_id IN (SELECT response_id FROM shuffled_responses)",
    "DELETE FROM survey_responses WHERE response_id IN (SELECT response_id FROM shuffled_responses)",
    "INSERT INTO survey_responses SELECT * FROM shuffled_responses ORDER BY response_id",
    "INSERT INTO survey_answers SELECT * FROM shuffled_answers ORDER BY response_id, item_id",
    "DROP TABLE shuffled_responses",
    "DROP TABLE shuffled_answers",
)


def shuffle_answers(store: Store) -> int:
    """Rewrite the answers of every round whose stored order could say when they arrived, sorted by their
    random ids; return how many rounds were rewritten. The nightly retention run calls this, so a round's
    answers are rewritten the night after they came in, and for the last time the night after it closed."""

    def work(cur):
        due = [r for (r,) in cur.execute(_UNSORTED_ROUNDS).fetchall()]
        if due:
            cur.execute(_SHUFFLE[0], {"rounds": due})
            for statement in _SHUFFLE[1:]:
                cur.execute(statement)
        return len(due)

    rewritten = store.write(work)
    # Moves the rewrite, and DuckDB's log of the day's submissions in the order they came, into the database file.
    store.cursor().execute("CHECKPOINT")
    return rewritten


def units_at_headcount(store: Store, round_id: str) -> list[str]:
    """The units of a round that have as many answers as they had staff (and so take no more)."""
    counts = responses.response_counts(store, round_id)
    return counts.loc[
        (counts["persons_at_start"] > 0) & (counts["responses"] >= counts["persons_at_start"]), "unit_id"
    ].tolist()

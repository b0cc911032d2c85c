"""Deterministic scale data, written straight into DuckDB (Arrow bulk inserts, not the CSV importer).

A *scale* is a number of positions (the headcount at any time), a number of municipality
subtrees and a number of years of history. The generator is vectorised with numpy and works
in chunks, so the national scale (500,000 positions, 98 municipalities, ~40 M spells) stays
well under 4 GB of memory. The same seed and scale give the same database.

Shape, following trivsel.demo but generated rather than listed:

- one municipality: Velfærdsområdet -> Sundhed og Omsorg / Socialområdet -> agreement units
  (nursing homes, home-care districts, residential units, ...) -> departments, plus a
  secretariat and small teams under 5 persons; job groups and fte weights from trivsel.demo;
- national: a root with one such subtree per municipality, sizes skewed like real
  municipalities (a few large, many small);
- each position is filled by a chain of employments with 15 % yearly turnover and a gap of
  1-60 days between holders; 4 % of employments are split by an internal transfer to another
  unit, and 3 % of part-timers have a second, concurrent employment in another unit;
- spells per person follow a Poisson process (8 a year on average, times a unit factor and a
  personal frailty), never overlap, and have long-tailed lengths; a spell running at `today`
  has no end date. About 7-8 % sickness absence in calendar days.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from trivsel import demo
from trivsel.store import open_store

GENERATOR_VERSION = 1
TODAY = date(2026, 11, 23)
DATA_DIR = Path(__file__).parent / ".data"
EPOCH = date(1970, 1, 1)

# Calendar-day lengths of sickness spells; most are short, a few long ones carry much of the absence.
SICK_LENGTHS = [
    ((1, 1), 50),
    ((2, 2), 22),
    ((3, 4), 14),
    ((5, 13), 9),
    ((14, 27), 3),
    ((28, 55), 1.3),
    ((56, 200), 0.7),
]
SPELLS_PER_YEAR = 8.5  # all types; tuned so that the national scale has ~40 M spells
CHILD_SHARE, INJURY_SHARE = 0.18, 0.02
TURNOVER_PER_YEAR = 0.15
TRANSFER_SHARE, SECOND_JOB_SHARE = 0.04, 0.03
TYPES = ["sygdom", "arbejdsskade", "barns_sygdom"]
CHUNK_EMPLOYMENTS = 40_000

PLACES = [
    "Solgården",
    "Lindehøj",
    "Kastanjegården",
    "Bakkely",
    "Engbo",
    "Skovly",
    "Birkebo",
    "Egely",
    "Rosenhaven",
    "Møllehøj",
    "Strandgården",
    "Bøgely",
    "Fuglsang",
    "Humlehaven",
    "Åbo",
    "Kildegården",
    "Ellehuset",
    "Toftegården",
    "Søbakken",
    "Hybenhaven",
]
DISTRICTS = ["Nord", "Syd", "Øst", "Vest", "Midt", "By", "Land", "Kyst"]
# (area, kind, name, sub-names, departments (min, max), department size, direct staff, weight, sickness)
AGREEMENT_KINDS = [
    (
        "SO",
        "pleje",
        "Plejecenter {p}",
        ["Afsnit Øst", "Afsnit Vest", "Demensafsnittet", "Stueetagen", "1. sal", "Aflastning og korttidspladser"],
        (2, 4),
        (44, 90),
        (6, 9),
        30,
        1.15,
    ),
    ("SO", "hjemme", "Hjemmeplejen {d}", ["Dagteam", "Aftenteam", "Weekendteam"], (2, 3), (50, 130), (5, 7), 20, 1.1),
    (
        "SO",
        "rehab",
        "Rehabilitering og Træning {d}",
        ["Genoptræningen", "Rehabiliteringspladserne"],
        (2, 2),
        (50, 65),
        (4, 6),
        5,
        0.8,
    ),
    (
        "SO",
        "sygepleje",
        "Sygeplejen {d}",
        ["Sygeplejeklinikkerne", "Akutteamet", "Natsygeplejen"],
        (2, 3),
        (28, 45),
        (4, 6),
        6,
        0.85,
    ),
    ("SOC", "botilbud", "Botilbuddet {p}", ["Hus 1", "Hus 2", "Hus 3"], (2, 3), (50, 70), (5, 7), 12, 1.1),
    ("SOC", "bostotte", "Bostøtten {d}", ["Team A", "Team B"], (2, 2), (25, 35), (4, 6), 5, 0.9),
    (
        "SOC",
        "tand",
        "Tandplejen {d}",
        ["Klinik Byen", "Klinik Land", "Omsorgstandplejen"],
        (2, 3),
        (30, 45),
        (5, 7),
        4,
        0.7,
    ),
    ("SOC", "boern", "Børne- og Ungecenter {d}", ["Myndighed", "Familiebehandling"], (2, 2), (30, 42), (5, 7), 5, 0.95),
]
# Units straight under an area: (area, kind, name, persons, sickness). Three are under 5 persons.
AREA_LEAVES = [
    ("SO", "sygepleje", "Demenskoordinatorerne", 3, 0.8),
    ("SO", "stab", "Hjælpemiddeldepotet", 4, 1.0),
    ("SOC", "sundhedspleje", "Sundhedsplejen", 35, 0.7),
    ("SOC", "boern", "Familiehuset", 26, 0.9),
    ("SOC", "boern", "Pårørenderådgivningen", 2, 0.8),
    ("SOC", "boern", "Ungekontakten", 4, 0.9),
]
AREAS = {"SO": "Sundhed og Omsorg", "SOC": "Socialområdet"}


@dataclass(frozen=True)
class Scale:
    name: str
    positions: int  # headcount at any time
    municipalities: int = 1
    years: int = 10
    seed: int = 1
    today: date = TODAY
    contacts: bool = True  # 1-5-14 conversations for the last two years (only the follow-up page reads them)

    @property
    def history_start(self) -> date:
        return date(self.today.year - self.years, self.today.month, 1)

    @property
    def key(self) -> str:
        digest = hashlib.sha256(Path(__file__).read_bytes() + repr((demo.JOB_WEIGHTS, demo.FTE_WEIGHTS)).encode())
        return (
            f"{self.name}-p{self.positions}-m{self.municipalities}-y{self.years}-s{self.seed}"
            f"-{self.today:%Y%m%d}-c{int(self.contacts)}-v{GENERATOR_VERSION}-{digest.hexdigest()[:8]}"
        )

    def path(self, data_dir: Path = DATA_DIR) -> Path:
        return data_dir / f"{self.key}.duckdb"


MUNICIPAL = Scale("municipal", 4_000)
NATIONAL = Scale("national", 500_000, municipalities=98, contacts=False)
# P11: a municipality ten times larger (issue 22): 855 units, about 3 M spells, its own ten years of survey rounds.
TENFOLD = Scale("tenfold", 40_000)


def scale_of(positions: int, seed: int = 1) -> Scale:
    """A municipality of another size, for the ladder that finds where the naive reference gives up."""
    return Scale("ladder", positions, seed=seed)


# ---------------------------------------------------------------- unit tree


@dataclass
class Tree:
    unit_id: list[str] = field(default_factory=list)
    unit_name: list[str] = field(default_factory=list)
    parent_id: list[str | None] = field(default_factory=list)
    area: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    staff: list[int] = field(default_factory=list)  # persons employed directly in the unit
    sickness: list[float] = field(default_factory=list)
    municipality: list[int] = field(default_factory=list)

    def add(self, unit_id, name, parent, area, kind, staff, sickness, municipality) -> str:
        for column, value in zip(
            ("unit_id", "unit_name", "parent_id", "area", "kind", "staff", "sickness", "municipality"),
            (unit_id, name, parent, area, kind, staff, sickness, municipality),
        ):
            getattr(self, column).append(value)
        return unit_id


def _municipality(
    tree: Tree, rng: np.random.Generator, positions: int, m: int, prefix: str, root_name: str, parent: str | None
) -> None:
    """One welfare area with `positions` staff in total, under `parent`."""

    def noise() -> float:
        return float(np.exp(rng.normal(0, 0.12)))

    root = tree.add(f"{prefix}V", root_name, parent, "", "stab", 0, 1.0, m)
    tree.add(f"{prefix}V-SEK", "Velfærdssekretariatet", root, "", "stab", 9, 0.8, m)
    left = positions - 9
    for code, name in AREAS.items():
        tree.add(f"{prefix}{code}", name, root, name, "stab", 0, 1.0, m)
    for i, (code, kind, name, size, sickness) in enumerate(AREA_LEAVES):
        tree.add(f"{prefix}{code}-L{i:02d}", name, f"{prefix}{code}", AREAS[code], kind, size, sickness * noise(), m)
        left -= size
    weights = np.array([k[7] for k in AGREEMENT_KINDS], dtype=float)
    counter: dict[str, int] = {}
    departments: list[int] = []  # tree rows of departments, to trim the last one to the exact total
    while left > 0:
        code, kind, pattern, subs, (lo, hi), (slo, shi), (dlo, dhi), _, sickness = AGREEMENT_KINDS[
            rng.choice(len(AGREEMENT_KINDS), p=weights / weights.sum())
        ]
        n = counter[kind] = counter.get(kind, 0) + 1
        label = pattern.format(p=PLACES[(n - 1) % len(PLACES)], d=DISTRICTS[(n - 1) % len(DISTRICTS)])
        if n > (len(PLACES) if "{p}" in pattern else len(DISTRICTS)):
            label += f" {1 + (n - 1) // (len(PLACES) if '{p}' in pattern else len(DISTRICTS))}"
        unit = tree.add(
            f"{prefix}{code}-{kind[:3].upper()}{n:02d}",
            label,
            f"{prefix}{code}",
            AREAS[code],
            "stab",
            int(rng.integers(dlo, dhi + 1)),
            1.0,
            m,
        )
        left -= tree.staff[-1]
        for j in range(int(rng.integers(lo, hi + 1))):
            size = int(rng.integers(slo, shi + 1))
            tree.add(
                f"{unit}-{j + 1}",
                f"{label.split(' ', 1)[-1]}, {subs[j % len(subs)]}",
                unit,
                AREAS[code],
                kind,
                size,
                sickness * noise(),
                m,
            )
            departments.append(len(tree.staff) - 1)
            left -= size
    while left < 0:  # give back what the last agreement unit took too many
        row = departments.pop()
        cut = min(-left, tree.staff[row] - 1)
        tree.staff[row] -= cut
        left += cut


def build_tree(scale: Scale, rng: np.random.Generator) -> Tree:
    tree = Tree()
    if scale.municipalities == 1:
        _municipality(tree, rng, scale.positions, 0, "", "Velfærdsområdet", None)
        return tree
    root = tree.add("DK", "Alle kommuner", None, "", "stab", 0, 1.0, -1)
    # Municipal sizes are skewed: a few large, many small (lognormal), summing to the total.
    raw = np.exp(rng.normal(0, 0.8, scale.municipalities))
    sizes = np.maximum(300, np.round(raw / raw.sum() * scale.positions)).astype(int)
    sizes[np.argmax(sizes)] += scale.positions - sizes.sum()
    for m, size in enumerate(sizes):
        code = f"K{101 + m * 8:03d}"
        _municipality(tree, rng, int(size), m, f"{code}-", f"{code} Velfærdsområdet", root)
    return tree


# ---------------------------------------------------------------- employments


def _days(d: date) -> int:
    return (d - EPOCH).days


def employments(scale: Scale, tree: Tree, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Chains of employments per position, plus transfers and second jobs. Dates are days since 1970."""
    today, history = _days(scale.today), _days(scale.history_start)
    staff = np.array(tree.staff)
    slot_unit = np.repeat(np.arange(len(staff)), staff)
    # The first slot of an agreement unit's own staff is its leader.
    first_slot = np.r_[0, np.cumsum(staff)[:-1]]
    kinds = np.array(tree.kind)
    leader_slot = np.zeros(len(slot_unit), bool)
    has_staff = (staff > 0) & (kinds == "stab")
    leader_slot[first_slot[has_staff]] = True

    rows_slot, rows_start, rows_end = [], [], []
    slots = np.arange(len(slot_unit))
    start = history - rng.integers(30, 20 * 365, len(slots))
    while len(slots):
        years = rng.exponential(1 / TURNOVER_PER_YEAR, len(slots))
        end = np.maximum(start, history) + (years * 365).astype(np.int64)
        ongoing = end >= today
        rows_slot.append(slots)
        rows_start.append(start)
        rows_end.append(np.where(ongoing, -1, end))
        nxt = end + rng.integers(1, 61, len(slots))
        keep = ~ongoing & (nxt <= today)
        slots, start = slots[keep], nxt[keep]
    slot = np.concatenate(rows_slot)
    order = np.lexsort((np.concatenate(rows_start), slot))
    slot, start, end = slot[order], np.concatenate(rows_start)[order], np.concatenate(rows_end)[order]
    n = len(slot)
    unit = slot_unit[slot]
    person = np.arange(1, n + 1)

    fte_values, fte_weights = (np.array(x, dtype=float) for x in zip(*demo.FTE_WEIGHTS))
    fte = fte_values[rng.choice(len(fte_values), n, p=fte_weights / fte_weights.sum())]
    jobs = sorted({job for weights in demo.JOB_WEIGHTS.values() for job in weights} | {"Leder"})
    job = np.empty(n, np.int16)
    for kind, weights in demo.JOB_WEIGHTS.items():
        rows = np.flatnonzero(kinds[unit] == kind)
        names, w = zip(*weights.items())
        codes = np.array([jobs.index(x) for x in names])
        job[rows] = codes[rng.choice(len(names), len(rows), p=np.array(w) / sum(w))]
    job[leader_slot[slot]] = jobs.index("Leder")

    primary = {
        "person": person,
        "unit": unit,
        "start": start,
        "end": end,
        "fte": fte,
        "job": job,
        "sickness": np.array(tree.sickness)[unit],
    }
    # Another unit of the same municipality with staff, for transfers and second jobs.
    municipality = np.array(tree.municipality)
    staffed = np.flatnonzero((staff > 0) & (kinds != "stab"))

    def other_unit(rows: np.ndarray) -> np.ndarray:
        out = np.empty(len(rows), np.int64)
        for m in np.unique(municipality[unit[rows]]):
            here = staffed[municipality[staffed] == m]
            sel = np.flatnonzero(municipality[unit[rows]] == m)
            pick = here[rng.integers(0, len(here), len(sel))]
            clash = pick == unit[rows[sel]]
            pick[clash] = here[(np.searchsorted(here, pick[clash]) + 1) % len(here)]
            out[sel] = pick
        return out

    span_first = np.maximum(start, history)
    span_last = np.where(end < 0, today, end)
    length = span_last - span_first + 1
    # Transfers: the person moves to another unit part way through a long employment.
    moved = np.flatnonzero((length > 365) & (rng.random(n) < TRANSFER_SHARE))
    split = span_first[moved] + (length[moved] * rng.uniform(0.3, 0.7, len(moved))).astype(np.int64)
    # Second jobs: a concurrent part-time employment in another unit, inside the first.
    second = np.flatnonzero((fte <= 0.8) & (length > 120) & (rng.random(n) < SECOND_JOB_SHARE))
    second = np.setdiff1d(second, moved)
    s_start = span_first[second] + (rng.uniform(0, 0.5, len(second)) * length[second]).astype(np.int64)
    s_end = s_start + rng.integers(90, 3 * 365, len(second))
    s_end = np.where(s_end >= span_last[second], end[second], s_end)

    e_person = np.concatenate([person, person[moved], person[second]])
    e_unit = np.concatenate([unit, other_unit(moved), other_unit(second)])
    e_start = np.concatenate([start, split + 1, s_start])
    first_end = end.copy()
    first_end[moved] = split
    e_end = np.concatenate([first_end, end[moved], s_end])
    e_fte = np.concatenate(
        [fte, fte[moved], np.round(np.minimum(1 - fte[second], rng.choice([0.1, 0.2, 0.27], len(second))), 3)]
    )
    e_job = np.concatenate([job, job[moved], job[second]])
    table = {"person": e_person, "unit": e_unit, "start": e_start, "end": e_end, "fte": e_fte, "job": e_job}
    return {"primary": primary, "table": table, "jobs": jobs}


# ---------------------------------------------------------------- spells


def spells(primary: dict[str, np.ndarray], rows: slice, scale: Scale, rng: np.random.Generator) -> dict:
    """Non-overlapping spells of the persons in `rows` of the primary employments, over their span."""
    today, history = _days(scale.today), _days(scale.history_start)
    person = primary["person"][rows]
    first = np.maximum(primary["start"][rows], history)
    last = np.where(primary["end"][rows] < 0, today, primary["end"][rows])
    frailty = np.clip(rng.gamma(1.2, 1 / 1.2, len(person)), 0.05, 4.0)
    mean_gap = 365 / (SPELLS_PER_YEAR * primary["sickness"][rows] * frailty)
    low, high = (np.array(x) for x in zip(*[bounds for bounds, _ in SICK_LENGTHS]))
    weights = np.array([w for _, w in SICK_LENGTHS], dtype=float)

    out = {k: [] for k in ("person", "start", "end", "type", "degree")}
    idx = np.arange(len(person))
    day = first + rng.exponential(mean_gap).astype(np.int64)
    while len(idx):
        alive = day <= last[idx]
        idx, day = idx[alive], day[alive]
        if not len(idx):
            break
        k = len(idx)
        u = rng.random(k)
        kind = np.where(u < CHILD_SHARE, 2, np.where(u < CHILD_SHARE + INJURY_SHARE, 1, 0))
        bucket = rng.choice(len(weights), k, p=weights / weights.sum())
        days = rng.integers(low[bucket], high[bucket] + 1)
        days = np.where(kind == 2, rng.integers(1, 3, k), days)
        end = day + days - 1
        degree = np.where((days >= 15) & (rng.random(k) < 0.15), 0.5, 1.0)
        over = end >= last[idx]
        running = over & (last[idx] == today)
        end = np.where(over, last[idx], end)
        out["person"].append(person[idx])
        out["start"].append(day)
        out["end"].append(np.where(running, -1, end))
        out["type"].append(kind)
        out["degree"].append(degree)
        keep = ~over
        idx, end = idx[keep], end[keep]
        day = end + 1 + rng.exponential(mean_gap[idx]).astype(np.int64)
    return {k: np.concatenate(v) if v else np.array([], np.int64) for k, v in out.items()}


def contacts(spell: dict, scale: Scale, rng: np.random.Generator) -> pd.DataFrame:
    """Recorded 1-5-14 conversations for sickness spells of the last two years, as trivsel.demo does."""
    today = _days(scale.today)
    sick = (spell["type"] != 2) & (spell["start"] >= today - 730)
    start = spell["start"][sick]
    length = np.where(spell["end"][sick] < 0, today, spell["end"][sick]) - start + 1
    person = spell["person"][sick]
    frames = []
    for m in (1, 5, 14, 28, 56):
        rows = np.flatnonzero((length >= m) & (rng.random(len(start)) <= 0.85))
        late = np.where(rng.random(len(rows)) < 0.2, rng.integers(1, 5, len(rows)), 0)
        held = start[rows] + m - 1 + late
        ok = held <= today
        frames.append(
            pd.DataFrame(
                {"person": person[rows][ok], "spell_start": start[rows][ok], "milestone": m, "contact_date": held[ok]}
            )
        )
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------- writing


def _date32(days: np.ndarray) -> pa.Array:
    days = np.asarray(days)
    return pa.array(days.astype(np.int32), type=pa.date32(), mask=days < 0)


def _dictionary(codes: np.ndarray, values: list[str]) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(np.asarray(codes, dtype=np.int32)), pa.array(values))


def write(scale: Scale, path: Path, log=print) -> dict:
    """Generate `scale` into a new database file at `path`; return a few counts."""
    t0 = time.perf_counter()
    rng = np.random.default_rng(scale.seed)
    tree = build_tree(scale, rng)
    emp = employments(scale, tree, rng)
    tmp = path.with_suffix(".partial")
    for p in (tmp, Path(f"{tmp}.wal")):
        p.unlink(missing_ok=True)
    store = open_store(tmp)
    cur = store.cursor()
    cur.execute("SET memory_limit = '2GB'")
    cur.execute("SET preserve_insertion_order = false")
    units = pd.DataFrame({k: getattr(tree, k) for k in ("unit_id", "unit_name", "parent_id", "area")})
    cur.register("gen_units", units)
    cur.execute("INSERT INTO units BY NAME SELECT * FROM gen_units")
    cur.unregister("gen_units")
    table = emp["table"]
    arrow = pa.table(
        {
            "person": pa.array(table["person"].astype(np.int32)),
            "unit_id": _dictionary(table["unit"], tree.unit_id),
            "start_date": _date32(table["start"]),
            "end_date": _date32(table["end"]),
            "fte": pa.array(table["fte"]),
            "job_group": _dictionary(table["job"], emp["jobs"]),
        }
    )
    cur.register("gen_employments", arrow)
    cur.execute(
        "INSERT INTO employments SELECT printf('E%07d', person), unit_id::VARCHAR, start_date, end_date, "
        "fte, job_group::VARCHAR FROM gen_employments"
    )
    cur.execute("INSERT INTO employees SELECT DISTINCT printf('E%07d', person) FROM gen_employments")
    cur.unregister("gen_employments")
    log(f"  {len(tree.unit_id):,} units, {len(table['person']):,} employments ({time.perf_counter() - t0:.1f} s)")

    primary = emp["primary"]
    n_spells = n_contacts = 0
    for first in range(0, len(primary["person"]), CHUNK_EMPLOYMENTS):
        chunk = spells(primary, slice(first, first + CHUNK_EMPLOYMENTS), scale, rng)
        arrow = pa.table(
            {
                "person": pa.array(chunk["person"].astype(np.int32)),
                "start_date": _date32(chunk["start"]),
                "end_date": _date32(chunk["end"]),
                "absence_type": _dictionary(chunk["type"], TYPES),
                "degree": pa.array(chunk["degree"]),
            }
        )
        cur.register("gen_spells", arrow)
        cur.execute(
            "INSERT INTO absence_spells SELECT printf('E%07d', person), start_date, end_date, "
            "absence_type::VARCHAR, degree FROM gen_spells"
        )
        cur.unregister("gen_spells")
        n_spells += len(chunk["person"])
        if scale.contacts:
            recorded = contacts(chunk, scale, rng)
            arrow = pa.table(
                {
                    "person": pa.array(recorded["person"].to_numpy().astype(np.int32)),
                    "spell_start": _date32(recorded["spell_start"].to_numpy()),
                    "milestone": pa.array(recorded["milestone"].to_numpy().astype(np.int32)),
                    "contact_date": _date32(recorded["contact_date"].to_numpy()),
                }
            )
            cur.register("gen_contacts", arrow)
            cur.execute(
                "INSERT INTO absence_contacts (employee_id, spell_start, milestone, contact_date, "
                "recorded_by) SELECT printf('E%07d', person), spell_start, milestone, contact_date, 'bench' "
                "FROM gen_contacts"
            )
            cur.unregister("gen_contacts")
            n_contacts += len(recorded)
        if first // CHUNK_EMPLOYMENTS % 5 == 4:
            log(f"  {n_spells:,} spells so far ({time.perf_counter() - t0:.0f} s)")
    links = pd.DataFrame({"token": [secrets.token_urlsafe(16) for _ in tree.unit_id], "unit_id": tree.unit_id})
    cur.register("gen_links", links)
    cur.execute("INSERT INTO unit_access_links (token, unit_id) SELECT token, unit_id FROM gen_links")
    cur.unregister("gen_links")
    cur.execute("CHECKPOINT")
    store.close()
    os.replace(tmp, path)
    counts = {
        "units": len(tree.unit_id),
        "employments": len(table["person"]),
        "employees": int(table["person"].max()),
        "spells": n_spells,
        "contacts": n_contacts,
        "seconds": round(time.perf_counter() - t0, 1),
    }
    log(f"  {n_spells:,} spells, {n_contacts:,} contacts in {counts['seconds']} s -> {path}")
    return counts


def ensure(scale: Scale, data_dir: Path = DATA_DIR, log=print) -> Path:
    """The cached database for `scale`, generated first when missing."""
    path = scale.path(data_dir)
    if path.exists():
        return path
    data_dir.mkdir(parents=True, exist_ok=True)
    # Files of the same scale from an older generator are stale; the national one is 1.4 GB.
    stem = f"{scale.name}-p{scale.positions}-m{scale.municipalities}-y{scale.years}-s{scale.seed}-"
    for old in data_dir.glob(f"{stem}*"):
        old.unlink()
    log(
        f"Generating {scale.name} scale ({scale.positions:,} positions, {scale.municipalities} "
        f"municipalit{'y' if scale.municipalities == 1 else 'ies'}, {scale.years} years, seed {scale.seed}) ..."
    )
    write(scale, path, log)
    return path


def one_year(scale: Scale) -> tuple[date, date, date]:
    """The period the benchmarks report: the last full calendar year, as of the last month end before the scale's
    today (figures for roles without person-level data move in whole months, as_of too)."""
    year = scale.today.year - 1
    return date(year, 1, 1), date(year, 12, 31), scale.today.replace(day=1) - timedelta(days=1)


def days_to_date(days: int) -> date:
    return EPOCH + timedelta(days=int(days))


# ---------------------------------------------------------------- a payroll export for the importer

IMPORT_ROWS = 1_000_000
# Positions whose ten years of history hold a little more than IMPORT_ROWS spells.
IMPORT = Scale("import", 13_000, contacts=False)
BAD_ROW = 700_000  # the data row that the "one bad row" file breaks (31-02-2024 is no date)


def absence_csv(
    scale: Scale = IMPORT, rows: int = IMPORT_ROWS, data_dir: Path = DATA_DIR, log=print
) -> dict[str, Path]:
    """A Danish payroll export of the first `rows` spells of `scale` (`;`, dd-mm-yyyy, decimal comma,
    Windows-1252, CRLF, an extra column the importer ignores), the same file with one bad row, and two
    databases to import them into: `stored` already holds the spells (a re-import replaces them),
    `empty` has the same organisation and no spells (a first import)."""
    stored = ensure(scale, data_dir, log)
    out = {
        "stored": stored,
        "empty": data_dir / f"{scale.key}-nospells.duckdb",
        "good": data_dir / f"{scale.key}-absence{rows}.csv",
        "bad": data_dir / f"{scale.key}-absence{rows}-bad.csv",
    }
    if all(p.exists() for p in out.values()):
        return out
    log(f"Writing a {rows:,}-row payroll export ...")
    store = open_store(stored)
    body = store.query_all(
        """
        SELECT employee_id || ';' || strftime(start_date, '%d-%m-%Y') || ';'
               || coalesce(strftime(end_date, '%d-%m-%Y'), '') || ';' || absence_type || ';'
               || replace(printf('%.1f', degree), '.', ',') || ';' || CASE absence_type
                  WHEN 'sygdom' THEN '21' WHEN 'arbejdsskade' THEN '23' ELSE '27' END
        FROM absence_spells ORDER BY employee_id, start_date LIMIT ?
        """,
        [rows],
    )
    store.close()
    lines = [row[0] for row in body]
    if len(lines) < rows:
        raise RuntimeError(f"{scale.name} has only {len(lines):,} spells; need {rows:,}")
    header = "employee_id;start_date;end_date;absence_type;degree;lønart"
    out["good"].write_bytes(("\r\n".join([header, *lines]) + "\r\n").encode("cp1252"))
    fields = lines[BAD_ROW - 1].split(";")
    fields[1] = "31-02-2024"
    lines[BAD_ROW - 1] = ";".join(fields)
    out["bad"].write_bytes(("\r\n".join([header, *lines]) + "\r\n").encode("cp1252"))
    tmp = out["empty"].with_suffix(".partial")
    shutil.copy(stored, tmp)
    store = open_store(tmp)
    store.cursor().execute("DELETE FROM absence_spells")
    store.cursor().execute("DELETE FROM absence_contacts")
    store.cursor().execute("CHECKPOINT")
    store.close()
    os.replace(tmp, out["empty"])
    return out

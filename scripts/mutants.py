"""Mutation run for the disclosure code: does the suite notice a small, plausible leak?

Each mutant is one hand-written change (file, exact old text, new text) that would leak something a
user is promised stays hidden. The script copies the repository to a temporary directory, applies one
mutant at a time there (the checkout itself is never changed), runs the fast disclosure tests against
it and prints a table: mutant, killed or survived, the first failing test. It exits non-zero when a
mutant survives that is not listed in EXPLAINED with the reason it may.

    python scripts/mutants.py            # every mutant (`make mutants`)
    python scripts/mutants.py -k recheck # only mutants whose name contains "recheck"
    python scripts/mutants.py --list     # the mutants, without running anything

See docs/testing.md, "Mutation run".
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

DISCLOSURE = "tests/test_disclosure.py"
ROUNDS = "tests/test_attacker_rounds.py"
VIEWS = "tests/test_attacker_views.py"
ABSENCE = "tests/test_absence_anonymity.py"
NAMES = "tests/test_comment_names.py"
SURVEYS = "tests/test_survey_rounds.py"
DASHBOARD = "tests/test_dashboard.py"
PROTECTED = "tests/test_protected_views.py"
SUPERVISION = "tests/test_supervision.py"
ALL_TESTS = [DISCLOSURE, ROUNDS, VIEWS, ABSENCE, NAMES, SURVEYS, DASHBOARD, PROTECTED]


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str
    old: str
    new: str
    description: str
    tests: tuple[str, ...] = tuple(ALL_TESTS)  # the test files that should kill it (fewer: a faster run)


RULES = "src/trivsel/disclosure/rules.py"
SURVEY_VIEWS = "src/trivsel/views/surveys.py"
ABSENCE_VIEWS = "src/trivsel/views/absence.py"
SUPERVISION_VIEWS = "src/trivsel/views/supervision.py"

MUTANTS = [
    Mutant(
        "threshold-le",
        RULES,
        "reason.update({k: PRIMARY for k, n in counts.items() if n < threshold})",
        "reason.update({k: PRIMARY for k, n in counts.items() if n <= threshold})",
        "a cell at exactly the threshold is hidden as too small",
        (DISCLOSURE,),
    ),
    Mutant(
        "threshold-minus-one",
        RULES,
        "reason.update({k: PRIMARY for k, n in counts.items() if n < threshold})",
        "reason.update({k: PRIMARY for k, n in counts.items() if n < threshold - 1})",
        "a cell one under the threshold shows",
        (DISCLOSURE,),
    ),
    Mutant(
        "recheck-dropped",
        RULES,
        "for cell in (chosen, k, above):",
        "for cell in (chosen, k):",
        "the region above an extra suppression is not checked again",
        (DISCLOSURE,),
    ),
    Mutant(
        "helpful-ge",
        RULES,
        "helpful = [c for c in visible if hidden[c] > 0]",
        "helpful = [c for c in visible if hidden[c] >= 0]",
        "a sibling fully covered by visible children counts as protection",
        (DISCLOSURE,),
    ),
    Mutant(
        "lone-child",
        RULES,
        "return hidden[k] < threshold or alone",
        "return hidden[k] < threshold",
        "a single hidden child under a parent with no own members is left as parent minus siblings",
        (DISCLOSURE,),
    ),
    Mutant(
        "buried-ignored",
        RULES,
        "return open_region(k) or buried(k)",
        "return open_region(k)",
        "a hidden cell is left as the sum of its visible children",
        (DISCLOSURE,),
    ),
    Mutant(
        "preset-ignored",
        RULES,
        "for k, r in (preset or {}).items() if k in counts}",
        "for k, r in {}.items() if k in counts}",
        "cells another table hides are shown here",
        (DISCLOSURE,),
    ),
    Mutant(
        "not-blanked",
        RULES,
        'out[column] = out[column].astype(_nullable(out[column])).mask(out["suppressed"], pd.NA)',
        "out[column] = out[column].astype(_nullable(out[column]))",
        "suppressed rows keep their counts and values in the returned table",
        (DISCLOSURE, PROTECTED),
    ),
    Mutant(
        "grid-exact-check-skipped",
        RULES,
        "while found := grid.leaks(reasons):",
        "while found := []:",
        "the linked units × spell-length table is protected line by line only",
        (DISCLOSURE,),
    ),
    Mutant(
        "withheld-values-kept",
        "src/trivsel/disclosure/release.py",
        "for column in [count, *values]:",
        "for column in [count]:",
        "an open round's scores stay in the withheld table",
        (ROUNDS, PROTECTED),
    ),
    Mutant(
        "open-round-released",
        "src/trivsel/surveys/rounds.py",
        'return self.status(today) in ("lukket", "historisk")',
        'return self.status(today) in ("lukket", "historisk", "aaben")',
        "an open round's results show while answers still arrive",
        (ROUNDS, SURVEYS),
    ),
    Mutant(
        "open-round-not-withheld",
        SURVEY_VIEWS,
        'is_released = table["round_id"].isin({r.round_id for r in released})',
        'is_released = table["round_id"].isin({r.round_id for r in rnds})',
        "withheld() is skipped for open rounds",
        (ROUNDS, DASHBOARD),
    ),
    Mutant(
        "released-inverted",
        SURVEY_VIEWS,
        'is_released = table["round_id"].isin({r.round_id for r in released})',
        'is_released = ~table["round_id"].isin({r.round_id for r in released})',
        "isin(released) inverted: open rounds protected, closed ones withheld",
        (ROUNDS, DASHBOARD),
    ),
    Mutant(
        "survey-threshold-ignored",
        SURVEY_VIEWS,
        'threshold = settings.get(store, "threshold.survey")',
        "threshold = 5",
        "the admin's survey threshold has no effect on results",
        (SURVEYS, DASHBOARD),
    ),
    Mutant(
        "response-rate-threshold-ignored",
        SURVEY_VIEWS,
        'threshold=settings.get(store, "threshold.survey"),\n        noun="ansatte",',
        'threshold=5,\n        noun="ansatte",',
        "the admin's survey threshold has no effect on response rates",
        (SURVEYS, VIEWS),
    ),
    Mutant(
        "response-count-kept",
        SURVEY_VIEWS,
        'values=["responses", "rate_pct"]',
        'values=["rate_pct"]',
        "a hidden row's response count stays in the response-rate table",
        (VIEWS, PROTECTED),
    ),
    Mutant(
        "comments-while-open",
        SURVEY_VIEWS,
        "if not rnd.results_released(today or date.today()):",
        "if False:",
        "comments show while the round is open",
        (ROUNDS, SURVEYS),
    ),
    Mutant(
        "comment-group-not-protected",
        SURVEY_VIEWS,
        'if row.empty or bool(row["suppressed"].iloc[0]):',
        "if row.empty:",
        "a unit's comments show when only the round's or parent's total is large enough",
        (ROUNDS, SURVEYS),
    ),
    Mutant(
        "comment-count-whole-round",
        SURVEY_VIEWS,
        'return visible_comments(shown, int(row["commenters"].iloc[0]), groups.threshold)',
        'return visible_comments(shown, int(groups.table["commenters"].max()), groups.threshold)',
        "a small unit's comments show once the whole round has enough commenters",
        (ROUNDS, SURVEYS),
    ),
    Mutant(
        "comment-count-respondents",
        SURVEY_VIEWS,
        'writers = texts.drop_duplicates("response_id").groupby("unit_id").size()',
        'writers = responses.response_counts(store, rnd.round_id).set_index("unit_id")["responses"]',
        "comments are counted by respondents, not by those who wrote one",
        (ROUNDS, SURVEYS),
    ),
    Mutant(
        "comment-threshold-survey",
        SURVEY_VIEWS,
        'settings.get(store, "threshold.comments")',
        'settings.get(store, "threshold.survey")',
        "comments need only the survey threshold",
        (ROUNDS, SURVEYS),
    ),
    Mutant(
        "comment-threshold-le",
        "src/trivsel/disclosure/comments.py",
        "if respondents < threshold:",
        "if respondents < threshold - 1:",
        "comments show one commenter under the threshold",
        (DISCLOSURE, SURVEYS),
    ),
    Mutant(
        "comments-not-shuffled",
        "src/trivsel/disclosure/comments.py",
        "random.SystemRandom().shuffle(shown)",
        "shown.sort()",
        "comments come in a fixed order",
        (DISCLOSURE,),
    ),
    Mutant(
        "names-ascii-only",
        "src/trivsel/disclosure/comments.py",
        r"(?P<chain>[^\W\d_]+(?:-[^\W\d_]+)*)",
        r"(?P<chain>[A-Za-z]+(?:-[A-Za-z]+)*)",
        "names with æ, ø or å are not redacted",
        (NAMES,),
    ),
    Mutant(
        "unit-cap-ge",
        "src/trivsel/surveys/rounds.py",
        "AND persons_at_start >\n",
        "AND persons_at_start >=\n",
        "a unit link takes one answer more than the unit had staff",
        (ROUNDS,),
    ),
    Mutant(
        "scope-skipped",
        "src/trivsel/surveys/actions.py",
        "if scope and unit_id not in org.subtree_ids(store, scope):",
        "if False:",
        "a leader writes action notes for units outside their subtree",
        (DASHBOARD,),
    ),
    Mutant(
        "whole-months-skipped",
        ABSENCE_VIEWS,
        "    if not person_level:\n        check_whole_months(",
        "    if False:\n        check_whole_months(",
        "absence figures for any days without person-level access",
        (ABSENCE,),
    ),
    Mutant(
        "supervision-whole-months-skipped",
        SUPERVISION_VIEWS,
        "    check_whole_months(period_from, period_to)\n",
        "",
        "supervision statistics for any days",
        (VIEWS,),
    ),
    Mutant(
        "min-persons-lower",
        ABSENCE_VIEWS,
        "if override is not None and override < admin:",
        "if override is not None and override < 1:",
        "--min-persons may lower the admin's threshold",
        (ABSENCE,),
    ),
    Mutant(
        "hidden-months-ignored",
        ABSENCE_VIEWS,
        'hidden = raw["unit_id"].isin(months.loc[months["suppressed"], "unit_id"])',
        'hidden = raw["unit_id"].isin([])',
        "a period shows where one of its months is hidden",
        (ABSENCE,),
    ),
    Mutant(
        "stricter-floor-ignored",
        ABSENCE_VIEWS,
        'hidden |= floor.units.table["suppressed"].to_numpy()',
        "hidden |= False",
        "a stricter threshold does not start from what the admin's hides",
        (ABSENCE,),
    ),
    Mutant(
        "funnel-total-kept",
        ABSENCE_VIEWS,
        'visible = {"spells_started": total}',
        "visible = {}",
        "spells begun stay where the spell-length table hides its total",
        (ABSENCE,),
    ),
    Mutant(
        "monthly-not-blanked",
        ABSENCE_VIEWS,
        'table[values] = table[values].astype("Float64").mask(table["suppressed"])',
        'table[values] = table[values].astype("Float64")',
        "a hidden month's absence figures stay in the monthly table",
        (ABSENCE, PROTECTED),
    ),
    Mutant(
        "supervision-splits-shown",
        SUPERVISION_VIEWS,
        'if top.empty or top["suppressed"].any():',
        "if top.empty:",
        "topics and months show when the total they add up to is hidden",
        (VIEWS, PROTECTED, SUPERVISION),
    ),
    Mutant(
        "supervision-thin-median",
        SUPERVISION_VIEWS,
        'thin = ~table["suppressed"] & (table[basis].fillna(0) < limit)',
        'thin = ~table["suppressed"] & (table[basis].fillna(0) < 1)',
        "a median of fewer than the threshold shows",
        (VIEWS, PROTECTED),
    ),
]

# Mutants that may survive, with the reason: they hide more than needed, never less.
EXPLAINED: dict[str, str] = {
    "helpful-ge": "hides no less: the covered sibling it picks is then a hidden cell equal to the sum of its "
    "visible children, so the buried rule hides one of those too (more hidden, nothing leaks)",
    "comment-count-whole-round": "a second check: the comment groups (protect_commenters) already hide every unit "
    "under the comment threshold, so a shown unit has enough commenters of its own",
    "stricter-floor-ignored": "a second floor: the stricter month grid already starts from the admin's months, and "
    "a unit shows for a period only where it shows in every month, so the period floor adds nothing on the demo or "
    "on the constructed tree of test_a_stricter_file_hides_at_least_what_the_standard_file_hides (kept as defence "
    "in depth)",
}

PYTEST = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-n", "2"]
FAILED = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.MULTILINE)


def copy_repository(target: Path) -> None:
    ignore = shutil.ignore_patterns(
        ".git",
        ".venv",
        "__pycache__",
        "*.egg-info",
        ".pytest_cache",
        ".hypothesis",
        ".ruff_cache",
        "artifacts",
        "*.duckdb",
        "*.duckdb.wal",
    )
    shutil.copytree(ROOT, target, ignore=ignore)


def run_tests(repo: Path, tests: tuple[str, ...] | list[str]) -> tuple[bool, str]:
    """Whether the tests pass in the copy, and the first failing test's id."""
    env = {**os.environ, "PYTHONPATH": str(repo / "src")}
    done = subprocess.run([*PYTEST, *tests], cwd=repo, env=env, capture_output=True, text=True, check=False)
    first = FAILED.search(done.stdout)
    if done.returncode == 0:
        return True, ""
    return False, first.group(1) if first else f"pytest exit {done.returncode}"


def apply(repo: Path, mutant: Mutant) -> str:
    """Write the mutant into the copy; returns the original text, to put back."""
    path = repo / mutant.path
    text = path.read_text(encoding="utf-8")
    found = text.count(mutant.old)
    if found != 1:
        raise SystemExit(f"{mutant.name}: the old text occurs {found} times in {mutant.path}, not once")
    path.write_text(text.replace(mutant.old, mutant.new), encoding="utf-8")
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", default="", help="only mutants whose name contains this")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--skip-baseline", action="store_true", help="do not first run the tests unmutated")
    args = parser.parse_args()
    chosen = [m for m in MUTANTS if args.k in m.name]
    if args.list:
        for m in chosen:
            print(f"{m.name:34} {m.path}: {m.description}")
        return 0
    unknown = set(EXPLAINED) - {m.name for m in MUTANTS}
    if unknown:
        raise SystemExit(f"EXPLAINED names no mutant: {sorted(unknown)}")
    with tempfile.TemporaryDirectory(prefix="trivsel-mutants-") as tmp:
        repo = Path(tmp) / "repo"
        copy_repository(repo)
        for m in chosen:  # check every mutant applies before spending minutes on tests
            (repo / m.path).write_text(apply(repo, m), encoding="utf-8")
        if not args.skip_baseline:
            ok, first = run_tests(repo, sorted({t for m in chosen for t in m.tests}))
            if not ok:
                print(f"The tests fail without any mutant ({first}); fix that first.")
                return 2
        rows = []
        for m in chosen:
            started = time.monotonic()
            original = apply(repo, m)
            try:
                survived, first = run_tests(repo, m.tests)
            finally:
                (repo / m.path).write_text(original, encoding="utf-8")
            status = "survived" if survived else "killed"
            if survived and m.name in EXPLAINED:
                status, first = "explained", EXPLAINED[m.name]
            rows.append((m.name, status, first, time.monotonic() - started))
            print(f"{m.name:34} {status:9} {time.monotonic() - started:5.0f} s  {first}", flush=True)
    print()
    print("| Mutant | Result | First failing test |")
    print("|---|---|---|")
    for name, status, first, _ in rows:
        print(f"| {name} | {status} | {first or '–'} |")
    survivors = [name for name, status, _, _ in rows if status == "survived"]
    print(
        f"\n{sum(s == 'killed' for _, s, _, _ in rows)} of {len(rows)} killed"
        + (f"; survived unexplained: {', '.join(survivors)}" if survivors else "")
    )
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())

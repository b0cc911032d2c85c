"""Settings an admin may change: disclosure thresholds per dataset and retention periods.

Each setting has a default, an allowed range and a Danish label; every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from trivsel import audit
from trivsel.store import Store


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    default: int
    minimum: int
    maximum: int
    unit: str


SETTINGS = {
    s.key: s
    for s in [
        Setting("threshold.survey", "Mindste antal svar, før et trivselsresultat vises", 5, 3, 10, "svar"),
        Setting("threshold.absence", "Mindste antal personer, før et fraværstal vises", 5, 3, 10, "personer"),
        Setting(
            "threshold.supervision",
            "Mindste antal anmodninger, før en supervisionsstatistik vises",
            5,
            3,
            10,
            "anmodninger",
        ),
        Setting("threshold.comments", "Mindste antal svar, før fritekstkommentarer vises", 10, 5, 30, "svar"),
        Setting("signal.spells_6m", "Hyppigt fravær: antal sygeperioder inden for 6 måneder", 3, 2, 10, "perioder"),
        Setting("signal.days_12m", "Hyppigt fravær: antal sygedage inden for 12 måneder", 15, 5, 60, "dage"),
        Setting(
            "supervision.response_days",
            "Supervision: første svar på en anmodning senest efter",
            5,
            1,
            20,
            "arbejdsdage",
        ),
        Setting("apv.problem_level", "APV: et område foreslås som problem, når scoren er under", 60, 20, 90, "point"),
        Setting("retention.survey_answers", "Trivselssvar slettes efter", 60, 12, 120, "måneder"),
        Setting("retention.absence_spells", "Fraværsperioder slettes, når de sluttede for", 60, 12, 120, "måneder"),
        Setting(
            "retention.supervision_requests",
            "Supervisionsanmodninger slettes efter lukning plus",
            24,
            6,
            120,
            "måneder",
        ),
        Setting(
            "retention.apv",
            "En APV slettes, når en nyere APV for enheden har været godkendt i",
            60,
            36,
            120,
            "måneder",
        ),
        Setting("retention.audit_log", "Revisionsloggen slettes efter", 60, 12, 120, "måneder"),
    ]
}


class SettingError(ValueError):
    pass


def get(store: Store, key: str) -> int:
    value = store.query_value("SELECT value FROM settings WHERE key = ?", [key])
    return SETTINGS[key].default if value is None else int(value)


def all_values(store: Store) -> dict[str, int]:
    stored = dict(store.query_all("SELECT key, value FROM settings"))
    return {key: int(stored.get(key, s.default)) for key, s in SETTINGS.items()}


def _problem(key: str, value: int) -> str | None:
    setting = SETTINGS.get(key)
    if setting is None:
        return f"Ukendt indstilling '{key}'."
    if not setting.minimum <= value <= setting.maximum:
        return f"{setting.label} skal være mellem {setting.minimum} og {setting.maximum} {setting.unit}."
    return None


def set_value(store: Store, key: str, value: int, actor: str) -> None:
    set_values(store, {key: value}, actor)


def set_values(store: Store, values: dict[str, int], actor: str) -> None:
    """Save several settings at once: all of them, or, when any is out of range, none (each refusal named)."""
    problems = [p for key, value in values.items() if (p := _problem(key, value))]
    if problems:
        raise SettingError(" ".join(problems))
    old = {key: get(store, key) for key in values}

    def work(cur):
        for key, value in values.items():
            cur.execute(
                "INSERT OR REPLACE INTO settings (key, value, changed_by) VALUES (?, ?, ?)", [key, value, actor]
            )
            audit.record(cur, actor, "setting_changed", key=key, old=old[key], new=value)

    store.write(work)

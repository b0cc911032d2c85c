"""The roles of the platform and their Danish names."""

from __future__ import annotations

ADMIN = "admin"
KONSULENT = "trivselskonsulent"
RAADGIVER = "sygefravaersraadgiver"
SUPERVISOR = "supervisor"
LEDER = "leder"

ROLES: dict[str, str] = {
    ADMIN: "Administrator",
    KONSULENT: "Trivselskonsulent",
    RAADGIVER: "Sygefraværsrådgiver",
    SUPERVISOR: "Supervisor",
    LEDER: "Leder",
}


def role_label(role: str) -> str:
    return ROLES.get(role, role)

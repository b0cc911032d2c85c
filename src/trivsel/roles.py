"""The roles of the platform and their Danish names."""

from __future__ import annotations

ADMIN = "admin"
KONSULENT = "trivselskonsulent"
RAADGIVER = "sygefravaersraadgiver"
SUPERVISOR = "supervisor"
LEDER = "leder"
AMR = "arbejdsmiljoerepraesentant"

ROLES: dict[str, str] = {
    ADMIN: "Administrator",
    KONSULENT: "Trivselskonsulent",
    RAADGIVER: "Sygefraværsrådgiver",
    SUPERVISOR: "Supervisor",
    LEDER: "Leder",
    AMR: "Arbejdsmiljørepræsentant",
}
# Roles limited to a unit and the units under it.
SCOPED = frozenset({LEDER, AMR})


def role_label(role: str) -> str:
    return ROLES.get(role, role)


# What each role may see, in the words the privacy page shows everyone.
ACCESS: dict[str, str] = {
    "medarbejder": "Svarer på egne skemaer via enhedens link eller en engangskode, uden konto. Ser aldrig andres svar.",
    KONSULENT: "Ser samlede trivsels-, fraværs- og supervisionstal for grupper, der er store nok. "
    "Aldrig enkeltsvar, fravær for navngivne personer eller indholdet af en supervisionsanmodning.",
    RAADGIVER: "Ser samlede fraværstal og, til opfølgning efter 1-5-14-modellen, fraværsperioder "
    "med pseudonyme medarbejdernumre. Aldrig en diagnose.",
    SUPERVISOR: "Ser anmodninger om gruppesupervision med kontaktperson. Anmodninger kobles aldrig til trivselssvar.",
    LEDER: "Ser kun tal for egen enhed og enhederne under den, med de samme anonymitetsregler. "
    "Skriver enhedens APV og er med til at godkende den.",
    AMR: "Ser egen enheds samlede trivsels- og APV-resultater med de samme anonymitetsregler og enhedens APV, "
    "som den er med til at godkende. Aldrig 1-5-14-listen eller fravær for enkeltpersoner.",
    ADMIN: "Opretter enheder, brugere, runder og opbevaringsregler og ser samlet supervisionsstatistik. Ser ikke svar.",
}

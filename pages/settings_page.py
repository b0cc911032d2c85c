"""Indstillinger (admin): anonymity thresholds and retention periods, the app's jobs, the nudges sent to leaders,
a retention run, a backup."""

from datetime import date, datetime

import streamlit as st

from trivsel import backup, config, jobs, nudges, org, retention, settings
from trivsel.ui import figures, navigation
from trivsel.ui.session import get_store
from trivsel.ui.text import error, escape_markdown, flash, show_flash

identity = navigation.require("settings")
store = get_store()
st.title("Indstillinger")
show_flash()
values = settings.all_values(store)

with st.form("settings"):
    chosen = {}
    for heading, prefix in (
        ("Anonymitet", "threshold."),
        ("Sygefraværsopfølgning", "signal."),
        ("Supervision", "supervision."),
        ("APV", "apv."),
        ("Opbevaring", "retention."),
    ):
        st.subheader(heading)
        for key, setting in settings.SETTINGS.items():
            if key.startswith(prefix):
                # No min/max on the field: the browser would keep an out-of-range number silently, and Gem
                # would seem to do nothing. The range is checked on saving, with the field named.
                chosen[key] = st.number_input(
                    f"{setting.label} ({setting.unit})",
                    value=values[key],
                    step=1,
                    key=key,
                    help=f"Mellem {setting.minimum} og {setting.maximum} {setting.unit}.",
                )
    if st.form_submit_button("Gem", type="primary"):
        changed = {k: int(v) for k, v in chosen.items() if int(v) != values[k]}
        try:
            settings.set_values(store, changed, actor=identity.username)
        except settings.SettingError as exc:
            error(str(exc))
        else:
            flash(f"{len(changed)} indstillinger er gemt." if changed else "Ingen ændringer.")

st.subheader("Automatiske job")
st.write(
    "Appen sletter selv det, der er til sletning, og tager en sikkerhedskopi hver nat, den importerer "
    "lønudtræk fra indbakken, og den sender påmindelser til lederne hver dag (se docs/operations.md). "
    "Tidspunkter, mappe, indbakke og mailserver sættes af driften."
)
try:
    st.dataframe(jobs.overview(store, datetime.now()), hide_index=True, width="stretch")
except ValueError as exc:  # a wrong TRIVSEL_* setting: the jobs do not run until it is fixed
    error(f"De automatiske job kører ikke: {exc}")

st.subheader("Påmindelser til ledere")
st.write(
    "Mens en runde er åben, får lederne af dens enheder en e-mail, når den åbner, halvvejs og to dage før den "
    "lukker: svarprocenten i deres egne enheder, som under Målinger, og enhedernes links. Aldrig svar eller "
    "resultater. Hver påmindelse sendes højst én gang."
)
try:
    smtp = config.smtp()
except ValueError as exc:
    error(f"Der sendes ingen e-mails: {exc}")
else:
    if smtp is None:
        st.warning(
            escape_markdown(
                "Der sendes ingen e-mails: mailserveren er ikke sat op (TRIVSEL_SMTP_HOST og de andre "
                "TRIVSEL_SMTP_*, se docs/operations.md). Det gør driften."
            ),
            icon=":material/mail_off:",
        )
    else:
        st.caption(escape_markdown(f"Sendes via {smtp.host}:{smtp.port} fra {smtp.sender}."))
figures.dataframe(
    nudges.sent(store).rename(
        columns={"round": "Runde", "leader": "Leder", "kind": "Påmindelse", "address": "Sendt til", "sent_at": "Sendt"}
    ),
    empty="Ingen påmindelser er sendt endnu.",
    hide_index=True,
    width="stretch",
)
unreachable = [leader for leader in nudges.leaders(store) if not leader.reachable]
if unreachable:
    st.warning(
        f"{len(unreachable)} ledere har ingen gyldig e-mailadresse og får ingen påmindelser. "
        "Skriv adressen under Brugere og adgang → E-mail.",
        icon=":material/contact_mail:",
    )
    st.dataframe(
        {
            "Leder": [leader.leader for leader in unreachable],
            "Enhed": [org.unit_name(store, leader.unit_id) for leader in unreachable],
        },
        hide_index=True,
        width="stretch",
    )

st.subheader("Sletning efter opbevaringsperioden")
st.write("Her ses, hvad der er til sletning nu, og du kan slette det med det samme i stedet for at vente på natten.")
pending = retention.due(store, date.today())
st.dataframe(
    {
        "Data": [d.rule.label for d in pending],
        "Ældre end": [d.cutoff.strftime("%d-%m-%Y") for d in pending],
        "Rækker til sletning": [d.rows for d in pending],
    },
    hide_index=True,
    width="stretch",
)
if st.button("Slet nu", disabled=not any(d.rows for d in pending)):
    done = retention.run(store, date.today(), actor=identity.username)
    flash(f"{sum(d.rows for d in done)} rækker er slettet.")

st.subheader("Sikkerhedskopi")
st.write(
    "En sikkerhedskopi er et øjebliksbillede af hele databasen, taget mens appen kører. "
    "Gendan den med `trivsel restore MAPPE --db NY_FIL`, mens appen er stoppet."
)
if st.button("Tag sikkerhedskopi nu", icon=":material/backup:"):
    folder = config.backup_dir() / datetime.now().strftime("%Y%m%d-%H%M%S")
    counts = backup.backup(store, folder, actor=identity.username)
    flash(f"Sikkerhedskopien er gemt i {folder} ({sum(counts.values())} rækker).")

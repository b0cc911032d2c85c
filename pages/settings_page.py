"""Indstillinger (admin): anonymity thresholds and retention periods, the app's jobs, a retention run, a backup."""

from datetime import date, datetime

import streamlit as st

from trivsel import backup, config, jobs, retention, settings
from trivsel.ui import navigation
from trivsel.ui.session import get_store
from trivsel.ui.text import error, flash, show_flash

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
    "Appen sletter selv det, der er til sletning, og tager en sikkerhedskopi hver nat, og den importerer "
    "lønudtræk fra indbakken (se docs/operations.md). Tidspunkt, mappe og indbakke sættes af driften."
)
try:
    st.dataframe(jobs.overview(store, datetime.now()), hide_index=True, width="stretch")
except ValueError as exc:  # a wrong TRIVSEL_* setting: the jobs do not run until it is fixed
    error(f"De automatiske job kører ikke: {exc}")

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

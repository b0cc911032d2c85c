"""Målinger → "Spørgeskemaer og sprog": each survey's languages with their review status, and its texts to and
from a spreadsheet for a translator (the format: docs/data-formats.md, "Translation sheet")."""

from __future__ import annotations

import streamlit as st

from trivsel import config
from trivsel.imports import ImportRejected
from trivsel.store import Store
from trivsel.surveys import translations
from trivsel.surveys.definitions import survey_file
from trivsel.ui.session import survey_catalog
from trivsel.ui.text import error, flash

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def section(store: Store, actor: str) -> None:
    catalog = survey_catalog()
    with st.expander("Spørgeskemaer og sprog", icon=":material/translate:"):
        ids = list(catalog)
        survey_id = st.selectbox(
            "Spørgeskema",
            ids,
            index=ids.index("trivsel") if "trivsel" in ids else 0,
            format_func=lambda k: catalog[k].title.da,
            key="translation_survey",
        )
        survey = catalog[survey_id]
        st.dataframe(translations.status_table(survey), hide_index=True, width="stretch")
        st.caption(
            "Medarbejderne kan vælge de sprog, der tilbydes: dem, spørgeskemaet har alle tekster på. "
            "Status: maskinoversat, udkast, gennemlæst eller valideret (se surveys/SCHEMA.md)."
        )
        path = survey_file(config.surveys_dir(), survey_id)
        st.download_button(
            "Hent teksterne til oversætteren (Excel)",
            lambda: translations.export_xlsx(path),
            file_name=f"{survey_id}-oversaettelser.xlsx",
            mime=XLSX,
            on_click="ignore",
            icon=":material/download:",
        )
        upload = st.file_uploader("Indlæs det oversatte ark (Excel)", type=["xlsx"], key=f"translations_{survey_id}")
        if upload is None or not st.button("Indlæs oversættelserne", icon=":material/upload:"):
            return
        try:
            result = translations.import_xlsx(path, upload.getvalue())
        except ImportRejected as exc:
            error(f"Arket er afvist, og intet er ændret. Der er {len(exc.problems)} fejl. Ret dem og prøv igen.")
            st.dataframe(exc.table(), hide_index=True, width="stretch")
            return
        translations.record_import(store, actor, survey_id, result)
        survey_catalog.clear()  # the new texts are used from the next run on
        flash(result.message)

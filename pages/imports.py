"""Import: units, employments, placements and absence from payroll/HR files, checked in full before saving."""

import streamlit as st

from trivsel import config
from trivsel.imports import ImportRejected
from trivsel.imports import absence as absence_import
from trivsel.imports import employees as employee_import
from trivsel.imports import placements as placement_import
from trivsel.imports import units as unit_import
from trivsel.roles import ADMIN, RAADGIVER
from trivsel.ui import figures, navigation
from trivsel.ui.session import get_store
from trivsel.ui.text import success

identity = navigation.require("imports")
store = get_store()

# Which files each role may import: (columns, validate, import, roles).
KINDS = {
    "Enheder": (unit_import.COLUMNS, unit_import.validate_units, unit_import.import_units, {ADMIN}),
    "Ansættelser": (
        employee_import.COLUMNS,
        employee_import.validate_employees,
        employee_import.import_employees,
        {ADMIN},
    ),
    "Praktikforløb": (
        placement_import.COLUMNS,
        placement_import.validate_placements,
        placement_import.import_placements,
        {ADMIN},
    ),
    "Fravær": (
        [*absence_import.COLUMNS, *absence_import.OPTIONAL],
        absence_import.validate_absence,
        absence_import.import_absence,
        {ADMIN, RAADGIVER},
    ),
}
allowed = [name for name, (*_, roles) in KINDS.items() if identity.role in roles]

st.title("Import")
kind = st.radio("Hvad vil du importere?", allowed, horizontal=True)
columns, validate, run_import, _ = KINDS[kind]
st.write(
    "Filen skal have kolonnerne: " + ", ".join(f"`{c}`" for c in columns) + ". "
    "CSV med semikolon eller komma (UTF-8 eller Windows-1252) eller Excel (.xlsx). "
    f"Højst {config.MAX_IMPORT_BYTES // (1024 * 1024)} MB. Formaterne står i docs/data-formats.md."
)
upload = st.file_uploader("Vælg fil", type=["csv", "txt", "xlsx"], key=f"upload_{kind}")
if upload is None:
    st.stop()

progress = st.progress(0, text="Læser filen …")
data = upload.getvalue()
progress.progress(30, text="Kontrollerer hver række …")
try:
    preview = validate(store, data)
except ImportRejected as exc:
    progress.empty()
    st.error(
        f"Filen er afvist, og intet er gemt. Der er {len(exc.problems)} fejl. Ret dem og prøv igen.",
        icon=":material/error:",
    )
    st.dataframe(exc.table(), hide_index=True, width="stretch")
    st.stop()
progress.progress(100, text="Kontrollen er færdig.")

st.success(f"Filen er i orden: {len(preview)} rækker. Kontrollér eksemplet og importér.", icon=":material/task_alt:")
figures.dataframe(preview.head(20))
if st.button("Importér", type="primary", icon=":material/upload:"):
    with st.spinner("Gemmer …"):
        try:
            result = run_import(store, data, actor=identity.username)
        except ImportRejected as exc:  # the database changed since the preview
            st.error("Filen blev afvist ved importen, og intet er gemt.", icon=":material/error:")
            st.dataframe(exc.table(), hide_index=True, width="stretch")
        else:
            success(result.message)

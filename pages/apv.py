"""APV: the unit's arbejdspladsvurdering (mapping, problems, absence, action plan, approval, PDF), and for the
arbejdsmiljøorganisation (konsulent, admin) the overview of every unit's APV."""

import re
from datetime import date

import streamlit as st

from trivsel import apv, org, settings
from trivsel.reports import apv as apv_report
from trivsel.roles import ADMIN, KONSULENT, LEDER
from trivsel.surveys import actions, rounds
from trivsel.ui import figures, navigation
from trivsel.ui.session import get_store, survey_catalog
from trivsel.ui.text import empty_state, error, escape_markdown, flash, show_flash
from trivsel.views import apv as apv_views

identity = navigation.require("apv")
store = get_store()
today = date.today()
survey = survey_catalog()[apv.SURVEY_ID]
writer = identity.role == LEDER
st.title("APV")
show_flash()


def attempt(action, message: str) -> None:
    try:
        action()
    except apv.ApvError as exc:
        error(str(exc))
    else:
        flash(message)


if identity.role in (ADMIN, KONSULENT):
    st.subheader("Overblik for arbejdsmiljøorganisationen")
    overview = apv.overview(store, today)
    marked = overview["overdue"].tolist()
    shown = overview.drop(columns=["unit_id", "overdue"]).rename(columns=apv.OVERVIEW_COLUMNS)
    shown["Forfalden"] = ["Ja" if m else "" for m in marked]
    figures.dataframe(
        shown.style.apply(lambda _: ["background-color: #fde8e8" if m else "" for m in marked], axis=0),
        empty="Der er ingen enheder endnu.",
    )
    st.caption(
        f"Markeret: ingen godkendt APV, revisionsdatoen er overskredet, en handling er over fristen, eller der er "
        f"ikke holdt en arbejdsmiljødrøftelse det seneste år. 'Skal snart revideres': inden for {apv.DUE_SOON_DAYS} "
        "dage."
    )

units = org.visible_units(store, identity.scope)
names = dict(zip(units["unit_id"], units["unit_name"]))
if not names:
    empty_state("Der er ingen enheder endnu. Administratoren importerer dem under Import.")
    st.stop()
st.subheader("Enhedens APV")
unit_id = st.selectbox("Enhed", list(names), format_func=names.get, key="apv_unit")
found = apv.of_unit(store, unit_id)

if writer:
    candidates = apv.candidate_rounds(store, unit_id, today)
    with st.expander("Start en ny APV", expanded=not found):
        if not candidates:
            st.text(
                "Der er ingen lukket runde med APV-spørgeskemaet for enheden, som ikke allerede har en APV. "
                "Trivselskonsulenten opretter runden under Målinger; resultaterne kommer, når den er lukket."
            )
        else:
            with st.form("apv_start"):
                labels = {r.round_id: r.label for r in candidates}
                chosen = st.selectbox("Kortlægning (runde)", list(labels), format_func=labels.get)
                if st.form_submit_button("Start APV", type="primary"):
                    attempt(lambda: apv.start(store, unit_id, chosen, identity, today), "APV'en er startet.")

if not found:
    empty_state(
        "Enheden har ingen APV endnu."
        + ("" if writer else " Lederen starter den, når en runde med APV-spørgeskemaet er lukket."),
        ":material/health_and_safety:",
    )
    st.stop()

labels = {a.apv_id: rounds.round_by_id(store, a.round_id).label for a in found}
apv_id = st.selectbox("APV", list(labels), format_func=labels.get, key=f"apv_{unit_id}")
current = apv.visible(store, apv_id, identity)
editable = writer and not current.approved
if current.approved:
    st.success(
        escape_markdown(
            f"Godkendt {figures.danish_date(current.approved_on)}. Revideres senest "
            f"{figures.danish_date(current.revise_by)}."
        ),
        icon=":material/verified:",
    )
else:
    st.info("Udkast: APV'en er godkendt, når både leder og arbejdsmiljørepræsentant har godkendt den.")

figures.audited_download(
    "Hent APV (PDF)",
    lambda: apv_report.pdf(apv_report.gather(store, survey, apv_id, identity, today)),
    store=store,
    actor=identity.username,
    what="apv_document",
    parameters={"unit": unit_id, "round": labels[apv_id]},
    rows=1,
    file_name=f"apv-{re.sub(r'[^A-Za-z0-9_-]', '_', unit_id)}.pdf",
    mime="application/pdf",
    key="apv_pdf",
)

st.subheader("1. Kortlægning")
mapping = apv_views.mapping(store, survey, current, today)
figures.dataframe(
    figures.table(mapping, {"area": "Område"}, {"respondents": ("Svar", 0), "score": ("Score", 0)}),
    empty="Runden har ingen resultater for enheden.",
)
st.caption(
    f"Score 0–100, hvor 100 er bedst: en lav score betyder, at risikoen er der. Tal med {mapping.hidden_label()}, "
    "eller som kunne regnes ud af andre tal, vises ikke."
)

st.subheader("2. Problemliste")
problems = apv.problems(store, apv_id)
figures.dataframe(
    problems.assign(
        priority=problems["priority"].map(apv.PRIORITIES),
        source=["Kortlægningen" if isinstance(m, str) else "Enhedens egen" for m in problems["measure"]],
    )[["priority", "title", "source", "description"]].rename(
        columns={"priority": "Prioritet", "title": "Problem", "source": "Kilde", "description": "Beskrivelse"}
    ),
    empty="Der står ingen problemer på listen endnu.",
)
suggested = apv_views.suggestions(store, mapping, set(problems["measure"].dropna()))
if editable and len(suggested):  # once approved, nothing can be added: no suggestions to act on
    level = settings.get(store, "apv.problem_level")
    st.text(f"Foreslået af kortlægningen (score under {level}):")
    for row in suggested.itertuples():
        left, right = st.columns([4, 1])
        left.text(f"{row.area}: {figures.danish_number(row.score, 1)}")  # 59,7, not "60" under "under 60"
        if right.button("Sæt på listen", key=f"suggest_{row.measure}"):
            attempt(
                lambda row=row: apv.add_problem(store, apv_id, row.area, 1, "", identity, today, row.measure),
                "Området er sat på problemlisten.",
            )
if editable:
    with st.form("apv_problem", clear_on_submit=True):
        st.write("Enhedens eget problem (fx fra en rundgang)")
        title = st.text_input("Problem", max_chars=apv.MAX_TITLE)
        priority = st.radio("Prioritet", list(apv.PRIORITIES), format_func=apv.PRIORITIES.get, horizontal=True)
        description = st.text_area("Beskrivelse", max_chars=apv.MAX_TEXT)
        if st.form_submit_button("Tilføj problem"):
            attempt(
                lambda: apv.add_problem(store, apv_id, title, priority, description, identity, today),
                "Problemet er tilføjet.",
            )

st.subheader("3. Sygefravær")
absence = apv_views.absence(store, current, today)
(first, last), (p_first, p_last) = absence.period, absence.previous
now = figures.table(absence.now, {"unit_name": "Enhed"}, {"absence_rate_pct": (f"{first:%m-%Y} – {last:%m-%Y}", 1)})
now[f"{p_first:%m-%Y} – {p_last:%m-%Y}"] = figures.table(
    absence.before.subset(absence.before.table["unit_id"].isin(absence.now.table["unit_id"])),
    {},
    {"absence_rate_pct": ("før", 1)},
)["før"].to_numpy()
figures.dataframe(now)
st.caption(
    "Sygefravær i procent, i hele kalendermåneder: de 12 måneder før den måned, kortlægningen lukkede i, og de 12 "
    f"før dem. Enheden øverst, derefter enhederne over den. Tal med {absence.now.hidden_label()} vises ikke."
)
if editable:
    with st.form("apv_absence"):
        text = st.text_area(
            "Vurdering: hænger sygefraværet sammen med arbejdsmiljøet?",
            current.absence_assessment,
            max_chars=apv.MAX_TEXT,
        )
        if st.form_submit_button("Gem vurdering"):
            attempt(lambda: apv.set_absence_assessment(store, apv_id, text, identity), "Vurderingen er gemt.")
else:
    st.text(current.absence_assessment or "Der er ikke skrevet en vurdering endnu.")

st.subheader("4. Handleplan")
plan = apv.plan(store, apv_id)
late = apv.late(plan, today)
shown = plan.assign(status=plan["status"].map(actions.STATUSES))[
    ["problem", "what", "owner", "due_on", "status", "follow_up_on"]
].rename(
    columns={
        "problem": "Problem",
        "what": "Handling",
        "owner": "Ansvarlig",
        "due_on": "Frist",
        "status": "Status",
        "follow_up_on": "Opfølgning",
    }
)
marks = late.tolist()
figures.dataframe(
    shown.style.apply(lambda _: ["background-color: #fde8e8" if m else "" for m in marks], subset=["Frist"]),
    empty="Der er ingen handlinger i handleplanen endnu.",
)
if any(marks):
    late_count = sum(marks)
    st.caption(
        f"{late_count} handling er over fristen og ikke færdig (markeret)."
        if late_count == 1
        else f"{late_count} handlinger er over fristen og ikke færdige (markeret)."
    )
if writer and len(problems):
    titles = dict(zip(problems["problem_id"], problems["title"]))
    with st.form("apv_action", clear_on_submit=True):
        st.write("Ny handling")
        problem_id = st.selectbox("Problem", list(titles), format_func=titles.get)
        what = st.text_area("Handling", max_chars=actions.MAX_LENGTH)
        owner_col, due_col, follow_col = st.columns(3)
        owner = owner_col.text_input("Ansvarlig", max_chars=100)
        due = due_col.date_input("Frist", None, format="DD-MM-YYYY")
        follow = follow_col.date_input("Opfølgning", None, format="DD-MM-YYYY")
        if st.form_submit_button("Gem handling", type="primary"):
            attempt(
                lambda: apv.add_action(store, apv_id, problem_id, what, owner, due, follow, identity, today),
                "Handlingen er gemt.",
            )
if writer and len(plan):
    with st.form("apv_action_status"):
        note = st.selectbox("Opdatér status", plan["note_id"], format_func=dict(zip(plan["note_id"], plan["what"])).get)
        status = st.radio("Status", list(actions.STATUSES), format_func=actions.STATUSES.get, horizontal=True)
        if st.form_submit_button("Opdatér"):
            attempt(lambda: apv.set_action_status(store, apv_id, note, status, identity, today), "Status er opdateret.")

st.subheader("5. Godkendelse")
approvals = apv.approvals(store, apv_id)
figures.dataframe(
    approvals.rename(columns={"username": "Godkendt af", "role": "Rolle", "approved_on": "Dato"}),
    empty="Ingen har godkendt APV'en endnu.",
)
if editable:
    with st.form("apv_revise_by"):
        revise_by = st.date_input(
            f"Revideres senest (tomt: {apv.REVISION_YEARS} år efter godkendelsen)",
            current.revise_by,
            format="DD-MM-YYYY",
        )
        if st.form_submit_button("Gem revisionsdato"):
            attempt(lambda: apv.set_revise_by(store, apv_id, revise_by, identity, today), "Revisionsdatoen er gemt.")
if identity.role in apv.APPROVERS and not current.approved:
    st.caption("Godkend, når arbejdsmiljøgruppen er enig om APV'en.")
    if st.button("Godkend APV", type="primary", icon=":material/verified:"):
        attempt(lambda: apv.approve(store, apv_id, identity, today), "Din godkendelse er registreret.")

st.subheader("Årlig arbejdsmiljødrøftelse")
talks = apv.discussions(store, unit_id)
figures.dataframe(
    talks.rename(columns={"held_on": "Dato", "note": "Note", "written_by": "Skrevet af"}),
    empty="Der er ikke registreret en arbejdsmiljødrøftelse.",
)
if writer:
    with st.form("apv_discussion", clear_on_submit=True):
        held = st.date_input("Holdt den", today, max_value=today, format="DD-MM-YYYY")
        note = st.text_area("Kort note", max_chars=apv.MAX_TEXT)
        if st.form_submit_button("Gem drøftelse"):
            attempt(
                lambda: apv.record_discussion(store, unit_id, held, note, identity, today),
                "Drøftelsen er registreret.",
            )

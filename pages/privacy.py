"""Privatliv og anonymitet: for everyone, with or without login, from the live settings."""

import streamlit as st

from trivsel import retention, settings
from trivsel.roles import ACCESS, ROLES
from trivsel.ui.session import get_store

store = get_store()
values = settings.all_values(store)
st.title("Privatliv og anonymitet")
st.write("Her kan du se, hvem der kan se hvad i trivselsplatformen, hvornår tal skjules, "
         "og hvor længe data gemmes. Tallene nedenfor er de indstillinger, der gælder lige nu.")

st.subheader("Dine svar i trivselsmålinger er anonyme")
st.markdown(
    "- Vi gemmer **hvem der har svaret** adskilt fra **hvad der er svaret**. Svarene kan ikke kobles til dig.\n"
    "- Vi gemmer aldrig dit navn, din IP-adresse eller det præcise tidspunkt sammen med et svar.\n"
    f"- Et resultat vises kun, når mindst **{values['threshold.survey']:d}** har svaret.\n"
    "- Tal, der kunne regnes ud ved at trække to synlige tal fra hinanden, skjules også.\n"
    f"- Fritekstkommentarer vises kun for grupper med mindst **{values['threshold.comments']:d}** svar, "
    "i tilfældig rækkefølge, uden datoer og med fornavne fjernet."
)

st.subheader("Sygefravær")
st.markdown(
    "- Vi registrerer perioder med fravær (start, slut, type og grad), aldrig en diagnose eller årsag.\n"
    f"- Fraværstal for en gruppe vises kun, når den har mindst **{values['threshold.absence']:d}** personer, "
    "og de samme regler mod fratrækning gælder.\n"
    "- Hver visning af fravær for enkeltpersoner og hver eksport skrives i en revisionslog."
)

st.subheader("Hvem kan se hvad")
st.table({"Rolle": ["Medarbejder", *(ROLES[r] for r in ACCESS if r in ROLES)],
          "Kan se": list(ACCESS.values())})

st.subheader("Hvor længe gemmes data")
st.table({"Data": [rule.label for rule in retention.RULES],
          "Slettes efter": [f"{values[rule.setting]:d} måneder" if rule.setting else "straks"
                            for rule in retention.RULES]})
st.caption("Sletningen kører automatisk. Spørgsmål om dine data: kontakt kommunens databeskyttelsesrådgiver.")

"""Privatliv og anonymitet: for everyone, with or without login, from the live settings."""

import streamlit as st

from trivsel import retention, settings
from trivsel.roles import ACCESS, ROLES
from trivsel.ui.session import get_store

store = get_store()
values = settings.all_values(store)
st.title("Privatliv og anonymitet")
st.write(
    "Her kan du se, hvem der kan se hvad i trivselsplatformen, hvornår tal skjules, "
    "og hvor længe data gemmes. Tallene nedenfor er de indstillinger, der gælder lige nu."
)

st.subheader("Dine svar i trivselsmålinger er anonyme")
st.markdown(
    "- Vi gemmer **hvem der har svaret** adskilt fra **hvad der er svaret**. Intet i det gemte svar peger på dig "
    "(se dog nedenfor, hvad den, der har adgang til selve databasen, kan se).\n"
    "- Vi gemmer aldrig dit navn, din IP-adresse eller det præcise tidspunkt sammen med et svar.\n"
    f"- Et resultat vises kun, når mindst **{values['threshold.survey']:d}** har svaret.\n"
    "- Tal, der kunne regnes ud ved at trække to synlige tal fra hinanden, skjules også.\n"
    "- Resultaterne af en måling vises først, når den er lukket. Mens den er åben, ses kun, hvor mange der "
    "har svaret, så ingen kan se et resultat flytte sig, når du har svaret.\n"
    f"- Fritekstkommentarer vises kun, når mindst **{values['threshold.comments']:d}** i gruppen har skrevet en, "
    "i tilfældig rækkefølge, uden datoer og med fornavne fjernet."
)
st.write(
    "Målinger med et fælles link til enheden stoler på dem, der har linket: en enhed kan højst få lige så "
    "mange svar, som den har ansatte, men den, der har linket, kan svare flere gange inden for det loft. "
    "Når den tillid ikke er der, bruger trivselskonsulenten engangskoder: én kode pr. ansat, som kun kan "
    "bruges én gang."
)
st.write(
    "Har du svaret via enhedens link, husker din browser (ikke serveren), at den har svaret på målingen, så "
    "linket kan sige det, hvis det åbnes igen i samme browser. Browseren gemmer kun målingens nummer og "
    "slutdato, aldrig dine svar, og en kollega, der deler telefon eller computer med dig, kan stadig svare. "
    "På en fælles tablet (kiosk) husker browseren intet, og skemaet ryddes efter hvert svar."
)

st.subheader("Hvad den, der har adgang til selve databasen, stadig kan se")
st.markdown(
    "- Svarene ligger ikke i den rækkefølge, de kom ind. Hver nat skrives de nye svar om, sorteret efter et "
    "tilfældigt nummer, og en sikkerhedskopi gemmer altid svar og engangskoder sorteret på samme måde.\n"
    "- Men den, der kan kopiere databasefilen (eller tage en sikkerhedskopi) lige før og lige efter, at én "
    "person svarer, kan se, hvilket svar der er kommet til, og ved engangskoder hvilken kode der er blevet "
    "brugt. Ved vedkommende også, hvem der fik koden, kan svaret kobles til personen. Det gælder, uanset "
    "hvordan rækkerne er ordnet.\n"
    "- Indtil den natlige oprydning efter et svar kan databasens logfil også vise dagens svar i den rækkefølge, de kom "
    "ind, og hvilken kode der blev brugt sammen med hvilket svar.\n"
    "- Med engangskoder kan den, der ved, hvem der fik hvilken kode, og som kan se databasen, se hvem der har "
    "svaret, men ikke hvad.\n"
    "- Databasefilen og sikkerhedskopierne ligger kun på serveren: appen kan ikke hente dem ned, og hver "
    "sikkerhedskopi skrives i revisionsloggen."
)

st.subheader("Sygefravær")
st.markdown(
    "- Vi registrerer perioder med fravær (start, slut, type og grad), aldrig en diagnose eller årsag.\n"
    f"- Fraværstal for en gruppe vises kun, når den har mindst **{values['threshold.absence']:d}** personer, "
    "og de samme regler mod fratrækning gælder.\n"
    "- Hver visning af fravær for enkeltpersoner og hver eksport skrives i en revisionslog."
)

st.subheader("Hvem kan se hvad")
st.table({"Rolle": ["Medarbejder", *(ROLES[r] for r in ACCESS if r in ROLES)], "Kan se": list(ACCESS.values())})

st.subheader("Hvor længe gemmes data")
st.table(
    {
        "Data": [rule.label for rule in retention.RULES],
        "Slettes efter": [
            f"{values[rule.setting]:d} måneder" if rule.setting else "straks" for rule in retention.RULES
        ],
    }
)
st.caption("Sletningen kører automatisk. Spørgsmål om dine data: kontakt kommunens databeskyttelsesrådgiver.")

"""Showing figures in Danish: suppressed cells read "færre end N personer", never 0 or blank; numbers have
decimal commas, dates are dd-mm-yyyy, months and charts speak Danish."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from trivsel import audit, exports
from trivsel.disclosure import Protected
from trivsel.formats import danish_number
from trivsel.store import Store
from trivsel.ui.text import empty_state, escape_markdown

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
SHORT_MONTHS = ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")
MISSING = "–"  # an empty cell, where Streamlit would write "None"
HIDDEN_CARD = "Skjult"  # a metric card's value: "færre end 5 personer" is cut off in a narrow card
_MAX_TICKS = 12
_MONTH_KEY = re.compile(r"\d{4}-\d{2}")
# Plotly's own words (toolbar, hints) in Danish; plotly.js cannot load its locale files from a CDN here.
_PLOTLY_DANISH = {
    "Autoscale": "Tilpas akserne",
    "Box Select": "Vælg et område",
    "Compare data on hover": "Sammenlign ved pegning",
    "Double-click on legend to isolate one trace": "Dobbeltklik på en forklaring for kun at vise den",
    "Double-click to zoom back out": "Dobbeltklik for at zoome ud igen",
    "Download plot": "Hent grafen",
    "Download plot as a PNG": "Hent grafen som billede (PNG)",
    "Image download succeeded": "Billedet er hentet",
    "Lasso Select": "Vælg med lasso",
    "Pan": "Flyt",
    "Preparing image - this may take a few seconds": "Billedet laves – det kan tage et par sekunder",
    "Reset": "Nulstil",
    "Reset axes": "Nulstil akserne",
    "Reset view": "Nulstil visningen",
    "Show closest data on hover": "Vis nærmeste punkt ved pegning",
    "Sorry, there was a problem downloading your image!": "Billedet kunne ikke hentes.",
    "Toggle Spike Lines": "Vis eller skjul hjælpelinjer",
    "Zoom": "Zoom",
    "Zoom in": "Zoom ind",
    "Zoom out": "Zoom ud",
    "trace": "serie",
}
PLOTLY_CONFIG = {"locale": "da", "locales": {"da": {"dictionary": _PLOTLY_DANISH}}}


def signed_number(value: float, decimals: int) -> str:
    """A change with its sign: "+0,7", "-1,2" (st.metric reads the leading minus as a fall)."""
    text = danish_number(value, decimals)
    return text if text.startswith("-") else "+" + text


def danish_date(value: date | datetime | pd.Timestamp | None) -> str:
    """dd-mm-yyyy, or "" for no date."""
    return "" if value is None or pd.isna(value) else f"{value:%d-%m-%Y}"


def danish_month(value: date | str, short: bool = True) -> str:
    """A month as Danish readers write it: "jul. 2022" (short) or "juli 2022"; a "yyyy-mm" text is a month too."""
    month = pd.Timestamp(value)
    return f"{(SHORT_MONTHS if short else MONTHS)[month.month - 1]} {month.year}"


def month_labels(protected: Protected) -> Protected:
    """Rows keyed by a month ("2025-12") labelled with its Danish name ("december 2025"); others (a total) keep
    their label."""
    table = protected.table.assign(
        label=[
            danish_month(key, short=False) if _MONTH_KEY.fullmatch(str(key)) else label
            for key, label in zip(protected.table["key"], protected.table["label"])
        ]
    )
    return Protected(table, protected.threshold, protected.noun)


def danish_dates(fig: go.Figure, value: str = "%{y}") -> go.Figure:
    """A monthly x axis with Danish month names: ticks ("jul. 2022") 1, 2, 3, 6 or 12 months apart counted from
    January, the closest that gives at most 12 (yearly ticks beyond 12 years), and a hover that reads
    "juli 2022: <value>", where `value` is a Plotly hover template such as "%{y:.1f} %"."""
    xs = [() if trace.x is None else trace.x for trace in fig.data]
    months = sorted({pd.Timestamp(x).to_period("M") for values in xs for x in values})
    if not months:
        return fig
    span = (months[-1] - months[0]).n + 1
    step = next(s for s in (1, 2, 3, 6, 12) if math.ceil(span / s) <= _MAX_TICKS or s == 12)
    ticks = pd.period_range(months[0], months[-1], freq="M")
    ticks = [m for m in ticks if (m.month - 1) % step == 0] or [months[0]]
    fig.update_xaxes(
        type="date",
        tickmode="array",
        tickvals=[m.start_time.date().isoformat() for m in ticks],
        ticktext=[danish_month(m.start_time) for m in ticks],
    )
    for trace, values in zip(fig.data, xs):
        trace.customdata = [danish_month(x, short=False) for x in values]
        trace.hovertemplate = f"%{{customdata}}: {value}"
    return fig


def plotly_chart(fig: go.Figure, **layout) -> None:
    """Draw a chart the Danish way: decimal commas, thousands with a point, Plotly's toolbar in Danish."""
    fig.update_layout(separators=",.", **layout)
    st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG)


def dataframe(data, *, empty: str = "Der er intet at vise.", decimals: int = 2, container=st, **options) -> None:
    """st.dataframe in Danish: numbers with decimals as text with a decimal comma (Streamlit writes a point),
    `decimals` of them; dates dd-mm-yyyy (with a time, HH:MM too); "–" for a missing value instead of "None";
    and the sentence `empty` instead of Streamlit's "empty" when there are no rows. `data` may be a Styler."""
    frame = pd.DataFrame(getattr(data, "data", data))  # a Styler keeps its data in .data
    if frame.empty:
        empty_state(empty, container=container)
        return
    floats = {name: decimals for name in frame.columns if pd.api.types.is_float_dtype(frame[name])}
    if floats and not hasattr(data, "data"):
        data = frame = danish_columns(frame, floats)
    config = {}
    for name in frame.columns:
        values = frame[name].dropna()
        # datetimes and Timestamps are dates too; an all-empty timestamp column is still one
        if pd.api.types.is_datetime64_any_dtype(frame[name]) or (
            len(values) and all(isinstance(v, date) for v in values)
        ):
            timed = any(isinstance(v, datetime) and v.time() != datetime.min.time() for v in values)
            config[name] = (
                st.column_config.DatetimeColumn(format="DD-MM-YYYY HH:mm")
                if timed
                else st.column_config.DateColumn(format="DD-MM-YYYY")
            )
    options = {"hide_index": True, "width": "stretch", "placeholder": MISSING, **options}
    options["column_config"] = {**config, **options.get("column_config", {})}
    container.dataframe(data, **options)


def danish_columns(frame: pd.DataFrame, decimals: dict[str, int]) -> pd.DataFrame:
    """A copy with these number columns as Danish text ("0,64", "–" when missing): Streamlit's tables write a
    decimal point."""
    return frame.assign(
        **{
            column: [MISSING if pd.isna(v) else danish_number(float(v), places) for v in frame[column]]
            for column, places in decimals.items()
        }
    )


def chart_text(text: str | Iterable[str]) -> str | list[str]:
    """Names and labels from data for a Plotly chart, shown as typed.

    Plotly reads tags in its texts (<a href>, <span style>), and an image in a style's CSS is fetched
    by the browser; with < and & written as entities Plotly draws the characters themselves."""
    if isinstance(text, str):
        return html.escape(text, quote=False)
    return [html.escape(str(t), quote=False) for t in text]


def table(protected: Protected, labels: dict[str, str], metrics: dict[str, tuple[str, int]]) -> pd.DataFrame:
    """A display table: `labels` are text columns, `metrics` map column -> (heading, decimals)."""
    data = protected.table
    hidden = protected.hidden_label()
    out = pd.DataFrame({heading: data[column].astype(str) for column, heading in labels.items()})
    for column, (heading, decimals) in metrics.items():
        # Every hidden cell reads the same, whether small itself or hidden to protect a small one: a label telling
        # them apart would point at the small one. The pages' captions say a hidden cell may be either.
        out[heading] = [
            hidden if suppressed else (MISSING if pd.isna(value) else danish_number(float(value), decimals))
            for value, suppressed in zip(data[column], data["suppressed"])
        ]
    return out


def all_hidden(protected: Protected) -> bool:
    """Whether the table has no figure to show: no rows, or every row hidden."""
    return bool(protected.table["suppressed"].all())


def hidden_metric(container, label: str, hidden_label: str) -> None:
    """A metric card whose figure is hidden: a short word, the reason in its help."""
    container.metric(
        label,
        HIDDEN_CARD,
        help=escape_markdown(f"{hidden_label.capitalize()}, eller tallet kunne regnes ud af andre tal."),
    )


def audited_download(
    label: str,
    make: Callable[[], bytes | str],
    *,
    store: Store,
    actor: str,
    what: str,
    parameters: dict,
    rows: int,
    container=st,
    **button,
) -> None:
    """A download button whose file is made, and its export logged, when it is clicked.

    The click does not rerun the page (on_click="ignore"): a rerun would replace the
    button's deferred file id while the browser still asks for the old one, and under
    load the download then fails.
    """

    def made_and_logged() -> bytes | str:
        data = make()
        audit.record_export(store, actor, what, parameters, rows)
        return data

    container.download_button(label, made_and_logged, on_click="ignore", icon=":material/download:", **button)


def download_buttons(
    store: Store,
    actor: str,
    what: str,
    parameters: dict,
    frame: pd.DataFrame,
    file_stem: str,
    extra_sheets: dict[str, pd.DataFrame] | None = None,
) -> None:
    """CSV and XLSX downloads of the same protected table; each download is written to the audit log."""
    logged = {"store": store, "actor": actor, "what": what, "parameters": parameters, "rows": len(frame)}
    left, right = st.columns(2)
    audited_download(
        "Hent CSV",
        lambda: exports.to_csv(frame),
        container=left,
        file_name=f"{file_stem}.csv",
        mime="text/csv",
        key=f"{what}_csv",
        **logged,
    )
    audited_download(
        "Hent Excel",
        lambda: exports.to_xlsx({"Data": frame, **(extra_sheets or {})}),
        container=right,
        file_name=f"{file_stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{what}_xlsx",
        **logged,
    )

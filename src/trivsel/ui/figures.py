"""Showing protected figures: suppressed cells read "færre end N personer", never 0 or blank."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

import pandas as pd
import streamlit as st

from trivsel import audit, exports
from trivsel.disclosure import Protected
from trivsel.store import Store


def danish_number(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u2009").replace(".", ",")


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
        out[heading] = [
            hidden if suppressed else ("–" if pd.isna(value) else danish_number(float(value), decimals))
            for value, suppressed in zip(data[column], data["suppressed"])
        ]
    return out


def audited_download(label: str, make: Callable[[], bytes | str], *, store: Store, actor: str, what: str,
                     parameters: dict, rows: int, container=st, **button) -> None:
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


def download_buttons(store: Store, actor: str, what: str, parameters: dict, frame: pd.DataFrame,
                     file_stem: str, extra_sheets: dict[str, pd.DataFrame] | None = None) -> None:
    """CSV and XLSX downloads of the same protected table; each download is written to the audit log."""
    logged = {"store": store, "actor": actor, "what": what, "parameters": parameters, "rows": len(frame)}
    left, right = st.columns(2)
    audited_download("Hent CSV", lambda: exports.to_csv(frame), container=left, file_name=f"{file_stem}.csv",
                     mime="text/csv", key=f"{what}_csv", **logged)
    audited_download(
        "Hent Excel", lambda: exports.to_xlsx({"Data": frame, **(extra_sheets or {})}), container=right,
        file_name=f"{file_stem}.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{what}_xlsx", **logged)

"""Showing protected figures: suppressed cells read "færre end N personer", never 0 or blank."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from trivsel import audit, exports
from trivsel.disclosure import Protected
from trivsel.store import Store


def danish_number(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u2009").replace(".", ",")


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


def download_buttons(store: Store, actor: str, what: str, parameters: dict, frame: pd.DataFrame,
                     file_stem: str, extra_sheets: dict[str, pd.DataFrame] | None = None) -> None:
    """CSV and XLSX downloads of the same protected table; each click is written to the audit log.

    The files are made when the button is clicked, not on every rerun of the page.
    """
    args = (store, actor, what, parameters, len(frame))
    left, right = st.columns(2)
    left.download_button("Hent CSV", lambda: exports.to_csv(frame), file_name=f"{file_stem}.csv", mime="text/csv",
                         icon=":material/download:", on_click=audit.record_export, args=args, key=f"{what}_csv")
    right.download_button(
        "Hent Excel", lambda: exports.to_xlsx({"Data": frame, **(extra_sheets or {})}), file_name=f"{file_stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:", on_click=audit.record_export, args=args, key=f"{what}_xlsx")

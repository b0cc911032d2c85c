"""Picking a period in whole calendar months, for those who may not see single persons' figures.

A period that begins or ends inside a month could be narrowed down to a day by asking twice
(disclosure.rules.check_whole_months); the pickers offer only whole months that have ended.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import streamlit as st

from trivsel.ui.figures import MONTHS

YEARS_BACK = 5  # absence spells are kept 60 months, supervision requests less


def last_whole_month_end(today: date) -> date:
    """The last day of the last month that has ended."""
    return today.replace(day=1) - timedelta(days=1)


def month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def month_label(first: date) -> str:
    return f"{MONTHS[first.month - 1]} {first.year}"


def whole_months(today: date) -> list[date]:
    """The first day of each month that has ended, from January YEARS_BACK years ago, oldest first."""
    last = last_whole_month_end(today).replace(day=1)
    months, first = [], date(today.year - YEARS_BACK, 1, 1)
    while first <= last:
        months.append(first)
        first = month_end(first) + timedelta(days=1)
    return months


def month_range(label: str, key: str, months: list[date], default: tuple[date, date]) -> tuple[date, date]:
    """Two month pickers (from, to) side by side; the first day of one and the last day of the other.

    Stops the page with a note when the last month lies before the first.
    """

    def index(month: date) -> int:
        return min(range(len(months)), key=lambda i: abs((months[i] - month).days))

    left, right = st.columns(2)
    first = left.selectbox(
        f"{label}: fra", months, index=index(default[0]), format_func=month_label, key=f"{key}_from"
    )  # markdown-safe: label is the page's own constant
    last = right.selectbox(
        f"{label}: til og med", months, index=index(default[1]), format_func=month_label, key=f"{key}_to"
    )  # markdown-safe: label is the page's own constant
    if last < first:
        st.info(
            f"{label}: den sidste måned ligger før den første.",  # markdown-safe: the page's own constant
            icon=":material/date_range:",
        )
        st.stop()
    return first, month_end(last)

"""The dashboards' Plotly charts, built once for the page and the PDF report, and drawn as images offline.

Each builder takes protected figures from views/ and returns the figure with its layout; a page draws it
with figures.plotly_chart, the report with `images`. Names from data go through figures.chart_text.

`images` uses Kaleido, which drives the system's Chromium (TRIVSEL_CHROMIUM, or `chromium` on the PATH):
one browser for all of a report's charts (started by `drawing()` while the report's figures are computed),
plotly.js from the plotly package and no MathJax, so nothing is fetched from the network.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager
from contextvars import ContextVar
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from trivsel.ui import figures
from trivsel.views import absence as absence_views
from trivsel.views import dashboard

WIDTH = 900  # pixels of a chart image; the PDF scales it to the text width


class ChartError(RuntimeError):
    """The charts could not be drawn; the message is Danish."""


def _danish(fig: go.Figure, **layout) -> go.Figure:
    return fig.update_layout(separators=",.", **layout)


def who5(bands: pd.DataFrame) -> go.Figure:
    """WHO-5 per unit: the shares ≤ 28, 29–49 and ≥ 50 as stacked bars, the mean as a diamond."""
    chart = go.Figure()
    names = figures.chart_text(bands["unit_name"])
    for band, colour in (("≤ 28", "#7a0403"), ("29–49", "#e8a33d"), ("≥ 50", "#2c7fb8")):
        chart.add_bar(y=names, x=bands[band], name=band, orientation="h", marker_color=colour)
    chart.add_scatter(
        y=names,
        x=bands["mean"],
        mode="markers",
        name="Gennemsnit",
        xaxis="x2",
        marker={"symbol": "diamond", "size": 11, "color": "#111"},
    )
    chart.add_vline(
        x=dashboard.NATIONAL_WHO5_MEAN,
        line_dash="dash",
        line_color="#555",
        annotation_text="Landsgennemsnit ca. 68",
        annotation_bgcolor="rgba(255,255,255,0.85)",  # readable on the blue bars
    )
    return _danish(
        chart,
        barmode="stack",
        height=170 + 36 * len(bands),
        # The legend at the figure's foot, below the axis title (placed by the plot's height, it ran over it).
        margin={"t": 40, "b": 90},
        xaxis={"title": "Andel af svarene (%)", "range": [0, 100]},
        xaxis2={"overlaying": "x", "side": "top", "range": [0, 100], "title": "Gennemsnit (0–100)"},
        yaxis={"autorange": "reversed", "automargin": True},  # long unit names are not cut at the left
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
    )


def trend(data: pd.DataFrame, title: str, unit_names: dict[str, str]) -> go.Figure:
    """One measure across rounds (dashboard.trend rows of that measure), a line per unit, the baseline marked."""
    chart = go.Figure()
    for unit_id, name in unit_names.items():
        line = data[data["unit_id"] == unit_id]
        chart.add_scatter(
            x=figures.chart_text(line["round"]),
            y=line["score"],
            mode="lines+markers",
            name=figures.chart_text(name),
            connectgaps=False,
        )
    for label in figures.chart_text(data.loc[data["is_baseline"], "round"].unique()):
        chart.add_vrect(
            x0=label,
            x1=label,
            line_width=12,
            line_color="rgba(44,127,184,0.25)",
            annotation_text="Basis",
            annotation_position="top left",
        )
    return _danish(
        chart,
        title=figures.chart_text(title),
        height=300,
        margin={"t": 50, "b": 10},
        legend={"orientation": "h", "y": -0.25},
        xaxis={"type": "category"},
    )


def absence_trend(monthly: pd.DataFrame, baseline_rate: float | None, baseline: tuple[date, date]) -> go.Figure:
    """Monthly absence rates (views.absence.monthly), the baseline period's rate and the national references."""
    chart = go.Figure()
    for _, series in monthly.groupby("unit_id", sort=False):
        chart.add_scatter(
            x=series["month"],
            y=series["absence_rate_pct"],
            mode="lines+markers",
            name=figures.chart_text(series["unit_name"].iloc[0]),
            connectgaps=False,
        )
    if baseline_rate is not None:
        chart.add_hline(
            y=baseline_rate,
            line_dash="dash",
            line_color="#555",
            annotation_text="Basisperiode",
            annotation_position="top left",
        )
    for label, rate in absence_views.national_reference_rates().items():
        chart.add_hline(
            y=rate, line_dash="dot", line_color="#b0b0b0", annotation_text=label, annotation_position="bottom right"
        )
    chart.add_vrect(x0=baseline[0], x1=baseline[1], fillcolor="#e8eef7", opacity=0.5, line_width=0)
    figures.danish_dates(chart, "%{y:.1f} %")
    return _danish(
        chart,
        yaxis_title="Sygefravær (%)",
        xaxis_title=None,
        height=380,
        margin={"t": 20, "b": 20},
        legend={"orientation": "h", "y": -0.15},
    )


def funnel_steps(row: pd.Series) -> dict[str, float]:
    """The 1-5-14 steps a unit's protected summary row shows (none when hidden; a blank step is left out)."""
    if row["suppressed"]:
        return {}
    return {label: row[column] for label, column in absence_views.funnel_steps().items() if pd.notna(row[column])}


def funnel(shown: dict[str, float]) -> go.Figure:
    """The spells begun and how many reached day 5, 14, 28 and 56."""
    begun = "Begyndt" in shown
    chart = go.Figure(
        go.Funnel(
            y=list(shown),
            x=list(shown.values()),
            textinfo="value+percent initial" if begun else "value",
            hovertemplate="%{y}: %{x} perioder"
            + (" (%{percentInitial:.0%} af de begyndte)" if begun else "")
            + "<extra></extra>",
        )
    )
    return _danish(chart, height=320, margin={"t": 10, "b": 10})


def comparison(
    names: list[str],
    before: list[float | None],
    after: list[float | None],
    labels: tuple[str, str],
    title: str,
    decimals: int = 1,
    references: dict[str, float] | None = None,
) -> go.Figure:
    """One measure for each unit, the baseline beside the follow-up as bars (none where a figure is hidden or
    missing), with reference lines (national figures) where given."""
    chart = go.Figure()
    shown = figures.chart_text(names)
    for values, label, colour in ((before, labels[0], "#9ecae1"), (after, labels[1], "#1d5a96")):
        chart.add_bar(
            y=shown,
            x=list(values),
            name=figures.chart_text(label),
            orientation="h",
            marker_color=colour,
            texttemplate=f"%{{x:.{decimals}f}}",
            textposition="outside",
            cliponaxis=False,
        )
    for i, (label, value) in enumerate((references or {}).items()):
        chart.add_vline(
            x=value,
            line_dash="dot",
            line_color="#777",
            annotation_text=figures.chart_text(label),
            annotation_position="top right" if i % 2 == 0 else "bottom right",
        )
    return _danish(
        chart,
        title=figures.chart_text(title),
        barmode="group",
        height=140 + 44 * len(names),
        margin={"t": 60, "b": 10, "r": 40},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": -0.12},
    )


def images(charts: list[go.Figure], width: int = WIDTH) -> list[bytes]:
    """Each chart as a PNG (twice the pixels, for print), all drawn in one headless Chromium: the one started by
    `drawing()` around this call, else one started for the call."""
    if not charts:
        return []
    renderer = _current.get()
    if renderer is not None:
        return renderer.images(charts, width)
    with drawing():
        return _current.get().images(charts, width)


@contextmanager
def drawing() -> Iterator[None]:
    """Start the headless Chromium now, in a thread of its own, for the `images` calls inside the block.

    Chromium and plotly.js take about 2 s to start; started before a report's figures are computed, that
    time overlaps the computing. The browser is closed at the end of the block."""
    renderer = _Renderer()
    token = _current.set(renderer)
    try:
        yield
    finally:
        _current.reset(token)
        renderer.close()


_current: ContextVar[_Renderer | None] = ContextVar("trivsel_chart_renderer", default=None)
TIMEOUT = 120  # seconds for Chromium to start, and for one batch of charts


class _Renderer:
    """One Kaleido browser driven by an event loop in its own thread (the caller may be a Streamlit script thread
    with or without a loop of its own)."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="trivsel-charts", daemon=True)
        self._thread.start()
        self._stack = AsyncExitStack()
        self._browser = asyncio.run_coroutine_threadsafe(self._open(), self._loop)

    async def _open(self):
        import kaleido  # only the reports need it: the pages draw charts in the browser

        class Browser(kaleido.Kaleido):
            async def _return_kaleido_tab(self, tab) -> None:
                # Kaleido reloads plotly.js into the page after every chart (0.1-0.3 s each); a report's few charts
                # are drawn in the same page, with the same images (tests/test_unit_report.py), and the page
                # goes with the browser when the report is done.
                await self.tabs_ready.put(tab)

        options = {"path": os.environ["TRIVSEL_CHROMIUM"]} if os.environ.get("TRIVSEL_CHROMIUM") else {}
        return await self._stack.enter_async_context(Browser(n=1, mathjax=False, **options))

    def images(self, charts: list[go.Figure], width: int) -> list[bytes]:
        async def draw(browser) -> list[bytes]:
            options = [{"format": "png", "width": width, "height": height(chart), "scale": 2} for chart in charts]
            return list(await asyncio.gather(*(browser.calc_fig(c, o) for c, o in zip(charts, options, strict=True))))

        try:
            browser = self._browser.result(TIMEOUT)
            return asyncio.run_coroutine_threadsafe(draw(browser), self._loop).result(TIMEOUT)
        except Exception as exc:
            raise ChartError(
                "Diagrammerne kunne ikke tegnes, fordi Chromium mangler eller ikke kunne startes "
                f"({type(exc).__name__}). Installér Chromium, eller sæt TRIVSEL_CHROMIUM til stien."
            ) from exc

    def close(self) -> None:
        """Close the browser (waiting for it to have started, if it is still starting) and end the thread."""
        try:
            self._browser.result(TIMEOUT)
            asyncio.run_coroutine_threadsafe(self._stack.aclose(), self._loop).result(TIMEOUT)
        except Exception:  # noqa: BLE001, S110 (a browser that never started has nothing to close; images said why)
            pass
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(TIMEOUT)
            self._loop.close()


def height(chart: go.Figure) -> int:
    return int(chart.layout.height or 400)

"""Drawing the reports' charts as images (Kaleido in the system's Chromium): one browser for a whole report,
started before the report's figures are computed, the same pictures as Kaleido's own way, and a Danish error
when Chromium is missing."""

import asyncio
import threading
from datetime import date

import kaleido
import pandas as pd
import pytest

from trivsel.reports import charts


def report_like_charts() -> list:
    """Charts of each kind a report draws, with different sizes and data."""
    bands = pd.DataFrame(
        {"unit_name": ["Ældreplejen", "Hjemmeplejen Nord"], "≤ 28": [10.0, 5], "29–49": [30.0, 25], "≥ 50": [60.0, 70]}
    ).assign(mean=[62.0, 70])
    trend = pd.DataFrame(
        {
            "unit_id": ["A"] * 3,
            "round": ["Forår 2025", "Efterår 2025", "Forår 2026"],
            "score": [61.0, None, 66.5],
            "is_baseline": [True, False, False],
        }
    )
    return [
        charts.who5(bands),
        charts.trend(trend, "WHO-5", {"A": "Ældreplejen"}),
        charts.funnel({"Begyndt": 120.0, "Dag 5": 40.0, "Dag 14": 12.0}),
        charts.trend(trend.assign(score=[40.0, 45, 50]), "Ledelse", {"A": "Ældreplejen"}),
    ]


def fresh_page_images(figures: list) -> list[bytes]:
    """Kaleido's own way: a new browser and a freshly loaded page for every chart."""

    async def draw() -> list[bytes]:
        return [
            await kaleido.calc_fig(
                fig,
                {"format": "png", "width": charts.WIDTH, "height": charts.height(fig), "scale": 2},
                kopts={"mathjax": False},
            )
            for fig in figures
        ]

    return asyncio.run(draw())


def test_charts_drawn_in_one_page_are_the_pictures_kaleido_draws_each_in_a_fresh_page():
    figures = report_like_charts()
    assert charts.images(figures) == fresh_page_images(figures)


def test_a_report_starts_chromium_once_for_all_its_charts_and_closes_it(monkeypatch):
    opened = []
    real = kaleido.Kaleido.open

    async def counting_open(self):
        opened.append(self)
        await real(self)

    monkeypatch.setattr(kaleido.Kaleido, "open", counting_open)
    figures = report_like_charts()
    with charts.drawing():
        assert len(opened) <= 1  # starting while the caller computes the report's figures
        first = charts.images(figures[:2])
        second = charts.images(figures[2:])
    assert len(opened) == 1
    assert [len(png) > 1000 and png.startswith(b"\x89PNG") for png in first + second] == [True] * 4
    assert not [t for t in threading.enumerate() if t.name == "trivsel-charts"]


def test_without_chromium_the_report_says_so_in_danish_and_leaves_nothing_running(monkeypatch, tmp_path):
    monkeypatch.setenv("TRIVSEL_CHROMIUM", str(tmp_path / "ingen-chromium"))
    with pytest.raises(charts.ChartError, match="Chromium mangler eller ikke kunne startes"), charts.drawing():
        charts.images([charts.funnel({"Begyndt": 3.0})])
    assert not [t for t in threading.enumerate() if t.name == "trivsel-charts"]


def test_a_report_refused_before_its_charts_closes_the_browser_it_started():
    with pytest.raises(ValueError, match="afvist"), charts.drawing():
        raise ValueError(f"afvist {date.today()}")
    assert not [t for t in threading.enumerate() if t.name == "trivsel-charts"]

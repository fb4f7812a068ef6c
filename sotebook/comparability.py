"""STUB until the data branch lands: decides whether two years' figures of a metric can be compared."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Verdict:
    comparable: bool
    reason: str
    detail: str


def verdict(metrics: pd.DataFrame, figures: pd.DataFrame, metric_id: str, year: int, earlier_year: int) -> Verdict:
    now = figures[(figures.metric_id == metric_id) & (figures.year == year)]
    then = figures[(figures.metric_id == metric_id) & (figures.year == earlier_year)]
    if then.empty or now.empty:
        return Verdict(False, "missing", "")
    spec = metrics.set_index("metric_id").loc[metric_id]
    if spec.series_break_year == str(year):
        return Verdict(False, "series_break", spec.series_break_note)
    a, b = then.iloc[0], now.iloc[0]
    if a.period_kind != b.period_kind:
        return Verdict(False, "period", f"{a.period_kind}|{b.period_kind}")
    return Verdict(True, "", "")


def change_interval(low_a, high_a, low_b, high_b) -> tuple[float, float]:
    return ((low_b - high_a) / high_a * 100, (high_b - low_a) / low_a * 100)


def difference_interval(low_a, high_a, low_b, high_b) -> tuple[float, float]:
    return (low_b - high_a, high_b - low_a)

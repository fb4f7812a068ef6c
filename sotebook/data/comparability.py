"""Whether two years' figures of a metric may be compared, and the range of change they allow.

A change from one year to the next means something only when the two figures measure the same thing
over the same kind of period. The verdict reads that from the data: each figure's period kind and
basis (data/clean/figures.csv), the metric's series break, and which parts a total had each year.
The interval functions work on floats and on Decimals alike (the reconciliation uses Decimals).
"""
from __future__ import annotations

from dataclasses import dataclass

from sotebook.data.periods import shape

REASONS = ("missing", "period", "basis", "series_break", "parts_changed")
# Kinds whose figures never make a year-on-year change: a running total grows by construction,
# and an undated figure has no year to compare with.
NEVER_COMPARED = {"cumulative", "undated"}


@dataclass(frozen=True)
class Verdict:
    comparable: bool
    reason: str  # '' when comparable, else one of REASONS
    detail: str  # period: 'kind_earlier|kind_later'; basis: 'basis_earlier|basis_later';
    # series_break: the metric's note; parts_changed: parts printed in one year only, ';'-joined


COMPARABLE = Verdict(True, "", "")


def verdict(metrics, figures, metric_id: str, year: int, earlier_year: int) -> Verdict:
    """May `metric_id` in `year` be compared with `earlier_year`? `figures`: one (best) figure per metric and year."""
    return Tables(metrics, figures).verdict(metric_id, year, earlier_year)


def changed_parts(metrics, figures, metric_id: str, year: int, earlier_year: int) -> list[str]:
    """Parts of a total printed in one of the two years only; [] when both years print the same parts
    (or either prints none, since a total printed alone says nothing about its parts)."""
    return Tables(metrics, figures).changed_parts(metric_id, year, earlier_year)


# The columns of a figure a verdict reads (with the metric dictionary and which metrics each year holds).
VERDICT_COLUMNS = ("metric_id", "year", "period", "period_kind", "basis")


class Tables:
    """The metric dictionary and the figures as lookups, read once: a chapter asks for the verdict of
    every metric it shows, and filtering the tables for each one took seconds."""

    def __init__(self, metrics, figures):
        self.figures: dict[tuple[str, int], dict] = {}
        # Only what a verdict compares: a page that asks for verdicts reads no figure's value through them.
        for record in figures[list(VERDICT_COLUMNS)].to_dict("records"):
            self.figures.setdefault((record["metric_id"], int(record["year"])), record)  # the first, as before
        self.metrics = {}
        self.parts: dict[str, set[str]] = {}
        for record in metrics.to_dict("records"):
            self.metrics.setdefault(record["metric_id"], record)
            if record.get("part_of"):
                self.parts.setdefault(record["part_of"], set()).add(record["metric_id"])
        self.held: dict[int, set[str]] = {}
        for metric_id, year in self.figures:
            self.held.setdefault(year, set()).add(metric_id)

    def verdict(self, metric_id: str, year: int, earlier_year: int) -> Verdict:
        earlier = self.figures.get((metric_id, int(earlier_year)))
        later = self.figures.get((metric_id, int(year)))
        if earlier is None or later is None:
            return Verdict(False, "missing", "")
        if not _same_period(earlier, later):
            return Verdict(False, "period", f"{earlier['period_kind']}|{later['period_kind']}")
        if earlier["basis"] != later["basis"]:
            return Verdict(False, "basis", f"{earlier['basis']}|{later['basis']}")
        spec = self.metrics[metric_id]
        if spec["series_break_year"] and earlier_year < int(spec["series_break_year"]) <= year:
            return Verdict(False, "series_break", spec["series_break_note"])
        changed = self.changed_parts(metric_id, year, earlier_year)
        if changed:
            return Verdict(False, "parts_changed", ";".join(changed))
        return COMPARABLE

    def changed_parts(self, metric_id: str, year: int, earlier_year: int) -> list[str]:
        parts = self.parts.get(metric_id)
        if not parts:
            return []
        present = [parts & self.held.get(int(y), set()) for y in (earlier_year, year)]
        if not present[0] or not present[1]:
            return []
        return sorted(present[0] ^ present[1])


def _same_period(a, b) -> bool:
    """Same kind of period, and the same month, season, months or length where the kind has one."""
    if a["period_kind"] != b["period_kind"] or a["period_kind"] in NEVER_COMPARED:
        return False
    return shape(a["period"], a["period_kind"]) == shape(b["period"], b["period_kind"])


def difference_interval(low_a, high_a, low_b, high_b) -> tuple:
    """The range of b − a that the intervals [low_a, high_a] and [low_b, high_b] allow."""
    return low_b - high_a, high_b - low_a


def change_interval(low_a, high_a, low_b, high_b) -> tuple:
    """The range of the relative change of b against a, in percent, that the two intervals allow.

    Undefined (ValueError) when a may be zero or negative."""
    if not low_a > 0:
        raise ValueError(f"a relative change needs an earlier value above zero; the earlier interval starts at {low_a}")
    low = low_b / high_a if low_b >= 0 else low_b / low_a
    high = high_b / low_a if high_b >= 0 else high_b / high_a
    return (low - 1) * 100, (high - 1) * 100

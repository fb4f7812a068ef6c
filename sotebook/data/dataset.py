"""Load the clean dataset for a chapter: the only way notebooks read data.

A chapter gets exactly the slice it needs (a year chapter: its year and the year before), and the
build fingerprints that same slice, so a chapter is re-executed exactly when its data changes.

It reads data/clean/, or the folder SOTEBOOK_CLEAN names: `make chapter DATA=...` runs a chapter on an
analyst's copy of the dataset (validated first) without touching the book's own.
"""
from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from sotebook.paths import CLEAN
from sotebook.data.release import inputs_digest
from sotebook.data.schema import FACT_TABLES

FIGURE_TYPES = {"year": "int64", "value": "float64", "value_low": "float64", "value_high": "float64"}
# Names another clean dataset for this process and the kernels it starts (sotebook/site/chapter.py sets it).
CLEAN_ENV = "SOTEBOOK_CLEAN"


def clean_folder() -> Path:
    """The clean dataset the pages read: data/clean/, unless SOTEBOOK_CLEAN names another copy."""
    return Path(os.environ.get(CLEAN_ENV) or CLEAN)


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(clean_folder() / f"{name}.csv", dtype=str, keep_default_na=False)


def available_years() -> list[int]:
    """Years the dataset holds figures for."""
    return sorted({int(y) for y in _read("figures")["year"]})


def source_rank(source_id: str, year: int) -> int:
    """Which source speaks for a year: its own annual review, then the other review, then the rest."""
    if source_id == f"annual_review_{year}":
        return 0
    if source_id.startswith("annual_review_"):
        return 1
    return 2


@dataclass
class BookData:
    figures: pd.DataFrame  # every primary figure, every source
    metrics: pd.DataFrame
    sources: pd.DataFrame
    reconciliation: pd.DataFrame
    facts: dict[str, pd.DataFrame]
    years: list[int]  # the years this slice covers

    @cached_property
    def best(self) -> pd.DataFrame:
        """One figure per metric and year: the one from the source that speaks for that year.

        Computed once per load: every section and chart of a chapter reads it."""
        ranked = self.figures.assign(_rank=[source_rank(s, y) for s, y in zip(self.figures.source_id, self.figures.year)])
        ranked = ranked.sort_values(["metric_id", "year", "_rank", "source_id"])
        return ranked.drop_duplicates(["metric_id", "year"]).drop(columns="_rank").reset_index(drop=True)

    def metric(self, metric_id: str) -> pd.Series:
        return self.metrics.set_index("metric_id").loc[metric_id]


def load(year: int | None = None) -> BookData:
    """The clean dataset, or the slice a year chapter reads: `year` and the year before it (and the later
    figures a derived figure of those years was worked out from)."""
    figures = _read("figures")
    metrics = _read("metrics")
    reconciliation = _read("reconciliation")
    facts = {name: _read(name) for name in FACT_TABLES}
    held = sorted({int(y) for y in figures["year"]})
    if year is not None:
        if year not in held:
            raise ValueError(f"the dataset holds no figures for {year}; it holds {', '.join(map(str, held))}")
        keep = {str(year - 1), str(year)}
        # A derived figure of the slice keeps the figures it was worked out from: the same metric a year
        # later and the change a source states for it (the metric whose change_of it is). Its note quotes them.
        derived = figures[figures["year"].isin(keep) & (figures["derivation"] != "")]
        inputs = set(metrics.metric_id[metrics.change_of.isin(derived.metric_id)]) | set(derived.metric_id)
        later = {str(int(y) + 1) for y in derived["year"]}
        figures = figures[figures["year"].isin(keep) | (figures["year"].isin(later - keep) & figures["metric_id"].isin(inputs))]
        reconciliation = reconciliation[reconciliation["year"].isin(keep)]
        facts["highlights"] = facts["highlights"][facts["highlights"]["year"] == str(year)]
        facts["explanations"] = facts["explanations"][facts["explanations"]["year"].isin(keep)]
        years = [y for y in held if y in (year - 1, year)]
    else:
        years = held
    figures = figures.merge(metrics[["metric_id", "category", "label_en", "series_break_year"]], on="metric_id", how="left")
    figures = figures.assign(value_high=figures.value_high.replace("", "inf"))  # an open end ('over')
    figures = figures.astype(FIGURE_TYPES).reset_index(drop=True)
    return BookData(figures, metrics, _read("sources"), reconciliation.reset_index(drop=True), facts, years)


def fingerprint_bytes(year: int | None = None) -> bytes:
    """A digest of exactly what `load(year)` returns."""
    data = load(year)
    digest = hashlib.sha256()
    frames = [("figures", data.figures), ("metrics", data.metrics), ("sources", data.sources),
              ("reconciliation", data.reconciliation)] + sorted(data.facts.items())
    for name, frame in frames:
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False, lineterminator="\n")
        digest.update(name.encode() + b"\0" + buffer.getvalue().encode() + b"\0")
    if year is None:  # the chapters that read every year include "About the data", which shows the release
        digest.update(inputs_digest())
    return digest.hexdigest().encode()


"""Load the clean dataset for a chapter: the only way notebooks read data.

A chapter gets the slice it needs (a year chapter: its year and the year before) as tracked frames
(sotebook/data/reads.py): the build fingerprints the figures and columns a notebook read, so a notebook is
re-executed exactly when something it read changes (and, when it recorded nothing, when its slice changes).

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

from sotebook.paths import CLEAN, CLEAN_ENV, ROOT
from sotebook.data import reads
from sotebook.data.release import inputs_digest
from sotebook.data.schema import FACT_TABLES

FIGURE_TYPES = {"year": "int64", "value": "float64", "value_low": "float64", "value_high": "float64"}


def clean_folder() -> Path:
    """The clean dataset the pages read: data/clean/, unless SOTEBOOK_CLEAN names another copy."""
    return Path(os.environ.get(CLEAN_ENV) or CLEAN)


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(clean_folder() / f"{name}.csv", dtype=str, keep_default_na=False)


# A clean table or data file opened by other code than load() is noted whole; a story file opened is noted.
reads.watch(clean_folder(), ROOT / "data", ROOT / "stories")


def available_years() -> list[int]:
    """Years the dataset holds figures for."""
    return sorted({int(y) for y in _read("figures")["year"]})


def _read_untracked(name: str) -> pd.DataFrame:
    """A clean table read whole without noting it: for a lookup that notes only the rows a page asks for."""
    reads.STATE.loading += 1
    try:
        return _read(name)
    finally:
        reads.STATE.loading -= 1


def source_languages() -> dict[str, str]:
    """Each source's language by its id (sources.csv), as a lookup that notes the sources a page asks for."""
    sources = _read_untracked("sources")
    return reads.TrackedLookup("sources", "language", dict(zip(sources.source_id, sources.language)))


def heading_translations(lang: str) -> dict[tuple[str, str], str]:
    """Each source's headings in the language `lang` by (source_id, heading as printed), as a lookup that notes
    the headings a page asks for: a heading added for another year's source does not re-execute it."""
    rows = _read_untracked("headings")
    return reads.TrackedLookup("headings", f"heading_{lang}",
                               dict(zip(zip(rows.source_id, rows.heading), rows[f"heading_{lang}"])))


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
        figures = reads.plain(self.figures)  # which figure is best depends on keys only
        ranked = figures.assign(_rank=[source_rank(s, y) for s, y in zip(figures.source_id, figures.year)])
        ranked = ranked.sort_values(["metric_id", "year", "_rank", "source_id"])
        best = ranked.drop_duplicates(["metric_id", "year"]).drop(columns="_rank").reset_index(drop=True)
        origin = getattr(self.figures, "_origin", None)
        return reads.tracked(best, origin[0], "figures", reads.KEYS) if origin else best

    def only(self, metric_ids) -> "BookData":
        """The same data with the figures of these metrics only, and of the metrics their comparisons also
        read (their parts, and the stated changes of them): a page that compares a few metrics
        (figures.comparisons) then reads no other figure, and depends on no other (sotebook/data/reads.py)."""
        ids = set(metric_ids)
        metrics = self.metrics
        ids |= set(metrics.metric_id[metrics.part_of.isin(ids) | metrics.change_of.isin(ids)])
        figures = self.figures[self.figures.metric_id.isin(ids)].reset_index(drop=True)
        narrowed = BookData(figures, self.metrics, self.sources, self.reconciliation, self.facts, self.years)
        narrowed.narrowed = True  # not a slice load() gives: a summarised call cannot name it again
        return narrowed

    def metric(self, metric_id: str) -> pd.Series:
        return self.metrics.set_index("metric_id").loc[metric_id]


def load(year: int | None = None, *, until: bool = False) -> BookData:
    """The clean dataset, or the slice a year chapter reads: `year` and the year before it, as tracked frames.
    With `until`, `year` and every year before it (a chapter's charts of the years up to its own): a later
    year added to the book is not in it, so it does not make the chapter's fingerprint change."""
    data = load_plain(year, until=until)
    name = slice_name(year, until)
    return BookData(reads.tracked(data.figures, name, "figures", reads.KEYS),
                    *(reads.tracked(getattr(data, t), name, t, None) for t in ("metrics", "sources", "reconciliation")),
                    {t: reads.tracked(f, name, t, None) for t, f in data.facts.items()}, data.years)


def slice_name(year: int | None, until: bool = False) -> str:
    return "all" if year is None else f"to{year}" if until else str(year)


def plain_slice(name: str) -> BookData:
    """load_plain() of a slice by its name: 'all', '2025' (a year and the one before), 'to2025' (up to 2025)."""
    if name == "all":
        return load_plain(None)
    if name.startswith("to"):
        return load_plain(int(name[2:]), until=True)
    return load_plain(int(name))


def tables(name: str) -> dict[str, pd.DataFrame]:
    """The plain tables of a slice by its name ('all', '2025'), as load() gives them: what a digest of
    recorded reads looks values up in."""
    data = plain_slice(name)
    return {"figures": data.figures, "metrics": data.metrics, "sources": data.sources,
            "reconciliation": data.reconciliation, **data.facts}


def load_plain(year: int | None = None, *, until: bool = False) -> BookData:
    """load() without tracking."""
    reads.STATE.loading += 1
    try:
        return _load(year, until)
    finally:
        reads.STATE.loading -= 1


def _load(year: int | None, until: bool = False) -> BookData:
    figures = _read("figures")
    metrics = _read("metrics")
    reconciliation = _read("reconciliation")
    facts = {name: _read(name) for name in FACT_TABLES}
    held = sorted({int(y) for y in figures["year"]})
    if year is not None and year not in held:
        raise ValueError(f"the dataset holds no figures for {year}; it holds {', '.join(map(str, held))}")
    if year is not None and until:
        keep = {str(y) for y in held if y <= year}
        figures = figures[figures["year"].isin(keep)]
        reconciliation = reconciliation[reconciliation["year"].isin(keep)]
        facts["highlights"] = facts["highlights"][facts["highlights"]["year"].isin(keep)]
        facts["explanations"] = facts["explanations"][facts["explanations"]["year"].isin(keep)]
        years = [y for y in held if y <= year]
    elif year is not None:
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
    data = load_plain(year)
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


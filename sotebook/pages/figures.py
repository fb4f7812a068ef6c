"""A figure as the book shows it: its value, unit, qualifier and period in the edition's words, and beside it
the figure of the year before, with what may be said of the two (their change, or why they cannot be
compared). Every page that shows a year's figures reads them through `comparisons`."""
from __future__ import annotations

import html
import math
from dataclasses import dataclass
from functools import cached_property, lru_cache

import pandas as pd

from sotebook.data import comparability
from sotebook.data.dataset import BookData
from sotebook.pages import text
from sotebook.pages.words import Words


@lru_cache(maxsize=1)
def source_languages() -> dict[str, str]:
    """Each source's language (sources.csv), for marking its words quoted in another edition."""
    from sotebook.data.dataset import source_languages as languages

    return languages()  # a lookup that notes which sources a page asks for (sotebook/data/reads.py)


def label(words: Words, metric: pd.Series) -> str:
    """A metric's label in the language of the edition."""
    return metric[f"label_{words.language()}"]


def in_sentence(name: str) -> str:
    """A label inside a sentence: its first letter in lower case, unless it is a name ('Maisa', 'HUS')."""
    first = name.split(" ", 1)[0]
    if first[1:2].isupper() or first in NAMES:
        return name
    return name[:1].lower() + name[1:]


NAMES = {"Maisa", "Omaolo", "HUS", "Helsinki", "Helsingin", "Helsingfors", "Mieppi", "LiiHo", "Barnhus"}


def short_source(words: Words, source_id: str) -> str:
    """'annual_review_2025' -> 'Annual review 2025'; other sources by their id."""
    if source_id.startswith("annual_review_"):
        return words.say("source.annual_review", year=source_id.rsplit("_", 1)[1])
    key = f"source.{source_id}"
    return words.say(key) if words.has(key) else source_id


def date_text(words: Words, date: str) -> str:
    """'2025-02-01' -> '1 February 2025'; '2025-03' -> 'March 2025'; '2025' -> '2025'."""
    parts = date.split("-")
    if len(parts) == 1:
        return words.say("date.year", year=parts[0])
    month = words.say(f"month.{int(parts[1])}")
    if len(parts) == 3:
        return words.say("date.day", day=int(parts[2]), month=month, year=parts[0])
    return words.say("date.month", month=month, year=parts[0])


def span_text(words: Words, start: str, end: str) -> str:
    """'2023'–'2025' -> '2023–2025'; dates -> '1 June 2025 – 31 May 2029'."""
    if start == end or not end:
        return date_text(words, start)
    key = "date.year_span" if len(start) == len(end) == 4 else "date.span"
    return words.say(key, start=date_text(words, start), end=date_text(words, end))


def period_text(words: Words, period: str, kind: str, short: bool = False) -> str:
    """The figure's period as a phrase: '' for a calendar year, 'in December 2025', 'in autumn 2025', ...."""
    if kind in ("year", "undated"):
        return ""
    group = "period_short" if short else "period"
    if kind == "season":
        year, season = period.split("-", 1)
        return words.say(f"{group}.season", season=words.say(f"season.{season}", year=year))
    if kind in ("part_year", "multi_year", "cumulative"):
        start, end = period.split("/") if "/" in period else period.split("-")
        return words.say(f"{group}.{kind}", span=span_text(words, start, end))
    if kind == "month":  # 'in December 2025', 'joulukuussa 2025': the language inflects the month itself
        year, month = period.split("-")
        return words.say(f"{group}.month", month=words.say(f"month.{int(month)}"), year=year)
    return words.say(f"{group}.{kind}", date=date_text(words, period))


@dataclass
class Figure:
    """One year's figure of a metric as the book shows it."""

    value: float
    low: float
    high: float
    qualifier: str
    period: str
    period_kind: str
    source_id: str
    section: str
    derivation: str = ""

    @classmethod
    def of(cls, row) -> "Figure | None":
        """From a row of BookData.best; None for no row."""
        if row is None:
            return None
        return cls(float(row.value), float(row.value_low), float(row.value_high), row.qualifier, row.period,
                   row.period_kind, row.source_id, row.section, row.derivation)


@dataclass
class Comparison:
    """A metric's figure for a year beside its figure for the year before, and what may be said of the two."""

    metric: pd.Series
    now: Figure
    then: Figure | None
    verdict: comparability.Verdict
    year: int
    words: Words  # the edition's: a comparison is read in one language

    @property
    def metric_id(self) -> str:
        return self.metric.name

    @property
    def unit(self) -> str:
        return self.metric.unit

    @property
    def label(self) -> str:
        return label(self.words, self.metric)

    @property
    def measured(self) -> bool:
        """A measured figure; targets and definitions are shown, never compared with last year's."""
        return self.metric.role == ""

    def number(self, figure: Figure | None = None) -> str:
        """The figure's qualifier, value and unit: 'more than 3,000', '€1.79 billion'; a derived
        figure as the range its inputs allow."""
        return figure_text(self.words, figure or self.now, self.unit)

    def when(self, figure: Figure | None = None) -> str:
        """The figure's period as a phrase after it, with its leading space; '' for a calendar year."""
        figure = figure or self.now
        phrase = period_text(self.words, figure.period, figure.period_kind)
        return f" {phrase}" if phrase else ""

    def reads(self, figure: Figure | None = None) -> str:
        """The figure as a reader reads it, with its period unless it is a calendar year's."""
        return self.number(figure) + self.when(figure)

    def cell(self, figure: Figure | None = None) -> str:
        """The figure in a table cell: its period short, in brackets ('15,638 (31 Dec)'); a derived figure says so."""
        figure = figure or self.now
        phrase = period_text(self.words, figure.period, figure.period_kind, short=True)
        reading = self.words.say("figure.in_table", value=self.number(figure), period=phrase) if phrase else self.number(figure)
        return self.words.say("figure.derived", value=reading) if figure.derivation else reading

    @property
    def shows_change(self) -> bool:
        return self.measured and self.then is not None

    @cached_property
    def change_range(self) -> tuple[float, float] | None:
        """The change the two figures allow: percentage points for shares, points for scores, else percent."""
        if not (self.shows_change and self.verdict.comparable):
            return None
        a, b = self.then, self.now
        if self.unit in ("percent", "nps"):
            return comparability.difference_interval(a.low, a.high, b.low, b.high)
        if a.low <= 0:
            return None
        return comparability.change_interval(a.low, a.high, b.low, b.high)

    def change(self) -> str:
        """'+22.1%', '+5 percentage points', '+16% to +35%' between rounded figures, 'not comparable', ''.
        Against a figure derived from a stated change, the change as the source states it."""
        if not self.shows_change:
            return ""
        if self.stated is not None:
            return self.stated
        if not self.verdict.comparable:
            return self.words.say("change.column_not_comparable")
        return _amount(self.words, self.change_range, self.unit, signed=True) if self.change_range else ""

    def change_clause(self) -> str:
        """', up 22.1% from 1,375,195 in 2024' for a sentence; why not, when the two cannot be compared."""
        if not self.shows_change:
            return ""
        previous = self.year - 1
        if self.stated is not None:  # the earlier figure was worked back from this change: say the change
            return self.words.say("change.stated", change=self.stated, previous=previous)
        if not self.verdict.comparable:
            return self.words.say("change.not_comparable", previous=previous, reason=self.words.say(f"reason.{self.verdict.reason}"))
        low, high = self.change_range or (0.0, 0.0)
        if self.now.value == self.then.value and low <= 0 <= high:
            return self.words.say("change.same", previous=previous)
        if low < 0 < high:  # rounded figures whose change could go either way: the signed range
            was_when = self.when(self.then) or self.words.say("change.in_year", previous=previous)
            return self.words.say("change.either", amount=self.change(), was=self.number(self.then), was_when=was_when)
        direction = "up" if self.now.value > self.then.value else "down"
        was_when = self.when(self.then) or self.words.say("change.in_year", previous=previous)
        return self.words.say(f"change.{direction}", amount=_amount(self.words, (abs(low), abs(high)), self.unit, signed=False),
                         was=self.number(self.then), was_when=was_when)

    stated: str | None = None  # the change as a source states it, when the earlier figure is derived from it

    @property
    def percent_change(self) -> float | None:
        """The central percentage change of a comparable count, for ranking and charts."""
        if not (self.shows_change and self.verdict.comparable and self.unit == "count" and self.then.value) \
                or self.then.derivation:
            return None
        return (self.now.value - self.then.value) / self.then.value * 100


def figure_text(words: Words, figure, unit: str) -> str:
    """A figure's qualifier, value and unit; a figure worked back from a stated change as 'about' its
    value to two significant digits ('about €37 million'), since it is no more precise than that."""
    if figure.derivation:
        return text.qualified(words, text.value_with_unit(words, _significant(float(figure.value), 2), unit), "about")
    return text.qualified(words, text.value_with_unit(words, figure.value, unit), figure.qualifier)


def _significant(value: float, digits: int) -> float:
    """37 450 000 -> 37 000 000 (two significant digits): a derived figure is no more precise than that."""
    return float(f"{value:.{digits}g}") if value else 0.0


def _amount(words: Words, interval: tuple[float, float], unit: str, signed: bool) -> str:
    """A change with the precision its inputs allow: one decimal, a whole number, or a range."""
    low, high = sorted(interval)
    format_ = text.signed if signed else text.number

    def fmt(value, decimals=None):
        return format_(words, value, decimals)
    key = {"percent": "number.percentage_points", "nps": "number.points"}.get(unit, "number.signed_percent")
    if math.isinf(high):  # the later figure is 'more than ...': only the least change is known
        return words.say("number.at_least", value=words.say(key, value=fmt(math.floor(low), 0)))
    if low == high and unit in ("percent", "nps"):  # exact shares and scores: as many decimals as they have
        value = fmt(low)
    elif round(low, 1) == round(high, 1):
        value = fmt(round((low + high) / 2, 1), 1)
    elif round(low) == round(high):
        value = fmt(round((low + high) / 2), 0)
    elif key == "number.signed_percent":  # '+16% to +35%'; in Finnish '+16…+35 %'
        return words.say("number.percent_range", low=fmt(round(low), 0), high=fmt(round(high), 0))
    else:  # '4 to 6 percentage points'
        value = words.say("number.range", low=fmt(round(low), 0), high=fmt(round(high), 0))
    return words.say(key, value=value)


def comparisons(words: Words, data: BookData, year: int) -> list[Comparison]:
    """Every metric with a figure for `year`, beside its figure for the year before, in dictionary order.

    Computed once per loaded dataset, year and language: every section, chart and sentence reads it."""
    cache = data.__dict__.setdefault("_comparisons", {})
    key = (year, words.language())
    if key not in cache:
        cache[key] = _compare(words, data, year)
    return cache[key]


def _compare(words: Words, data: BookData, year: int) -> list[Comparison]:
    best = data.best
    metrics = data.metrics.set_index("metric_id", drop=False)
    earlier = {}
    for row in best[best.year == year - 1].itertuples():
        earlier.setdefault(row.metric_id, row)
    tables = comparability.Tables(data.metrics, best)
    rows = []
    for row in best[best.year == year].itertuples():
        then = Figure.of(earlier.get(row.metric_id))
        rows.append(Comparison(metrics.loc[row.metric_id].rename(row.metric_id), Figure.of(row), then,
                               tables.verdict(row.metric_id, year, year - 1), year, words))
    for c in rows:
        if c.then is not None and c.then.derivation:
            c.stated = _stated_change(words, data, c)
    order = {m: i for i, m in enumerate(data.metrics.metric_id)}
    return sorted(rows, key=lambda c: order[c.metric_id])


def _stated_change(words: Words, data: BookData, c: "Comparison") -> str:
    """The change a source states for this metric and year ('−47.4%'), from the metric whose `change_of` it is."""
    best = data.best
    for spec in data.metrics[data.metrics.change_of == c.metric_id].itertuples():
        rows = best[(best.metric_id == spec.metric_id) & (best.year == c.year)]
        if rows.empty or spec.unit != "percent":
            continue
        value = float(rows.iloc[0].value) * (-1 if rows.iloc[0].basis == "decrease" else 1)
        return words.say("number.signed_percent", value=text.signed(words, value))
    return words.say("change.column_not_comparable")


def planned(rows: list[Comparison], metric_ids: list[str]) -> list[Comparison]:
    """The rows of the metrics a plan lists, in its order; a metric with no figure for the year is left out."""
    by_id = {c.metric_id: c for c in rows}
    return [by_id[m] for m in metric_ids if m in by_id]


def cited_sources(words: Words, rows: list[Comparison]) -> str:
    """The sources of a table, cited once: each document, with the years it gives."""
    cited: dict[str, None] = {}
    for c in rows:
        for figure in (c.now, c.then if c.shows_change else None):
            if figure is not None:
                cited[short_source(words, figure.source_id)] = None
    key = "table.source_note" if len(cited) == 1 else "table.sources_note"
    return f'<p class="sotebook-source">{html.escape(words.say(key, sources=words.say("source.list_join").join(cited)))}</p>'

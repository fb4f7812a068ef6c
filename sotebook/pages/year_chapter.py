"""What a year chapter says: its story, section openings, tables and charts, computed from the dataset.

Every number comes from data/clean/ and every word from words/<lang>/; which metrics lead a section,
head its table or tell the year's story, and the sections themselves, come from the plan
(notebooks/year.plan.yml, read by sotebook/pages/plan.py).
"""
from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

import pandas as pd

from sotebook.pages import charts
from sotebook.pages import explanation_words
from sotebook.data import comparability
from sotebook.pages import text
from sotebook.pages.words import Words
from sotebook.data.dataset import BookData
from sotebook.pages import plan
from sotebook.pages.plan import HEADLINE_ROWS

@lru_cache(maxsize=1)
def source_languages() -> dict[str, str]:
    """Each source's language (sources.csv), for marking its words quoted in another edition."""
    from sotebook.data.dataset import _read

    sources = _read("sources")
    return dict(zip(sources.source_id, sources.language))


LARGE_CHANGE = 10.0  # percent: a change this large that no source explains is flagged as unexplained
THIN_SECTIONS = 3  # a year with figures in fewer sections than this gets a short page


# --- words about figures ------------------------------------------------------------------------

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


def section_rows(words: Words, data: BookData, year: int, section: str) -> list[Comparison]:
    return [c for c in comparisons(words, data, year) if c.metric.category == section]


def planned(rows: list[Comparison], metric_ids: list[str]) -> list[Comparison]:
    """The rows of the metrics a plan lists, in its order; a metric with no figure for the year is left out."""
    by_id = {c.metric_id: c for c in rows}
    return [by_id[m] for m in metric_ids if m in by_id]


def sections() -> list[str]:
    """The chapter's sections in page order (notebooks/year.plan.yml)."""
    return plan.year().section_ids


def lead_sentence(words: Words, c: Comparison) -> str:
    return words.say(f"lead.{c.metric_id}", value=c.number(), when=c.when(), change=c.change_clause())


# --- explanations -----------------------------------------------------------------------------

def explanations(data: BookData, year: int) -> pd.DataFrame:
    """The reasons the sources give for the year's figures (data/raw/facts/explanations.csv)."""
    table = data.facts.get("explanations")
    if table is None or table.empty:
        return pd.DataFrame(columns=["explanation_id", "metric_id", "year", "explains", "explanation", "source_id", "section"])
    return table[table.year == str(year)]


def explained(words: Words, data: BookData, year: int, metric_id: str, cite: bool = True) -> list[str]:
    """Each reason the sources give for this metric's figure, in the book's words (words/<lang>/explanations.yml),
    with its source unless `cite` is off."""
    rows = explanations(data, year)
    rows = rows[rows.metric_id == metric_id]
    texts = [words.say(explanation_words.key(i)) for i in rows.explanation_id]
    if not cite:
        return texts
    return [words.say("story.explained_by", explanation=t, source=_cite(words, r)) for t, r in zip(texts, rows.itertuples())]


def _cite(words: Words, row) -> str:
    """'Annual review 2025, “Ekonomin i balans”': the section's name as printed, in the source's language."""
    return words.say("source.with_section", source=short_source(words, row.source_id),
                     section=foreign(words, row.section, source_languages().get(row.source_id, words.DEFAULT_LANGUAGE)))


def _paragraph_sources(words: Words, data: BookData, year: int, metric_ids: list[str]) -> str:
    """The sources of a story paragraph's reasons, cited once at its end."""
    rows = explanations(data, year)
    cited = list(dict.fromkeys(_cite(words, r) for r in rows[rows.metric_id.isin(metric_ids)].itertuples()))
    if not cited:
        return ""
    key = "source.cited_once" if len(cited) == 1 else "source.cited_many"
    return words.say(key, sources=words.say("source.list_join").join(cited))


def unexplained(words: Words, data: BookData, c: Comparison) -> bool:
    """A large change in a comparable count that no source explains."""
    change = c.percent_change
    return change is not None and abs(change) >= LARGE_CHANGE and not explained(words, data, c.year, c.metric_id)


# --- the year's story ---------------------------------------------------------------------------

def is_thin(words: Words, data: BookData, year: int) -> bool:
    return len(sections_with_figures(words, data, year)) < THIN_SECTIONS


def sections_with_figures(words: Words, data: BookData, year: int) -> list[str]:
    present = {c.metric.category for c in comparisons(words, data, year)}
    return [s for s in sections() if s in present]


def empty_sections(words: Words, data: BookData, year: int) -> str:
    """The sections with no figure for the year, as JSON: the build drops their cells from the page."""
    present = set(sections_with_figures(words, data, year))
    return json.dumps([s for s in sections() if s not in present])


def story(words: Words, data: BookData, year: int) -> str:
    """The year in a few paragraphs, in Markdown: the developments the plan lists for the story,
    each with its change and the reasons the sources give; the largest changes in demand; new services."""
    rows = comparisons(words, data, year)
    if is_thin(words, data, year):
        return _thin_story(words, data, year, rows)
    by_id = {c.metric_id: c for c in rows}
    paragraphs: dict[str, list[str]] = {}
    told_about: dict[str, list[str]] = {}
    story_metrics = data.metrics.set_index("metric_id", drop=False).loc[plan.year().story]
    for metric in story_metrics.itertuples():
        c = by_id.get(metric.metric_id)
        if c is not None and c.now.derivation:  # the story tells what the year's sources print
            c = None
        reasons = explained(words, data, year, metric.metric_id, cite=False)
        # A target the reasons already name ('passed its €100 million target') is not said twice.
        said = c is not None and (c.measured or not any(c.number() in r for r in reasons))
        told = ([lead_sentence(words, c)] + _target(words, rows, c)) if said else []
        told += reasons
        if told:
            paragraphs.setdefault(metric.category, []).append(" ".join(told))
            told_about.setdefault(metric.category, []).append(metric.metric_id)
    parts = [" ".join(p + [_paragraph_sources(words, data, year, told_about[k])]).strip() for k, p in paragraphs.items()]
    parts += [p for p in (_demand(words, data, year, rows), _new_services(words, data, year)) if p]
    return "\n\n".join(parts)


def _target(words: Words, rows: list[Comparison], c: Comparison) -> list[str]:
    """'The target for 2025 was 67, so it was met.' where the year has a target for this measure."""
    targets = [t for t in rows if t.metric.role == "target" and t.metric_id == f"{c.metric_id}_target"]
    if not targets:
        return []
    t = targets[0]
    met = "met" if c.now.value >= t.now.value else "missed"
    return [words.say(f"story.target_{met}", year=c.year, target=t.reads())]


def _demand(words: Words, data: BookData, year: int, rows: list[Comparison]) -> str:
    """The three largest comparable changes in services and rescue, each with its reason or a flag."""
    moved = [c for c in rows if c.metric.category in plan.year().change_sections and c.percent_change is not None
             and not _is_total(data, c.metric_id)]
    moved = sorted(moved, key=lambda c: -abs(c.percent_change))[:3]
    if not moved:
        return ""
    items = []
    for c in moved:
        why = explained(words, data, year, c.metric_id) or ([words.say("story.unexplained")] if unexplained(words, data, c) else [])
        items.append(" ".join([words.say("story.demand_item", label=c.label, change=c.change(), value=c.reads())] + why))
    return words.say("story.demand_intro", previous=year - 1) + "\n\n" + "\n".join(f"- {i}" for i in items)


def _is_total(data: BookData, metric_id: str) -> bool:
    return bool((data.metrics.part_of == metric_id).any())


def _new_services(words: Words, data: BookData, year: int) -> str:
    """How many new services the year's review lists; the chapter's last section lists them."""
    rows = data.facts["highlights"]
    count = int(((rows.year == str(year)) & (rows.kind == "new_service")).sum())
    if not count:
        return ""
    key = "story.new_services_one" if count == 1 else "story.new_services_other"
    return words.say(key, count=text.number(words, count), new=words.say("page.year.h_new"))


def _thin_story(words: Words, data: BookData, year: int, rows: list[Comparison]) -> str:
    rows = [c for c in rows if c.measured and not c.now.derivation
            and c.now.period_kind not in ("multi_year", "cumulative")]
    listed = words.say("source.list_join").join(words.say("story.thin_item", label=c.label, value=c.reads()) for c in rows)
    count = words.say("story.thin_count_one") if len(rows) == 1 else words.say("story.thin_count_other", count=text.number(words, len(rows)))
    later = [y for y in data.years if y > year] or [year + 1]
    return words.say("story.thin", year=year, next=later[0], count=count, list=listed)


# --- a section: its opening, table and notes ---------------------------------------------------------

def summary(words: Words, data: BookData, year: int, section: str) -> str:
    """The lead sentences of a section, or one line saying the sources give no figures."""
    rows = section_rows(words, data, year, section)
    if not rows:
        return words.say("section.none", year=year)
    sentences = [lead_sentence(words, c) for c in planned(rows, plan.year().section(section).lead)]
    if len(rows) > len(headline_rows(rows, section)):
        sentences.append(words.say("section.more_in_table", count=text.number(words, len(rows)), year=year))
    return " ".join(sentences)


def headline_rows(rows: list[Comparison], section: str) -> list[Comparison]:
    """The rows that carry the section: the plan's headline order, at most HEADLINE_ROWS."""
    picked = planned(rows, plan.year().section(section).headline) or rows
    return picked[:HEADLINE_ROWS]


def notes(words: Words, data: BookData, year: int, section: str) -> str:
    """Under a section's table: why changes happened, what cannot be compared, known discrepancies,
    large changes nobody explains. Markdown paragraphs; empty when there is nothing to say."""
    rows = section_rows(words, data, year, section)
    metrics = data.metrics.set_index("metric_id")
    reasons = explanations(data, year)
    parts = [words.say("section.note_item", label=label(words, metrics.loc[m].rename(m)), why=e.rstrip("."))
             for m in dict.fromkeys(reasons.metric_id) if metrics.loc[m].category == section
             for e in explained(words, data, year, m)]
    for c in rows:
        parts += [words.say("section.derived", label=c.label, year=f.period, derivation=_formula(words, f.derivation))
                  for f in (c.now, c.then) if f is not None and f.derivation]
    not_comparable = [words.say("section.note_item", label=c.label, why=_why_not(words, c)) for c in rows
                      if c.shows_change and not c.verdict.comparable]
    if not_comparable:
        parts.append(words.say("section.note_not_comparable", previous=year - 1, notes=" ".join(not_comparable)))
    unexplained_rows = [words.say("section.unexplained_item", label=c.label, change=c.change()) for c in rows if unexplained(words, data, c)]
    if unexplained_rows:
        parts.append(words.say("section.unexplained", items=words.say("source.list_join").join(unexplained_rows)))
    parts += _discrepancies(words, data, year, rows)
    return "\n\n".join(parts)


def _formula(words: Words, derivation: str) -> str:
    """A derivation as readers of the edition see it: the whole note in English (the dataset's language),
    the formula alone in the others."""
    if words.language() == words.DEFAULT_LANGUAGE:
        return derivation
    formula = derivation.split(": ", 1)[0]  # its numbers in the edition's format: 19 700 000 / (1 − 0,474)
    formula = re.sub(r"(?<=\d),(?=\d{3})", "\u00a0", formula)
    return re.sub(r"(?<=\d)\.(?=\d)", text.decimal_mark(words), formula)


def _why_not(words: Words, c: Comparison) -> str:
    """Why two years cannot be compared: the dictionary's note on a series break, else the reason's words."""
    note = c.metric.get(words.column("series_break_note"), "") if c.verdict.reason == "series_break" else ""
    return note.rstrip(".") if note else words.say(f"reason.{c.verdict.reason}")


def _discrepancies(words: Words, data: BookData, year: int, rows: list[Comparison]) -> list[str]:
    ids = {c.metric_id: c for c in rows}
    rec = data.reconciliation
    rec = rec[(rec.result == "known discrepancy") & (rec.year == str(year)) & rec.metric_id.isin(ids)]
    column = "explanation" if words.language() == words.DEFAULT_LANGUAGE else words.column("known_explanation")
    return [words.say("section.discrepancy", label=in_sentence(ids[m].label), explanation=e)
            for m, e in zip(rec.metric_id, rec[column])]


class HTMLBlock:
    """Escaped, deterministic HTML for a notebook output."""

    def __init__(self, markup: str):
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"HTMLBlock({len(self.markup)} characters)"


def prose(text_: str) -> HTMLBlock:
    """Sentences as HTML paragraphs, every character escaped: blank lines part paragraphs and lines that
    start with '- ' are a list. The data's labels and reasons can hold any text, so they never become markup."""
    blocks = []
    for paragraph in (p for p in text_.split("\n\n") if p.strip()):
        lines = paragraph.split("\n")
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_escaped(line[2:])}</li>" for line in lines)
            blocks.append(f'<ul class="sotebook-prose">{items}</ul>')
        else:
            blocks.append(f'<p class="sotebook-prose">{_escaped(" ".join(lines))}</p>')
    return HTMLBlock("\n".join(blocks))


def _escaped(text_: str) -> str:
    """Escaped text, with the parts `foreign` marked as spans in their language."""
    return _FOREIGN.sub(lambda m: f'<span lang="{m.group(1)}">{m.group(2)}</span>', html.escape(text_))


def plain(text_: str) -> str:
    """Text with the `foreign` marks removed (for places that cannot mark a language)."""
    return _FOREIGN.sub(lambda m: m.group(2), text_)


def table(words: Words, frame: pd.DataFrame, caption: str, numeric: tuple[str, ...] = (),
          langs: dict[str, list[str]] | None = None) -> HTMLBlock:
    """A readable table: escaped cells, a caption, numeric columns right-aligned, no sideways scroll
    on a phone (the stylesheet stacks the cells of a row). `langs` gives, per column, each cell's
    language where it may differ from the page's (a source's title as printed), for `lang`."""
    langs = langs or {}
    head = "".join(f'<th scope="col"{_num(c, numeric)}>{html.escape(str(c))}</th>' for c in frame.columns)
    body = "\n".join(
        "<tr>" + "".join((f'<th scope="row"{_lang(words, langs, c, n)}>{html.escape(str(v))}</th>' if i == 0 else
                          f'<td data-label="{html.escape(str(c))}"{_num(c, numeric)}{_lang(words, langs, c, n)}>'
                          f'{html.escape(str(v))}</td>')
                         for i, (c, v) in enumerate(zip(frame.columns, row))) + "</tr>"
        for n, row in enumerate(frame.itertuples(index=False)))
    return HTMLBlock(f'<div class="sotebook-table">\n<table class="sotebook-table__table">\n'
                     f"<caption>{html.escape(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n"
                     f"<tbody>\n{body}\n</tbody>\n</table>\n</div>")


def _lang(words: Words, langs: dict[str, list[str]], column, row: int) -> str:
    """` lang="en"` on a cell whose text is in another language than the page's."""
    lang = langs.get(column, [None] * (row + 1))[row]
    return f' lang="{lang}"' if lang and lang != words.language() else ""


def foreign(words: Words, text_: str, lang: str) -> str:
    """Text in another language inside a sentence, marked for `prose`, which gives it its `lang`."""
    return text_ if lang == words.language() else f"\ue000{lang}\ue001{text_}\ue002"


_FOREIGN = re.compile("\ue000(\\w+)\ue001(.*?)\ue002")


def _num(column, numeric) -> str:
    return ' class="sotebook-num"' if column in numeric else ""


def _comparison_frame(words: Words, rows: list[Comparison], year: int) -> tuple[pd.DataFrame, tuple[str, ...]]:
    previous = str(year - 1)
    frame = pd.DataFrame({
        words.say("table.measure"): [c.label for c in rows],
        previous: [c.cell(c.then) if c.shows_change else "" for c in rows],
        str(year): [c.cell() for c in rows],
        words.say("table.change"): [c.change() for c in rows],
    })
    if frame[previous].eq("").all():
        frame = frame.drop(columns=[previous, words.say("table.change")])
    numeric = tuple(c for c in frame.columns if c != words.say("table.measure"))
    return frame, numeric


def section_table(words: Words, data: BookData, year: int, section: str) -> HTMLBlock | None:
    """The headline table, the sources cited once, and every figure in a collapsed block below."""
    rows = section_rows(words, data, year, section)
    if not rows:
        return None
    name = words.say(f"page.year.h_{section}")
    top = headline_rows(rows, section)
    frame, numeric = _comparison_frame(words, top, year)
    parts = [table(words, frame, words.say("table.caption", section=name, year=year), numeric).markup, _sources(words, rows)]
    if len(rows) > len(top):
        full, numeric = _comparison_frame(words, rows, year)
        summary_text = words.say("table.show_all", count=text.number(words, len(rows)), section_lower=name.lower(), year=year)
        parts.append(f'<details class="sotebook-all">\n<summary>{html.escape(summary_text)}</summary>\n'
                     f'{table(words, full, words.say("table.caption_all", section=name, year=year), numeric).markup}\n</details>')
    return HTMLBlock("\n".join(parts))


def _sources(words: Words, rows: list[Comparison]) -> str:
    """The sources of a table, cited once: each document, with the years it gives."""
    cited: dict[str, None] = {}
    for c in rows:
        for figure in (c.now, c.then if c.shows_change else None):
            if figure is not None:
                cited[short_source(words, figure.source_id)] = None
    key = "table.source_note" if len(cited) == 1 else "table.sources_note"
    return f'<p class="sotebook-source">{html.escape(words.say(key, sources=words.say("source.list_join").join(cited)))}</p>'


# --- charts -------------------------------------------------------------------------------------

def visits_chart(words: Words, data: BookData, year: int):
    """Visits and contacts by service (the services the plan puts in the chart), or None."""
    rows = planned(comparisons(words, data, year), plan.year().visits_chart)
    if not rows:
        return None
    service, axis = words.say("chart.service"), words.say("chart.visits_axis")
    frame = pd.DataFrame({service: [c.label for c in rows], axis: [c.now.value for c in rows]})
    top = max(rows, key=lambda c: c.now.value)
    return charts.show(words, 
        charts.bar(words, frame, x=axis, y=service), chart_id=f"visits-{year}", title=words.say("chart.visits_title", year=year),
        alt=words.say("chart.visits_alt", count=len(rows), year=year, top=in_sentence(top.label), value=text.number(words, top.now.value)),
        source=words.say("source.list_join").join(sorted({short_source(words, c.now.source_id) for c in rows})), data=frame)


def change_chart(words: Words, data: BookData, year: int, largest: int | None = None):
    """The percentage change of every comparable count in services and rescue (or the `largest`
    changes only), coloured by direction; totals are left out, since their parts are in the chart."""
    rows = [c for s in plan.year().change_sections for c in section_rows(words, data, year, s)
            if c.percent_change is not None and not _is_total(data, c.metric_id)]
    if largest:
        rows = sorted(rows, key=lambda c: -abs(c.percent_change))[:largest]
    if not rows:
        return None
    service, axis, way = words.say("chart.service"), words.say("chart.change_axis"), words.say("chart.direction_title")
    frame = pd.DataFrame({service: [c.label for c in rows], axis: [round(c.percent_change, 1) for c in rows],
                          way: [charts.direction(words, c.percent_change) for c in rows],
                          str(year - 1): [c.then.value for c in rows], str(year): [c.now.value for c in rows]})
    biggest = max(rows, key=lambda c: abs(c.percent_change))
    chart = charts.change_bar(words, frame, x=axis, y=service, direction=way)
    return charts.show(words, 
        chart, chart_id=f"change-{year}",
        title=words.say("chart.largest_change_title" if largest else "chart.change_title", previous=year - 1, year=year, count=largest),
        alt=words.say("chart.change_alt", rises=sum(c.percent_change > 0 for c in rows), count=len(rows), previous=year - 1,
                      year=year, change=biggest.change(), top=in_sentence(biggest.label)),
        source=words.say("source.list_join").join(sorted({short_source(words, s) for c in rows for s in (c.then.source_id, c.now.source_id)})),
        data=frame)


def parts_chart(words: Words, data: BookData, year: int, total_metric: str, chart_id: str, title_key: str, category_key: str):
    """The parts of a total (staff by department, purchases by supplier group), or None."""
    parts = set(data.metrics[data.metrics.part_of == total_metric].metric_id)
    rows = [c for c in comparisons(words, data, year) if c.metric_id in parts]
    if len(rows) < 2:
        return None
    unit = rows[0].unit
    category = words.say(f"chart.{category_key}")
    value = words.say("chart.million_euros") if unit == "eur" else words.say("chart.people")
    names = [c.label.split(": ", 1)[-1] for c in rows]
    frame = pd.DataFrame({category: names, value: [c.now.value / (1e6 if unit == "eur" else 1) for c in rows]})
    top = max(rows, key=lambda c: c.now.value)
    chart = charts.bar(words, frame, x=value, y=category, number_format=",.1f" if unit == "eur" else ",.0f")
    return charts.show(words, 
        chart, chart_id=chart_id, title=words.say(f"chart.{title_key}", year=year),
        alt=words.say("chart.parts_alt", count=len(rows), top=top.label.split(": ", 1)[-1], value=top.number()),
        source=words.say("source.list_join").join(sorted({short_source(words, c.now.source_id) for c in rows})), data=frame)


# --- what was new -------------------------------------------------------------------------------

def _capital(phrase: str) -> str:
    """'helmikuu 2025' -> 'Helmikuu 2025' at the start of a list item."""
    return phrase[:1].upper() + phrase[1:]


HIGHLIGHT_KINDS = ["new_service", "top_success", "service_change", "technology", "development"]


def whats_new(words: Words, data: BookData, year: int) -> HTMLBlock:
    """The year's highlights by kind and its dated events, or one line saying there are none."""
    rows = data.facts["highlights"]
    rows = rows[rows.year == str(year)]
    events = data.facts["timeline"]
    events = events[events.start.str.startswith(str(year))].sort_values("start", kind="stable")
    parts = []
    for kind in HIGHLIGHT_KINDS:
        chosen = rows[rows.kind == kind].sort_values("rank", key=lambda s: s.astype(int))
        if chosen.empty:
            continue
        tag = "ol" if kind == "top_success" else "ul"
        items = "\n".join(f"<li>{html.escape(h)}</li>" for h in chosen[words.column("highlight")])
        parts.append(f'<p class="sotebook-highlights__title">{html.escape(words.say(f"whats_new.{kind}"))}</p>\n'
                     f'<{tag} class="sotebook-highlights">\n{items}\n</{tag}>')
    if not events.empty:
        items = "\n".join(f"<li>{html.escape(words.say('whats_new.event', when=_capital(span_text(words, start, end)), event=event))}</li>"
                          for start, end, event in zip(events.start, events.end, events[words.column("event")]))
        parts.append(f'<p class="sotebook-highlights__title">{html.escape(words.say("whats_new.events"))}</p>\n<ul>\n{items}\n</ul>')
    if not parts:
        return HTMLBlock(f"<p>{html.escape(words.say('whats_new.none', year=year))}</p>")
    return HTMLBlock("\n".join(parts))

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
from sotebook.data.schema import section_headings
from sotebook.pages import numbers, text
from sotebook.pages.markup import foreign
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


@lru_cache(maxsize=3)
def _headings(lang: str) -> dict[tuple[str, str], str]:
    """Each source's headings in the edition's language (data/clean/headings.csv), by (source_id, heading): a
    lookup that notes the headings asked for (sotebook/data/reads.py)."""
    from sotebook.data.dataset import heading_translations

    return heading_translations(lang)


def section_in(words: Words, source_id: str, section: str) -> str:
    """A source's section path in the edition's language: 'Ekonomin i balans > Förändringsprogrammet nådde
    målet' -> 'Talous tasapainossa > Muutosohjelma saavutti tavoitteensa' in Finnish (data/clean/headings.csv;
    a heading it lacks stays as printed, which `make data` does not let happen)."""
    translated = [_headings(words.language()).get((source_id, h)) or h for h in section_headings(section)]
    return words.say("source.heading_level_join").join(translated)


def cited_section(words: Words, source_id: str, section: str) -> str:
    """A source and its section, as a note cites them: 'Vuosikatsaus 2025, ”Talous tasapainossa” (ruotsiksi
    ”Ekonomin i balans”)'; in the source's own language 'Årsöversikt 2025, ”Ekonomin i balans”'. For
    `prose` (the original is marked with its language)."""
    lang = source_languages().get(source_id, words.DEFAULT_LANGUAGE)
    original = words.say("source.heading_level_join").join(section_headings(section))
    if lang == words.language():
        return words.say("source.with_section", source=short_source(words, source_id), section=original)
    return words.say("source.with_translated_section", source=short_source(words, source_id),
                     heading=section_in(words, source_id, section), language=words.say(f"language_in.{lang}"),
                     original=foreign(words, original, lang))


def short_source(words: Words, source_id: str) -> str:
    """'annual_review_2025' -> 'Annual review 2025'; other sources by their id."""
    if source_id.startswith("annual_review_"):
        return words.say("source.annual_review", year=source_id.rsplit("_", 1)[1])
    key = f"source.{source_id}"
    return words.say(key) if words.has(key) else source_id


date_text = numbers.date_text  # '2025-02-01' -> '1 February 2025'; '2025-03' -> 'March 2025'; '2025' -> '2025'


def span_text(words: Words, start: str, end: str) -> str:
    """'2023'–'2025' -> '2023–2025'; months of one year -> 'September–December 2025' ('syys–joulukuu 2025');
    dates -> '1 June 2025 – 31 May 2029' (numbers.date_range)."""
    return numbers.date_range(words, start, end)


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
        if kind == "part_year" and len(start) == len(end) == 7 and start[:4] == end[:4]:
            # months of one year read as one month does: 'syys–joulukuussa 2025', 'in September–December 2025'
            return numbers.date_range(words, start, end, month_phrase=f"{group}.month")
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
    value_as_printed: str = ""  # the value as the source prints it ('47,4 procent')
    passage: str = ""  # the sentence (row, item) of the source that states it (data/clean/figures.csv)
    passage_section: str = ""  # the headings that passage stands under
    metric_id: str = ""
    year: int = 0

    @classmethod
    def of(cls, row) -> "Figure | None":
        """From a row of BookData.best; None for no row."""
        if row is None:
            return None
        return cls(float(row.value), float(row.value_low), float(row.value_high), row.qualifier, row.period,
                   row.period_kind, row.source_id, row.section, row.derivation, row.value_as_printed, row.passage,
                   row.passage_section, row.metric_id, int(row.year))


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

    @cached_property
    def shown(self) -> "Shown | None":
        """The change as text, table and chart all give it, with the precision the two figures allow
        (`shown_change`); None where no change may be given."""
        if not self.shows_change:
            return None
        if self.stated_value is not None:
            return Shown(self.stated_value, _decimals(self.stated_value), "exact", "number.signed_percent")
        if not self.verdict.comparable or not self.change_range:
            return None
        return shown_change(self.change_range, self.unit, self.now.value == self.then.value)

    def change(self) -> str:
        """The change in a table cell: '+22.1%', 'about +5 percentage points', 'at least +16%', 'no clear
        change', 'not comparable', ''. The exact range the rounded figures allow is in the number's note."""
        if not self.shows_change:
            return ""
        shown = self.shown
        if shown is None:
            return self.words.say("change.column_not_comparable") if not self.verdict.comparable else ""
        return shown.cell(self.words)

    def change_words(self) -> str:
        """The change in running text: 'up 22.1%', 'down about 2 percentage points', 'unchanged'; '' where
        none may be given."""
        shown = self.shown
        return shown.words(self.words) if shown is not None else ""

    def range_text(self) -> str:
        """The range the rounded figures allow, for a number's note: '+4 to +6 percentage points'; '' where
        the change is exact."""
        if self.stated_value is not None or not self.change_range or self.shown is None:
            return ""
        low, high = sorted(self.change_range)
        if math.isinf(high) or round(low, 1) == round(high, 1):
            return ""
        # rounded outward, so that the range given holds the whole of the true one
        span = numbers.number_range(self.words, _floor(low), _ceil(high), 1, signed=True)
        return unit_words(self.words, self.shown.key, span, None)

    def change_clause(self, amount: str | None = None) -> str:
        """', up 22.1% from 1,375,195 in 2024' for a sentence; why not, when the two cannot be compared."""
        if not self.shows_change:
            return ""
        previous = self.year - 1
        if self.stated is not None:  # the earlier figure was worked back from this change: say the change
            change = self.words.say(f"change_words.{self.shown.direction}", amount=amount) if amount else self.change_words()
            return self.words.say("change.stated", change=change, previous=previous)
        if not self.verdict.comparable:  # the sentence gives the figure alone; why not is in the section's notes
            return ""
        shown = self.shown
        if shown is None:
            return ""
        if shown.kind == "same":
            return self.words.say("change.same", previous=previous)
        was_when = self.when(self.then) or self.words.say("change.in_year", previous=previous)
        if shown.kind == "either":  # rounded figures whose change could go either way
            return self.words.say("change.either", was=self.number(self.then), was_when=was_when)
        return self.words.say(f"change.{shown.direction}", amount=amount or shown.amount(self.words),
                              was=self.number(self.then), was_when=was_when)

    stated: str | None = None  # the change as a source states it, when the earlier figure is derived from it
    stated_value: float | None = None

    @property
    def percent_change(self) -> float | None:
        """The central percentage change of a comparable count, for ranking and charts."""
        if not (self.shows_change and self.verdict.comparable and self.unit == "count" and self.then.value) \
                or self.then.derivation:
            return None
        return (self.now.value - self.then.value) / self.then.value * 100


def _decimals(value: float) -> int:
    return 0 if float(value).is_integer() else len(f"{value}".split(".")[1])


@dataclass(frozen=True)
class Shown:
    """A change as the book shows it, the same in text, table and chart.

    kind: 'exact' (to `decimals`), 'about' (the rounded figures allow a little either side of `value`),
    'at_least' (they allow a wide range: only its near end, `value`, is sure), 'either' (up or down),
    'same' (two equal figures)."""
    value: float  # signed, rounded to `decimals`
    decimals: int
    kind: str
    key: str  # number.signed_percent, number.percentage_points or number.points
    sign: int = 0  # the direction before rounding: a change of +0.04% is up, though it shows as 0.0

    @property
    def direction(self) -> str:
        sign = self.sign or (self.value > 0) - (self.value < 0)
        return "up" if sign > 0 else "down"

    @property
    def charted(self) -> bool:
        """A chart draws a bar only for a change whose size is known to its precision."""
        return self.kind in ("exact", "about", "same")

    def amount(self, words: Words, signed: bool = False) -> str:
        """'22.1%', 'about 5 percentage points', 'at least 16%' ('+22.1%' ... when `signed`)."""
        fmt = text.signed if signed else text.number
        number = fmt(words, self.value if signed else abs(self.value), self.decimals)
        reading = unit_words(words, self.key, number, abs(self.value), self.decimals)
        if self.kind in ("about", "at_least"):
            return words.say(f"change_words.{self.kind}", value=reading)
        return reading

    def words(self, words: Words) -> str:
        if self.kind == "same":
            return words.say("change_words.unchanged")
        if self.kind == "either":
            return words.say("change_words.unclear")
        return words.say(f"change_words.{self.direction}", amount=self.amount(words))

    def cell(self, words: Words) -> str:
        if self.kind == "same":
            return words.say("change_words.cell_unchanged")
        if self.kind == "either":
            return words.say("change_words.cell_unclear")
        if self.kind == "at_least":
            # '+2.9%' with 'at least' reads well; 'at least −9.6%' does not say which way: words for both
            return words.say(f"change_words.cell_at_least_{self.direction}",
                             value=unit_words(words, self.key, text.number(words, abs(self.value), self.decimals),
                                              abs(self.value), self.decimals))
        return self.amount(words, signed=True)


def unit_words(words: Words, key: str, value: str, amount: float | None, decimals: int | None = None) -> str:
    """An amount of a change in its unit: '22.1%'; points and percentage points take the form their number
    asks for in the language ('1 prosenttiyksikkö', '5 prosenttiyksikköä'), a range the plural."""
    if key == "number.signed_percent":
        return words.say(key, value=value)
    category = numbers.plural_category(words, amount, decimals) if amount is not None else "other"
    return words.say(f"{key}_{category}", value=value)


ABOUT_SPREAD = 0.1  # a range no wider than this share of its middle either side reads as 'about' the middle


def _round(value: float, decimals: int) -> float:
    """Half away from zero, as readers round: a change of −6.25% is −6.3%."""
    from decimal import ROUND_HALF_UP, Decimal

    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _floor(value: float, decimals: int = 1) -> float:
    return math.floor(round(value * 10 ** decimals, 6)) / 10 ** decimals


def _ceil(value: float, decimals: int = 1) -> float:
    return math.ceil(round(value * 10 ** decimals, 6)) / 10 ** decimals


def shown_change(interval: tuple[float, float], unit: str, equal: bool) -> Shown:
    """How a change between two rounded figures is shown, so that it is true for the whole range the
    figures allow: exact where they allow one value to one decimal (shares and scores: exactly), 'about'
    the middle where the range is narrow, 'at least' its near end (rounded toward zero) where it is wide,
    and 'either' where it could be a rise or a fall. The range itself goes into the number's note
    (Comparison.range_text)."""
    low, high = sorted(round(v, 6) for v in interval)  # no floating-point dust: 2.9999999 is 3
    key = {"percent": "number.percentage_points", "nps": "number.points"}.get(unit, "number.signed_percent")
    if equal and low <= 0 <= high:
        return Shown(0.0, 0, "same", key)
    if math.isinf(high):
        near = _floor(low)
        return Shown(near, 0 if near.is_integer() else 1, "at_least", key, 1)
    middle = (low + high) / 2
    sign = (middle > 0) - (middle < 0)
    if low == high and key != "number.signed_percent":  # exact shares and scores: the decimals they have
        return Shown(low, _decimals(round(low, 2)), "exact", key, sign)
    if _round(low, 1) == _round(high, 1):  # a percentage change: to one decimal
        return Shown(_round(middle, 1), 1, "exact", key, sign)
    if low <= 0 <= high:
        return Shown(0.0, 0, "either", key)
    # 'about' the middle where the range is narrow: a tenth either side of it, or, for shares and scores
    # printed as whole numbers, the one point either side that their rounding alone allows
    spread = max(ABOUT_SPREAD * abs(middle), 1.0 if key != "number.signed_percent" else 0.0)
    if high - low <= 2 * spread:
        decimals = 1 if key == "number.signed_percent" and abs(middle) < 10 else 0
        return Shown(_round(middle, decimals), decimals, "about", key, sign)
    near = _floor(low) if low > 0 else _ceil(high)
    return Shown(near, 0 if near.is_integer() else 1, "at_least", key, sign)


FRACTIONS = {50.0: "half"}  # a share the source prints as a word: the words file's number.half


def figure_text(words: Words, figure, unit: str) -> str:
    """A figure's qualifier, value and unit; a figure worked back from a stated change as 'about' its
    value to two significant digits ('about €37 million'), since it is no more precise than that."""
    if figure.derivation:
        return text.qualified(words, text.value_with_unit(words, _significant(float(figure.value), 2), unit), "about")
    printed = str(getattr(figure, "value_as_printed", "") or "")
    if unit == "percent" and float(figure.value) in FRACTIONS and printed and not any(ch.isdigit() for ch in printed):
        # the source says 'half' ('hälften'), not '50%': so does the book
        return text.qualified(words, words.say(f"number.{FRACTIONS[float(figure.value)]}"), figure.qualifier)
    return text.qualified(words, text.value_with_unit(words, figure.value, unit), figure.qualifier)


def _significant(value: float, digits: int) -> float:
    """37 450 000 -> 37 000 000 (two significant digits): a derived figure is no more precise than that."""
    return float(f"{value:.{digits}g}") if value else 0.0


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
        c.stated_value = value
        return words.say("number.signed_percent", value=text.signed(words, value))
    return words.say("change.column_not_comparable")


def without_ids(words: Words, data: BookData, explanation: str) -> str:
    """An explanation with the dataset's ids (annual_review_2024, staff_total) put as readers know them."""
    import re

    # Only the words of the explanation are looked up among the sources (a lookup that notes the ids asked
    # for): a source added for another year does not make a page that explains this one re-execute.
    languages = source_languages()
    names = {t: short_source(words, t) for t in set(re.findall(r"\b[a-z][a-z0-9_]*\b", explanation)) if t in languages}
    names.update(zip(data.metrics.metric_id, data.metrics[f"label_{words.language()}"]))
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b")
    return pattern.sub(lambda match: names[match.group(1)], explanation)


def discrepancies(words: Words, data: BookData, metric_id: str, year: int) -> list[str]:
    """What the sources print differently for a figure and why the book uses the figure it shows (the known
    discrepancies of the reconciliation): in English with what was printed where, in the other editions why."""
    rec = data.reconciliation
    rec = rec[(rec.result == "known discrepancy") & (rec.year == str(year)) & (rec.metric_id == metric_id)]
    if words.language() == words.DEFAULT_LANGUAGE:
        return [without_ids(words, data, e) for e in rec.explanation]
    return list(rec[words.column("known_explanation")])


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

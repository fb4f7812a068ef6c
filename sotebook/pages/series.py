"""A metric's figures across the years, and how the cross-year pages (trends, background, about the data)
name them: labels, sources and lists in the edition's words, and a table of figures by year."""
from __future__ import annotations


import pandas as pd
from babel.lists import format_list

from sotebook.data.dataset import BookData
from sotebook.pages import text
from sotebook.pages.collation import sorted_in
from sotebook.pages.figures import figure_text, short_source
from sotebook.pages.markup import table
from sotebook.pages.words import Words


def label_column(words: Words) -> str:
    """The metric dictionary's label column in the language the book speaks."""
    return f"label_{words.language()}"


def metric_label(words: Words, data: BookData, metric_id: str) -> str:
    return data.metric(metric_id)[label_column(words)]


def joined(words: Words, items) -> str:
    """'a', 'b', 'c' -> 'a, b and c', in the book's language."""
    items = [str(i) for i in items]
    return format_list(items, locale=text.LOCALES.get(words.language(), words.language())) if items else ""


def named_sources(words: Words, source_ids) -> str:
    return joined(words, sorted_in(words.language(), {short_source(words, s) for s in source_ids}))


def metric_series(data: BookData, metric_id: str) -> pd.DataFrame:
    best = data.best
    return best[best.metric_id == metric_id][["year", "value", "source_id", "period", "qualifier", "note", "derivation"]]


def figures_in(data: BookData, metric_ids: list[str], years: list[int]) -> pd.DataFrame:
    """The figures a chart of these metrics and years draws: to name its sources."""
    best = data.best
    return best[best.metric_id.isin(metric_ids) & best.year.isin(years)]


def column_names(words: Words, prefix: str, *keys: str) -> list[str]:
    """Column headers of a table, from words: `column_names(words, "trends.nps", "year", "score")`."""
    return [words.say(f"{prefix}.{key}") for key in keys]


def growth_table(words: Words, data: BookData, metric_ids: list[str], caption: str):
    """Each metric's figures by year, in its unit, one row per metric."""
    measure = words.say("table.measure")
    rows = []
    for metric_id in metric_ids:
        series = metric_series(data, metric_id).sort_values("year")
        if series.empty:
            continue
        unit = data.metric(metric_id).unit
        row = {measure: metric_label(words, data, metric_id)}
        row.update({str(r.year): figure_text(words, r, unit) for r in series.itertuples()})
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame = frame[[measure] + sorted(c for c in frame.columns if c != measure)].fillna(words.say("number.missing"))
    return table(words, frame, caption)

"""What the Background chapter says: the reform's timeline and spearheads, the division's departments,
operating models and roles, and its workforce across the years."""
from __future__ import annotations


import pandas as pd

from sotebook.data.dataset import BookData
from sotebook.pages import plan, text
from sotebook.pages.figures import short_source, span_text
from sotebook.pages.markup import table
from sotebook.pages.numbers import Count
from sotebook.pages.series import column_names, growth_table, joined, metric_series, named_sources
from sotebook.pages.words import Words


_date = span_text


def timeline(words: Words, data: BookData):
    t = data.facts["timeline"].sort_values(["start", "end"], kind="stable")
    when, what, source = column_names(words, "background.timeline", "when", "what", "source")
    frame = pd.DataFrame({when: [_date(words, r.start, r.end) for r in t.itertuples()], what: t[words.column("event")],
                          source: [short_source(words, s) for s in t.source_id]})
    return table(words, frame, words.say("background.timeline.caption"))


def spearheads(words: Words, data: BookData):
    s = data.facts["spearheads"]
    number, spearhead = column_names(words, "background.spearheads", "number", "spearhead")
    return table(words, pd.DataFrame({number: s.number, spearhead: s[words.column("spearhead")]}), words.say("background.spearheads.caption"))


def departments(words: Words, data: BookData):
    d = data.facts["departments"]
    name, head, units = column_names(words, "background.departments", "name", "head", "units")
    lang = words.language()
    frame = pd.DataFrame({name: d[f"name_{lang}"], head: d["head"], units: d[f"units_{lang}"].str.replace("; ", ", ")})
    return table(words, frame, words.say("background.departments.caption", sources=named_sources(words, d.source_id)))


def departments_sentence(words: Words, data: BookData) -> str:
    d = data.facts["departments"]
    return words.say("background.departments.sentence", count=Count(words, len(d)), sources=named_sources(words, d.source_id))


def operating_models(words: Words, data: BookData):
    o = data.facts["operating_models"]
    model, services = column_names(words, "background.operating_models", "model", "services")
    frame = o.groupby(words.column("operating_model"), sort=False)[words.column("service")].apply(lambda services: joined(words, services)).reset_index()
    return table(words, frame.set_axis([model, services], axis=1), words.say("background.operating_models.caption"))


def operating_models_sentence(words: Words, data: BookData) -> str:
    return words.say("background.operating_models.sentence",
                     count=Count(words, data.facts["operating_models"].operating_model.nunique()))


def roles(words: Words, data: BookData):
    r = data.facts["roles"]
    role, name, when, source = column_names(words, "background.roles", "role", "name", "when", "source")
    frame = pd.DataFrame({role: r[words.column("role")], name: r.name, when: [(_date(words, a, b) if a else "") for a, b in zip(r.start, r.end)],
                          source: [short_source(words, s) for s in r.source_id]})
    return table(words, frame, words.say("background.roles.caption"))


def workforce(words: Words, data: BookData):
    return growth_table(words, data, plan.background().workforce, words.say("background.workforce.caption"))


def workforce_sentence(words: Words, data: BookData) -> str:
    """How many workforce measures each year's sources report: computed, so no edition is named by hand."""
    best = data.best[data.best.metric_id.isin(plan.background().workforce)]
    counts = best.groupby("year").metric_id.nunique()
    if counts.empty:
        return ""
    each = [words.say("background.workforce.count_item", count=Count(words, int(n)), year=y) for y, n in counts.items()]
    return words.say("background.workforce.sentence", counts=joined(words, each))


def count_sentence(words: Words, data: BookData, metric_id: str, key: str) -> str:
    """The sentence `key` with the metric's latest figure and its year, or nothing if there is none."""
    series = metric_series(data, metric_id)
    if series.empty:
        return ""
    last = series.iloc[-1]
    return words.say(key, value=text.number(words, last.value), year=last.year)

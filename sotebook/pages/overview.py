"""The chapters that span years: home, trends, background and about the data."""
from __future__ import annotations

import hashlib
import html
import re

import pandas as pd
from babel.lists import format_list

from sotebook.pages import charts
from sotebook.pages import explanation_words
from sotebook.pages import plan
from sotebook.data import comparability
from sotebook.pages import text
from sotebook.pages.words import Words
from sotebook.pages.year_chapter import source_languages as chapter_source_languages
from sotebook.pages.year_chapter import HTMLBlock, comparisons, date_text, figure_text, short_source, span_text, table
from sotebook.data.dataset import BookData

def label_column(words: Words) -> str:
    """The metric dictionary's label column in the language the book speaks."""
    return f"label_{words.language()}"


def _label(words: Words, data: BookData, metric_id: str) -> str:
    return data.metric(metric_id)[label_column(words)]


def _join(words: Words, items) -> str:
    """'a', 'b', 'c' -> 'a, b and c', in the book's language."""
    items = [str(i) for i in items]
    return format_list(items, locale=text.LOCALES.get(words.language(), words.language())) if items else ""


def _sources(words: Words, source_ids) -> str:
    return _join(words, sorted({short_source(words, s) for s in source_ids}))


def _series(data: BookData, metric_id: str) -> pd.DataFrame:
    best = data.best
    return best[best.metric_id == metric_id][["year", "value", "source_id", "period", "qualifier", "note", "derivation"]]


def _used(data: BookData, metric_ids: list[str], years: list[int]) -> pd.DataFrame:
    """The figures a chart of these metrics and years draws: to name its sources."""
    best = data.best
    return best[best.metric_id.isin(metric_ids) & best.year.isin(years)]


def _columns(words: Words, prefix: str, *keys: str) -> list[str]:
    """Column headers of a table, from words: `_columns(words, "trends.nps", "year", "score")`."""
    return [words.say(f"{prefix}.{key}") for key in keys]


# --- trends ------------------------------------------------------------------------------------

def nps_chart(words: Words, data: BookData):
    say = words.say
    series, year, score = _columns(words, "trends.nps", "series", "year", "score")
    nps = _series(data, "nps").assign(**{series: say("trends.nps.series_nps")})
    target = _series(data, "nps_target").assign(**{series: say("trends.nps.series_target")})
    both = pd.concat([nps, target])
    frame = both.rename(columns={"year": year, "value": score})[[series, year, score]].reset_index(drop=True)
    first, last = nps.iloc[0], nps.iloc[-1]
    values = dict(first=text.number(words, first.value), first_year=first.year, last=text.number(words, last.value), last_year=last.year)
    if target.empty:
        alt = say("trends.nps.alt", **values)
    else:
        t = target.iloc[-1]
        alt = say("trends.nps.alt_with_target", **values, target=text.number(words, t.value), target_year=t.year)
    # Zero on the axis: a rise from 58 to 69 is drawn as the eleventh of the scale it is, not as a leap.
    chart = charts.line(words, frame, x=year, y=score, color=series, zero=True)
    return charts.show(words, chart, chart_id="nps-trend", title=say("trends.nps.title"), alt=alt,
                       source=_sources(words, both.source_id), data=frame)


def nps_sentence(words: Words, data: BookData) -> str:
    nps = _series(data, "nps")
    if nps.empty:
        return words.say("trends.nps.none")
    first, last = nps.iloc[0], nps.iloc[-1]
    values = dict(first=text.number(words, first.value), first_year=first.year, last=text.number(words, last.value), last_year=last.year)
    steps = nps.value.diff().dropna()
    trend = "rose" if (steps > 0).all() else ("fell" if (steps < 0).all() else "went")
    sentences = [words.say(f"trends.nps.sentence_{trend}", **values)]
    target = _series(data, "nps_target")
    if not target.empty:
        t = target.iloc[-1]
        reached = "above" if last.value > t.value else ("on" if last.value == t.value else "below")
        sentences.append(words.say(f"trends.nps.target_{reached}", target=text.number(words, t.value), target_year=t.year))
    threshold = _series(data, "nps_excellent_threshold")
    if not threshold.empty:
        sentences.append(words.say("trends.nps.excellent", value=text.number(words, threshold.iloc[-1].value),
                                   sources=_sources(words, threshold.source_id)))
    return " ".join(sentences)


def department_trend(words: Words, data: BookData):
    say = words.say
    department, year, staff = _columns(words, "trends.departments", "department", "year", "staff")
    parts = data.metrics[data.metrics.part_of == "staff_total"].metric_id
    best = data.best[data.best.metric_id.isin(parts)]
    frame = pd.DataFrame({department: [_label(words, data, m).split(": ", 1)[-1] for m in best.metric_id],
                          year: best.year.astype(str), staff: best.value})
    years = sorted(frame[year].unique())
    latest = frame[frame[year] == years[-1]].sort_values(staff, ascending=False)
    # Departments in the order of their size in the latest year, largest on top.
    frame = frame.assign(_order=frame[department].map({d: i for i, d in enumerate(latest[department])}))
    frame = frame.sort_values(["_order", year]).drop(columns="_order").reset_index(drop=True)
    chart = charts.grouped_bar(words, frame, x=staff, y=department, color=year)
    top = latest.iloc[0]
    return charts.show(words, chart, chart_id="staff-departments-trend", title=say("trends.departments.title"),
                       alt=say("trends.departments.alt", count=latest[department].nunique(), years=_join(words, years),
                               largest=top[department], value=text.number(words, top[staff]), year=years[-1]),
                       source=_sources(words, best.source_id), data=frame)


def growth_table(words: Words, data: BookData, metric_ids: list[str], caption: str):
    """Each metric's figures by year, in its unit, one row per metric."""
    measure = words.say("table.measure")
    rows = []
    for metric_id in metric_ids:
        series = _series(data, metric_id).sort_values("year")
        if series.empty:
            continue
        unit = data.metric(metric_id).unit
        row = {measure: _label(words, data, metric_id)}
        row.update({str(r.year): figure_text(words, r, unit) for r in series.itertuples()})
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame = frame[[measure] + sorted(c for c in frame.columns if c != measure)].fillna(words.say("number.missing"))
    return table(words, frame, caption)


def eservice_table(words: Words, data: BookData):
    return growth_table(words, data, plan.trends().eservices, words.say("trends.eservices.table_caption"))


def eservice_chart(words: Words, data: BookData):
    """Percentage change of each e-service count between the last two years that have them."""
    eservices = plan.trends().eservices
    years = sorted(set(data.best[data.best.metric_id.isin(eservices)].year))
    if len(years) < 2:
        return None
    year = years[-1]
    rows = [c for c in comparisons(words, data, year) if c.metric_id in eservices and c.percent_change is not None]
    if not rows:
        return None
    service, change, way = _columns(words, "trends.eservices", "service", "change", "direction")
    changes = [round(c.percent_change, 1) for c in rows]
    frame = pd.DataFrame({service: [_label(words, data, c.metric_id) for c in rows], change: changes,
                          way: [charts.direction(words, v) for v in changes],
                          str(year - 1): [c.then.value for c in rows], str(year): [c.now.value for c in rows]})
    top = frame.loc[frame[change].abs().idxmax()]
    chart = charts.change_bar(words, frame, x=change, y=service, direction=way)
    return charts.show(words, chart, chart_id="eservice-growth",
                       title=words.say("trends.eservices.title", was=year - 1, year=year),
                       alt=words.say("trends.eservices.alt", grew=int((frame[change] > 0).sum()), count=len(frame),
                                     was=year - 1, year=year, largest=top[service],
                                     change=text.signed(words, top[change], 1)),
                       source=_sources(words, _used(data, [c.metric_id for c in rows], [year - 1, year]).source_id),
                       data=frame)


def per_thousand(words: Words, data: BookData) -> pd.DataFrame:
    """Services per 1,000 residents, for the years that have both the service and the population."""
    service, year, rate = _columns(words, "trends.per_thousand", "service", "year", "rate")
    best = data.best
    residents = best[best.metric_id == "residents"].set_index("year").value
    rows = []
    for metric_id in plan.trends().per_resident:
        for r in best[best.metric_id == metric_id].itertuples():
            if r.year in residents.index:
                rows.append({service: _label(words, data, metric_id), year: str(r.year),
                             rate: round(r.value / residents[r.year] * 1000, 1)})
    return pd.DataFrame(rows, columns=[service, year, rate])


def per_thousand_chart(words: Words, data: BookData):
    """The change in each service's use per 1,000 residents, first year to last: an index, so a
    service with 2,000 visits per 1,000 residents does not flatten one with 20."""
    rates = per_thousand(words, data)
    service, year, rate = rates.columns
    years = sorted(rates[year].unique())
    if len(years) < 2 or not _populations_comparable(data, int(years[0]), int(years[-1])):
        return None
    wide = rates.pivot(index=service, columns=year, values=rate).dropna(subset=[years[0], years[-1]])
    change, way = _columns(words, "trends.per_thousand", "change", "direction")
    changes = ((wide[years[-1]] - wide[years[0]]) / wide[years[0]] * 100).round(1)
    frame = pd.DataFrame({service: wide.index, change: changes.values, way: [charts.direction(words, v) for v in changes]})
    frame = frame.join(wide.reset_index(drop=True).rename(columns=lambda y: words.say("trends.per_thousand.rate_in", year=y)))
    top = frame.loc[frame[change].abs().idxmax()]
    chart = charts.change_bar(words, frame, x=change, y=service, direction=way)
    return charts.show(words, chart, chart_id="per-thousand",
                       title=words.say("trends.per_thousand.title", first=years[0], last=years[-1]),
                       alt=words.say("trends.per_thousand.alt", grew=int((frame[change] > 0).sum()), count=len(frame),
                                     first=years[0], last=years[-1], largest=top[service],
                                     change=text.signed(words, top[change], 1)),
                       source=words.say("trends.per_thousand.source", sources=_sources(words, 
                           _used(data, plan.trends().per_resident + ["residents"], [int(years[0]), int(years[-1])]).source_id)),
                       data=frame)


def per_thousand_table(words: Words, data: BookData):
    """The rates themselves, one column per year, so readers see the levels the index hides."""
    rates = per_thousand(words, data)
    service, year, rate = rates.columns
    wide = rates.pivot(index=service, columns=year, values=rate).loc[rates[service].unique()]
    wide = wide.apply(lambda column: column.map(lambda v: words.say("number.missing") if pd.isna(v) else text.number(words, v, 1)))
    return table(words, wide.reset_index().rename_axis(columns=None), words.say("trends.per_thousand.table_caption"))


def _period_words(words: Words, period: str) -> str:
    """'2025-autumn' -> 'autumn 2025'; '2024' -> '2024'; '2024-12-31' -> '31 December 2024'."""
    year, _, rest = period.partition("-")
    if rest and words.has(f"season.{rest}"):
        return words.say(f"season.{rest}", year=year)
    return date_text(words, period) if rest else year


def _populations_comparable(data: BookData, first: int, last: int) -> bool:
    """Whether two years' populations measure the same thing, so that rates per resident can be compared."""
    return comparability.verdict(data.metrics, data.best, "residents", last, first).comparable


def population_note(words: Words, data: BookData) -> str:
    """Which population each year's rate divides by, as the sources state it, and whether the rates of
    different years may be compared."""
    residents = _series(data, "residents").sort_values("year")
    if residents.empty:
        return ""
    each = [words.say("trends.per_thousand.population_item",
                      value=text.qualified(words, text.number(words, r.value), r.qualifier), when=_period_words(words, r.period))
            for r in residents.itertuples()]
    note = words.say("trends.per_thousand.population_note", populations=_join(words, each))
    years = list(residents.year)
    if len(years) > 1 and not _populations_comparable(data, int(years[0]), int(years[-1])):
        note += " " + words.say("trends.per_thousand.not_comparable")
    return note


def _programme(data: BookData):
    achieved = _series(data, "transformation_achieved_eur").sort_values("year")
    target = _series(data, "transformation_target_eur").sort_values("year")
    return achieved, target


def _span(period: str) -> str:
    """'2023-2026' -> '2023–2026'."""
    return period.replace("-", "–")


def programme_sentence(words: Words, data: BookData) -> str:
    achieved, target = _programme(data)
    if achieved.empty or target.empty:
        return words.say("trends.programme.none")
    a, t = achieved.iloc[-1], target.iloc[-1]
    sentence = words.say("trends.programme.sentence", year=a.year, achieved=text.euros(words, a.value),
                         share=text.percent(words, round(a.value / t.value * 100)), target=text.euros(words, t.value),
                         period=_span(t.period))
    # What the sources say of the programme in later years that print no amount (it passed its target).
    reasons = data.facts["explanations"]
    later = reasons[(reasons.metric_id == "transformation_target_eur") & (reasons.explains == "result")
                    & (reasons.year.astype(int) > int(a.year))]
    for explanation_id in later.explanation_id[:1]:
        sentence += " " + words.say("trends.programme.later", note=words.say(explanation_words.key(explanation_id)))
    return sentence


def programme_chart(words: Words, data: BookData):
    achieved, target = _programme(data)
    if achieved.empty or target.empty:
        return None
    measure, amount = _columns(words, "trends.programme", "measure", "amount")
    t = target.iloc[-1]
    labels = [words.say("trends.programme.achieved_by", year=r.year) for r in achieved.itertuples()]
    labels.append(words.say("trends.programme.target_for", period=_span(t.period)))
    frame = pd.DataFrame({measure: labels, amount: [v / 1e6 for v in achieved.value] + [t.value / 1e6]})
    chart = charts.bar(words, frame, x=amount, y=measure, sort=None, number_format=",.0f")
    a = achieved.iloc[-1]
    return charts.show(words, chart, chart_id="programme-progress", title=words.say("trends.programme.title"),
                       alt=words.say("trends.programme.alt", achieved=text.euros(words, a.value), year=a.year,
                                     target=text.euros(words, t.value)),
                       source=_sources(words, pd.concat([achieved, target]).source_id), data=frame)


# --- background -------------------------------------------------------------------------------

_date = span_text


def timeline(words: Words, data: BookData):
    t = data.facts["timeline"].sort_values(["start", "end"], kind="stable")
    when, what, source = _columns(words, "background.timeline", "when", "what", "source")
    frame = pd.DataFrame({when: [_date(words, r.start, r.end) for r in t.itertuples()], what: t[words.column("event")],
                          source: [short_source(words, s) for s in t.source_id]})
    return table(words, frame, words.say("background.timeline.caption"))


def spearheads(words: Words, data: BookData):
    s = data.facts["spearheads"]
    number, spearhead = _columns(words, "background.spearheads", "number", "spearhead")
    return table(words, pd.DataFrame({number: s.number, spearhead: s[words.column("spearhead")]}), words.say("background.spearheads.caption"))


def departments(words: Words, data: BookData):
    d = data.facts["departments"]
    name, head, units = _columns(words, "background.departments", "name", "head", "units")
    lang = words.language()
    frame = pd.DataFrame({name: d[f"name_{lang}"], head: d["head"], units: d[f"units_{lang}"].str.replace("; ", ", ")})
    return table(words, frame, words.say("background.departments.caption", sources=_sources(words, d.source_id)))


def departments_sentence(words: Words, data: BookData) -> str:
    d = data.facts["departments"]
    return words.say("background.departments.sentence", count=len(d), sources=_sources(words, d.source_id))


def operating_models(words: Words, data: BookData):
    o = data.facts["operating_models"]
    model, services = _columns(words, "background.operating_models", "model", "services")
    frame = o.groupby(words.column("operating_model"), sort=False)[words.column("service")].apply(lambda services: _join(words, services)).reset_index()
    return table(words, frame.set_axis([model, services], axis=1), words.say("background.operating_models.caption"))


def operating_models_sentence(words: Words, data: BookData) -> str:
    return words.say("background.operating_models.sentence", count=data.facts["operating_models"].operating_model.nunique())


def roles(words: Words, data: BookData):
    r = data.facts["roles"]
    role, name, when, source = _columns(words, "background.roles", "role", "name", "when", "source")
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
    each = [words.say("background.workforce.count_item", count=int(n), year=y) for y, n in counts.items()]
    return words.say("background.workforce.sentence", counts=_join(words, each))


def count_sentence(words: Words, data: BookData, metric_id: str, key: str) -> str:
    """The sentence `key` with the metric's latest figure and its year, or nothing if there is none."""
    series = _series(data, metric_id)
    if series.empty:
        return ""
    last = series.iloc[-1]
    return words.say(key, value=text.number(words, last.value), year=last.year)


# --- about the data --------------------------------------------------------------------------

def _word_or_value(words: Words, prefix: str, value: str) -> str:
    """A coded value in words if the words file has it (`language.sv` -> 'Swedish'), else as it is."""
    key = f"{prefix}.{str(value).replace(' ', '_')}"
    return words.say(key) if words.has(key) else value


def sources_table(words: Words, data: BookData):
    s = data.sources
    counts = data.figures.groupby("source_id").size()
    source, language, kind, covers, figures, left_out = _columns(words, 
        "about_data.sources", "source", "language", "type", "covers", "figures", "not_transcribed")
    frame = pd.DataFrame({source: s.title, language: [_word_or_value(words, "language", v) for v in s.language],
                          kind: [_word_or_value(words, "about_data.document_type", v) for v in s.document_type],
                          covers: s[words.column("covers")], figures: [int(counts.get(i, 0)) for i in s.source_id],
                          left_out: s[words.column("not_transcribed")]})
    return table(words, frame, words.say("about_data.sources.caption", count=len(s)), langs={source: list(s.language)})


def dataset_sentence(words: Words, data: BookData) -> str:
    rec = data.reconciliation
    known = int((rec.result == "known discrepancy").sum())
    return words.say("about_data.dataset_sentence", figures=text.number(words, len(data.figures)),
                     metrics=text.number(words, len(data.metrics)), sources=len(data.sources),
                     years=_join(words, data.years), checks=text.number(words, len(rec)), passed=text.number(words, len(rec) - known),
                     known=text.number(words, known))


def dictionary_table(words: Words, data: BookData):
    m = data.metrics
    metric_id, english, finnish, swedish, unit, what = _columns(words, 
        "about_data.dictionary", "metric_id", "label_en", "label_fi", "label_sv", "unit", "description")
    frame = pd.DataFrame({metric_id: m.metric_id, english: m.label_en, finnish: m.label_fi, swedish: m.label_sv,
                          unit: [_word_or_value(words, "about_data.unit", u) for u in m.unit], what: m[words.column("description")]})
    rows = len(m)
    return table(words, frame, words.say("about_data.dictionary.caption"),
                 langs={english: ["en"] * rows, finnish: ["fi"] * rows, swedish: ["sv"] * rows})


def breaks_table(words: Words, data: BookData):
    m = data.metrics[data.metrics.series_break_year != ""]
    metric, since, why = _columns(words, "about_data.breaks", "metric", "since", "why")
    frame = pd.DataFrame({metric: m[label_column(words)], since: m.series_break_year, why: m[words.column("series_break_note")]})
    return table(words, frame, words.say("about_data.breaks.caption"))


def _without_ids(words: Words, data: BookData, explanation: str) -> str:
    """An explanation with the dataset's ids (annual_review_2024, staff_total) put as readers know them."""
    names = {s: short_source(words, s) for s in data.sources.source_id}
    names.update(zip(data.metrics.metric_id, data.metrics[label_column(words)]))
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b")
    return pattern.sub(lambda match: names[match.group(1)], explanation)


def _check_explanations(words: Words, data: BookData, rec: pd.DataFrame) -> list[str]:
    """What each check compared: the dataset's own sentence in English; in the other editions the range
    the check allowed and, for a known discrepancy, why it stands."""
    if words.language() == words.DEFAULT_LANGUAGE:
        return [_without_ids(words, data, e) for e in rec.explanation]
    allowed = [words.say("about_data.checks.allowed", low=text.number(words, float(lo)), high=text.number(words, float(hi)))
               if lo and hi else "" for lo, hi in zip(rec.expected_low, rec.expected_high)]
    return [" ".join(p for p in (a, k) if p) for a, k in zip(allowed, rec[words.column("known_explanation")])]


def reconciliation_table(words: Words, data: BookData, known: bool):
    """The known discrepancies, or the checks that pass: the caption says which, so no column repeats it."""
    rec = data.reconciliation
    rec = rec[(rec.result == "known discrepancy") == known]
    labels = data.metrics.set_index("metric_id")[label_column(words)]
    check, metric, year, source, printed, why = _columns(words, 
        "about_data.checks", "check", "metric", "year", "source", "printed", "explanation")
    frame = pd.DataFrame({check: [_word_or_value(words, "about_data.check_kind", c) for c in rec.check],
                          metric: [labels[m] for m in rec.metric_id], year: rec.year,
                          source: [short_source(words, s) for s in rec.source_id], printed: rec.printed,
                          why: _check_explanations(words, data, rec)})
    languages = chapter_source_languages()
    return table(words, frame, words.say("about_data.checks.caption_known" if known else "about_data.checks.caption_pass"),
                 langs={printed: [languages.get(sid, "en") for sid in rec.source_id]})


# --- the data release -------------------------------------------------------------------------

def release_block(words: Words, downloads: str = "../data/") -> HTMLBlock:
    """For "About the data": the dataset's version, its changes since the previous release and the
    downloads with their sizes and SHA-256 checksums."""
    from sotebook.data.release import build_zip, manifest, previous_release, sha256sums

    current = manifest()
    name, data = build_zip()
    parts = [f"<p>{words.say('about_data.release.version', version=html.escape(current['version']), date=date_text(words, current['created'][:10]))}</p>",
             _release_changes(words, current, previous_release(current))]
    sums = sha256sums({name: data}).encode()
    rows = [(name, len(data), hashlib.sha256(data).hexdigest()), ("SHA256SUMS", len(sums), hashlib.sha256(sums).hexdigest())]
    head = "".join(f'<th scope="col">{html.escape(words.say(f"about_data.release.{c}"))}</th>' for c in ("file", "bytes", "sha256"))
    body = "".join(f'<tr><td><a href="{html.escape(downloads + f)}">{html.escape(f)}</a></td><td class="sotebook-num">{text.number(words, size)}</td>'
                   f'<td><code class="sotebook-checksum">{digest}</code></td></tr>' for f, size, digest in rows)
    parts.append(f'<table class="sotebook-table__table"><caption>{html.escape(words.say("about_data.release.downloads"))}</caption>'
                 f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    parts.append(f"<p>{words.say('about_data.release.check')}</p>")
    return HTMLBlock("\n".join(parts))


def _release_changes(words: Words, current: dict, previous: dict | None) -> str:
    from sotebook.data.release import changed_resources, figure_changes

    if previous is None:
        return f"<p>{html.escape(words.say('about_data.release.first'))}</p>"
    changes = figure_changes(previous, current)
    tables = ", ".join(changed_resources(previous, current)) or words.say("number.missing")
    head = f"<p>{html.escape(words.say('about_data.release.since', version=previous['version'], count=text.number(words, len(changes)), tables=tables))}</p>"
    if not changes:
        return head
    labels = data_labels(words)
    frame = pd.DataFrame({words.say(f"about_data.release.{c}"): v for c, v in (
        ("metric", [labels.get(c.metric_id, c.metric_id) for c in changes]), ("year", [str(c.year) for c in changes]),
        ("source", [short_source(words, c.source_id) for c in changes]), ("before", [c.old or "–" for c in changes]),
        ("now", [c.new or "–" for c in changes]))})
    return head + table(words, frame, words.say("about_data.release.changed")).markup


def data_labels(words: Words) -> dict[str, str]:
    """Metric labels in the edition's language, by metric id, from the clean dictionary."""
    from sotebook.data.dataset import _read

    metrics = _read("metrics")
    return dict(zip(metrics.metric_id, metrics[label_column(words)]))

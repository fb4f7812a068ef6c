"""What the Trends chapter says: client satisfaction against its target, staff by department, e-services,
services per 1,000 residents and the savings programme, across the years."""
from __future__ import annotations


import pandas as pd

from sotebook.data import comparability, reads
from sotebook.data.dataset import BookData
from sotebook.pages import charts, explanation_words, plan, text
from sotebook.pages.figures import comparisons, date_text
from sotebook.pages.markup import table
from sotebook.pages.numbers import Count
from sotebook.pages.series import (column_names, figures_in, growth_table, joined, metric_label, metric_series, named_sources)
from sotebook.pages.words import Words


def nps_chart(words: Words, data: BookData):
    say = words.say
    series, year, score = column_names(words, "trends.nps", "series", "year", "score")
    nps = metric_series(data, "nps").assign(**{series: say("trends.nps.series_nps")})
    target = metric_series(data, "nps_target").assign(**{series: say("trends.nps.series_target")})
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
                       source=named_sources(words, both.source_id), data=frame)


def nps_sentence(words: Words, data: BookData) -> str:
    nps = metric_series(data, "nps")
    if nps.empty:
        return words.say("trends.nps.none")
    first, last = nps.iloc[0], nps.iloc[-1]
    values = dict(first=text.number(words, first.value), first_year=first.year, last=text.number(words, last.value), last_year=last.year)
    steps = nps.value.diff().dropna()
    trend = "rose" if (steps > 0).all() else ("fell" if (steps < 0).all() else "went")
    sentences = [words.say(f"trends.nps.sentence_{trend}", **values)]
    target = metric_series(data, "nps_target")
    if not target.empty:
        t = target.iloc[-1]
        reached = "above" if last.value > t.value else ("on" if last.value == t.value else "below")
        sentences.append(words.say(f"trends.nps.target_{reached}", target=text.number(words, t.value), target_year=t.year))
    threshold = metric_series(data, "nps_excellent_threshold")
    if not threshold.empty:
        sentences.append(words.say("trends.nps.excellent", value=text.number(words, threshold.iloc[-1].value),
                                   sources=named_sources(words, threshold.source_id)))
    return " ".join(sentences)


def department_trend(words: Words, data: BookData):
    say = words.say
    department, year, staff = column_names(words, "trends.departments", "department", "year", "staff")
    parts = data.metrics[data.metrics.part_of == "staff_total"].metric_id
    best = data.best[data.best.metric_id.isin(parts)]
    frame = pd.DataFrame({department: [metric_label(words, data, m).split(": ", 1)[-1] for m in best.metric_id],
                          year: best.year.astype(str), staff: best.value})
    years = sorted(frame[year].unique())
    latest = frame[frame[year] == years[-1]].sort_values(staff, ascending=False)
    # Departments in the order of their size in the latest year, largest on top.
    frame = frame.assign(_order=frame[department].map({d: i for i, d in enumerate(latest[department])}))
    frame = frame.sort_values(["_order", year]).drop(columns="_order").reset_index(drop=True)
    chart = charts.grouped_bar(words, frame, x=staff, y=department, color=year)
    top = latest.iloc[0]
    return charts.show(words, chart, chart_id="staff-departments-trend", title=say("trends.departments.title"),
                       alt=say("trends.departments.alt", count=Count(words, latest[department].nunique()), years=joined(words, years),
                               largest=top[department], value=text.number(words, top[staff]), year=years[-1]),
                       source=named_sources(words, best.source_id), data=frame)


def eservice_table(words: Words, data: BookData):
    return growth_table(words, data, plan.trends().eservices, words.say("trends.eservices.table_caption"))


def eservice_chart(words: Words, data: BookData):
    """Percentage change of each e-service count between the last two years that have them."""
    eservices = plan.trends().eservices
    years = sorted(set(data.best[data.best.metric_id.isin(eservices)].year))
    if len(years) < 2:
        return None
    year = years[-1]
    rows = [c for c in comparisons(words, data.only(eservices), year) if c.metric_id in eservices and c.percent_change is not None]
    if not rows:
        return None
    service, change, way = column_names(words, "trends.eservices", "service", "change", "direction")
    changes = [round(c.percent_change, 1) for c in rows]
    frame = pd.DataFrame({service: [metric_label(words, data, c.metric_id) for c in rows], change: changes,
                          way: [charts.direction(words, v) for v in changes],
                          str(year - 1): [c.then.value for c in rows], str(year): [c.now.value for c in rows]})
    top = frame.loc[frame[change].abs().idxmax()]
    chart = charts.change_bar(words, frame, x=change, y=service, direction=way)
    return charts.show(words, chart, chart_id="eservice-growth",
                       title=words.say("trends.eservices.title", was=year - 1, year=year),
                       alt=words.say("trends.eservices.alt", grew=Count(words, int((frame[change] > 0).sum())), count=Count(words, len(frame)),
                                     was=year - 1, year=year, largest=top[service],
                                     change=text.signed(words, top[change], 1)),
                       source=named_sources(words, figures_in(data, [c.metric_id for c in rows], [year - 1, year]).source_id),
                       data=frame)


@reads.summarised  # the page shows rates rounded to one decimal: it depends on them, not on the figures
def per_thousand(words: Words, data: BookData) -> pd.DataFrame:
    """Services per 1,000 residents, for the years that have both the service and the population."""
    service, year, rate = column_names(words, "trends.per_thousand", "service", "year", "rate")
    best = data.best
    residents = best[best.metric_id == "residents"].set_index("year").value
    rows = []
    for metric_id in plan.trends().per_resident:
        for r in best[best.metric_id == metric_id].itertuples():
            if r.year in residents.index:
                rows.append({service: metric_label(words, data, metric_id), year: str(r.year),
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
    change, way = column_names(words, "trends.per_thousand", "change", "direction")
    changes = ((wide[years[-1]] - wide[years[0]]) / wide[years[0]] * 100).round(1)
    frame = pd.DataFrame({service: wide.index, change: changes.values, way: [charts.direction(words, v) for v in changes]})
    frame = frame.join(wide.reset_index(drop=True).rename(columns=lambda y: words.say("trends.per_thousand.rate_in", year=y)))
    top = frame.loc[frame[change].abs().idxmax()]
    chart = charts.change_bar(words, frame, x=change, y=service, direction=way)
    return charts.show(words, chart, chart_id="per-thousand",
                       title=words.say("trends.per_thousand.title", first=years[0], last=years[-1]),
                       alt=words.say("trends.per_thousand.alt", grew=Count(words, int((frame[change] > 0).sum())), count=Count(words, len(frame)),
                                     first=years[0], last=years[-1], largest=top[service],
                                     change=text.signed(words, top[change], 1)),
                       source=words.say("trends.per_thousand.source", sources=named_sources(words, 
                           figures_in(data, plan.trends().per_resident + ["residents"], [int(years[0]), int(years[-1])]).source_id)),
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
    residents = metric_series(data, "residents").sort_values("year")
    if residents.empty:
        return ""
    each = [words.say("trends.per_thousand.population_item",
                      value=text.qualified(words, text.number(words, r.value), r.qualifier), when=_period_words(words, r.period))
            for r in residents.itertuples()]
    note = words.say("trends.per_thousand.population_note", populations=joined(words, each))
    years = list(residents.year)
    if len(years) > 1 and not _populations_comparable(data, int(years[0]), int(years[-1])):
        note += " " + words.say("trends.per_thousand.not_comparable")
    return note


def _programme(data: BookData):
    achieved = metric_series(data, "transformation_achieved_eur").sort_values("year")
    target = metric_series(data, "transformation_target_eur").sort_values("year")
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
    measure, amount = column_names(words, "trends.programme", "measure", "amount")
    t = target.iloc[-1]
    # The savings by each year that prints them, against the programme's target drawn as a target (a line
    # across each bar), not as a bar of the same kind (as the year chapters' programme chart).
    target_kind = words.say("trends.programme.target_for", period=_span(t.period))
    saved = words.say("question_chart.saved")
    labels = [words.say("trends.programme.achieved_by", year=r.year) for r in achieved.itertuples()]
    frame = pd.DataFrame({measure: labels, amount: [v / 1e6 for v in achieved.value],
                          target_kind: [t.value / 1e6] * len(labels)})
    drawn = frame.assign(_kind=saved, _label=[text.euros(words, v) for v in achieved.value],
                         _short=[text.number(words, v / 1e6) for v in achieved.value])
    chart = charts.against_target(words, drawn, x=amount, y=measure, kind="_kind", label="_label", target=target_kind,
                                  target_kind=target_kind, x_title=amount, short_label="_short", number_format=",.0f")
    a = achieved.iloc[-1]
    return charts.show(words, chart, chart_id="programme-progress", title=words.say("trends.programme.title"),
                       alt=words.say("trends.programme.alt", achieved=text.euros(words, a.value), year=a.year,
                                     target=text.euros(words, t.value)),
                       source=named_sources(words, pd.concat([achieved, target]).source_id), data=frame)

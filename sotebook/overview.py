"""The chapters that span years: home, trends, background and about the data."""
from __future__ import annotations

import pandas as pd

from . import charts, text
from .chapter import comparisons, date_text as _month, short_source, table


def _short_source(source_id: str, title: str = "") -> str:
    return short_source(source_id)
from .data import BookData

KEY_FIGURES = ["residents", "staff_total", "nps", "health_station_nurse_visits", "health_station_doctor_visits",
               "home_care_visits", "dental_care_visits", "ems_assignments", "maisa_contacts",
               "staff_recommend_share", "contracts"]


def key_figures(data: BookData, year: int):
    rows = {c.metric_id: c for c in comparisons(data, year)}
    picked = [rows[m] for m in KEY_FIGURES if m in rows]
    frame = pd.DataFrame({
        "Measure": [c.label for c in picked],
        str(year): [c.reads() for c in picked],
        f"Change from {year - 1}": [c.change() or "–" for c in picked],
        "Source": [_short_source(c.source_id, "") for c in picked],
    })
    return table(frame, f"Key figures, {year}")


def headline(data: BookData, year: int) -> str:
    rows = {c.metric_id: c for c in comparisons(data, year)}
    parts = []
    if "nps" in rows:
        nps = rows["nps"]
        target = rows.get("nps_target")
        against = f" against a target of {target.reads()}" if target else ""
        parts.append(f"In {year} clients gave the division's services a net promoter score of {nps.reads()}{against}"
                     f"{nps.change_clause(year)}.")
    if "staff_total" in rows:
        parts.append(f"At the end of the year {rows['staff_total'].reads()} people worked for the division.")
    if "residents" in rows:
        parts.append(f"Helsinki had {rows['residents'].reads()} residents.")
    return " ".join(parts)


def _series(data: BookData, metric_id: str) -> pd.DataFrame:
    best = data.best
    return best[best.metric_id == metric_id][["year", "value", "source_id"]]


def nps_chart(data: BookData):
    nps = _series(data, "nps").assign(Series="Net promoter score")
    target = _series(data, "nps_target").assign(Series="Target")
    frame = pd.concat([nps, target]).rename(columns={"year": "Year", "value": "Score"})
    frame = frame[["Series", "Year", "Score"]].reset_index(drop=True)
    first, last = nps.iloc[0], nps.iloc[-1]
    chart = charts.line(frame, x="Year", y="Score", color="Series", zero=False)
    alt = (f"Line chart: the net promoter score rose from {text.number(first.value)} in {first.year} to "
           f"{text.number(last.value)} in {last.year}")
    if not target.empty:
        alt += f"; the target for {target.iloc[-1].year} was {text.number(target.iloc[-1].value)}"
    sources = sorted({_short_source(s, "") for s in pd.concat([nps, target]).source_id})
    return charts.show(chart, chart_id="nps-trend", title="Net promoter score and target by year",
                       alt=alt + ".", source=", ".join(sources), data=frame)


def nps_sentence(data: BookData) -> str:
    nps = _series(data, "nps")
    if nps.empty:
        return "The sources give no net promoter scores."
    first, last = nps.iloc[0], nps.iloc[-1]
    sentence = (f"The net promoter score rose every year the sources report, from {text.number(first.value)} in "
                f"{first.year} to {text.number(last.value)} in {last.year}")
    target = _series(data, "nps_target")
    if not target.empty:
        t = target.iloc[-1]
        reached = "above" if last.value > t.value else ("on" if last.value == t.value else "below")
        sentence += f", {reached} the target of {text.number(t.value)} set for {t.year}"
    threshold = _series(data, "nps_excellent_threshold")
    if not threshold.empty:
        sentence += f". Both reviews call a score of {text.number(threshold.iloc[-1].value)} excellent"
    increasing = bool((nps.value.diff().dropna() > 0).all())
    return sentence + "." if increasing else sentence.replace("rose every year the sources report", "went") + "."


def department_trend(data: BookData):
    metrics = data.metrics
    parts = metrics[metrics.part_of == "staff_total"][["metric_id", "label_en"]]
    best = data.best.merge(parts, on="metric_id", suffixes=("", "_m"))
    frame = pd.DataFrame({"Department": best.label_en.str.split(": ", n=1).str[-1], "Year": best.year.astype(str),
                          "Staff": best.value})
    years = sorted(frame.Year.unique())
    chart = charts.grouped_bar(frame, x="Staff", y="Department", color="Year")
    largest = frame[frame.Year == years[-1]].sort_values("Staff").iloc[-1]
    return charts.show(chart, chart_id="staff-departments-trend", title="Staff by department and year",
                       alt=(f"Grouped bar chart of staff in five departments in {', '.join(years)}; "
                            f"{largest.Department} is the largest, with {text.number(largest.Staff)} in {years[-1]}."),
                       source="Annual reviews " + " and ".join(years), data=frame)


def growth_table(data: BookData, metric_ids: list[str], caption: str):
    best = data.best
    rows = []
    for metric_id in metric_ids:
        series = best[best.metric_id == metric_id].sort_values("year")
        if series.empty:
            continue
        label = data.metric(metric_id).label_en
        unit = data.metric(metric_id).unit
        row = {"Measure": label}
        for r in series.itertuples():
            row[str(r.year)] = text.value_with_unit(r.value, unit)
        rows.append(row)
    frame = pd.DataFrame(rows).fillna("–")
    return table(frame, caption)


ESERVICES = ["maisa_contacts", "maisa_video_appointments", "omaolo_assessments", "chat_contacts", "maisa_resident_share",
             "remote_home_care_share"]


def eservice_chart(data: BookData):
    """Percentage growth of e-service volumes between the years both reviews report."""
    years = sorted(set(data.best[data.best.metric_id.isin(ESERVICES)].year))
    if len(years) < 2:
        return None
    year = years[-1]
    rows = [c for c in comparisons(data, year) if c.metric_id in ESERVICES and c.comparable and c.unit == "count"]
    frame = pd.DataFrame({"E-service": [c.label for c in rows],
                          "Growth (%)": [round((c.value - c.previous) / c.previous * 100, 1) for c in rows],
                          str(year - 1): [c.previous for c in rows], str(year): [c.value for c in rows]})
    top = frame.sort_values("Growth (%)").iloc[-1]
    chart = charts.bar(frame, x="Growth (%)", y="E-service", number_format="+.1f")
    return charts.show(chart, chart_id="eservice-growth", title=f"Growth of e-services from {year - 1} to {year}",
                       alt=(f"Bar chart: all {len(frame)} e-service volumes grew from {year - 1} to {year}; "
                            f"{top['E-service'].lower()} grew most, by {text.number(top['Growth (%)'], 1)}%.")
                       if (frame["Growth (%)"] > 0).all() else
                       f"Bar chart of the change in {len(frame)} e-service volumes from {year - 1} to {year}.",
                       source=f"Annual reviews {year - 1} and {year}", data=frame)


PER_RESIDENT = ["health_station_nurse_visits", "health_station_doctor_visits", "dental_care_visits",
                "maternity_child_health_visits", "psychiatric_outpatient_visits", "home_care_visits",
                "ems_assignments", "adult_social_work_clients", "disability_services_clients"]


def per_thousand(data: BookData) -> pd.DataFrame:
    """Services per 1,000 residents, for the years that have both the service and the population."""
    best = data.best
    residents = best[best.metric_id == "residents"].set_index("year").value
    rows = []
    for metric_id in PER_RESIDENT:
        label = data.metric(metric_id).label_en
        for r in best[best.metric_id == metric_id].itertuples():
            if r.year in residents.index:
                rows.append({"Service": label, "Year": str(r.year), "Per 1,000 residents": round(r.value / residents[r.year] * 1000, 1)})
    return pd.DataFrame(rows)


def per_thousand_chart(data: BookData):
    frame = per_thousand(data)
    if frame.empty:
        return None
    years = sorted(frame.Year.unique())
    chart = charts.grouped_bar(frame, x="Per 1,000 residents", y="Service", color="Year", number_format=",.1f")
    top = frame[frame.Year == years[-1]].sort_values("Per 1,000 residents").iloc[-1]
    return charts.show(chart, chart_id="per-thousand", title="Services per 1,000 residents by year",
                       alt=(f"Grouped bar chart of {frame.Service.nunique()} services per 1,000 residents in "
                            f"{', '.join(years)}; {top.Service.lower()} is the most frequent, "
                            f"{text.number(top['Per 1,000 residents'], 1)} per 1,000 residents in {years[-1]}."),
                       source="Annual reviews; the population as each review states it", data=frame)


def programme_sentence(data: BookData) -> str:
    best = data.best
    achieved = best[best.metric_id == "transformation_achieved_eur"].sort_values("year")
    target = best[best.metric_id == "transformation_target_eur"].sort_values("year")
    if achieved.empty or target.empty:
        return "The sources give no progress figures for the transformation programme."
    a, t = achieved.iloc[-1], target.iloc[-1]
    share = a.value / t.value * 100
    sentence = (f"By the end of {a.year} the transformation programme had reached {text.euros(a.value)}, "
                f"{text.number(round(share))}% of its {text.euros(t.value)} target for {t.period.replace('-', '–')}.")
    later = target[target.year > a.year]
    if not later.empty and later.iloc[-1].note:
        sentence += f" For {later.iloc[-1].year}: {later.iloc[-1].note}"
    return sentence


def programme_chart(data: BookData):
    best = data.best
    achieved = best[best.metric_id == "transformation_achieved_eur"].sort_values("year")
    target = best[best.metric_id == "transformation_target_eur"].sort_values("year")
    if achieved.empty or target.empty:
        return None
    rows = [{"Measure": f"Achieved by end of {r.year}", "Million euros": r.value / 1e6} for r in achieved.itertuples()]
    rows.append({"Measure": f"Target for {target.iloc[-1].period.replace('-', '–')}", "Million euros": target.iloc[-1].value / 1e6})
    frame = pd.DataFrame(rows)
    chart = charts.bar(frame, x="Million euros", y="Measure", sort=None, number_format=",.0f")
    a = achieved.iloc[-1]
    return charts.show(chart, chart_id="programme-progress", title="Transformation programme: achieved and target",
                       alt=(f"Bar chart: {text.euros(a.value)} achieved by the end of {a.year} against a target of "
                            f"{text.euros(target.iloc[-1].value)}."),
                       source=", ".join(sorted({_short_source(s, '') for s in pd.concat([achieved, target]).source_id})),
                       data=frame)


# --- background -------------------------------------------------------------------------------

def _date(start: str, end: str) -> str:
    return _month(start) if start == end or not end else f"{_month(start)} – {_month(end)}"


def timeline(data: BookData):
    t = data.facts["timeline"].sort_values(["start", "end"], kind="stable")
    frame = pd.DataFrame({"When": [_date(r.start, r.end) for r in t.itertuples()], "What happened": t.event,
                          "Source": [_short_source(s, "") for s in t.source_id]})
    return table(frame, "Timeline of the division and its reform")


def spearheads(data: BookData):
    s = data.facts["spearheads"]
    return table(pd.DataFrame({"No.": s.number, "Spearhead": s.spearhead}), "The spearheads of the reform project")


def departments(data: BookData):
    d = data.facts["departments"]
    frame = pd.DataFrame({"Department": d.name_en, "In Swedish": d.name_sv, "Head": d["head_title"] + " " + d["head"],
                          "Units (in Swedish)": d.units_sv.str.replace("; ", ", ")})
    return table(frame, "Departments, their heads and units (2025)")


def operating_models(data: BookData):
    o = data.facts["operating_models"]
    frame = o.groupby("operating_model", sort=False).service.apply(lambda s: ", ".join(s)).reset_index()
    return table(frame.rename(columns={"operating_model": "Operating model", "service": "Services it brings together"}),
                 "The three operating models of health and social services")


def roles(data: BookData):
    r = data.facts["roles"]
    frame = pd.DataFrame({"Role": r.role, "Name": r.name,
                          "When": [(_date(a, b) if a else "") for a, b in zip(r.start, r.end)],
                          "Source": [_short_source(s, "") for s in r.source_id]})
    return table(frame, "People in key roles")


WORKFORCE = ["staff_total", "staff_women_share", "staff_men_share", "staff_mean_age", "staff_age_35_39_share",
             "staff_other_first_language_share", "staff_turnover_rate", "job_applications_increase",
             "recruited_abroad_nurses_qualified", "pay_programme_employees", "pay_programme_eur",
             "temporary_agency_spending_eur", "temporary_agency_spending_decrease_share",
             "temporary_agency_spending_decrease_eur", "staff_meaningful_work_share", "staff_recommend_share"]


def workforce(data: BookData):
    return growth_table(data, WORKFORCE, "The workforce by year")


def count_sentence(data: BookData, metric_id: str, template: str) -> str:
    series = _series(data, metric_id)
    if series.empty:
        return ""
    last = series.iloc[-1]
    return template.format(value=text.number(last.value), year=last.year)


# --- about the data --------------------------------------------------------------------------

def sources_table(data: BookData):
    s = data.sources
    counts = data.figures.groupby("source_id").size()
    frame = pd.DataFrame({"Source": s.title, "Language": s.language.map({"en": "English", "sv": "Swedish"}),
                          "Type": s.document_type, "Covers": s.covers,
                          "Figures": [int(counts.get(i, 0)) for i in s.source_id],
                          "Not transcribed, and why": s.not_transcribed})
    return table(frame, "The five sources")


def dataset_sentence(data: BookData) -> str:
    rec = data.reconciliation
    known = int((rec.result == "known discrepancy").sum())
    return (f"The clean dataset holds {text.number(len(data.figures))} figures of {text.number(len(data.metrics))} metrics "
            f"from {len(data.sources)} sources, for the years {', '.join(map(str, data.years))}. The reconciliation ran "
            f"{text.number(len(rec))} checks: {text.number(len(rec) - known)} pass and {known} are known discrepancies, "
            "each explained below.")


def dictionary_table(data: BookData):
    m = data.metrics
    frame = pd.DataFrame({"Metric id": m.metric_id, "English": m.label_en, "Finnish": m.label_fi, "Swedish": m.label_sv,
                          "Unit": m.unit, "What it counts": m.description})
    return table(frame, "The metric dictionary")


def breaks_table(data: BookData):
    m = data.metrics[data.metrics.series_break_year != ""]
    frame = pd.DataFrame({"Metric": m.label_en, "Not comparable from": m.series_break_year, "Why": m.series_break_note})
    return table(frame, "Series breaks")


def reconciliation_table(data: BookData, known: bool):
    rec = data.reconciliation
    rec = rec[(rec.result == "known discrepancy") == known]
    labels = data.metrics.set_index("metric_id").label_en
    frame = pd.DataFrame({"Check": rec.check.str.replace("_", " "), "Metric": [labels[m] for m in rec.metric_id],
                          "Year": rec.year, "Source": [_short_source(s, "") for s in rec.source_id],
                          "Printed": rec.printed, "Result": rec.result, "Explanation": rec.explanation})
    return table(frame, "Known discrepancies" if known else "Checks that pass")

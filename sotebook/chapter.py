"""What a year chapter says: tables, sentences and charts computed from the dataset.

The notebooks in notebooks/ call these functions and glue the results into their prose, so every
number a reader sees is computed here from data/clean/, never typed.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from . import charts, text
from .data import BookData
from .schema import CATEGORIES

# The sections of a year chapter, in order: key -> categories of metrics it reports.
SECTIONS = {
    "residents": ["residents"],
    "services": ["services"],
    "rescue": ["rescue"],
    "staff": ["staff"],
    "finances": ["finances"],
    "procurement": ["procurement"],
    "feedback": ["feedback"],
    "eservices": ["eservices"],
    "sustainability": ["sustainability"],
}
TOPICS = {
    "residents": "residents", "services": "services and client encounters", "rescue": "the Rescue Department",
    "staff": "staff", "finances": "finances or the transformation programme",
    "procurement": "procurement and purchases", "feedback": "client feedback",
    "eservices": "e-services", "sustainability": "sustainability",
}

# The lead sentences of each section. {value} is the figure as readers read it, {change} the
# comparison with the year before (or nothing), {period_end} the last year of the figure's period.
LEADS = {
    "residents": [("residents", "The division served {value} residents of Helsinki{change}.")],
    "services": [
        ("health_station_nurse_visits", "Nurses at health stations had {value} visits and other contacts{change}."),
        ("health_station_doctor_visits", "Doctors at health stations had {value}{change}."),
        ("home_care_visits", "Home care made {value} visits and other contacts{change}."),
        ("dental_care_visits", "Dental care had {value} visits{change}."),
    ],
    "rescue": [
        ("ems_assignments", "Emergency medical services went out on {value} assignments{change}."),
        ("fire_rescue_assignments", "Fire and rescue crews had {value} assignments{change}."),
    ],
    "staff": [
        ("staff_total", "The division employed {value} people at the end of the year{change}."),
        ("staff_recommend_share", "In the employee survey, {value} of staff would recommend the division as an employer{change}."),
    ],
    "finances": [
        ("transformation_achieved_eur", "The transformation programme had adjusted the division's finances by {value} since it began{change}."),
        ("transformation_target_eur", "The programme's target is an adjustment of {value} by the end of {period_end}."),
        ("state_funding_adjustment_eur", "A retrospective adjustment of state funding brought {value}."),
        ("sustainable_growth_funding_eur", "Helsinki's sustainable growth project had {value} of Sustainable Growth Programme funding {period_text}."),
    ],
    "procurement": [
        ("purchases_total_eur", "Purchases came to {value}{change}."),
        ("contracts", "The division had {value} contracts in force{change}."),
        ("contract_value_eur", "Together they were worth {value}{change}."),
    ],
    "feedback": [
        ("nps", "Clients gave the services a net promoter score of {value}{change}."),
        ("nps_target", "The division's target for the year was {value}."),
        ("experts_by_experience", "The division worked with {value} experts by experience{change}."),
    ],
    "eservices": [
        ("maisa_contacts", "The Maisa client portal handled {value} client contacts{change}."),
        ("omaolo_assessments", "Residents made {value} symptom assessments in Omaolo{change}."),
        ("maisa_video_appointments", "Maisa hosted {value} video appointments{change}."),
    ],
    "sustainability": [
        ("electric_cars_share", "Electric cars made up {value} of the division's cars{change}."),
        ("solar_energy_mwh", "Solar panels on rescue stations produced {value}{change}."),
    ],
}

QUALIFIER_WORDS = {"over": "more than ", "under": "just under ", "about": "about "}


def _source_titles(data: BookData) -> dict[str, str]:
    return {row.source_id: _short_source(row.source_id, row.title) for row in data.sources.itertuples()}


def _short_source(source_id: str, title: str) -> str:
    if source_id.startswith("annual_review_"):
        return f"Annual review {source_id.rsplit('_', 1)[1]}"
    return {"news_2024": "News article, 2024", "reform_page": "Reform web page", "join_us_page": "Recruitment web page"}.get(source_id, title)


@dataclass
class Comparison:
    metric_id: str
    label: str
    unit: str
    value: float
    qualifier: str
    source_id: str
    section: str
    period: str
    previous: float | None
    previous_qualifier: str
    comparable: bool
    break_note: str

    def reads(self) -> str:
        return QUALIFIER_WORDS.get(self.qualifier, "") + text.value_with_unit(self.value, self.unit)

    def change(self) -> str:
        """'+22.1%', '+5 percentage points', '' (nothing to compare), 'not comparable'."""
        if self.previous is None:
            return ""
        if not self.comparable:
            return "not comparable"
        if self.unit == "percent":
            return f"{text.signed(self.value - self.previous)} percentage points"
        if self.unit == "nps":
            return f"{text.signed(self.value - self.previous)} points"
        if self.previous == 0:
            return ""
        return text.signed(round((self.value - self.previous) / self.previous * 100, 1), 1) + "%"

    def change_clause(self, year: int) -> str:
        if self.previous is None:
            return ""
        if not self.comparable:
            return f" (not comparable with {year - 1}: the series changed)"
        was = text.value_with_unit(self.previous, self.unit)
        if self.value == self.previous:
            return f", the same as in {year - 1}"
        direction = "up" if self.value > self.previous else "down"
        amount = self.change().lstrip("+−")
        return f", {direction} {amount} from {was} in {year - 1}"


def comparisons(data: BookData, year: int) -> list[Comparison]:
    """Every metric with a figure for `year`, beside its figure for the year before where one exists."""
    best = data.best
    this = best[best.year == year]
    last = best[best.year == year - 1].set_index("metric_id")
    metrics = data.metrics.set_index("metric_id")
    rows = []
    for row in this.itertuples():
        spec = metrics.loc[row.metric_id]
        previous = last.loc[row.metric_id] if row.metric_id in last.index else None
        broke = spec.series_break_year == str(year)
        qualified = bool(row.qualifier) or (previous is not None and bool(previous.qualifier))
        rows.append(Comparison(
            row.metric_id, spec.label_en, spec.unit, row.value, row.qualifier, row.source_id, row.section, row.period,
            None if previous is None else float(previous.value),
            "" if previous is None else previous.qualifier,
            comparable=previous is not None and not broke and not qualified,
            break_note=spec.series_break_note if broke and previous is not None else "",
        ))
    order = {m: i for i, m in enumerate(data.metrics.metric_id)}
    return sorted(rows, key=lambda c: order[c.metric_id])


def section_rows(data: BookData, year: int, section: str) -> list[Comparison]:
    categories = SECTIONS[section]
    category = data.metrics.set_index("metric_id").category
    return [c for c in comparisons(data, year) if category[c.metric_id] in categories]


def summary(data: BookData, year: int, section: str) -> str:
    """The lead sentences of a section, or one line saying the sources give no figures."""
    rows = {c.metric_id: c for c in section_rows(data, year, section)}
    if not rows:
        return f"The sources give no figures on {TOPICS[section]} for {year}."
    sentences = []
    for metric_id, template in LEADS[section]:
        c = rows.get(metric_id)
        if c is None:
            continue
        value = c.reads()
        sentences.append(template.format(value=value, change=c.change_clause(year),
                                         period_end=_period_years(c.period)[-1], period_text=_period_text(c.period)))
    shown = sum(1 for m, _ in LEADS[section] if m in rows)
    if len(rows) > shown:
        sentences.append(f"The table below lists all {len(rows)} figure{'s' if len(rows) != 1 else ''} for {year}.")
    return " ".join(sentences)


def _period_years(period: str) -> list[str]:
    """'2023-2026' -> ['2023', '2026']; '2025-09/2025-12' -> ['2025', '2025']; '2024-12-31' -> ['2024']."""
    if "/" in period:
        return [p[:4] for p in period.split("/")]
    parts = period.split("-")
    if len(parts) == 2 and all(len(p) == 4 for p in parts):
        return parts
    return [period[:4]]


def _period_text(period: str) -> str:
    years = _period_years(period)
    return f"for {years[0]}–{years[-1]}" if years[0] != years[-1] else f"in {years[0]}"


def break_notes(data: BookData, year: int, section: str) -> str:
    notes = [f"{c.label}: {c.break_note}" for c in section_rows(data, year, section) if c.break_note]
    if not notes:
        return ""
    return "Not comparable with the year before. " + " ".join(notes)


class HTMLBlock:
    """Escaped, deterministic HTML for a notebook output."""

    def __init__(self, markup: str):
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"HTMLBlock({len(self.markup)} characters)"


def table(frame: pd.DataFrame, caption: str) -> HTMLBlock:
    """A readable table: escaped cells, a caption, horizontal scrolling on a phone."""
    return HTMLBlock(
        f'<div class="sotebook-table" role="region" aria-label="{html.escape(caption)}" tabindex="0" style="overflow-x: auto;">\n'
        f"{charts.data_table_html(frame, caption)}\n</div>")


def section_table(data: BookData, year: int, section: str) -> HTMLBlock | None:
    rows = section_rows(data, year, section)
    if not rows:
        return None
    sources = _source_titles(data)
    frame = pd.DataFrame({
        "Measure": [c.label for c in rows],
        str(year - 1): ["" if c.previous is None else (QUALIFIER_WORDS.get(c.previous_qualifier, "") + text.value_with_unit(c.previous, c.unit)) for c in rows],
        str(year): [c.reads() for c in rows],
        "Change": [c.change() for c in rows],
        "Source": [f"{sources[c.source_id]}: {c.section}" for c in rows],
    })
    if frame[str(year - 1)].eq("").all():
        frame = frame.drop(columns=[str(year - 1), "Change"])
    return table(frame, f"{CATEGORIES[SECTIONS[section][0]]}, {year}")


VISIT_METRICS = ["health_station_nurse_visits", "health_station_doctor_visits", "dental_care_visits",
                 "maternity_child_health_visits", "maternity_child_health_remote_contacts", "school_health_visits",
                 "student_health_visits", "psychiatric_outpatient_visits", "substance_abuse_outpatient_visits",
                 "home_care_visits"]


def visits_chart(data: BookData, year: int):
    """Bar chart of visits and contacts by service, or None when the year has none."""
    rows = [c for c in comparisons(data, year) if c.metric_id in VISIT_METRICS]
    if not rows:
        return None
    frame = pd.DataFrame({"Service": [c.label for c in rows], "Visits and contacts": [c.value for c in rows]})
    top = max(rows, key=lambda c: c.value)
    chart = charts.bar(frame, x="Visits and contacts", y="Service")
    sources = sorted({_short_source(c.source_id, "") for c in rows})
    return charts.show(
        chart, chart_id=f"visits-{year}", title=f"Visits and other contacts by service, {year}",
        alt=(f"Horizontal bar chart of {len(rows)} services in {year}; {top.label.lower()} had the most, "
             f"{text.number(top.value)}."),
        source=", ".join(sources), data=frame)


def change_chart(data: BookData, year: int):
    """Bar chart of the percentage change of comparable service counts, or None."""
    rows = [c for c in section_rows(data, year, "services") + section_rows(data, year, "rescue")
            if c.comparable and c.unit == "count" and c.previous]
    if not rows:
        return None
    frame = pd.DataFrame({"Service": [c.label for c in rows],
                          "Change (%)": [round((c.value - c.previous) / c.previous * 100, 1) for c in rows],
                          str(year - 1): [c.previous for c in rows], str(year): [c.value for c in rows]})
    rises = int((frame["Change (%)"] > 0).sum())
    biggest = frame.loc[frame["Change (%)"].abs().idxmax()]
    chart = charts.bar(frame, x="Change (%)", y="Service", number_format="+.1f")
    return charts.show(
        chart, chart_id=f"change-{year}", title=f"Change from {year - 1} to {year}, by service",
        alt=(f"Bar chart: {rises} of {len(frame)} comparable services grew from {year - 1} to {year}; "
             f"the largest change was {text.signed(biggest['Change (%)'], 1)}% in {biggest['Service'].lower()}."),
        source=f"Annual reviews {year - 1} and {year}", data=frame)


def parts_chart(data: BookData, year: int, total_metric: str, chart_id: str, title: str, category_title: str):
    """Bar chart of the parts of a total (staff by department, purchases by supplier), or None."""
    metrics = data.metrics
    parts = metrics[metrics.part_of == total_metric].metric_id.tolist()
    rows = [c for c in comparisons(data, year) if c.metric_id in parts]
    if len(rows) < 2:
        return None
    unit = rows[0].unit
    divisor = 1e6 if unit == "eur" else 1
    value_title = "Million euros" if unit == "eur" else "People"
    frame = pd.DataFrame({category_title: [c.label.split(": ", 1)[-1] for c in rows],
                          value_title: [c.value / divisor for c in rows]})
    top = max(rows, key=lambda c: c.value)
    chart = charts.bar(frame, x=value_title, y=category_title, number_format=",.1f" if unit == "eur" else ",.0f")
    return charts.show(
        chart, chart_id=chart_id, title=title,
        alt=(f"Bar chart of {len(rows)} parts; the largest is {top.label.split(': ', 1)[-1]} with "
             f"{text.value_with_unit(top.value, unit)}."),
        source=", ".join(sorted({_short_source(c.source_id, '') for c in rows})), data=frame)


def highlights(data: BookData, year: int, kind: str) -> HTMLBlock | None:
    rows = data.facts["highlights"]
    rows = rows[(rows.year == str(year)) & (rows.kind == kind)].sort_values("rank", key=lambda s: s.astype(int))
    if rows.empty:
        return None
    items = "\n".join(f"<li>{html.escape(h)}</li>" for h in rows.highlight)
    tag = "ol" if kind == "top_success" else "ul"
    return HTMLBlock(f'<{tag} class="sotebook-highlights">\n{items}\n</{tag}>')


KIND_TITLES = {
    "new_service": "New services and openings",
    "top_success": "The ten successes in client services the review names",
    "service_change": "Changes in services",
    "technology": "Technology",
    "development": "Development work",
}


def whats_new(data: BookData, year: int) -> HTMLBlock:
    """The year's highlights by kind and its dated events, or one line saying there are none."""
    rows = data.facts["highlights"]
    rows = rows[rows.year == str(year)]
    events = data.facts["timeline"]
    events = events[events.start.str.startswith(str(year))].sort_values("start", kind="stable")
    parts = []
    for kind, title in KIND_TITLES.items():
        block = highlights(data, year, kind)
        if block is not None:
            parts.append(f'<p class="sotebook-highlights__title"><strong>{html.escape(title)}</strong></p>\n{block.markup}')
    if not events.empty:
        items = "\n".join(f"<li>{html.escape(_month(e.start))}: {html.escape(e.event)}</li>" for e in events.itertuples())
        parts.append(f'<p class="sotebook-highlights__title"><strong>Dated events</strong></p>\n<ul>\n{items}\n</ul>')
    if not parts:
        return HTMLBlock(f"<p>The sources list no new services or events for {year}.</p>")
    return HTMLBlock("\n".join(parts))


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _month(date: str) -> str:
    """'2025-02-01' -> '1 February 2025'; '2025-03' -> 'March 2025'; '2025' -> '2025'."""
    parts = date.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    return f"{int(parts[2])} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"


def discrepancy_notes(data: BookData, year: int, section: str) -> str:
    """Known discrepancies among this section's figures for the year, in one or two sentences."""
    category = data.metrics.set_index("metric_id").category
    rec = data.reconciliation
    rows = rec[(rec.result == "known discrepancy") & (rec.year == str(year))]
    rows = rows[[category[m] in SECTIONS[section] for m in rows.metric_id]]
    if rows.empty:
        return ""
    labels = data.metrics.set_index("metric_id").label_en
    return " ".join(f"Known discrepancy in {labels[r.metric_id].lower()}: {r.explanation}" for r in rows.itertuples())

"""What a year chapter says: its story, section openings, tables and charts, computed from the dataset.

Every number comes from data/clean/ and every word from words/<lang>/; which metrics lead a section,
head its table or tell the year's story, and the sections themselves, come from the plan
(notebooks/year.plan.yml, read by sotebook/pages/plan.py).
"""
from __future__ import annotations

import html
import json
import re

import pandas as pd

from sotebook.data.dataset import BookData
from sotebook.pages import charts, collation, explanation_words, plan, story as written, text
from sotebook.pages import notes as note_text
from sotebook.pages.figures import (Comparison, Figure, cited_section, cited_sources, comparisons, discrepancies, figure_text,
                                    in_sentence, label, planned, short_source, span_text)
from sotebook.pages.markup import HTMLBlock, Raw, prose, table
from sotebook.pages.notes import Notes
from sotebook.pages.plan import HEADLINE_ROWS
from sotebook.pages.series import joined
from sotebook.pages.words import Words


THIN_SECTIONS = 3  # a year with figures in fewer sections than this gets a short page


# --- a year's figures by section -------------------------------------------------------------------

def section_rows(words: Words, data: BookData, year: int, section: str) -> list[Comparison]:
    return [c for c in comparisons(words, data, year) if c.metric.category == section]


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
    """'Annual review 2025, “Finances in balance” (in Swedish “Ekonomin i balans”)': the section in the
    edition's language, the original beside it (figures.cited_section)."""
    return cited_section(words, row.source_id, row.section)


def _paragraph_sources(words: Words, data: BookData, year: int, metric_ids: list[str]) -> str:
    """The sources of a story paragraph's reasons, cited once at its end."""
    rows = explanations(data, year)
    cited = list(dict.fromkeys(_cite(words, r) for r in rows[rows.metric_id.isin(metric_ids)].itertuples()))
    if not cited:
        return ""
    key = "source.cited_once" if len(cited) == 1 else "source.cited_many"
    return words.say(key, sources=words.say("source.list_join").join(cited))


def unexplained(words: Words, data: BookData, c: Comparison) -> bool:
    """A large change in a comparable count that no source explains (story.unexplained)."""
    return written.unexplained(data, c)


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


# --- the chapter's opening: main points and story, as written or generated ----------------------------

def page_notes(words: Words, year: int) -> Notes:
    """The notes of a year chapter, numbered straight through the page."""
    return Notes(words, f"y{year}")


def opening(words: Words, data: BookData, year: int, notes: Notes) -> HTMLBlock:
    """The main points and the story the editor wrote (stories/<year>.<lang>.md), every number opening its
    note, the notes listed under them; a year with no story file gets the generated brief (`story`)."""
    found = written.blocks(year, words.language())
    if not found:
        return prose(story(words, data, year))
    teller = written.Teller(words, data, year, notes, written.path(year, words.language()))
    parts = []
    if ("main-points", "") in found:
        title = html.escape(words.say("page.year.main_points"))
        parts.append(f'<section class="sotebook-main-points" aria-labelledby="main-points-{year}">'
                     f'<h3 id="main-points-{year}">{title}</h3>\n{teller.render(found["main-points", ""])}</section>')
    if ("story", "") in found:
        parts.append(teller.render(found["story", ""]))
    parts.append(notes.listing())
    return HTMLBlock("\n".join(p for p in parts if p))


def _figure_button(words: Words, data: BookData, notes: Notes, c: Comparison, shown: str, figure=None) -> str:
    figure = figure or c.now
    body = note_text.figure_note(words, c, figure, written.inputs(data, figure), written.reasons(words, data, c) if figure is c.now else [],
                                 discrepancies(words, data, c.metric_id, figure.year))
    return notes.add(html.escape(shown), body)


def _change_button(words: Words, data: BookData, notes: Notes, c: Comparison, shown: str) -> str:
    body = note_text.change_note(words, c, written.inputs(data, c.then), written.unexplained(data, c), written.reasons(words, data, c))
    return notes.add(html.escape(shown), body)


_TOKEN = re.compile("\ue020(\\d)\ue021")


def lead_html(words: Words, data: BookData, notes: Notes, c: Comparison) -> str:
    """A generated lead sentence as HTML, its figure and its change each opening their note."""
    amount = c.shown.amount(words) if c.shown is not None and c.shown.kind not in ("same", "either") else None
    sentence = words.say(f"lead.{c.metric_id}", value="\ue0200\ue021", when=c.when(),
                         change=c.change_clause(amount="\ue0201\ue021" if amount else None))
    buttons = [lambda: _figure_button(words, data, notes, c, c.number()), lambda: _change_button(words, data, notes, c, amount)]
    return _TOKEN.sub(lambda m: buttons[int(m.group(1))](), html.escape(sentence))


def section_opening(words: Words, data: BookData, year: int, section: str, notes: Notes) -> HTMLBlock:
    """The opening of a section: the editor's (a `::: section <id>` block of the story file); none in a year
    whose story is written (it has told the figures), else the lead sentences of the plan's metrics; one
    line where the sources give no figures."""
    found = written.blocks(year, words.language())
    if ("section", section) in found:
        teller = written.Teller(words, data, year, notes, written.path(year, words.language()))
        return HTMLBlock(teller.render(found["section", section]))
    if found:  # a written story tells the year: the section's table follows without generated sentences
        return HTMLBlock("")
    rows = section_rows(words, data, year, section)
    if not rows:
        return HTMLBlock(f'<p class="sotebook-prose">{html.escape(words.say("section.none", year=year))}</p>')
    sentences = [lead_html(words, data, notes, c) for c in planned(rows, plan.year().section(section).lead)]
    return HTMLBlock(f'<p class="sotebook-prose">{" ".join(sentences)}</p>' if sentences else "")


# --- a section: its opening, table and notes ---------------------------------------------------------

def headline_rows(rows: list[Comparison], section: str) -> list[Comparison]:
    """The rows that carry the section: the plan's headline order, at most HEADLINE_ROWS."""
    picked = planned(rows, plan.year().section(section).headline) or rows
    return picked[:HEADLINE_ROWS]


def _why_not(words: Words, c: Comparison) -> str:
    """Why two years cannot be compared: the dictionary's note on a series break, else the reason's words."""
    note = c.metric.get(words.column("series_break_note"), "") if c.verdict.reason == "series_break" else ""
    return note.rstrip(".") if note else words.say(f"reason.{c.verdict.reason}")


def _discrepancies(words: Words, data: BookData, year: int, rows: list[Comparison]) -> list[str]:
    ids = {c.metric_id: c for c in rows}
    rec = data.reconciliation
    rec = rec[(rec.result == "known discrepancy") & (rec.year == str(year)) & rec.metric_id.isin(ids)]
    return [words.say("section.discrepancy", label=in_sentence(ids[m].label), explanation=e)
            for m in dict.fromkeys(rec.metric_id) for e in discrepancies(words, data, m, year)]


def _comparison_frame(words: Words, rows: list[Comparison], year: int, data: BookData | None = None,
                      notes: Notes | None = None) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The rows as a table: the year before, the year, the change; with `notes`, each number opens its note."""
    previous = str(year - 1)

    def then(c):
        if not c.shows_change:
            return ""
        return Raw(_figure_button(words, data, notes, c, c.cell(c.then), c.then)) if notes else c.cell(c.then)

    def now(c):
        return Raw(_figure_button(words, data, notes, c, c.cell())) if notes else c.cell()

    def change(c):
        shown = c.change()
        if notes and c.shown is not None:
            return Raw(_change_button(words, data, notes, c, shown))
        if notes and c.shows_change and not c.verdict.comparable:  # 'not comparable' opens why
            why = words.say("section.note_item", label=c.label, why=_why_not(words, c))
            return Raw(notes.add(html.escape(shown), f'<span class="sotebook-note__what">{html.escape(why)}</span>'))
        return shown
    frame = pd.DataFrame({
        words.say("table.measure"): [c.label for c in rows],
        previous: [then(c) for c in rows],
        str(year): [now(c) for c in rows],
        words.say("table.change"): [change(c) for c in rows],
    }, dtype=object)
    if frame[previous].eq("").all():
        frame = frame.drop(columns=[previous, words.say("table.change")])
    numeric = tuple(c for c in frame.columns if c != words.say("table.measure"))
    return frame, numeric


def section_table(words: Words, data: BookData, year: int, section: str, notes: Notes | None = None) -> HTMLBlock | None:
    """The headline table (each number opening its note, given the page's `notes`), the sources cited once,
    and every figure in a collapsed block below."""
    rows = section_rows(words, data, year, section)
    if not rows:
        return None
    name = words.say(f"page.year.h_{section}")
    top = headline_rows(rows, section)
    frame, numeric = _comparison_frame(words, top, year, data, notes)
    parts = [table(words, frame, words.say("table.caption", section=name, year=year), numeric).markup, cited_sources(words, rows)]
    if len(rows) > len(top):
        full, numeric = _comparison_frame(words, rows, year)
        summary_text = words.say("table.show_all", count=text.number(words, len(rows)), section_lower=name.lower(), year=year)
        parts.append(f'<details class="sotebook-all">\n<summary>{html.escape(summary_text)}</summary>\n'
                     f'{table(words, full, words.say("table.caption_all", section=name, year=year), numeric).markup}\n</details>')
    return HTMLBlock("\n".join(parts))


def section_notes(words: Words, data: BookData, year: int, section: str, notes: Notes) -> HTMLBlock:
    """Under a section: the numbered notes of its numbers, then what cannot be compared with the year before
    and known discrepancies between sources."""
    rows = section_rows(words, data, year, section)
    metrics = data.metrics.set_index("metric_id")
    reasons = explanations(data, year)
    reasons = reasons[reasons.year == str(year)]
    # The reasons the sources give for the section's figures that no note on the page has given yet (those
    # of figures only in the full list): each with its figure's name, and its source as a note of its own.
    untold = []
    for row in reasons.itertuples():
        if metrics.loc[row.metric_id].category != section:
            continue
        statement = words.say(explanation_words.key(row.explanation_id))
        if notes.told(statement):
            continue
        mark = notes.add(html.escape(words.say("note.reason_mark")),
                         note_text.reason_note(words, row.source_id, row.section, statement), mark=True)
        name = label(words, metrics.loc[row.metric_id].rename(row.metric_id))
        untold.append(html.escape(words.say("section.note_item", label=name, why=statement.rstrip("."))) + mark)
    general = untold
    not_comparable = [words.say("section.note_item", label=c.label, why=_why_not(words, c)) for c in rows
                      if c.shows_change and not c.verdict.comparable]
    if not_comparable:
        general.append(html.escape(words.say("section.note_not_comparable", previous=year - 1, notes=" ".join(not_comparable))))
    general += [html.escape(d) for d in _discrepancies(words, data, year, rows)]
    return HTMLBlock(notes.listing(general))


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
        source=words.say("source.list_join").join(collation.sorted_in(words.language(), {short_source(words, c.now.source_id) for c in rows})), data=frame)


def change_rows(words: Words, data: BookData, year: int) -> list[Comparison]:
    """The services of the plan's visits chart (one measure: visits and other contacts) whose change from the
    year before is known to its precision (Shown.charted)."""
    return [c for c in planned(comparisons(words, data, year), plan.year().visits_chart)
            if c.percent_change is not None and c.shown is not None and c.shown.charted]


def change_chart(words: Words, data: BookData, year: int):
    """The percentage change in visits and other contacts of the services the plan charts, coloured by
    direction: one measure, so the bars answer one question."""
    rows = change_rows(words, data, year)
    if not rows:
        return None
    service, axis, way = words.say("chart.service"), words.say("chart.change_axis"), words.say("chart.direction_title")
    # The change as the table and the text give it, to the same precision (Comparison.shown)
    frame = pd.DataFrame({service: [c.label for c in rows], axis: [c.shown.value for c in rows],
                          way: [charts.direction(words, c.percent_change) for c in rows],
                          str(year - 1): [c.then.value for c in rows], str(year): [c.now.value for c in rows]})
    biggest = max(rows, key=lambda c: abs(c.percent_change))
    chart = charts.change_bar(words, frame, x=axis, y=service, direction=way)
    return charts.show(words, 
        chart, chart_id=f"change-{year}",
        title=words.say("chart.change_title", previous=year - 1, year=year),
        alt=words.say("chart.change_alt", rises=sum(c.percent_change > 0 for c in rows), count=len(rows), previous=year - 1,
                      year=year, change=biggest.change(), top=in_sentence(biggest.label)),
        source=words.say("source.list_join").join(collation.sorted_in(words.language(), {short_source(words, s) for c in rows for s in (c.then.source_id, c.now.source_id)})),
        data=frame, table=frame.assign(**{axis: [text.number(words, c.shown.value, c.shown.decimals) for c in rows]}))


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
        source=words.say("source.list_join").join(collation.sorted_in(words.language(), {short_source(words, c.now.source_id) for c in rows})), data=frame)


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


# --- charts for the story's questions ---------------------------------------------------------------
# Each answers one question a year's story asks, from the figures of the chapter's year and the years
# before it that measure the same thing; a year the dataset has no figure for is left out, never drawn as
# zero; a target is a line across the bar of the figure it is set for. None where the chapter's year has
# no figure to chart, so a chapter never shows an empty chart.

def _history(words: Words, history: BookData, metric_id: str, year: int) -> list:
    """The metric's figures (figures.Figure) for `year` and the years before it, oldest first."""
    best = history.best
    rows = best[(best.metric_id == metric_id) & (best.year <= year)].sort_values("year")
    return [Figure.of(r) for r in rows.itertuples()]


def _sources(words: Words, figures: list) -> str:
    return words.say("source.list_join").join(
        collation.sorted_in(words.language(), {short_source(words, f.source_id) for f in figures}))


def nps_chart(words: Words, history: BookData, year: int):
    """Client satisfaction (the net promoter score) by year up to the chapter's, each year's target marked
    on its bar; None unless the chapter's year has a score and there is a second year or a target to set
    it against."""
    say = words.say
    scores = [f for f in _history(words, history, "nps", year) if not f.derivation]
    targets = {f.year: f for f in _history(words, history, "nps_target", year)}
    if not scores or scores[-1].year != year or (len(scores) < 2 and year not in targets):
        return None
    unit = history.metric("nps").unit
    when, score, target, kind = (say(f"question_chart.{k}") for k in ("year", "score", "target", "kind"))
    marked = [f for f in scores if f.year in targets]
    frame = pd.DataFrame({
        when: [str(f.year) for f in scores],
        score: [f.value for f in scores],
        target: [targets[f.year].value if f.year in targets else None for f in scores],
    })
    shown = [figure_text(words, f, unit) for f in scores]
    first, last = scores[0].year, scores[-1].year
    listed = joined(words, [say("question_chart.in_year", value=v, year=f.year) for v, f in zip(shown, scores)])
    if marked:
        title = say("question_chart.nps_title_target", first=first, last=last)
        t = targets[marked[-1].year]
        alt = say("question_chart.nps_alt_target", scores=listed, target=figure_text(words, t, unit), target_year=t.year)
    else:
        title = say("question_chart.nps_title", first=first, last=last)
        alt = say("question_chart.nps_alt", scores=listed)
    drawn = frame.assign(**{kind: score, "_label": shown})
    chart = charts.against_target(words, drawn, x=score, y=when, kind=kind, label="_label", target=target,
                                  target_kind=target, domain_max=100)
    table_frame = frame.assign(**{score: shown, target: [figure_text(words, targets[f.year], unit) if f.year in targets
                                                         else say("number.missing") for f in scores]})
    return charts.show(words, chart, chart_id=f"nps-{year}", title=title, alt=alt,
                       source=_sources(words, scores + [targets[f.year] for f in marked]),
                       data=frame if marked else frame.drop(columns=[target]),
                       table=table_frame if marked else table_frame.drop(columns=[target]))


def programme_chart(words: Words, history: BookData, year: int):
    """The transformation programme's savings so far against its target, as the chapter's year prints them;
    None where the year prints no amount saved (or no target)."""
    say = words.say
    achieved = [f for f in _history(words, history, "transformation_achieved_eur", year) if not f.derivation]
    targets = [f for f in _history(words, history, "transformation_target_eur", year) if f.year == year]
    if not achieved or achieved[-1].year != year or not targets:
        return None
    t = targets[0]
    period, amount, target, kind = (say(f"question_chart.{k}") for k in ("period", "million_euros", "target", "saved"))
    target_kind = say("question_chart.target_for", period=span_of(t.period))
    rows = [f for f in achieved if f.year == year]
    frame = pd.DataFrame({period: [span_of(f.period) for f in rows], amount: [f.value / 1e6 for f in rows],
                          target_kind: [t.value / 1e6] * len(rows)})
    shown = [figure_text(words, f, "eur") for f in rows]
    drawn = frame.assign(**{kind: kind, "_label": shown, "_short": [text.number(words, f.value / 1e6) for f in rows]})
    chart = charts.against_target(words, drawn, x=amount, y=period, kind=kind, label="_label", target=target_kind,
                                  target_kind=target_kind, x_title=amount, short_label="_short")
    a = rows[-1]
    alt = say("question_chart.programme_alt", achieved=shown[-1], period=span_of(a.period), target=figure_text(words, t, "eur"),
              target_period=span_of(t.period), share=text.percent(words, round(a.value / t.value * 100)))
    table_frame = frame.assign(**{amount: shown, target_kind: [figure_text(words, t, "eur")] * len(rows)}).rename(columns={amount: kind})
    return charts.show(words, chart, chart_id=f"programme-{year}", title=say("question_chart.programme_title", year=year),
                       alt=alt, source=_sources(words, rows + [t]), data=frame, table=table_frame)


def span_of(period: str) -> str:
    """'2023-2024' -> '2023–2024'; a single year stays as it is."""
    return period.replace("-", "–")


def agency_chart(words: Words, data: BookData, year: int):
    """Spending on temporary agency workers, the year before and the year, where the two can be compared; a
    figure worked back from a stated change in a colour of its own. None where the year has no such pair."""
    say = words.say
    c = next((c for c in comparisons(words, data, year) if c.metric_id == "temporary_agency_spending_eur"), None)
    if c is None or c.now.derivation or c.shown is None:
        return None
    pair = [c.then, c.now]
    when, amount, kind = say("question_chart.year"), say("question_chart.million_euros"), say("question_chart.kind")
    printed, derived = say("question_chart.printed"), say("question_chart.derived")
    # A derived figure is drawn at the value the text gives it (two significant digits), not more precisely.
    values = [_shown_value(f) / 1e6 for f in pair]
    frame = pd.DataFrame({when: [str(f.year) for f in pair], amount: values,
                          kind: [derived if f.derivation else printed for f in pair]})
    shown = [c.number(f) for f in pair]
    chart = charts.against_target(words, frame.assign(_label=shown), x=amount, y=when, kind=kind, label="_label",
                                  x_title=amount, kinds=[printed, derived])
    alt = say("question_chart.agency_alt", previous=c.then.year, then=shown[0], year=year, now=shown[1],
              change=c.change_words())
    if c.then.derivation:
        alt += " " + say("question_chart.agency_alt_derived", previous=c.then.year)
    table_frame = frame.assign(**{amount: [c.cell(f) for f in pair]}).rename(columns={amount: say("question_chart.spending")})
    return charts.show(words, chart, chart_id=f"agency-{year}",
                       title=say("question_chart.agency_title", previous=c.then.year, year=year), alt=alt,
                       source=_sources(words, pair), data=frame, table=table_frame)


def _shown_value(figure) -> float:
    """A figure as the text gives it: a derived one to two significant digits (figures.figure_text)."""
    return float(f"{figure.value:.2g}") if figure.derivation else figure.value

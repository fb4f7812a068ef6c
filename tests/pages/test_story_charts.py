"""The charts of the story's questions in a year chapter (issue 19): client satisfaction against its target,
the savings programme against its target, spending on temporary agency workers. Each is drawn from the
chapter's year and the years before it; a target is a line across its bar, not a bar; a year without the
figure is absent, not zero, and a chapter whose year lacks the figures gets no chart at all; the chart's
numbers are the text's and the table's."""
import base64
import dataclasses
import html
import re

import pandas as pd

import pytest

from sotebook.data.dataset import load, load_plain
from sotebook.pages import charts, figures, plan, story, text
from sotebook.pages import year_chapter as chapter
from sotebook.pages.words import edition

LANGS = ["en", "fi", "sv"]


@pytest.fixture(scope="module")
def history():
    return load_plain()


def without(data, keep):
    """A copy of the dataset whose figures are those `keep(figures)` selects."""
    return dataclasses.replace(data, figures=data.figures[keep(data.figures)].reset_index(drop=True))


def has(data, metric_id, year):
    best = data.best
    return bool(((best.metric_id == metric_id) & (best.year == year)).any())


def table_cells(figure) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", figure.html)]


def svg_texts(figure) -> list[str]:
    """The words drawn in the chart's narrowest drawing (a phone's)."""
    uri = re.search(r'<img[^>]* src="data:image/svg\+xml;base64,([^"]+)"', figure.html).group(1)
    svg = base64.b64decode(uri).decode("utf-8")
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def test_the_plan_places_each_chart_in_the_section_that_tells_it():
    year_plan = plan.year()
    assert year_plan.section("feedback").charts[0] == "nps"
    assert year_plan.section("finances").charts == ["programme"]
    assert year_plan.section("staff").charts[0] == "agency"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_a_chapter_with_a_story_has_the_nps_against_target_chart_when_its_year_has_both(history, year, lang):
    if not story.blocks(year, lang):
        pytest.skip(f"no story for {year} in {lang}")
    words = edition(lang)
    figure = chapter.nps_chart(words, history, year)
    if has(history, "nps", year) and has(history, "nps_target", year):
        assert figure is not None, f"{year} has a score and a target: its chapter must set one against the other"
        first = int(history.best[history.best.metric_id == "nps"].year.min())
        assert figure.title == words.say("question_chart.nps_title_target", first=first, last=year)
        target = history.best[(history.best.metric_id == "nps_target") & (history.best.year == year)].value.iloc[0]
        assert words.say("question_chart.target") in table_cells(figure) or text.number(words, target) in table_cells(figure)
    elif figure is not None:
        first = int(history.best[history.best.metric_id == "nps"].year.min())
        assert figure.title == words.say("question_chart.nps_title", first=first, last=year), "no target claimed"


def test_which_chapters_have_which_chart(history):
    """As the dataset stands: 2023 has one score and nothing before it, so no chart; 2024 has the score of 2023
    and 2024 and its programme's savings against the target; 2025 the score against its target and the fall in
    agency spending, but no programme chart, since the 2025 review prints no amount saved."""
    drawn = {(year, name): getattr(chapter, f"{name}_chart")(edition("en"), load(year) if name == "agency" else history,
                                                              year) is not None
             for year in (2023, 2024, 2025) for name in ("nps", "programme", "agency")}
    assert drawn == {(2023, "nps"): False, (2023, "programme"): False, (2023, "agency"): False,
                     (2024, "nps"): True, (2024, "programme"): True, (2024, "agency"): False,
                     (2025, "nps"): True, (2025, "programme"): False, (2025, "agency"): True}


def test_a_year_lacking_a_figure_gets_no_empty_chart(history):
    en = edition("en")
    no_2025_score = without(history, lambda f: ~((f.metric_id == "nps") & (f.year == 2025)))
    assert chapter.nps_chart(en, no_2025_score, 2025) is None, "no score for the year: no chart, not an empty one"
    assert chapter.programme_chart(en, without(history, lambda f: f.metric_id != "transformation_target_eur"), 2024) is None, \
        "savings without a target to set them against: no chart"
    assert chapter.programme_chart(en, history, 2025) is None, "the 2025 review prints no amount saved"
    assert chapter.agency_chart(en, load(2024), 2024) is None, "2024's figure is worked out and has no year before it"


def test_a_year_without_the_figure_is_absent_not_zero(history):
    en = edition("en")
    gap = without(history, lambda f: ~((f.metric_id == "nps") & (f.year == 2024)))
    figure = chapter.nps_chart(en, gap, 2025)
    rows = [cells for cells in re.findall(r"<tr>(.*?)</tr>", figure.html, re.S) if "<td" in cells]
    assert [re.search(r"<td[^>]*>(\d{4})</td>", r).group(1) for r in rows] == ["2023", "2025"]
    assert "2024" not in svg_texts(figure)
    assert "58 in 2023 and 69 in 2025" in figure.html


def test_without_a_target_the_chart_does_not_claim_one(history):
    en = edition("en")
    figure = chapter.nps_chart(en, without(history, lambda f: f.metric_id != "nps_target"), 2025)
    assert figure.title == en.say("question_chart.nps_title", first=2023, last=2025)
    assert en.say("question_chart.target") not in svg_texts(figure) and "target" not in figure.html.lower()


def test_a_target_is_drawn_as_a_target_not_as_a_bar(history):
    en = edition("en")
    frame = pd.DataFrame({"Year": ["2024", "2025"], "Score": [64, 69], "Target": [None, 67],
                          "Figure": ["Score", "Score"], "label": ["64", "69"]})
    spec = charts.against_target(en, frame, x="Score", y="Year", kind="Figure", label="label", target="Target",
                                 target_kind="Target", domain_max=100).to_dict()
    datasets = spec["datasets"]
    marks = [(layer["mark"]["type"], len(datasets[layer["data"]["name"]]) if "data" in layer else None) for layer in spec["layer"]]
    assert [m for m in marks if m[0] == "bar"] == [("bar", 2)], "one bar per year, none for the target"
    assert ("tick", 1) in marks, "the target is a line across the bar of the one year that has it, not a bar"
    figure = chapter.nps_chart(en, history, 2025)
    svg = svg_texts(figure)
    assert en.say("question_chart.target") in svg, "the legend names the line"
    assert "67" not in svg, "the target is not drawn as a value of its own; the alt and the table give it"
    assert "target for 2025, 67" in figure.html


@pytest.mark.parametrize("lang", LANGS)
def test_the_charts_numbers_are_the_texts_and_the_tables(history, lang):
    """The value written on each bar, the chart's data table and the section's table give each figure alike."""
    words = edition(lang)
    data = load(2025)
    by_id = {c.metric_id: c for c in figures.comparisons(words, data, 2025)}
    nps = chapter.nps_chart(words, history, 2025)
    for value in (by_id["nps"].number(by_id["nps"].then), by_id["nps"].number(), by_id["nps_target"].number()):
        assert value in table_cells(nps), (value, table_cells(nps))
    for value in (by_id["nps"].number(by_id["nps"].then), by_id["nps"].number()):
        assert value in svg_texts(nps)
    agency = chapter.agency_chart(words, data, 2025)
    c = by_id["temporary_agency_spending_eur"]
    assert [c.cell(c.then), c.cell()] == [cell for cell in table_cells(agency) if cell in (c.cell(c.then), c.cell())]
    assert c.number(c.then) in svg_texts(agency) and c.number() in svg_texts(agency)
    assert c.change_words() in agency.html, "the alt gives the change as the story and the table give it"
    programme = chapter.programme_chart(words, history, 2024)
    achieved = next(x for x in figures.comparisons(words, load(2024), 2024) if x.metric_id == "transformation_achieved_eur")
    target = next(x for x in figures.comparisons(words, load(2024), 2024) if x.metric_id == "transformation_target_eur")
    assert achieved.number() in table_cells(programme) and target.number() in table_cells(programme)
    assert achieved.number() in programme.html and target.number() in programme.html

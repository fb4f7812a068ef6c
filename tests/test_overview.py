"""The reference chapters say what the dataset holds, not what today's edition happens to hold."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the package is used from the repository, not installed
    sys.path.insert(0, str(ROOT))

from sotebook.pages import about_data, background, plan, trends  # noqa: E402
from sotebook.pages.numbers import count_in_text
from sotebook.data.dataset import load  # noqa: E402
from sotebook.pages.words import edition

EN = edition("en")  # the English edition's words, which most tests read


@pytest.fixture
def data():
    return load()


@pytest.mark.parametrize("template", ["trends", "background", "about_data"])
def test_templates_hold_no_words_only_substitutions_the_words_file_has(template):
    text = (ROOT / "notebooks" / f"{template}.md").read_text(encoding="utf-8")
    prose = [line for line in text.split("```")[0::2][1:] for line in line.splitlines()]
    used = {name for line in prose for name in re.findall(r"\{\{\s*(\w+)\s*\}\}", line)}
    assert used <= set(EN.section(f"page.{template}")), used - set(EN.section(f"page.{template}"))
    for line in prose:
        bare = re.sub(r"\{\{\s*\w+\s*\}\}|\{glue:text\}`\w+`|\{download\}`[^`]*`|[#:\-\s]", "", line)
        assert not re.search(r"[A-Za-z]{3,}", bare), f"notebooks/{template}.md has words of its own: {line!r}"


def test_source_count_follows_the_sources(data):
    caption = lambda d: re.search(r"<caption>([^<]*)</caption>", about_data.sources_table(EN, d).markup).group(1)
    assert str(len(data.sources)) in caption(data)
    data.sources = data.sources.iloc[:-1]
    assert str(len(data.sources)) in caption(data)


def test_department_sentence_counts_the_departments(data):
    data.facts["departments"] = data.facts["departments"].iloc[:3]
    assert " three " in background.departments_sentence(EN, data)  # a small count in words (numbers.count_in_text)


def test_population_note_names_each_figure_and_its_period(data):
    residents = data.figures[data.figures.metric_id == "residents"]
    note = trends.population_note(EN, data)
    for row in residents.itertuples():
        assert str(row.year) in note
    fewer = load()  # a fresh load: `best` is computed once per load
    latest = residents.year.max()
    fewer.figures = fewer.figures[~((fewer.figures.metric_id == "residents") & (fewer.figures.year == latest))]
    assert str(latest) not in trends.population_note(EN, fewer)


def test_workforce_sentence_counts_measures_per_year(data):
    sentence = background.workforce_sentence(EN, data)
    counts = data.best[data.best.metric_id.isin(plan.background().workforce)].groupby("year").metric_id.nunique()
    for year, count in counts.items():
        assert f"{count_in_text(EN, count)} for {year}" in sentence


def test_reconciliation_explanations_show_no_ids(data):
    markup = about_data.reconciliation_table(EN, data, known=False).markup
    for source_id in data.sources.source_id:
        assert source_id not in markup

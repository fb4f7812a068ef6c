"""What a year chapter says: changes only between comparable figures, the sources' reasons beside them,
headline tables of a few rows, no figure more precise than its source."""
import re

import pytest

from sotebook.pages import figures
from sotebook.pages import year_chapter as chapter
from sotebook.data.dataset import load
from sotebook.pages.words import edition

EN = edition("en")  # the English edition's words, which most tests read


@pytest.fixture(scope="module")
def year_2025():
    return load(2025)


def comparison(data, year, metric_id):
    return next(c for c in figures.comparisons(EN, data, year) if c.metric_id == metric_id)


def test_residents_of_different_periods_are_not_compared(year_2025):
    c = comparison(year_2025, 2025, "residents")
    assert c.then is not None, "both years print a population"
    assert c.change() == "not comparable"
    assert "different periods" in c.change_clause()
    assert "in autumn 2025" in c.reads(), "the figure keeps its period"


def test_sustainable_growth_funding_is_never_compared_across_bases(year_2025):
    for c in figures.comparisons(EN, year_2025, 2025):
        if c.metric_id.startswith("sustainable_growth") and c.then is not None:
            assert c.change() in ("", "not comparable"), f"{c.metric_id}: {c.change()}"
    grant = comparison(year_2025, 2025, "sustainable_growth_funding_eur")
    assert "for 2023–2025" in grant.reads()


def test_a_series_break_is_not_compared_and_says_why(year_2025):
    training = comparison(year_2025, 2025, "staff_training")
    assert training.change() == "not comparable"
    assert "counts courses" in chapter.notes(EN, year_2025, 2025, "staff")


def test_a_december_figure_says_december(year_2025):
    callback = comparison(year_2025, 2025, "callback_time_minutes")
    assert callback.reads() == "45 minutes in December 2025"
    assert callback.cell() == "45 minutes (December 2025)"


def test_a_change_between_rounded_figures_is_a_range(year_2025):
    contract_value = comparison(year_2025, 2025, "contract_value_eur")  # €1.2 billion -> 1.5 mrd €
    assert contract_value.change() == "+16% to +35%"
    staff = comparison(year_2025, 2025, "staff_total")  # exact counts keep one decimal
    assert staff.change() == "+1.3%"


def test_a_derived_figure_is_shown_as_its_range_and_marked(year_2025):
    agency = comparison(year_2025, 2025, "temporary_agency_spending_eur")
    assert agency.then.derivation, "2024's spending is derived from 2025's figure and the stated fall"
    assert agency.cell(agency.then) == "about €37 million (derived)"
    assert agency.change() == "−47.4%", "against a derived figure, the change as the source states it"
    assert "derived from what they say about the change" in chapter.notes(EN, year_2025, 2025, "staff")


def test_targets_and_definitions_are_not_compared_with_last_year(year_2025):
    for metric_id in ("transformation_target_eur", "nps_excellent_threshold"):
        assert comparison(year_2025, 2025, metric_id).change() == ""


@pytest.mark.parametrize("year", [2024, 2025])
def test_every_reason_the_sources_give_appears_in_the_chapter(year):
    data = load(year)
    said = chapter.story(EN, data, year) + "".join(chapter.notes(EN, data, year, s) for s in chapter.sections())
    reasons = chapter.explanations(data, year)
    assert len(reasons) > 0
    for explanation_id in reasons.explanation_id:
        reason = EN.say(f"explanation.{explanation_id}")
        assert reason.rstrip(".") in said, reason


def test_the_story_opens_with_the_result_and_flags_unexplained_changes(year_2025):
    story = chapter.story(EN, year_2025, 2025)
    first = story.split("\n\n")[0]
    assert "surplus" in first and "€151 million" in first
    assert "The review does not say why." in story
    assert "target for 2025 was 67, so it was met" in story


def test_headline_tables_have_at_most_eight_rows_and_the_full_list_collapsed(year_2025):
    for section in chapter.sections():
        block = chapter.section_table(EN, year_2025, 2025, section)
        if block is None:
            continue
        tables = block.markup.split("<details")
        assert tables[0].count("<tr>") - 1 <= chapter.HEADLINE_ROWS, section
        if len(tables) > 1:
            assert tables[1].count("<tr>") - 1 == len(chapter.section_rows(EN, year_2025, 2025, section))
        assert block.markup.count('class="sotebook-source"') == 1, "the sources are cited once per table"


def test_a_thin_year_gets_a_short_page():
    data = load(2023)
    assert chapter.is_thin(EN, data, 2023)
    assert "say little about 2023" in chapter.story(EN, data, 2023)
    assert "services" in chapter.empty_sections(EN, data, 2023)


def test_no_internal_ids_or_raw_ranges_in_what_readers_see(year_2025):
    seen = chapter.story(EN, year_2025, 2025) + "".join(
        chapter.summary(EN, year_2025, 2025, s) + chapter.notes(EN, year_2025, 2025, s) for s in chapter.sections())
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", seen.replace("hel.fi", "")), "a snake_case id leaked"
    assert "{" not in seen and "}" not in seen, "a template fragment leaked"


def test_two_editions_speak_at_once_in_one_process(year_2025):
    """The edition is an argument, not a process-wide setting: pages in two languages can be written
    side by side, and one does not change what the other says."""
    from sotebook.pages import text, words

    fi, sv = edition("fi"), edition("sv")
    finnish = chapter.summary(fi, year_2025, 2025, "residents")
    swedish = chapter.summary(sv, year_2025, 2025, "residents")
    assert finnish != swedish and chapter.summary(fi, year_2025, 2025, "residents") == finnish
    assert (text.number(fi, 1234.5), text.number(EN, 1234.5)) == ("1\u00a0234,5", "1,234.5")
    assert not hasattr(words, "use") and not hasattr(words, "say"), "no module-level current language"

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
    assert c.change_clause() == "", "the sentence gives the figure alone"
    notes = chapter.section_notes(EN, year_2025, 2025, "residents", chapter.page_notes(EN, 2025)).markup
    assert "Not comparable with 2024: Residents of Helsinki: the two figures cover different periods." in notes
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
    assert "counts courses" in chapter.section_notes(EN, year_2025, 2025, "staff", chapter.page_notes(EN, 2025)).markup


def test_a_december_figure_says_december(year_2025):
    callback = comparison(year_2025, 2025, "callback_time_minutes")
    assert callback.reads() == "45 minutes in December 2025"
    assert callback.cell() == "45 minutes (December 2025)"


def test_a_change_between_rounded_figures_says_only_what_its_whole_range_allows(year_2025):
    contract_value = comparison(year_2025, 2025, "contract_value_eur")  # €1.2 billion -> 1.5 mrd €: +16.0% to +34.8%
    assert contract_value.change() == "up at least 16%"
    assert contract_value.change_words() == "up at least 16%"
    assert contract_value.range_text() == "+16.0 to +34.8%", "the exact range goes into the number's note"
    recommend = comparison(year_2025, 2025, "staff_recommend_share")  # 79% -> 84%: 4 to 6 points
    assert recommend.change() == "about +5 percentage points"
    staff = comparison(year_2025, 2025, "staff_total")  # exact counts keep one decimal
    assert staff.change() == "+1.3%" and staff.range_text() == ""
    share = comparison(year_2025, 2025, "staff_hospital_rehabilitation_care_share")  # 38% -> 37%: -2 to 0 points
    assert share.change() == "no clear change"


def test_a_derived_figure_is_shown_about_and_marked_and_its_note_says_how(year_2025):
    agency = comparison(year_2025, 2025, "temporary_agency_spending_eur")
    assert agency.then.derivation, "2024's spending is derived from 2025's figure and the stated fall"
    assert agency.cell(agency.then) == "about €37 million (derived)"
    assert agency.change() == "−47.4%", "against a derived figure, the change as the source states it"
    table = chapter.section_table(EN, year_2025, 2025, "staff", chapter.page_notes(EN, 2025)).markup
    assert "worked out from the 2025 figure, just under €19.7 million, and the change of 47.4%" in table
    assert "19,700,000 /" not in table and "annual_review" not in table, "no formula, no id"


def test_targets_and_definitions_are_not_compared_with_last_year(year_2025):
    for metric_id in ("transformation_target_eur", "nps_excellent_threshold"):
        assert comparison(year_2025, 2025, metric_id).change() == ""


def whole_chapter(words, data, year) -> str:
    """Everything a year chapter's code writes: its opening, and each section's opening, table and notes."""
    notes = chapter.page_notes(words, year)
    parts = [chapter.opening(words, data, year, notes).markup]
    for section in chapter.sections():
        parts.append(chapter.section_opening(words, data, year, section, notes).markup)
        table = chapter.section_table(words, data, year, section, notes)
        parts += [table.markup if table else "", chapter.section_notes(words, data, year, section, notes).markup]
    return "\n".join(parts)


def visible(markup: str) -> str:
    """The running text: what a reader reads before opening any note."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for hidden in soup.select("[popover], .sotebook-fnref, .sotebook-notes, details"):
        hidden.decompose()
    return " ".join(soup.get_text("").split())


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
@pytest.mark.parametrize("year", [2024, 2025])
def test_every_reason_the_sources_give_appears_in_the_chapter(year, lang):
    import html

    words = edition(lang)
    data = load(year)
    said = html.unescape(whole_chapter(words, data, year))
    reasons = chapter.explanations(data, year)
    reasons = reasons[reasons.year == str(year)]
    assert len(reasons) > 0
    for explanation_id in reasons.explanation_id:
        reason = words.say(f"explanation.{explanation_id}")
        assert reason.rstrip(".") in said, f"{lang} {year}: {reason}"


def test_the_2025_chapter_opens_with_the_result_and_its_reason(year_2025):
    opening = visible(chapter.opening(EN, year_2025, 2025, chapter.page_notes(EN, 2025)).markup)
    first = opening.split("Main points", 1)[1][:400]
    assert "surplus" in first and "€151 million" in first, first
    assert "does not say why" not in opening, "a change nobody explains gets no sentence of its own"


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


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_no_internal_ids_ranges_formulas_or_source_lists_in_the_running_text(year, lang):
    words = edition(lang)
    data = load(year)
    seen = visible(whole_chapter(words, data, year))
    running = visible(re.sub(r'<p class="sotebook-source">.*?</p>', "", whole_chapter(words, data, year)))
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", seen.replace("hel.fi", "")), "a snake_case id leaked"
    assert "{" not in seen and "}" not in seen, "a template fragment leaked"
    if (chapter.written.exists(year, lang)):  # a written story: no machinery at all
        assert not re.search(r"[+−-]?\d+(?:[.,]\d+)?\s?%?\s?(?:to|till|…|–)\s?[+−]?\d+(?:[.,]\d+)?\s?%", seen), "a range as a change"
        # (a table's own source line under it stays, as in every statistical table; the text has none)
        assert not re.search(r"\b(Sources?|Lähteet?|Källor?|Källa):", running), "an inline source list"
        assert " / (1 " not in seen and "=" not in seen, "a formula"


def test_two_editions_speak_at_once_in_one_process(year_2025):
    """The edition is an argument, not a process-wide setting: pages in two languages can be written
    side by side, and one does not change what the other says."""
    from sotebook.pages import text, words

    fi, sv = edition("fi"), edition("sv")
    def opening(words):
        return chapter.section_table(words, year_2025, 2025, "residents", chapter.page_notes(words, 2025)).markup
    finnish = opening(fi)
    swedish = opening(sv)
    assert finnish != swedish and opening(fi) == finnish
    assert (text.number(fi, 1234.5), text.number(EN, 1234.5)) == ("1\u00a0234,5", "1,234.5")
    assert not hasattr(words, "use") and not hasattr(words, "say"), "no module-level current language"


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
@pytest.mark.parametrize("year", [2024, 2025])
def test_chart_table_and_text_give_every_change_alike(year, lang):
    """The change chart's bar, its data table, the section's table and the sentence give one change with one
    precision (Comparison.shown): home care is −1.7 in all four, never −1.7 in the chart and −2% in the table."""
    from sotebook.pages import text

    words = edition(lang)
    data = load(year)
    rows = chapter.change_rows(words, data, year)
    if not rows:
        pytest.skip(f"no comparable counts in {year}")
    figure = chapter.change_chart(words, data, year)
    for c in rows:
        shown = c.shown
        assert shown.value == round(shown.value, shown.decimals)
        signed = text.signed(words, shown.value, shown.decimals)
        assert signed in c.change(), (c.metric_id, signed, c.change())
        assert text.number(words, abs(shown.value), shown.decimals) in c.change_words(), (c.metric_id, c.change_words())
        cells = re.findall(r'<td[^>]*>([^<]*)</td>', figure.html)
        assert text.number(words, shown.value, shown.decimals) in cells, (c.metric_id, shown.value)


def test_a_table_cell_says_which_way_a_change_of_at_least_goes():
    """'at least −9.6%' could be read as 'no lower than −9.6%': the cell says 'down at least 9.6%'."""
    fell = figures.Shown(-9.6, 1, "at_least", "number.signed_percent", -1)
    assert fell.cell(EN) == "down at least 9.6%" and fell.words(EN) == "down at least 9.6%"
    assert figures.Shown(9.6, 1, "at_least", "number.signed_percent", 1).cell(edition("fi")) == "nousu vähintään 9,6\xa0%"


def test_a_share_the_source_gives_as_a_word_is_told_as_that_word():
    """The 2024 survey: 'Half … preferred digital channels'. The book says half, not 50%, in every edition."""
    data = load(2024)
    for lang, half in (("en", "half"), ("fi", "puolet"), ("sv", "hälften")):
        c = next(c for c in figures.comparisons(edition(lang), data, 2024) if c.metric_id == "resident_survey_prefer_digital_share")
        assert c.number() == half and c.cell().startswith(half + " (")

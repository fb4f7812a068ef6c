"""The written stories (stories/<year>.<lang>.md, sotebook/pages/story.py): every number a reference to the
dataset, checked at build; each of the four ways a story can go wrong fails, naming the file and line."""
from __future__ import annotations

import re

import pytest

from sotebook.data.dataset import load
from sotebook.pages import story
from sotebook.pages import year_chapter as chapter
from sotebook.pages.words import edition

EN = edition("en")


@pytest.fixture
def stories(tmp_path, monkeypatch):
    """Story files in a folder of the test's own: `write(year, text)` writes stories/<year>.en.md."""
    monkeypatch.setattr(story, "STORIES", tmp_path)

    def write(year: int, text: str, lang: str = "en"):
        (tmp_path / f"{year}.{lang}.md").write_text(text, encoding="utf-8")
        return tmp_path / f"{year}.{lang}.md"
    return write


def problems(year: int = 2025, data=None):
    return story.check_story(EN, data or load(year), year, chapter.sections())


def points(*lines: str) -> str:
    return "::: main-points\n" + "\n".join(f"- {line}" for line in lines) + "\n:::\n"


def test_every_story_file_of_the_book_tells_its_year_in_every_edition():
    files = sorted(story.STORIES.glob("*.md"))
    assert files, "the book has written stories"
    for file in files:
        year, lang = file.stem.split(".")
        assert story.check_story(edition(lang), load(int(year)), int(year), chapter.sections()) == [], file.name
    for year in (2024, 2025):
        assert story.exists(year, "en"), f"the English {year} chapter has its written story"


def test_a_typed_digit_fails_naming_the_file_and_line(stories):
    stories(2025, points("Clients gave the services a score of {fig}`nps`.", "The score was 69 points."))
    found = problems()
    assert len(found) == 1 and "2025.en.md, line 3" in found[0] and '"69"' in found[0], found


def test_years_dates_and_names_may_be_typed(stories):
    stories(2025, points("On 31 December 2025 the division employed {fig}`staff_total`.",
                         "The programme ran in 2023–2026; the Act came into force on 1.1.2025.",
                         "People were vaccinated against covid-19 and influenza: {fig}`covid_vaccinations`."))
    assert problems() == []


def test_an_unknown_reference_fails_naming_the_file_and_line(stories):
    stories(2025, points("The score was {fig}`npx`."))
    assert any("2025.en.md, line 2" in p and "no metric 'npx'" in p for p in problems()), problems()
    stories(2025, points("The score was {fig}`nps@2023`."))
    assert any("not 2023" in p for p in problems()), "a year the chapter does not read"
    stories(2025, points("See {why}`no_such_reason`."))
    assert any("no explanation_id 'no_such_reason'" in p for p in problems())


def test_a_change_between_figures_that_are_not_comparable_fails(stories):
    # 675,000 residents in 2024 and 693,000 in autumn 2025 cover different periods
    stories(2025, points("Helsinki grew: {fig}`residents:change`."))
    found = problems()
    assert any("2025.en.md, line 2" in p and "cannot be compared" in p for p in found), found


def test_a_claim_whose_condition_no_longer_holds_fails(stories):
    text = points("The score of {fig}`nps` beat the target of {fig}`nps_target`{check}`nps >= nps_target`.")
    stories(2025, text)
    assert problems() == [], "it holds for the data as it is"
    from sotebook.data.dataset import load_plain

    data = load_plain(2025)  # plain frames: a tracked one hands out a copy to change
    data.figures.loc[(data.figures.metric_id == "nps") & (data.figures.year == 2025), ["value", "value_low", "value_high"]] = 63.0
    found = problems(data=data)
    assert any("2025.en.md, line 2" in p and "no longer holds" in p and "nps is 63" in p for p in found), found


def test_a_direction_the_figures_do_not_take_fails(stories):
    stories(2025, points("Dental care visits rose by {fig}`dental_care_visits:rise`."))
    assert any("says the figure rose" in p and "−17.9%" in p for p in problems()), problems()
    stories(2025, points("Dental care visits fell by {fig}`dental_care_visits:fall`."))
    assert problems() == []


def test_a_broken_block_fails_with_its_line(stories):
    stories(2025, "::: main-points\n- One point.\n")
    assert any("not closed" in p for p in problems())
    stories(2025, "::: summary\nText.\n:::\n")
    assert any("unknown block 'summary'" in p for p in problems())
    stories(2025, points("A point.") + "::: section nowhere\nText.\n:::\n")
    assert any("no section 'nowhere'" in p for p in problems())
    stories(2025, "Loose text.\n" + points("A point."))
    assert any("line 1" in p and "outside a block" in p for p in problems())


def test_the_build_refuses_a_story_for_a_year_or_edition_the_book_does_not_have(stories):
    stories(2031, points("A point."))
    with pytest.raises(story.StoryError, match=r"2031\.en\.md: the dataset holds no figures for 2031"):
        story.check_all(["fi", "sv", "en"], [2023, 2024, 2025])


def test_a_reference_reads_as_the_edition_writes_numbers(stories):
    stories(2025, points("Nurses: {fig}`health_station_nurse_visits`, {fig}`health_station_nurse_visits:change`."))
    notes = chapter.page_notes(EN, 2025)
    html = chapter.opening(EN, load(2025), 2025, notes).markup
    assert ">1,679,689</button>" in html and ">up 22.1%</button>" in html
    assert 'lang="sv"' in html and "<mark>1 679 689</mark>" in html, "the note quotes the Swedish passage, the number marked"


def test_a_reasons_mark_stays_on_the_line_of_the_word_before_it(stories):
    """A button is an inline block, before which a line may break: the raised 'source' mark would stand alone
    at the start of a phone's line. The word before it and the mark are one unbreakable piece."""
    stories(2025, points("Spending fell as the programme planned{why}`financial_result_eur_2025_result`. Nurses saw more."))
    html = chapter.opening(EN, load(2025), 2025, chapter.page_notes(EN, 2025)).markup
    assert '<span class="sotebook-nobreak">planned<button type="button" class="sotebook-fig sotebook-fig--mark"' in html


def test_the_punctuation_after_a_number_stays_on_its_line(stories):
    """A line may break after a button (an inline block): the comma after a number would start a phone's line
    (seen at 390 px: ", och meddelanden" under "45 minuter"). The number, the marks written onto it and the
    punctuation after them are one unbreakable piece; a number with nothing written onto it is left as it is."""
    stories(2025, points("Nurses: {fig}`health_station_nurse_visits`, then {fig}`health_station_nurse_visits:change`"
                         "{why}`financial_result_eur_2025_result`. Also {fig}`health_station_nurse_visits` more"))
    html = chapter.opening(EN, load(2025), 2025, chapter.page_notes(EN, 2025)).markup
    assert re.search(r'Nurses: <span class="sotebook-nobreak"><button[^>]*>1,679,689</button>', html), html
    assert ",</span> then " in html, "the comma is inside the piece"
    assert re.search(r'then <span class="sotebook-nobreak"><button[^>]*>up 22\.1%</button>', html)
    chain = html[html.index("up 22.1%"):html.index(" Also ")]
    assert "sotebook-fig--mark" in chain and chain.endswith(".</span>"), \
        "a number, the mark written onto it and the full stop are one piece"
    assert re.search(r"Also <button", html), "a number with nothing written onto it is not wrapped"

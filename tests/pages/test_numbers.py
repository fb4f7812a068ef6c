"""The grammar of numbers per edition (sotebook/pages/numbers.py): units in the form their number takes,
ranges, date ranges, small counts in words; and the pages' and charts' numbers written with it."""
from __future__ import annotations

import re

import pandas as pd
import pytest
import vl_convert

from sotebook.pages import charts, figures, numbers, text
from sotebook.pages.words import edition

FI, SV, EN = edition("fi"), edition("sv"), edition("en")


@pytest.mark.parametrize("words, one, other, decimal_one", [
    (FI, "1 miljoona", "2 miljoonaa", "1,5 miljoonaa"),
    (SV, "1 miljon", "2 miljoner", "1,5 miljoner"),
    (EN, "1 million", "2 million", "1.5 million"),
])
def test_a_unit_takes_the_form_its_number_asks_for(words, one, other, decimal_one):
    assert numbers.with_unit(words, 1, "number.million") == one
    assert numbers.with_unit(words, 2, "number.million") == other
    assert numbers.with_unit(words, 1.5, "number.million") == decimal_one


def test_plural_follows_the_number_as_printed_with_babel_rules():
    assert numbers.plural_category(FI, 1) == "one"
    assert numbers.plural_category(FI, 1, decimals=1) == "other"  # '1,0 prosenttiyksikköä'
    assert numbers.plural_category(SV, 21) == "other" and numbers.plural_category(EN, 1_000_001) == "other"
    assert text.value_with_unit(FI, 1, "days") == "1 päivä" and text.value_with_unit(SV, 2, "days") == "2 dagar"
    assert text.euros(FI, 1_000_000) == "1 miljoona euroa" and text.euros(SV, 1_000_000) == "1 miljon euro"


def test_small_counts_in_running_text_are_words_up_to_the_style_guides_limit():
    assert [numbers.count_in_text(FI, n) for n in (1, 5, 10, 11)] == ["yksi", "viisi", "kymmenen", "11"]
    assert [numbers.count_in_text(SV, n) for n in (1, 5, 10, 11)] == ["en", "fem", "tio", "11"]
    assert [numbers.count_in_text(EN, n) for n in (1, 9, 10)] == ["one", "nine", "10"]
    assert numbers.count_in_text(FI, 5, form="inessive") == "viidessä"
    assert numbers.count_in_text(SV, 1, form="neuter") == "ett"
    assert numbers.count_in_text(FI, 2.5) == "2,5" and numbers.count_in_text(FI, 0) == "0"


def test_an_unknown_spelled_out_form_is_named_with_the_forms_there_are():
    with pytest.raises(numbers.NumberGrammarError, match="'dative' is not one of the fi edition's: .*inessive"):
        numbers.count_in_text(FI, 3, form="dative")


@pytest.mark.parametrize("words, plain, signed", [
    (FI, "4–6", "+4 – +6"), (SV, "4–6", "+4 – +6"), (EN, "4 to 6", "+4 to +6"),
])
def test_ranges_take_an_en_dash_spaced_when_an_end_has_a_sign(words, plain, signed):
    assert numbers.number_range(words, 4, 6) == plain
    assert numbers.number_range(words, 4, 6, signed=True) == signed
    assert numbers.number_range(words, 5, 5) == "5"
    assert "…" not in numbers.number_range(words, -2, 3) and "till" not in numbers.number_range(words, -2, 3)


@pytest.mark.parametrize("words, months, across, years", [
    (FI, "syys–joulukuu 2025", "syyskuu 2024 – helmikuu 2025", "2023–2025"),
    (SV, "september–december 2025", "september 2024 – februari 2025", "2023–2025"),
    (EN, "September–December 2025", "September 2024 – February 2025", "2023–2025"),
])
def test_date_ranges_in_the_languages_short_form(words, months, across, years):
    assert numbers.date_range(words, "2025-09", "2025-12") == months
    assert numbers.date_range(words, "2024-09", "2025-02") == across
    assert numbers.date_range(words, "2023", "2025") == years


def test_a_month_range_in_a_finnish_sentence_is_inflected_as_a_month_is():
    assert figures.period_text(FI, "2025-09/2025-12", "part_year") == "syys–joulukuussa 2025"
    assert figures.period_text(FI, "2025-09/2025-12", "part_year", short=True) == "syys–joulukuu 2025"
    assert figures.period_text(SV, "2025-09/2025-12", "part_year") == "i september–december 2025"


def test_a_bad_date_is_named():
    with pytest.raises(numbers.NumberGrammarError, match="date 'autumn' is not a year"):
        numbers.date_range(FI, "autumn", "2025")


@pytest.mark.parametrize("words, range_, one", [(FI, "+4 – +6 prosenttiyksikköä", "1 prosenttiyksikkö"),
                                               (SV, "+4 – +6 procentenheter", "1 procentenhet"),
                                               (EN, "+4 to +6 percentage points", "1 percentage point")])
def test_a_range_of_points_is_plural_and_one_point_is_singular(words, range_, one):
    """The unit of a change in points follows the number: a range in the plural (a note's range), one point
    in the singular (a change of exactly one point)."""
    assert figures.unit_words(words, "number.percentage_points", numbers.number_range(words, 4, 6, 0, signed=True), None) == range_
    assert figures.shown_change((1.0, 1.0), "percent", False).amount(words) == one


@pytest.mark.parametrize("words, one, other", [(FI, "1 miljoona", "2 miljoonaa"), (SV, "1 miljon", "2 miljoner")])
def test_a_chart_axis_in_millions_says_one_million_in_the_singular(words, one, other):
    data = pd.DataFrame({"service": ["Maisa", "Omaolo"], "contacts": [3_600_000, 156_700]})
    svg = vl_convert.vegalite_to_svg(charts.bar(words, data, x="contacts", y="service").properties(width=400).to_dict(),
                                     format_locale=charts.D3_LOCALES[words.language()])
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert one in labels and other in labels, labels
    assert f"1 {other.split()[1]}" not in labels, labels



def test_a_count_in_a_message_takes_the_form_the_message_asks_for():
    assert FI.say("about_data.dataset_sentence", figures=numbers.Count(FI, 251), metrics=numbers.Count(FI, 159),
                  sources=numbers.Count(FI, 5), years="2023–2025", checks=numbers.Count(FI, 71),
                  passed=numbers.Count(FI, 68), known=numbers.Count(FI, 3)).startswith(
        "Käsitellyssä aineistossa on 251 lukua 159 mittarista viidestä lähteestä")
    assert "{n:neuter} mått".format(n=numbers.Count(SV, 1)) == "ett mått"
    assert f"{numbers.Count(EN, 3)} checks" == "three checks"


def test_a_form_the_language_does_not_have_is_refused_before_a_build(tmp_path, monkeypatch):
    import shutil

    from sotebook.pages import words as words_module
    from sotebook.pages.spec import page_parameters, read_spec

    cached = (words_module.raw_catalog, words_module.sources, words_module._read, words_module.key_lines,
              words_module.catalog, words_module.edition)
    copy = shutil.copytree(words_module.WORDS, tmp_path / "words")
    monkeypatch.setattr(words_module, "WORDS", copy)
    path = copy / "fi" / "about_data.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("{sources:elative}", "{sources:dative}"), encoding="utf-8")
    for c in cached:
        c.cache_clear()
    try:
        spec = read_spec()
        found = [str(p) for p in words_module.words_problems(spec.languages, page_parameters(spec))]
    finally:
        for c in cached:
            c.cache_clear()
    assert any("key 'about_data.dataset_sentence'" in p and "{sources:dative}: 'dative' is not a form of a count" in p
               and "elative" in p for p in found), found


def test_a_form_asked_of_text_names_the_message():
    words = edition("fi")
    fake = object.__new__(type(words))
    fake.messages, fake.lang = {**words.messages, "number.percent": "{value:elative} %"}, "fi"
    with pytest.raises(Exception, match="key 'number.percent'.*a form after a colon is only for a count"):
        fake.say("number.percent", value="5")


def test_a_sentence_about_a_count_takes_its_plural_category_and_the_count_in_words():
    words = edition("fi")
    fake = object.__new__(type(words))
    fake.messages = {**words.messages, "x.services_one": "Avattiin {count} uusi palvelu.",
                     "x.services_other": "Avattiin {count} uutta palvelua."}
    fake.lang = "fi"
    assert numbers.say_count(fake, "x.services", 1) == "Avattiin yksi uusi palvelu."
    assert numbers.say_count(fake, "x.services", 5) == "Avattiin viisi uutta palvelua."
    assert numbers.say_count(fake, "x.services", 12) == "Avattiin 12 uutta palvelua."

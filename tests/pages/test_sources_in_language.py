"""Sources in the reader's language: each document's title in the edition's language beside the title as printed
(About the data), and a quoted section translated with the original beside it, in its own language."""
from __future__ import annotations

from sotebook.data.dataset import load
from sotebook.pages import about_data
from sotebook.pages.figures import cited_section, section_in
from sotebook.pages.markup import prose
from sotebook.pages.words import edition

FI, SV, EN = edition("fi"), edition("sv"), edition("en")
SECTION = "Ekonomin i balans > Förändringsprogrammet nådde målet"


def test_a_section_in_another_language_is_translated_with_the_original_beside_it():
    html = prose(cited_section(FI, "annual_review_2025", SECTION)).markup
    assert html == ('<p class="sotebook-prose">Vuosikatsaus 2025, ”Talous tasapainossa › Muutosohjelma saavutti '
                    'tavoitteensa” (ruotsiksi ”<span lang="sv">Ekonomin i balans › Förändringsprogrammet nådde '
                    'målet</span>”)</p>')
    assert "(på engelska ”" in cited_section(SV, "annual_review_2024", "Sustainable growth")
    assert cited_section(EN, "annual_review_2025", "Ekonomin i balans").startswith("Annual review 2025, “Finances in balance” (in Swedish")


def test_a_section_in_the_editions_own_language_is_quoted_as_printed():
    assert cited_section(SV, "annual_review_2025", SECTION) == "Årsöversikt 2025, ”Ekonomin i balans › Förändringsprogrammet nådde målet”"
    assert cited_section(EN, "annual_review_2024", "Sustainable growth") == "Annual review 2024, “Sustainable growth”"


def test_the_in_heading_mark_is_not_quoted():
    assert section_in(FI, "annual_review_2025", "För ett gott liv (heading)") == "Hyvän elämän puolesta"


def test_the_source_list_names_each_document_in_the_editions_language_beside_its_printed_title():
    html = about_data.sources_table(FI, load()).markup
    assert '<th scope="row">Hyvinvointia, terveyttä ja turvallisuutta helsinkiläisille</th>' in html
    assert '<td data-label="Nimi alkukielellä" lang="sv">Välfärd, hälsa och trygghet för Helsingforsborna</td>' in html
    assert "<th scope=\"row\">Året 2024 inom social-, hälsovårds- och räddningssektorn</th>" in about_data.sources_table(SV, load()).markup

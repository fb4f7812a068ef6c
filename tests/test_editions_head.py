"""sotebook/site/editions.py: each page's description in its edition's words, hreflang links only as absolute URLs."""
from __future__ import annotations

from sotebook.site import editions
from sotebook.pages import words
from sotebook.pages.words import edition

EN = edition("en")  # the English edition's words, which most tests read


def test_a_year_page_is_described_with_its_year_in_its_language():
    w = edition("fi")
    fi = editions.page_description(w, "book/year_2024")
    w = edition("sv")
    sv = editions.page_description(w, "book/year_2024")
    assert "2024" in fi and "2024" in sv and fi != sv
    assert fi == words.catalog("fi")["page.year.description"].format(year="2024")


def test_hand_written_pages_and_search_have_their_own_description():
    w = EN
    described = {name: editions.page_description(w, name) for name in ("book/index", "book/glossary", "search", "book/trends")}
    assert len(set(described.values())) == len(described)
    assert editions.page_description(w, "genindex") == w.say("site.description")


def test_hreflang_links_need_the_sites_address(monkeypatch):
    monkeypatch.delenv("SOTEBOOK_SITE_URL", raising=False)
    assert editions.alternate_links(lambda lang: f"{lang}/book/index.html") == ""
    monkeypatch.setenv("SOTEBOOK_SITE_URL", "https://example.org/book")
    links = editions.alternate_links(lambda lang: f"{lang}/book/year_2025.html")
    for lang in ("fi", "sv", "en"):
        assert f'<link rel="alternate" hreflang="{lang}" href="https://example.org/book/{lang}/book/year_2025.html" />' in links

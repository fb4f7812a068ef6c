"""The Finnish edition's search by lemma in a real browser (sotebook/site/finnish_search.py): a word in its base
form, or in an inflected form the book uses, lists every page that holds any inflected form of it.

The expected pages come from the built pages' text with Voikko, not from the index: a page is expected when
a word of its article (the text the search indexes, not the navigation every page repeats) has the query's base
form among Voikko's readings ("terveydenhuollon" -> "terveydenhuolto"), or is a longer compound that Voikko
reads as made with it ("hammashoitoajat": hammas+hoito+aika)."""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from browser_harness import BUILD_HTML, goto, require_build

# Issue 21's words: each is a compound the book inflects (kotihoidon, terveydenhuollossa, hammashoidon,
# terveysasemille, lastensuojelun, vammaispalveluissa, pelastuslaitoksen, asiakasmaksuista).
BASE_FORMS = ("kotihoito", "terveydenhuolto", "hammashoito", "terveysasema", "lastensuojelu", "vammaispalvelu",
              "pelastuslaitos", "asiakasmaksu")
# An inflected form that stems unlike its base form in Snowball (consonant gradation: t -> d).
INFLECTED = {"kotihoidon": "kotihoito", "terveydenhuollon": "terveydenhuolto", "hammashoidon": "hammashoito"}


@lru_cache(maxsize=None)
def _article_words(path: str) -> frozenset[str]:
    soup = BeautifulSoup((BUILD_HTML / path).read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article")
    for hidden in article.select("script, style"):
        hidden.decompose()
    return frozenset(w.lower() for w in re.findall(r"[^\W\d_]+", article.get_text(" ")))


def pages_with_base_form(base: str) -> set[str]:
    """The /fi/book/ pages with a word whose Voikko base forms, or its compound parts', include `base`."""
    from sotebook.site.finnish_search import base_forms, compound_base_forms

    require_build()
    return {f"/fi/book/{path.name}" for path in sorted((BUILD_HTML / "fi" / "book").glob("*.html"))
            if any(base in base_forms(word) + compound_base_forms(word)
                   for word in _article_words(f"fi/book/{path.name}"))}


def search(page, server, lang: str, query: str) -> list[str]:
    """The paths of the pages <lang>/search.html?q=<query> lists, once the search has finished."""
    goto(page, server, f"{lang}/search.html?q={quote(query)}")
    # Finished: searchtools.js sets the heading's text, which drops the dots it pulsed while searching.
    page.wait_for_function("() => { const h = document.querySelector('#search-results h2');"
                           " return h !== null && h.querySelector('span') === null; }", timeout=15_000)
    links = page.locator("#search-results ul.search li a").all()
    return sorted({urlsplit(urljoin(page.url, a.get_attribute("href"))).path for a in links})


@pytest.mark.parametrize("word", BASE_FORMS)
def test_base_form_finds_every_page_with_an_inflected_form(desktop_page, server, word):
    expected = pages_with_base_form(word)
    assert expected, f"no Finnish page has a form of {word!r}: choose another word"
    found = search(desktop_page, server, "fi", word)
    assert set(found) == expected, (f"fi: searching {word!r} listed {found}; Voikko finds a form of it on "
                                    f"{sorted(expected)} (missing {sorted(expected - set(found))}, "
                                    f"extra {sorted(set(found) - expected)})")
    assert not desktop_page.log.problems(), desktop_page.log.problems()


@pytest.mark.parametrize("form, base", INFLECTED.items())
def test_inflected_form_finds_the_same_pages(desktop_page, server, form, base):
    assert any(form in _article_words(p.lstrip("/")) for p in pages_with_base_form(base)), (
        f"the book no longer uses {form!r}: choose another form")
    assert search(desktop_page, server, "fi", form) == search(desktop_page, server, "fi", base)

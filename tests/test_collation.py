"""Sorting by each edition's alphabet (sotebook/pages/collation.py, ICU): the index page (genindex), the glossaries
and the lists the pages sort."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from sotebook.pages.collation import index_letter, sorted_in
from sotebook.paths import BUILD_HTML, ROOT
from sotebook.site.index_collation import collated


def test_swedish_and_finnish_put_a_ring_and_umlauts_after_z():
    words = ["Hälsostation", "Helsingfors sjukhus", "Kårkulla", "Klientavgift", "Zon", "Åbo", "Öst", "Ängel"]
    expected = ["Helsingfors sjukhus", "Hälsostation", "Klientavgift", "Kårkulla", "Zon", "Åbo", "Ängel", "Öst"]
    assert sorted_in("sv", words) == expected
    assert sorted_in("fi", words) == expected
    assert sorted_in("en", words)[:2] == ["Åbo", "Ängel"]  # English files them under A


def test_index_letters_follow_the_language():
    assert [index_letter("sv", w) for w in ("Åbo", "Ängel", "Öst", "Hälso")] == ["Å", "Ä", "Ö", "H"]
    assert index_letter("en", "Åbo") == "A"
    assert index_letter("sv", "24/7") is None


def _entry(name):
    return (name, [[(0, f"#{name}")], [], None])


def test_sphinx_index_entries_are_regrouped_and_sorted():
    # As Sphinx groups them: accents stripped, code-point order.
    sphinx = [("Symbols", [_entry("112")]), ("A", [_entry("Åbo")]),
              ("H", [_entry("Hälsostation"), _entry("Helsingfors sjukhus")]),
              ("K", [_entry("Kårkulla"), _entry("Klientavgift")])]
    groups = collated("sv", sphinx)
    assert [(letter, [name for name, _ in entries]) for letter, entries in groups] == [
        ("Symbols", ["112"]), ("H", ["Helsingfors sjukhus", "Hälsostation"]), ("K", ["Klientavgift", "Kårkulla"]),
        ("Å", ["Åbo"])]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_glossary_is_in_the_languages_alphabetical_order(lang):
    text = (ROOT / "book" / lang / "glossary.md").read_text(encoding="utf-8")
    terms = [line for block in re.findall(r"```\{glossary\}\n(.*?)```", text, re.S)
             for line in block.splitlines() if line and not line.startswith(" ")]
    assert terms and terms == sorted_in(lang, terms), [
        (a, b) for a, b in zip(terms, sorted_in(lang, terms)) if a != b]


def test_built_swedish_index_page_is_in_swedish_order():
    page = BUILD_HTML / "sv" / "genindex.html"
    if not page.exists():
        pytest.fail("_build/html is missing: run `make book` (make test builds it first)", pytrace=False)
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    entries = [a.get_text(" ", strip=True) for a in soup.select("table.indextable td a")]
    assert entries == sorted_in("sv", entries), entries
    assert entries.index("Helsingfors sjukhus") < entries.index("Hälso- och välbefinnandecentral")
    letters = [h.get_text(strip=True) for h in soup.select("h2")]
    assert letters == sorted_in("sv", letters) and "R" in letters

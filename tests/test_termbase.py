"""The termbase (words/<lang>/terms.yml, sotebook/site/termbase.py): every built page of an edition uses the
form to use of each concept, never a form marked not to use, in its text, its accessible names and its charts."""
from __future__ import annotations

import shutil

import pytest

from sotebook.pages.spec import read_spec
from sotebook.paths import BUILD_HTML
from sotebook.site import termbase

EDITIONS = read_spec().languages


def _site(tmp_path, lang: str, body: str, svg: str = "") -> object:
    book = tmp_path / lang / "book"
    book.mkdir(parents=True)
    (book / "page.html").write_text(f"<html><body><main>{body}</main></body></html>", encoding="utf-8")
    if svg:
        (tmp_path / lang / "_images").mkdir()
        (tmp_path / lang / "_images" / "chart.svg").write_text(
            f'<svg xmlns="http://www.w3.org/2000/svg"><text>{svg}</text></svg>', encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_edition_has_a_termbase_that_reads(lang):
    terms = termbase.load(lang)
    assert terms and all(t.use and t.avoid and t.source for t in terms)


def test_finnish_inflected_form_of_a_form_not_to_use_fails_naming_page_form_and_preferred_form(tmp_path):
    site = _site(tmp_path, "fi", "<p>Muutosohjelma ylitti sopeutustavoitteensa, 100 milj. euroa.</p>")
    found = [str(f) for f in termbase.findings("fi", site)]
    assert ("fi/book/page.html: 'sopeutustavoitteensa' is a form not to use for savings (termbase form 'sopeutus*'); "
            "use 'säästötavoite, säästöt'") in found
    assert any("'milj euroa'" in f and "use 'miljoonaa euroa'" in f for f in found)


def test_finnish_form_to_use_passes(tmp_path):
    site = _site(tmp_path, "fi", "<p>Muutosohjelma ylitti säästötavoitteensa, 100 miljoonaa euroa. Säästöt syntyivät.</p>")
    assert termbase.findings("fi", site) == []


def test_accessible_names_and_chart_text_are_read(tmp_path):
    site = _site(tmp_path, "sv", '<img src="../_images/chart.svg" alt="Korta interventioner i skolor">'
                                 '<a href="#" aria-label="Mätaren">x</a>', svg="Anpassningen 2024")
    found = {(f.printed, f.concept_id) for f in termbase.findings("sv", site)}
    assert found == {("Korta interventioner", "mini_interventions"), ("Mätaren", "measure"),
                     ("Anpassningen", "savings")}


def test_a_word_counted_once_per_page_with_how_often(tmp_path):
    site = _site(tmp_path, "sv", "<p>mätaren</p><p>mätaren</p>")
    [finding] = termbase.findings("sv", site)
    assert finding.times == 2 and "(2 times)" in str(finding)


def test_swedish_forms_match_as_written_not_by_stem(tmp_path):
    # Snowball stems "mätaren" and "mäter" alike; the termbase must not fail "mäter" (measures).
    site = _site(tmp_path, "sv", "<p>Enkäten mäter hur nöjda klienterna är med måttet.</p>")
    assert termbase.findings("sv", site) == []


@pytest.mark.parametrize("content, problem", [
    ("- a list", "a map of concept ids"),
    ("x: {concept: c, use: u, avoid: [a]}", "key 'source': missing or empty"),
    ("x: {concept: c, use: u, avoid: a, source: s}", "key 'avoid': value 'a': a list of forms"),
    ("x: {concept: c, use: u, avoid: [a], source: s, note: n}", "unknown key 'note'"),
    ("x: {concept: c, use: korta interventioner, avoid: [korta*], source: s}", "is itself matched"),
])
def test_a_bad_termbase_is_named_by_file_concept_and_key(tmp_path, content, problem):
    path = tmp_path / "terms.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(termbase.TermbaseError, match=problem):
        termbase.load("sv", path)


def _built(lang: str):
    if not (BUILD_HTML / lang / "book").is_dir():
        pytest.fail("_build/html is missing: run `make book` (make test builds it first)", pytrace=False)


@pytest.mark.parametrize("lang", EDITIONS)
def test_built_edition_uses_no_form_marked_not_to_use(lang):
    _built(lang)
    found = termbase.findings(lang)
    assert not found, "\n".join(map(str, found))


def test_built_page_with_a_form_not_to_use_fails_on_purpose(tmp_path):
    """The check on a real built page, with one form not to use put in: it fails, naming what to fix."""
    _built("fi")
    shutil.copytree(BUILD_HTML / "fi" / "book", tmp_path / "fi" / "book")
    shutil.copytree(BUILD_HTML / "fi" / "_images", tmp_path / "fi" / "_images")
    page = tmp_path / "fi" / "book" / "year_2025.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</main>", "<p>Muutosohjelman sopeutustavoitteen toteutuminen.</p></main>", 1),
                    encoding="utf-8")
    found = [str(f) for f in termbase.findings("fi", tmp_path)]
    assert ("fi/book/year_2025.html: 'sopeutustavoitteen' is a form not to use for savings (termbase form "
            "'sopeutus*'); use 'säästötavoite, säästöt'") in found


def test_a_quoted_source_passage_keeps_its_words(tmp_path):
    """A note quotes its source as printed: the termbase reads the book's own words, not the quotation."""
    page = tmp_path / "page.html"
    page.write_text('<p>Säästötavoite.</p><span><q lang="fi">Tavoitteena on 100 miljoonan euron sopeutus.</q></span>',
                    encoding="utf-8")
    assert "sopeutus" not in termbase.page_text(page)
    assert "Säästötavoite" in termbase.page_text(page)

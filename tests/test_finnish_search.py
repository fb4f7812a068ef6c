"""The Finnish edition's search by lemma (sotebook/site/finnish_search.py) without a browser: Voikko's base
forms, the table of word forms the search page loads, and a build without Voikko failing with one line.
tests/browser/test_search.py runs the search itself."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sphinx.search.fi import SearchFinnish

from sotebook.paths import ROOT
from sotebook.site.finnish_search import (
    SearchFinnishLemmas, base_form_table, base_forms, base_forms_script, compound_base_forms, page_forms,
)

STEM = SearchFinnish({}).stem


def test_base_forms_undo_consonant_gradation():
    assert base_forms("kotihoidon") == ("kotihoito",)
    assert base_forms("terveydenhuollossa") == ("terveydenhuolto",)
    assert "asiakasmaksu" in base_forms("asiakasmaksuista")  # one of two readings
    assert base_forms("2025") == () and base_forms("xqzv") == ()


def test_compounds_inside_a_compound():
    assert compound_base_forms("hammashoitoajat") == ("hammashoito", "hoitoaika")
    assert "lastensuojelu" in compound_base_forms("lastensuojeluilmoitusten")
    assert compound_base_forms("kotihoidon") == ()  # two parts: only the whole, no single part ("hoito")


def test_index_holds_each_word_and_its_base_forms():
    words = SearchFinnishLemmas({}).split("Kotihoidon asiakkaat ja hammashoitoajat")
    assert words[:2] == ["Kotihoidon", "kotihoito"] and "hammashoito" in words
    assert {STEM(w) for w in words} >= {STEM("kotihoito"), STEM("hammashoito")}


def test_table_maps_only_forms_that_stem_unlike_their_base_form():
    pages = {"a": {"kotihoidon": ("kotihoito",), "kotihoito": ("kotihoito",), "palvelut": ("palvelu",)},
             "b": {"kotihoidossa": ("kotihoito",)}}
    table = base_form_table(pages, STEM)
    assert table == {"kotihoidon": "kotihoito", "kotihoidossa": "kotihoito"}
    assert STEM("palvelut") == STEM("palvelu")  # why it has no entry


def test_a_form_of_two_words_is_searched_by_the_one_more_pages_have():
    pages = {"a": {"x": ("kota", "koti")}, "b": {"kodin": ("koti",)}}
    assert base_form_table(pages, STEM)["x"] == "koti"
    pages = {"a": {"x": ("kota", "koti")}}
    assert base_form_table(pages, STEM)["x"] == "kota"  # a tie: the first in alphabetical order


def test_table_script_is_the_same_bytes_for_the_same_pages():
    from docutils.core import publish_doctree

    doctree = publish_doctree("Kotihoidon asiakkaat. Terveysasemille pääsi nopeammin.\n\n.. a comment: lastensuojelun\n")
    forms = page_forms(doctree)
    assert "kotihoidon" in forms and "lastensuojelun" not in forms  # a comment is not read
    first = base_forms_script(base_form_table({"p": forms, "q": {"hammashoidon": ("hammashoito",)}}, STEM))
    second = base_forms_script(base_form_table({"q": {"hammashoidon": ("hammashoito",)}, "p": dict(reversed(forms.items()))}, STEM))
    assert first == second and '"kotihoidon":"kotihoito"' in first


@pytest.mark.slow
def test_build_without_voikko_fails_with_one_line(tmp_path):
    """No Voikko (here a libvoikko that cannot load its library): the site build stops before building
    anything, with one line saying what to install, instead of writing a Snowball-only Finnish index."""
    (tmp_path / "libvoikko.py").write_text(
        "class VoikkoException(Exception):\n    pass\n\n\nclass Voikko:\n    def __init__(self, language):\n"
        "        raise OSError('libvoikko.so.1: cannot open shared object file: No such file or directory')\n",
        encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    result = subprocess.run([sys.executable, "-m", "sotebook.site.build", "html"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "apt-get install libvoikko1 voikko-fi" in lines[0], result.stderr
    assert "libvoikko.so.1" in lines[0]


def test_an_editions_index_stems_each_word_once_with_the_same_stems():
    """sotebook/site/site_state.py gives each build's search index one memo of its stemmer (Sphinx keeps one per
    page, and Snowball's Finnish stemmer in Python was a third of the Finnish edition's build): the same stems."""
    from types import SimpleNamespace

    from sphinx.search import IndexBuilder

    from sotebook.site import site_state

    env = SimpleNamespace(**{f"_search_index_{name}": {} for name in (
        "titles", "filenames", "mapping", "title_mapping", "all_titles", "index_entries", "objtypes", "objnames")})
    index = IndexBuilder.__new__(IndexBuilder)
    site_state._init_with_one_memo(index, env, "fi", {}, "")
    words = ["kotihoidon", "terveydenhuollossa", "kotihoidon", "asiakasmaksuista"]
    assert [index.lang.stem(w) for w in words] == [STEM(w) for w in words]
    assert index.lang.stem.cache_info().hits == 1, "a word met again is not stemmed again"

"""The search page's JavaScript catalog (sotebook/site/catalogs.py): every word the search script shows is the
edition's translation from locales/<lang>/LC_MESSAGES/sphinx.po, never empty (the browser test reads the page)."""
from __future__ import annotations

import json

import pytest

from sotebook.paths import LOCALES
from sotebook.site.catalogs import javascript_catalog

# What searchtools.js and sphinx_highlight.js write on the page.
SCRIPT_WORDS = ["Searching", "Preparing search...", "Search Results",
                "Search finished, found ${resultCount} page(s) matching the search query.",
                "Your search did not match any documents. Please make sure that all words are spelled correctly and "
                "that you've selected enough categories.", "Hide Search Matches"]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_search_script_words_are_translated(lang):
    text = javascript_catalog(LOCALES / lang / "LC_MESSAGES" / "sphinx.po", lang)
    messages = json.loads(text[text.index("(") + 1:text.rindex(")")])["messages"]
    for msgid in SCRIPT_WORDS:
        assert messages[msgid] and messages[msgid] != msgid, f"{lang}: {msgid!r} is {messages[msgid]!r}"
    assert "${resultCount}" in messages[SCRIPT_WORDS[3]]
    assert text == javascript_catalog(LOCALES / lang / "LC_MESSAGES" / "sphinx.po", lang)  # the same bytes

"""A Sphinx extension for incremental builds of an edition (sotebook/site/build.py, `restore_state`).

Sphinx 7.4's incremental search index has two faults that would make an incremental build differ
from a whole one:
- it keeps the words of the pages it does not read again, but not their index entries (the
  glossary's terms), so the search would stop finding a term after a build that did not touch the
  glossary. Pages with index entries are therefore read again on every build; for this book that
  is the glossary alone, a page with no code and no chart;
- when a page is read again, the words it no longer has stay in the index with no page
  (`"oldword": []`). They are dropped here, as a whole build never writes them.

Its index also reads a notebook's HTML output (a table) by deleting the tags, so the last word of one cell
and the first of the next became one word ("Turpeinen</td><td>terveysasemat" was indexed as
"turpeinenterveysasem", and the page was not found by "terveysasema"): a space goes before every tag of a
block or a cell while the page is indexed (`_word_collector`), and the page's HTML is left as it is.

And it would write every page again: it rewrites a page when any template is newer than the page's
HTML, and the theme writes a template of its own at every build. An incremental build happens only
when no template changed (build.py compares the staged templates and the installed packages), so
here a page is rewritten when its own source changed.

Not a matter of bytes but of time: Sphinx stems each word of a page again for every page (its memo lives
for one `feed`), and Snowball's pure-Python stemmers are slow (the Finnish edition's index took a third of
its build). The edition's stemmer keeps one memo per build instead: a word's stem does not depend on the page.
"""
from __future__ import annotations

import functools
import re

from docutils import nodes
from sphinx.search import IndexBuilder

_prune = IndexBuilder.prune
_init_index = IndexBuilder.__init__
_collect_words = IndexBuilder._word_collector
# The tags that separate words in a browser: a block's or a table cell's (not a, b, em, span... inside a word).
_SEPARATING_TAG = re.compile(r"</?(?:address|article|aside|blockquote|br|caption|dd|details|div|dl|dt|figcaption|"
                             r"figure|footer|h[1-6]|header|hr|li|ol|p|pre|section|summary|table|tbody|td|tfoot|th|"
                             r"thead|tr|ul)\b[^>]*>", re.I)


def _word_collector_with_separated_cells(self, doctree):
    raw = [node for node in doctree.findall(nodes.raw) if "html" in node.get("format", "").split()]
    saved = [node.children[:] for node in raw]
    try:
        for node in raw:
            node.children = [nodes.Text(_SEPARATING_TAG.sub(lambda tag: " " + tag.group(0), node.astext()))]
        return _collect_words(self, doctree)
    finally:
        for node, children in zip(raw, saved):
            node.children = children


def _prune_without_empty_words(self, docnames) -> None:
    _prune(self, docnames)
    for mapping in (self._mapping, self._title_mapping):
        for word in [word for word, pages in mapping.items() if not pages]:
            del mapping[word]


def _init_with_one_memo(self, *args, **kwargs) -> None:
    _init_index(self, *args, **kwargs)
    self.lang.stem = functools.cache(self.lang.stem)  # a pure function of the word: the same index, sooner


def _with_index_entries(app, env, added, changed, removed) -> list[str]:
    entries = env.get_domain("index").entries
    return sorted(doc for doc, found in entries.items() if found and doc not in removed)


def _templates_unchanged(app) -> None:
    if hasattr(app.builder, "templates"):
        app.builder.templates.newest_template_mtime = lambda: 0.0


def setup(app):
    # Only in the builds that load this extension: the book's own, one process per edition.
    IndexBuilder.__init__ = _init_with_one_memo
    IndexBuilder.prune = _prune_without_empty_words
    IndexBuilder._word_collector = _word_collector_with_separated_cells
    app.connect("env-get-outdated", _with_index_entries)
    app.connect("builder-inited", _templates_unchanged)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""The Finnish edition's search by lemma: a word is found in any of its inflected forms.

A Sphinx extension (listed in `_config.yml`). Sphinx's Finnish search stems with Snowball, which does not undo
consonant gradation: "kotihoito" and "kotihoidon" stem to different terms, so a search for one missed the
pages with the other. Voikko (Debian's `libvoikko1` and `voikko-fi`, read through the PyPI binding `libvoikko`)
gives a word's base forms ("kotihoidon" -> "kotihoito"), and both sides of the search use them:

- the index: `SearchFinnishLemmas.split` puts each word's base forms beside it, so a page is indexed under
  Snowball's stem of every word and of every base form of it (all of Voikko's readings); a compound also under
  the compounds inside it ("hammashoitoajat" under "hammashoito"), so a search for a compound finds the longer
  compounds made with it;
- the query: the JavaScript stemmer looks a query word up in a table of the book's own Finnish word forms
  (`_static/finnish_base_forms.js`, written at the end of the build from the words each page was read with,
  loaded by the search page only) and stems its base form instead. A form that stems like one of its base
  forms needs no entry; a form with several readings is mapped to the base form more pages have (then the
  first in alphabetical order): it finds every page with that word, and every page with the form itself
  (indexed under all its readings). A query word the book does not hold is stemmed as it is.

Swedish and English keep Sphinx's Snowball search. Without Voikko the Finnish edition is not built: the
build says what to install (`require_voikko`) instead of quietly writing a Snowball-only index.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.search.fi import SearchFinnish

# The table the search page loads, relative to the site's root; its script defines `finnishBaseForms`.
BASE_FORMS_JS = "_static/finnish_base_forms.js"
MISSING_VOIKKO = ("the Finnish edition's search needs Voikko ({problem}): apt-get install libvoikko1 voikko-fi "
                  "(tools/install_search_deps.sh), and .venv/bin/pip install -r requirements.txt for its binding libvoikko")
# A word Voikko is asked about: letters only (numbers and codes have no base form worth indexing).
_WORD = re.compile(r"[^\W\d_]+")
_TAG = re.compile(r"<[^>]*>")


class VoikkoMissing(ExtensionError):
    """Voikko or its Finnish dictionary is not installed."""


@lru_cache(maxsize=1)
def voikko():
    """Voikko's Finnish analyser; VoikkoMissing, saying what to install, if the library or dictionary is not."""
    try:
        import libvoikko
    except ImportError as error:
        raise VoikkoMissing(MISSING_VOIKKO.format(problem=f"no Python module libvoikko: {error}")) from None
    try:
        return libvoikko.Voikko("fi")
    except (OSError, libvoikko.VoikkoException) as error:
        raise VoikkoMissing(MISSING_VOIKKO.format(problem=" ".join(str(error).split()))) from None


def require_voikko() -> None:
    """Fail early, with one line saying what to install, if Voikko cannot analyse Finnish here."""
    voikko()


@lru_cache(maxsize=None)
def base_forms(word: str) -> tuple[str, ...]:
    """Every base form Voikko gives `word` (all readings), lower case, sorted; () for a word it does not know."""
    if not _WORD.fullmatch(word):
        return ()
    return tuple(sorted({a["BASEFORM"].lower() for a in voikko().analyze(word) if a.get("BASEFORM")}))


# One part of Voikko's WORDBASES ("+koti(koti)+hoi(hoitaa)+to(+to)"): its letters and its base ("+to": a suffix).
_WORDBASE = re.compile(r"\+([^+(]+)(?:\(([^)]*)\))?")


@lru_cache(maxsize=None)
def compound_base_forms(word: str) -> tuple[str, ...]:
    """The base forms of the compounds inside a compound word, as Voikko reads its parts: every run of two or
    more of its parts, short of the whole ("hammashoitoajat": hammas+hoito+aika -> "hammashoito", "hoitoaika").
    A single part is not one ("aika" would find every "-aika")."""
    if not _WORD.fullmatch(word):
        return ()
    found = set()
    for analysis in voikko().analyze(word):
        parts: list[str] = []
        for letters, base in _WORDBASE.findall(analysis.get("WORDBASES") or ""):
            if base.startswith("+") and parts:
                parts[-1] += letters  # a derivational suffix belongs to the part before it
            else:
                parts.append(letters)
        for start in range(len(parts)):
            for end in range(start + 2, len(parts) + 1):
                if end - start < len(parts):
                    found.update(base_forms("".join(parts[start:end]).lower()))
    return tuple(sorted(found))


def _minified(name: str) -> str:
    from sphinx import package_dir

    return (Path(package_dir) / "search" / "minified-js" / name).read_text(encoding="utf-8")


# Snowball's Finnish stemmer as Sphinx ships it, behind a look-up of the query word's base form.
_LOOKUP_STEMMER = """
/* sotebook/site/finnish_search.py: a word of the book is stemmed by its base form (finnish_base_forms.js). */
var Stemmer = function() {
  const snowball = new FinnishStemmer();
  const baseForms = typeof finnishBaseForms === "undefined" ? {} : finnishBaseForms;
  this.stemWord = (word) => snowball.stemWord(Object.hasOwn(baseForms, word) ? baseForms[word] : word);
};
"""


class SearchFinnishLemmas(SearchFinnish):
    """Sphinx's Finnish search with every word also indexed under its Voikko base forms."""

    js_stemmer_rawcode = ""  # no separate non-minified copy: the stemmer below is the one the page runs

    @property
    def js_stemmer_code(self) -> str:
        return _minified("base-stemmer.js") + "\n" + _minified("finnish-stemmer.js") + "\n" + _LOOKUP_STEMMER

    def split(self, input: str) -> list[str]:
        words = []
        for word in super().split(input):
            words.append(word)
            lower = word.lower()
            words += [base for base in (*base_forms(lower), *compound_base_forms(lower)) if base != lower]
        return words


# --- The table of the book's word forms

def page_forms(doctree) -> dict[str, tuple[str, ...]]:
    """Each lower-case word of a page's text that Voikko knows, with its base forms."""
    from docutils import nodes

    forms = {}
    for node in doctree.findall(nodes.Text):
        if any(isinstance(parent, nodes.comment) for parent in _ancestors(node)):
            continue
        text = node.astext()
        if isinstance(node.parent, nodes.raw):  # a notebook's HTML output: its text, not its tags
            text = _TAG.sub(" ", text)
        for word in _WORD.findall(text):
            word = word.lower()
            if word not in forms and (bases := base_forms(word)):
                forms[word] = bases
    return forms


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def base_form_table(pages: dict[str, dict[str, tuple[str, ...]]], stem) -> dict[str, str]:
    """Query word -> the base form to stem instead, for every form of the book that stems like none of its
    base forms. `pages`: each page's forms (`page_forms`); `stem`: Snowball's Finnish stemmer."""
    pages_with = {}
    for forms in pages.values():
        for base in {base for bases in forms.values() for base in bases}:
            pages_with[base] = pages_with.get(base, 0) + 1
    table = {}
    for forms in pages.values():
        for form, bases in forms.items():
            if stem(form) not in {stem(base) for base in bases}:
                table[form] = min(bases, key=lambda base: (-pages_with[base], base))
    return dict(sorted(table.items()))


def base_forms_script(table: dict[str, str]) -> str:
    """The table as the search page's script: the same bytes for the same table."""
    return ("/* The Finnish edition's word forms and the base form each is searched by "
            "(sotebook/site/finnish_search.py). */\n"
            f"var finnishBaseForms = {json.dumps(table, ensure_ascii=False, sort_keys=True, separators=(',', ':'))};\n")


# --- Sphinx's events

def _is_finnish(app) -> bool:
    return (app.config.html_search_language or app.config.language or "").split("_")[0] == "fi"


def _check_voikko(app, config) -> None:
    if _is_finnish(app):
        require_voikko()


def _read_forms(app, doctree) -> None:
    if _is_finnish(app):
        env = app.env
        if not hasattr(env, "sotebook_finnish_forms"):
            env.sotebook_finnish_forms = {}
        env.sotebook_finnish_forms[env.docname] = page_forms(doctree)


def _purge_forms(app, env, docname) -> None:
    getattr(env, "sotebook_finnish_forms", {}).pop(docname, None)


def _merge_forms(app, env, docnames, other) -> None:
    if not hasattr(env, "sotebook_finnish_forms"):
        env.sotebook_finnish_forms = {}
    for docname in docnames:
        if docname in getattr(other, "sotebook_finnish_forms", {}):
            env.sotebook_finnish_forms[docname] = other.sotebook_finnish_forms[docname]


def _search_page_scripts(app, pagename, templatename, context, doctree) -> None:
    """The search page's extra data scripts (book/_templates/search.html loads them before the index)."""
    context["sotebook_search_scripts"] = [BASE_FORMS_JS] if pagename == "search" and _is_finnish(app) else []


def _write_table(app, exception) -> None:
    if exception is not None or app.builder.format != "html" or not _is_finnish(app):
        return
    stemmer = lru_cache(maxsize=None)(SearchFinnish({}).stem)  # each form and base is stemmed once, not once per page
    pages = {doc: forms for doc, forms in getattr(app.env, "sotebook_finnish_forms", {}).items()
             if doc in app.env.all_docs}
    path = Path(app.outdir) / BASE_FORMS_JS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(base_forms_script(base_form_table(pages, stemmer)), encoding="utf-8")


def setup(app):
    """Sphinx extension: the Finnish edition's search by lemma."""
    app.add_search_language(SearchFinnishLemmas)
    app.connect("config-inited", _check_voikko)
    app.connect("doctree-read", _read_forms)
    app.connect("env-purge-doc", _purge_forms)
    app.connect("env-merge-info", _merge_forms)
    app.connect("html-page-context", _search_page_scripts)
    app.connect("build-finished", _write_table)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}

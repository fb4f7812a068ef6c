"""The termbase: one term for one concept in each edition, and a check of the built pages against it.

Each edition has its termbase in `words/<lang>/terms.yml` (not a words file: no page reads a message from
it): per concept, the form to use, the forms not to use, and where the choice comes from (the City's own
publications in ../shared/seeds first). `findings(lang)` reads every built page of that edition under
`_build/html/<lang>/` as a reader meets it (the visible text, the accessible names: alt, aria-label, title,
placeholder, and the text of the SVG charts the page shows) and lists each use of a form marked not to use,
naming the page, the form as printed and the form to use.

How a form is matched:
- Finnish by base form, with Voikko (as the search does, `finnish_search.base_forms`): the form
  "sopeutustavoite" matches "sopeutustavoitteen" and "sopeutustavoitteensa". A word Voikko does not know
  ("milj") matches as it is written.
- Swedish and English as written (case aside), since a stemmer would join unrelated words (Snowball stems
  Swedish "mätaren" and "mäter" alike): list the inflected forms, or end a word with `*` for any ending
  ("anpassning*": anpassningen, anpassningsåtgärder). In Finnish `*` extends the base form the same way
  ("sopeutus*": sopeutustoimien, whose base form is "sopeutustoimi").
- A form of several words matches those words in a row ("hälso- och välfärdscentral*").

`python -m sotebook.site.termbase [LANG ...]` prints the findings and exits 1 if there are any.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from sotebook.errors import ProjectError
from sotebook.pages.words import TERMBASE_FILE
from sotebook.paths import BUILD_HTML, ROOT, relative

WORDS = ROOT / "words"
SITE = BUILD_HTML
KEYS = {"concept", "use", "avoid", "source", "why"}
REQUIRED = ("concept", "use", "avoid", "source")
# A word of a page or a form: letters and digits, joined by hyphens; a trailing hyphen stays ("hälso-").
_TOKEN = re.compile(r"[^\W_]+(?:[-‐][^\W_]+)*[-‐]?\*?")
# The attributes that name an element for a screen reader, or that a reader sees on hover or in a field.
ACCESSIBLE_NAMES = ("alt", "aria-label", "title", "placeholder")


class TermbaseError(ProjectError):
    """A termbase file is not as this module reads it."""


@dataclass(frozen=True)
class Term:
    concept_id: str
    concept: str
    use: str
    avoid: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Finding:
    page: str
    printed: str
    avoided: str
    use: str
    concept_id: str
    times: int = 1

    def __str__(self) -> str:
        times = f" ({self.times} times)" if self.times > 1 else ""
        return (f"{self.page}: {self.printed!r}{times} is a form not to use for {self.concept_id} "
                f"(termbase form {self.avoided!r}); use {self.use!r}")


def termbase_path(lang: str) -> Path:
    return WORDS / lang / TERMBASE_FILE


def load(lang: str, path: Path | None = None) -> list[Term]:
    """An edition's terms; TermbaseError naming the file, the concept and the key when one is not as expected."""
    path = path or termbase_path(lang)
    where = relative(path)
    try:
        tree = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise TermbaseError(f"{where}: cannot be read ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise TermbaseError(f"{where}: is not valid YAML ({' '.join(str(error).split())})") from None
    if not isinstance(tree, dict):
        raise TermbaseError(f"{where}: a termbase is a map of concept ids to terms, not a {type(tree).__name__}")
    terms = []
    for concept_id, entry in tree.items():
        if not isinstance(entry, dict):
            raise TermbaseError(f"{where}, concept {concept_id!r}: give concept, use, avoid and source, not {entry!r}")
        unknown = set(entry) - KEYS
        if unknown:
            raise TermbaseError(f"{where}, concept {concept_id!r}: unknown key {sorted(unknown)[0]!r}; the keys are "
                                f"{', '.join(sorted(KEYS))}")
        for key in REQUIRED:
            if not entry.get(key):
                raise TermbaseError(f"{where}, concept {concept_id!r}, key {key!r}: missing or empty; every term "
                                    "names its concept, the form to use, the forms not to use and its source")
        avoid = entry["avoid"]
        if isinstance(avoid, str) or not all(isinstance(a, str) and a.strip() for a in avoid):
            raise TermbaseError(f"{where}, concept {concept_id!r}, key 'avoid': value {avoid!r}: a list of forms")
        for form in avoid:
            if _matches_in(lang, _tokens(entry["use"]), _tokens(form)):
                raise TermbaseError(f"{where}, concept {concept_id!r}: the form to use {entry['use']!r} is itself "
                                    f"matched by the form not to use {form!r}")
        terms.append(Term(str(concept_id), str(entry["concept"]), str(entry["use"]), tuple(avoid), str(entry["source"])))
    return terms


def _tokens(text: str) -> list[str]:
    return [t.replace("‐", "-") for t in _TOKEN.findall(text)]


@lru_cache(maxsize=None)
def _keys(lang: str, word: str) -> frozenset[str]:
    """What a word of a page is matched by: itself in lower case and, in Finnish, its base forms."""
    word = word.lower()
    keys = {word}
    if lang == "fi" and not word.endswith("-"):
        from sotebook.site.finnish_search import base_forms

        keys.update(base_forms(word))
        if "-" in word:  # "HUS-yhtymältä": the last part inflects
            head, _, last = word.rpartition("-")
            keys.update(f"{head}-{b}" for b in base_forms(last))
    return frozenset(keys)


def _word_matches(lang: str, form_word: str, page_word: str) -> bool:
    keys = _keys(lang, page_word)
    if form_word.endswith("*"):
        stem = form_word[:-1].lower()
        return any(k.startswith(stem) for k in keys)
    return form_word.lower() in keys


def _matches_in(lang: str, words: list[str], form: list[str]) -> list[int]:
    """The positions in `words` where `form` (its words in a row) begins."""
    n = len(form)
    return [i for i in range(len(words) - n + 1)
            if all(_word_matches(lang, f, w) for f, w in zip(form, words[i:i + n]))]


def page_text(path: Path) -> str:
    """What a reader meets on a built page in the book's own words: its visible text but the sources it
    quotes, its accessible names, the text of its SVG charts."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    # A quotation of a source (a note's passage) keeps the source's words, whatever the termbase prefers.
    for hidden in soup(["script", "style", "template", "q"]):
        hidden.decompose()
    parts = [soup.get_text(" ")]
    for element in soup.find_all(True):
        parts.extend(str(element[a]) for a in ACCESSIBLE_NAMES if element.has_attr(a))
        if element.name == "img" and str(element.get("src", "")).endswith(".svg"):
            image = (path.parent / element["src"]).resolve()
            if image.is_file():
                svg = BeautifulSoup(image.read_text(encoding="utf-8"), "html.parser")
                parts.extend(t.get_text(" ") for t in svg.find_all(["text", "title", "desc"]))
    return "\n".join(parts)


def pages(lang: str, site: Path = SITE) -> list[Path]:
    return sorted((site / lang).rglob("*.html"))


def check_text(lang: str, terms: list[Term], page: str, text: str) -> list[Finding]:
    """Each form not to use in one page's text, once per form as printed, with how often it stands there."""
    words = _tokens(text)
    counts: dict[tuple[str, str, Term], int] = {}
    for term in terms:
        for form in term.avoid:
            n = len(_tokens(form))
            for i in _matches_in(lang, words, _tokens(form)):
                key = (" ".join(words[i:i + n]), form, term)
                counts[key] = counts.get(key, 0) + 1
    return [Finding(page, printed, form, term.use, term.concept_id, times)
            for (printed, form, term), times in counts.items()]


def findings(lang: str, site: Path = SITE, terms: list[Term] | None = None) -> list[Finding]:
    """Every use of a form not to use on the built pages of an edition, page by page."""
    terms = load(lang) if terms is None else terms
    found = []
    for path in pages(lang, site):
        found.extend(check_text(lang, terms, str(path.relative_to(site)), page_text(path)))
    return found


def main(argv: list[str]) -> int:
    langs = argv or sorted(p.parent.name for p in WORDS.glob(f"*/{TERMBASE_FILE}"))
    status = 0
    for lang in langs:
        for finding in findings(lang):
            print(finding)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

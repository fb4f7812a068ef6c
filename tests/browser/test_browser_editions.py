"""The three editions (fi, sv, en): the root's language chooser, each page in its edition's language,
the edition switcher and hreflang links leading to the same page in the other editions, and no English
left in the Finnish and Swedish editions."""
from __future__ import annotations

from html.parser import HTMLParser
import os
from pathlib import PurePosixPath
import posixpath
import re

import pytest

from browser_harness import (
    BUILD_HTML, EDITIONS, EDITIONS_LABEL, NOT_BUILT, REFRESH, VISIBLE_TEXT_JS, built_pages, edition_of, edition_pages,
    english_leaks, goto, page_params, require_build,
)

PAGES = built_pages()
READ_PAGES = edition_pages()  # every edition's pages, without the forwards
SWITCHER = "nav.sotebook-editions"


def _resolve(page: str, href: str) -> str:
    """`href` on page `page` (both relative to _build/html) as a path relative to _build/html."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href.split("#")[0]))


def _twin(page: str, lang: str) -> str:
    return f"{lang}/{page.split('/', 1)[1]}"


# ---------------------------------------------------------------------------------------------
# The root chooser and each edition's root


def test_root_is_a_language_chooser(desktop_page, server):
    """The site root is a page of its own (no forward) whose three links lead to each edition's front page."""
    require_build()
    text = (BUILD_HTML / "index.html").read_text(encoding="utf-8")
    assert not REFRESH.search(text), "the root index.html should be a chooser, not a redirect"
    page = desktop_page
    goto(page, server, "index.html")
    assert page.url == server + "index.html", f"the root forwarded to {page.url}"
    assert page.evaluate("document.documentElement.lang") == "fi"
    links = page.eval_on_selector_all(
        "a[hreflang]",
        "links => links.map(a => [a.getAttribute('href'), a.hreflang, a.closest('[lang]').lang, a.innerText.trim()])",
    )
    assert sorted(l[1] for l in links) == sorted(EDITIONS), f"the chooser's links: {links}"
    for href, hreflang, lang, text in links:
        assert href == f"{hreflang}/book/index.html", f"the {hreflang} link points at {href}"
        assert lang == hreflang, f"the {hreflang} link ({text!r}) is marked lang={lang!r}"
        assert text, f"the {hreflang} link has no text"
    for href, hreflang, _, text in links:
        goto(page, server, "index.html")
        page.locator(f"a[hreflang='{hreflang}']").click()
        page.wait_for_load_state("load")
        assert page.url == server + href, f"clicking {text!r} went to {page.url}"
        assert page.evaluate("document.documentElement.lang") == hreflang, f"{page.url} is not in {hreflang}"
        assert page.locator("h1").first.inner_text().strip(), f"{page.url} has no h1"
    assert not page.log.problems(), page.log.problems()


@pytest.mark.parametrize("lang", EDITIONS)
def test_edition_root_forwards_to_its_front_page(desktop_page, server, lang):
    require_build()
    goto(desktop_page, server, f"{lang}/index.html")
    assert desktop_page.url == server + f"{lang}/book/index.html", f"{lang}/index.html went to {desktop_page.url}"
    assert desktop_page.evaluate("document.documentElement.lang") == lang
    assert not desktop_page.log.problems(), desktop_page.log.problems()


# ---------------------------------------------------------------------------------------------
# Each page's language, its hreflang links and its switcher, in the built files


class _EditionLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.html_lang = None
        self.alternates: list[tuple[str, str]] = []   # (hreflang, href) of <link rel=alternate>
        self.switchers: list[dict] = []                # every nav.sotebook-editions
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.alternates.append((a["hreflang"], a.get("href", "")))
        elif tag == "nav" and "sotebook-editions" in (a.get("class") or "").split():
            self.switchers.append({"label": a.get("aria-label"), "links": [], "current": []})
            self._depth = 1
        elif self._depth:
            if tag == "nav":
                self._depth += 1
            elif tag == "a":
                self.switchers[-1]["links"].append(a)
            elif a.get("aria-current"):
                self.switchers[-1]["current"].append(a)

    def handle_endtag(self, tag):
        if self._depth and tag == "nav":
            self._depth -= 1


def _parse(page: str) -> _EditionLinks:
    parser = _EditionLinks()
    parser.feed((BUILD_HTML / page).read_text(encoding="utf-8", errors="replace"))
    return parser


def test_every_page_is_in_its_editions_language():
    """<html lang> is the edition on every page of it, the forwards included."""
    require_build()
    wrong = {}
    for page in PAGES:
        lang = edition_of(page)
        if lang and _parse(page).html_lang != lang:
            wrong[page] = _parse(page).html_lang
    assert not wrong, f"pages whose <html lang> is not their edition: {wrong}"


@pytest.mark.parametrize("path", READ_PAGES)
def test_hreflang_links_and_switcher_point_at_the_same_page(path):
    require_build(path)
    lang = edition_of(path)
    parsed = _parse(path)
    problems = []
    # The head's hreflang links are absolute, under the site's address (SOTEBOOK_SITE_URL at build time):
    # search engines and Lighthouse take no other. A build that does not know the address writes none.
    alternates = dict(parsed.alternates)
    site = os.environ.get("SOTEBOOK_SITE_URL", "").rstrip("/") + "/"
    if (alternates or site != "/") and sorted(alternates) != sorted(EDITIONS):
        problems.append(f"head's hreflang links are for {sorted(alternates)}, not {sorted(EDITIONS)}")
    for hreflang, href in parsed.alternates:
        if not href.startswith(("https://", "http://")):
            problems.append(f"<link hreflang={hreflang} href={href}> is not an absolute address")
            continue
        marker = f"/{hreflang}/"
        target = href[len(site):] if site != "/" and href.startswith(site) else href[href.find(marker) + 1:]
        if target != _twin(path, hreflang) or not (BUILD_HTML / target).is_file():
            problems.append(f"<link hreflang={hreflang} href={href}> -> {target} (exists: {(BUILD_HTML / target).is_file()})")
    if len(parsed.switchers) != 1:
        problems.append(f"{len(parsed.switchers)} edition switchers, not one")
    else:
        switcher = parsed.switchers[0]
        if switcher["label"] != EDITIONS_LABEL[lang]:
            problems.append(f"the switcher's aria-label is {switcher['label']!r}, not {EDITIONS_LABEL[lang]!r}")
        others = sorted(a.get("hreflang", "") for a in switcher["links"])
        if others != sorted(set(EDITIONS) - {lang}):
            problems.append(f"the switcher links to editions {others}")
        for a in switcher["links"]:
            target = _resolve(path, a.get("href", ""))
            if a.get("lang") != a.get("hreflang"):
                problems.append(f"switcher link {a} has lang {a.get('lang')!r}, not its hreflang")
            if target != _twin(path, a.get("hreflang", "")) or not (BUILD_HTML / target).is_file():
                problems.append(f"switcher link {a.get('href')} -> {target} (exists: {(BUILD_HTML / target).is_file()})")
        current = switcher["current"]
        if len(current) != 1 or current[0].get("aria-current") != "page" or current[0].get("lang") != lang:
            problems.append(f"the current edition should be one aria-current=page in lang {lang}: {current}")
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)


# ---------------------------------------------------------------------------------------------
# The switcher in Chromium


# The pages whose switcher is clicked in Chromium: one of each template the switcher sits in (a chapter, the
# front page, a hand-written page and Sphinx's search page). Where every page's switcher links lead is
# checked in the built files above; this shows the links work when clicked, which nothing on a page could
# change but its template.
CLICKED = ("book/index.html", "book/year_2025.html", "book/glossary.html", "search.html")


@pytest.mark.parametrize("lang", EDITIONS)
def test_switcher_lands_on_the_same_page(desktop_page, server, lang):
    """On a page of each template, the switcher's links, as the browser resolves them, are the same page in
    the other editions, and clicking one of them (the editions take turns) lands on it."""
    require_build()
    page = desktop_page
    others = [other for other in EDITIONS if other != lang]
    for number, path in enumerate(f"{lang}/{name}" for name in CLICKED):
        assert path in edition_pages(lang), f"{path} is not a page of the {lang} edition"
        goto(page, server, path)
        links = dict(page.eval_on_selector_all(f"{SWITCHER} a[hreflang]", "as => as.map(a => [a.hreflang, a.href])"))
        assert links == {other: server + _twin(path, other) for other in others}, f"{path}: the switcher's links {links}"
        other = others[number % len(others)]
        page.locator(f"{SWITCHER} a[hreflang='{other}']").click()
        page.wait_for_load_state("load")
        assert page.url == server + _twin(path, other), f"{path}: the {other} link went to {page.url}"
        assert page.evaluate("document.documentElement.lang") == other, f"{page.url} is not in {other}"
    # Only what the switcher could cause: the pages' own problems (charts) are test_browser_pages'.
    assert not (page.log.failed_requests or page.log.foreign_requests or page.log.page_errors), page.log.problems()


@pytest.mark.parametrize("lang", EDITIONS)
def test_switcher_works_from_the_keyboard_and_has_a_name(desktop_page, server, lang):
    """Tab reaches each switcher link and Enter follows it; the switcher is a navigation landmark named
    in the edition's language."""
    require_build()
    page = desktop_page
    path = f"{lang}/book/year_2025.html"
    goto(page, server, path)
    nav = page.get_by_role("navigation", name=EDITIONS_LABEL[lang], exact=True)
    assert nav.count() == 1, f"{path}: no navigation landmark named {EDITIONS_LABEL[lang]!r}"
    assert nav.evaluate("n => n.matches('nav.sotebook-editions')")
    assert nav.is_visible(), f"{path}: the switcher is not visible"
    for other in EDITIONS:
        if other == lang:
            continue
        goto(page, server, path)
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches(\"{SWITCHER} a[hreflang='{other}']\")"):
                break
        else:
            pytest.fail(f"{path}: 80 presses of Tab never reached the switcher's {other} link", pytrace=False)
        page.keyboard.press("Enter")
        page.wait_for_url(server + _twin(path, other), wait_until="load", timeout=10_000)
        assert page.evaluate("document.documentElement.lang") == other
    assert not (page.log.failed_requests or page.log.foreign_requests or page.log.page_errors), page.log.problems()


# ---------------------------------------------------------------------------------------------
# English left in the Finnish and Swedish editions


def test_the_english_detector_itself():
    finnish = ("Terveysasemien lääkärikäynnit vähenivät vuonna 2025, ja hoitajakäynnit lisääntyivät. "
               "Kotihoidon asiakkaita oli 1,2 % enemmän kuin vuotta aiemmin.")
    swedish = ("Läkarbesöken på hälsostationerna minskade år 2025 och sjukskötarbesöken ökade. "
               "Det är en del av tjänsterna i Helsingfors, per invånare, och man går in på sidan.")
    assert english_leaks(finnish) == [] and english_leaks(swedish) == []
    english = "The number of visits rose, which is the largest change of the decade."
    leaked = finnish.replace(". ", f". {english} ", 1)
    found = english_leaks(leaked)
    assert len(found) == 1 and "The number of visits rose" in found[0], found
    assert english_leaks(f"{finnish} Back to top") and english_leaks(f"Siirry {finnish} Print to PDF")
    assert english_leaks("Hae sivustolta: Search") and not english_leaks("Haku ja Searchable-kenttä")


FI_SV_PAGES = [p for p in READ_PAGES if edition_of(p) in ("fi", "sv")] or [NOT_BUILT]


@pytest.mark.parametrize("path", page_params(FI_SV_PAGES))
def test_no_english_on_finnish_and_swedish_pages(page_visit, path):
    """The page's own-language text (all details opened; text marked with another lang left out;
    aria-label, title, placeholder and alt included) holds no English sentence and no untranslated
    theme string."""
    seen = page_visit(path)
    text, names = seen.text, seen.names
    leaks = english_leaks(text) + [name.strip() for name in names.split("\n") if english_leaks(name)]
    assert not leaks, f"{path}: {len(leaks)} English snippets:\n  " + "\n  ".join(leaks)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style", "head")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style", "head") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_no_english_on_the_forward_page(lang):
    """<lang>/index.html is left at once by a browser, but a reader without meta refresh reads it."""
    require_build()
    parser = _Text()
    parser.feed((BUILD_HTML / lang / "index.html").read_text(encoding="utf-8"))
    leaks = english_leaks(" ".join(parser.parts))
    assert not leaks, f"{lang}/index.html: {leaks}"


# ---------------------------------------------------------------------------------------------
# The site's own words in the Finnish and Swedish editions: the search page with a query (its status line comes
# from the JavaScript catalog, sotebook/site/catalogs.py), the index page, the previous/next links and the footer.
# The pages' English check above reads every book page and the search page before a search; these read what
# it cannot see: the lines the search script writes, the index page, and words that are not English but
# are not the edition's either (bare "<" and ">" for previous and next, "Tekijä" without its colon).

SEARCH_FINISHED = "Search finished, found ${resultCount} page(s) matching the search query."
NO_MATCH = ("Your search did not match any documents. Please make sure that all words are spelled correctly and "
            "that you've selected enough categories.")


def _catalog(lang: str) -> dict[str, str]:
    """The edition's theme words (locales/<lang>/LC_MESSAGES/sphinx.po): English message -> translation."""
    from babel.messages.pofile import read_po

    with (BUILD_HTML.parents[1] / "locales" / lang / "LC_MESSAGES" / "sphinx.po").open("rb") as po:
        return {m.id: m.string for m in read_po(po) if isinstance(m.id, str) and m.id}


def _own_language_leaks(page) -> list[str]:
    text, names = page.evaluate(VISIBLE_TEXT_JS)
    return english_leaks(text) + [name.strip() for name in names.split("\n") if english_leaks(name)]


@pytest.mark.parametrize("lang, query", [("fi", "kotihoito"), ("sv", "hemvård"), ("fi", "xqzvw"), ("sv", "xqzvw")])
def test_search_page_after_a_search_is_in_the_editions_language(desktop_page, server, lang, query):
    """A search with hits and one without: the heading and the status line the script writes are the
    edition's translations (not empty, not English), and nothing on the page or in its names is English."""
    require_build()
    page, words = desktop_page, _catalog(lang)
    goto(page, server, f"{lang}/search.html?q={query}")
    page.wait_for_function("() => { const h = document.querySelector('#search-results h2');"
                           " return h !== null && h.querySelector('span') === null; }", timeout=15_000)
    count = page.locator("#search-results ul.search > li").count()
    assert (count > 0) == (query != "xqzvw"), f"{lang}: {query!r} found {count} pages"
    status = page.inner_text("#search-results p.search-summary").strip()
    expected = words[SEARCH_FINISHED].replace("${resultCount}", str(count)) if count else words[NO_MATCH]
    assert status == expected and status and not english_leaks(status), f"{lang}: the status line is {status!r}"
    assert page.inner_text("#search-results h2").strip() == words["Search Results"]
    # The results' excerpts quote the pages, whose own check reads them with their lang marks (the metric
    # dictionary's English labels, a source's passage): the search script drops those marks, so they are left
    # out here. The script fetches each page for its excerpt after it has listed the results: wait until it
    # has fetched them all (no request for half a second), or an excerpt arriving late would be read.
    page.wait_for_load_state("networkidle")
    page.wait_for_function("""() => {  // and the excerpts' count has not changed for a second
        const n = document.querySelectorAll('#search-results p.context').length, now = Date.now();
        if (window.__excerpts !== n) { window.__excerpts = n; window.__since = now; }
        return now - window.__since > 1000; }""", polling=200, timeout=15_000)
    page.evaluate("() => document.querySelectorAll('#search-results p.context').forEach(p => p.remove())")
    assert not _own_language_leaks(page), f"{lang}/search.html?q={query}: {_own_language_leaks(page)}"
    noscript = " ".join(page.locator("article noscript, .bd-search-container noscript").first.inner_text().split())
    assert words["Please activate JavaScript to enable the search functionality."] in noscript, noscript
    assert not english_leaks(noscript), noscript
    assert not page.log.problems(), page.log.problems()


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_index_page_is_in_the_editions_language(desktop_page, server, lang):
    require_build()
    page = desktop_page
    goto(page, server, f"{lang}/genindex.html")
    assert page.inner_text("article h1").strip() == _catalog(lang)["Index"]
    assert not _own_language_leaks(page), f"{lang}/genindex.html: {_own_language_leaks(page)}"


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_previous_next_and_footer_are_in_the_editions_language(desktop_page, server, lang):
    """The previous/next links say "edellinen"/"seuraava" (not bare "<" and ">"), with the edition's accessible
    names, and the footer's author line is written as the catalog says ("Tekijä: ...")."""
    require_build()
    page, words = desktop_page, _catalog(lang)
    goto(page, server, f"{lang}/book/trends.html")
    for link, subtitle, name in (("a.left-prev", "previous", "previous page"), ("a.right-next", "next", "next page")):
        assert page.text_content(f"{link} .prev-next-subtitle").strip() == words[subtitle], f"{lang}: {link}"
        assert page.get_attribute(link, "title") == words[name], f"{lang}: {link}'s name"
    author = " ".join(page.inner_text("footer .component-author").split())
    assert author.startswith(words["By"] + " "), f"{lang}: the footer says {author!r}"
    footer = page.evaluate("() => Array.from(document.querySelectorAll('.prev-next-area, footer'))"
                           ".map(e => e.innerText).join(' ')")
    assert not english_leaks(footer), f"{lang}: {english_leaks(footer)}"

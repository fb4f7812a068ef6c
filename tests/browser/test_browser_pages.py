"""Every page of the built book in a real browser: it loads cleanly, its charts' images load (the drawing
made for the viewport's width, nothing wider than the screen), it runs no chart script and asks nothing
of any other host, its headings are in order and every chart has its text alternative."""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from browser_harness import (
    BUILD_HTML, EDITIONS, SOURCE_WORD, built_pages, edition_of, goto, page_params, require_build,
)
from sotebook.pages.charts import CHART_WIDTHS

# The drawing each viewport must get (sotebook.pages.charts.CHART_WIDTHS): the phone's, and the desktop's.
EXPECTED_WIDTH = {"phone": CHART_WIDTHS[-1][1], "desktop": CHART_WIDTHS[0][1]}

PAGES = built_pages()


def test_book_is_built():
    require_build()
    assert (BUILD_HTML / "index.html").is_file(), f"{BUILD_HTML}/index.html (the language chooser) is missing"
    for lang in EDITIONS:
        for name in ("index.html", "search.html", "book/index.html"):
            assert (BUILD_HTML / lang / name).is_file(), f"{BUILD_HTML}/{lang}/{name} is missing"


@pytest.mark.parametrize("path", page_params(PAGES))
def test_page_loads_without_errors(page_visit, path):
    """(a) No console error, page error, failed request or dialog beyond the documented noise, once the
    charts are drawn and the network is quiet."""
    seen = page_visit(path)
    problems = seen.log.problems() + [error for error in (seen.chart_error, seen.idle_error) if error]
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("path", page_params(PAGES))
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_charts_render(page_visit, path, width):
    """(b) Every chart's image loads, the drawing made for this viewport (the phone's at 390 px, the
    desktop's at 1280 px), inside the viewport; nothing on the page is wider than the screen."""
    seen = page_visit(path, width)
    if seen.chart_error:
        pytest.fail(f"{path}: {seen.chart_error}: {seen.charts}", pytrace=False)
    viewport = seen.viewport
    for chart in seen.charts:
        assert chart["img"] and chart["complete"] and chart["naturalWidth"] > 0, f"{path}: chart {chart['id']}: {chart}"
        assert chart["chosen"] == chart["expected"], f"{path}: chart {chart['id']} shows {chart['chosen']}, not {chart['expected']}"
        assert chart["naturalWidth"] == EXPECTED_WIDTH[width], (
            f"{path}: chart {chart['id']} at {viewport} px is the {chart['naturalWidth']} px drawing, "
            f"not the {EXPECTED_WIDTH[width]} px one")
        box = chart["box"]
        assert box["width"] > 100 and box["height"] > 50, f"{path}: chart {chart['id']} is {box}"
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport + 1, (
            f"{path}: chart {chart['id']} overflows the {viewport}px viewport: {box}"
        )
    # No figure is wider than the screen (a drawing too wide for the column would push it out).
    assert not seen.facts["wide"], f"{path}: these figures overflow the {viewport} px viewport: {seen.facts['wide']}"
    assert seen.facts["pageWidth"] <= viewport + 1, f"{path}: the page is {seen.facts['pageWidth']} px wide at {viewport} px"
    assert not seen.log.page_errors, f"{path}: {seen.log.page_errors}"
    assert seen.chart_count == len(seen.charts) == seen.facts["pictures"], f"{path}: a chart without its image"


@pytest.mark.parametrize("path", page_params(PAGES))
def test_no_script_draws_charts(page_visit, path):
    """The charts are images drawn at build time: no page loads vega or any other script to draw them."""
    found = page_visit(path).facts["chartScripts"]
    assert found == {"scripts": [], "globals": [], "svgInPage": 0}, f"{path}: {found}"


@pytest.mark.parametrize("path", page_params(PAGES))
def test_no_request_leaves_localhost(page_visit, path):
    """(c) The page, once loaded and its charts drawn, asked no other host for anything."""
    foreign = page_visit(path).log.foreign_requests
    assert not foreign, f"{path} requested other hosts (aborted by the test): {foreign}"


@pytest.mark.parametrize("path", page_params(PAGES))
def test_headings_in_order_and_charts_have_text_alternatives(page_visit, path):
    """(f) One h1, no skipped heading level; every chart has a text alternative, a caption, a source
    and a data download; ids are unique."""
    facts = page_visit(path).facts
    headings = facts["headings"]
    levels = [level for level, _ in headings]
    assert levels.count(1) == 1, f"{path}: expected exactly one h1, got {headings}"
    assert levels[0] == 1, f"{path}: the first heading is not the h1: {headings}"
    for (before, _), (level, text) in zip(headings, headings[1:]):
        assert level <= before + 1, f"{path}: heading {text!r} (h{level}) skips a level after h{before}: {headings}"
    assert not facts["duplicateIds"], f"{path}: duplicate ids (two charts with one chart_id?): {facts['duplicateIds']}"

    for chart in facts["figures"]:
        chart_id = chart["id"]
        assert chart["images"] == 1, f"{path}: chart {chart_id} is not one image"
        label = chart["alt"].strip()
        assert len(label) >= 20, f"{path}: chart {chart_id} has no real text alternative: {label!r}"
        assert chart["figures"] == 1, f"{path}: chart {chart_id} is not inside a figure"
        assert label in chart["caption"], f"{path}: the text alternative of {chart_id} is not in its caption"
        source = SOURCE_WORD[edition_of(path)]
        assert source in chart["caption"], f"{path}: chart {chart_id} names no source ({source!r})"
        downloads = chart["downloads"]
        assert len(downloads) == 1 and downloads[0].startswith("data:text/csv"), (
            f"{path}: chart {chart_id} has no CSV download"
        )
        assert chart["tableCaptions"] == 1, f"{path}: chart {chart_id} has no data table"


def _sidebar_links(page):
    return page.eval_on_selector_all(
        "nav.bd-docs-nav a.reference.internal",
        "links => links.map(a => [a.href, a.textContent.trim()])",
    )


def _unanchored(links):
    """Sidebar links without their fragment: the current page links to itself as "#"."""
    return [(href.split("#")[0], text) for href, text in links]


@pytest.mark.parametrize("lang", EDITIONS)
def test_sidebar_navigation(desktop_page, server, lang):
    """(d) Clicking each sidebar link of an edition lands on that page of the same edition: from the front
    page, each link is clicked in the sidebar of the page the one before led to, so every page's sidebar
    is used once."""
    require_build()
    page = desktop_page
    goto(page, server, f"{lang}/index.html")  # the edition's root forwards to its front page
    page.wait_for_url(re.compile(rf".*/{lang}/book/index\.html$"))
    links = _sidebar_links(page)
    assert links, f"the {lang} front page has no sidebar navigation links"
    for href, text in links:
        target = href.split("#")[0]
        assert f"/{lang}/book/" in target, f"{lang}: the sidebar link {text!r} leaves the edition: {href}"
        here = page.url
        assert _unanchored(_sidebar_links(page)) == _unanchored(links), f"{here}: its sidebar differs from the front page's"
        page.locator("nav.bd-docs-nav a.reference.internal", has_text=text).first.click()
        page.wait_for_load_state("load")
        assert page.url.split("#")[0] == target, f"clicking {text!r} on {here} went to {page.url}, not {target}"
        assert page.locator("h1").first.inner_text().strip(), f"{target} has no h1"
        assert page.evaluate("document.documentElement.lang") == lang, f"{target} is not in {lang}"
    assert _unanchored(_sidebar_links(page)) == _unanchored(links), f"{page.url}: its sidebar differs from the front page's"
    assert not page.log.problems(), page.log.problems()


def _search(page, server, lang: str, word: str) -> list[str]:
    """The paths of the pages <lang>/search.html?q=<word> lists."""
    goto(page, server, f"{lang}/search.html?q={word}")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=15_000)
    return [urlsplit(urljoin(page.url, a.get_attribute("href"))).path for a in results.all()]


@pytest.mark.parametrize("lang", EDITIONS)
def test_search_finds_a_page(desktop_page, server, lang):
    """(d) <lang>/search.html?q=<a word from a page's title> lists that page."""
    require_build()
    page = desktop_page
    goto(page, server, f"{lang}/index.html")
    page.wait_for_url(re.compile(rf".*/{lang}/book/.*\.html$"))
    links = _sidebar_links(page)
    href, title = links[-1]
    word = max(re.findall(r"[^\W\d_]{4,}", title), key=len)
    found = _search(page, server, lang, word)
    target = urlsplit(href.split("#")[0]).path
    assert target in found, f"{lang}: searching {word!r} did not list {target}: {found}"
    assert not page.log.problems(), page.log.problems()


def _pages_with_only_inflected_forms(lang: str, base: str) -> set[str]:
    """The /<lang>/book/ pages whose text holds `base` only inflected (a longer word), never bare."""
    found = set()
    for path in sorted((BUILD_HTML / lang / "book").glob("*.html")):
        text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
        words = {w.lower() for w in re.findall(rf"\w*{base}\w*", text, flags=re.I)}
        if base in words or not any(w.startswith(base) for w in words):
            continue
        found.add(f"/{lang}/book/{path.name}")
    return found


@pytest.mark.parametrize("lang, word", [("fi", "terveysasema"), ("sv", "hälsostation")])
def test_search_finds_inflected_forms(desktop_page, server, lang, word):
    """The edition's stemmer at work: the base form finds pages that hold only inflected forms
    (terveysaseman, terveysasemien, terveysasemille; hälsostationen, hälsostationerna)."""
    require_build()
    only_inflected = _pages_with_only_inflected_forms(lang, word)
    assert only_inflected, f"no {lang} page holds only inflected forms of {word!r}: choose another word"
    found = _search(desktop_page, server, lang, word)
    assert only_inflected & set(found), (
        f"{lang}: searching {word!r} listed {found}, none of the pages with only its inflected forms: "
        f"{sorted(only_inflected)}"
    )
    assert not desktop_page.log.problems(), desktop_page.log.problems()

"""What the browser tests share: where the book is, how a page is opened and watched, the axe report."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
import os
from pathlib import Path
from urllib.parse import urljoin, urlsplit
import html
import re

import pytest

from sotebook.site.pdf import serve as pdf_serve

ROOT = Path(__file__).resolve().parents[2]
BUILD_HTML = ROOT / "_build" / "html"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_REPORT = ROOT / "_build" / "axe-report.txt"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BUILD_FIRST = (
    "The built book is missing: {what}. Build it first, e.g. "
    "`make book` (or `.venv/bin/python -m sotebook.site.build html` to rebuild the site from the committed "
    "notebooks), then run these tests."
)
NOT_BUILT = "<book not built>"
REFRESH = re.compile(r"""<meta[^>]+http-equiv=["']?refresh["']?[^>]+content=["']?\s*\d+\s*;\s*url=([^"'>]+)""", re.I)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Console noise that says nothing about the book; anything else on the console fails a test.
#   - THEBE_JS_URL: sphinx-thebe declares it twice on some pages (we drop sphinx_thebe in
#     _config.yml, the entry stays in case a Jupyter Book update brings it back).
#   - "Got invalid theme mode": pydata-sphinx-theme logs it when localStorage holds no mode yet.
#   - favicon.ico 404: chromium asks for /favicon.ico whatever the page says; the book has none.
CONSOLE_ALLOWLIST = (
    "Identifier 'THEBE_JS_URL' has already been declared",
    "Got invalid theme mode",
)
ALLOWED_404_SUFFIXES = ("/favicon.ico",)

# Every chart container: ours (sotebook.pages.charts.show) and altair's own output, should one slip in (it has no
# image, so it fails wait_for_charts: the book draws no chart in the browser).
CHART_SELECTOR = ".sotebook-figure__chart, [id^='altair-viz-']"
# A chart is drawn when its image has loaded: an <img> whose picture source (or own src) arrived, with a
# natural width. What each chart container holds: its image's state and which drawing the browser chose.
CHART_IMAGES_JS = """charts => Array.from(document.querySelectorAll(charts)).map(chart => {
    const img = chart.querySelector('picture img');
    if (!img) return {id: chart.id, img: false};
    const source = Array.from(img.parentElement.querySelectorAll('source'))
        .find(s => window.matchMedia(s.media).matches);
    const expected = source ? new URL(source.srcset, location.href).href : img.src;
    return {id: chart.id, img: true, complete: img.complete, naturalWidth: img.naturalWidth,
            chosen: img.currentSrc, expected: expected, alt: img.alt, box: img.getBoundingClientRect().toJSON()};
})"""


EDITIONS = ("fi", "sv", "en")
# The edition switcher's accessible name in each edition.
EDITIONS_LABEL = {"fi": "Kieli", "sv": "Språk", "en": "Language"}
# How a chart's caption names its source in each edition.
SOURCE_WORD = {"fi": "Lähde:", "sv": "Källa:", "en": "Source:"}


def built_pages() -> list[str]:
    """Every HTML page of the built site, relative to _build/html, except assets and genindex: the
    root's language chooser and, for every edition, <lang>/index.html (a forward), <lang>/search.html
    and every page under <lang>/book/."""
    if not BUILD_HTML.is_dir():
        return [NOT_BUILT]
    pages = sorted(
        path.relative_to(BUILD_HTML).as_posix()
        for path in BUILD_HTML.rglob("*.html")
        if "_static" not in path.relative_to(BUILD_HTML).parts and path.name != "genindex.html"
    )
    return pages or [NOT_BUILT]


def edition_of(path: str) -> str | None:
    """The edition a page belongs to ('fi' for 'fi/book/trends.html'); None for the root chooser."""
    first = path.split("/", 1)[0]
    return first if first in EDITIONS and "/" in path else None


def is_forward(path: str) -> bool:
    """A page that only forwards to another with a meta refresh (<lang>/index.html)."""
    if path == NOT_BUILT:
        return False
    return bool(REFRESH.search((BUILD_HTML / path).read_text(encoding="utf-8", errors="replace")))


def edition_pages(lang: str | None = None) -> list[str]:
    """The pages a reader reads (no forwards, no root chooser), of one edition or of all."""
    pages = [p for p in built_pages() if p != NOT_BUILT and edition_of(p) and not is_forward(p)]
    return [p for p in pages if lang is None or edition_of(p) == lang] or [NOT_BUILT]


# The same local server `make pdf` prints from: one implementation, in the package.
serve = pdf_serve


def require_build(page: str | None = None) -> None:
    if page == NOT_BUILT or not BUILD_HTML.is_dir():
        pytest.fail(BUILD_FIRST.format(what=f"{BUILD_HTML} has no HTML pages"), pytrace=False)


@dataclass
class PageLog:
    """What a page did that a reader would not want: errors, foreign requests, dialogs."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console error: {text}" for text in self.console_errors]
            + [f"page error: {text}" for text in self.page_errors]
            + [f"request to another host (aborted): {url}" for url in self.foreign_requests]
            + [f"failed request: {text}" for text in self.failed_requests]
            + [f"dialog opened: {text}" for text in self.dialogs]
        )


def _is_allowed_console_error(message) -> bool:
    text = message.text
    if any(noise in text for noise in CONSOLE_ALLOWLIST):
        return True
    url = (message.location or {}).get("url", "")
    return "404" in text and url.endswith(ALLOWED_404_SUFFIXES)


def open_page(browser, base_url: str, viewport: dict):
    """A new page in a fresh context, with everything it does logged in `page.log`."""
    context = browser.new_context(viewport=viewport, service_workers="block")
    page = context.new_page()
    log = PageLog()
    local = urlsplit(base_url).netloc

    def route(route):
        url = route.request.url
        if urlsplit(url).netloc == local:
            route.continue_()
        else:
            log.foreign_requests.append(url)
            route.abort()

    def on_console(message):
        if message.type == "error" and not _is_allowed_console_error(message):
            where = (message.location or {}).get("url", "")
            log.console_errors.append(f"{message.text} ({where})")

    def on_response(response):
        if response.status >= 400 and not response.url.endswith(ALLOWED_404_SUFFIXES):
            log.failed_requests.append(f"{response.status} {response.url}")

    def on_dialog(dialog):
        log.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.route("**/*", route)
    page.on("console", on_console)
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    page.on("response", on_response)
    page.on("dialog", on_dialog)
    page.log = log
    return page


def goto(page, base_url: str, path: str) -> None:
    """Open `path`; a forward page (an edition's root, <lang>/index.html) is followed to its target."""
    require_build(path)
    response = page.goto(base_url + path, wait_until="load")
    assert response is not None and response.ok, f"{path}: HTTP {response.status if response else 'no response'}"
    # Read the redirect from the file: the browser may already have left the page.
    refresh = REFRESH.search((BUILD_HTML / path.split("?")[0]).read_text(encoding="utf-8", errors="replace"))
    if refresh:
        target = urljoin(response.url, html.unescape(refresh.group(1)).strip())
        page.wait_for_url(target, wait_until="load", timeout=10_000)


def wait_for_charts(page, timeout_ms: int = 20_000) -> int:
    """Wait until every chart container's image has loaded and decoded; return how many charts."""
    count = page.locator(CHART_SELECTOR).count()
    if count:
        page.wait_for_function(
            """charts => Promise.all(Array.from(document.querySelectorAll(charts)).map(chart => {
                   const img = chart.querySelector('picture img');
                   return img && img.complete && img.naturalWidth > 0 ? img.decode().then(() => true, () => false) : false;
               })).then(drawn => drawn.every(Boolean))""",
            arg=CHART_SELECTOR,
            timeout=timeout_ms,
        )
    return count


# ---------------------------------------------------------------------------------------------
# The accessibility report: every page's scan, printed at the end and written to a file.

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("critical", "serious")
IMPACT_ORDER = ("critical", "serious", "moderate", "minor")
# Findings of the test running in this process, not yet handed to its report: conftest.py moves them into
# the report's user_properties, so they reach the process that writes the report (with xdist, not this one).
_AXE_PENDING: list[tuple[str, list[dict]]] = []
AXE_PROPERTY = "axe-findings"  # the name of the user property; tests/conftest.py reads it by this name


def record_axe(key: str, violations: list[dict]) -> None:
    """Keep a page's findings for the report: of each violation what the report prints."""
    _AXE_PENDING.append((key, [
        {"id": v["id"], "impact": v.get("impact"), "help": v["help"],
         "nodes": [{"target": [str(t) for t in node.get("target", [])]} for node in v["nodes"]]}
        for v in violations
    ]))


def take_axe_findings() -> list[tuple[str, list[dict]]]:
    taken = list(_AXE_PENDING)
    _AXE_PENDING.clear()
    return taken


def format_axe_report(results: dict[str, list[dict]]) -> str:
    lines = [f"axe-core scan, tags {', '.join(AXE_TAGS)}; fails on {' or '.join(FAILING_IMPACTS)}", ""]
    for key in sorted(results):
        violations = results[key]
        if not violations:
            lines.append(f"{key}: no violations")
            continue
        by_impact = defaultdict(list)
        for violation in violations:
            by_impact[violation.get("impact") or "unknown"].append(violation)
        counts = ", ".join(f"{len(by_impact[i])} {i}" for i in (*IMPACT_ORDER, "unknown") if by_impact[i])
        lines.append(f"{key}: {counts}")
        for impact in (*IMPACT_ORDER, "unknown"):
            for violation in by_impact[impact]:
                targets = [" ".join(map(str, node.get("target", []))) for node in violation["nodes"]]
                lines.append(
                    f"  [{impact}] {violation['id']}: {violation['help']} "
                    f"({len(targets)} element{'s' if len(targets) != 1 else ''}: {'; '.join(targets[:5])}"
                    f"{' ...' if len(targets) > 5 else ''})"
                )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# English left in the Finnish and Swedish editions.

# English function words that are not words of Finnish or Swedish text (so not "in", "on", "to",
# "at", "per", "an", "not", which are). Whole words, any case.
ENGLISH_WORDS = (
    "the", "and", "of", "with", "from", "which", "were", "was", "this", "that", "these", "is", "are",
    "has", "have", "been", "for", "their", "its", "will", "would", "into",
)
ENGLISH_WORD = re.compile(r"(?<![\w-])(?:" + "|".join(ENGLISH_WORDS) + r")(?![\w-])", re.I)
# The theme's and Sphinx's own words, should the edition's translations not reach them.
THEME_STRINGS = (
    "Skip to main content", "Back to top", "Search", "Contents", "Previous", "Next", "Download",
    "Print to PDF", "Toggle navigation", "Search Results", "On this page", "Fullscreen mode",
    "light/dark", "Last updated", "Copyright", "Source repository", "Open an issue",
    "Hide Search Matches", "Please activate JavaScript", "Searching", "Suggest edit", "Link to this heading",
    "Link to this term", "next page", "previous page", "Page", "Color mode", "Edit this page",
)
THEME_STRING = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, THEME_STRINGS)) + r")(?![\w-])")


def english_leaks(text: str, width: int = 40) -> list[str]:
    """Snippets of `text` around each English function word or untranslated theme string; hits
    close together (one English sentence) give one snippet."""
    hits = sorted((m.start(), m.end()) for pattern in (ENGLISH_WORD, THEME_STRING) for m in pattern.finditer(text))
    windows: list[list[int]] = []
    for start, end in hits:
        if windows and start - width <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], min(len(text), end + width))
        else:
            windows.append([max(0, start - width), min(len(text), end + width)])
    return [" ".join(text[lo:hi].split()) for lo, hi in windows]


# The page's own-language text as a reader meets it: every details opened (data tables are part of
# the page), text under an element whose lang is another language left out (the edition switcher,
# a quoted English name marked as such), plus the names that assistive technology reads out
# (aria-label, title, placeholder, alt).
VISIBLE_TEXT_JS = """() => {
    document.querySelectorAll('details').forEach(d => { d.open = true; });
    const own = (document.documentElement.lang || '').split('-')[0];
    const foreign = el => { const l = el.closest('[lang]'); return l && l.lang.split('-')[0] !== own; };
    const parts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!el || el.closest('script, style, noscript, template') || foreign(el)) continue;
        if (!el.checkVisibility({visibilityProperty: true})) continue;
        if (node.textContent.trim()) parts.push(node.textContent.trim());
    }
    const names = new Set();
    document.querySelectorAll('[aria-label], [title], [placeholder], img[alt]').forEach(el => {
        if (foreign(el) || el.closest('svg')) return;
        for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
            const v = el.getAttribute(a);
            if (v && v.trim()) names.add(`[${a}] ${v.trim()}`);
        }
    });
    return [parts.join(' \\n '), Array.from(names).join(' \\n ')];
}"""


# ---------------------------------------------------------------------------------------------
# One visit per page and viewport. The page tests (test_browser_pages, test_browser_accessibility, the
# English check of test_browser_editions) each ask something different of the same loaded page: loading
# it once per question cost most of `make test`'s time. A visit loads the page in a fresh context, waits
# for its charts and for the network to go quiet, gathers everything those tests check, runs axe where it
# is asked for, and closes the context. The tests of one page share an xdist group (`page_params`), so
# one worker visits it once and every test reads that visit; each test still asserts its own facts.

# axe-core scans the root's language chooser, every page of the Finnish edition, and in the Swedish and
# English editions the pages that differ from Finnish in more than their words' language (the front page,
# the year chapter with the most charts and tables, and About the data with the long tables): the editions
# share every template, so the rest repeat Finnish's structure. SOTEBOOK_AXE_ALL=1 scans every page.
AXE_SUBSET = ("book/index.html", "book/year_2025.html", "book/about_data.html")


def scanned_by_axe(path: str) -> bool:
    return path == "index.html" or (edition_of(path) is not None and not is_forward(path) and (
        edition_of(path) == "fi" or path.split("/", 1)[1] in AXE_SUBSET or bool(os.environ.get("SOTEBOOK_AXE_ALL"))))


def page_params(paths: list[str]) -> list:
    """`paths` as parameters, each in its page's xdist group, so that one worker runs every test of a page
    (and visits it once)."""
    return [pytest.param(path, marks=pytest.mark.xdist_group(f"page:{path}")) for path in paths]


# What a page holds once its charts are drawn, in one round trip.
PAGE_FACTS_JS = """charts => {
    const figures = Array.from(document.querySelectorAll(charts)).map(chart => {
        const figure = chart.closest('figure');
        const images = chart.querySelectorAll('img');
        const download = figure ? figure.querySelectorAll('a[download]') : [];
        return {
            id: chart.id, images: images.length, alt: images.length ? (images[0].getAttribute('alt') || '') : '',
            figures: document.querySelectorAll(`figure:has(#${CSS.escape(chart.id)})`).length,
            caption: figure && figure.querySelector('figcaption') ? figure.querySelector('figcaption').innerText : '',
            downloads: Array.from(download).map(a => (a.getAttribute('href') || '').slice(0, 40)),
            tableCaptions: figure ? figure.querySelectorAll('details table caption').length : 0,
        };
    });
    const seen = {}, duplicates = new Set();
    document.querySelectorAll('[id]').forEach(e => { if (seen[e.id]) duplicates.add(e.id); seen[e.id] = 1; });
    return {
        wide: Array.from(document.querySelectorAll('figure.sotebook-figure'))
            .filter(f => f.getBoundingClientRect().right > window.innerWidth + 1 || f.scrollWidth > f.clientWidth + 1)
            .map(f => f.id),
        pictures: document.querySelectorAll('figure picture img').length,
        // Anything the page makes wider than the screen (a long word in a heading, a table), not only figures.
        pageWidth: document.documentElement.scrollWidth,
        chartScripts: {
            scripts: Array.from(document.scripts).map(s => s.src || s.textContent.slice(0, 200))
                .filter(s => /vega|altair|vegaEmbed/i.test(s)),
            globals: ['vega', 'vegaEmbed', 'vegaLite'].filter(name => name in window),
            svgInPage: document.querySelectorAll('.sotebook-figure svg').length,
        },
        // Headings a reader meets: the print-only copy of the title (display: none) does not count.
        headings: Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).filter(h => h.checkVisibility())
            .map(h => [Number(h.tagName[1]), h.innerText.replace(/#$/, '').trim()]),
        duplicateIds: Array.from(duplicates),
        figures: figures,
        lang: document.documentElement.lang,
    };
}"""


@dataclass
class Visit:
    """Everything the page tests check of one page at one viewport width, gathered in one load."""

    path: str
    width: str
    viewport: int
    chart_count: int = 0
    chart_error: str | None = None       # why the charts' images did not all load, with their states
    idle_error: str | None = None        # why the network did not go quiet
    charts: list[dict] = field(default_factory=list)   # CHART_IMAGES_JS
    facts: dict = field(default_factory=dict)          # PAGE_FACTS_JS
    log: PageLog = field(default_factory=PageLog)
    text: str = ""                       # VISIBLE_TEXT_JS: the page's own-language text, details opened
    names: str = ""                      # and the names assistive technology reads out
    axe: list[dict] | None = None        # axe-core's violations, where scanned_by_axe(path)
    axe_error: str | None = None         # why axe could not run there


_VISITS: dict[tuple[str, str], Visit | BaseException] = {}


def visit(browser, base_url: str, path: str, width: str) -> Visit:
    """The page's visit at `width` ("desktop" or "phone"), made on the first call in this process. A
    visit that failed (the page did not load) fails every test that asks for it, without loading it again."""
    key = (path, width)
    if key not in _VISITS:
        try:
            _VISITS[key] = _make_visit(browser, base_url, path, width)
        except BaseException as error:  # pytest.fail's exception too
            _VISITS[key] = error
    found = _VISITS[key]
    if isinstance(found, BaseException):
        raise found
    return found


def _make_visit(browser, base_url: str, path: str, width: str) -> Visit:
    viewport = {"desktop": DESKTOP, "phone": PHONE}[width]
    page = open_page(browser, base_url, viewport)
    try:
        result = Visit(path, width, viewport["width"], log=page.log)
        goto(page, base_url, path)
        try:
            result.chart_count = wait_for_charts(page)
        except Exception as error:  # playwright's TimeoutError: the tests say which chart has no image
            result.chart_error = f"chart images did not load within the timeout ({error})"
        try:
            page.wait_for_load_state("networkidle")
        except Exception as error:  # playwright's TimeoutError: test_page_loads_without_errors says so
            result.idle_error = f"the network did not go quiet ({error})"
        result.charts = page.evaluate(CHART_IMAGES_JS, CHART_SELECTOR)
        result.facts = page.evaluate(PAGE_FACTS_JS, CHART_SELECTOR)
        result.text, result.names = page.evaluate(VISIBLE_TEXT_JS)  # opens every details, as axe needs
        if scanned_by_axe(path) and not AXE_JS.is_file():
            result.axe_error = f"{AXE_JS} is missing: run `npm ci` (or tools/install_browser_deps.sh)"
        elif scanned_by_axe(path):
            page.add_script_tag(path=str(AXE_JS))
            result.axe = page.evaluate(
                """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
                          .then(r => r.violations)""", AXE_TAGS)
        return result
    finally:
        page.context.close()

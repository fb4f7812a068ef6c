"""What a reader's phone downloads: no Font Awesome, only the assets a page uses, every script deferred, a
page's own HTML under 100 KB, a first visit to a year page under 450 KB gzipped, and a description and an
icon in every page's head (issue 13)."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from browser_harness import BUILD_HTML, EDITIONS, built_pages, edition_of, is_forward, require_build
from sotebook.site import audit

PAGE_LIMIT = 100_000  # bytes of a page's own HTML
# A year chapter carries a note for every number it shows (sotebook/pages/notes.py): each note's text twice,
# in the popover beside its number and in the numbered list under its section. Measured on the English 2025
# chapter: about 270 KB of HTML, 30 KB gzipped, Lighthouse mobile performance 99 (benchmarks/bench.py).
YEAR_PAGE_LIMIT = 450_000
# About the data lists every column of figures.csv in the edition's words beside its tables (the dictionary,
# the checks, the releases): about 105 KB of HTML, 14 KB gzipped.
ABOUT_PAGE_LIMIT = 130_000
FIRST_VISIT_LIMIT = 450_000  # bytes, gzipped as served, of everything a first visit to a year page loads
UNUSED = ("fontawesome", "fa-solid-900", "sphinx-design", "design-tabs", "copybutton", "clipboard.min.js",
          "togglebutton", "thebe", "searchindex.js", "searchtools.js")


class _Head(HTMLParser):
    """A page's scripts, stylesheets, description and icon, and the Font Awesome classes in its body."""

    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.styles: list[dict] = []
        self.description: str | None = None
        self.icon: str | None = None
        self.fa_classes: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts.append(a)
        elif tag == "link" and a.get("rel") == "stylesheet":
            self.styles.append(a)
        elif tag == "link" and a.get("rel") == "icon":
            self.icon = a.get("href")
        elif tag == "meta" and a.get("name") == "description":
            self.description = a.get("content")
        self.fa_classes += [c for c in (a.get("class") or "").split() if re.fullmatch(r"fa|fa[bsr]|fa-[\w-]+", c)]


def parsed(page: str) -> _Head:
    head = _Head()
    head.feed((BUILD_HTML / page).read_text(encoding="utf-8"))
    return head


def reader_pages() -> list[str]:
    """The root's chooser and every edition's pages and search page (not forwards, not genindex)."""
    return [p for p in built_pages() if not is_forward(p)]


@pytest.mark.parametrize("page", reader_pages())
def test_page_loads_only_deferred_scripts_and_no_font_awesome(page):
    require_build(page)
    head = parsed(page)
    blocking = [s.get("src") or "(inline)" for s in head.scripts
                if not ("defer" in s or s.get("type") == "module" or "async" in s)
                and (s.get("src") or s.get("type") not in (None, "text/javascript"))]
    assert not blocking, f"{page}: scripts that block rendering: {blocking}"
    loaded = [s.get("src", "") for s in head.scripts] + [s.get("href", "") for s in head.styles]
    unused = [url for url in loaded if any(name in url for name in UNUSED)
              and not (page.endswith("search.html") and ("searchindex" in url or "searchtools" in url))]
    assert not unused, f"{page} loads what it does not use: {unused}"
    assert not head.fa_classes, f"{page} still has Font Awesome icons: {sorted(set(head.fa_classes))}"


@pytest.mark.parametrize("page", reader_pages())
def test_page_has_a_description_and_an_icon(page):
    require_build(page)
    head = parsed(page)
    assert head.description and len(head.description) >= 50, f"{page}: no meaningful <meta name=description>"
    assert head.icon, f"{page}: no <link rel=icon>"
    assert (BUILD_HTML / page).parent.joinpath(head.icon).resolve().is_file(), f"{page}: {head.icon} is missing"


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_page_of_an_edition_has_its_own_description(lang):
    pages = [p for p in reader_pages() if edition_of(p) == lang]
    require_build(pages[0] if pages else None)
    descriptions = {p: parsed(p).description for p in pages}
    twins = {d for d in descriptions.values() if list(descriptions.values()).count(d) > 1}
    assert not twins, f"{lang}: pages share a description: {sorted(p for p, d in descriptions.items() if d in twins)}"


def test_font_awesome_is_not_in_the_site():
    require_build()
    left = [p.relative_to(BUILD_HTML).as_posix() for p in BUILD_HTML.rglob("*")
            if "fontawesome" in p.name or p.name.startswith("fa-")]
    assert not left, f"Font Awesome files in the site: {left[:5]}"
    for css in BUILD_HTML.glob("*/_static/**/*.css"):
        text = css.read_text(encoding="utf-8")
        declared = re.findall(r"@font-face\s*\{[^}]*Font Awesome", text)
        assert not declared and "webfonts/" not in text, f"{css.relative_to(BUILD_HTML)} still declares Font Awesome's font"


@pytest.mark.parametrize("page", reader_pages())
def test_page_html_is_within_its_limit(page):
    require_build(page)
    size = (BUILD_HTML / page).stat().st_size
    limit = (YEAR_PAGE_LIMIT if re.search(r"/book/year_\d{4}\.html$", page) else
             ABOUT_PAGE_LIMIT if page.endswith("/about_data.html") else PAGE_LIMIT)
    assert size < limit, f"{page} is {size / 1000:.1f} KB of HTML (limit {limit / 1000:.0f} KB)"


YEAR_PAGES = [p for p in built_pages() if re.search(r"/book/year_\d{4}\.html$", p)]


@pytest.fixture(scope="module")
def year_visits(browser):
    require_build(YEAR_PAGES[0] if YEAR_PAGES else "<book not built>")
    return audit.first_visits(YEAR_PAGES, browser=browser)


@pytest.mark.xdist_group("year_visits")  # one worker visits the pages once (the fixture is per worker)
@pytest.mark.parametrize("page", YEAR_PAGES or ["<book not built>"])
def test_first_visit_to_a_year_page_is_under_450_kb_gzipped(year_visits, page):
    sizes = year_visits[page]
    total = sum(sizes.values())
    heaviest = ", ".join(f"{name} {size / 1000:.1f} KB" for name, size in sorted(sizes.items(), key=lambda x: -x[1])[:5])
    assert total <= FIRST_VISIT_LIMIT, f"{page}: a first visit loads {total / 1000:.1f} KB gzipped ({heaviest})"
    assert not [n for n in sizes if any(u in n for u in UNUSED[:2])], f"{page} loaded Font Awesome"


def test_the_server_gzips_text_as_github_pages_does(server):
    import urllib.request

    request = urllib.request.Request(server + "fi/book/index.html", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        body = response.read()
    assert len(body) < (BUILD_HTML / "fi/book/index.html").stat().st_size / 2

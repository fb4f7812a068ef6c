"""The built files themselves: no page or stylesheet points a browser at another host."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from browser_harness import BUILD_HTML, require_build

# Attributes through which a page makes the browser fetch something.
FETCHING = {
    "script": ("src",), "link": ("href",), "img": ("src", "srcset"), "iframe": ("src",),
    "source": ("src", "srcset"), "video": ("src", "poster"), "audio": ("src",), "embed": ("src",),
    "object": ("data",), "track": ("src",), "input": ("src",),
}
CSS_FETCH = re.compile(r"""(?:@import\s+(?:url\()?|url\()\s*['"]?\s*((?:https?:)?//[^'")\s]+)""", re.I)


def is_foreign(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.netloc) and parts.hostname not in ("127.0.0.1", "localhost")


class _FetchCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.foreign: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and name in FETCHING.get(tag, ()):
                urls = [part.split()[0] for part in value.split(",") if part.strip()] if name == "srcset" else [value]
                self.foreign += [f"<{tag} {name}={url}>" for url in urls if is_foreign(url)]


def html_files():
    return sorted(BUILD_HTML.rglob("*.html")) if BUILD_HTML.is_dir() else []


def test_no_page_loads_from_another_host():
    require_build()
    offenders = {}
    for path in html_files():
        collector = _FetchCollector()
        collector.feed(path.read_text(encoding="utf-8", errors="replace"))
        if collector.foreign:
            offenders[path.relative_to(BUILD_HTML).as_posix()] = collector.foreign
    assert not offenders, f"built pages that fetch from other hosts: {offenders}"


def test_no_stylesheet_loads_from_another_host():
    require_build()
    offenders = {}
    for path in sorted(BUILD_HTML.rglob("*.css")):
        text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8", errors="replace"), flags=re.S)
        found = CSS_FETCH.findall(text)
        if found:
            offenders[path.relative_to(BUILD_HTML).as_posix()] = found
    assert not offenders, f"stylesheets that fetch from other hosts: {offenders}"


@pytest.mark.parametrize("html, foreign", [
    ('<script src="https://cdn.jsdelivr.net/npm/vega@6"></script>', True),
    ('<link rel="stylesheet" href="//fonts.googleapis.com/css">', True),
    ('<img srcset="a.png 1x, https://x.example/b.png 2x">', True),
    ('<script src="../_static/vega-bundle.js"></script>', False),
    ('<a href="https://www.hel.fi/">hel.fi</a>', False),  # a link the reader may follow is fine
])
def test_the_detector_itself(html, foreign):
    collector = _FetchCollector()
    collector.feed(html)
    assert bool(collector.foreign) is foreign


def test_every_page_has_a_language_and_a_title():
    """Covers pages the browser tests only pass through, like the site root's redirect page."""
    require_build()
    missing = []
    # _static holds the theme's template fragments (webpack-macros.html), not pages.
    for path in (p for p in html_files() if "_static" not in p.relative_to(BUILD_HTML).parts):
        text = path.read_text(encoding="utf-8", errors="replace")
        if not re.search(r"<html[^>]*\blang=\"[a-z]{2}", text) or not re.search(r"<title>[^<\s][^<]*</title>", text):
            missing.append(path.relative_to(BUILD_HTML).as_posix())
    assert not missing, f"pages without <html lang> or <title>: {missing}"


def test_pages_carry_no_chart_script_and_no_inline_drawing():
    """The charts are SVG files drawn at build time (sotebook.site.chart_files): a page names each by its path,
    the file is there, and no page loads a chart script or carries a drawing inline."""
    require_build()
    problems = []
    for path in (p for p in html_files() if "_static" not in p.relative_to(BUILD_HTML).parts):
        rel = path.relative_to(BUILD_HTML).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        if re.search(r"<script[^>]*\bsrc=\"[^\"]*(vega|altair)", text, re.I) or "vegaEmbed" in text:
            problems.append(f"{rel}: loads a chart script")
        if "data:image/svg+xml" in text:
            problems.append(f"{rel}: a drawing left inline")
        for src in re.findall(r'(?:src|srcset)="([^"]*chart-[0-9a-f]+\.svg)"', text):
            if not (path.parent / src).resolve().is_file():
                problems.append(f"{rel}: {src} is missing")
    assert not problems, "\n".join(problems)

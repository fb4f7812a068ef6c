"""The book's PDF editions: every page of an edition, as its site shows it, printed by Chromium to one A4 PDF.

    python -m sotebook.site.pdf [--langs "fi sv"]    # what `make pdf` runs, after the site is built

Each page of an edition is opened from _build/html, served on 127.0.0.1 (nothing else is reached), in the
order of the edition's table of contents (build.toc_text): its charts' images loaded (at this width, the
drawings for a tablet's column) and its collapsed blocks opened. Its article, the charts as SVG images
(vector in the PDF), goes behind a cover and a contents page into one document, which Chromium prints
with the site's print stylesheet (book/_static/print.css). One document rather than a PDF per page
merged: Chromium then tags the whole book (a merge would drop the tag tree), numbers the pages straight
through (a footer template's page number restarts in every document) and writes the outline, one entry
per chapter with its sections beneath. It prints twice: the first print says on which page each heading
lands, the second prints those numbers in the contents. pypdf then sets the document's /Lang and title.
Writes _build/pdf/helsinki-sote-annual-book-<lang>.pdf.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import html
import http.server
import io
import os
import re
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from sotebook.errors import ProjectError
from sotebook.pages.words import Words, edition
from sotebook.paths import BUILD_HTML, BUILD_PDF
from sotebook.site.site_release import pdf_name

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium")  # empty means the default, as in the shell  # as tests/browser/browser_harness.py
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# The printable width of A4 within print.css's margins (178 mm) in CSS pixels: the pages are laid out at
# this width, so each chart's <picture> takes the drawing made for that column (sotebook.pages.charts.CHART_WIDTHS).
VIEWPORT = {"width": 672, "height": 960}
MARGIN = {"top": "18mm", "right": "16mm", "bottom": "20mm", "left": "16mm"}
CHART = ".sotebook-figure__chart"
# A chart is drawn when its image has loaded and decoded.
DRAWN_JS = """c => Array.from(document.querySelectorAll(c)).every(e => {
    const img = e.querySelector('img'); return img && img.complete && img.naturalWidth > 0; })"""

# A page's article, ready to stand in one document with the others: collapsed blocks open, scripts and
# buttons out, ids prefixed with the page's own (year chapters share chart ids), links to pages of the book
# turned into links within the document, links to the site's other files (a download) made plain text.
ARTICLE_JS = r"""([prefix, pages]) => {
    const article = document.querySelector('article.bd-article') || document.querySelector('main');
    const copy = article.cloneNode(true);
    copy.querySelectorAll('details').forEach(d => { d.open = true; });
    copy.querySelectorAll('script, .headerlink, .toggle-button, .copybtn').forEach(e => e.remove());
    // Each chart keeps the drawing the page chose, by its full address (the document is written anew).
    const pictures = Array.from(copy.querySelectorAll('picture'));
    article.querySelectorAll('picture img').forEach((img, i) => {
        pictures[i].replaceWith(Object.assign(img.cloneNode(), {src: img.currentSrc, width: img.naturalWidth,
                                                                height: img.naturalHeight}));
    });
    const ids = new Map();
    copy.querySelectorAll('[id]').forEach(e => { ids.set(e.id, prefix + e.id); e.id = prefix + e.id; });
    const local = v => v.replace(/url\(#([^)]+)\)/g, (m, id) => ids.has(id) ? `url(#${ids.get(id)})` : m);
    copy.querySelectorAll('*').forEach(e => {
        for (const a of Array.from(e.attributes)) {
            if (['aria-labelledby', 'aria-describedby', 'aria-controls', 'for', 'headers'].includes(a.name)) {
                e.setAttribute(a.name, a.value.split(/\s+/).map(id => ids.get(id) || id).join(' '));
            } else if (a.value.includes('url(#')) {
                e.setAttribute(a.name, local(a.value));
            }
        }
    });
    copy.querySelectorAll('a[href]').forEach(a => {
        const url = new URL(a.getAttribute('href'), location.href);
        if (url.origin !== location.origin) return;
        const page = pages[url.pathname.split('/').pop()];
        if (page === undefined) { a.removeAttribute('href'); return; }
        a.setAttribute('href', '#' + page + (url.hash ? url.hash.slice(1) : 'top'));
    });
    const headings = Array.from(copy.querySelectorAll('h1, h2'))
        .map(h => [Number(h.tagName[1]), h.textContent.replace(/\s+/g, ' ').trim()]);
    return {html: copy.outerHTML, headings: headings};
}"""
STYLES_JS = """() => Array.from(document.querySelectorAll('link[rel=stylesheet]'))
    .map(l => `<link rel="stylesheet" href="${l.href}"${l.media ? ` media="${l.media}"` : ''}>`).join('\\n')"""

PDF_CSS = """
.sotebook-pdf-cover { break-after: page; padding-top: 70mm; }
.sotebook-pdf-cover h1 { font-size: 26pt; line-height: 1.2; margin: 0 0 12mm; }
.sotebook-pdf-cover p { font-size: 14pt; margin: 0 0 4mm; }
.sotebook-pdf-cover .sotebook-pdf-note { font-size: 10pt; margin-top: 40mm; }
.sotebook-pdf-contents { break-after: page; }
.sotebook-pdf-contents ol { list-style: none; padding: 0; margin: 0; }
.sotebook-pdf-contents li { display: flex; gap: 1em; margin: 0 0 2mm; break-inside: avoid; }
.sotebook-pdf-contents li.sotebook-pdf-section { padding-left: 8mm; font-size: 0.95em; }
.sotebook-pdf-contents li.sotebook-pdf-chapter { font-weight: bold; margin-top: 4mm; }
.sotebook-pdf-contents li > :first-child { flex: 1; text-decoration: none; }
.sotebook-pdf-contents .sotebook-pdf-page { font-variant-numeric: tabular-nums; }
.sotebook-pdf-part { break-before: page; }
"""


@dataclass
class Chapter:
    """One page of the edition as it goes into the PDF: its article and its headings (level, text)."""

    prefix: str
    html: str
    headings: list[tuple[int, str]]


def page_order(lang: str) -> list[str]:
    """The edition's pages in the order of its table of contents ('book/index', 'book/year_2025', ...)."""
    from sotebook.pages.spec import read_spec
    from sotebook.site.sphinx_build import toc_text
    from sotebook.data.dataset import available_years

    toc = yaml.safe_load(toc_text(read_spec(), available_years(), lang))
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def read_chapter(page, base: str, lang: str, name: str, prefixes: dict[str, str]) -> Chapter:
    """Open one page of the edition, wait for its charts, and take its article for the PDF."""
    response = page.goto(f"{base}{lang}/{name}.html", wait_until="load")
    if response is None or not response.ok:
        raise PdfError(f"{lang}/{name}.html is not in {BUILD_HTML}: run `make book` first")
    if page.locator(CHART).count():
        page.wait_for_function(DRAWN_JS, arg=CHART, timeout=30_000)
    found = page.evaluate(ARTICLE_JS, [prefixes[name], {f"{n.split('/')[-1]}.html": p for n, p in prefixes.items()}])
    return Chapter(prefixes[name], found["html"], [tuple(h) for h in found["headings"]])


class PdfError(ProjectError):
    """The PDF cannot be printed; the message says why and what to do."""


def cover_html(lang: str, held: list[int], descriptor: dict) -> str:
    """The cover: the book's title in the language, the years it covers, the dataset's version and date."""
    from sotebook.pages.figures import date_text

    words = edition(lang)
    say = words.say
    return (f'<section class="sotebook-pdf-cover"><h1>{html.escape(say("site.title"))}</h1>'
            f'<p>{html.escape(say("pdf.years", first=held[0], last=held[-1]))}</p>'
            f'<p>{html.escape(say("pdf.data_version", version=descriptor["version"], date=date_text(words, descriptor["created"][:10])))}</p>'
            f'<p class="sotebook-pdf-note">{html.escape(say("pdf.printed_from"))}</p></section>')


def contents_html(words: Words, chapters: list[Chapter], pages: dict[tuple[str, int], int]) -> str:
    """The table of contents: every chapter and its sections, each with the page it starts on."""
    items = []
    for chapter in chapters:
        for index, (level, title) in enumerate(chapter.headings):
            number = pages.get((chapter.prefix, index), 0)
            kind = "chapter" if level == 1 else "section"
            target = f"{chapter.prefix}top" if index == 0 else ""
            link = f'<a href="#{target}">' if target else "<span>"
            items.append(f'<li class="sotebook-pdf-{kind}">{link}{html.escape(title)}{"</a>" if target else "</span>"}'
                         f'<span class="sotebook-pdf-page">{number or "000"}</span></li>')
    return (f'<nav class="sotebook-pdf-contents" aria-labelledby="sotebook-pdf-contents"><h1 id="sotebook-pdf-contents">'
            f'{html.escape(words.say("pdf.contents"))}</h1><ol>{"".join(items)}</ol></nav>')


def document_html(lang: str, styles: str, cover: str, contents: str, chapters: list[Chapter]) -> str:
    """The whole edition as one HTML document: cover, contents, then every chapter from a new page."""
    words = edition(lang)
    body = "".join(f'<div class="sotebook-pdf-part bd-article-container" id="{c.prefix}top">{c.html}</div>' for c in chapters)
    return (f'<!DOCTYPE html><html lang="{lang}" data-theme="light" data-mode="light"><head><meta charset="utf-8">'
            f'<title>{html.escape(words.say("site.title"))}</title>{styles}<style>{PDF_CSS}</style></head>'
            f'<body><main class="bd-main">{cover}{contents}{body}</main></body></html>')


def header_footer(words: Words) -> dict:
    """Chromium's header and footer: the book's title above, the page number and count below."""
    style = "font: 8px Arial, 'Liberation Sans', sans-serif; color: #333; width: 100%; margin: 0 16mm;"
    pages = words.say("pdf.page_of", page='<span class="pageNumber"></span>', pages='<span class="totalPages"></span>')
    return {"display_header_footer": True,
            "header_template": f'<div style="{style}">{html.escape(words.say("site.short_title"))}</div>',
            "footer_template": f'<div style="{style} text-align: right;">{pages}</div>'}


def heading_pages(pdf: bytes) -> list[tuple[str, int, float | None]]:
    """Every entry of a printed PDF's outline in order: its text, the page (from 0) and height it points to."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    found = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((item.title, reader.get_destination_page_number(item), item.top))
    walk(reader.outline)
    return found


def _letters(text: str) -> str:
    return re.sub(r"\s+", "", text)


def locate(chapters: list[Chapter], outline: list[tuple[str, int, float | None]]) -> dict[tuple[str, int], tuple[int, float | None]]:
    """Where every chapter's headings landed (page from 0, height), found in order in the printed outline.

    Matched by containment, not equality: Chromium (156) writes a heading that wraps, or starts a page,
    into the outline with a line of it twice and without the space at the line break."""
    places, at = {}, 0
    for chapter in chapters:
        for index, (_, title) in enumerate(chapter.headings):
            for position in range(at, len(outline)):
                if _letters(title) in _letters(outline[position][0]):
                    places[(chapter.prefix, index)], at = outline[position][1:], position + 1
                    break
    return places


def finish(pdf: bytes, lang: str, chapters: list[Chapter], places: dict) -> bytes:
    """The printed PDF with its own outline (cover, contents, every chapter with its sections beneath, in
    the headings' own words), its language and title, and the viewer told to show the title."""
    words = edition(lang)
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Fit, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    if "/Outlines" in writer._root_object:
        del writer._root_object["/Outlines"]
    writer.add_outline_item(title=words.say("site.title"), page_number=0)
    writer.add_outline_item(title=words.say("pdf.contents"), page_number=1)
    for chapter in chapters:
        parent = None
        for index, (level, title) in enumerate(chapter.headings):
            if (chapter.prefix, index) not in places:
                continue
            page, top = places[(chapter.prefix, index)]
            item = writer.add_outline_item(title=title, page_number=page, parent=parent if level > 1 else None, fit=Fit.xyz(top=top))
            parent = item if level == 1 else parent
    writer._root_object[NameObject("/Lang")] = TextStringObject(lang)
    writer.add_metadata({"/Title": words.say("site.title"), "/Author": words.say("site.short_title")})
    writer.create_viewer_preferences().display_doctitle = True
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def print_edition(browser, base: str, lang: str) -> bytes:
    """One edition's PDF: its pages read in contents order, printed twice (page numbers, then contents)."""
    from sotebook.data.dataset import available_years
    from sotebook.data.release import read_descriptor

    words = edition(lang)
    names = page_order(lang)
    prefixes = {name: f"p{i}-" for i, name in enumerate(names)}
    page = browser.new_page(viewport=VIEWPORT)
    chapters = [read_chapter(page, base, lang, name, prefixes) for name in names]
    styles = page.evaluate(STYLES_JS)
    cover = cover_html(lang, available_years(), read_descriptor())
    options = {"format": "A4", "margin": MARGIN, "tagged": True, "outline": True, "print_background": True,
               **header_footer(words)}
    draft = _print(page, document_html(lang, styles, cover, contents_html(words, chapters, {}), chapters), options)
    places = locate(chapters, heading_pages(draft))
    pages = {key: page_index + 1 for key, (page_index, _) in places.items()}
    final = _print(page, document_html(lang, styles, cover, contents_html(words, chapters, pages), chapters), options)
    page.close()
    printed = locate(chapters, heading_pages(final))
    if {key: place[0] for key, place in printed.items()} != {key: place[0] for key, place in places.items()}:
        raise PdfError(f"the {lang} edition's headings moved between its two prints: its contents would be wrong")
    return finish(final, lang, chapters, printed)


def _print(page, document: str, options: dict) -> bytes:
    page.set_content(document, wait_until="load")
    return page.pdf(**options)


def print_editions(langs: list[str]) -> dict[str, Path]:
    """Print every edition in `langs` from the built site to _build/pdf/; returns the files written."""
    from playwright.sync_api import sync_playwright

    if not (BUILD_HTML / "index.html").is_file():
        raise PdfError(f"{BUILD_HTML} has no site: run `make book` first")
    check_browser()
    printed = {}  # every edition printed before any file is replaced: a failed print changes nothing
    with serve(BUILD_HTML) as base, sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        except Exception as error:  # playwright's own Error: the browser would not start
            raise PdfError(f"the browser {CHROMIUM} would not start: {str(error).splitlines()[0]}") from None
        try:
            for lang in langs:
                printed[lang] = print_edition(browser, base, lang)
        finally:
            browser.close()
    BUILD_PDF.mkdir(parents=True, exist_ok=True)
    written = {}
    for lang, data in printed.items():
        target = BUILD_PDF / pdf_name(lang)
        staging = target.with_name(f".{target.name}.new")
        staging.write_bytes(data)
        os.replace(staging, target)
        written[lang] = target
    return written


# What GitHub Pages compresses: text, not images, fonts or archives (already compressed). Its caching header.
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")
CACHE_CONTROL = "max-age=600"


@functools.lru_cache(maxsize=512)
def _gzipped(path: str, mtime_ns: int, size: int) -> bytes:
    """A file's bytes gzipped (level 6, as web servers do), with no timestamp: the same bytes every time."""
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


class _StaticHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder as GitHub Pages does: text gzipped when the browser accepts it, cacheable for ten
    minutes; anything else as the standard library serves it. Logs nothing."""

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def end_headers(self):
        self.send_header("Cache-Control", CACHE_CONTROL)
        super().end_headers()

    def do_GET(self):
        self._send(body=True)

    def do_HEAD(self):
        self._send(body=False)

    def _send(self, body: bool) -> None:
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")
        kind = self.guess_type(path)
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and os.path.isfile(path) and kind.startswith(GZIP_TYPES)):
            return super().do_GET() if body else super().do_HEAD()
        stat = os.stat(path)
        data = _gzipped(path, stat.st_mtime_ns, stat.st_size)
        self.send_response(200)
        self.send_header("Content-Type", kind if "charset" in kind or not kind.startswith("text/") else f"{kind}; charset=utf-8")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        if body:
            self.wfile.write(data)


@contextmanager
def serve(directory: Path):
    """Base URL of a static server for `directory` on 127.0.0.1 and a free port, stopped on exit: text
    gzipped as GitHub Pages serves it (what the browser tests, Lighthouse and the PDF print read)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_StaticHandler, directory=str(directory)))
    thread = threading.Thread(target=httpd.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def check_browser(path: Path = CHROMIUM) -> None:
    """The browser that prints exists and runs, checked before anything else (the site is not read, nothing
    is written)."""
    import subprocess

    named = bool(os.environ.get("CHROMIUM_PATH"))
    how = (f"CHROMIUM_PATH={os.environ['CHROMIUM_PATH']!r} names it" if named else
           "the default; set CHROMIUM_PATH to use another, or run `make browser-deps` to install Debian's chromium")
    if not path.is_file():
        raise PdfError(f"the browser {path} does not exist ({how}): nothing was printed")
    if not os.access(path, os.X_OK):
        raise PdfError(f"the browser {path} is not executable ({how}): nothing was printed")
    try:
        subprocess.run([str(path), "--version"], capture_output=True, timeout=60, check=True)
    except (OSError, subprocess.SubprocessError) as error:
        raise PdfError(f"the browser {path} does not run ({how}; {error}): nothing was printed") from None


def main(argv: list[str] | None = None) -> int:
    from sotebook.errors import run
    from sotebook.pages.spec import read_spec

    parser = argparse.ArgumentParser(prog="python -m sotebook.site.pdf", description=__doc__.splitlines()[0])
    parser.add_argument("--langs", default="", help='only these editions, e.g. "fi sv"')
    parser.add_argument("--check-browser", action="store_true", help="only check that the browser runs")
    args = parser.parse_args(argv)
    return run("make", lambda: _print_all(args, read_spec))


def _print_all(args, read_spec) -> int:
    check_browser()
    if args.check_browser:
        return 0
    langs = args.langs.split() or read_spec().languages
    unknown = [lang for lang in langs if lang not in read_spec().languages]
    if unknown:
        raise PdfError(f"--langs: value {' '.join(unknown)!r}: no such edition in chapters.yml "
                       f"(it has {', '.join(read_spec().languages)})")
    started = time.perf_counter()
    written = print_editions(langs)
    from pypdf import PdfReader

    for lang, path in written.items():
        print(f"make pdf: {path.relative_to(BUILD_PDF.parent.parent)} ({len(PdfReader(path).pages)} pages)")
    print(f"make pdf: {len(written)} editions in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

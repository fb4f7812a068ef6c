"""The book's PDF editions: each edition of the built site laid out as a paged publication, one A4 PDF/UA-1 file.

    python -m sotebook.site.pdf [--langs "fi sv"]    # what `make pdf` runs, after the site is built

sotebook/site/print_document.py makes one HTML document of an edition (cover, colophon, contents, every page
of the edition in the order of its table of contents, the appendix of full lists) from `_build/html`, and
WeasyPrint lays it out with sotebook/site/print.css (CSS Paged Media: running heads from the chapters'
titles, folios, the contents' page numbers, footnotes, bookmarks from the headings) and writes it as
PDF/UA-1: tagged in reading order, headings H1-H3, every chart a Figure with its text alternative, the
running heads and folios outside the tag tree, the document's language and title, the PDF/UA
identification in its XMP metadata. `finish` then describes each link annotation (/Contents) and marks the
margins' text as artifacts, which WeasyPrint 70 leaves undone. WeasyPrint measures each page's footnotes once
per footnote rather than once per footnote and page so far (sotebook/site/footnote_area.py: the same bytes in
half the time). No browser is needed, nothing is fetched.
The editions are laid out side by side, one process each, two at a time. Why WeasyPrint rather than
Chromium or Paged.js in Chromium: README, "The PDF editions".
Writes _build/pdf/helsinki-sote-annual-book-<lang>.pdf.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import os
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import yaml

from sotebook.errors import ProjectError
from sotebook.pages.words import edition
from sotebook.paths import BUILD_HTML, BUILD_PDF
from sotebook.site.site_release import pdf_name

PRINT_CSS = Path(__file__).with_name("print.css")
# At most this many editions are laid out at once (the machine has two cores; each layout is one process).
WORKERS = 2


class PdfError(ProjectError):
    """The PDF cannot be printed; the message says why and what to do."""


def page_order(lang: str) -> list[str]:
    """The edition's pages in the order of its table of contents ('book/index', 'book/year_2025', ...)."""
    from sotebook.pages.spec import read_spec
    from sotebook.site.sphinx_build import toc_text
    from sotebook.data.dataset import available_years

    toc = yaml.safe_load(toc_text(read_spec(), available_years(), lang))
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def edition_document(lang: str) -> str:
    """One edition of the built site as the print document (sotebook.site.print_document)."""
    from sotebook.data.dataset import available_years
    from sotebook.data.release import read_descriptor
    from sotebook.site.editions import site_url
    from sotebook.site import print_document

    words = edition(lang)
    names = page_order(lang)
    prefixes = {name: f"p{i}-" for i, name in enumerate(names)}
    chapters = []
    for name in names:
        page = BUILD_HTML / lang / f"{name}.html"
        if not page.is_file():
            raise PdfError(f"{page.relative_to(BUILD_HTML.parent.parent)} is not in the site: run `make book` first")
        chapters.append(print_document.chapter(words, page, name, prefixes))
    print_document.print_once(words, chapters)
    return print_document.document_html(words, chapters, available_years(), read_descriptor(), site_url())


def render(document: str, base: Path) -> bytes:
    """The document laid out by WeasyPrint with print.css, as PDF/UA-1."""
    import logging
    from weasyprint import CSS, HTML

    from sotebook.site.footnote_area import measured_once
    from sotebook.site.pdf_access import passage_languages

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    with passage_languages(), measured_once():
        return HTML(string=document, base_url=str(base) + "/").write_pdf(
            stylesheets=[CSS(filename=str(PRINT_CSS))], pdf_variant="pdf/ua-1", pdf_identifier=b"sotebook",
            custom_metadata=False, uncompressed_pdf=False)


def print_edition(lang: str) -> bytes:
    """One edition's PDF."""
    document = edition_document(lang)
    return finish(render(document, BUILD_HTML / lang), document)


def finish(pdf: bytes, document: str) -> bytes:
    """What WeasyPrint 70 leaves undone for PDF/UA-1, done with pikepdf: every link annotation described
    (/Contents: where it goes), the text of the page margins (running head, folio) marked as artifacts
    rather than left as untagged content, and the file's dates fixed (the same bytes on every run)."""
    from sotebook.site.pdf_access import complete
    from sotebook.site.print_document import link_descriptions

    return complete(pdf, link_descriptions(document))


def _print_one(lang: str) -> tuple[str, bytes]:
    return lang, print_edition(lang)


def print_editions(langs: list[str]) -> dict[str, Path]:
    """Print every edition in `langs` from the built site to _build/pdf/; returns the files written."""
    if not (BUILD_HTML / "index.html").is_file():
        raise PdfError(f"{BUILD_HTML} has no site: run `make book` first")
    check_engine()
    printed = {}  # every edition printed before any file is replaced: a failed print changes nothing
    if len(langs) == 1:
        printed = dict([_print_one(langs[0])])
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(WORKERS, len(langs)),
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            printed = dict(pool.map(_print_one, langs))
    BUILD_PDF.mkdir(parents=True, exist_ok=True)
    written = {}
    for lang in langs:
        target = BUILD_PDF / pdf_name(lang)
        staging = target.with_name(f".{target.name}.new")
        staging.write_bytes(printed[lang])
        os.replace(staging, target)
        written[lang] = target
    return written


def check_engine() -> None:
    """WeasyPrint and the system libraries it draws text with (Pango) load, checked before anything is read."""
    try:
        import weasyprint  # noqa: F401 - loads Pango through cffi
    except (ImportError, OSError) as error:
        raise PdfError(f"WeasyPrint would not load ({str(error).splitlines()[0]}): run `make pdf-deps` "
                       "(Debian's libpango-1.0-0 and libpangoft2-1.0-0): nothing was printed") from None


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


def main(argv: list[str] | None = None) -> int:
    from sotebook.errors import run
    from sotebook.pages.spec import read_spec

    parser = argparse.ArgumentParser(prog="python -m sotebook.site.pdf", description=__doc__.splitlines()[0])
    parser.add_argument("--langs", default="", help='only these editions, e.g. "fi sv"')
    parser.add_argument("--check-engine", action="store_true", help="only check that WeasyPrint loads")
    args = parser.parse_args(argv)
    return run("make", lambda: _print_all(args, read_spec))


def _print_all(args, read_spec) -> int:
    check_engine()
    if args.check_engine:
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

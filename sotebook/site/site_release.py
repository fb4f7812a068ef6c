"""The data release on the site: its version in every page's footer, its zip and checksums beside the pages.

A small Sphinx extension (listed in `_config.yml`). Before the build it reads the version and date from
data/clean/datapackage.json into the theme's footer (sphinx-book-theme's `extra_footer`); after a build
that succeeded it writes the release zip and SHA256SUMS into `data/` of the site, the same bytes
`make release` writes to dist/, so the download links of "About the data" work offline and on Pages.

The edition's PDF goes the same way once `make pdf` has printed it to _build/pdf/: every page links it
(book/_templates/pdf-link.html) and the site carries it in `pdf/`. Before that, no page links it, so the
site never has a link that leads nowhere (the PDF is printed from the site, so it comes second).
"""
from __future__ import annotations

import html
import shutil

from sotebook.pages.words import Words
from sotebook.paths import BUILD_PDF
from sotebook.data.release import build_zip, read_descriptor, sha256sums

DOWNLOADS = "data"  # folder of the site the downloads live in; about_data.release_block links to ../data/ from book/
PDFS = "pdf"  # folder of each edition's site its PDF lives in


def pdf_name(lang: str) -> str:
    """The file name of an edition's PDF: helsinki-sote-annual-book-fi.pdf."""
    return f"helsinki-sote-annual-book-{lang}.pdf"


def _pdf_context(app, pagename, templatename, context, doctree) -> None:
    printed = BUILD_PDF / pdf_name(app.config.language)
    context["sotebook_pdf"] = f"{PDFS}/{printed.name}" if printed.is_file() else ""
    if printed.is_file():
        from sotebook.pages.text import number
        from sotebook.site.editions import site_words

        words = site_words(app.config.language)
        size = number(words, round(printed.stat().st_size / 1e6, 1), 1) + " MB"
        context["sotebook_pdf_label"] = words.say("pdf.link", size=size)


def footer_html(words: Words, descriptor: dict) -> str:
    """The footer line, in the edition's language: which release of the dataset the book was built from."""
    from sotebook.pages.figures import date_text

    return "<p>" + html.escape(words.say("about_data.footer", version=descriptor["version"],
                                         date=date_text(words, descriptor["created"][:10]))) + "</p>"


def _set_footer(app, config) -> None:
    from sotebook.site.editions import site_words

    footer = footer_html(site_words(config.language), read_descriptor())
    config.html_theme_options = {**config.html_theme_options, "extra_footer": footer}


def _write_downloads(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    name, data = build_zip()
    folder = app.outdir / DOWNLOADS
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.zip"):
        stale.unlink()
    (folder / name).write_bytes(data)
    (folder / "SHA256SUMS").write_text(sha256sums({name: data}), encoding="utf-8")
    printed = BUILD_PDF / pdf_name(app.config.language)
    if printed.is_file():
        (app.outdir / PDFS).mkdir(exist_ok=True)
        shutil.copyfile(printed, app.outdir / PDFS / printed.name)


def setup(app):
    """Sphinx extension: the dataset's version in the footer, the release's downloads in the site."""
    app.connect("config-inited", _set_footer)
    app.connect("html-page-context", _pdf_context)
    app.connect("build-finished", _write_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

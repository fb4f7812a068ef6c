"""The data release on the site: its version in every page's footer, its zip and checksums beside the pages.

A small Sphinx extension (listed in `_config.yml`). Before the build it reads the version and date from
data/clean/datapackage.json into the theme's footer (sphinx-book-theme's `extra_footer`); after a build
that succeeded it writes the release zip and SHA256SUMS into `data/` of the site, the same bytes
`make release` writes to dist/, so the download links of "About the data" work offline and on Pages.
"""
from __future__ import annotations

import html

from . import words
from .release import build_zip, read_descriptor, sha256sums

DOWNLOADS = "data"  # folder of the site the downloads live in; overview.release_block links to ../data/ from book/


def footer_html(descriptor: dict) -> str:
    """The footer line, in the edition's language: which release of the dataset the book was built from."""
    from .chapter import date_text

    return "<p>" + html.escape(words.say("about_data.footer", version=descriptor["version"],
                                         date=date_text(descriptor["created"][:10]))) + "</p>"


def _set_footer(app, config) -> None:
    words.use(config.language if config.language in words.languages() else words.DEFAULT_LANGUAGE)
    config.html_theme_options = {**config.html_theme_options, "extra_footer": footer_html(read_descriptor())}


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


def setup(app):
    """Sphinx extension: the dataset's version in the footer, the release's downloads in the site."""
    app.connect("config-inited", _set_footer)
    app.connect("build-finished", _write_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

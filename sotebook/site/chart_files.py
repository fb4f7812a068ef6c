"""Charts out of the pages into files of their own: a Sphinx extension (listed in `_config.yml`).

`sotebook.pages.charts.show` stores each drawing in the notebook as a `data:image/svg+xml;base64,...` URI, so
the notebook is self-contained and nbval compares the SVG. Inline in the page, the three drawings of
every chart would make its HTML heavy and could not be cached; so while each page is written, every
such URI in an image's `src` or a picture source's `srcset` is written to `_images/chart-<sha256>.svg`
(named by its content: written once, the same name on every build and in every edition that draws the
same chart) and replaced by the file's path relative to the page.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import os
import posixpath
import re
from pathlib import Path

FOLDER = "_images"
# An image's or a picture source's address that holds a drawing. Only these attributes: a data URI
# elsewhere (the CSV download's) stays as it is.
SVG_URI = re.compile(r'(<(?:img|source)\b[^>]*?\b(?:src|srcset)=")data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)(")')


def chart_file_name(svg: bytes) -> str:
    """The file a drawing is written to, named by its content."""
    return f"chart-{hashlib.sha256(svg).hexdigest()[:20]}.svg"


def write_chart_file(folder: Path, svg: bytes) -> str:
    """Write the drawing into `folder` unless it is there already; return its file name."""
    name = chart_file_name(svg)
    target = folder / name
    if not target.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        # Written aside and moved into place: a reader of the folder never sees half a file.
        scratch = folder / f".{name}.{os.getpid()}"
        scratch.write_bytes(svg)
        os.replace(scratch, target)
    return name


def move_charts(body: str, folder: Path, href_prefix: str) -> str:
    """`body` with every drawing's data URI written to `folder` and replaced by `href_prefix` + its name."""
    def to_file(match: re.Match) -> str:
        try:
            svg = base64.b64decode(match.group(2), validate=True)
        except binascii.Error as error:
            raise ValueError(f"a chart's data URI is not valid base64 ({error})") from None
        return f"{match.group(1)}{href_prefix}{write_chart_file(folder, svg)}{match.group(3)}"

    return SVG_URI.sub(to_file, body)


def _page_context(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if not body or "data:image/svg+xml;base64," not in body:
        return
    page_dir = posixpath.dirname(app.builder.get_target_uri(pagename))
    prefix = posixpath.relpath(FOLDER, page_dir or ".") + "/"
    context["body"] = move_charts(body, Path(app.outdir) / FOLDER, prefix)


_LINKED = re.compile(r"(chart-[0-9a-f]{20}\.svg)")


def prune(site: Path) -> list[str]:
    """Remove from an edition's built `site` the chart files no page links any longer. An incremental build
    starts from the last build's files, so a chart whose drawing changed would leave its old file behind,
    which a whole build does not have. Returns the names removed."""
    folder = site / FOLDER
    if not folder.is_dir():
        return []
    linked = {name for page in site.rglob("*.html") for name in _LINKED.findall(page.read_text(encoding="utf-8"))}
    removed = sorted(p.name for p in folder.glob("chart-*.svg") if p.name not in linked)
    for name in removed:
        (folder / name).unlink()
    return removed


def setup(app):
    """Sphinx extension: each page's chart drawings written to _images/ and linked from the page."""
    app.connect("html-page-context", _page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""A page's footnote area measured once per footnote, not once per footnote and page so far (for
sotebook.site.pdf.render).

WeasyPrint 70 decides how much of a page the footnotes take by laying out the whole footnote area again each
time a footnote is added to the page, reported to the next one or taken back
(`LayoutContext._update_footnote_area`). A page with n footnotes lays out 1 + 2 + … + n footnotes; the book's
chapters have up to about ten a page, each quoting its source passage, and this measuring took half of an
edition's layout time (cProfile of the Finnish edition: 24.7 s of 50 s, in 629 calls).

Here each footnote is laid out alone, once for the width it is set in, and the area's height is the sum of
its footnotes' heights. That is the height WeasyPrint computes when the footnotes are blocks of lines with no
vertical margins of their own (nothing to collapse between them), which is what the book's footnotes are
(print.css: `.sotebook-footnote`, inline content only). Where that does not hold (a footnote with a vertical
margin, a footnote area in columns, an area with a fixed or maximum height), WeasyPrint's own measure is
used. The area is still laid out by WeasyPrint itself when the page is drawn; only the measuring is shared.

tests/test_print_document.py lays out a document with many footnotes per page both ways and compares the PDFs'
bytes.
"""
from __future__ import annotations

from contextlib import contextmanager
from math import inf


def _margins_free(box) -> bool:
    style = box.style
    return all(style[side].value == 0 for side in ("margin_top", "margin_bottom"))


@contextmanager
def measured_once():
    """While WeasyPrint lays out a document: the footnote area's height from each footnote's own height,
    each footnote laid out once per width."""
    from weasyprint.formatting_structure import build
    from weasyprint.layout import LayoutContext
    from weasyprint.layout.block import block_level_layout

    original = LayoutContext._update_footnote_area
    heights: dict[int, tuple[object, float, float]] = {}

    def height_of(context, area, footnote) -> float:
        entry = heights.get(id(footnote))
        if entry is not None and entry[0] is footnote and entry[1] == area.width:
            return entry[2]
        alone = build.create_anonymous_boxes(area.copy_with_children([footnote.deepcopy()]))
        laid = block_level_layout(context, alone, -inf, None, area.page)[0]
        heights[id(footnote)] = (footnote, area.width, laid.height)
        return laid.height

    def update(self):
        area = self.current_footnote_area
        footnotes = self.current_page_footnotes
        if (not footnotes or self.in_column or area.style["max_height"].value != inf
                or area.style["height"] != "auto" or not all(_margins_free(f) for f in footnotes)):
            return original(self)
        if area.height != "auto":
            self.page_bottom += area.margin_height()
        area.children = footnotes
        area.height = 0
        for footnote in footnotes:
            area.height += height_of(self, area, footnote)
        self.page_bottom -= area.margin_height()
        return False

    LayoutContext._update_footnote_area = update
    try:
        yield
    finally:
        LayoutContext._update_footnote_area = original

"""tests/pdf_reading.py (PDFium) against the readers tests/test_pdf.py used before it, on every page of the
built PDF editions: every character's text, uprightness, x0, x1, top, bottom and printed size against
pdfplumber's, each page's running head (the text above 20 mm) against pdfplumber's, and the text of every
heading's marked content (H1-H3) against pypdf's visitor. Takes about 20 s an edition (pdfplumber).

    PYTHONPATH=.:tests .venv/bin/python benchmarks/pdf_reading_vs_pdfplumber.py [fi sv en]
"""
from __future__ import annotations

import sys
import time

import pdfplumber
from pypdf import PdfReader

from pdf_reading import marked_text, read_pdf, text_within
from sotebook.pages.spec import read_spec
from sotebook.paths import BUILD_PDF
from sotebook.site.site_release import pdf_name
from test_pdf import marked_content, plain, structure_in_order


def pypdf_marked_text(reader, element) -> tuple[str, set[int], int]:
    """The text of a tag-tree element's marked content as tests/test_pdf.py read it before (pypdf's visitor)."""
    mcids, index = marked_content(reader, element)
    target = reader.pages[index]
    current, texts = [], []

    def visit(op, args, cm, tm):
        if op == b"BDC" and len(args) > 1 and hasattr(args[1], "get") and args[1].get("/MCID") in mcids:
            current.append(True)
        elif op == b"EMC" and current:
            current.pop()

    def text(t, cm, tm, font, size):
        if current:
            texts.append(t)
    target.extract_text(visitor_operand_before=visit, visitor_text=text)
    return "".join(texts), mcids, index


TOLERANCE = 0.01  # pt, as tests/test_pdf.py's comparison on real pages allows


def compare(lang: str) -> int:
    path = BUILD_PDF / pdf_name(lang)
    started = time.process_time()
    pages = read_pdf(path)
    print(f"{lang}: PDFium read {len(pages)} pages in {time.process_time() - started:.2f} s CPU")
    problems, worst, turned = 0, [0.0] * 5, 0
    with pdfplumber.open(path) as pdf:
        for number, (theirs_page, ours_page) in enumerate(zip(pdf.pages, pages), 1):
            head = plain(theirs_page.within_bbox((0, 0, theirs_page.width, 20 / 25.4 * 72)).extract_text() or "")
            if head != plain(text_within(ours_page, 0, 20 / 25.4 * 72)):
                problems += 1
                print(f"  page {number}: running head {head!r} != {plain(text_within(ours_page, 0, 56.7))!r}")
            key = lambda c: (round(c[3]), c[1], c[0])  # noqa: E731
            theirs = sorted(((c["text"], c["x0"], c["x1"], c["top"], c["bottom"],
                              c["size"] if c["upright"] else c["x1"] - c["x0"], bool(c["upright"]))
                             for c in theirs_page.chars), key=key)
            ours = sorted(((c.text, c.x0, c.x1, c.top, c.bottom, c.size if c.upright else c.x1 - c.x0, c.upright)
                           for c in ours_page.chars if not c.generated), key=key)
            turned += sum(1 for c in theirs if not c[6])
            if [(c[0], c[6]) for c in ours] != [(c[0], c[6]) for c in theirs]:
                problems += 1
                print(f"  page {number}: the characters differ ({len(ours)} ours, {len(theirs)} pdfplumber's)")
                continue
            for a, b in zip(ours, theirs):
                worst = [max(w, abs(x - y)) for w, x, y in zip(worst, a[1:6], b[1:6])]
    print(f"  characters: largest difference (pt) x0 {worst[0]:.4f} x1 {worst[1]:.4f} top {worst[2]:.4f} "
          f"bottom {worst[3]:.4f} size {worst[4]:.4f}; {turned} turned characters")
    if max(worst) > TOLERANCE:  # the tests' thresholds (7 pt, the column's edge) read these to the hundredth
        problems += 1
        print(f"  a character's box or size differs by more than {TOLERANCE} pt")
    reader = PdfReader(path)
    headings = [e for role, _, e in structure_in_order(reader) if role in ("/H1", "/H2", "/H3")]
    for element in headings:
        text, mcids, index = pypdf_marked_text(reader, element)
        if plain(text) != plain(marked_text(pages[index], mcids)):
            problems += 1
            print(f"  heading {plain(text)!r} != {plain(marked_text(pages[index], mcids))!r}")
    print(f"  {len(headings)} headings' marked text compared; {problems} differences")
    return problems


if __name__ == "__main__":
    sys.exit(1 if sum(compare(lang) for lang in (sys.argv[1:] or read_spec().languages)) else 0)

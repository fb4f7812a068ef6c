"""One reading of a PDF edition with PDFium (pypdfium2) for tests/test_pdf.py: each page's text, and every
character with the box pdfminer (pdfplumber) gives it, and the marked content it is in.

Why not pdfplumber: `page.chars` runs pdfminer's pure-Python interpreter over every content stream and
builds a dict of some forty keys per character (11 s an edition), where the tests need five numbers per
character; pypdf's `extract_text` of every page took another 6 s. PDFium reads the same content streams in
C (about 2 s of CPU an edition, texts included; most of it is Python per character).

The readings are pdfminer's, so the tests keep their thresholds: a character's box is its advance (the
glyph's width in the font times the font size) across and the font's descent to descent + font size up,
in text space, taken through the character's matrix (text matrix and transformation) to the page;
`x0`/`x1`/`top`/`bottom` are that box's extent with `top` measured from the page's top edge, as
pdfplumber's; `upright` is pdfminer's test (0 < a·d, b·c <= 0); `size` is pdfminer's (the box's height).
tests/test_pdf.py::test_the_pdfium_reading_is_pdfplumbers checks them against pdfplumber on a real page, and
benchmarks/pdf_reading_vs_pdfplumber.py on every page of every edition (within 0.0004 pt).
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import NamedTuple
from pathlib import Path


class Char(NamedTuple):
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float      # pdfminer's `size`: the box's height (its width for vertical fonts, none here)
    upright: bool
    mcid: int | None  # the marked-content id of the text object it is drawn by (None: none, or generated)
    generated: bool   # a space or line break PDFium infers between words and lines (not in the PDF)


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    text: str          # PDFium's text of the page (words and lines as it reads them)
    chars: list[Char]  # every character, generated ones included, in PDFium's reading order


def read_pdf(path: Path) -> list[Page]:
    """Every page of the PDF at `path`, read once."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pages = []
    document = pdfium.PdfDocument(str(path))
    try:
        x, y = ctypes.c_double(), ctypes.c_double()
        advance, descent = ctypes.c_float(), ctypes.c_float()
        matrix = raw.FS_MATRIX()
        x_ref, y_ref, matrix_ref = ctypes.byref(x), ctypes.byref(y), ctypes.byref(matrix)
        widths: dict = {}    # (font, character, size) -> advance
        descents: dict = {}  # (font, size) -> descent
        for page in document:
            width, height = page.get_size()
            textpage = page.get_textpage()
            handle = textpage.raw
            chars = []
            obj_address, font, mcid = None, None, None
            for i in range(raw.FPDFText_CountChars(handle)):
                text = chr(raw.FPDFText_GetUnicode(handle, i))
                if text == "\x02":  # PDFium's mark for a hyphen that ends a line: the PDF's hyphen
                    text = "-"
                if raw.FPDFText_IsGenerated(handle, i):
                    chars.append(Char(text, 0, 0, 0, 0, 0, True, None, True))
                    continue
                size = raw.FPDFText_GetFontSize(handle, i)  # the Tf size: the matrix holds the scale
                raw.FPDFText_GetCharOrigin(handle, i, x_ref, y_ref)
                raw.FPDFText_GetMatrix(handle, i, matrix_ref)
                obj = raw.FPDFText_GetTextObject(handle, i)
                address = ctypes.cast(obj, ctypes.c_void_p).value
                if address != obj_address:  # the characters of one text object come one after another
                    obj_address, font = address, raw.FPDFTextObj_GetFont(obj)
                    font_address = ctypes.cast(font, ctypes.c_void_p).value
                    mcid = raw.FPDFPageObj_GetMarkedContentID(obj)
                    mcid = mcid if mcid >= 0 else None
                key = (font_address, text, size)
                if key not in widths:
                    widths[key] = advance.value if raw.FPDFFont_GetGlyphWidth(font, ord(text), size, advance) else 0.0
                if key[::2] not in descents:
                    descents[key[::2]] = descent.value if raw.FPDFFont_GetDescent(font, size, descent) else 0.0
                across, below = widths[key], descents[key[::2]]
                a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
                # the box (0, descent)-(advance, descent + size) in text space, through the matrix
                x0, x1 = sorted((0.0, a * across)); y0, y1 = sorted((0.0, b * across))
                cx0, cx1 = sorted((c * below, c * (below + size))); cy0, cy1 = sorted((d * below, d * (below + size)))
                chars.append(Char(text, x.value + x0 + cx0, x.value + x1 + cx1, height - (y.value + y1 + cy1),
                                  height - (y.value + y0 + cy0), (y1 + cy1) - (y0 + cy0),
                                  a * d > 0 and b * c <= 0, mcid, False))
            pages.append(Page(width, height, textpage.get_text_range(), chars))
            textpage.close()
            page.close()
    finally:
        document.close()
    return pages


def text_within(page: Page, top: float, bottom: float) -> str:
    """The words of the characters wholly between `top` and `bottom` (points from the page's top), line by
    line, as pdfplumber's `within_bbox(...).extract_text()` finds them: a line is the characters whose tops
    are within 3 pt of each other, a word ends at a space or at a gap wider than 3 pt; words are joined by a
    space (pdfplumber's text with its whitespace made one space, as the tests compare it)."""
    chars = sorted((c for c in page.chars if not c.generated and top <= c.top and c.bottom <= bottom
                    and 0 <= c.x0 and c.x1 <= page.width), key=lambda c: c.top)
    lines: list[list[Char]] = []
    for char in chars:
        if lines and char.top - lines[-1][-1].top <= 3:
            lines[-1].append(char)
        else:
            lines.append([char])
    words = []
    for line in lines:
        word, last = "", None
        for char in sorted(line, key=lambda c: c.x0):
            if char.text.isspace() or (last is not None and char.x0 - last.x1 > 3):
                words.append(word)
                word = ""
            if not char.text.isspace():
                word += char.text
            last = char
        words.append(word)
    return " ".join(w for w in words if w)


def marked_text(page: Page, mcids: set[int]) -> str:
    """The text of the marked content with these ids on the page, in PDFium's reading order, with the spaces
    and line breaks PDFium infers between two of its characters."""
    parts, pending = [], []
    for char in page.chars:
        if char.generated:
            pending.append(char.text)
        elif char.mcid in mcids:
            parts += (pending if parts else []) + [char.text]
            pending = []
        else:
            pending = []
    return "".join(parts)

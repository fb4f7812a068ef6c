"""The PDF editions `make pdf` prints: every chapter in contents order, tagged, in the edition's language and
formatting, no chart cut across two pages, and every page of the site linking its edition's PDF."""
import copy
import functools
import html
import re
import unicodedata

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from pdf_reading import marked_text, read_pdf, text_within

from sotebook.pages import home
from sotebook.pages.spec import read_spec
from sotebook.data.dataset import available_years, load
from sotebook.paths import BUILD_HTML, BUILD_PDF
from sotebook.site.pdf import page_order
from sotebook.site.site_release import PDFS, pdf_name
from sotebook.pages.words import edition as words_of  # `edition` is the fixture below

EDITIONS = read_spec().languages


@functools.lru_cache(maxsize=None)
def reading(lang: str):
    """One reading of the edition's PDF with PDFium (tests/pdf_reading.py): each page's text and every
    character's box, size and marked content (about 2 s of CPU; pdfplumber and pypdf took 17 s)."""
    return read_pdf(BUILD_PDF / pdf_name(lang))


@functools.lru_cache(maxsize=None)
def print_document(lang: str) -> BeautifulSoup:
    """The edition's print document (sotebook.site.pdf.edition_document), made and parsed once for the tests
    that read it (they only read it)."""
    from sotebook.site.pdf import edition_document

    return BeautifulSoup(edition_document(lang), "html.parser")


# One worker reads an edition's PDF (a few seconds) and runs every test of it.
@pytest.fixture(scope="module", params=[pytest.param(lang, marks=pytest.mark.xdist_group(f"pdf-{lang}"))
                                        for lang in EDITIONS])
def edition(request):
    """(lang, reader, text of every page) of one edition's PDF: pypdf reads its objects (outline, tag tree,
    fonts), PDFium its pages' text (as it reads them: the spaces and line breaks between words and lines)."""
    path = BUILD_PDF / pdf_name(request.param)
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make pdf` (make test prints the PDFs first)", pytrace=False)
    reader = PdfReader(path)
    return request.param, reader, [page.text for page in reading(request.param)]


def plain(text: str) -> str:
    """Text with every kind of space (Babel's no-break group separator, line breaks) as one plain space,
    and a ligature (ﬀ) as its letters."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).replace("\u00a0", " ").replace("\u202f", " ")).strip()


@functools.lru_cache(maxsize=None)
def site_page(path) -> BeautifulSoup:
    """A page of the built site, parsed once for every test that reads it (the tests only read it)."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@functools.lru_cache(maxsize=None)
def chapter_titles(lang: str) -> list[str]:
    """Each page's h1 in the built site, in the order of the edition's contents."""
    titles = []
    for name in page_order(lang):
        h1 = copy.copy(site_page(BUILD_HTML / lang / f"{name}.html").select_one("article h1"))
        h1.select_one(".headerlink") and h1.select_one(".headerlink").decompose()
        titles.append(plain(h1.get_text()))
    return titles


def outline(reader) -> list[tuple[str, int, list]]:
    """The top level of the outline: each entry's title, page (from 1) and children."""
    entries = []
    for item in reader.outline:
        if isinstance(item, list):
            entries[-1] = (*entries[-1][:2], item)
        else:
            entries.append((plain(item.title), reader.get_destination_page_number(item) + 1, []))
    return entries


def test_outline_has_the_cover_contents_and_every_chapter_in_contents_order(edition):
    lang, reader, _ = edition
    w = words_of(lang)
    entries = outline(reader)
    titles = [title for title, _, _ in entries]
    assert titles == ([plain(w.say("site.title")), w.say("pdf.contents")] + chapter_titles(lang)
                      + [w.say("pdf.appendix"), w.say("pdf.colophon")])
    pages = [page for _, page, _ in entries]
    assert pages == sorted(pages) and pages[:2] == [1, 2], "chapters in contents order, each from its own page"
    _, _, texts = edition
    for title, page, _ in entries[2:]:
        assert title in plain(texts[page - 1]), f"the outline sends {title!r} to page {page}, which does not show it"
    years = [e for e in entries if any(str(y) in e[0] for y in available_years())]
    assert years and all(children for _, _, children in years), "a year chapter's sections are beneath it"


def test_page_count_and_running_page_numbers(edition):
    lang, reader, texts = edition
    count = len(reader.pages)
    assert count >= len(page_order(lang)) + 3
    w = words_of(lang)
    for number in (2, count // 2, count):
        footer = w.say("pdf.page_of", page=number, pages=count)
        assert footer in texts[number - 1], f"page {number} should say {footer!r}"
    assert w.say("pdf.page_of", page=1, pages=count) not in texts[0], "the cover has no folio"


def test_contents_gives_each_chapter_its_page(edition):
    lang, reader, texts = edition
    entries = outline(reader)
    contents = plain(" ".join(texts[1:entries[2][1] - 1]))
    for title, page, _ in entries[2:]:
        assert re.search(re.escape(title) + rf"[ .]*{page}\b", contents), f"contents should give {title!r} page {page}"


@functools.lru_cache(maxsize=None)
def read_characters(lang: str) -> tuple[list[str], list[tuple[int, str, float]], list[tuple[int, str, float]]]:
    """Every character of an edition's PDF, with the box pdfplumber gives it (read with PDFium,
    tests/pdf_reading.py; test_the_pdfium_reading_is_pdfplumbers compares the two): the running head of
    every page (the text above 20 mm, in print.css's 22 mm top margin), every character smaller than 7 pt
    (page, character, size) and every character outside the column's 170 mm (page, character, x)."""
    heads, small, outside = [], [], []
    margin = 20 / 25.4 * 72
    for number, page in enumerate(reading(lang), 1):
        chars = [c for c in page.chars if not c.generated]
        heads.append(plain(text_within(page, 0, 20 / 25.4 * 72)))
        small += [(number, c.text, round(printed_size(c), 2)) for c in chars if printed_size(c) < 7 - 1e-6]
        outside += [(number, c.text, round(c.x0)) for c in chars
                    if c.x0 < margin - 1 or c.x1 > page.width - margin + 1]
    return heads, small, outside


def running_heads(lang: str) -> list[str]:
    return read_characters(lang)[0]


def test_every_page_after_the_cover_carries_its_chapters_title(edition):
    lang, reader, _ = edition
    entries = outline(reader)
    heads = running_heads(lang)
    assert heads[0] == "", "the cover has no running head"
    starts = [(page, title) for title, page, _ in entries[1:]]
    for number in range(2, len(reader.pages) + 1):
        title = [t for page, t in starts if page <= number][-1]
        assert heads[number - 1] == title, f"page {number}: running head {heads[number - 1]!r}, chapter {title!r}"


def printed_size(char) -> float:
    """A character's size as printed (its font size times the text's and the drawing's scale): pdfminer's
    `size` is the glyph box's extent across the baseline for upright text only; for text turned a quarter
    (a chart's vertical axis title) that extent is the box's width."""
    return char.size if char.upright else char.x1 - char.x0


def test_no_text_is_smaller_than_7_pt(edition):
    """Every character of every page, charts' labels included, at the size pdfplumber reads (read_characters)."""
    lang, _, _ = edition
    small = read_characters(lang)[1]
    assert not small, f"text under 7 pt: {small[:20]}"


def test_no_text_runs_off_the_column(edition):
    """A wide table (the metric dictionary's ids, the checksums) wraps inside the 170 mm column."""
    lang, _, _ = edition
    outside = read_characters(lang)[2]
    assert not outside, f"text outside the column: {outside[:20]}"


@pytest.mark.xdist_group(f"pdf-{EDITIONS[0]}")  # the worker that reads that edition for the tests above
def test_the_pdfium_reading_is_pdfplumbers():
    """The characters the tests above read with PDFium (tests/pdf_reading.py) are pdfplumber's: on the first
    page of the first edition with turned text (a chart's vertical axis title) as well as upright text, the
    same characters, each with the same x0, x1, top, bottom and printed size (within 0.01 pt) and
    uprightness, and the same running head. pdfplumber reads the real file, only that page (opening the
    file is 1.6 s: pdfminer parses every object of the tag tree). benchmarks/pdf_reading_vs_pdfplumber.py
    compares every page of every edition."""
    import pdfplumber

    lang = EDITIONS[0]
    path = BUILD_PDF / pdf_name(lang)
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make pdf` (make test prints the PDFs first)", pytrace=False)
    pages = reading(lang)
    turned = [n for n, page in enumerate(pages, 1) if any(not c.upright for c in page.chars if not c.generated)]
    assert turned, "no page with turned text (a chart's vertical axis title) to compare"
    number = turned[0]

    def order(chars):
        return sorted(chars, key=lambda c: (round(c[3]), c[1], c[0]))
    with pdfplumber.open(path, pages=[number]) as pdf:
        page = pdf.pages[0]
        head = plain(page.within_bbox((0, 0, page.width, 20 / 25.4 * 72)).extract_text() or "")
        theirs = order((c["text"], c["x0"], c["x1"], c["top"], c["bottom"],
                        c["size"] if c["upright"] else c["x1"] - c["x0"], bool(c["upright"])) for c in page.chars)
    assert head and read_characters(lang)[0][number - 1] == head, f"page {number}: the running head"
    ours = order((c.text, c.x0, c.x1, c.top, c.bottom, printed_size(c), c.upright)
                 for c in pages[number - 1].chars if not c.generated)
    assert [(c[0], c[6]) for c in ours] == [(c[0], c[6]) for c in theirs], f"page {number}: the characters"
    assert any(c[6] for c in ours) and not all(c[6] for c in ours)
    off = [(c[0], [round(v, 3) for v in c[1:6]], [round(v, 3) for v in d[1:6]]) for c, d in zip(ours, theirs)
           if max(abs(a - b) for a, b in zip(c[1:6], d[1:6])) > 0.01]
    assert not off, f"page {number}: (character, ours, pdfplumber's x0 x1 top bottom size): {off[:10]}"



def _fonts_by_page(path) -> list[set[str]]:
    """The fonts (base names) each page of a PDF draws its characters in, as PDFium reads them."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    found, name, flags = [], ctypes.create_string_buffer(256), ctypes.c_int()
    document = pdfium.PdfDocument(str(path))
    try:
        for page in document:
            textpage = page.get_textpage()
            fonts = set()
            for i in range(raw.FPDFText_CountChars(textpage.raw)):
                if not raw.FPDFText_IsGenerated(textpage.raw, i) and \
                        raw.FPDFText_GetFontInfo(textpage.raw, i, name, len(name), ctypes.byref(flags)):
                    fonts.add(name.value.decode())
            found.append(fonts)
            textpage.close()
            page.close()
    finally:
        document.close()
    return found


@pytest.mark.xdist_group(f"pdf-{EDITIONS[0]}")
def test_the_pdfium_reading_is_pdfplumbers_in_every_font():
    """Review 20 (issue 24): the test above compares one page, which draws in two of the edition's six fonts
    (sans and bold; not italic, bold italic, DejaVu Sans or the monospace of the checksums), so a wrong width
    or descent in another font passed it. Here a few pages that between them draw in every font the edition
    uses: the same characters, each with pdfplumber's x0, x1, top, bottom and printed size (within 0.01 pt)."""
    import pdfplumber

    lang = EDITIONS[0]
    path = BUILD_PDF / pdf_name(lang)
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make pdf` (make test prints the PDFs first)", pytrace=False)
    fonts = _fonts_by_page(path)
    every, chosen, covered = set().union(*fonts), [], set()
    while covered != every:  # greedily, the page that adds most fonts not yet covered
        number = max(range(1, len(fonts) + 1), key=lambda n: (len(fonts[n - 1] - covered), -n))
        chosen.append(number)
        covered |= fonts[number - 1]
    assert len(every) >= 4, f"the fonts found: {sorted(every)}"

    def order(chars):
        return sorted(chars, key=lambda c: (round(c[3]), c[1], c[0]))
    pages, off, theirs_fonts = reading(lang), [], set()
    with pdfplumber.open(path, pages=chosen) as pdf:
        for number, page in zip(chosen, pdf.pages):
            theirs_fonts |= {c["fontname"] for c in page.chars}
            theirs = order((c["text"], c["x0"], c["x1"], c["top"], c["bottom"],
                            c["size"] if c["upright"] else c["x1"] - c["x0"], bool(c["upright"])) for c in page.chars)
            ours = order((c.text, c.x0, c.x1, c.top, c.bottom, printed_size(c), c.upright)
                         for c in pages[number - 1].chars if not c.generated)
            assert [(c[0], c[6]) for c in ours] == [(c[0], c[6]) for c in theirs], f"page {number}: the characters"
            off += [(number, c[0], [round(v, 3) for v in c[1:6]], [round(v, 3) for v in d[1:6]])
                    for c, d in zip(ours, theirs) if max(abs(a - b) for a, b in zip(c[1:6], d[1:6])) > 0.01]
    assert theirs_fonts == every, f"pages {chosen}: pdfplumber's fonts {sorted(theirs_fonts)}, PDFium's {sorted(every)}"
    assert not off, f"(page, character, ours, pdfplumber's x0 x1 top bottom size): {off[:10]}"

def test_one_number_format_in_every_table(edition):
    """Every number of four digits or more in a table of the print is grouped as the edition writes numbers
    (no "7995" beside "12,116"), but a year and a checksum."""
    lang, _, _ = edition
    soup = print_document(lang)
    ungrouped = []
    for cell in soup.select("main td, main th"):
        text = cell.get_text(" ", strip=True)
        if re.fullmatch(r"[0-9a-f]{64}", re.sub(r"\s+", "", text)):  # a checksum, with its break opportunities
            continue
        ungrouped += [text for m in re.finditer(r"(?<![\d.,\u00a0\u202f ])\d{4,}(?![\d.,])", text)
                      if not 1900 <= int(m.group(0)) <= 2099]
    assert not ungrouped, ungrouped[:10]


def test_pdfua_finds_no_error_or_warning(edition):
    from pdf_ua import check

    lang, _, _ = edition
    findings, skipped = check(BUILD_PDF / pdf_name(lang))
    assert not skipped, f"rules the checker could not run: {skipped}"
    assert not findings, [(f.rule_id, f.severity.name, f.location.page, f.message[:100]) for f in findings]


def structure_in_order(reader) -> list[tuple[str, int]]:
    """The tag tree's elements in reading order (depth first), each with the page it starts on."""
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, 1)}
    found = []

    def walk(element):
        kids = element.get("/K")
        for kid in (kids if isinstance(kids, list) else [] if kids is None else [kids]):
            kid = kid.get_object()
            if hasattr(kid, "get") and "/S" in kid:
                found.append((str(kid["/S"]), pages.get(kid.raw_get("/Pg").idnum) if "/Pg" in kid else None, kid))
                walk(kid)
    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_the_tag_tree_reads_in_the_pages_order_with_headings_h1_to_h3(edition):
    """A screen reader follows the tag tree: its elements go page by page, the chapters' H1s in the order of
    the contents, and the running heads and folios are not in it (they are artifacts)."""
    lang, reader, texts = edition
    tree = structure_in_order(reader)
    pages = [page for _, page, _ in tree if page is not None]
    assert pages == sorted(pages), "the tag tree goes back to an earlier page"
    roles = {role for role, _, _ in tree}
    assert not roles & {"/H4", "/H5", "/H6"} and {"/H1", "/H2", "/H3"} <= roles
    assert "/Figure" in roles and "/Table" in roles and "/Link" in roles
    quoted = {str(element["/Lang"]) for _, _, element in tree if "/Lang" in element}
    in_site = {span["lang"] for name in page_order(lang)
               for span in site_page(BUILD_HTML / lang / f"{name}.html").select("article [lang]")}
    assert quoted == in_site, "each passage in another language carries its language (/Lang)"
    h1s = [plain(_marked_text(lang, reader, element)) for role, _, element in tree if role == "/H1"]
    assert h1s[2:2 + len(chapter_titles(lang))] == chapter_titles(lang)
    for number in (3, len(reader.pages) // 2):
        content = reader.pages[number - 1].get_contents().get_data()
        assert b"/Artifact <</Type /Pagination>> BDC" in content, f"page {number}: running head or folio not an artifact"


def marked_content(reader, element) -> tuple[set[int], int]:
    """A tag-tree element's marked content: the /MCIDs under it and the index of the page it starts on."""
    mcids, page = set(), None

    def collect(node):
        nonlocal page
        if "/Pg" in node and page is None:
            page = node.raw_get("/Pg").idnum
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, list) else [] if kids is None else [kids]):
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, int):
                mcids.add(kid)
            elif hasattr(kid, "get"):
                collect(kid)
    collect(element)
    return mcids, next(n for n, p in enumerate(reader.pages) if p.indirect_reference.idnum == page)


def _marked_text(lang: str, reader, element) -> str:
    """The text a heading's marked content shows, read from its page (the characters PDFium reads from the
    text objects inside the marked content of the element's /MCIDs)."""
    mcids, index = marked_content(reader, element)
    return marked_text(reading(lang)[index], mcids)


def test_each_figure_is_printed_once_in_the_chapters_and_the_full_lists_in_the_appendix(edition):
    """No chart data table and no full list in the chapters; the appendix holds every full list of the
    site; no table row of the chapters is printed twice."""
    lang, _, _ = edition
    soup = print_document(lang)
    chapters = soup.select("main > article.sotebook-print-part")
    assert not [c for c in chapters if c.select("details, .sotebook-figure__table, .sotebook-figure__download")]
    rows = [plain(tr.get_text(" ")) for c in chapters for tr in c.select("tbody tr")]
    twice = sorted({row for row in rows if rows.count(row) > 1})
    assert not twice, f"rows printed twice in the chapters: {twice[:5]}"
    lists = sum(len(site_page(BUILD_HTML / lang / f"{name}.html").select("details.sotebook-all"))
                for name in page_order(lang))
    assert lists and len(soup.select("#appendix .sotebook-print-list table")) == lists


def test_declares_its_language_is_tagged_and_embeds_its_fonts(edition):
    lang, reader, _ = edition
    root = reader.trailer["/Root"]
    assert root["/Lang"] == lang
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    for number, page in enumerate(reader.pages, 1):
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = described["/FontDescriptor"]
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                f"page {number}: font {font.get('/BaseFont')} is not embedded"


def test_key_figures_of_the_latest_year_are_text_as_the_edition_writes_them(edition):
    lang, _, texts = edition
    w = words_of(lang)
    latest = available_years()[-1]
    figures = [c.cell() for c in home.key_figure_rows(w, load(), latest)]
    text = plain(" ".join(texts))
    assert figures
    missing = [f for f in figures if plain(f) not in text]
    assert not missing, f"key figures of {latest} not found as text: {missing}"
    if lang == "fi":
        assert "1 679 689" in text


def struct_pages(element, pages: dict, inherited=None) -> set[int]:
    """The pages (from 1) the marked content of a tag-tree element lies on."""
    here = pages[element.raw_get("/Pg").idnum] if "/Pg" in element else inherited
    kids = element.get("/K")
    found = set()
    for kid in (kids if isinstance(kids, list) else [] if kids is None else [kids]):
        kid = kid.get_object()
        if not hasattr(kid, "get"):  # a marked-content id on the element's page
            found.add(here)
        elif kid.get("/Type") in ("/MCR", "/OBJR"):
            found.add(pages[kid.raw_get("/Pg").idnum] if "/Pg" in kid else here)
        else:
            found |= struct_pages(kid, pages, here)
    return found


def chart_figures(reader) -> list[tuple[str, set[int]]]:
    """Every chart in the PDF's tag tree, with its pages: a Figure with a text alternative (the chart's
    <img alt>) not inside another such Figure."""
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, 1)}
    charts = []

    def walk(element, in_chart):
        is_chart = element.get("/S") == "/Figure" and "/Alt" in element and not in_chart
        if is_chart:
            charts.append((str(element["/Alt"]), struct_pages(element, pages)))
        kids = element.get("/K")
        for kid in (kids if isinstance(kids, list) else [] if kids is None else [kids]):
            kid = kid.get_object()
            if hasattr(kid, "get") and "/S" in kid:
                walk(kid, in_chart or is_chart)
    walk(reader.trailer["/Root"]["/StructTreeRoot"], False)
    return charts


def test_no_chart_is_cut_across_two_pages(edition):
    """Checked in the PDF's tag tree: each chart is one tagged Figure, and a chart cut by a page break
    has its marked content on two pages. The count ties the PDF to the site, so lost tags fail too."""
    lang, reader, _ = edition
    charts = chart_figures(reader)
    in_site = [img["alt"] for name in page_order(lang)
               for img in site_page(BUILD_HTML / lang / f"{name}.html").select(".sotebook-figure__chart img")]
    # a chart too tall for a page is printed in parts, each a Figure with the chart's text alternative
    assert sorted(set(alt for alt, _ in charts)) == sorted(set(plain(a) for a in in_site)) or \
        len({alt for alt, _ in charts}) == len(set(in_site))
    # a chart the front page draws again from a later chapter is printed once, in that chapter
    assert len(charts) >= len(set(in_site))
    cut = [(alt[:60], sorted(pages)) for alt, pages in charts if len(pages) != 1]
    assert not cut, f"charts cut across pages: {cut}"


def raster_images(resources, seen=None) -> list[str]:
    """The raster images a page's resources draw, looking inside form XObjects (an SVG image is one)."""
    seen = set() if seen is None else seen
    found = []
    for name, ref in (resources or {}).get("/XObject", {}).items():
        if getattr(ref, "idnum", None) in seen:
            continue
        seen.add(getattr(ref, "idnum", None))
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Image":
            found.append(str(name))
        elif xobject.get("/Subtype") == "/Form":
            found += raster_images(xobject.get("/Resources"), seen)
    return found


def axis_titles(lang: str) -> set[str]:
    """The axis and legend titles (15 px text) of the charts of the edition's pages, from their SVG files."""
    titles = set()
    for name in page_order(lang):
        page = BUILD_HTML / lang / f"{name}.html"
        for img in site_page(page).select(".sotebook-figure__chart img"):
            svg = (page.parent / img["src"]).read_text(encoding="utf-8")
            titles |= {plain(html.unescape(t)) for t in re.findall(r'<text[^>]*font-size="15px"[^>]*>([^<]+)</text>', svg)}
    return titles


def test_charts_are_vector_with_their_text_as_text(edition):
    """Each chart's SVG prints as paths and text, not as a picture of itself: no page of a chart holds a
    raster image, and every chart's axis and legend titles are text in the PDF."""
    lang, reader, texts = edition
    pages = sorted({page for _, on in chart_figures(reader) for page in on})
    assert pages
    for number in pages:
        assert not raster_images(reader.pages[number - 1].get("/Resources")), f"page {number}: a chart is a raster image"
    titles = axis_titles(lang)
    text = plain(" ".join(texts))
    assert titles and not [t for t in titles if t not in text], [t for t in titles if t not in text]


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_page_links_its_editions_pdf_which_the_site_carries(lang):
    printed = BUILD_PDF / pdf_name(lang)
    if not printed.is_file():
        pytest.fail(f"{printed} is missing: run `make pdf`", pytrace=False)
    carried = BUILD_HTML / lang / PDFS / printed.name
    assert carried.read_bytes() == printed.read_bytes()
    for path in sorted((BUILD_HTML / lang / "book").glob("*.html")):
        link = site_page(path).select_one(".sotebook-pdf-link a")
        assert link is not None and link["href"] == f"../{PDFS}/{printed.name}", f"{path} does not link the PDF"


# What a heading heads: the first element after it in reading order that holds content of its own (a
# paragraph, list, table, figure), not a section or division around it.
_CONTAINERS = {"/Document", "/Part", "/Art", "/Sect", "/Div", "/NonStruct", "/Span", "/Link", "/Note", "/Lbl"}


def stranded_headings(lang: str, reader) -> list[tuple[int, str, int]]:
    """Each heading (H1-H3) whose next content is on a later page: (its page, its text, that page)."""
    tree = structure_in_order(reader)
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, 1)}
    found = []
    for index, (role, _, element) in enumerate(tree):
        if role not in ("/H1", "/H2", "/H3"):
            continue
        inside = set()
        _collect_ids(element, inside)
        following = next(((r, e) for r, _, e in tree[index + 1:]
                          if r not in _CONTAINERS and r not in ("/H1", "/H2", "/H3") and id(e) not in inside
                          and struct_pages(e, pages)), None)
        if following is None:
            continue
        here, there = min(struct_pages(element, pages)), min(struct_pages(following[1], pages))
        if there > here:
            found.append((here, plain(_marked_text(lang, reader, element))[:60], there))
    return found


def _collect_ids(element, found: set) -> None:
    kids = element.get("/K")
    for kid in (kids if isinstance(kids, list) else [] if kids is None else [kids]):
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if hasattr(kid, "get") and "/S" in kid:
            found.add(id(kid))
            _collect_ids(kid, found)


def test_no_heading_is_the_last_thing_on_its_page(edition):
    """A heading is printed on the page of what it heads: the first paragraph, list, table or chart after it
    in the tag tree starts on the heading's page."""
    lang, reader, _ = edition
    stranded = stranded_headings(lang, reader)
    assert not stranded, f"headings at a page's foot (page, heading, page of what it heads): {stranded}"


def test_no_table_row_is_split_across_pages(edition):
    """Each row of a table (a /TR of the tag tree) has its content on one page; a table running onto the next
    page repeats its header row there."""
    lang, reader, _ = edition
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, 1)}
    split = [(sorted(on), plain(" ".join(_marked_text(lang, reader, cell) for cell in _kids(row)))[:60])
             for role, _, row in structure_in_order(reader) if role == "/TR"
             for on in [struct_pages(row, pages)] if len(on) > 1]
    assert not split, f"table rows on two pages: {split[:10]}"


def _kids(element) -> list:
    kids = element.get("/K")
    return [k.get_object() for k in (kids if isinstance(kids, list) else [] if kids is None else [kids])
            if hasattr(k.get_object(), "get")]


def printed_tables(reader) -> list[list[int]]:
    """Each table of the PDF as the number of its body rows on each page it is on. WeasyPrint tags each
    page's part of a table as a /Table of its own; a /Table that follows another with nothing between them
    in reading order (no heading, paragraph, figure, only the containers around them) on the next page is
    the same table run on."""
    tree = structure_in_order(reader)
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, 1)}
    tables: list[list[int]] = []
    inside: set = set()
    last_page, open_table = None, False
    for role, _, element in tree:
        if id(element) in inside or role in _CONTAINERS:
            continue
        if role != "/Table":
            open_table = False
            continue
        _collect_ids(element, inside)
        on = sorted(struct_pages(element, pages))
        rows = sum(len([r for r in _kids(part) if r.get("/S") == "/TR"]) for part in _kids(element)
                   if part.get("/S") == "/TBody")
        if open_table and on and last_page is not None and on[0] == last_page + 1:
            tables[-1].append(rows)
        else:
            tables.append([rows])
        last_page, open_table = (on[-1] if on else None), True
    return tables


def test_a_table_running_onto_another_page_leaves_three_rows_on_each(edition):
    """No table starts with its header and one row at a page's foot, or ends with one row at the top of the
    next: each page of a table that runs on holds at least three of its body rows."""
    _, reader, _ = edition
    lonely = [parts for parts in printed_tables(reader) if len(parts) > 1 and min(parts) < min(3, sum(parts))]
    assert not lonely, f"tables with fewer than three rows on a page (rows on each page): {lonely[:10]}"

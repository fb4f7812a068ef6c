"""The print document (sotebook/site/print_document.py) on a page written in the HTML contract of the year
chapters' story: a number with its note call and popover, the section's note list, a headline table's
collapsed full list and a chart with its data table. Needs no built site: the page is made here, and laid
out by WeasyPrint as `make pdf` lays out the book."""
import copy
import io
import re
from pathlib import Path

import pdfplumber
import pytest
from bs4 import BeautifulSoup

from sotebook.pages.words import edition
from sotebook.site import print_document
from sotebook.site.pdf import finish, render

# A chart drawn as vega draws one: 13 px labels (9.3 pt in print, where a space is 2.6 pt wide), a label of
# two lines in <tspan>s, right-aligned
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="672" height="200" viewBox="0 0 672 200">'
       '<rect width="672" height="200" fill="#fff"/><text x="10" y="20" font-size="13px">A chart</text>'
       '<text text-anchor="end" transform="translate(200,60)" font-family="Arial, Helvetica, sans-serif" '
       'font-size="13px"><tspan>Hospital, rehabilitation</tspan><tspan x="0" dy="15">and care services</tspan></text>'
       '<text text-anchor="middle" transform="translate(400,120)" font-size="13px">2 million visits</text></svg>')

PAGE = """<!DOCTYPE html><html lang="en"><body><main><article class="bd-article">
<section id="the-year-2025"><h1>The year 2025<a class="headerlink" href="#the-year-2025">#</a></h1>
<section id="story"><h2>The year in brief</h2>
<p>Nurses had <button type="button" class="sotebook-fig" popovertarget="fig-1">1,679,689</button><sup class="sotebook-fnref"><a href="#fig-1-n">1</a></sup><span id="fig-1" popover class="sotebook-pop">POPOVER-ONLY text</span> visits.</p>
<ol class="sotebook-notes"><li id="fig-1-n"><q lang="sv">Sjukskötare hade <mark>1 679 689</mark> besök</q>, Annual review 2025, section Services.</li></ol>
</section>
<section id="services"><h2>Services</h2><p>Services grew.<span class="sotebook-web-only"> WEB-ONLY: the full list is in the block below the table.</span></p>
<div class="sotebook-table"><table class="sotebook-table__table"><caption>Services, 2025: the main figures</caption>
<thead><tr><th scope="col">Measure</th><th class="sotebook-num" scope="col">2025</th></tr></thead>
<tbody><tr><th scope="row">Nurse visits</th><td class="sotebook-num">1,679,689</td></tr></tbody></table></div>
<details class="sotebook-all"><summary>All 2 figures on services for 2025</summary>
<div class="sotebook-table"><table class="sotebook-table__table"><caption>Services, 2025: every figure</caption>
<thead><tr><th scope="col">Measure</th><th class="sotebook-num" scope="col">2025</th></tr></thead>
<tbody><tr><th scope="row">Nurse visits</th><td class="sotebook-num">1,679,689</td></tr>
<tr><th scope="row">APPENDIX-ONLY row</th><td class="sotebook-num">12,116</td></tr></tbody></table></div></details>
<figure class="sotebook-figure" id="figure-visits"><div class="sotebook-figure__chart"><picture>
<source media="(min-width: 960px)" srcset="chart.svg" width="672" height="200">
<img class="sotebook-figure__image" src="chart.svg" alt="Bar chart of visits." width="342" height="200"></picture></div>
<figcaption><p class="sotebook-figure__title"><strong>Visits</strong></p><p class="sotebook-figure__alt">Bar chart of visits.</p>
<p class="sotebook-figure__download"><a href="data:text/csv,x" download="v.csv">Download</a></p>
<details class="sotebook-figure__data"><summary>Data table</summary><table><tr><td>DATA-TABLE-ONLY</td></tr></table></details>
</figcaption></figure>
</section></section></article></main></body></html>"""


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site") / "book"
    folder.mkdir()
    (folder / "chart.svg").write_text(SVG, encoding="utf-8")
    (folder / "year_2025.html").write_text(PAGE, encoding="utf-8")
    words = edition("en")
    part = print_document.chapter(words, folder / "year_2025.html", "book/year_2025", {"book/year_2025": "p0-"})
    document = print_document.document_html(words, [part], [2024, 2025], {"version": "1.0.0", "created": "2026-11-28"}, "")
    pdf = finish(render(document, folder.parent), document)
    with pdfplumber.open(io.BytesIO(pdf)) as reader:
        texts = [page.extract_text() or "" for page in reader.pages]
    return part, document, pdf, texts


def test_a_numbers_note_becomes_a_footnote_and_its_popover_and_list_are_not_printed(printed):
    part, document, _, texts = printed
    soup = BeautifulSoup(part.html, "html.parser")
    assert not soup.select(".sotebook-pop, ol.sotebook-notes, button, sup.sotebook-fnref")
    footnote = soup.select_one(".sotebook-footnote")
    assert footnote is not None and footnote.select_one('q[lang="sv"] mark').get_text() == "1 679 689"
    page = next(n for n, text in enumerate(texts) if "Nurses had" in text)
    assert "Sjukskötare hade" in texts[page], "the note is on the page of its number"
    whole = " ".join(texts)
    assert "POPOVER-ONLY" not in whole and whole.count("Sjukskötare hade") == 1


def test_a_full_list_moves_to_the_appendix_and_a_charts_data_table_is_not_printed(printed):
    part, document, _, texts = printed
    assert "DATA-TABLE-ONLY" not in document and "Download" not in " ".join(texts)
    assert "WEB-ONLY" not in document and "Services grew." in " ".join(texts)
    assert [item.title for item in part.appendix] == ["All 2 figures on services for 2025"]
    appendix = next(n for n, text in enumerate(texts) if "APPENDIX-ONLY" in text)
    assert "Appendix: the full lists" in texts[appendix]
    whole = " ".join(texts)
    assert whole.count("APPENDIX-ONLY") == 1
    see = re.search(r"the full list is in the appendix, page (\d+)", whole)
    assert see and int(see.group(1)) == appendix + 1, "the chapter gives the appendix's page"


def test_the_small_document_has_no_pdfua_findings(printed, tmp_path):
    from pdf_ua import check

    _, _, pdf, _ = printed
    path = tmp_path / "small.pdf"
    path.write_bytes(pdf)
    findings, skipped = check(path)
    assert not skipped, skipped
    assert not findings, [(f.rule_id, f.message[:120]) for f in findings]


def test_the_pdfua_checkers_tag_tree_walk_is_its_own(printed, tmp_path):
    """Review 20 (issue 24): tests/pdf_ua.py replaces the checker's walk of the tag tree with a faster one. The
    checker's rules read only the elements the walk lists, so a walk that missed some would hide their
    findings and the tests above would still pass (a walk down one level only passed them). The replacement
    lists the elements the checker's own walk (a fresh copy of pdfua.document, not patched) lists, in order."""
    import importlib.util

    import pdf_ua  # noqa: F401  (patches pdfua.document)
    from pdfua import document as patched

    spec = importlib.util.find_spec("pdfua.document")
    original = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(original)
    assert original.PdfDocument._walk is not patched.PdfDocument._walk
    _, _, pdf, _ = printed
    path = tmp_path / "small.pdf"
    path.write_bytes(pdf)

    def elements(module):
        with module.PdfDocument.open(str(path)) as doc:
            return [(e.role, e.obj.objgen, e.page, e.alt, e.actual_text, e.has_scope, e.has_headers,
                     [c.obj.objgen for c in e.children]) for e in doc.struct_elements]
    theirs = elements(original)
    assert len({role for role, *_ in theirs}) >= 5 and max(len(e[7]) for e in theirs) > 1
    assert elements(patched) == theirs

def test_the_same_document_prints_the_same_bytes(printed):
    _, document, pdf, _ = printed
    # the document holds its chart as a data: URI, so it needs no base folder
    assert finish(render(document, Path("/nonexistent")), document) == pdf


def test_a_charts_labels_keep_their_spaces_in_the_text_of_the_pdf(printed):
    """The words of a chart label are one text with its spaces, as pdfplumber (which infers no space from a
    gap under 3 pt) and a reader copying it find it: not "Hospital,rehabilitation"."""
    _, _, pdf, _ = printed
    with pdfplumber.open(io.BytesIO(pdf)) as reader:
        page = next(p for p in reader.pages if "Bar chart of visits." in (p.extract_text() or ""))
        text = page.extract_text()
        spaces = [c for c in page.chars if c["text"] == " " and abs(c["size"] - 9.3) < 0.1]  # the chart's, 9.3 pt
    assert "Hospital, rehabilitation" in text and "and care services" in text and "2 million visits" in text, text
    assert len(spaces) >= 5


def test_a_passage_in_another_language_is_tagged_with_it(printed):
    """The note's source passage (<q lang="sv">) is a structure element with /Lang sv; the document is en."""
    import pikepdf

    _, _, pdf, _ = printed
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert str(document.Root.Lang) == "en"
        langs, stack = [], [document.Root.StructTreeRoot]
        while stack:
            kids = stack.pop().get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    if "/Lang" in kid:
                        langs.append(str(kid.Lang))
                    stack.append(kid)
    assert "sv" in langs and set(langs) <= {"sv"}


# A section as the notebooks write it: the heading, then each output in the notebook's cell wrappers (one
# of them empty), a lead paragraph, a table; a sentence with two note calls side by side (a number's and a
# reason's mark) whose notes quote the same sentence of the same source, each marking its own number.
WRAPPED = """<!DOCTYPE html><html lang="en"><body><main><article class="bd-article">
<section id="the-year-2024"><h1>The year 2024</h1>
<section id="points"><h2>Main points</h2><ul class="sotebook-prose"><li>One point.</li><li>Another point.</li></ul></section>
<section id="staff"><h2>Staff</h2>
<div class="cell tag_remove-input docutils container"> </div>
<div class="cell tag_remove-input docutils container"><div class="cell_output docutils container"><div class="output text_html">
<p>The table compares the staff of two years.</p></div></div></div>
<div class="cell tag_remove-input docutils container"><div class="cell_output docutils container"><div class="output text_html">
<div class="sotebook-table"><table><thead><tr><th scope="col">Measure</th></tr></thead><tbody><tr><th scope="row">Staff</th></tr></tbody></table></div>
</div></div></div>
<figure class="sotebook-figure" id="figure-staff"><div class="sotebook-figure__chart"><picture>
<img class="sotebook-figure__image" src="chart.svg" alt="Bar chart of staff." width="672" height="200"></picture></div>
<figcaption><p class="sotebook-figure__title"><strong>Staff by service</strong></p></figcaption></figure>
<p>Costs fell <button class="sotebook-fig" type="button">47.4%</button><sup class="sotebook-fnref"><a href="#n-1">1</a></sup><button class="sotebook-fig sotebook-fig--mark" type="button">source</button><sup class="sotebook-fnref"><a href="#n-2">2</a></sup> and more.</p>
<ol class="sotebook-notes">
<li id="n-1"><span class="sotebook-note__what">The cost fell.</span>
<span class="sotebook-note__passage"><q lang="sv">Costs fell by <mark>47,4 procent</mark> to 19,7 million.</q></span> <span class="sotebook-note__source">Review 2025, Staff.</span>
<span class="sotebook-note__passage"><q lang="sv">Costs fell by 47,4 procent to <mark>19,7 million</mark>.</q></span> <span class="sotebook-note__source">Review 2025, Staff.</span></li>
<li id="n-2"><span class="sotebook-note__what">Why.</span></li></ol>
</section></section></article></main></body></html>"""


@pytest.fixture(scope="module")
def wrapped(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wrapped") / "book"
    folder.mkdir()
    (folder / "year_2024.html").write_text(WRAPPED, encoding="utf-8")
    (folder / "chart.svg").write_text(SVG, encoding="utf-8")
    return print_document.chapter(edition("en"), folder / "year_2024.html", "book/year_2024", {"book/year_2024": "p1-"})


def test_a_heading_is_followed_by_its_content_not_by_the_notebooks_wrappers(wrapped):
    """WeasyPrint keeps a heading with its next sibling: the cell wrappers are taken out, so that sibling
    is the paragraph, kept in turn with the table it introduces."""
    soup = BeautifulSoup(wrapped.html, "html.parser")
    assert not soup.select("div.cell, div.cell_output, div.output")
    heading = next(h for h in soup.find_all("h2") if h.get_text() == "Staff")
    lead = heading.find_next_sibling(True)
    assert lead.name == "p" and "sotebook-print-lead" in lead["class"]
    assert "sotebook-table" in lead.find_next_sibling(True)["class"]


def test_footnote_calls_side_by_side_are_set_apart_and_a_passage_is_quoted_once(wrapped):
    soup = BeautifulSoup(wrapped.html, "html.parser")
    notes = soup.select(".sotebook-footnote")
    assert len(notes) == 2
    between = notes[1].find_previous_sibling(class_="sotebook-print-fnsep")
    assert between is not None and between.get_text() == "," and between.find_previous_sibling(class_="sotebook-footnote") is notes[0]
    quotes = notes[0].select("q")
    assert len(quotes) == 1 and [m.get_text() for m in quotes[0].select("mark")] == ["47,4 procent", "19,7 million"]
    assert quotes[0].get_text() == "Costs fell by 47,4 procent to 19,7 million."
    assert len(notes[0].select(".sotebook-note__source")) == 1


def test_a_list_of_points_or_a_chart_printed_again_later_is_printed_once_with_its_page(wrapped, tmp_path):
    """The front page's year in brief and its charts are the latest year's: the year's chapter prints them,
    the front page gives their page."""
    words = edition("en")
    (tmp_path / "chart.svg").write_text(SVG, encoding="utf-8")
    front = tmp_path / "index.html"
    front.write_text(WRAPPED.replace("The year 2024", "The book").replace('id="n-', 'id="f-').replace('href="#n-', 'href="#f-'),
                     encoding="utf-8")
    first = print_document.chapter(words, front, "index", {"index": "p0-"})
    later = copy.deepcopy(wrapped)
    print_document.print_once(words, [first, later])
    assert "One point." not in first.html and "these points are in the chapter The year 2024, page" in first.html
    assert "One point." in later.html
    assert "Bar chart of staff." not in first.html and "Staff by service: the chart is on page" in first.html
    assert "Bar chart of staff." in later.html


def _footnoted_document(margin: str = "") -> str:
    """Pages of paragraphs with two to five footnotes each, of one to eight lines (some long enough that a
    page's last footnotes move to the next page), in the classes the book's footnotes have."""
    paragraphs = []
    for i in range(24):
        calls = "".join(
            f' claim {i}.{k}<span class="sotebook-footnote"{margin}>Note {i}.{k}: '
            + " ".join(f"passage word {j}" for j in range(6 + (i * 7 + k * 13) % 70))
            + f' <q lang="sv">citat <mark>{i}</mark></q></span>' for k in range(2 + i % 4))
        paragraphs.append(f"<p>Paragraph {i} has these claims:{calls} and ends here.</p>")
    body = "<section><h1>Footnotes</h1>" + "".join(paragraphs) + "</section>"
    return (f'<!DOCTYPE html><html lang="en"><head><title>Footnotes</title></head><body><main>'
            f'<article class="bd-article">{body}</article></main></body></html>')


@pytest.mark.parametrize("margin", ["", ' style="margin-top: 2pt"'], ids=["book's footnotes", "with a margin"])
def test_footnotes_measured_once_lay_out_as_weasyprint_measures_them(monkeypatch, tmp_path, margin):
    """sotebook.site.footnote_area measures a page's footnote area from each footnote laid out once; the PDF
    is byte for byte the one WeasyPrint's own measure (every footnote of the page laid out again for each
    new one) gives, and a footnote with a vertical margin, which that sum would not measure, falls back to
    WeasyPrint's own measure."""
    import contextlib

    from sotebook.site import footnote_area
    from weasyprint.layout import LayoutContext

    document = _footnoted_document(margin)
    calls, reported = [], []
    update, report = LayoutContext._update_footnote_area, LayoutContext.report_footnote

    def counted_update(self):
        calls.append(len(self.current_page_footnotes))
        return update(self)

    def counted_report(self, footnote):
        reported.append(footnote)
        return report(self, footnote)

    monkeypatch.setattr(LayoutContext, "_update_footnote_area", counted_update)
    monkeypatch.setattr(LayoutContext, "report_footnote", counted_report)
    measured = render(document, tmp_path)
    monkeypatch.setattr(footnote_area, "measured_once", contextlib.nullcontext)
    weasyprints = render(document, tmp_path)
    assert measured == weasyprints
    assert max(calls) >= 4  # pages with several footnotes, where measuring each anew costs most
    assert reported  # and footnotes that did not fit on their page and were carried to the next

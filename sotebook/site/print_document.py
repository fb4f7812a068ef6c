"""The print edition's document: one edition of the built site rewritten as one HTML document for paged media.

`make pdf` (sotebook/site/pdf.py) lays this document out with WeasyPrint and sotebook/site/print.css. This
module reads each page of `_build/html/<lang>/` in the order of the edition's contents and makes of it
what paper needs, with no browser:

- each page's article, its ids prefixed with the page's own (the year chapters share ids) and its links
  to other pages of the book turned into links within the document; links to the site's other files
  (a download) become plain text, links to other sites stay;
- every figure printed once where it belongs: a chart's data table (`details.sotebook-figure__data`) and
  its download link are left out (the chart's text alternative says what it shows, the appendix holds
  the full lists); each collapsed full list (`details.sotebook-all`) moves to the appendix at the end of
  the edition, leaving a line that gives its page;
- what is said of the web page only (an element of class `sotebook-web-only`: "the block below the table")
  is left out;
- the notes of a number (`sup.sotebook-fnref` calling `li` of `ol.sotebook-notes`) become footnotes on the
  page the number is on; the popover that repeats the note on the web (`.sotebook-pop`) is left out, and
  the number's button (`button.sotebook-fig`) becomes plain text;
- each chart as its widest drawing (sotebook.pages.charts.CHART_WIDTHS[0], the print column's width), and
  a chart too tall for a page cut between its bars into parts that each fit one, every part with the
  chart's value axis (`split_chart`);
- a cover, a colophon (the dataset's version and date, the licence, how to cite, where the web edition
  and the dataset are), a contents page whose page numbers the layout fills in, and the appendix.
"""
from __future__ import annotations

import base64
import copy
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from bs4 import BeautifulSoup, Tag

from sotebook.errors import ProjectError
from sotebook.pages.words import Words

# The print column (print.css: A4 less 20 mm margins each side) is 170 mm; a chart is drawn 672 px wide
# and printed at that width, so 1 px of the drawing is 170/672 mm and its 13 px labels are 9.3 pt.
COLUMN_MM = 170
# The tallest drawing that fits one page with its caption: 200 mm of the page's 257 mm text block.
CHART_MAX_MM = 200
SVG = "http://www.w3.org/2000/svg"
# A table of at most this many rows, calling at most this many notes, stays on one page. A short table whose
# every cell calls a note (eight rows, eighteen notes) is, with its footnotes, a page: kept whole, it could
# not follow its heading onto any page, and the heading was left alone on the page before. Such a table
# may run onto the next page, its header row repeated, with at least three rows on each (print.css).
KEEP_ROWS = 12
KEEP_NOTES = 12


class PrintError(ProjectError):
    """The site cannot be made into the print document; the message names the page and why."""


@dataclass
class AppendixList:
    """A full list moved out of a chapter: its id in the document, the chapter's title, its summary line
    (the list's name) and its table."""

    id: str
    chapter: str
    title: str
    html: str


@dataclass
class Chapter:
    """One page of the edition in the print document: its prefix, title (h1), its headings (level, text,
    id) and its article."""

    prefix: str
    title: str
    headings: list[tuple[int, str, str]]
    html: str
    appendix: list[AppendixList] = field(default_factory=list)


def _text(element: Tag) -> str:
    return re.sub(r"\s+", " ", element.get_text()).strip()


def chapter(words: Words, page: Path, name: str, prefixes: dict[str, str]) -> Chapter:
    """One built page (`page`, edition-relative `name` such as 'book/year_2025') as a chapter of the
    print document."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    article = soup.select_one("article.bd-article") or soup.select_one("main")
    if article is None:
        raise PrintError(f"{page}: no article to print (was the site built by `make book`?)")
    prefix = prefixes[name]
    for element in article.select("script, .headerlink, .toggle-button, .copybtn, .sotebook-figure__download, "
                                  "details.sotebook-figure__data, .sotebook-pop, .sotebook-pdf-link, .sotebook-web-only"):
        element.decompose()
    for button in article.select("button.sotebook-fig"):
        button.name = "span"
        # a reason's or a fact's mark ("source") is its footnote call alone in print
        button.attrs = {"class": ["sotebook-fig"] + (["sotebook-fig--mark"] if "sotebook-fig--mark" in button.get("class", []) else [])}
    _footnotes(article, page)
    ids = _prefix_ids(article, prefix)
    _links(article, name, prefixes, ids)
    for number, picture in enumerate(article.select(".sotebook-figure__chart picture")):
        _chart(words, soup, picture, page, number)
    for figure in article.select("figure.sotebook-figure"):  # the chart's title above it, as a table's caption
        caption = figure.find("figcaption", recursive=False)
        caption and figure.insert(0, caption.extract())
    _break_long_words(soup, article)
    for table in article.select("div.sotebook-table"):  # a short table is kept on one page
        if len(table.select("tbody tr")) <= KEEP_ROWS and len(table.select(".sotebook-footnote")) <= KEEP_NOTES:
            table["class"] = table.get("class", []) + ["sotebook-print-keep"]
    h1 = article.find("h1")
    if h1 is None:
        raise PrintError(f"{page}: the page has no title (h1) to head its chapter")
    h1["class"] = h1.get("class", []) + ["sotebook-print-title"]
    title = _text(h1)
    lists = []
    for number, details in enumerate(article.select("details.sotebook-all"), 1):
        summary = details.find("summary")
        list_id = f"{prefix}all-{number}"
        list_title = _text(summary) if summary else title
        summary and summary.decompose()
        lists.append(AppendixList(list_id, title, list_title, details.decode_contents()))
        see = soup.new_tag("p", attrs={"class": "sotebook-print-see"})
        before, _, after = words.say("pdf.see_appendix", list=list_title, page="\0").partition("\0")
        link = soup.new_tag("a", href=f"#{list_id}")
        link.append(before)
        link.append(soup.new_tag("span", attrs={"class": "sotebook-print-pageref", "data-target": f"#{list_id}"}))
        link.append(after)
        see.append(link)
        details.replace_with(see)
    _unwrap_cells(article)
    _keep_leads(article)
    headings = [(int(h.name[1]), _text(h), h.get("id") or (h.find_parent("section") or {}).get("id", ""))
                for h in article.find_all(["h1", "h2"])]
    return Chapter(prefix, title, headings, article.decode_contents(), lists)


# The notebook's wrappers of a cell's output: they mean nothing on paper, and between a heading and what
# it heads they hide the two from each other (WeasyPrint keeps a heading with its next sibling, not with
# the first thing inside it: a heading was left at a page's foot, its table on the next page).
_CELL_WRAPPERS = "div.cell, div.cell_output, div.output"


def _unwrap_cells(article: Tag) -> None:
    """The notebook's cell wrappers taken out, their content left in place; an empty cell left out."""
    for wrapper in article.select(_CELL_WRAPPERS):
        if not wrapper.get_text(strip=True) and not wrapper.find(["img", "table", "figure", "svg"]):
            wrapper.decompose()
    for wrapper in article.select(_CELL_WRAPPERS):
        wrapper.unwrap()


def _next_tag(element: Tag) -> Tag | None:
    return element.find_next_sibling(True)


def _keep_leads(article: Tag) -> None:
    """A paragraph between a heading and a table or chart (it says what the table shows) is kept on the
    page of the table or chart (print.css: .sotebook-print-lead), as the heading is kept with it."""
    for heading in article.find_all(["h2", "h3", "h4"]):
        lead = _next_tag(heading)
        after = _next_tag(lead) if lead is not None and lead.name == "p" else None
        if after is not None and (after.name == "figure" or "sotebook-table" in after.get("class", [])):
            lead["class"] = lead.get("class", []) + ["sotebook-print-lead"]


_LONG_WORD = re.compile(r"\S{20,}")


def _break_long_words(soup: BeautifulSoup, article: Tag) -> None:
    """A long word in a table cell (a metric id, a checksum) gets break opportunities (<wbr>) after each
    underscore, slash or dot, or every 16 characters, so a wide table wraps inside the column. (CSS
    `overflow-wrap: anywhere` would do it too, but makes WeasyPrint measure every cell's every character
    as a possible break: the book's layout took six times as long.)"""
    from bs4 import NavigableString

    for cell in article.select("td, th"):
        for string in [s for s in cell.find_all(string=True) if _LONG_WORD.search(s)]:
            pieces = []
            for token in re.split(r"(\s+)", str(string)):
                if len(token) < 20:
                    pieces.append(token)
                    continue
                parts = re.split(r"(?<=[_/.])", token)
                parts = [p[i:i + 16] for p in parts for i in range(0, len(p), 16)]
                for index, part in enumerate(parts):
                    if index:
                        pieces.append(soup.new_tag("wbr"))
                    pieces.append(part)
            for piece in pieces:
                string.insert_before(piece if isinstance(piece, Tag) else NavigableString(piece))
            string.extract()


def _footnotes(article: Tag, page: Path) -> None:
    """Each note call (`sup.sotebook-fnref` > `a[href=#ID-n]`) replaced by its note as a footnote; a note
    list whose every item went into footnotes is left out (one that keeps an item no number calls stays,
    as endnotes of its section)."""
    used = set()
    notes_by_id: dict[str, Tag] = {}  # each id's first item, as article.find("li", id=...) finds it, found once
    for item in article.find_all("li", id=True):
        notes_by_id.setdefault(item["id"], item)
    for call in article.select("sup.sotebook-fnref"):
        link = call.find("a", href=True)
        target = link["href"][1:] if link and link["href"].startswith("#") else ""
        note = notes_by_id.get(target) if target else None
        if note is None or note.find_parent(class_="sotebook-notes") is None:
            raise PrintError(f"{page}: the note call {call.get_text()!r} points at {target!r}, "
                             "which is not an item of a note list (.sotebook-notes)")
        footnote = BeautifulSoup("", "lxml").new_tag("span", attrs={"class": "sotebook-footnote"})
        for child in list(note.children):
            footnote.append(copy.copy(child))
        for inner in footnote.find_all(id=True):
            del inner["id"]
        _merge_passages(footnote)
        call.replace_with(footnote)
        # two calls side by side ("euros¹²") would read as one number: a comma between them ("euros¹,²")
        # (a reason's mark, "source", between them is not printed: print.css)
        before = footnote.previous_sibling
        while before is not None and (not str(before).strip() if not isinstance(before, Tag)
                                      else "sotebook-fig--mark" in before.get("class", [])):
            before = before.previous_sibling
        if isinstance(before, Tag) and "sotebook-footnote" in before.get("class", []):
            separator = BeautifulSoup("", "lxml").new_tag("span", attrs={"class": "sotebook-print-fnsep"})
            separator.string = ","
            footnote.insert_before(separator)
        used.add(target)
    for notes in article.select("ol.sotebook-notes, .sotebook-notes ol"):
        if all(item.get("id") in used for item in notes.find_all("li", recursive=False)):
            block = notes.find_parent("div", class_="sotebook-notes")
            notes.decompose()
            # the notes block under a section keeps its general notes (what cannot be compared); with
            # none, its title alone is left out too
            if block is not None and not block.select(".sotebook-notes__general, li"):
                block.decompose()


def _merge_passages(footnote: Tag) -> None:
    """A note that quotes the same sentence of the same source twice, once for each of its numbers (the
    sentence gives both), quotes it once on paper, each number marked: the second passage and its source
    are left out, and the first passage marks what either marked."""
    seen: dict[tuple[str, str], Tag] = {}
    for passage in footnote.select(".sotebook-note__passage"):
        quote = passage.find("q")
        source = passage.find_next_sibling(class_="sotebook-note__source")
        if quote is None:
            continue
        key = (_text(quote), _text(source) if source is not None else "", quote.get("lang", ""))
        if key not in seen:
            seen[key] = quote
            continue
        first = seen[key]
        marked = sorted(_marked_spans(first) + _marked_spans(quote))
        _remark(first, marked)
        if source is not None:
            source.decompose()
        passage.decompose()


def _marked_spans(quote: Tag) -> list[tuple[int, int]]:
    """Where a quote's <mark>s are in its text: (start, end) in characters."""
    spans, at = [], 0
    for string in quote.find_all(string=True):
        if string.find_parent("mark") is not None:
            spans.append((at, at + len(string)))
        at += len(string)
    return spans


def _remark(quote: Tag, spans: list[tuple[int, int]]) -> None:
    """A quote's text marked anew over the union of `spans`."""
    from bs4 import NavigableString

    text = quote.get_text()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    quote.clear()
    at = 0
    for start, end in merged:
        text[at:start] and quote.append(NavigableString(text[at:start]))
        mark = BeautifulSoup("", "lxml").new_tag("mark")
        mark.string = text[start:end]
        quote.append(mark)
        at = end
    text[at:] and quote.append(NavigableString(text[at:]))


def _prefix_ids(article: Tag, prefix: str) -> dict[str, str]:
    ids = {}
    for element in article.find_all(id=True):
        ids[element["id"]] = prefix + element["id"]
        element["id"] = ids[element["id"]]
    for element in article.find_all(True):
        for attribute in ("aria-labelledby", "aria-describedby", "aria-controls", "for", "headers"):
            if element.has_attr(attribute):
                element[attribute] = " ".join(ids.get(i, i) for i in str(element[attribute]).split())
    return ids


def _links(article: Tag, name: str, prefixes: dict[str, str], ids: dict[str, str]) -> None:
    """Links within the page and to other pages of the book point into the document; a link to another
    file of the site (a download: it is not in the PDF) becomes its text; links to other sites stay."""
    folder = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
    pages = {}
    for other, other_prefix in prefixes.items():
        pages[other.split("/")[-1] + ".html"] = other_prefix
        pages[other + ".html"] = other_prefix
    for link in article.find_all("a", href=True):
        href = link["href"]
        if re.match(r"[a-z]+:", href) and not href.startswith("data:"):
            continue
        path, _, anchor = href.partition("#")
        if not path:
            link["href"] = "#" + ids.get(anchor, anchor)
            continue
        target = pages.get(path) or pages.get((folder + path).replace("book/../", ""))
        if target is None:
            link.unwrap()
        else:
            link["href"] = "#" + target + (anchor or "top")


def _chart(words: Words, soup: BeautifulSoup, picture: Tag, page: Path, number: int) -> None:
    """A chart's <picture> as the image of its widest drawing, split into parts when too tall for a page."""
    img = picture.find("img")
    widest = picture.find("source")
    src = (widest["srcset"] if widest else img["src"]).split()[0]
    path = (page.parent / src).resolve()
    if not path.is_file():
        raise PrintError(f"{page}: chart {number + 1} draws {src}, which is not in the site")
    svg = path.read_text(encoding="utf-8")
    alt = img.get("alt", "")
    parts = split_chart(svg)
    images = []
    for index, part in enumerate(parts):
        width, height = _size(part)
        attrs = {"class": "sotebook-print-chart", "alt": alt, "width": str(width), "height": str(height),
                 "src": "data:image/svg+xml;base64," + base64.b64encode(part.encode("utf-8")).decode("ascii")}
        if len(parts) > 1:
            attrs["class"] += " sotebook-print-chart-part"
        images.append(soup.new_tag("img", attrs=attrs))
    if len(parts) == 1:
        picture.replace_with(images[0])
        return
    holder = soup.new_tag("div", attrs={"class": "sotebook-print-chart-parts"})
    title = picture.find_parent("figure")
    title = title.select_one(".sotebook-figure__title") if title else None
    for index, image in enumerate(images):
        if index and title is not None:  # a part on a page of its own says which chart it continues
            line = soup.new_tag("p", attrs={"class": "sotebook-print-chart-continued"})
            line.string = words.say("pdf.chart_part", title=_text(title), part=index + 1, parts=len(images))
            holder.append(line)
        holder.append(image)
    picture.replace_with(holder)


_SIZE = re.compile(r'<svg[^>]* width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"')


def _size(svg: str) -> tuple[float, float]:
    match = _SIZE.search(svg)
    if not match:
        raise PrintError("a chart's drawing has no width and height")
    return float(match.group(1)), float(match.group(2))


def max_chart_height(width: float) -> float:
    """The tallest drawing `width` px wide that prints on one page at the column's width."""
    return width * CHART_MAX_MM / COLUMN_MM


def split_chart(svg: str) -> list[str]:
    """A drawing that fits a page as it is; a taller one (a bar for each of twenty services) cut between
    its bars into as few parts as fit a page each. Each part is the whole drawing seen through a window
    (an <svg> viewBox) over its rows, followed by a window over the value axis at the foot; the category
    labels, ticks and grid lines outside a part's rows are taken out of it, so its text is its own rows'
    labels. Only a chart of rows (a vega horizontal bar chart: a y axis of labels, an x axis at the foot)
    can be cut; any other drawing taller than a page is an error."""
    width, height = _size(svg)
    limit = max_chart_height(width)
    if height <= limit:
        return [svg]
    ElementTree.register_namespace("", SVG)
    ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ElementTree.fromstring(svg)
    frame = root.find(f"{{{SVG}}}g")
    offset = _translate(frame.get("transform", ""))[1] if frame is not None else None
    y_axis = next((g for g in root.iter(f"{{{SVG}}}g") if g.get("aria-label", "").startswith("Y-axis")), None)
    x_axis = next((g for g in root.iter(f"{{{SVG}}}g") if g.get("aria-label", "").startswith("X-axis")), None)
    if offset is None or y_axis is None or x_axis is None:
        raise PrintError(f"a chart {height:.0f} px tall is taller than a page ({limit:.0f} px at its width) "
                         "and is not a bar chart with a row per category, which could be cut into parts")
    ticks = sorted(_translate(line.get("transform", ""))[1]
                   for g in y_axis.iter(f"{{{SVG}}}g") if "role-axis-tick" in g.get("class", "")
                   for line in g.iter(f"{{{SVG}}}line"))
    plot_height = _translate(next(g for g in x_axis.iter(f"{{{SVG}}}g") if "transform" in g.attrib).get("transform"))[1] - 0.5
    step = ticks[1] - ticks[0] if len(ticks) > 1 else plot_height
    foot = height - (offset + plot_height)  # the value axis and its title, below the last row
    rows_per_part = int((limit - foot - offset) // step)
    if rows_per_part < 1:
        raise PrintError(f"a chart's rows ({step:.0f} px each) are too tall to print even one per page")
    parts_count = -(-len(ticks) // rows_per_part)
    per_part = -(-len(ticks) // parts_count)  # rows spread evenly over the parts
    parts = []
    for index in range(parts_count):
        first, last = index * per_part, min(len(ticks), (index + 1) * per_part)
        top = 0 if index == 0 else offset + first * step  # the first part keeps what is above the rows (legend)
        bottom = offset + last * step
        parts.append(_window(root, width, height, top, bottom, offset + plot_height, y_axis, first * step, last * step))
    return parts


def _translate(transform: str) -> tuple[float, float]:
    match = re.search(r"translate\(([-\d.e]+),\s*([-\d.e]+)\)", transform or "")
    return (float(match.group(1)), float(match.group(2))) if match else (0.0, 0.0)


def _window(root, width, height, top, bottom, plot_bottom, y_axis, row_top, row_bottom) -> str:
    """One part of a cut chart: rows `top`..`bottom` of the drawing, then its foot from `plot_bottom`. Each
    window holds only what it shows: the rows' window no value axis (and, but in the first part, no legend),
    the foot's window no category labels or legend (text outside a window would be hidden text in the PDF)."""
    part = copy.deepcopy(root)
    axis = next(g for g in part.iter(f"{{{SVG}}}g") if g.get("aria-label", "") == y_axis.get("aria-label"))
    for group in list(axis.iter(f"{{{SVG}}}g")):
        if any(kind in group.get("class", "") for kind in ("role-axis-tick", "role-axis-label")):
            for child in list(group):
                y = _translate(child.get("transform", ""))[1]
                if not row_top <= y < row_bottom:
                    group.remove(child)
    rows_drop = ("X-axis",) if top == 0 else ("X-axis", "Symbol legend")
    rows, foot = bottom - top, height - plot_bottom
    return (f'<svg xmlns="{SVG}" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" width="{width:g}" '
            f'height="{rows + foot:g}" viewBox="0 0 {width:g} {rows + foot:g}">'
            f'<rect width="{width:g}" height="{rows + foot:g}" fill="#ffffff"/>'
            f'<svg x="0" y="0" width="{width:g}" height="{rows:g}" viewBox="0 {top:g} {width:g} {rows:g}" overflow="hidden">'
            f'{_without(part, rows_drop)}</svg>'
            f'<svg x="0" y="{rows:g}" width="{width:g}" height="{foot:g}" viewBox="0 {plot_bottom:g} {width:g} {foot:g}" '
            f'overflow="hidden">{_without(part, ("Y-axis", "Symbol legend"))}</svg></svg>')


def _without(part, labels: tuple[str, ...]) -> str:
    """The drawing's content less the groups whose aria-label starts with one of `labels`."""
    copied = copy.deepcopy(part)
    for group in list(copied.iter(f"{{{SVG}}}g")):
        if group.get("aria-label", "").startswith(labels):
            group.clear()
    return "".join(ElementTree.tostring(child, encoding="unicode") for child in copied)


def print_once(words: Words, chapters: list[Chapter]) -> None:
    """Each figure printed once as a table row in the chapters: a row printed in an earlier chapter's table
    is left out of a later one, which says where it is ("pdf.row_elsewhere", with its page); a table all
    of whose rows are printed later (the front page's key figures, which the latest year's chapter tables
    hold) becomes a line that gives the page they are on ("pdf.table_elsewhere"). Rows are the same when
    their text is (measure, values, change). A chart drawn again later (the same title, text alternative and
    drawing) and a list of points given again later (the front page's year in brief) are printed in the
    later chapter, where they belong, and the earlier one gives their page ("pdf.chart_elsewhere",
    "pdf.points_elsewhere")."""
    soups = [BeautifulSoup(part.html, "html.parser") for part in chapters]
    first: dict[str, Tag] = {}
    later: dict[str, int] = {}
    for index, soup in enumerate(soups):
        for row in soup.select("table tbody tr"):
            key = _text(row)
            if key in first:
                later[key] = index
            else:
                first[key] = row
    # a table every row of which is printed later: the later tables keep the rows, this one points at them
    for index, soup in enumerate(soups):
        for table in soup.select("table"):
            rows = [_text(row) for row in table.select("tbody tr")]
            if rows and all(later.get(key, -1) > index and first[key] in table.select("tbody tr") for key in rows):
                where = _rows_in(soups[later[rows[0]]])
                target = next(r for r in where if _text(r) == rows[0])
                anchor = _anchor(target, f"{chapters[later[rows[0]]].prefix}row-{where.index(target)}")
                caption = table.find("caption")
                line = _see_line(soup, words, "pdf.table_elsewhere", anchor, table=_text(caption) if caption else "")
                (table.find_parent("div", class_="sotebook-table") or table).replace_with(line)
                for key in rows:
                    first[key] = target if _text(target) == key else next(r for r in _rows_in(soups[later[key]]) if _text(r) == key)
    # a chart drawn again in a later chapter (the front page's three charts): the later chapter keeps it,
    # this one gives its page
    charts: dict[tuple[str, ...], tuple[int, Tag]] = {}
    for index, soup in reversed(list(enumerate(soups))):
        for figure in soup.select("figure"):
            images = figure.select("img.sotebook-print-chart")
            if not images:
                continue
            title = figure.select_one(".sotebook-figure__title")
            key = (_text(title) if title else "", *(f'{i.get("alt", "")}\0{i.get("src", "")}' for i in images))
            if key in charts and charts[key][0] > index:
                later_index, later = charts[key]
                anchor = later.get("id") or _anchor(later, f"{chapters[later_index].prefix}chart-{len(charts)}")
                figure.replace_with(_see_line(soup, words, "pdf.chart_elsewhere", anchor, title=key[0]))
            else:
                charts[key] = (index, figure)
    # a list of points printed again in a later chapter (the front page's year in brief, which is the latest
    # year's main points): the later chapter keeps it, this one gives its page
    points: dict[str, tuple[int, Tag]] = {}
    for index, soup in reversed(list(enumerate(soups))):
        for points_list in soup.select("ul, ol"):
            if points_list.find_parent(class_="sotebook-footnote") or len(points_list.find_all("li", recursive=False)) < 2:
                continue
            key = _text(points_list)
            if key in points and points[key][0] > index:
                later_index, later = points[key]
                anchor = _anchor(later, f"{chapters[later_index].prefix}points-{len(points)}")
                heading = points_list.find_previous(["h2", "h3"])
                points_list.replace_with(_see_line(soup, words, "pdf.points_elsewhere", anchor,
                                                   title=_text(heading) if heading else "",
                                                   chapter=chapters[later_index].title))
            else:
                points[key] = (index, points_list)
    # a row already printed in an earlier table: left out here, with a line saying where it is
    seen = set()
    for index, soup in enumerate(soups):
        for table in soup.select("table"):
            moved = []
            for row in table.select("tbody tr"):
                key = _text(row)
                if key in seen and first.get(key) is not row:
                    heading = row.find("th")
                    anchor = _anchor(first[key], f"row-{index}-{len(seen)}")
                    moved.append((_text(heading) if heading else key, anchor))
                    row.decompose()
                seen.add(key)
            holder = table.find_parent("div", class_="sotebook-table") or table
            for measure, anchor in moved:
                holder.insert_after(_see_line(soup, words, "pdf.row_elsewhere", anchor, measure=measure))
    for part, soup in zip(chapters, soups):
        part.html = str(soup)


def _rows_in(soup: BeautifulSoup):
    return soup.select("table tbody tr")


def _anchor(row: Tag, proposed: str) -> str:
    if not row.get("id"):
        row["id"] = re.sub(r"[^a-z0-9-]", "-", proposed.lower())
    return row["id"]


def _see_line(soup: BeautifulSoup, words: Words, key: str, anchor: str, **values) -> Tag:
    """A line that says where a table or row is printed, its page filled in by the layout."""
    before, _, after = words.say(key, page="\0", **values).partition("\0")
    line = soup.new_tag("p", attrs={"class": "sotebook-print-see"})
    link = soup.new_tag("a", href=f"#{anchor}")
    link.append(before)
    link.append(soup.new_tag("span", attrs={"class": "sotebook-print-pageref", "data-target": f"#{anchor}"}))
    link.append(after)
    line.append(link)
    return line


def cover_html(words: Words, years: list[int], descriptor: dict) -> str:
    """The cover: the book's title, the years it tells and the dataset's version; no running head or folio."""
    from sotebook.pages.figures import date_text

    say = words.say
    return (f'<section class="sotebook-print-cover" id="cover"><h1>{html.escape(say("site.title"))}</h1>'
            f'<p class="sotebook-print-years">{html.escape(say("pdf.years", first=years[0], last=years[-1]))}</p>'
            f'<p>{html.escape(say("pdf.data_version", version=descriptor["version"], date=date_text(words, descriptor["created"][:10])))}</p>'
            f'<p class="sotebook-print-note">{html.escape(say("pdf.printed_from"))}</p></section>')


def colophon_html(words: Words, descriptor: dict, site_url: str) -> str:
    """The colophon, the book's last page: the dataset's version and date, the licence, how to cite the
    book, and where the web edition and the dataset are (their addresses when the site's is known)."""
    from sotebook.pages.figures import date_text
    from sotebook.site.site_release import DOWNLOADS

    say, lang = words.say, words.language()
    version, date = descriptor["version"], date_text(words, descriptor["created"][:10])
    zip_name = f"helsinki-sote-data-{version}.zip"
    web = f"{site_url}{lang}/" if site_url else f"{lang}/index.html"
    dataset = f"{site_url}{DOWNLOADS}/{zip_name}" if site_url else f"{DOWNLOADS}/{zip_name}"
    where = "pdf.colophon_where_web" if site_url else "pdf.colophon_where_site"
    items = [
        say("pdf.data_version", version=version, date=date),
        say("pdf.colophon_licence"),
        say("pdf.colophon_cite", title=say("site.title"), version=version, date=date, web=web),
        say(where, web=web, dataset=dataset),
    ]
    paragraphs = "".join(f"<p>{html.escape(item)}</p>" for item in items)
    return (f'<section class="sotebook-print-part sotebook-print-colophon" id="colophon">'
            f'<h1 class="sotebook-print-title">{html.escape(say("pdf.colophon"))}</h1>'
            f'{paragraphs}</section>')


def contents_html(words: Words, chapters: list[Chapter], appendix: bool) -> str:
    """The contents: every chapter and its sections, each with the page it starts on (the layout writes
    the numbers: print.css, target-counter)."""
    items = []
    for part in chapters:
        for level, title, anchor in part.headings:
            target = f"{part.prefix}top" if level == 1 else anchor  # ids already carry the prefix
            if not target:
                continue
            kind = "chapter" if level == 1 else "section"
            items.append(f'<li class="sotebook-print-{kind}"><a href="#{target}">{html.escape(title)}</a></li>')
    if appendix:
        items.append(f'<li class="sotebook-print-chapter"><a href="#appendix">{html.escape(words.say("pdf.appendix"))}</a></li>')
    items.append(f'<li class="sotebook-print-chapter"><a href="#colophon">{html.escape(words.say("pdf.colophon"))}</a></li>')
    return (f'<nav class="sotebook-print-contents" id="contents" aria-labelledby="contents-title">'
            f'<h1 id="contents-title">{html.escape(words.say("pdf.contents"))}</h1><ol>{"".join(items)}</ol></nav>')


def appendix_html(words: Words, chapters: list[Chapter]) -> str:
    """The appendix: every full list, under its chapter's title, in the order of the chapters."""
    parts = []
    for part in chapters:
        if not part.appendix:
            continue
        parts.append(f'<h2>{html.escape(part.title)}</h2>')
        for item in part.appendix:
            parts.append(f'<section class="sotebook-print-list" id="{item.id}"><h3>{html.escape(item.title)}</h3>'
                         f'{item.html}</section>')
    return (f'<section class="sotebook-print-part sotebook-print-appendix" id="appendix">'
            f'<h1 class="sotebook-print-title">{html.escape(words.say("pdf.appendix"))}</h1>'
            f'<p>{html.escape(words.say("pdf.appendix_intro"))}</p>{"".join(parts)}</section>')


def document_html(words: Words, chapters: list[Chapter], years: list[int], descriptor: dict, site_url: str) -> str:
    """The whole edition as one document: cover, contents, every chapter from a new page, the appendix and
    the colophon. Its layout is print.css with `folio_css`."""
    lang = words.language()
    body = "".join(f'<article class="sotebook-print-part" id="{c.prefix}top">{c.html}</article>' for c in chapters)
    has_appendix = any(c.appendix for c in chapters)
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<title>{html.escape(words.say("site.title"))}</title>'
            f'<meta name="author" content="{html.escape(words.say("site.author"))}">'
            f'<meta name="description" content="{html.escape(words.say("site.description"))}">'
            f'<style>{folio_css(words)}</style></head>'
            f'<body>{cover_html(words, years, descriptor)}'
            f'{contents_html(words, chapters, has_appendix)}<main>{body}'
            f'{appendix_html(words, chapters) if has_appendix else ""}{colophon_html(words, descriptor, site_url)}</main></body></html>')


def folio_css(words: Words) -> str:
    """The folio in the edition's words ('{page} / {pages}'), as the page margins print it."""
    parts = re.split(r"(\{page\}|\{pages\})", words.say("pdf.page_of", page="{page}", pages="{pages}"))
    content = " ".join("counter(page)" if p == "{page}" else "counter(pages)" if p == "{pages}" else _css_string(p)
                       for p in parts if p)
    return f"@page chapter {{ @bottom-right {{ content: {content}; }} }}"


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def link_descriptions(document: str) -> dict[str, str]:
    """For every id an internal link of `document` leads to, the text of what is there: the heading of a
    heading, section or chapter, the title of a full list. It describes the link's annotation (/Contents)."""
    soup = BeautifulSoup(document, "lxml")
    described = {}
    for link in soup.select('a[href^="#"]'):
        target = link["href"][1:]
        if target in described:
            continue
        element = soup.find(id=target)
        if element is None:
            continue
        heading = element if element.name in ("h1", "h2", "h3", "h4") else element.find(["h1", "h2", "h3", "h4"])
        described[target] = _text(heading or element)[:200]
    return described

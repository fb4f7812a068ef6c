"""What WeasyPrint 70 leaves undone in a PDF/UA-1 file, done with pikepdf (sotebook.site.pdf.finish).

- **Running heads and folios as artifacts.** WeasyPrint marks the text of the page margins with MCIDs whose
  structure elements it never links into the tag tree (tags.py: "it could be included in tree as Artifact,
  but that's only allowed in PDF 2.0"): content that belongs to no reachable tag and is no artifact either.
  Each such marked-content sequence becomes `/Artifact <</Type /Pagination>> BDC`, and its parent-tree
  entry is emptied.
- **Table headers with a scope.** WeasyPrint associates data cells with their headers (/Headers on each
  /TD, /ID on each /TH), which PDF/UA accepts; each /TH also gets /Scope (/Column in a header row, /Row
  where the HTML says scope="row"), so a checker or reader that looks at the header cells finds it too.
- **Each passage's language.** WeasyPrint gives the document its /Lang but no element one of its own: a
  passage quoted in the language of its source (`<span lang="sv">`, `<q lang="fi">`) would be read aloud in
  the edition's language. `passage_languages` sets /Lang on the structure element of every element with a
  `lang` attribute, while WeasyPrint builds the tag tree.
- **Spaces in a chart's text.** WeasyPrint 70 draws an SVG `<text>` one character at a time, each laid
  out alone; a space laid out alone is no glyph, only an advance. The words of a chart label then stand
  apart on the page, but the PDF's text has no space between them: copied, searched or read by a text
  extractor at the book's scale (a space of 2.6 pt) "Sairaala-, kuntoutus-" is "Sairaala-,kuntoutus-".
  `svg_text_runs` lays out a text without per-character positions as one run, as a browser does: its
  spaces are glyphs, its letters kerned. (`passage_languages`, which `render` wraps the writing in, does
  it too.)
- **Links described.** WeasyPrint's link annotations have their destination's name as /Contents
  ("p3-residents"); an internal link gets the text of what it leads to (a heading, a list's title).
"""
from __future__ import annotations

import io
import re
from contextlib import contextmanager

_MARKED = re.compile(rb"/([A-Za-z0-9]+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")


@contextmanager
def passage_languages():
    """While WeasyPrint writes a PDF: every structure element made for an HTML element with a `lang` of its
    own (not the root's) carries it as /Lang; and a chart's text is drawn with its spaces (`svg_text_runs`).
    WeasyPrint's tag builder calls itself through its module's name for each box, so wrapping that name
    reaches every box. (`render` in sotebook/site/pdf.py wraps write_pdf in this.)"""
    with _element_languages(), svg_text_runs():
        yield


class _Run(str):
    """A text that iterates as one piece: WeasyPrint's SVG `text` lays out each item of `for char in
    node.text` alone, so the whole text is laid out, and drawn, as one line."""

    def __iter__(self):
        yield str(self)


# What positions, spaces or turns the characters of an SVG text one by one; a text with any of these (more
# than one x, y, dx or dy; a rotate; letter-spacing; textLength) is drawn as WeasyPrint draws it.
_PER_CHARACTER = ("rotate", "letter-spacing", "textLength")


def _one_run(node) -> bool:
    if not node.text or any(node.get(name) for name in _PER_CHARACTER):
        return False
    return all(len((node.get(name) or "").replace(",", " ").split()) <= 1 for name in ("x", "y", "dx", "dy"))


@contextmanager
def svg_text_runs():
    """While WeasyPrint writes a PDF: an SVG <text>, <tspan> or <textPath> whose characters are not placed
    one by one is laid out and drawn as one run, so the spaces between its words are in the PDF's text.
    WeasyPrint picks the function through `weasyprint.svg.TAGS` and compares the entries with the
    package's name `text`, so both are replaced, and put back after."""
    from weasyprint import svg

    original = svg.text

    def text(drawing, node, font_size):
        if not _one_run(node):
            return original(drawing, node, font_size)
        element = node._etree_node
        plain = element.text
        element.text = _Run(plain)
        try:
            return original(drawing, node, font_size)
        finally:
            element.text = plain

    replaced = {tag: function for tag, function in svg.TAGS.items() if function is original}
    svg.text = text
    svg.TAGS.update({tag: text for tag in replaced})
    try:
        yield
    finally:
        svg.text = original
        svg.TAGS.update(replaced)


@contextmanager
def _element_languages():
    """Each structure element of an HTML element with a `lang` of its own (not the root's) gets its /Lang."""
    import pydyf
    from weasyprint.pdf import tags

    original = tags._build_box_tree

    def build(box, parent, *args):
        own = getattr(box, "element", None)
        lang = own.get("lang") if own is not None and getattr(box, "element_tag", None) != "html" else None
        for element in original(box, parent, *args):
            if lang and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            yield element

    tags._build_box_tree = build
    try:
        yield
    finally:
        tags._build_box_tree = original


def complete(pdf: bytes, descriptions: dict[str, str]) -> bytes:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root.StructTreeRoot
        reachable = _reachable(root)
        nums = root.ParentTree.Nums
        page_entries = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for number, page in enumerate(document.pages):
            entry = page_entries.get(number)
            if not isinstance(entry, pikepdf.Array):
                continue
            orphans = {mcid for mcid, element in enumerate(entry)
                       if isinstance(element, pikepdf.Dictionary) and element.objgen not in reachable}
            if not orphans:
                continue
            data = page.Contents.read_bytes()

            def artifact(match, orphans=orphans):
                return b"/Artifact <</Type /Pagination>> BDC" if int(match.group(2)) in orphans else match.group(0)
            page.Contents.write(_MARKED.sub(artifact, data))
            for mcid in orphans:
                entry[mcid] = pikepdf.Object.parse(b"null")
        for element in _elements(root):
            if element.get("/S") == "/TH":
                attributes = element.get("/A")
                if attributes is None:
                    element.A = attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
                if "/Scope" not in attributes:
                    row = element.get("/P") is not None and element.P.get("/P") is not None and \
                        element.P.P.get("/S") == "/TBody"
                    attributes.Scope = pikepdf.Name.Row if row else pikepdf.Name.Column
        for page in document.pages:
            for annotation in page.get("/Annots", []):
                if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                    target = str(annotation.Dest)
                    if target in descriptions:
                        annotation.Contents = pikepdf.String(descriptions[target])
        out = io.BytesIO()
        document.save(out, deterministic_id=True, compress_streams=True)
        return out.getvalue()


def _elements(root):
    """Every structure element under `root`, depth first, each once."""
    import pikepdf

    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and kid.objgen not in seen:
                seen.add(kid.objgen)
                yield kid
                stack.append(kid)


def _reachable(root) -> set:
    return {element.objgen for element in _elements(root)}

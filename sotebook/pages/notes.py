"""A number that opens its note: the passage of the source that states it, as printed, with the number marked.

Every number in a story, a main point or a headline table is a button that opens its note in place (the
HTML `popover` attribute: keyboard and screen-reader accessible, closed with Escape or by tapping outside,
no script). Where a browser has no popovers, the footnote mark after it links to the same note in the
numbered list under the section (the stylesheet shows the marks only there, and in print).

A note says, in the edition's language, what the figure is; then the passage of its source, in the source's
language and marked with its `lang`, the value highlighted; then the document, in the edition's language,
and the section the passage stands under, as printed. A derived figure's note gives the passages it was
worked out from and the working in words; a change's note gives both figures' passages and, where the
rounding of the figures as printed leaves the change's size uncertain, the range it lies in.
"""
from __future__ import annotations

import html
import re

from sotebook.data.passages import value_pattern
from sotebook.pages.figures import Comparison, Figure, short_source, source_languages
from sotebook.pages.words import Words


class Notes:
    """The notes of one page, numbered straight through; `listing` writes those added since the last
    listing as the numbered list under a section."""

    def __init__(self, words: Words, page: str):
        self.words = words
        self.page = page  # makes the notes' ids unique on the page: 'y2025'
        self.count = 0
        self.pending: list[tuple[str, int, str]] = []
        self.given: dict[str, tuple[str, int]] = {}  # a note's content -> its id and number: each note once

    def told(self, statement: str) -> bool:
        """Whether a note on the page already gives this statement (a reason the sources give)."""
        escaped = html.escape(statement.rstrip("."))
        return any(escaped in body for body in self.given)

    def add(self, shown: str, body: str, mark: bool = False) -> str:
        """The number `shown` (escaped HTML) as the button that opens a note whose content is `body`; with
        `mark`, a small raised word ('source') after a reason or a fact. A note given before on the page (the
        same figure in the story and in its table) is not given again: the button opens the first."""
        css = "sotebook-fig sotebook-fig--mark" if mark else "sotebook-fig"
        again = body in self.given
        if not again:
            self.count += 1
            self.given[body] = (f"{self.page}-note-{self.count}", self.count)
            self.pending.append((*self.given[body], body))
        ident, n = self.given[body]
        label = html.escape(self.words.say("note.mark", number=n))
        button = (f'<button type="button" class="{css}" popovertarget="{ident}">{shown}</button>'
                  f'<sup class="sotebook-fnref"><a href="#{ident}-n" aria-label="{label}">{n}</a></sup>')
        if again:
            return button
        close = html.escape(self.words.say("note.close"))
        return (button + f'<span id="{ident}" popover class="sotebook-pop">'
                f'<button type="button" class="sotebook-pop__close" popovertarget="{ident}" popovertargetaction="hide" '
                f'aria-label="{close}">×</button>{body}</span>')

    def listing(self, general: list[str] = ()) -> str:
        """The notes under a section: `general` ones first (HTML paragraphs' contents: what cannot be
        compared, known discrepancies), then the numbered notes added since the last listing; '' for none."""
        if not self.pending and not general:
            return ""
        items = "\n".join(f'<li id="{ident}-n" value="{n}">{body}</li>' for ident, n, body in self.pending)
        self.pending = []
        title = html.escape(self.words.say("note.title"))
        paragraphs = "".join(f'<p class="sotebook-notes__general">{g}</p>\n' for g in general)
        numbered = f'<ol class="sotebook-notes__list">\n{items}\n</ol>' if items else ""
        return f'<div class="sotebook-notes"><p class="sotebook-notes__title">{title}</p>\n{paragraphs}{numbered}</div>'

# --- what a note says ------------------------------------------------------------------------------

def _span(css: str, inner: str, lang: str | None = None) -> str:
    attribute = f' lang="{lang}"' if lang else ""
    return f'<span class="sotebook-note__{css}"{attribute}>{inner}</span>'


def passage(words: Words, figure: Figure) -> list[str]:
    """The passage that states the figure, as printed, its value marked, in the source's language; then its
    document and section: two parts of a note."""
    lang = source_languages().get(figure.source_id, words.DEFAULT_LANGUAGE)
    text = figure.passage
    match = value_pattern(figure.value_as_printed).search(text) if figure.value_as_printed else None
    if match:
        quoted = (html.escape(text[:match.start()]) + f"<mark>{html.escape(match.group(0))}</mark>"
                  + html.escape(text[match.end():]))
    else:
        quoted = html.escape(text)
    mark = f' lang="{lang}"' if lang != words.language() else ""
    # The section the transcription records (the review's own heading for the figure); the passage's
    # headings in the text copy follow the copy's reading order, which a two-column page can scramble.
    return [_span("passage", f"<q{mark}>{quoted}</q>"),
            _span("source", where(words, figure.source_id, figure.section or figure.passage_section))]


def where(words: Words, source_id: str, section: str) -> str:
    """Where the passage stands, as HTML: 'Annual review 2025, “Finances in balance” (in Swedish “Ekonomin i
    balans”).' (figures.cited_section: the heading in the edition's language, the original beside it, marked
    with its language); the heading alone in the source's own language."""
    from sotebook.pages.figures import cited_section
    from sotebook.pages.markup import prose

    if not section:
        return html.escape(words.say("note.document", document=short_source(words, source_id)))
    heading = section.split(" > ")[-1]  # the innermost heading: the one the passage stands under
    cited = prose(cited_section(words, source_id, heading)).markup
    return cited.removeprefix('<p class="sotebook-prose">').removesuffix("</p>") + "."


Reason = tuple[str, str, str]  # a reason the sources give: the book's words for it, its source_id and section


def _reasons(words: Words, reasons: list[Reason]) -> list[str]:
    return [part for r, source_id, section in reasons
            for part in (_span("reason", html.escape(words.say("note.reason", reason=r.rstrip(".")))),
                         _span("source", where(words, source_id, section)))]


_SOURCE = '<span class="sotebook-note__source">'


_PASSAGE = '<span class="sotebook-note__passage">'
_MARKED = re.compile(r"<mark>(.*?)</mark>", re.S)


def _marks(quoted: str) -> tuple[str, set[tuple[int, int]]]:
    """A quoted passage's text without its <mark> tags, and where the marks stood in it."""
    plain, spans, at = [], set(), 0
    for match in _MARKED.finditer(quoted):
        plain.append(quoted[at:match.start()])
        start = sum(map(len, plain))
        plain.append(match.group(1))
        spans.add((start, start + len(match.group(1))))
        at = match.end()
    plain.append(quoted[at:])
    return "".join(plain), spans


def _marked(plain: str, spans: set[tuple[int, int]]) -> str:
    out, at = [], 0
    for start, end in sorted(spans):
        if start < at:  # overlapping marks: the earlier one covers this one's start
            start = at
        if end <= start:
            continue
        out += [plain[at:start], "<mark>", plain[start:end], "</mark>"]
        at = end
    return "".join(out + [plain[at:]])


def _joined(parts: list[str]) -> str:
    """A note's parts as its text.
    - A passage the note already quotes, from the same place, is quoted once, every number it gives for the
      note marked in it (a derived figure and the change it was worked out from are often one sentence).
    - A source is named once after the statements it supports: where the next source named is the same,
      this one is left out ("Reason. Passage. Annual review 2025, 'Finances'." rather than the source after
      each)."""
    kept: list[str] = []
    quoted: dict[tuple[str, str], tuple[int, set]] = {}
    i = 0
    while i < len(parts):
        part = parts[i]
        if part.startswith(_PASSAGE) and i + 1 < len(parts):
            plain, spans = _marks(part)
            key = (plain, parts[i + 1])
            if key in quoted:
                at, marks = quoted[key]
                marks |= spans
                kept[at] = _marked(plain, marks)
            else:
                quoted[key] = (len(kept), set(spans))
                kept += [part, parts[i + 1]]
            i += 2
            continue
        kept.append(part)
        i += 1
    sources = [i for i, part in enumerate(kept) if part.startswith(_SOURCE)]
    dropped = {a for a, b in zip(sources, sources[1:]) if kept[a] == kept[b]}
    return " ".join(part for i, part in enumerate(kept) if i not in dropped)


def figure_note(words: Words, c: Comparison, figure: Figure, inputs: list[Figure] | None = None,
                reasons: list[Reason] = (), discrepancies: list[str] = ()) -> str:
    """What the figure is, in the edition's words, and where it was printed (or how it was worked out);
    what the sources say about it; where they print it differently, and which printing the book uses."""
    return _joined(_figure_parts(words, c, figure, inputs, reasons, discrepancies))


def share_note(words: Words, part: Comparison, whole: Comparison, share: str,
               part_inputs: list[Figure] = (), whole_inputs: list[Figure] = ()) -> str:
    """A share worked out from two figures: how ('€68 million is 68% of €100 million'), then each figure's
    note, the passages they share quoted once."""
    how = _span("working", html.escape(words.say("note.share", share=share, part=part.reads(part.now),
                                                  whole=whole.reads(whole.now))))
    return _joined([how] + _figure_parts(words, part, part.now, list(part_inputs))
                   + _figure_parts(words, whole, whole.now, list(whole_inputs)))


def _figure_parts(words: Words, c: Comparison, figure: Figure, inputs: list[Figure] | None = None,
                  reasons: list[Reason] = (), discrepancies: list[str] = ()) -> list[str]:
    what = words.say("note.what", label=c.label, year=figure.year, value=c.reads(figure))
    parts = [_span("what", html.escape(what))] + _reasons(words, list(reasons))
    parts += [_span("working", html.escape(d)) for d in discrepancies]
    if figure.derivation:
        parts.append(_span("working", html.escape(derived_words(words, c, figure, inputs or []))))
        parts += [part for f in inputs or [] if f.passage for part in passage(words, f)]
    elif figure.passage:
        parts += passage(words, figure)
    else:
        parts.append(_span("source", (where(words, figure.source_id, figure.section))))
    return parts


def derived_words(words: Words, c: Comparison, figure: Figure, inputs: list[Figure]) -> str:
    """'Not printed in the sources: worked out from the 2025 figure, just under €19.7 million, and the fall
    of 47.4% that the 2025 review gives for it.'"""
    later = next((f for f in inputs if f.metric_id == c.metric_id), None)
    change = next((f for f in inputs if f.metric_id != c.metric_id), None)
    if later is None or change is None:
        return words.say("note.derived_plain")
    from sotebook.pages import text

    return words.say("note.derived", year=figure.year, later_year=later.year, later=c.number(later),
                     change=text.percent(words, change.value), source=short_source(words, change.source_id))


def change_note(words: Words, c: Comparison, then_inputs: list[Figure], unexplained: bool,
                reasons: list[Reason] = ()) -> str:
    """A change: from what to what, the range where rounding leaves its size uncertain, the reasons the
    sources give (or that they give none for a large change), both passages."""
    parts = [_span("what", html.escape(words.say("note.change", label=c.label, previous=c.year - 1, year=c.year,
                                                    was=c.reads(c.then), now=c.reads(c.now), change=c.change_words())))]
    parts += _reasons(words, list(reasons))
    span = c.range_text()
    if span:
        parts.append(_span("working", html.escape(words.say("note.range", range=span))))
    if unexplained:
        parts.append(_span("working", html.escape(words.say("note.unexplained"))))
    for figure, inputs in ((c.then, then_inputs), (c.now, [])):
        if figure.derivation:
            parts.append(_span("working", html.escape(derived_words(words, c, figure, inputs))))
            parts += [part for f in inputs if f.passage and f is not c.now for part in passage(words, f)]
        elif figure.passage:
            parts += passage(words, figure)
        else:
            parts.append(_span("source", (where(words, figure.source_id, figure.section))))
    return _joined(parts)


def reason_note(words: Words, source_id: str, section: str, statement: str) -> str:
    """A reason the sources give: the book's words for it, then where the source says it."""
    statement = statement.strip()
    if statement and statement[-1] not in ".!?…":  # a highlight's or event's name: 'Helsinki Diabetes Centre'
        statement += "."
    return " ".join([_span("what", html.escape(statement)), _span("source", (where(words, source_id, section)))])

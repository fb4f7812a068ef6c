"""Each figure's passage: the sentence of its source document that states it (for a table or list in the
source, the row or the item), found in the document's text, with the headings it stands under.

The value is looked for as printed, in the passages of the section the transcription records
(sotebook/data/document.py reads the text into passages under their headings). The copy's line breaks,
no-break spaces and emphasis marks may stand between the parts of a printed value ('**€1.79**  billion'),
and a value the copy breaks across two paragraphs ('1.' / '4 million') is found in the two read as one.
Where the value stands more than once in the section, the passage is the one whose words match the
figure's label best (RapidFuzz's token-set ratio of the label as printed and the sentence; the first in
the document on a tie). A document with no headings at all (a news article) has no sections to check.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sotebook.data.document import Passage, in_section

_GAP = r"[\s\u00a0\u202f\u2009*_]*"  # what the copy may put inside a printed value: breaks, spaces, emphasis
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“(]*[A-ZÅÄÖ])")


@dataclass(frozen=True)
class Found:
    passage: str  # the sentence (row, item) that states the figure, as printed, white space normalised
    section: str  # the headings it stands under, outermost first, joined by ' > '
    line: int  # where its passage starts in the document (1-based)


def value_pattern(printed: str) -> re.Pattern:
    """The printed value as a pattern: its characters in order, white space or emphasis allowed where it
    has a space and after a punctuation mark; not inside a longer number or word."""
    parts = []
    for ch in printed.strip():
        if ch.isspace():
            parts.append(r"[\s\u00a0\u202f\u2009*_]+")
        elif ch.isalnum():
            parts.append(re.escape(ch))
        else:
            parts.append(re.escape(ch) + _GAP)
    return re.compile(r"(?<![\w.,])" + "".join(parts) + r"(?![\d])")


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence of `text` that holds text[start:end]."""
    first = 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() <= start:
            first = match.end()
        elif match.start() >= end:
            return text[first:match.start()].strip()
    return text[first:].strip()


WINDOW = 12  # words either side of the value kept from a passage longer than LONG words
LONG = 45


def _window(sentence: str, pattern: re.Pattern) -> str:
    """A passage of more than LONG words (a list the copy runs together into one sentence, as the news
    article's list of service encounters) cut to WINDOW words either side of its value, '…' where it is cut."""
    words = sentence.split()
    match = pattern.search(sentence)
    if len(words) <= LONG or match is None:
        return sentence
    first = len(sentence[:match.start()].split())
    last = len(sentence[:match.end()].split())
    start, end = max(0, first - WINDOW), min(len(words), last + WINDOW)
    # cut where an item of the run-together list begins (a number, a capital), not inside one
    if start:
        start = next((i for i in range(start, first) if words[i][0].isdigit() or words[i][0].isupper()), start)
    if end < len(words):
        end = next((i for i in range(end, last, -1) if words[i][0].isdigit()), end)
    return ("… " if start else "") + " ".join(words[start:end]) + (" …" if end < len(words) else "")


def _continued(document: list[Passage], i: int, sentence: str) -> str:
    """A passage the copy starts in a paragraph of its own though its sentence began in the one before
    ('… we are aiming for an adjustment of' / '€100 million.'; a table's label 'Totalt (ordinarie, …)' /
    '15 638 100 %'): with the end of that paragraph before it. Only where that paragraph is under the same
    headings, ends with no full stop, colon or other mark that ends a sentence, and its last sentence gives no
    figure (a list's item or a table's cell before a figure is another item or may belong to another row: the
    copy's reading order does not say)."""
    if i == 0:
        return sentence
    before = document[i - 1]
    start = sentence_at(before.text, len(before.text), len(before.text))
    if re.search(r"(?<![\d.,])\d[.,]$", before.text) and sentence[:1].isdigit():  # a number the copy breaks: '1.' / '4 million'
        return start + sentence
    if (before.section != document[i].section or re.search(r"[.!?:;]\W*$", before.text)
            or re.search(r"\d", start) or not start):
        return sentence
    return start + " " + sentence


def locate(printed: str, label: str, section: str, document: list[Passage]) -> tuple[Found | None, list[str]]:
    """The passage stating `printed`, and the sections where it stands if none is in `section`."""
    from rapidfuzz import fuzz

    pattern = value_pattern(printed)
    checked = any(p.section for p in document)
    candidates, elsewhere = [], []
    for i, passage in enumerate(document):
        texts = [(passage.text, passage)]
        if i + 1 < len(document):  # a value broken across two paragraphs: it must span the break
            texts.append((passage.text + " " + document[i + 1].text, passage))
        for text, where in texts:
            match = next((m for m in pattern.finditer(text)
                          if text is passage.text or m.start() < len(passage.text) < m.end()), None)
            if match is None:
                continue
            path = " > ".join(where.section)
            if checked and not in_section(section, path):
                elsewhere.append(path or "(before the first heading)")
                break
            sentence = text if where.table_row else sentence_at(text, match.start(), match.end())
            sentence = _continued(document, i, sentence) if text.startswith(sentence) else sentence
            sentence = _window(sentence, pattern)
            candidates.append((fuzz.token_set_ratio(label, sentence), -where.line, sentence, path, where.line))
            break
    if not candidates:
        return None, sorted(set(elsewhere))
    best = max(candidates)
    return Found(best[2], best[3], best[4]), []

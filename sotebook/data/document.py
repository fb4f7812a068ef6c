"""Split a source document's text into passages (a paragraph, a list item, a table row) under their headings.

The data step finds each figure's passage here (sotebook/data/passages.py); `make draft` drafts a new
source's figures from the same passages (sotebook/draft/).

Two layouts occur. A Markdown-like copy marks headings with '#'. A copy extracted from a PDF marks
none: there a heading is a short line group that starts with a capital, ends without punctuation and
holds no figure (a heading at the top of a page, where the extraction starts the line with a space,
may hold one: "För ett gott liv: 15 600 proffs"). A table caption ("Table 1. ...") names the section
of the table rows above it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

_BULLET = re.compile(r"^\s*(?:[•→▪◦\-\*]|\d{1,2}\.(?=\s+\D))\s+")
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_CAPTION = re.compile(r"^(?:Table|Tabell|Taulukko)\s+\d+\.\s")
_PHOTO = re.compile(r"^(Bild|Kuva|Image|Photo):")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_LEADERS = re.compile(r"\.{2,}\s*\d+\s*$")  # a contents line: 'How we arrange services ..... 3'


@dataclass(frozen=True)
class Passage:
    text: str  # the passage's words, its lines joined and hyphenation undone
    line: int  # the line of the document it starts on (1-based)
    section: tuple[str, ...]  # the headings it stands under, outermost first
    table_row: bool = False  # a table row: its label stands before the number


def clean_line(line: str) -> str:
    """A line without Markdown emphasis, HTML bold and link targets."""
    line = re.sub(r"</?b>|\*\*|__", "", line)
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
    return line.replace("\u00ad", "")


def join_lines(lines: list[str]) -> str:
    """Lines joined as one text: 'studerande-' + 'hälsovård' -> 'studerandehälsovård', 'mun- och' kept."""
    text = ""
    for line in (part.strip() for part in lines):
        if not line:
            continue
        if text.endswith("-") and len(text) > 1 and text[-2].isalpha() and line[:1].islower() \
                and not re.match(r"(och|and|ja|eller|or)\b", line):
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return re.sub(r"\s+", " ", text.replace("\t", " ")).strip()


def _has_figure(text: str) -> bool:
    return bool(re.search(r"\d", _YEAR.sub("", text)))


def _looks_like_heading(text: str, page_start: bool) -> bool:
    if not text or len(text) > 80 or not text[0].isupper() or text[-1] in ".,;:!?)–-":
        return False
    if "http" in text or _PHOTO.match(text):
        return False
    return page_start or not _has_figure(text)


class _Reader:
    """Walks the lines once, collecting passages; the section path changes at each heading."""

    def __init__(self, markdown: bool):
        self.markdown = markdown
        self.path: list[str] = []
        self.passages: list[Passage] = []
        self.unit: list[str] = []
        self.start = 0
        self.page_start = self.bullet = False
        self.indent = 0  # the current list item's indentation
        self.parents: list[tuple[int, int]] = []  # list items that head a nested list: (indent, depth)

    def flush(self, table_row: bool = False) -> None:
        """End the current unit: a heading, a caption or a passage."""
        text = join_lines(self.unit)
        self.unit = []
        if not text or _LEADERS.search(text):
            return
        if _CAPTION.match(text):
            return self.caption(text)
        if not (self.markdown or self.bullet or table_row) and _looks_like_heading(text, self.page_start):
            self.heading(text, 1 if self.page_start else 2)
            if not _has_figure(text):
                return
        self.passages.append(Passage(text, self.start, tuple(self.path), table_row))

    def heading(self, title: str, level: int) -> None:
        self.path = self.path[:level - 1] + [title]
        self.parents = []

    def nest(self, indent: int) -> None:
        """A list item that a more indented list follows heads that list ('Adult social work's clients')."""
        while self.parents and indent <= self.parents[-1][0]:
            del self.path[self.parents.pop()[1]:]
        text = join_lines(self.unit)
        if self.bullet and indent > self.indent and text and not _has_figure(text) and not text.endswith("."):
            self.unit = []
            self.parents.append((self.indent, len(self.path)))
            self.path.append(text)

    def caption(self, title: str) -> None:
        """The caption names the section of the table rows just above it."""
        here = tuple(self.path)
        i = len(self.passages)
        while i and self.passages[i - 1].section == here and not self.passages[i - 1].text.endswith("."):
            i -= 1
        if i == len(self.passages):
            return
        for j in range(i, len(self.passages)):
            self.passages[j] = replace(self.passages[j], section=here + (title,))
        if len(self.path) > 1 and (i == 0 or self.passages[i - 1].section != here):
            self.path.pop()  # the heading was the table's own header row

    def add(self, number: int, raw: str) -> None:
        line = clean_line(raw)
        stripped = line.strip()
        if not stripped or _PHOTO.match(stripped):
            return self.flush()
        heading = _MARKDOWN_HEADING.match(stripped)
        if heading and self.markdown:
            self.flush()
            self.heading(heading[2].strip(), len(heading[1]))
            if _has_figure(heading[2]):  # 'Our services' net promoter score was 64.'
                self.passages.append(Passage(heading[2].strip(), number, tuple(self.path)))
            return None
        bullet = _BULLET.match(line)
        page_start = not self.markdown and raw.startswith(" ") and not raw.startswith("  ")
        if bullet:
            self.nest(len(line) - len(line.lstrip()))
        if bullet or page_start:
            self.flush()
            line = line[bullet.end():] if bullet else line
        if not self.unit:
            self.start, self.page_start, self.bullet = number, page_start and not bullet, bool(bullet)
            self.indent = len(raw) - len(raw.lstrip()) if bullet else 0
        self.unit.append(line)
        if "\t" in line:
            return self.flush(table_row=bool(re.search(r"\d", line.split("\t", 1)[1])))
        if not self.markdown and not line.endswith((" ", "-")) \
                and _looks_like_heading(join_lines(self.unit), self.page_start) and not self.bullet:
            return self.flush()
        return None


def _run_on_blanks(lines: list[str]) -> set[int]:
    """Blank lines (1-based) that a sentence runs on across ('kund-', '', 'kontakter i ...'): not a break."""
    skipped, previous = set(), ""
    for i, line in enumerate(lines):
        if line.strip():
            previous = line.rstrip()
            continue
        following = next((n.strip() for n in lines[i + 1:i + 3] if n.strip()), "")
        if previous and not previous.endswith((".", ":", "!", "?")) and following[:1].islower():
            skipped.add(i + 1)
    return skipped


def passages(text: str) -> list[Passage]:
    """The passages of a document's text, each with its section path."""
    lines = text.splitlines()
    run_on = _run_on_blanks(lines)
    reader = _Reader(markdown=any(_MARKDOWN_HEADING.match(line.strip()) for line in lines))
    for number, line in enumerate(lines, 1):
        if number not in run_on:
            reader.add(number, line)
    reader.flush()
    return reader.passages



def _key(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


def in_section(recorded: str, path: str) -> bool:
    """Whether a transcription's section ('Service för Helsingforsbornas behov > Smidig betjäning') names
    a place on a passage's heading path ('A > B > C'): its innermost heading (without a bracketed remark)
    is one of the path's headings, either of the two possibly shortened ('Sustainable finances')."""
    inner = _key(re.sub(r"\s*\([^)]*\)$", "", recorded.split(">")[-1]))
    return any(inner and part and (part.startswith(inner) or inner.startswith(part))
               for part in (_key(p) for p in path.split(">")))

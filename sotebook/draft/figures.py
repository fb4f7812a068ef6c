"""Find the figures a passage states, with the words around them; leave out numbers that are not figures.

A number is left out when it is a year (1900-2099 printed without a thousands separator and without a
unit), part of a date ('1.1.2025', '31 December 2024', 'i november 1925'), a time or a range of them
('9.00-12.00', '0-18', '2023-2025'), a phone number ('+358 9 310 42300'), part of a word or name
('covid-19', 'CO2e', '24-hour'), list numbering or a contents page number (dropped with the line's
marker or leaders when the text is read). Everything else is a candidate, read by the parser of the
data step (sotebook.parse): the longest printed form it accepts, with its qualifier, currency, scale
and unit ('något under 19,7 miljoner euro'), is the value as printed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .upstream import Passage
from .upstream import ParseError, parse_printed

_CORE = {
    "en": r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?",
    "sv": r"\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?|\d+(?:,\d+)?",
}
# Number words the parser reads; 'one', 'en' and 'ett' are left out (in Swedish they are also 'a').
_WORDS = {
    "en": r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half",
    "sv": r"två|tre|fyra|fem|sju|åtta|nio|tio|elva|tolv|tusen|hälften",
}
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "januari|februari|mars|maj|juni|juli|augusti|oktober|"
           "tammikuu\\w*|helmikuu\\w*|maaliskuu\\w*|huhtikuu\\w*|toukokuu\\w*|kesäkuu\\w*|heinäkuu\\w*|"
           "elokuu\\w*|syyskuu\\w*|lokakuu\\w*|marraskuu\\w*|joulukuu\\w*")
_NOT_FIGURES = [
    re.compile(r"\b\d{1,2}\.\d{1,2}\.(?:\d{4})?"),  # 1.1.2025, 31.12.
    re.compile(rf"\b\d{{1,2}}\.?\s+(?:{_MONTHS})\b(?:\s+\d{{4}})?", re.I),  # 31 December 2024, 1 februari
    re.compile(rf"\b(?:{_MONTHS})\s+\d{{1,2}}\b(?!\s*(?:%|\d))", re.I),  # December 31
    re.compile(r"\+\d{2,3}(?:[ \u00a0-]?\d+)+"),  # +358 9 310 42300
    re.compile(r"\b0\d{1,2}[ -]\d{2,4}[ -]\d{2,5}\b"),  # 09 310 42300
    re.compile(r"\b\d{1,2}[.:]\d{2}\s*[–—-]\s*\d{1,2}[.:]\d{2}\b"),  # 9.00–12.00
    re.compile(r"[+\-−–]?\d[\d.,]*\s*[–—-]\s*[+\-−–]?\d[\d.,]*(?!\s*%)(?=\W|$)"),  # 0–18, 2023–2025
    re.compile(r"\b24/7\b"),  # opening hours
    re.compile(r"\S*(?:https?://|www\.|\.fi/|\.com/)\S*"),  # addresses
    re.compile(r"[^\W\d_][\w]*-\d+|\d+-[^\W\d_]+|[^\W\d_]+\d\w*"),  # covid-19, 24-hour, CO2e
]
_YEAR = re.compile(r"(?:19|20)\d\d")
_CLAUSE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-ZÅÄÖ\d€])|;\s*|\s+—\s+|\s+/\s+")


@dataclass(frozen=True)
class Figure:
    passage: Passage
    start: int  # where value_as_printed stands in passage.text
    end: int
    printed: str
    value: Decimal
    unit: str
    number_format: str  # '' or the other format, where the figure is printed in it ('€1,2 billion')
    label: str  # the words around it in its clause
    clause: str  # the clause it stands in, for the period and the review page


def _masked(text: str) -> list[tuple[int, int]]:
    return [m.span() for pattern in _NOT_FIGURES for m in pattern.finditer(text)]


def _inside(spans, start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def _read(text: str, number_format: str):
    try:
        return parse_printed(text, number_format)
    except ParseError:
        return None


def _extensions(text: str, start: int, end: int) -> tuple[list[int], list[int]]:
    """Candidate starts (qualifier and currency before the number) and ends (scale and unit words after)."""
    ends = [end]
    for match in re.finditer(r"\S+", text[end:end + 40]):
        ends.append(end + match.end())
        if len(ends) > 3:
            break
    starts = [start]
    before = text[:start]
    if before.endswith("€"):
        starts.append(start - 1)
    for words in (1, 2):
        found = re.search(r"(?:^|\s)((?:\S+\s+){%d})€?$" % words, before)
        if found:
            starts.append(found.start(1))
    return starts, ends


def _longest(text: str, start: int, end: int, number_format: str, alone: bool = False):
    """The longest printed form around a number that the parser reads: (start, end, parsed, format)."""
    starts, ends = _extensions(text, start, end)
    ends = [end] if alone else ends
    formats = [number_format] + [f for f in ("en", "sv") if f != number_format]
    for fmt in formats:
        for e in sorted(ends, reverse=True):
            for s in sorted(starts):
                piece = text[s:e].rstrip(".,;:)")
                parsed = _read(piece, fmt)
                # words before the number belong to it only as a qualifier or a currency ('något under', '€')
                if parsed is not None and (s == start or parsed.qualifier or "€" in text[s:start]):
                    return s, s + len(piece), parsed, "" if fmt == number_format else fmt
    return None


def _cores(text: str, number_format: str):
    """(start, end, split) of each number in digits or words; split: a run-together table cell cut off."""
    digits = rf"(?<![\w.,])(?<![^\W\d_]/)\+?(?:{_CORE[number_format]})(?![\w])"
    pattern = re.compile(rf"{digits}|(?<!\w)(?:{_WORDS[number_format]})(?!\w)", re.I)
    pos = 0
    while True:
        match = pattern.search(text, pos)
        if not match:
            return
        start, end = match.span()
        core = match.group(0)
        # '15 638 100 %': a table's total and its percent run together; no share is thousands of percent,
        # so the last group is the next cell.
        groups = core.split(" ") if number_format == "sv" else []
        split = len(groups) > 2 and re.match(r"\s?(%|procent)", text[end:])
        if split:
            end = start + len(" ".join(groups[:-1]))
        yield start, end, bool(split)
        pos = end


def find_figures(passage: Passage, number_format: str) -> list[Figure]:
    """The figures the passage states, in order."""
    text = passage.text
    masked = _masked(text)
    found: list[tuple[int, int, object, str]] = []
    for start, end, split in _cores(text, number_format):
        if _inside(masked, start, end) or (found and start < found[-1][1]):
            continue
        best = _longest(text, start, end, number_format, split)
        if best is None:
            continue
        s, e, parsed, fmt = best
        if _YEAR.fullmatch(text[start:end]) and not parsed.unit and text[s:e] == text[start:end]:
            continue
        found.append((s, e, parsed, fmt))
    return [Figure(passage, s, e, text[s:e], parsed.value, parsed.unit, fmt,
                   _label(text, found, i, passage.table_row), _clause(text, s))
            for i, (s, e, parsed, fmt) in enumerate(found)]


def _clause_bounds(text: str, at: int) -> tuple[int, int]:
    start, end = 0, len(text)
    for match in _CLAUSE_END.finditer(text):
        if match.end() <= at:
            start = match.end()
        elif match.start() >= at:
            end = match.start()
            break
    return start, end


def _clause(text: str, at: int) -> str:
    start, end = _clause_bounds(text, at)
    return text[start:end].strip()


def _label(text: str, found, i: int, table_row: bool) -> str:
    """The words of the figure's clause up to the figures before and after it.

    Words between two figures are split at the first comma, 'and' or bracket: those before it go with
    the figure before ('136 000 influensavacciner | och 66 000 covid-vacciner'), those after it with the
    figure after ('17 161 000 euro | och projektets parter HUS fick 5 740 000 euro')."""
    s, e = found[i][0], found[i][1]
    row_label = " ".join(text[:found[0][0]].split()[-12:]).strip(" ,:;(")
    if table_row:  # every cell of a row stands under the row's label, before its first figure
        return row_label
    c_start, c_end = _clause_bounds(text, s)
    previous = [f[1] for f in found[:i] if c_start <= f[1] <= s]
    following = [f[0] for f in found[i + 1:] if e <= f[0] <= c_end]
    left = text[previous[-1] if previous else c_start:s]
    right = text[e:following[0] if following else c_end]
    if previous:
        left = _split(left)[1]
    if following:
        right = _split(right)[0]
    label = " ".join(left.split()[-12:] + ["…"] + right.split()[:12]).strip(" …,:;()")
    # 'Familje- och socialtjänster 4 225 27 %': a row of a table the copy prints without tabs.
    return label if re.search(r"[^\W\d_]{3,}", label) or text[e:].strip(" .%") else row_label or label


_BETWEEN = re.compile(r",\s|\s(?:och|and|ja|samt|or|eller)\s|\(|^(?:och|and|ja)\s")


def _split(between: str) -> tuple[str, str]:
    """Words between two figures: (those of the figure before, those of the figure after)."""
    match = _BETWEEN.search(between)
    return (between[:match.start()], between[match.end():]) if match else (between, between)

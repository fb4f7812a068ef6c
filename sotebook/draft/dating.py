"""The period a figure refers to, from the words of its sentence: 'i december 2025', 'since 2023', the
document's year by default. Returns the raw transcription's forms (sotebook.periods reads them)."""
from __future__ import annotations

import re

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "januari": 1, "februari": 2, "mars": 3, "maj": 5, "juni": 6, "juli": 7, "augusti": 8, "oktober": 10,
}
_SEASONS = {"spring": "spring", "summer": "summer", "autumn": "autumn", "winter": "winter",
            "våren": "spring", "sommaren": "summer", "hösten": "autumn", "vintern": "winter"}
_MONTH_WORD = "|".join(_MONTHS)
_YEAR = r"(?:19|20)\d\d"
_DASH = r"\s*[–—-]\s*"
_YEAR_END = re.compile(rf"(?:31\.12\.|31 december |end of |slutet av (?:år )?)({_YEAR})", re.I)
_MONTH_RANGE = re.compile(rf"\b({_MONTH_WORD}){_DASH}({_MONTH_WORD})\b(?:\s+({_YEAR}))?", re.I)
_MONTH = re.compile(rf"\b(?:in|i|during|under)\s+({_MONTH_WORD})\b(?:\s+({_YEAR}))?", re.I)
_SEASON = re.compile(rf"\b({'|'.join(_SEASONS)})\b(?:\s+({_YEAR}))?", re.I)
_SINCE = re.compile(rf"\b(?:since|sedan|vuodesta)\s+({_YEAR})", re.I)
_RANGE = re.compile(rf"\b({_YEAR})(?:{_DASH}|\s+(?:and|och|ja)\s+)({_YEAR})\b")
_SINGLE = re.compile(rf"(?<![\d.–-])({_YEAR})(?![\d–-])(?!\s+(?:års|year's))")
_NOT_THE_FIGURES_YEAR = re.compile(r"compared|than|jämfört|än\b|previous|föregående|from|från", re.I)


def period_of(clause: str, before: str, after: str, section: str, year: int) -> str:
    """The period, from the figure's sentence (`clause`), its words `before` and `after`, and its section."""
    for text in (clause, section):
        end = _YEAR_END.search(text)
        if end:
            return f"{end[1]}-12-31"
    match = _MONTH_RANGE.search(clause)
    if match:
        y = match[3] or year
        return f"{y}-{_MONTHS[match[1].lower()]:02d}/{y}-{_MONTHS[match[2].lower()]:02d}"
    match = _MONTH.search(clause)
    if match:
        return f"{match[2] or year}-{_MONTHS[match[1].lower()]:02d}"
    match = _SEASON.search(clause)
    if match:
        return f"{match[2] or year}-{_SEASONS[match[1].lower()]}"
    match = _SINCE.search(clause)
    if match and int(match[1]) < year:
        return f"{match[1]}-{year}"
    match = _RANGE.search(clause)
    if match and int(match[1]) < int(match[2]):
        return f"{match[1]}-{match[2]}"
    return _single_year(before, after) or str(year)


def _single_year(before: str, after: str) -> str | None:
    """A year named next to the figure: 'Resultat från 2023: 58', 'in 2023 the score was 58', 'in 2024'."""
    found = _SINGLE.findall(before)
    if found:
        return found[-1]
    match = re.search(rf"\b(?:in|i|under|år)\s+({_YEAR})\b", after)
    if match and not _NOT_THE_FIGURES_YEAR.search(after[:match.start()]):
        return match[1]
    return None


def year_of(period: str, year: int) -> int:
    """The figure's year: a single period's own year; a multi-year period's last year, up to the document's."""
    years = [int(y) for y in re.findall(_YEAR, period)]
    return years[0] if len(set(years)) == 1 else min(max(years), year)

"""The kind of period a figure covers, read from its raw `period` string, and what a figure counts.

Two figures can be compared only when they cover the same kind of period: a year's total with a
year's total, a stock on 31 December with a stock on 31 December. The kind follows from the period
string by the rules below; where the string cannot tell (a running total from a start year looks
like a period total, a figure the source does not date looks like a year), the raw row states the
kind in its `period_kind` column.
"""
from __future__ import annotations

import calendar
import re
from datetime import date

from sotebook.data.rawdata import Problem, Row

PERIOD_KINDS = {
    "year": "a calendar year's total or average (2024)",
    "year_end": "a stock on 31 December (2024-12-31)",
    "month": "one month (2025-12: 'in December')",
    "season": "a season (2025-autumn)",
    "part_year": "some months of a year (2025-09/2025-12)",
    "multi_year": "several years as one period total (2023-2025)",
    "cumulative": "a running total since a start year (2023-2024: achieved so far)",
    "undated": "a figure the source gives no date for (a rounded 2024 population)",
}

_MONTH = r"(0[1-9]|1[0-2])"
_RULES = [
    (re.compile(r"^\d{4}$"), "year"),
    (re.compile(r"^\d{4}-12-31$"), "year_end"),
    (re.compile(rf"^\d{{4}}-{_MONTH}$"), "month"),
    (re.compile(r"^\d{4}-(spring|summer|autumn|winter)$"), "season"),
    (re.compile(rf"^\d{{4}}-{_MONTH}/\d{{4}}-{_MONTH}$"), "part_year"),
    (re.compile(r"^\d{4}-\d{4}$"), "multi_year"),
]
# The kinds a raw row may state where its period string says something else, and only there.
OVERRIDES = {"year": {"undated"}, "multi_year": {"cumulative"}}
# What a stated change's `basis` says: the direction of a printed magnitude ('fell by 47.4%').
CHANGE_DIRECTIONS = {"increase": 1, "decrease": -1, "": 1}
_BASIS = re.compile(r"^[a-z][a-z0-9_]*$")


def derived_kind(period: str) -> str | None:
    """The kind a period string gives by its form, or None for a form no rule reads."""
    for pattern, kind in _RULES:
        if pattern.match(period):
            return kind
    return None


def period_kind(path, row: Row, problems: list[Problem]) -> str:
    """The row's period kind: derived from `period`, or the raw `period_kind` where the rules allow it."""
    period, stated = row.values["period"], row.values["period_kind"]
    derived = derived_kind(period)
    if derived is None:
        problems.append(Problem(path, row.line, "period", period,
                                "is not a period form the cleaning step reads: YYYY, YYYY-12-31, YYYY-MM, "
                                "YYYY-<season>, YYYY-MM/YYYY-MM or YYYY-YYYY"))
        return ""
    if not stated or stated == derived:
        return derived
    if stated not in PERIOD_KINDS:
        problems.append(Problem(path, row.line, "period_kind", stated,
                                f"unknown period kind; expected one of {', '.join(PERIOD_KINDS)}"))
        return ""
    if stated not in OVERRIDES.get(derived, set()):
        allowed = ", ".join(sorted(OVERRIDES.get(derived, set()))) or "none"
        problems.append(Problem(path, row.line, "period_kind", stated,
                                f"contradicts the period {period!r}, which reads as {derived!r}; "
                                f"the kinds a {derived!r} period may be stated as: {allowed}"))
        return ""
    return stated


def basis(path, row: Row, is_change: bool, problems: list[Problem]) -> str:
    """The row's basis: a short snake_case id; for a stated change, its direction."""
    value = row.values["basis"]
    if is_change and value not in CHANGE_DIRECTIONS:
        problems.append(Problem(path, row.line, "basis", value,
                                "a stated change's basis is its direction: 'increase', 'decrease' or empty "
                                "for a signed figure"))
    elif value and not _BASIS.match(value):
        problems.append(Problem(path, row.line, "basis", value, "must be a short snake_case id (granted, used, permanent_staff)"))
    return value


def months(period: str) -> tuple[int, int] | None:
    """First and last month of a part-year period, or None."""
    match = re.match(rf"^\d{{4}}-(?P<a>{_MONTH})/\d{{4}}-(?P<b>{_MONTH})$", period)
    return (int(match["a"]), int(match["b"])) if match else None


def shape(period: str, kind: str) -> str:
    """What must match, besides the kind, for two periods to be alike: the month, season or length."""
    if kind == "month":
        return period[5:7]
    if kind == "season":
        return period.split("-", 1)[1]
    if kind == "part_year":
        return period.split("/")[0][5:] + "/" + period.split("/")[1][5:]
    if kind == "multi_year":
        start, end = (int(y) for y in period.split("-"))
        return f"{end - start + 1} years"
    return ""


# --- periods and dates as the transcriptions write them --------------------------------------------

_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


YEARS = range(1900, 2101)


def is_year(text: str) -> bool:
    return text.isdigit() and int(text) in YEARS


def period_problems(period: str) -> list[str]:
    """What is wrong with a period: 2024, 2024-12-31, 2023-2026, 2025-09/2025-12, 2025-autumn."""
    if "/" in period:
        ends = period.split("/")
    elif re.fullmatch(r"\d{4}-\d{4}", period):
        ends = period.split("-")
    else:
        ends = [re.sub(r"-[a-z]+$", "", period)]  # a season: '2025-autumn'
    if len(ends) > 2 or not all(_PARTIAL_DATE.match(end) for end in ends):
        return ["must be a period as YYYY, YYYY-MM-DD, YYYY-YYYY or YYYY-MM/YYYY-MM"]
    found = [rule for end in ends for rule in date_problems(end)]
    if not found and len(ends) == 2 and date_range(ends[1])[1] < date_range(ends[0])[0]:
        found.append(f"ends ({ends[1]}) before it starts ({ends[0]})")
    return found


def date_problems(text: str) -> list[str]:
    """A partial date (YYYY, YYYY-MM, YYYY-MM-DD) that names no real day, such as 2025-02-30."""
    if not _PARTIAL_DATE.match(text):
        return ["must be a date as YYYY, YYYY-MM or YYYY-MM-DD"]
    try:
        date_range(text)
    except ValueError:
        return [f"{text} is not a date in the calendar"]
    return []


def date_range(text: str) -> tuple[date, date]:
    """The first and last day a partial date stands for."""
    parts = [int(p) for p in text.split("-")]
    year, month, day = parts + [None] * (3 - len(parts))
    if day is not None:
        return date(year, month, day), date(year, month, day)
    if month is not None:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return date(year, 1, 1), date(year, 12, 31)

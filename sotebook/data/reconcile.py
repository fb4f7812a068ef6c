"""Check the transcribed figures against each other and report every check.

Each printed figure stands for a range of true values: '1.4 million' for 1.35-1.45 million,
'over 24 million' for anything from 24 million up. A check passes when the ranges of the two sides
overlap. A check that fails is either a transcription error to fix or a known discrepancy,
documented with its explanation in data/raw/known_discrepancies.csv. Nothing else may fail, and a
known discrepancy that no longer fails is itself an error (the explanation has gone stale).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from decimal import Decimal

from sotebook.data.comparability import change_interval, difference_interval
from sotebook.data.parse import Printed, format_number
from sotebook.data.periods import CHANGE_DIRECTIONS

INF = Decimal("Infinity")
# 'almost 70' is read as at most 70 and at least 10% below it; 'about 7.2' as within 5% either side.
UNDER_SPAN = Decimal("0.10")
ABOUT_SPAN = Decimal("0.05")

CHECK_ORDER = ("parts_total", "share", "stated_change", "interval", "not_above", "restatement", "cross_source")


@dataclass(frozen=True)
class Figure:
    source_id: str
    metric_id: str
    year: int
    period: str
    printed: Printed
    value_as_printed: str
    label_as_printed: str
    section: str
    printing: str
    note: str
    path: object
    line: int
    period_kind: str = ""
    basis: str = ""  # for a stated change: 'increase', 'decrease' or '' (a signed figure)


@dataclass(frozen=True)
class Check:
    check_id: str
    check: str
    metric_id: str
    year: int
    source_id: str
    compared_with: str
    printed: str
    expected_low: Decimal
    expected_high: Decimal
    passed: bool
    explanation: str
    figure: Figure


def value_range(printed: Printed) -> tuple[Decimal, Decimal]:
    """The true values a printed figure admits."""
    v, h = printed.value, printed.half_unit
    if printed.qualifier == "over":
        return v, INF
    if printed.qualifier == "under":
        return v - abs(v) * UNDER_SPAN, v
    if printed.qualifier == "about":
        d = max(h, abs(v) * ABOUT_SPAN)
        return v - d, v + d
    return v - h, v + h


def _overlaps(a: tuple[Decimal, Decimal], b: tuple[Decimal, Decimal]) -> bool:
    """Half-open ranges: a value printed as 93 admits 92.5 up to, not including, 93.5, which prints as 94."""
    return a[0] < b[1] and b[0] < a[1]


def _span(r: tuple[Decimal, Decimal]) -> str:
    if r[1] == INF:
        return f"at least {format_number(r[0])}"
    if r[0] == r[1]:
        return format_number(r[0])
    return f"{format_number(r[0])} to {format_number(r[1])}"


class _Index:
    def __init__(self, figures: list[Figure]):
        self.primary = {}
        for f in figures:
            if f.printing == "primary":
                self.primary[(f.metric_id, f.year, f.source_id)] = f

    def get(self, metric, year, source):
        return self.primary.get((metric, year, source))

    def sources(self, metric, year) -> list[str]:
        return sorted(s for (m, y, s) in self.primary if m == metric and y == year)

    def pick(self, metrics: list[str], year: int, prefer: str, minimum: int):
        """Figures of `metrics` for `year` from `prefer` if it prints at least `minimum` of them,
        else from the first other source that does. Returns (source, figures) or (None, [])."""
        candidates = [prefer] + sorted({s for (m, y, s) in self.primary if y == year} - {prefer})
        for source in candidates:
            found = [self.get(m, year, source) for m in metrics]
            found = [f for f in found if f is not None]
            if len(found) >= minimum:
                return source, found
        return None, []


def run_checks(figures: list[Figure], metrics: dict[str, dict]) -> list[Check]:
    index = _Index(figures)
    checks: list[Check] = []

    def add(kind, f: Figure, compared_with, expected, explanation, suffix=""):
        check_id = f"{kind}:{f.metric_id}:{f.year}:{f.source_id}{suffix}"
        passed = _overlaps(value_range(f.printed), expected)
        checks.append(Check(check_id, kind, f.metric_id, f.year, f.source_id, compared_with,
                            f.value_as_printed, expected[0], expected[1], passed, explanation, f))

    primaries = sorted(index.primary.values(), key=lambda f: (f.metric_id, f.year, f.source_id))
    for total in primaries:
        parts = [m for m, d in metrics.items() if d["part_of"] == total.metric_id]
        if not parts:
            continue
        source, found = index.pick(parts, total.year, total.source_id, minimum=2)
        if not found or (source != total.source_id and index.get(total.metric_id, total.year, source)):
            continue  # no parts, or parts from a source that prints its own total: cross_source covers it
        low = sum(value_range(f.printed)[0] for f in found)
        high = sum(value_range(f.printed)[1] for f in found)
        names = " + ".join(f.value_as_printed for f in found)
        add("parts_total", total, f"sum of {len(found)} parts in {source}", (low, high),
            f"The {len(found)} parts printed in {source} ({names}) sum to {_span((low, high))}; "
            f"the total is printed as {total.value_as_printed}.")

    for share in primaries:
        spec = metrics[share.metric_id]
        if not spec["share_numerator"]:
            continue
        source, found = index.pick([spec["share_numerator"], spec["share_base"]], share.year, share.source_id, 2)
        if len(found) != 2:
            continue
        num, base = (value_range(f.printed) for f in found)
        expected = (num[0] / base[1] * 100, num[1] / base[0] * 100)
        add("share", share, f"{spec['share_numerator']} / {spec['share_base']} in {source}", expected,
            f"{found[0].value_as_printed} of {found[1].value_as_printed} is {_span(expected)} percent; "
            f"printed as {share.value_as_printed}.")

    for change in primaries:
        target = metrics[change.metric_id]["change_of"]
        if not target:
            continue
        this_source, this = index.pick([target], change.year, change.source_id, 1)
        last_source, last = index.pick([target], change.year - 1, change.source_id, 1)
        if not this or not last:
            continue
        relative = metrics[change.metric_id]["unit"] == "percent" and metrics[target]["unit"] != "percent"
        expected = stated_change_interval(value_range(last[0].printed), value_range(this[0].printed), relative,
                                          CHANGE_DIRECTIONS[change.basis])
        add("stated_change", change, f"{target} {change.year} minus {change.year - 1}", expected,
            f"{target} went from {last[0].value_as_printed} ({last_source}) to {this[0].value_as_printed} "
            f"({this_source}), a {'relative ' if relative else ''}change of {_span(expected)}"
            f"{' percent' if relative else ''}{' (stated as a decrease)' if change.basis == 'decrease' else ''}; "
            f"printed as {change.value_as_printed}.")

    for interval in primaries:
        target = metrics[interval.metric_id]["interval_of"]
        if not target:
            continue
        source, found = index.pick([target], interval.year, interval.source_id, 1)
        if not found:
            continue
        minutes = Decimal((366 if calendar.isleap(interval.year) else 365) * 24 * 60)
        count = value_range(found[0].printed)
        expected = (minutes / count[1], minutes / count[0])
        add("interval", interval, f"minutes in {interval.year} / {target}", expected,
            f"{found[0].value_as_printed} assignments in {format_number(minutes)} minutes is one every "
            f"{_span(expected)} minutes; printed as {interval.value_as_printed}.")

    for lesser in primaries:
        target = metrics[lesser.metric_id]["not_above"]
        if not target:
            continue
        source, found = index.pick([target], lesser.year, lesser.source_id, 1)
        if not found:
            continue
        expected = (-INF, value_range(found[0].printed)[1])
        add("not_above", lesser, f"{target} in {source}", expected,
            f"Cannot exceed {target} ({found[0].value_as_printed}); printed as {lesser.value_as_printed}.")

    for again in sorted((f for f in figures if f.printing == "restatement"),
                        key=lambda f: (f.metric_id, f.year, f.source_id, f.section)):
        primary = index.get(again.metric_id, again.year, again.source_id)
        if primary is None:
            continue  # reported as a data problem by the cleaning step
        expected = value_range(primary.printed)
        add("restatement", again, f"primary printing in {primary.section}", expected,
            f"Printed again as {again.value_as_printed} in '{again.section}'; the main printing in "
            f"'{primary.section}' is {primary.value_as_printed}.",
            suffix=":" + _slug(again.section))

    for metric, year in sorted({(m, y) for (m, y, s) in index.primary}):
        sources = index.sources(metric, year)
        if len(sources) < 2:
            continue
        figures_here = [index.get(metric, year, s) for s in sources]
        reference = min(figures_here, key=lambda f: _width(value_range(f.printed)))
        for other in figures_here:
            if other is reference:
                continue
            add("cross_source", other, f"{reference.source_id}", value_range(reference.printed),
                f"Printed as {other.value_as_printed} in {other.source_id} and as "
                f"{reference.value_as_printed} in {reference.source_id}.",
                suffix=":" + reference.source_id)

    seen = set()
    for c in checks:
        if c.check_id in seen:
            raise ValueError(f"two checks share the id {c.check_id}")
        seen.add(c.check_id)
    return sorted(checks, key=lambda c: (CHECK_ORDER.index(c.check), c.metric_id, c.year, c.check_id))


def stated_change_interval(earlier, later, relative: bool, sign: int) -> tuple[Decimal, Decimal]:
    """The range a stated change may print: later − earlier, or in percent; a decrease prints its magnitude."""
    low, high = (change_interval if relative else difference_interval)(*earlier, *later)
    return (low, high) if sign > 0 else (-high, -low)


def _width(r):
    return r[1] - r[0]


def _slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in out.split("-") if part)

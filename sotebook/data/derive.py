"""Derived figures: the earlier year's value that a stated change implies.

When a source says 'X fell by 47.4 percent from the year before and is now 19.7 million', the year
before was about 19.7 / (1 − 0.474) million. The metric dictionary's `change_of` relation names the
metric a stated change is about; this step writes the earlier value as a figure of its own, marked
by its `derivation`, with the interval its inputs' intervals allow. It does so only where no source
prints the earlier value: where one does, the reconciliation checks the stated change against it.
Derived figures are derived from printed figures only, never from other derived figures.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sotebook.data.parse import canonical
from sotebook.data.periods import CHANGE_DIRECTIONS
from sotebook.data.reconcile import Figure, value_range

# Kinds of period whose year before is a period of the same kind with a plain name.
_PREVIOUS_PERIOD = {"year": "{year}", "year_end": "{year}-12-31"}
_DIRECTION_WORDS = {"increase": "rise", "decrease": "fall", "": "change"}


@dataclass(frozen=True)
class DerivedFigure:
    source_id: str
    metric_id: str
    year: int
    period: str
    period_kind: str
    basis: str
    value: Decimal
    low: Decimal
    high: Decimal
    qualifier: str
    section: str
    note: str
    derivation: str


def derive(figures: list[Figure], metrics: dict[str, dict]) -> list[DerivedFigure]:
    """The earlier-year figures that the stated changes among `figures` imply and no source prints."""
    primary = {(f.metric_id, f.year, f.source_id): f for f in figures if f.printing == "primary"}
    printed = {(m, y) for (m, y, _s) in primary}
    derived: dict[tuple, DerivedFigure] = {}
    for key in sorted(primary):
        change = primary[key]
        target = metrics[change.metric_id]["change_of"]
        later = _later(primary, target, change)
        if not target or later is None or (target, change.year - 1) in printed:
            continue
        if later.period_kind not in _PREVIOUS_PERIOD or (target, change.year - 1) in derived:
            continue
        relative = metrics[change.metric_id]["unit"] == "percent" and metrics[target]["unit"] != "percent"
        derived[(target, change.year - 1)] = earlier_figure(later, change, relative)
    return list(derived.values())


def _later(primary: dict, target: str, change: Figure) -> Figure | None:
    """The changed metric's figure for the change's year: from the change's own source, else another."""
    same = primary.get((target, change.year, change.source_id))
    if same is not None:
        return same
    others = sorted(s for (m, y, s) in primary if m == target and y == change.year)
    return primary[(target, change.year, others[0])] if others else None


def earlier_figure(later: Figure, change: Figure, relative: bool) -> DerivedFigure:
    """The year before `later`, from the change `change` states (relative: in percent)."""
    sign = CHANGE_DIRECTIONS[change.basis]
    (low_l, high_l), (low_c, high_c) = value_range(later.printed), value_range(change.printed)
    point_l, point_c = later.printed.value, change.printed.value
    if relative:
        factors = sorted((1 + sign * low_c / 100, 1 + sign * high_c / 100))
        low, high = low_l / factors[1], high_l / factors[0]
        point = point_l / (1 + sign * point_c / 100)
        formula = f"{_plain(point_l)} / (1 {'−' if sign < 0 else '+'} {canonical(abs(point_c) / 100)})"
    else:
        steps = sorted((sign * low_c, sign * high_c))
        low, high = low_l - steps[1], high_l - steps[0]
        point = point_l - sign * point_c
        formula = f"{_plain(point_l)} {'+' if sign < 0 else '−'} {_plain(abs(point_c))}"
    value = _rounded(point, 2 * later.printed.half_unit, low, high)
    year = later.year - 1
    return DerivedFigure(
        source_id=change.source_id, metric_id=later.metric_id, year=year,
        period=_PREVIOUS_PERIOD[later.period_kind].format(year=year), period_kind=later.period_kind,
        basis=later.basis, value=value, low=low, high=high,
        qualifier=later.printed.qualifier if not change.printed.qualifier else "about",
        section=change.section,
        note=f"Not printed in any source: derived from the {later.year} figure and the stated change.",
        derivation=(f"{formula} = {_plain(value)}: the {later.year} figure '{later.value_as_printed}' "
                    f"({later.source_id}) and the stated {_DIRECTION_WORDS[change.basis]} "
                    f"'{change.value_as_printed}' from {year} ({change.source_id}, {change.section})"))


def _rounded(value: Decimal, step: Decimal, low: Decimal, high: Decimal) -> Decimal:
    """`value` rounded to the later figure's printed step, or finer where that would leave [low, high]."""
    for _ in range(6):
        rounded = (value / step).to_integral_value() * step
        if low <= rounded <= high:
            return rounded
        step /= 10
    return value


def _plain(value: Decimal) -> str:
    """A number for a derivation: thousands grouped, no spurious decimals."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return canonical(value)

"""A stated change ('fell by 47.4% to just under €19.7 million') gives the year before as a derived figure."""
import csv
from decimal import Decimal

import pytest

from sotebook.data.derive import derive
from sotebook.data.parse import parse_printed
from sotebook.paths import ROOT
from sotebook.data.reconcile import Figure

CLEAN = ROOT / "data" / "clean"
METRICS = {
    "spending": {"unit": "eur", "change_of": ""},
    "spending_fall": {"unit": "eur", "change_of": "spending"},
    "spending_fall_share": {"unit": "percent", "change_of": "spending"},
    "score": {"unit": "nps", "change_of": ""},
    "score_change": {"unit": "nps", "change_of": "score"},
}


def fig(metric, year, printed, basis="", kind="year", source="review", fmt="en"):
    return Figure(source, metric, year, str(year), parse_printed(printed, fmt), printed, "label", "section",
                  "primary", "", None, 1, kind, basis)


def clean_figures():
    with (CLEAN / "figures.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_a_stated_fall_in_euros_gives_the_year_before():
    [earlier] = derive([fig("spending", 2025, "€100"), fig("spending_fall", 2025, "€10", "decrease")], METRICS)
    assert (earlier.metric_id, earlier.year, earlier.period, earlier.value) == ("spending", 2024, "2024", 110)
    assert (earlier.low, earlier.high) == (109, 111)  # both figures' rounding, added up
    assert earlier.derivation.startswith("100 + 10 = 110")


def test_a_stated_percentage_fall_divides():
    [earlier] = derive([fig("spending", 2025, "€19.7 million"), fig("spending_fall_share", 2025, "47.4%", "decrease")],
                       METRICS)
    assert earlier.value == Decimal("37500000")  # 19.7 M / 0.526 = 37.45 M, at the printed precision
    assert earlier.low == Decimal("19650000") / Decimal("0.5265")
    assert earlier.high == Decimal("19750000") / Decimal("0.5255")
    assert "19,700,000 / (1 − 0.474)" in earlier.derivation


def test_a_signed_change_needs_no_direction():
    [earlier] = derive([fig("score", 2024, "64"), fig("score_change", 2024, "+6")], METRICS)
    assert (earlier.year, earlier.value) == (2023, 58)


def test_nothing_is_derived_where_the_earlier_year_is_printed():
    figures = [fig("score", 2024, "64"), fig("score", 2023, "58", source="other"), fig("score_change", 2024, "+6")]
    assert derive(figures, METRICS) == []


def test_nothing_is_derived_from_a_period_that_has_no_plain_year_before():
    assert derive([fig("score", 2024, "64", kind="undated"), fig("score_change", 2024, "+6")], METRICS) == []


def test_the_dataset_derives_agency_spending_2024_and_plastics_2023():
    derived = {(r["metric_id"], r["year"]): r for r in clean_figures() if r["derivation"]}
    assert set(derived) == {("temporary_agency_spending_eur", "2024"), ("plastics_recovered_tonnes", "2023")}
    spending = derived[("temporary_agency_spending_eur", "2024")]
    # 'något under 19,7 miljoner euro' after a fall of 47.4%: at most 19.7 M / 0.5255.
    assert float(spending["value_low"]) < float(spending["value"]) <= float(spending["value_high"])
    assert float(spending["value_high"]) == pytest.approx(19.7e6 / 0.5255, abs=1)
    assert spending["value_as_printed"] == "" and spending["source_id"] == "annual_review_2025"
    assert float(derived[("plastics_recovered_tonnes", "2023")]["value"]) == 98


def test_printed_figures_have_no_derivation_and_an_interval():
    rows = {(r["source_id"], r["metric_id"], r["year"]): r for r in clean_figures()}
    exact = rows[("annual_review_2024", "fire_rescue_assignments", "2024")]
    assert (exact["value_low"], exact["value_high"], exact["derivation"]) == ("7943", "7943", "")
    over = rows[("news_2024", "health_station_visits_total", "2024")]  # 'over 2 million'
    assert (over["value_low"], over["value_high"]) == ("2000000", "")


def _spec(unit, change_of=""):
    return {"unit": unit, "change_of": change_of, "part_of": "", "share_numerator": "", "share_base": "",
            "interval_of": "", "not_above": ""}


@pytest.mark.parametrize("earlier, passes", [("€37.5 million", True), ("€30 million", False)])
def test_a_printed_earlier_year_is_checked_against_a_stated_percentage_fall(earlier, passes):
    from sotebook.data.reconcile import run_checks
    metrics = {"spending": _spec("eur"), "spending_fall_share": _spec("percent", "spending")}
    figures = [fig("spending", 2025, "€19.7 million"), fig("spending", 2024, earlier),
               fig("spending_fall_share", 2025, "47.4%", "decrease")]
    [check] = [c for c in run_checks(figures, metrics) if c.check == "stated_change"]
    assert check.passed is passes, check.explanation
    assert "stated as a decrease" in check.explanation

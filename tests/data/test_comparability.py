"""A change is computed only between figures that measure the same thing over the same kind of period."""
import math

import pandas as pd
import pytest

from sotebook.data import dataset as data
from sotebook.data.comparability import Verdict, change_interval, difference_interval, verdict


@pytest.fixture(scope="module")
def book():
    return data.load()


def figure(metric_id, year, period, kind, basis="", value=1.0):
    return {"metric_id": metric_id, "year": year, "period": period, "period_kind": kind, "basis": basis,
            "value": value, "value_low": value, "value_high": value}


def frame(*rows):
    return pd.DataFrame(list(rows))


def test_sustainable_growth_undated_sum_is_not_compared_with_the_grant(book):
    # The 2024 review's bracketed '€7 million' has no period; the 2025 review's €23,001,000 is the 2023-2025 grant.
    assert verdict(book.metrics, book.best, "sustainable_growth_funding_eur", 2025, 2024) == Verdict(False, "missing", "")
    undated = book.best[book.best.metric_id == "sustainable_growth_funding_undated_eur"].iloc[0]
    assert (undated.year, undated.period_kind) == (2024, "undated")
    grant = book.best[(book.best.metric_id == "sustainable_growth_funding_eur") & (book.best.year == 2025)].iloc[0]
    assert (grant.period_kind, grant.basis) == ("multi_year", "granted")


def test_an_undated_sum_in_the_same_metric_would_still_not_compare(book):
    figures = frame(figure("sustainable_growth_funding_eur", 2024, "2024", "undated"),
                    figure("sustainable_growth_funding_eur", 2025, "2023-2025", "multi_year", "granted"))
    assert verdict(book.metrics, figures, "sustainable_growth_funding_eur", 2025, 2024) == \
        Verdict(False, "period", "undated|multi_year")


def test_residents_autumn_2025_against_an_undated_2024_figure(book):
    assert verdict(book.metrics, book.best, "residents", 2025, 2024) == Verdict(False, "period", "undated|season")


def test_experts_by_experience_total_whose_parts_changed(book):
    # 2025 adds shared services to the three service areas of 2024.
    assert verdict(book.metrics, book.best, "experts_by_experience", 2025, 2024) == \
        Verdict(False, "parts_changed", "experts_by_experience_shared_services")


def test_a_total_with_the_same_parts_compares(book):
    assert verdict(book.metrics, book.best, "staff_total", 2025, 2024) == Verdict(True, "", "")
    assert verdict(book.metrics, book.best, "health_station_nurse_visits", 2025, 2024).comparable


def test_a_december_figure_is_not_a_year(book):
    figures = frame(figure("callback_time_minutes", 2024, "2024", "year"),
                    figure("callback_time_minutes", 2025, "2025-12", "month"))
    assert verdict(book.metrics, figures, "callback_time_minutes", 2025, 2024) == Verdict(False, "period", "year|month")


def test_months_compare_only_with_the_same_month(book):
    december = frame(figure("callback_time_minutes", 2024, "2024-12", "month"),
                     figure("callback_time_minutes", 2025, "2025-12", "month"))
    june = frame(figure("callback_time_minutes", 2024, "2024-06", "month"),
                 figure("callback_time_minutes", 2025, "2025-12", "month"))
    assert verdict(book.metrics, december, "callback_time_minutes", 2025, 2024).comparable
    assert verdict(book.metrics, june, "callback_time_minutes", 2025, 2024) == Verdict(False, "period", "month|month")


def test_periods_of_different_lengths_do_not_compare(book):
    figures = frame(figure("transformation_target_eur", 2024, "2023-2026", "multi_year"),
                    figure("transformation_target_eur", 2025, "2023-2025", "multi_year"))
    assert verdict(book.metrics, figures, "transformation_target_eur", 2025, 2024).reason == "period"


def test_a_running_total_is_never_a_year_on_year_change(book):
    figures = frame(figure("transformation_achieved_eur", 2024, "2023-2024", "cumulative"),
                    figure("transformation_achieved_eur", 2025, "2023-2025", "cumulative"))
    assert verdict(book.metrics, figures, "transformation_achieved_eur", 2025, 2024) == \
        Verdict(False, "period", "cumulative|cumulative")


def test_different_bases_do_not_compare(book):
    figures = frame(figure("staff_turnover_rate", 2024, "2024", "year", "permanent_staff"),
                    figure("staff_turnover_rate", 2025, "2025", "year", "all_staff"))
    assert verdict(book.metrics, figures, "staff_turnover_rate", 2025, 2024) == \
        Verdict(False, "basis", "permanent_staff|all_staff")


def test_series_break(book):
    v = verdict(book.metrics, book.best, "substance_abuse_outpatient_visits", 2025, 2024)
    assert (v.comparable, v.reason) == (False, "series_break")
    assert "clinical addiction care" in v.detail
    # The break is between 2024 and 2025 only: the same metric over two later years would compare.
    later = frame(figure("substance_abuse_outpatient_visits", 2025, "2025", "year"),
                  figure("substance_abuse_outpatient_visits", 2026, "2026", "year"))
    assert verdict(book.metrics, later, "substance_abuse_outpatient_visits", 2026, 2025).comparable


def test_missing_earlier_figure(book):
    assert verdict(book.metrics, book.best, "staff_mean_age", 2025, 2024) == Verdict(False, "missing", "")


def test_change_interval_spans_both_roundings():
    low, high = change_interval(99.5, 100.5, 109.5, 110.5)
    assert low == pytest.approx((109.5 / 100.5 - 1) * 100)
    assert high == pytest.approx((110.5 / 99.5 - 1) * 100)


def test_change_interval_with_an_open_end():
    low, high = change_interval(24e6, math.inf, 28.55e6, 28.65e6)  # 'over 24 million' then 28.6 million
    assert low == pytest.approx(-100)
    assert high == pytest.approx((28.65 / 24 - 1) * 100)


def test_change_interval_needs_a_positive_earlier_value():
    with pytest.raises(ValueError, match="above zero"):
        change_interval(-1, 1, 5, 6)


def test_difference_interval():
    assert difference_interval(57.5, 58.5, 63.5, 64.5) == (5, 7)


def test_the_loaded_figures_carry_what_a_verdict_and_an_interval_need(book):
    over = book.figures[(book.figures.metric_id == "health_station_visits_total") & (book.figures.source_id == "news_2024")].iloc[0]
    assert (over.value_low, over.value_high) == (2e6, math.inf)  # 'over 2 million' has no upper end
    assert {"period_kind", "basis", "derivation"} <= set(book.best.columns)
    assert set(book.facts["explanations"].explains) <= {"change", "result", "level"}

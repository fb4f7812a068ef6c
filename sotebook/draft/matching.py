"""Propose a metric for a figure: its words and section against every label the metric has had, then
its unit and size against the metric's earlier values.

The labels are the metric dictionary's (label_en/fi/sv and the descriptions, data/raw/metrics.csv) and
those the earlier transcriptions printed (label_as_printed and section of data/raw/<source>.csv), in
every language. RapidFuzz scores a figure's words against each (SETTINGS, measured by leave-one-out:
see the README); a metric's score is its best label's, weighted with its best section's, less a
penalty where the unit differs or the value is orders of magnitude away from the metric's earlier ones.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process, utils

from .upstream import METRIC_COLUMNS, RAW_FIGURE_COLUMNS, SOURCE_COLUMNS, ParseError, Problem, parse_printed, read_table

# Averaged: token_set_ratio alone scores a short label inside a long one 100; token_sort_ratio weighs the rest.
@dataclass(frozen=True)
class Settings:
    """How figures are matched: the scorers (averaged), the section's weight, the label sources."""

    scorers: tuple = (fuzz.token_set_ratio, fuzz.token_sort_ratio)
    section_weight: float = 0.1
    printed_labels: bool = True  # the earlier transcriptions' label_as_printed, beside the dictionary's


# Measured by leave-one-out (python -m sotebook.draft evaluate --settings; the README gives the table).
SETTINGS = Settings()
# Below this score a figure matches no metric: it is listed as a candidate for a new metric.
NO_METRIC_BELOW = 50
_DICTIONARY_LABELS = ("label_en", "label_fi", "label_sv", "description", "description_fi", "description_sv")
_MEASURED_UNITS = {"percent", "eur", "days", "minutes", "years", "mwh", "tonnes", "t_co2e"}


@dataclass
class Index:
    """Every label each metric has had, its unit and its earlier values."""

    metric_ids: list[str] = field(default_factory=list)
    units: dict[str, str] = field(default_factory=dict)
    labels: list[tuple[int, str]] = field(default_factory=list)  # (metric position, text)
    sections: list[tuple[int, str]] = field(default_factory=list)
    values: dict[str, list[float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Proposal:
    metric_id: str
    score: float
    runner_up: str
    runner_up_score: float


def build_index(raw: Path, exclude: set[str], settings: Settings = SETTINGS) -> Index:
    """The labels of the dictionary and of every transcription but those in `exclude` (source ids)."""
    problems: list[Problem] = []
    index = Index()
    for row in read_table(raw / "metrics.csv", METRIC_COLUMNS, problems):
        position = len(index.metric_ids)
        index.metric_ids.append(row.values["metric_id"])
        index.units[row.values["metric_id"]] = row.values["unit"]
        index.labels += [(position, row.values[c]) for c in _DICTIONARY_LABELS if row.values[c]]
    positions = {m: i for i, m in enumerate(index.metric_ids)}
    languages = {r.values["source_id"]: r.values["language"]
                 for r in read_table(raw / "sources.csv", SOURCE_COLUMNS, problems)}
    for source_id, language in languages.items():
        path = raw / f"{source_id}.csv"
        if source_id in exclude or not path.exists():
            continue
        for row in read_table(path, RAW_FIGURE_COLUMNS, problems):
            v = row.values
            if v["metric_id"] not in positions:
                continue
            position = positions[v["metric_id"]]
            if settings.printed_labels:
                index.labels.append((position, v["label_as_printed"]))
            index.sections.append((position, v["section"].split(">")[-1]))
            value = _value(v["value_as_printed"], v["number_format"] or language)
            if value is not None:
                index.values.setdefault(v["metric_id"], []).append(value)
    return index


def _value(printed: str, number_format: str) -> float | None:
    try:
        return float(parse_printed(printed, number_format).value)
    except (ParseError, ArithmeticError):
        return None


def _words(text: str) -> str:
    """The words of a label, lower case, without its numbers: a year or a figure names no metric, and a new
    year's labels must match last year's."""
    return " ".join(re.sub(r"\d+", " ", utils.default_process(text)).split())


def _best_per_metric(queries: list[str], choices: list[tuple[int, str]], metrics: int, scorers) -> np.ndarray:
    """scores[q, m]: the best score of query q against any of metric m's texts."""
    best = np.zeros((len(queries), metrics))
    if not queries or not choices:
        return best
    texts = [text for _, text in choices]
    queries, texts = [_words(q) for q in queries], [_words(t) for t in texts]
    matrix = sum(process.cdist(queries, texts, scorer=s, workers=1) for s in scorers) / len(scorers)
    owners = np.array([position for position, _ in choices])
    for column in range(metrics):
        mask = owners == column
        if mask.any():
            best[:, column] = matrix[:, mask].max(axis=1)
    return best


def _penalty(index: Index, metric_id: str, value: Decimal, unit: str) -> float:
    """How much a figure's unit and size speak against the metric."""
    expected = index.units.get(metric_id, "")
    penalty = 0.0
    if unit != expected and (unit in _MEASURED_UNITS or expected in _MEASURED_UNITS):
        penalty += 10 if not unit and expected in ("days", "minutes", "years") else 30
    earlier = [v for v in index.values.get(metric_id, []) if v > 0]
    if earlier and value > 0:
        distance = min(abs(math.log10(float(value)) - math.log10(v)) for v in earlier)
        penalty += min(30.0, 15.0 * max(0.0, distance - 1.0))
    return penalty


def _ranked(index: Index, combined: np.ndarray, figure: dict) -> list[tuple[float, str]]:
    """Every metric with its score for one figure, best first."""
    scores = [(combined[m] - _penalty(index, metric_id, figure["value"], figure["unit"]), metric_id)
              for m, metric_id in enumerate(index.metric_ids)]
    return sorted(scores, reverse=True)


def propose(index: Index, figures: list[dict], settings: Settings = SETTINGS) -> list[Proposal]:
    """A proposal per figure: dicts with 'labels' (alternatives), 'section', 'value', 'unit' and 'key'.

    A source prints a metric's figure for a period once in a section: where two figures of a section
    would get the same metric for the same period ('key'), the better-scored keeps it and the other
    takes its next best."""
    metrics = len(index.metric_ids)
    label_queries = [label for f in figures for label in f["labels"]]
    owners = [i for i, f in enumerate(figures) for _ in f["labels"]]
    by_label = _best_per_metric(label_queries, index.labels, metrics, settings.scorers)
    label_best = np.zeros((len(figures), metrics))
    for row, owner in enumerate(owners):
        label_best[owner] = np.maximum(label_best[owner], by_label[row])
    section_best = _best_per_metric([f["section"] for f in figures], index.sections, metrics, settings.scorers)
    combined = (1 - settings.section_weight) * label_best + settings.section_weight * section_best
    ranked = [_ranked(index, combined[i], f) for i, f in enumerate(figures)]
    taken: set[tuple] = set()
    proposals: list[Proposal | None] = [None] * len(figures)
    for i in sorted(range(len(figures)), key=lambda i: -ranked[i][0][0]):
        free = [(score, m) for score, m in ranked[i] if (m, figures[i]["key"]) not in taken] or ranked[i]
        (first_score, first), (second_score, second) = free[0], free[1]
        taken.add((first, figures[i]["key"]))
        proposals[i] = Proposal(first, round(max(first_score, 0.0), 1), second, round(max(second_score, 0.0), 1))
    return proposals

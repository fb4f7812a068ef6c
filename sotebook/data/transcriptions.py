"""A source's transcription read and checked: every figure of data/raw/<source_id>.csv as printed, parsed in
its source's number format, its year within what the source covers, its period and basis valid, its unit
the metric's, and its value printed in the source's text in the section recorded (its passage)."""
from __future__ import annotations

from pathlib import Path

from sotebook.data import periods, schema
from sotebook.data.document import passages
from sotebook.data.parse import parse_printed, ParseError
from sotebook.data.passages import Found, locate
from sotebook.data.periods import YEARS, is_year, period_problems
from sotebook.data.rawdata import Problem, Row, read_table
from sotebook.data.reconcile import Figure


RESERVED = {"sources.csv", "metrics.csv", "known_discrepancies.csv"}


def read_figures(raw: Path, sources: dict[str, Row], metrics: dict[str, Row],
                  problems: list[Problem]) -> list[Figure]:
    figures: list[Figure] = []
    for extra in sorted(raw.glob("*.csv")):
        if extra.name not in RESERVED and extra.stem not in sources:
            problems.append(Problem(extra, None, None, None,
                                    "is not a source in data/raw/sources.csv (one raw file per source, named <source_id>.csv)"))
    for sid, source in sources.items():
        path = raw / f"{sid}.csv"
        first_primary: dict[tuple, int] = {}
        before = len(problems)
        rows = read_table(path, schema.RAW_FIGURE_COLUMNS, problems)
        if not rows and len(problems) == before:
            problems.append(Problem(path, None, None, None, "has a header and no figures: transcribe the source's "
                                    "figures, or remove it from data/raw/sources.csv"))
        for row in rows:
            figure = _read_figure(path, row, sid, source, metrics, problems)
            if figure is None:
                continue
            if figure.printing == "primary":
                key = (figure.metric_id, figure.year)
                if key in first_primary:
                    problems.append(Problem(path, row.line, "metric_id", figure.metric_id,
                                            f"duplicate row: year {figure.year} already has a primary figure for this "
                                            f"metric in this source at line {first_primary[key]} (mark a repeat as "
                                            "printing 'restatement')"))
                    continue
                first_primary[key] = row.line
            figures.append(figure)
        for f in figures:
            if f.source_id == sid and f.printing == "restatement" and (f.metric_id, f.year) not in first_primary:
                problems.append(Problem(path, f.line, "printing", "restatement",
                                        f"restates a figure that has no primary row ({f.metric_id}, {f.year})"))
    return figures


def _read_figure(path, row: Row, sid, source: Row, metrics, problems) -> Figure | None:
    v = row.values
    language = source.values["language"]
    before = len(problems)
    metric = metrics.get(v["metric_id"])
    if v["metric_id"] and metric is None:
        problems.append(Problem(path, row.line, "metric_id", v["metric_id"], "is not in the metric dictionary (data/raw/metrics.csv)"))
    year = int(v["year"]) if v["year"].isdigit() else None
    if year not in YEARS:
        problems.append(Problem(path, row.line, "year", v["year"], "must be a four-digit year"))
    elif not _covered(year, source):
        problems.append(Problem(path, row.line, "year", v["year"],
                                f"is outside the years {sid} covers ({source.values['covers_from']}-"
                                f"{source.values['covers_to']} in data/raw/sources.csv)"))
    problems += [Problem(path, row.line, "period", v["period"], rule) for rule in period_problems(v["period"])]
    if v["printing"] not in schema.PRINTINGS:
        problems.append(Problem(path, row.line, "printing", v["printing"], f"must be one of {', '.join(schema.PRINTINGS)}"))
    number_format = v["number_format"] or language
    if number_format not in ("en", "sv"):
        problems.append(Problem(path, row.line, "number_format", v["number_format"], "must be 'en', 'sv' or empty"))
        return None
    try:
        printed = parse_printed(v["value_as_printed"], number_format)
    except ParseError as error:
        problems.append(Problem(path, row.line, "value_as_printed", v["value_as_printed"], str(error)))
        return None
    if metric is not None:
        unit = metric.values["unit"]
        if printed.unit and printed.unit != unit:
            problems.append(Problem(path, row.line, "value_as_printed", v["value_as_printed"],
                                    f"is printed in {printed.unit} but {v['metric_id']} is measured in {unit}"))
        if unit in schema.NON_NEGATIVE_UNITS and printed.value < 0:
            problems.append(Problem(path, row.line, "value_as_printed", v["value_as_printed"],
                                    f"must not be negative ({v['metric_id']} is measured in {unit})"))
        if unit in schema.WHOLE_UNITS and printed.value != printed.value.to_integral_value():
            problems.append(Problem(path, row.line, "value_as_printed", v["value_as_printed"],
                                    f"is not a whole number, but {v['metric_id']} is a {unit}"))
        if unit in schema.BOUNDS:
            low, high = schema.BOUNDS[unit]
            if not low <= printed.value <= high:
                problems.append(Problem(path, row.line, "value_as_printed", v["value_as_printed"],
                                        f"is out of range: {unit} values must lie between {low} and {high}"))
    kind, basis = _period_and_basis(path, row, metric, problems)
    if len(problems) > before:
        return None
    return Figure(sid, v["metric_id"], year, v["period"], printed, v["value_as_printed"],
                  v["label_as_printed"], v["section"], v["printing"], v["note"], path, row.line, kind, basis)


def _period_and_basis(path, row: Row, metric: Row | None, problems) -> tuple[str, str]:
    """The figure's period kind and basis, validated (see sotebook/data/periods.py)."""
    is_change = metric is not None and bool(metric.values["change_of"])
    return periods.period_kind(path, row, problems), periods.basis(path, row, is_change, problems)


def _covered(year: int, source: Row) -> bool:
    low, high = source.values["covers_from"], source.values["covers_to"]
    return not (is_year(low) and is_year(high)) or int(low) <= year <= int(high)


def find_passages(figures: list[Figure], sources: dict[str, Row], seeds: dict[str, bytes],
                  problems: list[Problem], what_if: bool = False) -> dict[tuple, Found]:
    """Each figure's passage in its source's text (sotebook/data/passages.py), by (source, line); a value
    the text does not print, or prints only in other sections than the one recorded, is a problem. In a
    what-if (an analyst's edited copy of data/raw, `make chapter DATA=...`) such a value is the point of
    the exercise: it gets no passage instead."""
    documents = {sid: passages(seeds[row.values["seed_file"]].decode("utf-8")) for sid, row in sources.items()}
    found = {}
    for f in figures:
        passage, elsewhere = locate(f.value_as_printed, f.label_as_printed, f.section, documents[f.source_id])
        if passage is not None or what_if:
            found[(f.source_id, f.line)] = passage or Found("", "", 0)
            continue
        seed = sources[f.source_id].values["seed_file"]
        where = (f"only under {'; '.join(repr(s) for s in elsewhere)}, not in the section recorded "
                 f"({f.section!r})") if elsewhere else "nowhere"
        problems.append(Problem(f.path, f.line, "value_as_printed", f.value_as_printed,
                                f"{f.metric_id}: the source's text ({seed}) prints this value {where}: correct the "
                                "value or the section as the source prints them"))
    return found

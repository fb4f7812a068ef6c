"""Build the clean dataset (data/clean/) from the transcriptions (data/raw/) and validate it.

    python -m sotebook.data.clean            # what `make data` runs

Every rule that fails is reported with its file, line, column and value, all at once, and the
command exits non-zero without touching data/clean/. Only when everything passes is the new dataset
written beside the old one and swapped into place, so a reader of data/clean/ never sees half of it.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sotebook.data import schema
from sotebook.data.derive import derive
from sotebook.data.passages import Found
from sotebook.data.periods import YEARS, date_problems, date_range, is_year
from sotebook.data.transcriptions import find_passages, read_figures
from sotebook.data.parse import NUMBER_FORMATS, canonical
from sotebook.paths import CHANGELOG, CLEAN, RAW, SEEDS
from sotebook.data.rawdata import DataError, Problem, Row, read_table
from sotebook.data.reconcile import Check, Figure, run_checks, value_range
from sotebook.data.release import Entry, current_release, sha256

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
EXPLAINS = ("change", "result", "level")


@dataclass
class CleanDataset:
    tables: dict[str, tuple[list, list[list[str]]]] = field(default_factory=dict)  # name -> (columns, rows)
    checks: list[Check] = field(default_factory=list)
    release: Entry | None = None  # the version and date, from data/CHANGELOG.md
    seeds: dict[str, bytes] = field(default_factory=dict)  # seed_file -> the source document's text copy

    def csv_text(self, name: str) -> str:
        columns, rows = self.tables[name]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(schema.names(columns))
        writer.writerows(rows)
        return out.getvalue()


def _load_sources(raw: Path, problems: list[Problem]) -> dict[str, Row]:
    path = raw / "sources.csv"
    sources = {}
    for row in read_table(path, schema.SOURCE_COLUMNS, problems):
        sid = row.values["source_id"]
        if not _ID.match(sid):
            problems.append(Problem(path, row.line, "source_id", sid, "must be a snake_case id"))
        if sid in sources:
            problems.append(Problem(path, row.line, "source_id", sid, f"duplicate source id (first at line {sources[sid].line})"))
        if row.values["language"] not in NUMBER_FORMATS:
            problems.append(Problem(path, row.line, "language", row.values["language"],
                                    f"is not a language the parser reads; supported: {', '.join(NUMBER_FORMATS)}"))
        problems += _covers_problems(path, row)
        sources[sid] = row
    return sources


def _covers_problems(path: Path, row: Row) -> list[Problem]:
    """covers_from and covers_to must be years, in order."""
    found = [Problem(path, row.line, c, row.values[c], "must be a four-digit year")
             for c in ("covers_from", "covers_to") if not is_year(row.values[c])]
    if not found and int(row.values["covers_to"]) < int(row.values["covers_from"]):
        found.append(Problem(path, row.line, "covers_to", row.values["covers_to"],
                             f"is before covers_from {row.values['covers_from']}"))
    return found


def _load_metrics(raw: Path, problems: list[Problem]) -> dict[str, Row]:
    path = raw / "metrics.csv"
    rows = read_table(path, schema.METRIC_COLUMNS, problems)
    metrics: dict[str, Row] = {}
    for row in rows:
        v = row.values
        mid = v["metric_id"]
        if not _ID.match(mid):
            problems.append(Problem(path, row.line, "metric_id", mid, "must be a snake_case id (a-z, 0-9, _)"))
        if mid in metrics:
            problems.append(Problem(path, row.line, "metric_id", mid, f"duplicate metric id (first at line {metrics[mid].line})"))
        if v["unit"] not in schema.UNITS:
            problems.append(Problem(path, row.line, "unit", v["unit"], f"unknown unit; expected one of {', '.join(schema.UNITS)}"))
        if v["category"] not in schema.CATEGORIES:
            problems.append(Problem(path, row.line, "category", v["category"],
                                    f"unknown category; expected one of {', '.join(schema.CATEGORIES)}"))
        if v["series_break_year"] and not (v["series_break_year"].isdigit() and int(v["series_break_year"]) in YEARS):
            problems.append(Problem(path, row.line, "series_break_year", v["series_break_year"], "must be a year"))
        if bool(v["series_break_year"]) != bool(v["series_break_note"]):
            problems.append(Problem(path, row.line, "series_break_note", v["series_break_note"],
                                    "a series break needs both a year and a note"))
        for column in ("series_break_note_fi", "series_break_note_sv"):
            if bool(v[column]) != bool(v["series_break_note"]):
                problems.append(Problem(path, row.line, column, v[column],
                                        "must be given exactly when series_break_note is: "
                                        + ("translate the note" if v["series_break_note"] else "there is no note to translate")))
        if bool(v["share_numerator"]) != bool(v["share_base"]):
            problems.append(Problem(path, row.line, "share_base", v["share_base"], "a share needs both a numerator and a base"))
        if v["share_numerator"] and v["unit"] != "percent":
            problems.append(Problem(path, row.line, "unit", v["unit"], "a share must be measured in percent"))
        _check_role(path, row, problems)
        metrics[mid] = row
    for row in rows:
        for column in ("part_of", "share_numerator", "share_base", "change_of", "interval_of", "not_above"):
            target = row.values[column]
            if target and target not in metrics:
                problems.append(Problem(path, row.line, column, target, "names a metric that is not in the dictionary"))
    return metrics


def _check_role(path: Path, row: Row, problems: list[Problem]) -> None:
    """A role is one the book knows."""
    if row.values["role"] not in schema.ROLES:
        problems.append(Problem(path, row.line, "role", row.values["role"],
                                "must be empty, 'target' or 'definition'"))


def _load_facts(raw: Path, sources, problems) -> dict[str, tuple[list, list[list[str]]]]:
    tables = {}
    for name, columns in schema.FACT_TABLES.items():
        path = raw / "facts" / f"{name}.csv"
        rows = read_table(path, columns, problems)
        for row in rows:
            for cname, ctype, _desc, _req in columns:
                value = row.values[cname]
                if cname == "source_id" and value not in sources:
                    problems.append(Problem(path, row.line, cname, value, "is not a source in data/raw/sources.csv"))
                if cname in ("start", "end") and value:
                    problems += [Problem(path, row.line, cname, value, rule) for rule in date_problems(value)]
                if ctype == "integer" and value and not value.isdigit():
                    problems.append(Problem(path, row.line, cname, value, "must be a whole number"))
            _check_unit_lists(path, row, problems)
            problems += _order_problems(path, row)
        tables[name] = (columns, [[row.values[c[0]] for c in columns] for row in rows])
    return tables


def _read_seeds(raw: Path, sources: dict[str, Row], problems: list[Problem], seeds: Path = SEEDS) -> dict[str, bytes]:
    """The text copy of every source document, so the descriptor can record its hash."""
    found = {}
    for row in sources.values():
        name = row.values["seed_file"]
        path = seeds / name
        if not path.is_file():
            problems.append(Problem(raw / "sources.csv", row.line, "seed_file", name,
                                    f"the source document {path} is missing: the text copies of the sources live "
                                    "beside the project in ../shared/seeds (or set SOTEBOOK_SEEDS to their folder)"))
            continue
        found[name] = path.read_bytes()
    return found


def _release(problems: list[Problem]) -> Entry | None:
    try:
        return current_release(CHANGELOG)
    except DataError as error:
        problems.extend(error.problems)
        return None


def _check_unit_lists(path: Path, row: Row, problems) -> None:
    """A department's units are listed once per language, in the same order: the lists must be as long."""
    lists = {c: [u for u in v.split(";") if u.strip()] for c, v in row.values.items() if c.startswith("units_") and v}
    if "units_sv" not in lists:
        return
    for column, units in lists.items():
        if len(units) != len(lists["units_sv"]):
            problems.append(Problem(path, row.line, column, row.values[column],
                                    f"lists {len(units)} units but units_sv lists {len(lists['units_sv'])}: "
                                    "give every language the same units, in the same order, separated by ';'"))


def _order_problems(path: Path, row: Row) -> list[Problem]:
    """A fact's end must not come before its start."""
    start, end = row.values.get("start", ""), row.values.get("end", "")
    if not (start and end) or date_problems(start) or date_problems(end):
        return []
    if date_range(end)[1] < date_range(start)[0]:
        return [Problem(path, row.line, "end", end, f"is before the start {start}")]
    return []


def _load_known(raw: Path, problems) -> dict[str, Row]:
    path = raw / "known_discrepancies.csv"
    known = {}
    for row in read_table(path, schema.KNOWN_DISCREPANCY_COLUMNS, problems):
        cid = row.values["check_id"]
        if cid in known:
            problems.append(Problem(path, row.line, "check_id", cid, f"listed twice (first at line {known[cid].line})"))
        known[cid] = row
    return known


def build(raw: Path = RAW, what_if: bool = False) -> CleanDataset:
    """Read and validate data/raw/, run the reconciliation, return the clean tables; raise DataError. A
    what-if (an analyst's edited copy of data/raw) may hold values its sources do not print."""
    problems: list[Problem] = []
    sources = _load_sources(raw, problems)
    metrics = _load_metrics(raw, problems)
    figures = read_figures(raw, sources, metrics, problems)
    facts = _load_facts(raw, sources, problems)
    _check_headings(raw, sources, figures, facts, problems)
    _check_explanations(raw, metrics, problems)
    known = _load_known(raw, problems)
    seeds = _read_seeds(raw, sources, problems)
    release = _release(problems)
    if problems:
        raise DataError(problems)
    found = find_passages(figures, sources, seeds, problems, what_if)  # reported with the reconciliation's

    metric_specs = {mid: row.values for mid, row in metrics.items()}
    checks = run_checks(figures, metric_specs)
    known_path = raw / "known_discrepancies.csv"
    by_id = {c.check_id: c for c in checks}
    last_good = _printed_before(CLEAN)
    for check in checks:
        if not check.passed and check.check_id not in known:
            problems.append(_check_problem(check, figures, last_good))
    for cid, row in known.items():
        if cid in by_id and not by_id[cid].passed:
            problems += _pin_problems(known_path, row, by_id[cid])
        if cid not in by_id:
            problems.append(Problem(known_path, row.line, "check_id", cid, "names no check that was run"))
        elif by_id[cid].passed:
            problems.append(Problem(known_path, row.line, "check_id", cid,
                                    "this check now passes: remove the stale known discrepancy"))
    if problems:
        raise DataError(problems)

    dataset = CleanDataset(checks=checks, release=release, seeds=seeds)
    dataset.tables["sources"] = (schema.SOURCE_COLUMNS, [[r.values[c[0]] for c in schema.SOURCE_COLUMNS] for r in sources.values()])
    dataset.tables["metrics"] = (schema.METRIC_COLUMNS, [[r.values[c[0]] for c in schema.METRIC_COLUMNS] for r in metrics.values()])
    dataset.tables["figures"] = (schema.FIGURE_COLUMNS, _figure_rows(figures, metric_specs, found))
    dataset.tables["reconciliation"] = (schema.RECONCILIATION_COLUMNS, [
        [c.check_id, c.check, c.metric_id, str(c.year), c.source_id, c.compared_with, c.printed,
         _bound(c.expected_low), _bound(c.expected_high),
         "pass" if c.passed else "known discrepancy",
         c.explanation if c.passed else f"{c.explanation} {known[c.check_id].values['explanation']}",
         *_known_explanations(known.get(c.check_id) if not c.passed else None)]
        for c in checks])
    dataset.tables.update(facts)
    return dataset


def _check_headings(raw: Path, sources: dict[str, Row], figures, facts, problems: list[Problem]) -> None:
    """Every heading a section names, in any table, has its row in facts/headings.csv, once, and that row
    gives the heading as printed in the column of its source's language: the book quotes it in each edition."""
    path = raw / "facts" / "headings.csv"
    columns, rows = facts.get("headings", ([], []))
    names = [c[0] for c in columns]
    known: dict[tuple[str, str], int] = {}
    for line, row in enumerate(rows, 2):
        values = dict(zip(names, row))
        key = (values["source_id"], values["heading"])
        if key in known:
            problems.append(Problem(path, line, "heading", key[1], f"is given twice for {key[0]} (first on line {known[key]})"))
        known.setdefault(key, line)
        language = sources[key[0]].values["language"] if key[0] in sources else ""
        column = f"heading_{language}"
        if column in values and values[column] != key[1]:
            problems.append(Problem(path, line, column, values[column], f"must be the heading as printed, {key[1]!r}: "
                                    f"the source is in {language}"))
    used = [(f.path, f.line, f.source_id, f.section) for f in figures]
    for name, (table_columns, table_rows) in facts.items():
        names_ = [c[0] for c in table_columns]
        if name != "headings" and "section" in names_:
            used += [(raw / "facts" / f"{name}.csv", i, dict(zip(names_, r))["source_id"], dict(zip(names_, r))["section"])
                     for i, r in enumerate(table_rows, 2)]
    for where, line, source_id, section in used:
        for heading in schema.section_headings(section):
            if (source_id, heading) not in known:
                problems.append(Problem(where, line, "section", section, f"heading {heading!r} of {source_id} has no row "
                                        "in data/raw/facts/headings.csv: add it with its English, Finnish and Swedish"))
                known[(source_id, heading)] = 0  # named once


def _known_explanations(row: Row | None) -> list[str]:
    """Why a known discrepancy stands, in English, Finnish and Swedish; empty for a check that passes."""
    return [row.values[c] if row else "" for c in ("explanation", "explanation_fi", "explanation_sv")]


def _check_explanations(raw: Path, metrics: dict[str, Row], problems) -> None:
    """Each explanation has an id of its own and names a metric of the dictionary, a year and what it explains."""
    path = raw / "facts" / "explanations.csv"
    first: dict[str, int] = {}
    for row in read_table(path, schema.FACT_TABLES["explanations"], []):  # header problems: _load_facts
        v = row.values
        if not _ID.match(v["explanation_id"]):
            problems.append(Problem(path, row.line, "explanation_id", v["explanation_id"], "must be a snake_case id (a-z, 0-9, _)"))
        elif v["explanation_id"] in first:
            problems.append(Problem(path, row.line, "explanation_id", v["explanation_id"],
                                    f"duplicate explanation id (first at line {first[v['explanation_id']]})"))
        first.setdefault(v["explanation_id"], row.line)
        if v["metric_id"] not in metrics:
            problems.append(Problem(path, row.line, "metric_id", v["metric_id"], "is not in the metric dictionary (data/raw/metrics.csv)"))
        if v["explains"] not in EXPLAINS:
            problems.append(Problem(path, row.line, "explains", v["explains"], f"must be one of {', '.join(EXPLAINS)}"))
        if not (v["year"].isdigit() and int(v["year"]) in YEARS):
            problems.append(Problem(path, row.line, "year", v["year"], "must be a four-digit year"))


def _interval(figure: Figure, metrics: dict[str, dict]) -> tuple:
    """The values a printed figure allows. A count printed to the last unit is exact: things are counted
    whole, so '15 638' people is not 15 637.5 to 15 638.5 (rounded counts, '15 600', keep their range)."""
    low, high = value_range(figure.printed)
    return (figure.printed.value, figure.printed.value) if _exact(figure, metrics) else (low, high)


def _exact(figure: Figure, metrics: dict[str, dict]) -> bool:
    """Whole counts and scores printed without a qualifier are exact: '1 840' clients (one trailing zero is
    a count, not a rounding; '1 300' and '675 000' stay rounded) and a net promoter score of 64."""
    printed, unit = figure.printed, metrics[figure.metric_id]["unit"]
    if printed.qualifier or printed.value != printed.value.to_integral_value():
        return False
    if unit == "nps":
        return True
    return unit == "count" and printed.half_unit in (Decimal("0.5"), Decimal("5"))


def _figure_rows(figures: list[Figure], metrics: dict[str, dict], found: dict[tuple, Found]) -> list[list[str]]:
    """The clean figures table: every primary figure and every figure derived from a stated change, in order."""
    primary = [f for f in figures if f.printing == "primary"]
    rows = [[f.source_id, f.metric_id, str(f.year), f.period, f.period_kind, canonical(f.printed.value),
             *(_bound(b) for b in _interval(f, metrics)), metrics[f.metric_id]["unit"], f.basis,
             f.printed.qualifier, f.value_as_printed, f.label_as_printed, f.section,
             found[(f.source_id, f.line)].passage, found[(f.source_id, f.line)].section, f.note, ""] for f in primary]
    rows += [[d.source_id, d.metric_id, str(d.year), d.period, d.period_kind, canonical(d.value), _bound(d.low),
              _bound(d.high), metrics[d.metric_id]["unit"], d.basis, d.qualifier, "", "", d.section, "", "", d.note,
              d.derivation] for d in derive(figures, metrics)]
    return sorted(rows, key=lambda r: (r[1], int(r[2]), r[0]))


def _printed_before(clean: Path) -> dict[tuple, str]:
    """(source, metric, year) -> value as printed in the last good dataset; empty if there is none."""
    try:
        with (clean / "figures.csv").open(encoding="utf-8", newline="") as handle:
            return {(r["source_id"], r["metric_id"], r["year"]): r["value_as_printed"] for r in csv.DictReader(handle)}
    except (OSError, KeyError, csv.Error):
        return {}


def _check_problem(check: Check, figures: list[Figure], last_good: dict[tuple, str]) -> Problem:
    """A failed check, reported at the figure that changed since the last good dataset when that is the other one."""
    fix = "Fix the transcription, or document the discrepancy in data/raw/known_discrepancies.csv"
    other = next((f for f in figures if check.check == "cross_source" and f.printing == "primary"
                  and (f.source_id, f.metric_id, f.year) == (check.compared_with, check.metric_id, check.year)), None)
    if other is not None and _changed(other, last_good) and not _changed(check.figure, last_good):
        return Problem(other.path, other.line, "value_as_printed", other.value_as_printed,
                       f"changed since the last good dataset and now fails the {check.check} check {check.check_id} "
                       f"against {_where(check.figure)}: {check.explanation} {fix}")
    where = f" against {_where(other)}" if other is not None else ""
    return Problem(check.figure.path, check.figure.line, "value_as_printed", check.printed,
                   f"fails the {check.check} check {check.check_id}{where}: {check.explanation} {fix}")


def _changed(figure: Figure, last_good: dict[tuple, str]) -> bool:
    key = (figure.source_id, figure.metric_id, str(figure.year))
    return key in last_good and last_good[key] != figure.value_as_printed


def _where(figure: Figure) -> str:
    return f"{Path(figure.path).name} line {figure.line}"


def _pin_problems(path: Path, row: Row, check: Check) -> list[Problem]:
    """A known discrepancy explains the figures it was written for, not whatever they become."""
    now = {"printed": check.printed, "expected_low": _bound(check.expected_low),
           "expected_high": _bound(check.expected_high)}
    return [Problem(path, row.line, column, row.values[column],
                    f"the known discrepancy {check.check_id} was explained for {column} {row.values[column]!r}, "
                    f"but it is now {value!r} ({check.figure.path.name} line {check.figure.line}): check the "
                    "figures, and if the explanation still holds, update this row")
            for column, value in now.items() if row.values[column] != value]


def _bound(value: Decimal) -> str:
    """A range bound for the report: empty for an open end, at most four decimals."""
    if value.is_infinite():
        return ""
    return canonical(value.quantize(Decimal("0.0001")) if value.as_tuple().exponent < -4 else value)


def datapackage(dataset: CleanDataset) -> dict:
    """A Frictionless Data Package descriptor for the clean tables, with each table's size and hash."""
    resources = []
    for name, (columns, _rows) in dataset.tables.items():
        data = dataset.csv_text(name).encode("utf-8")
        fields = []
        for cname, ctype, description, required in columns:
            spec = {"name": cname, "type": ctype, "description": description}
            if required:
                spec["constraints"] = {"required": True}
            fields.append(spec)
        table_schema = {"fields": fields, "missingValues": [""]}
        if name == "figures":
            table_schema["primaryKey"] = ["metric_id", "year", "source_id"]
            table_schema["foreignKeys"] = [
                {"fields": "metric_id", "reference": {"resource": "metrics", "fields": "metric_id"}},
                {"fields": "source_id", "reference": {"resource": "sources", "fields": "source_id"}},
            ]
        elif name in ("metrics", "sources", "reconciliation"):
            table_schema["primaryKey"] = [columns[0][0]]
        resources.append({
            "name": name, "path": f"{name}.csv", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "bytes": len(data), "hash": sha256(data), "schema": table_schema,
        })
    return {
        "name": "helsinki-sote-annual-book",
        "title": "Helsinki Social Services, Health Care and Rescue Services Division: figures from the annual reviews",
        "description": f"Every figure of the {len(dataset.tables['sources'][1])} source documents listed under `sources`, "
                       "transcribed as printed, parsed, harmonised into one metric dictionary and reconciled. "
                       "Built by `make data` from data/raw/; do not edit by hand.",
        "version": dataset.release.version,
        "created": dataset.release.created,
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                      "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "sources": [_source(row, dataset.seeds) for row in dataset.tables["sources"][1]],
        "resources": resources,
    }


def _source(row: list[str], seeds: dict[str, bytes]) -> dict:
    """A source of the package: its title, the file name of its text copy in ../shared/seeds and that copy's size and hash."""
    values = dict(zip(schema.names(schema.SOURCE_COLUMNS), row))
    seed = seeds[values["seed_file"]]
    return {"title": values["title"], "path": values["seed_file"], "bytes": len(seed), "hash": sha256(seed)}


def write(dataset: CleanDataset, out: Path = CLEAN) -> bool:
    """Write beside `out`, then swap it into place: readers see the old dataset or the new one, never half.

    Returns False, touching nothing, when `out` already holds exactly this dataset."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    retired = out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        for name in dataset.tables:
            (staging / f"{name}.csv").write_text(dataset.csv_text(name), encoding="utf-8")
        (staging / "datapackage.json").write_text(
            json.dumps(datapackage(dataset), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if _same_files(staging, out):
            return False  # unchanged: keep the files and their timestamps, so nothing downstream rebuilds
        if out.exists():
            os.rename(out, retired)
        try:
            os.rename(staging, out)
        except OSError:
            if retired.exists():
                os.rename(retired, out)  # put the last good dataset back
            raise
        return True
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(retired, ignore_errors=True)


def _same_files(new: Path, old: Path) -> bool:
    if not old.is_dir():
        return False
    names = sorted(p.name for p in new.iterdir())
    return names == sorted(p.name for p in old.iterdir()) and all(
        (new / name).read_bytes() == (old / name).read_bytes() for name in names)


def summary(dataset: CleanDataset) -> str:
    figures = len(dataset.tables["figures"][1])
    metrics = len(dataset.tables["metrics"][1])
    known = sum(1 for c in dataset.checks if not c.passed)
    return (f"{figures} figures of {metrics} metrics; {len(dataset.checks)} reconciliation checks: "
            f"{len(dataset.checks) - known} pass, {known} known discrepancies")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sotebook.data.clean", description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=RAW, help="folder of the transcriptions (default data/raw)")
    parser.add_argument("--out", type=Path, default=CLEAN, help="folder of the clean dataset (default data/clean)")
    args = parser.parse_args(argv)
    try:
        dataset = build(args.raw)
    except DataError as error:
        print(f"make data: {error}", file=sys.stderr)
        print(f"make data: nothing was written; {args.out} is unchanged.", file=sys.stderr)
        return 1
    try:
        verb = "wrote" if write(dataset, args.out) else "unchanged"
    except OSError as error:
        print(f"make data: cannot write {error.filename or args.out} ({error.strerror}): make the folder "
              f"writable and run again; {args.out} is unchanged.", file=sys.stderr)
        return 1
    print(f"make data: {verb} {args.out}: {summary(dataset)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

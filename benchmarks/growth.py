"""How the build grows with the years: a book of 3, 10 and 20 years (the real three, then synthetic ones), three
editions, each built cold in a temporary copy, then one more year added.

    .venv/bin/python benchmarks/bench.py --only growth            # 3, 10 and 20 years
    .venv/bin/python benchmarks/bench.py --only growth --years 3 20

A synthetic year Y is the 2025 review's own figures for 2025 (its primary printing), moved to Y: the periods and
notes say Y, every value's last digit is changed by an amount that depends on Y (1 679 689 becomes 1 679 690 in
2026, 1 679 691 in 2027, ...), and the figures that other figures check (parts and totals, shares, stated
changes, intervals, limits) are left out, so that the reconciliation holds without explanations. Each synthetic
year gets its own source document, written beside the copy (a list of its figures under one heading, which is
what `make data` needs to find each figure's passage), and a row in data/raw/sources.csv.

For each size it reports: the cold build (data + `notebooks --force`, which builds the site too), its time per
notebook, the time to add one more year (data + `notebooks`, as `make book` runs them), the notebooks that
executed and the HTML files that adding the year rewrote.
"""
from __future__ import annotations

import csv
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

REAL_YEARS = [2023, 2024, 2025]
TEMPLATE_SOURCE = "annual_review_2025"
RELATIONS = ("part_of", "share_numerator", "share_base", "change_of", "interval_of", "not_above")
PER_NOTEBOOK_SPREAD = 0.25  # issue 24: the cold build's time per notebook within ±25% from 3 to 20 years


@dataclass
class Size:
    years: int
    cold: float
    cold_steps: dict[str, float]
    cold_cpu: float  # user + system seconds of the cold build's commands and their children
    notebooks: int
    add: float
    added_year: int
    executed: list[str]
    rewritten: list[str]
    pages: int

    @property
    def per_notebook(self) -> float:
        return self.cold / self.notebooks

    @property
    def cpu_per_notebook(self) -> float:
        return self.cold_cpu / self.notebooks


def related_metrics(root: Path) -> set[str]:
    """Metrics that a reconciliation check relates to another: left out of the synthetic years."""
    with (root / "data" / "raw" / "metrics.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    related = set()
    for row in rows:
        for column in RELATIONS:
            if row.get(column):
                related |= {row["metric_id"], *row[column].split(";")}
    return related


def _shift_years(text: str, delta: int) -> str:
    return re.sub(r"\b(20\d\d)\b", lambda m: str(int(m.group(1)) + delta), text)


def _changed(printed: str, year: int) -> str | None:
    """The printed value with its last digit moved by an amount that depends on the year; None if it has none."""
    match = re.search(r"(\d)(\D*)$", printed)
    if not match:
        return None
    digit = (int(match.group(1)) + (year - 2025)) % 10
    return printed[:match.start(1)] + str(digit) + match.group(2)


def add_synthetic_year(root: Path, seeds: Path, year: int) -> int:
    """Write a synthetic review for `year` into the copy `root` (and its source text into `seeds`); returns
    how many figures it has."""
    related = related_metrics(root)
    with (root / "data" / "raw" / f"{TEMPLATE_SOURCE}.csv").open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames
        template = [r for r in reader if r["year"] == "2025" and r["printing"] == "primary"
                    and r["metric_id"] not in related and not r["basis"] in ("increase", "decrease")]
    delta = year - 2025
    source_id = f"annual_review_{year}"
    rows, lines = [], []
    for row in template:
        printed = _changed(row["value_as_printed"], year)
        if printed is None:
            continue
        label = row["metric_id"].replace("_", " ")
        rows.append({**row, "year": str(year), "period": _shift_years(row["period"], delta), "value_as_printed": printed,
                     "label_as_printed": label, "section": "Syntetisk", "note": _shift_years(row["note"], delta)})
        lines.append(f"{label}: {printed}.")
    seed = f"9{year}_synthetic.txt"
    (seeds / seed).write_text(f"# Syntetisk\n\nA synthetic review of {year} for the growth benchmark.\n\n"
                              + "\n\n".join(lines) + "\n", encoding="utf-8")
    with (root / "data" / "raw" / f"{source_id}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    sources = root / "data" / "raw" / "sources.csv"
    with sources.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames
        model = next(r for r in reader if r["source_id"] == TEMPLATE_SOURCE)
    row = {**model, "source_id": source_id, "title": f"Syntetisk årsöversikt {year}", "covers": str(year),
           "covers_from": str(year), "covers_to": str(year), "seed_file": seed,
           "attribution": "Synthetic source of the growth benchmark", "not_transcribed": "None",
           "covers_fi": f"vuosi {year}", "covers_sv": f"år {year}", "attribution_fi": "Synteettinen lähde",
           "attribution_sv": "Syntetisk källa", "not_transcribed_fi": "Ei mitään", "not_transcribed_sv": "Inga",
           "title_en": f"Synthetic annual review {year}", "title_fi": f"Synteettinen vuosikatsaus {year}",
           "title_sv": f"Syntetisk årsöversikt {year}"}
    with sources.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, columns, lineterminator="\n").writerow(row)
    # Every heading a figure is transcribed under has its row in every language (data/raw/facts/headings.csv); the
    # model source is Swedish, so the heading is printed in Swedish and stands as printed in the Swedish column.
    with (root / "data" / "raw" / "facts" / "headings.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow([source_id, "Syntetisk", "Synthetic", "Synteettinen", "Syntetisk"])
    return len(rows)


def measure(bench, env, python: Path, snapshot: Path, work: Path, years: int) -> Size:
    """A book of `years` years built cold in a copy, then one more year added."""
    root = bench.copy_repo(snapshot, work / f"years-{years}")
    bench.remove_build_state(root)
    seeds = bench.bench_seeds(root)
    shutil.copytree(bench.SEEDS, seeds)
    synthetic = list(range(REAL_YEARS[-1] + 1, REAL_YEARS[-1] + 1 + years - len(REAL_YEARS)))
    for year in synthetic:
        add_synthetic_year(root, seeds, year)
    commands = bench.BuildCommands(python)
    bench.say(f"{years} years ({REAL_YEARS[0]}–{REAL_YEARS[-1] + len(synthetic)}): cold build ...")
    cold = bench.our_build(env, commands, root, "cold", years)
    bench.say(f"{years} years: cold build {bench.fmt_s(cold.total)}, {len(cold.executed)} notebooks")
    added = REAL_YEARS[-1] + len(synthetic) + 1
    add_synthetic_year(root, seeds, added)
    bench.say(f"{years} years: adding {added} ...")
    add = bench.our_build(env, commands, root, "add", years)
    bench.say(f"{years} years: adding {added} took {bench.fmt_s(add.total)}; executed {', '.join(add.executed)}")
    return Size(years, cold.total, cold.steps, sum(cold.cpu.values()), len(cold.executed), add.total, added, add.executed,
                add.pages_written, add.pages_total)


def expected_when_adding(size: Size, langs: list[str], every_year: list[str]) -> tuple[bool, str]:
    """Adding a year executes, in every edition, its chapter and the pages that show every year, and nothing else."""
    allowed = {f"{lang}/year_{size.added_year}" for lang in langs} | {f"{lang}/{page}" for lang in langs for page in every_year}
    must = {f"{lang}/year_{size.added_year}" for lang in langs}
    extra = sorted(set(size.executed) - allowed)
    missing = sorted(must - set(size.executed))
    words = ([f"also executed {', '.join(extra)}"] if extra else []) + ([f"did not execute {', '.join(missing)}"] if missing else [])
    return not extra and not missing, "; ".join(words)


def report(bench, sizes: list[Size], langs: list[str], every_year: list[str]) -> str:
    out = [f"### Growth with the years ({time.strftime('%Y-%m-%d')}, {len(langs)} editions: {', '.join(langs)})", ""]
    rows = []
    for s in sizes:
        ok, wrong = expected_when_adding(s, langs, every_year)
        rows.append([str(s.years), str(s.notebooks), bench.fmt_s(s.cold),
                     f"{s.cold_steps.get('notebooks + site', float('nan')):.1f} s", f"{s.per_notebook:.2f} s",
                     f"{s.cold_cpu:.1f} s / {s.cpu_per_notebook:.2f} s",
                     bench.fmt_s(s.add), f"{len(s.executed)}: {bench.by_edition(s.executed, langs)}"
                     + (f" ({wrong})" if wrong else ""),
                     f"{len(s.rewritten)} of {s.pages}", bench.verdict(ok)])
    out.append(bench.table(["years", "notebooks", "cold build", "of which notebooks + site", "per notebook",
                            "CPU: cold build / per notebook",
                            "adding one more year", "notebooks that adding it executed", "HTML files it rewrote",
                            "executes only the new year and the every-year pages"], rows))
    out.append("")
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        spread = last.per_notebook / first.per_notebook - 1
        cpu_spread = last.cpu_per_notebook / first.cpu_per_notebook - 1
        out.append(f"Time per notebook from {first.years} to {last.years} years: {first.per_notebook:.2f} s → "
                   f"{last.per_notebook:.2f} s ({spread:+.0%}; target within ±{PER_NOTEBOOK_SPREAD:.0%}: "
                   f"{bench.verdict(abs(spread) <= PER_NOTEBOOK_SPREAD)}); CPU time per notebook "
                   f"{first.cpu_per_notebook:.2f} s → {last.cpu_per_notebook:.2f} s ({cpu_spread:+.0%}: "
                   f"{bench.verdict(abs(cpu_spread) <= PER_NOTEBOOK_SPREAD)}; less sensitive to other load on the machine).")
        per_year = [(b.cold - a.cold) / (b.years - a.years) for a, b in zip(sizes, sizes[1:])]
        out.append("Each further year adds to the cold build: " + ", ".join(
            f"{bench.fmt_s(p)} ({a.years}→{b.years} years; {bench.fmt_s(p / len(langs))} per edition)"
            for p, a, b in zip(per_year, sizes, sizes[1:])) + ".")
        out.append("")
    for s in sizes:
        out.append(f"HTML files rewritten when {s.added_year} was added to the {s.years}-year book: "
                   + (", ".join(s.rewritten) or "none"))
    return "\n".join(out)

"""Read the hand-made CSV files under data/raw/, keeping line numbers for error messages."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .paths import ROOT


@dataclass(frozen=True)
class Problem:
    """One broken rule in one place of a raw file."""

    path: Path
    line: int | None
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        where = _display(self.path)
        if self.line is not None:
            where += f" line {self.line}"
        if self.column is not None:
            where += f", column {self.column}"
        value = f": value {self.value!r}" if self.value is not None else ""
        return f"{where}{value}: {self.rule}"


class DataError(Exception):
    """The raw data broke one or more rules; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = [str(p) for p in problems]
        super().__init__(f"{len(problems)} problem(s) in the raw data:\n  " + "\n  ".join(lines))


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]


def read_table(path: Path, columns: list[tuple], problems: list[Problem]) -> list[Row]:
    """Rows of a raw CSV file whose header must be exactly `columns`; problems are appended, not raised."""
    expected = [c[0] for c in columns]
    required = [c[0] for c in columns if c[3]]
    if not path.exists():
        problems.append(Problem(path, None, None, None, "file is missing"))
        return []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            records = [(reader.line_num, record) for record in reader]
    except (UnicodeDecodeError, csv.Error) as error:
        problems.append(Problem(path, None, None, None, f"cannot be read as UTF-8 CSV ({error})"))
        return []
    if not records:
        problems.append(Problem(path, None, None, None, "file is empty; expected a header line"))
        return []
    header = records[0][1]
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    if missing or extra:
        for name in missing:
            problems.append(Problem(path, 1, name, None, f"column is missing; expected columns {', '.join(expected)}"))
        for name in extra:
            problems.append(Problem(path, 1, name, None, f"unexpected column; expected columns {', '.join(expected)}"))
        return []
    rows = []
    for line, record in records[1:]:
        if not any(field.strip() for field in record):
            continue
        if len(record) != len(header):
            problems.append(Problem(path, line, None, None,
                                    f"has {len(record)} fields, expected {len(header)} "
                                    "(a comma inside a value needs double quotes)"))
            continue
        values = {name: field.strip() for name, field in zip(header, record)}
        for name in required:
            if not values[name]:
                problems.append(Problem(path, line, name, "", "must not be empty"))
        rows.append(Row(line, values))
    return rows

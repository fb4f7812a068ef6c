"""Read the hand-made CSV files under data/raw/, keeping line numbers for error messages."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from sotebook.errors import ProjectError
from sotebook.paths import ROOT


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


class DataError(ProjectError):
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


# A text cell starting with one of these is run as a formula by a spreadsheet (OWASP "CSV injection"). A
# printed label never needs to start so, so make data rejects it rather than rewrite it: data/clean/ and
# the release zip hold what was transcribed, exactly. A printed number's sign ("+6") is the exception: the
# parser reads it as a number, and the site's downloads still neutralise it (sotebook/data/publish.py).
FORMULA_START = ("=", "+", "-", "@")
PRINTED_NUMBERS = frozenset({"value_as_printed", "printed"})


def formula_problems(path: Path, line: int, columns: list[tuple], values: dict[str, str]) -> list[Problem]:
    """The text cells of a row that a spreadsheet would run as a formula."""
    return [Problem(path, line, name, values[name],
                    f"starts with {values[name][0]!r}, which a spreadsheet runs as a formula: a label never needs to "
                    "(reword it, or put the sign after the first word)")
            for name, kind, *_ in columns
            if kind == "string" and name not in PRINTED_NUMBERS and values.get(name, "").startswith(FORMULA_START)]


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]


class _Unreadable(Exception):
    def __init__(self, line: int | None, rule: str):
        super().__init__(rule)
        self.line, self.rule = line, rule


def _records(path: Path) -> list[tuple[int, list[str]]]:
    """(first line, fields) of every record; a byte-order mark is accepted, a broken file named by line."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _Unreadable(None, f"cannot be read ({error.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = error.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line = data[:start].count(b"\n") + 1
        raise _Unreadable(line, f"is not UTF-8 (byte {data[start:start + 1].hex()} on this line): "
                                "save the file as UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records, first = [], 1
    try:
        for record in reader:
            if reader.line_num > first and any("\n" in field or "\r" in field for field in record):
                raise _Unreadable(first, "a double quote opens on this line and is not closed on it "
                                         "(values may not span lines)")
            records.append((first, record))
            first = reader.line_num + 1
    except csv.Error as error:
        raise _Unreadable(first, f"a double quote opens on this line and is not closed ({error})") from None
    return records


def read_table(path: Path, columns: list[tuple], problems: list[Problem]) -> list[Row]:
    """Rows of a raw CSV file whose header must be exactly `columns`; problems are appended, not raised."""
    expected = [c[0] for c in columns]
    required = [c[0] for c in columns if c[3]]
    if not path.exists():
        problems.append(Problem(path, None, None, None, "file is missing"))
        return []
    try:
        records = _records(path)
    except _Unreadable as error:
        problems.append(Problem(path, error.line, None, None, error.rule))
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
        problems += formula_problems(path, line, columns, values)
        rows.append(Row(line, values))
    return rows

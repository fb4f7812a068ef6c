"""The draft file: written atomically, read back with every row checked before anything moves."""
from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from .source import DraftError
from .upstream import RAW_FIGURE_COLUMNS, ParseError, Problem, derived_kind, parse_printed, read_table

STATUSES = ("accept", "change", "skip")
RAW_COLUMNS = [c[0] for c in RAW_FIGURE_COLUMNS]
# The person's decision first, then the proposal, then the raw transcription's columns, then where it stands.
DRAFT_COLUMNS = ["status", "metric_id", "score", "runner_up", "runner_up_score",
                 *[c for c in RAW_COLUMNS if c != "metric_id"], "line"]
_DRAFT_SPEC = [(name, "string", "", False) for name in DRAFT_COLUMNS]


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    """Write the CSV whole or not at all: a temporary file beside it, then renamed over it."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    write_text(path, buffer.getvalue())


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _row_problem(values: dict[str, str], metrics: set[str], language: str) -> tuple[str, str] | None:
    """(column, what is wrong) for a reviewed row, or None."""
    status = values["status"].lower()
    if status not in STATUSES:
        return "status", (f"status {values['status']!r} is not one of {', '.join(STATUSES)}" if status else
                          "status is empty: review the row (accept, change or skip)")
    if status == "skip":
        return None
    if values["metric_id"] not in metrics:
        return "metric_id", (f"metric_id {values['metric_id']!r} is not in data/raw/metrics.csv: choose one "
                             "that is, or add the new metric there first")
    for name in ("year", "period", "value_as_printed", "label_as_printed", "section", "printing"):
        if not values[name]:
            return name, f"{name} is empty"
    if not values["year"].isdigit():
        return "year", f"year {values['year']!r} is not a year"
    if derived_kind(values["period"]) is None:
        return "period", (f"period {values['period']!r} is not a form the data step reads (YYYY, YYYY-12-31, "
                          "YYYY-MM, YYYY-<season>, YYYY-MM/YYYY-MM or YYYY-YYYY)")
    if values["printing"] not in ("primary", "restatement"):
        return "printing", f"printing {values['printing']!r} is not 'primary' or 'restatement'"
    try:
        parse_printed(values["value_as_printed"], values["number_format"] or language)
    except ParseError as error:
        return "value_as_printed", f"value {values['value_as_printed']!r} is not a number: {error}"
    return None


def read_reviewed(path: Path, metrics: set[str], language: str) -> list[dict[str, str]]:
    """The rows of a reviewed draft with status accept or change; DraftError at the first broken row."""
    problems: list[Problem] = []
    rows = read_table(path, _DRAFT_SPEC, problems)
    if problems:
        raise DraftError(path, problems[0].line, problems[0].rule if problems[0].column is None
                         else f"column {problems[0].column}: {problems[0].rule}")
    if not rows:
        raise DraftError(path, 1, "has a header and no rows: nothing to accept")
    for row in rows:
        problem = _row_problem(row.values, metrics, language)
        if problem:
            raise DraftError(path, row.line, problem[1])
    return [row.values for row in rows if row.values["status"].lower() in ("accept", "change")]

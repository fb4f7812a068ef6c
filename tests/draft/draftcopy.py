"""Helpers of the draft tests: add a source to a copy of sources.csv; run the draft command; review a draft."""
import csv
import io
from pathlib import Path

from sotebook.draft.__main__ import main


def add_source(raw: Path, source_id: str, like: str, **changes: str) -> None:
    """Append a row to raw/sources.csv: the row of `like` with `source_id` and `changes`."""
    path = raw / "sources.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    row = dict(next(r for r in rows if r["source_id"] == like), source_id=source_id, **changes)
    with path.open("a", encoding="utf-8", newline="") as out:
        csv.DictWriter(out, list(row), lineterminator="\n").writerow(row)


def run(capsys, *argv) -> tuple[int, str, str]:
    """Run `python -m sotebook.draft` in this process: exit code, stdout, stderr."""
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

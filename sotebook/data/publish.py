"""The copies of the dataset the book offers for download, safe to open in a spreadsheet.

A text cell that begins with =, +, -, @, a tab or a carriage return is read by Excel or LibreOffice
as a formula (OWASP "CSV injection"). In the published copies such a cell gets a leading
apostrophe, which spreadsheets show as text and do not display. Numbers stay numbers: only the
columns the data package types as text are touched, so -3 in a numeric column is still -3.
data/clean/ itself stays exact, for code that reads it.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """A text cell as a spreadsheet will show it, never run it."""
    return "'" + text if text.startswith(FORMULA_START) else text


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell neutralised; numeric columns untouched."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return out


def publish_table(source: Path, target: Path, text_columns: set[str]) -> None:
    """Copy one clean CSV with the cells of its text columns neutralised."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    text = [name in text_columns for name in header]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([neutralise(v) if is_text else v for v, is_text in zip(row, text)] for row in rows[1:])
    target.write_text(out.getvalue(), encoding="utf-8")


def publish_dataset(clean: Path, target: Path) -> None:
    """The downloadable copy of data/clean/: every table neutralised, the descriptor as it is."""
    descriptor = json.loads((clean / "datapackage.json").read_text(encoding="utf-8"))
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(clean / "datapackage.json", target / "datapackage.json")
    for resource in descriptor["resources"]:
        text = {f["name"] for f in resource["schema"]["fields"] if f["type"] == "string"}
        publish_table(clean / resource["path"], target / resource["path"], text)

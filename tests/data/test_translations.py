"""Every reader-facing text of the dataset exists in Finnish and Swedish, and none is the English left as it was."""
import csv
import shutil
from pathlib import Path

import pytest

from sotebook.data import clean
from sotebook.data import schema
from sotebook.paths import RAW

# Names that read the same in every language. A Finnish or Swedish text may equal the English (or each
# other) only when it is one of these; anything longer than a name must be translated.
PROPER_NAMES = {"HUS", "Maisa", "Omaolo", "Mieppi", "LiiHo", "Barnhus", "HyTe ry", "Stadin Sote", "Ekokompassi",
                "Medicube X", "Forum Virium", "Stara", "Rescue Task Force", "Kårkulla"}

# The raw tables that carry reader-facing text, with the English column each must translate.
TABLES = {"metrics.csv": schema.METRIC_COLUMNS, "sources.csv": schema.SOURCE_COLUMNS,
          "known_discrepancies.csv": schema.KNOWN_DISCREPANCY_COLUMNS} | {
    f"facts/{n}.csv": c for n, c in schema.FACT_TABLES.items()}
EXPECTED = {
    "metrics.csv": ["label_en", "description", "series_break_note"],
    "sources.csv": ["title_en", "publisher", "document_type", "covers", "attribution", "not_transcribed"],
    "known_discrepancies.csv": ["explanation"],
    # One plain English statement of the cause: the book tells it in each edition's words
    # (words/<lang>/explanations.yml; tests/pages/test_explanation_words.py).
    "facts/explanations.csv": [],
    "facts/headings.csv": ["heading_en"],
    "facts/highlights.csv": ["highlight"],
    "facts/timeline.csv": ["event"],
    "facts/spearheads.csv": ["spearhead"],
    "facts/departments.csv": ["name_en", "units_en"],
    "facts/roles.csv": ["role"],
    "facts/operating_models.csv": ["operating_model", "service"],
}


def translated(columns) -> list[tuple[str, str, str]]:
    """(English, Finnish, Swedish) column names of a table: every `<x>_fi` with `<x>_sv` and `<x>_en` or `<x>`."""
    names = schema.names(columns)
    triples = []
    for name in names:
        if name.endswith("_fi"):
            base = name[:-3]
            english = f"{base}_en" if f"{base}_en" in names else base
            triples.append((english, name, f"{base}_sv"))
    return triples


def _same(a: str, b: str) -> bool:
    return a.strip().rstrip(".").casefold() == b.strip().rstrip(".").casefold()


def _items(text: str, column: str) -> list[str]:
    """A ';'-separated list (a department's units) is compared unit by unit."""
    return [t.strip() for t in text.split(";")] if column.startswith("units_") else [text]


def _optional(columns) -> set[str]:
    """Columns that may be empty: their translations are given exactly when they are (a series break's note)."""
    return {c[0] for c in columns if not c[3]}


def untranslated(path: Path, columns) -> list[str]:
    """Problems with a table's translations, each naming file, line and column."""
    problems = []
    optional = _optional(columns)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            line = reader.line_num
            for en, fi, sv in translated(columns):
                if en in optional and not row.get(en, "").strip():
                    problems += [f"{path.name} line {line}, column {column}: text {row[column]!r} translates nothing "
                                 f"({en} is empty)" for column in (fi, sv) if row.get(column, "").strip()]
                    continue
                for column in (fi, sv):
                    if not row.get(column, "").strip():
                        problems.append(f"{path.name} line {line}, column {column}: no text (English: {row[en]!r})")
                if not (row.get(fi, "").strip() and row.get(sv, "").strip()):
                    continue
                for column, other in ((fi, en), (sv, en), (sv, fi)):
                    for text, original in zip(_items(row[column], column), _items(row[other], other)):
                        if _same(text, original) and text not in PROPER_NAMES:
                            problems.append(f"{path.name} line {line}, column {column}: {text!r} is the same as "
                                            f"{other}; translate it, or add it to PROPER_NAMES if it is a name")
    return problems


def test_every_text_column_has_finnish_and_swedish_required():
    for table, english in EXPECTED.items():
        columns = TABLES[table]
        triples = translated(columns)
        assert [t[0] for t in triples] == english, f"{table}: translated columns {triples}"
        required = {c[0] for c in columns if c[3]}
        names = set(schema.names(columns))
        for triple in triples:
            assert set(triple) <= names, f"{table}: {triple} not all declared"
            if triple[0] in required:
                assert set(triple) <= required, f"{table}: {triple} must all be required (non-empty)"
            else:  # an optional text: its translations are required exactly where it is given (checked by make data)
                assert not set(triple) & required, f"{table}: {triple} must all be optional"


def test_only_the_series_break_note_is_translated_where_given():
    optional = {(table, triple[0]) for table, columns in TABLES.items() for triple in translated(columns)
                if triple[0] in _optional(columns)}
    assert optional == {("metrics.csv", "series_break_note")}


@pytest.mark.parametrize("table", sorted(EXPECTED))
def test_every_row_is_translated(table):
    assert untranslated(RAW / table, TABLES[table]) == []


def test_english_copied_into_a_translation_is_caught(tmp_path):
    path = tmp_path / "timeline.csv"
    path.write_text("start,end,date_as_printed,event,event_fi,event_sv,source_id,section\n"
                    "2025,2025,2025,Mobile testing started.,Mobile testing started.,Mobil testning inleddes.,x,y\n"
                    "2025,2025,2025,Maisa,Maisa,Maisa,x,y\n"
                    "2025,2025,2025,Omaolo opened.,Omaolo avattiin.,,x,y\n", encoding="utf-8")
    problems = untranslated(path, schema.FACT_TABLES["timeline"])
    assert problems == [
        "timeline.csv line 2, column event_fi: 'Mobile testing started.' is the same as event; "
        "translate it, or add it to PROPER_NAMES if it is a name",
        "timeline.csv line 4, column event_sv: no text (English: 'Omaolo opened.')",
    ]


def test_english_unit_left_in_a_finnish_list_is_caught(tmp_path):
    source = RAW / "facts" / "departments.csv"
    rows = list(csv.DictReader(source.open(encoding="utf-8", newline="")))
    rows[-1]["units_fi"] = rows[-1]["units_fi"].replace("Pelastuskoulu", "Rescue School")
    path = tmp_path / "departments.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert untranslated(path, schema.FACT_TABLES["departments"]) == [
        f"departments.csv line {len(rows) + 1}, column units_fi: 'Rescue School' is the same as units_en; "
        "translate it, or add it to PROPER_NAMES if it is a name"]


def test_a_missing_or_stray_series_break_translation_is_caught(tmp_path):
    source = RAW / "metrics.csv"
    rows = list(csv.DictReader(source.open(encoding="utf-8", newline="")))
    broken = next(i for i, r in enumerate(rows) if r["series_break_note"])
    rows[broken]["series_break_note_sv"] = ""
    rows[0]["series_break_note_fi"] = "Sarja katkeaa."
    rows[1]["description_sv"] = rows[1]["description"]
    path = tmp_path / "metrics.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    assert untranslated(path, schema.METRIC_COLUMNS) == [
        "metrics.csv line 2, column series_break_note_fi: text 'Sarja katkeaa.' translates nothing "
        "(series_break_note is empty)",
        f"metrics.csv line 3, column description_sv: {rows[1]['description']!r} is the same as description; "
        "translate it, or add it to PROPER_NAMES if it is a name",
        f"metrics.csv line {broken + 2}, column series_break_note_sv: no text "
        f"(English: {rows[broken]['series_break_note']!r})",
    ]


@pytest.fixture
def raw(tmp_path) -> Path:
    copy = tmp_path / "raw"
    shutil.copytree(RAW, copy)
    return copy


def _edit_cell(path: Path, row_index: int, column: str, value: str) -> int:
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    rows[row_index][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return row_index + 2  # the header is line 1


def test_make_data_rejects_a_missing_translation(raw, tmp_path, capsys):
    line = _edit_cell(raw / "facts" / "highlights.csv", 3, "highlight_sv", "")
    assert clean.main(["--raw", str(raw), "--out", str(tmp_path / "clean")]) == 1
    assert f"highlights.csv line {line}, column highlight_sv: value '': must not be empty" in capsys.readouterr().err


def test_make_data_rejects_unit_lists_of_different_lengths(raw, tmp_path, capsys):
    line = _edit_cell(raw / "facts" / "departments.csv", 0, "units_fi", "kotihoito; Helsingin sairaala")
    assert clean.main(["--raw", str(raw), "--out", str(tmp_path / "clean")]) == 1
    assert (f"departments.csv line {line}, column units_fi: value 'kotihoito; Helsingin sairaala': lists 2 units "
            "but units_sv lists 4") in capsys.readouterr().err


@pytest.mark.parametrize("table, column", [
    ("metrics.csv", "description_fi"), ("sources.csv", "not_transcribed_sv"), ("sources.csv", "publisher_fi"),
    ("sources.csv", "document_type_sv"), ("known_discrepancies.csv", "explanation_fi")])
def test_make_data_rejects_a_missing_text_translation(raw, tmp_path, table, column, capsys):
    line = _edit_cell(raw / table, 1, column, "")
    assert clean.main(["--raw", str(raw), "--out", str(tmp_path / "clean")]) == 1
    assert f"{table} line {line}, column {column}: value '': must not be empty" in capsys.readouterr().err
    assert not (tmp_path / "clean").exists()


def _series_break_row(path: Path) -> int:
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    return next(i for i, r in enumerate(rows) if r["series_break_note"])


def test_make_data_rejects_a_series_break_note_left_untranslated(raw, tmp_path, capsys):
    line = _edit_cell(raw / "metrics.csv", _series_break_row(raw / "metrics.csv"), "series_break_note_fi", "")
    assert clean.main(["--raw", str(raw), "--out", str(tmp_path / "clean")]) == 1
    assert (f"metrics.csv line {line}, column series_break_note_fi: value '': must be given exactly when "
            "series_break_note is: translate the note") in capsys.readouterr().err


def test_make_data_rejects_a_translated_note_without_a_series_break(raw, tmp_path, capsys):
    line = _edit_cell(raw / "metrics.csv", 0, "series_break_note_sv", "Serien bryts.")
    assert clean.main(["--raw", str(raw), "--out", str(tmp_path / "clean")]) == 1
    assert (f"metrics.csv line {line}, column series_break_note_sv: value 'Serien bryts.': must be given exactly "
            "when series_break_note is: there is no note to translate") in capsys.readouterr().err


def test_make_data_copies_the_translations_to_the_clean_dataset(raw, tmp_path):
    out = tmp_path / "clean"
    assert clean.main(["--raw", str(raw), "--out", str(out)]) == 0

    def read(name):
        return list(csv.DictReader((out / f"{name}.csv").open(encoding="utf-8", newline="")))

    for name, raw_name in (("metrics", "metrics.csv"), ("sources", "sources.csv")):
        written = {r[next(iter(r))]: r for r in read(name)}
        for row in csv.DictReader((raw / raw_name).open(encoding="utf-8", newline="")):
            for en, fi, sv in translated(TABLES[raw_name]):
                assert [written[row[next(iter(row))]][c] for c in (en, fi, sv)] == [row[en], row[fi], row[sv]]
    known = {r["check_id"]: r for r in csv.DictReader((raw / "known_discrepancies.csv").open(encoding="utf-8"))}
    for check in read("reconciliation"):
        texts = [check["known_explanation"], check["known_explanation_fi"], check["known_explanation_sv"]]
        if check["result"] == "pass":
            assert texts == ["", "", ""]
        else:
            row = known[check["check_id"]]
            assert texts == [row["explanation"], row["explanation_fi"], row["explanation_sv"]]
            assert check["explanation"].endswith(row["explanation"])

"""`make data`: bad input is named precisely and changes nothing; good input reproduces data/clean/."""
import csv
import filecmp
import re
import subprocess
import sys
from pathlib import Path


from sotebook.data import clean
from project_copy import replace_in
from sotebook.paths import RAW, ROOT

CLEAN = ROOT / "data" / "clean"


def fails_cleanly(raw: Path, out: Path, capsys) -> str:
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert clean.main(["--raw", str(raw), "--out", str(out)]) == 1
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before, "a failed run must leave the previous clean dataset untouched"
    assert not list(out.parent.glob(".clean.*")), "no staging folder may be left behind"
    return capsys.readouterr().err


def test_corrupted_value_names_file_line_column_value_and_rule(raw, out, capsys):
    line = replace_in(raw / "annual_review_2025.csv", "1 679 689", "1 679 68x")
    err = fails_cleanly(raw, out, capsys)
    assert f"annual_review_2025.csv line {line}, column value_as_printed: value '1 679 68x'" in err
    assert "unrecognised text '68x'" in err


def test_missing_column(raw, out, capsys):
    path = raw / "news_2024.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([r[:2] + r[3:] for r in rows])  # drop 'period'
    err = fails_cleanly(raw, out, capsys)
    assert "news_2024.csv line 1, column period: column is missing" in err


def test_duplicate_row(raw, out, capsys):
    path = raw / "news_2024.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines + [lines[-1]]), encoding="utf-8")
    err = fails_cleanly(raw, out, capsys)
    assert f"news_2024.csv line {len(lines) + 1}, column metric_id" in err
    assert "duplicate row" in err and f"at line {len(lines)}" in err


def test_share_out_of_range(raw, out, capsys):
    line = replace_in(raw / "annual_review_2024.csv", ",18%,", ",118%,")
    err = fails_cleanly(raw, out, capsys)
    assert f"annual_review_2024.csv line {line}, column value_as_printed: value '118%': is out of range" in err


def test_negative_count(raw, out, capsys):
    line = replace_in(raw / "annual_review_2024.csv", ',"7,943",', ',"-7,943",')
    err = fails_cleanly(raw, out, capsys)
    assert f"line {line}, column value_as_printed: value '-7,943': must not be negative" in err


def test_unit_that_contradicts_the_metric(raw, out, capsys):
    line = replace_in(raw / "annual_review_2024.csv", "native_languages,2024,2024,144,", "native_languages,2024,2024,144%,")
    err = fails_cleanly(raw, out, capsys)
    assert f"line {line}, column value_as_printed: value '144%': is printed in percent but native_languages is measured in count" in err


def test_unknown_metric_and_bad_year(raw, out, capsys):
    replace_in(raw / "reform_page.csv", "reform_spearheads,2023,", "reform_spearheadz,20x3,")
    err = fails_cleanly(raw, out, capsys)
    assert "column metric_id: value 'reform_spearheadz': is not in the metric dictionary" in err
    assert "column year: value '20x3': must be a four-digit year" in err


def test_unquoted_comma_is_a_field_count_error(raw, out, capsys):
    line = replace_in(raw / "news_2024.csv", ',"18,400",', ',18,400,')
    err = fails_cleanly(raw, out, capsys)
    assert f"news_2024.csv line {line}: has 12 fields, expected 11" in err


def test_parts_that_no_longer_sum_to_the_total(raw, out, capsys):
    replace_in(raw / "annual_review_2024.csv", '"4,095"', '"4,905"')  # a transposition
    err = fails_cleanly(raw, out, capsys)
    assert "fails the parts_total check parts_total:staff_total:2024:annual_review_2024" in err
    assert "fails the share check share:staff_family_social_share:2024" in err


def test_second_source_outside_its_rounding(raw, out, capsys):
    replace_in(raw / "news_2024.csv", '"273,000"', '"237,000"')
    err = fails_cleanly(raw, out, capsys)
    assert "cross_source:psychiatric_outpatient_visits:2024:news_2024:annual_review_2024" in err


def test_stale_known_discrepancy_is_an_error(raw, out, capsys):
    replace_in(raw / "news_2024.csv", '"795,000"', '"794,000"')  # now within rounding
    err = fails_cleanly(raw, out, capsys)
    assert "known_discrepancies.csv line 4, column check_id: value " \
        "'cross_source:mental_health_housing_days:2024:news_2024:annual_review_2024': this check now passes" in err


def test_restatement_without_primary(raw, out, capsys):
    replace_in(raw / "annual_review_2024.csv", "native_languages,2024,2024,144,registered native languages in 2024,How we arrange services,primary",
               "native_languages,2024,2024,144,registered native languages in 2024,How we arrange services,restatement")
    err = fails_cleanly(raw, out, capsys)
    assert "restates a figure that has no primary row (native_languages, 2024)" in err


def test_all_problems_reported_at_once(raw, out, capsys):
    replace_in(raw / "annual_review_2025.csv", "1 679 689", "1 679 68x")
    replace_in(raw / "annual_review_2024.csv", ",18%,", ",118%,")
    err = fails_cleanly(raw, out, capsys)
    assert "2 problem(s)" in err


def test_committed_clean_dataset_is_exactly_what_make_data_produces(tmp_path):
    fresh = tmp_path / "clean"
    clean.write(clean.build(RAW), fresh)
    comparison = filecmp.dircmp(CLEAN, fresh)
    assert sorted(p.name for p in CLEAN.iterdir()) == sorted(p.name for p in fresh.iterdir())
    for name in sorted(p.name for p in fresh.iterdir()):
        assert (CLEAN / name).read_bytes() == (fresh / name).read_bytes(), f"data/clean/{name} is stale: run make data"
    assert not comparison.diff_files


def test_successful_run_replaces_the_dataset(raw, tmp_path):
    out = tmp_path / "clean"
    out.mkdir()
    (out / "stale.csv").write_text("old")
    assert clean.main(["--raw", str(raw), "--out", str(out)]) == 0
    assert not (out / "stale.csv").exists()
    assert (out / "figures.csv").exists()


def test_every_raw_figure_is_in_the_clean_dataset():
    with (CLEAN / "figures.csv").open(encoding="utf-8") as handle:
        figures = {(r["source_id"], r["metric_id"], r["year"], r["value_as_printed"]) for r in csv.DictReader(handle)
                   if not r["derivation"]}  # derived figures are printed nowhere: tests/data/test_derive.py
    with (CLEAN / "reconciliation.csv").open(encoding="utf-8") as handle:
        checked = [(r["source_id"], r["metric_id"], r["year"], r["printed"]) for r in csv.DictReader(handle)
                   if r["check"] == "restatement"]
    sources = [r["source_id"] for r in csv.DictReader((RAW / "sources.csv").open(encoding="utf-8"))]
    count = 0
    for source in sources:
        for row in csv.DictReader((RAW / f"{source}.csv").open(encoding="utf-8")):
            key = (source, row["metric_id"], row["year"], row["value_as_printed"])
            assert key in (figures if row["printing"] == "primary" else checked), key
            count += 1
    assert count == len(figures) + len(checked)


def test_datapackage_validates_with_frictionless():
    result = subprocess.run([sys.executable, "-m", "frictionless", "validate", "--json", str(CLEAN / "datapackage.json")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_every_check_passes_or_is_explained():
    with (CLEAN / "reconciliation.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["result"] for r in rows} <= {"pass", "known discrepancy"}
    kinds = {r["check"] for r in rows}
    assert {"parts_total", "share", "cross_source", "restatement", "stated_change", "interval", "not_above"} <= kinds
    known = [r for r in rows if r["result"] == "known discrepancy"]
    known_ids = {r["check_id"] for r in csv.DictReader((RAW / "known_discrepancies.csv").open(encoding="utf-8"))}
    assert {r["check_id"] for r in known} == known_ids


def read_clean(name: str) -> list[dict[str, str]]:
    with (CLEAN / f"{name}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _letters(text: str) -> str:
    """A text's letters and digits only: a passage is the source's words, joined across its line breaks."""
    return re.sub(r"[\W_]+", "", text.replace("\u00ad", "")).lower()


def test_every_printed_figure_has_its_passage_from_its_source():
    """Each figure's passage is a sentence (row, item) of its source's text that prints its value."""
    from sotebook.data.document import clean_line
    from sotebook.data.passages import LONG, value_pattern
    from sotebook.paths import SEEDS

    figures = read_clean("figures")
    sources = {s["source_id"]: s for s in read_clean("sources")}
    # The source's text less its markup (bold, links), as the passages are read.
    texts = {sid: _letters(clean_line((SEEDS / s["seed_file"]).read_text(encoding="utf-8"))) for sid, s in sources.items()}
    printed = [f for f in figures if not f["derivation"]]
    assert printed and all(not f["passage"] for f in figures if f["derivation"])
    for f in printed:
        where = f"{f['source_id']} {f['metric_id']} {f['year']}"
        assert f["passage"], f"{where} has no passage"
        assert value_pattern(f["value_as_printed"]).search(f["passage"]), f"{where}: {f['passage']!r}"
        # a long passage is quoted in part, '…' where it is cut (sotebook/data/passages.py, _window)
        for part in f["passage"].split("…"):
            assert _letters(part) in texts[f["source_id"]], f"{where}: the passage is not in the source's text"
        assert len(f["passage"].split()) <= LONG + 2, f"{where}: a passage of {len(f['passage'].split())} words"

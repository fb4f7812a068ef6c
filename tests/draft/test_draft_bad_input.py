"""Must show 4: bad input gets one line naming the file and line, a non-zero exit, and nothing written."""
import re
import shutil

import pytest

from sotebook.draft.__main__ import main

from conftest import REVIEW_2024, REVIEW_2025
from draftcopy import read_csv, run, write_csv


def _nothing_written(raw):
    drafts = raw / "drafts"
    assert not drafts.exists() or not any(drafts.iterdir()), list(drafts.iterdir())


def _one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.endswith("nothing was written\n"), err
    return err


def test_a_source_not_in_sources_csv(capsys, raw, tmp_path):
    text = tmp_path / "annual_review_2026.txt"
    shutil.copy(REVIEW_2025, text)
    code, _, err = run(capsys, "--raw", raw, "draft", text)
    assert code == 1
    assert "annual_review_2026.txt: is not listed in" in _one_line(err) and "sources.csv" in err
    _nothing_written(raw)


def test_a_text_in_another_language_than_listed(capsys, raw, tmp_path):
    text = tmp_path / REVIEW_2025.name  # the Swedish review's name, the English review's text
    shutil.copy(REVIEW_2024, text)
    code, _, err = run(capsys, "--raw", raw, "draft", text)
    assert code == 1
    assert f"{REVIEW_2025.name} line " in _one_line(err)
    assert "reads as English (en)" in err and "sources.csv line 3 lists the document as Swedish (sv)" in err
    _nothing_written(raw)


def test_an_empty_text(capsys, raw, tmp_path):
    text = tmp_path / REVIEW_2025.name
    text.write_text("\n \n", encoding="utf-8")
    code, _, err = run(capsys, "--raw", raw, "draft", text)
    assert code == 1
    assert f"{REVIEW_2025.name} line 1: is empty" in _one_line(err)
    _nothing_written(raw)


@pytest.fixture(scope="module")
def drafted(tmp_path_factory):
    """A draft of the 2025 review, every row accepted: the tests below break one row of a copy of it."""
    raw = tmp_path_factory.mktemp("drafted") / "raw"
    from sotebook.paths import RAW
    shutil.copytree(RAW, raw, ignore=shutil.ignore_patterns("drafts"))
    assert main(["--raw", str(raw), "draft", str(REVIEW_2025)]) == 0
    draft = raw / "drafts" / "annual_review_2025.csv"
    rows = read_csv(draft)
    for row in rows:
        row["status"] = "accept"
    write_csv(draft, rows)
    return raw


@pytest.mark.parametrize("column, value, message", [
    ("status", "acept", "status 'acept' is not one of accept, change, skip"),
    ("status", "", "status is empty: review the row"),
    ("metric_id", "no_such_metric", "metric_id 'no_such_metric' is not in data/raw/metrics.csv"),
    ("value_as_printed", "1 679 68x", "value '1 679 68x' is not a number"),
    ("period", "2025-13", "period '2025-13' is not a form the data step reads"),
    ("year", "twenty", "year 'twenty' is not a year"),
])
def test_a_draft_edited_into_an_invalid_state(capsys, drafted, tmp_path, column, value, message):
    raw = tmp_path / "raw"
    shutil.copytree(drafted, raw)
    (raw / "annual_review_2025.csv").unlink()
    draft = raw / "drafts" / "annual_review_2025.csv"
    rows = read_csv(draft)
    rows[6][column] = value  # the draft's line 8
    write_csv(draft, rows)
    before = draft.read_bytes()
    code, _, err = run(capsys, "--raw", raw, "accept", REVIEW_2025)
    assert code == 1
    assert f"drafts/annual_review_2025.csv line 8: {message}" in _one_line(err)
    assert not (raw / "annual_review_2025.csv").exists()
    assert draft.read_bytes() == before
    assert sorted(p.name for p in draft.parent.iterdir()) == ["annual_review_2025.csv", "annual_review_2025.html"]


def test_a_draft_with_a_column_missing(capsys, drafted, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(drafted, raw)
    draft = raw / "drafts" / "annual_review_2025.csv"
    rows = [{k: v for k, v in row.items() if k != "period"} for row in read_csv(draft)]
    write_csv(draft, rows)
    code, _, err = run(capsys, "--raw", raw, "accept", REVIEW_2025, "--replace")
    assert code == 1
    assert "drafts/annual_review_2025.csv line 1: column period: column is missing" in _one_line(err)


def test_accepting_over_a_transcription_needs_replace(capsys, drafted):
    code, _, err = run(capsys, "--raw", drafted, "accept", REVIEW_2025)
    assert code == 1
    assert "annual_review_2025.csv: exists already" in _one_line(err)


def test_drafting_again_keeps_a_draft_under_review(capsys, drafted):
    draft = drafted / "drafts" / "annual_review_2025.csv"
    before = draft.read_bytes()
    code, _, err = run(capsys, "--raw", drafted, "draft", REVIEW_2025)
    assert code == 1
    assert re.search(r"drafts/annual_review_2025.csv: has \d+ reviewed rows", _one_line(err)), err
    assert draft.read_bytes() == before

"""Period kinds, bases and explanations: a wrong value is refused with a message that names the row."""
import csv
from pathlib import Path


from sotebook.data import clean
from project_copy import replace_in
from sotebook.paths import RAW


def errors(raw: Path, tmp_path: Path, capsys) -> str:
    assert clean.main(["--raw", str(raw), "--out", str(tmp_path / "out")]) == 1
    assert not (tmp_path / "out").exists()
    return capsys.readouterr().err


def test_unknown_period_kind(raw, tmp_path, capsys):
    line = replace_in(raw / "annual_review_2024.csv", ",Helsinki residents,How we arrange services,primary,,,undated,",
                      ",Helsinki residents,How we arrange services,primary,,,someday,")
    err = errors(raw, tmp_path, capsys)
    assert f"annual_review_2024.csv line {line}, column period_kind: value 'someday': unknown period kind" in err


def test_a_stated_kind_must_fit_the_period(raw, tmp_path, capsys):
    line = replace_in(raw / "annual_review_2025.csv", "2025-autumn,693 000,Hösten 2025 bodde det 693 000 personer i Helsingfors,"
                      "Så här ordnar vi servicen,primary,,Autumn 2025.,,",
                      "2025-autumn,693 000,Hösten 2025 bodde det 693 000 personer i Helsingfors,"
                      "Så här ordnar vi servicen,primary,,Autumn 2025.,cumulative,")
    err = errors(raw, tmp_path, capsys)
    assert f"annual_review_2025.csv line {line}, column period_kind: value 'cumulative': contradicts the period " \
           "'2025-autumn', which reads as 'season'" in err


def test_a_period_no_rule_reads(raw, tmp_path, capsys):
    line = replace_in(raw / "annual_review_2025.csv", "residents,2025,2025-autumn,", "residents,2025,hösten 2025,")
    err = errors(raw, tmp_path, capsys)
    assert f"annual_review_2025.csv line {line}, column period: value 'hösten 2025': is not a period form" in err


def test_a_stated_change_needs_a_direction(raw, tmp_path, capsys):
    line = replace_in(raw / "annual_review_2025.csv", "jämfört med året innan,För ett gott liv,primary,,,,decrease",
                      "jämfört med året innan,För ett gott liv,primary,,,,lower")
    err = errors(raw, tmp_path, capsys)
    assert f"annual_review_2025.csv line {line}, column basis: value 'lower': a stated change's basis is its direction" in err


def test_a_basis_is_a_short_id(raw, tmp_path, capsys):
    line = replace_in(raw / "annual_review_2024.csv", "turnover rate,People making lives better,primary,,Permanent employees.,,permanent_staff",
                      "turnover rate,People making lives better,primary,,Permanent employees.,,Permanent staff")
    err = errors(raw, tmp_path, capsys)
    assert f"annual_review_2024.csv line {line}, column basis: value 'Permanent staff': must be a short snake_case id" in err


def test_an_explanation_names_a_metric_of_the_dictionary(raw, tmp_path, capsys):
    line = replace_in(raw / "facts" / "explanations.csv", "job_applications_increase,2024,change,",
                      "job_applications_rise,2024,reason,")
    err = errors(raw, tmp_path, capsys)
    assert f"explanations.csv line {line}, column metric_id: value 'job_applications_rise': is not in the metric dictionary" in err
    assert f"explanations.csv line {line}, column explains: value 'reason': must be one of change, result, level" in err


def test_every_explanation_is_in_the_clean_dataset():
    def rows(path):
        return list(csv.reader(path.open(encoding="utf-8")))
    assert rows(clean.CLEAN / "explanations.csv") == rows(RAW / "facts" / "explanations.csv")

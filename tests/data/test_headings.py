"""Every heading a source's section names has its English, Finnish and Swedish (data/raw/facts/headings.csv), and the
book cites a section in the reader's language with the original beside it (figures.cited_section)."""
from __future__ import annotations

from pathlib import Path

from project_copy import replace_in as edit_line
from sotebook.data import clean
from sotebook.data.schema import section_headings


def error_of(raw: Path, out: Path, capsys) -> str:
    assert clean.main(["--raw", str(raw), "--out", str(out)]) == 1
    return capsys.readouterr().err


def test_a_section_whose_heading_has_no_translation_is_named(raw, out, capsys):
    path = raw / "facts" / "headings.csv"
    line = edit_line(path, "annual_review_2025,Hållbar tillväxt,", "annual_review_2025,Hållbar tillväxt X,")
    err = error_of(raw, out, capsys)
    assert "column section: value 'Hållbar tillväxt': heading 'Hållbar tillväxt' of annual_review_2025 has no row in " \
           "data/raw/facts/headings.csv" in err, err
    assert line > 1


def test_the_printed_heading_stands_in_its_own_languages_column(raw, out, capsys):
    line = edit_line(raw / "facts" / "headings.csv", "Ekonomin i balans,Finances in balance,Talous tasapainossa,Ekonomin i balans",
                     "Ekonomin i balans,Finances in balance,Talous tasapainossa,Ekonomi i balans")
    err = error_of(raw, out, capsys)
    assert f"headings.csv line {line}, column heading_sv: value 'Ekonomi i balans': must be the heading as printed" in err


def test_a_heading_given_twice_is_named(raw, out, capsys):
    path = raw / "facts" / "headings.csv"
    row = next(r for r in path.read_text(encoding="utf-8").splitlines() if r.startswith("news_2024,Body,"))
    path.write_text(path.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    assert "column heading: value 'Body': is given twice for news_2024" in error_of(raw, out, capsys)


def test_section_headings_split_the_path_and_drop_the_in_heading_mark():
    assert section_headings("Ekonomin i balans > Förändringsprogrammet nådde målet") == [
        "Ekonomin i balans", "Förändringsprogrammet nådde målet"]
    assert section_headings("För ett gott liv (heading)") == ["För ett gott liv"]
    assert section_headings("") == []

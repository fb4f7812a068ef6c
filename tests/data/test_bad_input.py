"""Bad raw input of every kind gets its own message naming file, line, column and value (issue #12)."""
import csv
import json
import shutil
from pathlib import Path

import pytest

from sotebook.data import clean
from project_copy import replace_in as edit_line
from sotebook.paths import ROOT

CLEAN = ROOT / "data" / "clean"


def error_of(raw: Path, out: Path, capsys) -> str:
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert clean.main(["--raw", str(raw), "--out", str(out)]) == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not list(out.parent.glob(".clean.*"))
    return capsys.readouterr().err


# Class 2: a known discrepancy explains given figures, not any figures.
def test_known_discrepancy_fails_again_when_its_figures_change(raw, out, capsys):
    line = edit_line(raw / "news_2024.csv", '"795,000"', '"895,000"')
    err = error_of(raw, out, capsys)
    assert "known_discrepancies.csv line 4, column printed: value '795,000'" in err
    assert f"but it is now '895,000' (news_2024.csv line {line})" in err


def test_known_discrepancy_fails_when_the_compared_figure_changes(raw, out, capsys):
    edit_line(raw / "annual_review_2024.csv", '"794,474"', '"784,474"')
    err = error_of(raw, out, capsys)
    assert "column expected_low: value '794473.5'" in err and "'784473.5'" in err


# Class 3: plausibility.
def test_count_with_a_fraction(raw, out, capsys):
    line = edit_line(raw / "annual_review_2024.csv", '"794,474"', '"794,474.5"')
    err = error_of(raw, out, capsys)
    assert f"annual_review_2024.csv line {line}, column value_as_printed: value '794,474.5': is not a whole number" in err


def test_year_outside_what_the_source_covers(raw, out, capsys):
    line = edit_line(raw / "news_2024.csv", 'mental_health_housing_days,2024,2024', 'mental_health_housing_days,2042,2042')
    err = error_of(raw, out, capsys)
    assert f"news_2024.csv line {line}, column year: value '2042': is outside the years news_2024 covers (2024-2024" in err


def test_source_file_with_header_and_no_rows(raw, out, capsys):
    path = raw / "news_2024.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")
    err = error_of(raw, out, capsys)
    assert "news_2024.csv: has a header and no figures" in err


def test_impossible_date(raw, out, capsys):
    line = edit_line(raw / "facts" / "timeline.csv", "2022-11-15,2022-11-15", "2022-02-30,2022-02-30")
    err = error_of(raw, out, capsys)
    assert f"timeline.csv line {line}, column start: value '2022-02-30': 2022-02-30 is not a date in the calendar" in err


def test_period_that_ends_before_it_starts(raw, out, capsys):
    line = edit_line(raw / "facts" / "timeline.csv", "2020,2022,", "2022,2020,")
    err = error_of(raw, out, capsys)
    assert f"timeline.csv line {line}, column end: value '2020': is before the start 2022" in err
    line = edit_line(raw / "annual_review_2025.csv", "2025,2023-2026,", "2025,2026-2023,")
    err = error_of(raw, out, capsys)
    assert f"line {line}, column period: value '2026-2023': ends (2023) before it starts (2026)" in err


# Class 8: messages that point at the right place.
def test_byte_order_mark_is_accepted(raw, tmp_path, capsys):
    path = raw / "news_2024.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert clean.main(["--raw", str(raw), "--out", str(tmp_path / "fresh")]) == 0
    assert (tmp_path / "fresh" / "figures.csv").read_bytes() == (CLEAN / "figures.csv").read_bytes()


def test_unclosed_quote_names_the_line_where_it_opens(raw, out, capsys):
    line = edit_line(raw / "annual_review_2024.csv", '"794,474",', '"794,474,')
    err = error_of(raw, out, capsys)
    assert f"annual_review_2024.csv line {line}: a double quote opens on this line and is not closed" in err


def test_non_utf8_names_the_line(raw, out, capsys):
    path = raw / "annual_review_2025.csv"
    lines = path.read_bytes().split(b"\n")
    number = next(i for i, line in enumerate(lines) if "ä".encode() in line) + 1
    lines[number - 1] = lines[number - 1].decode("utf-8").encode("latin-1")
    path.write_bytes(b"\n".join(lines))
    err = error_of(raw, out, capsys)
    assert f"annual_review_2025.csv line {number}: is not UTF-8" in err


def test_unknown_language_lists_the_supported_ones(raw, out, capsys):
    path = raw / "sources.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[3][2] = "fi"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    err = error_of(raw, out, capsys)
    assert "sources.csv line 4, column language: value 'fi': is not a language the parser reads; supported: en, sv" in err


def test_cross_source_failure_names_the_edited_file_first(raw, out, capsys):
    line = edit_line(raw / "annual_review_2024.csv", '"1,375,195"', '"1,575,195"')
    err = error_of(raw, out, capsys)
    first = next(l for l in err.splitlines() if "cross_source:health_station_nurse_visits" in l)
    assert first.strip().startswith(f"data/raw/annual_review_2024.csv line {line}") or \
        first.strip().startswith(f"{raw / 'annual_review_2024.csv'} line {line}"), first
    assert "changed since the last good dataset" in first and "news_2024.csv line" in first


# Class 6: environment errors are one line, not a traceback.
def test_read_only_folder_is_one_line_and_leaves_the_last_good_dataset(raw, tmp_path, capsys):
    parent = tmp_path / "ro"
    parent.mkdir()
    out = parent / "clean"
    shutil.copytree(CLEAN, out)
    (raw / "news_2024.csv").write_text((raw / "news_2024.csv").read_text(encoding="utf-8").replace(
        "care days in mental health housing services", "care days in mental-health housing services"), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    locked = _lock(parent)
    try:
        code = clean.main(["--raw", str(raw), "--out", str(out)])
    finally:
        _unlock(parent, locked)
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("make data: cannot write ") and "make the folder writable" in err, err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in parent.iterdir()) == ["clean"]


def _lock(folder: Path) -> str:
    """Make `folder` read-only: chmod for a user, chattr +i for root (whom chmod does not stop)."""
    import os
    import subprocess

    if os.geteuid() != 0:
        folder.chmod(0o555)
        return "chmod"
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("running as root on a file system without chattr: cannot make a folder read-only")
    return "chattr"


def _unlock(folder: Path, how: str) -> None:
    import subprocess

    if how == "chmod":
        folder.chmod(0o755)
    else:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


# Class 6: every figure is printed in its source, in the section recorded (its passage is data).
def test_a_value_the_source_does_not_print_is_rejected(raw, out, capsys):
    line = edit_line(raw / "annual_review_2025.csv", "45 minuter", "46 minuter")
    err = error_of(raw, out, capsys)
    assert (f"annual_review_2025.csv line {line}, column value_as_printed: value '46 minuter': callback_time_minutes: "
            "the source's text (001_12f07e4ac34b747f.txt) prints this value nowhere") in err


def test_a_value_printed_only_in_another_section_is_rejected(raw, out, capsys):
    line = edit_line(raw / "annual_review_2025.csv", "45 minuter,Återuppringningstjänsten ringde tillbaka i genomsnitt på,"
                     "Service för Helsingforsbornas behov > Smidig betjäning", "45 minuter,Återuppringningstjänsten "
                     "ringde tillbaka i genomsnitt på,Ekonomin i balans")
    err = error_of(raw, out, capsys)
    assert f"annual_review_2025.csv line {line}, column value_as_printed: value '45 minuter'" in err
    assert "prints this value only under " in err and "'Våra målsättningar 2023–2025 > Smidig betjäning'" in err
    assert "not in the section recorded ('Ekonomin i balans')" in err


# Issue #25, class 7: a text cell a spreadsheet would run as a formula is refused, by file, line and value.
@pytest.mark.parametrize("formula", ["=HYPERLINK(\"http://x\")", "@SUM(A1)", "-cmd|' /C calc'!A0", "+1+1"])
def test_a_label_that_starts_a_formula(raw, out, capsys, formula):
    line = edit_line(raw / "annual_review_2025.csv", "Hälsovårdarmottagning på hälsostationen",
                     f'"{formula.replace(chr(34), chr(34) * 2)}"')
    err = error_of(raw, out, capsys)
    assert f"annual_review_2025.csv line {line}, column label_as_printed: value {formula!r}: starts with " \
           f"{formula[0]!r}, which a spreadsheet runs as a formula" in err


def test_a_printed_sign_is_still_a_number(raw, tmp_path):
    """value_as_printed '+6' (a stated increase) stays: the parser reads it as a number."""
    assert clean.main(["--raw", str(raw), "--out", str(tmp_path / "fresh")]) == 0
    assert ",+6," in (tmp_path / "fresh" / "figures.csv").read_text(encoding="utf-8")


# Issue #25, class 6: the changelog and the releases.
from sotebook.data import release  # noqa: E402
from sotebook.data.rawdata import DataError  # noqa: E402
from sotebook.paths import CHANGELOG, RELEASES  # noqa: E402


def changelog_with(tmp_path, heading: str) -> tuple[Path, int]:
    path = tmp_path / "CHANGELOG.md"
    text = CHANGELOG.read_text(encoding="utf-8").replace("## [Unreleased]\n", f"## [Unreleased]\n\n{heading}\n\n- x\n", 1)
    path.write_text(text, encoding="utf-8")
    return path, text.splitlines().index(heading) + 1


@pytest.mark.parametrize("heading", ["## 1.1.0 - 2027-01-15", "##[1.1.0] - 2027-01-15", "# [1.1.0] - 2027-01-15",
                                     "## v1.1.0 (2027-01-15)", "## Release 1.1.0", "## [Unreleased] 1.1.0"])
def test_a_release_heading_in_another_form_is_refused(tmp_path, heading):
    path, line = changelog_with(tmp_path, heading)
    with pytest.raises(DataError) as error:
        release.changelog_entries(path)
    assert f"CHANGELOG.md line {line}: value {heading!r}: " in str(error.value)
    assert "'## [MAJOR.MINOR.PATCH] - YYYY-MM-DD'" in str(error.value)


def test_a_new_release_dated_before_the_previous_one_is_refused(tmp_path):
    newest = release.current_release()
    heading = "## [9.0.0] - 2001-01-01"
    path, line = changelog_with(tmp_path, heading)
    with pytest.raises(DataError) as error:
        release.changelog_entries(path)
    assert f"CHANGELOG.md line {line}: value {heading!r}: dates must go down the file, newest first: release 9.0.0 " \
           f"is dated 2001-01-01, before release {newest.version} below it" in str(error.value)


@pytest.mark.parametrize("key, value", [("version", "1.0.7"), ("created", "2031-01-01T00:00:00Z")])
def test_a_descriptor_edited_by_hand_is_named(tmp_path, key, value):
    copy = shutil.copytree(CLEAN, tmp_path / "clean")
    descriptor = copy / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    data[key] = value
    descriptor.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(release.ReleaseError) as error:
        release.verify_clean(copy)
    assert f"clean/datapackage.json, key {key}: value {value!r} is not " in str(error.value)
    assert "data/CHANGELOG.md" in str(error.value) and "run `make data`" in str(error.value)


def test_a_tampered_manifest_is_named_and_not_blamed_on_the_dataset(tmp_path):
    releases = shutil.copytree(RELEASES, tmp_path / "releases")
    path = releases / f"manifest-{release.current_release().version}.json"
    text = path.read_text(encoding="utf-8")
    assert text.count('"value": "1679689"') == 1
    path.write_text(text.replace('"value": "1679689"', '"value": "1679000"'), encoding="utf-8")
    with pytest.raises(release.ReleaseError) as error:
        release.check(releases=releases)
    message = str(error.value)
    assert message.startswith(f"{path}: its figures no longer match the figures.csv it records")
    assert "1679000 -> 1679689" in message and "the manifest was changed, not the dataset" in message
    assert "add a release entry" not in message


def test_a_version_released_twice_names_the_heading_just_added(tmp_path):
    """The independent pass's #21: a second '## [1.0.0]' above the first was blamed on the original heading."""
    path, line = changelog_with(tmp_path, "## [1.0.0] - 2026-12-01")
    with pytest.raises(DataError) as error:
        release.changelog_entries(path)
    assert f"CHANGELOG.md line {line}" in str(error.value) and "release 1.0.0 is already in the changelog at line" \
        in str(error.value) and "'## [1.0.0] - 2026-12-01'" in str(error.value)

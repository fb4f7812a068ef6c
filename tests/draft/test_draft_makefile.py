"""make draft / make accept-draft: usage without SOURCE; drafts are never inputs of make data."""
import shutil
import subprocess

import pytest

from sotebook.paths import RAW, ROOT


@pytest.mark.parametrize("target", ["draft", "accept-draft"])
def test_without_source_make_prints_usage_and_fails(target, tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    done = subprocess.run(["make", "-C", str(tmp_path), "--no-print-directory", target],
                          capture_output=True, text=True)
    assert done.returncode != 0
    assert f"usage: make {target} SOURCE=<path to the document's text" in done.stderr
    assert not (tmp_path / ".venv").exists()  # nothing was installed or run


def test_drafts_are_not_inputs_of_the_data_step(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    shutil.copytree(RAW, tmp_path / "data" / "raw", ignore=shutil.ignore_patterns("drafts"))
    (tmp_path / "data" / "raw" / "drafts").mkdir()
    (tmp_path / "data" / "raw" / "drafts" / "annual_review_2026.csv").write_text("status\n", encoding="utf-8")
    database = subprocess.run(["make", "-C", str(tmp_path), "-pn", "help"], capture_output=True, text=True).stdout
    raw_line = next(line for line in database.splitlines() if line.startswith("RAW :="))
    assert "data/raw/annual_review_2025.csv" in raw_line and "drafts" not in raw_line

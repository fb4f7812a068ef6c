"""nbval is the staleness check: a figure changed in data/clean/ without rebuilding fails it."""
import os
import shutil
import subprocess
import sys

from sotebook.paths import ROOT


def test_changed_figure_without_rebuild_fails_nbval_naming_notebook_and_cell(tmp_path):
    copy = tmp_path / "book"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", "_build", "node_modules", ".git", "__pycache__"))
    figures = copy / "data" / "clean" / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    assert text.count(",1679689,") == 1
    figures.write_text(text.replace(",1679689,", ",1679690,"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider", "-q",
         "-o", "addopts=", "book/year_2025.ipynb"],
        cwd=copy, env={**os.environ, "PYTHONPATH": str(copy)}, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    assert "year_2025.ipynb::Cell" in output, output[-3000:]
    assert "1,679,690" in output, "the failure should show the changed figure"

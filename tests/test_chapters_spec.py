"""chapters.yml is checked against the templates before anything runs; templates check their parameters."""
import subprocess
import sys

import jupytext
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from sotebook.pages import parameters, spec
from sotebook.site import build
from sotebook.pages.parameters import ParameterError, check_parameters
from sotebook.paths import ROOT

GOOD = (ROOT / "chapters.yml").read_text(encoding="utf-8")


def spec_error(tmp_path, old: str, new: str) -> str:
    assert old in GOOD
    path = tmp_path / "chapters.yml"
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(spec.BuildError) as error:
        spec.read_spec(path)
    return str(error.value)


def test_misspelt_parameter_names_file_chapter_and_parameter(tmp_path):
    message = spec_error(tmp_path, "parameters: {year: latest}", "parameters: {yaer: latest}")
    assert "chapters.yml chapter 1 (template home): parameter 'yaer' is not a parameter of notebooks/home.md" in message
    assert "parameter 'year' of notebooks/home.md is not given" in message


def test_latest_typo(tmp_path):
    message = spec_error(tmp_path, "{year: latest}", "{year: lastest}")
    assert "chapters.yml chapter 1 (template home): year 'lastest' must be a four-digit year or 'latest'" in message


def test_unfilled_placeholder_in_output(tmp_path):
    message = spec_error(tmp_path, 'output: "year_{year}"', 'output: "year_{yr}"')
    assert "chapters.yml chapter 2 (template year): output 'year_{yr}' names {yr}" in message


def test_substitution_the_chapter_does_not_give(tmp_path, monkeypatch):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = new_notebook(cells=[new_markdown_cell("# The year {{ year }}"), new_code_cell("x = 1")])
    jupytext.write(nb, notebooks / "page.md", fmt="md:myst")
    monkeypatch.setattr(parameters, "NOTEBOOKS", notebooks)
    path = tmp_path / "chapters.yml"
    path.write_text("editions:\n  - {lang: en, name: English}\nchapters:\n  - template: page\n    output: page\n",
                    encoding="utf-8")
    with pytest.raises(spec.BuildError, match=r"chapters.yml chapter 1 \(template page\): .*page.md uses "
                                               r"\{\{ year \}\} in its text, which is not a parameter of this chapter"):
        spec.read_spec(path)


def test_template_rejects_an_unknown_parameter_and_accepts_a_year_as_text():
    namespace = {"year": 2025, "lang": "en", "yaer": 2024, "In": [], "get_ipython": print}
    with pytest.raises(ParameterError, match="unknown parameter yaer: this template takes year, lang"):
        check_parameters(namespace, "year")
    namespace = {"year": "2024", "lang": "en"}
    check_parameters(namespace, "year")
    assert namespace["year"] == 2024
    with pytest.raises(ParameterError, match="year must be int, not 'twenty'"):
        check_parameters({"year": "twenty", "lang": "en"}, "year")


def test_papermill_run_with_a_misspelt_parameter_fails(tmp_path):
    """As an analyst runs a template by hand: jupytext makes the notebook, papermill runs it."""
    notebook = tmp_path / "year.ipynb"
    jupytext.write(jupytext.read(spec.template_path("year")), notebook)
    result = subprocess.run([sys.executable, "-m", "papermill", str(notebook),
                             str(tmp_path / "out.ipynb"), "-p", "yaer", "2024", "--cwd", str(ROOT / "book")],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode != 0
    assert "unknown parameter yaer" in result.stdout + result.stderr


def test_repeated_years_run_once():
    book = spec.read_spec()
    years = build.parse_years("2024 2024")
    names = [job.name for job in build.plan(book, [2023, 2024, 2025], years)]
    assert names.count("en/year_2024") == 1 and names.count("fi/year_2024") == 1

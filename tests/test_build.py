"""The build: which notebooks run, what a bad request says, what a failing notebook says."""
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from sotebook import build, data
from sotebook.paths import ROOT


def test_unknown_year_lists_the_years_the_dataset_holds():
    result = subprocess.run([sys.executable, "-m", "sotebook.build", "notebooks", "--years", "1999"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    held = ", ".join(map(str, data.available_years()))
    assert f"no figures for 1999 in the dataset; it holds {held}" in result.stderr


def test_malformed_years_are_refused():
    with pytest.raises(build.BuildError, match="'20x5' is not one"):
        build._year("20x5")


def test_plan_names_outputs_from_parameters():
    spec = build.read_spec()
    jobs = build.plan(spec, [2023, 2024, 2025], [2024, 2025])
    names = [job.name for job in jobs]
    assert "en/year_2024" in names and "fi/year_2025" in names and "sv/year_2023" not in names
    home = next(job for job in jobs if job.name == "en/index")
    assert home.parameters == {"year": 2025, "lang": "en"}, "year: latest resolves to the latest year held"


def test_every_planned_notebook_is_committed_and_current():
    """The committed notebooks carry the fingerprint of their inputs: none is stale."""
    spec = build.read_spec()
    for job in build.plan(spec, data.available_years()):
        assert job.output.exists(), f"{job.output.name} is missing: run make book"
        assert build.stored_fingerprint(job.output) == build.fingerprint(job), \
            f"{job.output.name} is stale: its inputs changed since it was executed (run make book)"


def test_fingerprint_follows_the_chapters_but_not_the_editions(tmp_path, monkeypatch):
    """No notebook reads the list of editions (the switcher is the site's), so adding or removing an
    edition executes nothing in the others; a chapter added or removed changes every home page's links."""
    job = next(j for j in build.plan(build.read_spec(), data.available_years()) if j.name == "fi/index")
    before = build.fingerprint(job)
    text = build.CHAPTERS_FILE.read_text(encoding="utf-8")
    chapters = tmp_path / "chapters.yml"
    monkeypatch.setattr(build, "CHAPTERS_FILE", chapters)
    chapters.write_text(text.replace("  - {lang: sv, name: svenska}\n", ""), encoding="utf-8")
    assert "lang: sv" not in chapters.read_text(encoding="utf-8")
    assert build.fingerprint(job) == before
    chapters.write_text(text.replace("  - template: trends\n    output: trends\n", ""), encoding="utf-8")
    assert chapters.read_text(encoding="utf-8") != text
    assert build.fingerprint(job) != before


def test_a_notebook_that_raises_fails_naming_notebook_and_cell(tmp_path):
    template = tmp_path / "broken.ipynb"
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                                "language_info": {"name": "python"}})
    nb.cells = [new_code_cell("x = 1", metadata={"tags": ["parameters"]}), new_code_cell("1 / 0")]
    nbformat.write(nb, template)
    output = tmp_path / "broken_out.ipynb"
    output.write_text("previous")
    job = build.Job(template, output, {"x": 2})
    with pytest.raises(build.BuildError) as error:
        build.execute(job, "fp")
    message = str(error.value)
    assert "broken.ipynb" in message and "failed in cell" in message and "ZeroDivisionError" in message
    assert output.read_text() == "previous", "the previous output stays in place"


def test_fingerprint_follows_only_the_data_a_chapter_reads(tmp_path, monkeypatch):
    copy = tmp_path / "clean"
    shutil.copytree(data.CLEAN, copy)
    before = {year: data.fingerprint_bytes(year) for year in (2024, 2025, None)}
    figures = copy / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    assert "1 679 689" in text
    figures.write_text(text.replace(",1679689,", ",1679690,"), encoding="utf-8")
    monkeypatch.setattr(data, "CLEAN", copy)
    after = {year: data.fingerprint_bytes(year) for year in (2024, 2025, None)}
    assert after[2024] == before[2024], "a 2025 figure must not re-run the 2024 chapter"
    assert after[2025] != before[2025]
    assert after[None] != before[None], "chapters that read every year re-run"


def test_executed_notebooks_hold_no_timestamps_or_paths():
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        text = path.read_text(encoding="utf-8")
        assert "start_time" not in text and "end_time" not in text, path.name
        assert str(ROOT) not in text, f"{path.name} contains the absolute path of this checkout"


@pytest.mark.slow
def test_execution_is_reproducible(tmp_path):
    """The same inputs give the same notebook, byte for byte."""
    spec = build.read_spec()
    job = next(j for j in build.plan(spec, data.available_years()) if j.name == "fi/year_2024")
    outputs = []
    for run in range(2):
        out = tmp_path / f"run{run}" / "year_2024.ipynb"
        out.parent.mkdir()
        build.execute(build.Job(job.template, out, job.parameters), "fingerprint")
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0] == job.output.read_bytes().replace(
        build.stored_fingerprint(job.output).encode(), b"fingerprint"), "the committed notebook differs from a fresh run"

"""A new year arrives: a synthetic 2026 review with a handful of figures is added to a copy of the project,
the dataset and the book are rebuilt, and the 2026 chapter and the home page say only true things of it."""
import ast
import csv
import shutil
import subprocess
import sys

import nbformat
import pytest

from project_copy import copy_project, project_env
from sotebook.paths import SEEDS

# The tests read one copy of the project with a 2026 review added and its book built: one worker, first.
pytestmark = [pytest.mark.xdist_group("synthetic_year"), pytest.mark.slow]

FIGURES_2026 = [
    # metric_id, period, as printed: chosen so that each kind of comparison occurs once
    ("nps", "2026", "71"),                                  # a score: up 1 to 3 points from 69
    ("staff_total", "2026-12-31", "15,912"),                # a stock on 31 December: +1.8% from 15,638
    ("health_station_nurse_visits", "2026", "1,500,111"),   # a large fall nobody explains
    ("residents", "2026-autumn", "700,000"),                # autumn against autumn: comparable, rounded
    ("contracts", "2026", "1,402"),
]


def cell_text(notebook, call: str) -> str:
    """What readers read in the HTML output of the code cell that makes `call`: the notes that open in
    place and the footnote marks left out, as the running text reads."""
    from bs4 import BeautifulSoup

    for cell in notebook.cells:
        if cell.cell_type == "code" and call in cell.source:
            html = "".join(o.get("data", {}).get("text/html", "") for o in cell.get("outputs", []))
            soup = BeautifulSoup(html, "html.parser")
            for hidden in soup.select("[popover], .sotebook-fnref, .sotebook-notes"):
                hidden.decompose()
            return " ".join(soup.get_text("").split())
    raise KeyError(call)


def add_source(copy, seeds):
    # The review's text prints every figure under its one heading, as make data checks (each figure's passage).
    lines = [f"{metric_id.replace('_', ' ')} {printed}." for metric_id, _, printed in FIGURES_2026]
    (seeds / "900_synthetic_2026.txt").write_text("# Synthetic\n\nA synthetic review for the test of a new year.\n\n"
                                                 + "\n\n".join(lines) + "\n", encoding="utf-8")
    sources = copy / "data" / "raw" / "sources.csv"
    with sources.open(encoding="utf-8") as handle:
        columns = next(csv.reader(handle))
    row = {c: "" for c in columns}
    row.update(source_id="annual_review_2026", title="Synthetic annual review 2026", language="en",
               publisher="Test", document_type="annual review", covers="2026", covers_from="2026",
               covers_to="2026", seed_file="900_synthetic_2026.txt", attribution="Synthetic test source",
               not_transcribed="None",
               publisher_fi="Testi", publisher_sv="Testet", document_type_fi="vuosikatsaus",
               document_type_sv="årsöversikt", covers_fi="vuosi 2026", covers_sv="år 2026",
               attribution_fi="Synteettinen testilähde", attribution_sv="Syntetisk testkälla",
               not_transcribed_fi="Ei mitään", not_transcribed_sv="Inga", title_en="Synthetic annual review 2026",
               title_fi="Synteettinen vuosikatsaus 2026", title_sv="Syntetisk årsöversikt 2026")
    with sources.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow([row[c] for c in columns])
    with (copy / "data" / "raw" / "facts" / "headings.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(["annual_review_2026", "Synthetic", "Synthetic", "Synteettinen",
                                                           "Syntetisk"])
    with (copy / "data" / "raw" / "annual_review_2025.csv").open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    with (copy / "data" / "raw" / "annual_review_2026.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n", restval="")
        writer.writeheader()
        for metric_id, period, printed in FIGURES_2026:
            writer.writerow({"metric_id": metric_id, "year": "2026", "period": period, "value_as_printed": printed,
                             "label_as_printed": metric_id.replace("_", " "), "section": "Synthetic",
                             "printing": "primary"})


@pytest.fixture(scope="module")
def book_2026(tmp_path_factory):
    top = tmp_path_factory.mktemp("synthetic")
    copy, seeds = top / "project", top / "shared" / "seeds"
    copy_project(copy, editions=("en",))  # what is tested is the English text: the other editions add only time
    shutil.copytree(SEEDS, seeds)
    add_source(copy, seeds)
    env = project_env(copy, seeds)
    for step in (["-m", "sotebook.data.clean"], ["-m", "sotebook.site.build", "notebooks"]):
        result = subprocess.run([sys.executable, *step], cwd=copy, env=env, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return copy / "book" / "en"


def test_the_new_year_gets_its_chapter_and_takes_over_the_home_page(book_2026):
    assert (book_2026 / "year_2026.ipynb").exists()
    home = nbformat.read(book_2026 / "index.ipynb", as_version=4)
    assert home.metadata["sotebook"]["parameters"]["year"] == 2026
    assert home.metadata["myst"]["substitutions"]["h_story"] == "2026 in brief"
    assert "71" in cell_text(home, "home.opening(")


def test_the_story_says_what_the_figures_support(book_2026):
    story = cell_text(nbformat.read(book_2026 / "year_2026.ipynb", as_version=4), "chapter.opening(")
    assert "net promoter score of 71, up 2 points from 69 in 2025" in story
    assert "15,912 people worked for the division on 31 December 2026, up 1.8% from 15,638 on 31 December 2025" in story
    assert "Health station nurse visits: −10.7%, to 1,500,111. The review does not say why." in story
    for untrue in ("surplus", "new services opened", "target for 2026", "€151 million", "2024"):
        assert untrue not in story, f"the 2026 story says {untrue!r}, which no 2026 source supports"


def test_sections_without_2026_figures_are_left_out_and_comparisons_follow_the_periods(book_2026):
    chapter = nbformat.read(book_2026 / "year_2026.ipynb", as_version=4)
    residents = cell_text(chapter, 'section_opening(words, data, year, "residents"')
    # autumn against autumn is comparable; 700,000 is rounded to the hundred thousand, so the change
    # can have either sign: the text says so, and the range is in the number's note
    assert "700,000 people lived in Helsinki in autumn 2026, with no clear change from 693,000 in autumn 2025" \
        in residents, residents
    sections = {t for c in chapter.cells for t in c.metadata.get("tags", []) if t.startswith("section-")}
    assert sections == {"section-residents", "section-services", "section-staff", "section-feedback",
                        "section-procurement"}, sections

"""What a notebook read of the dataset decides when it executes again (sotebook/data/reads.py): a figure a page
read makes it stale in every edition; a figure it did not read does not; a notebook that recorded nothing, or
read a file of the dataset outside the loader, depends on its whole slice."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from sotebook.data import dataset, reads
from sotebook.pages.spec import read_spec
from sotebook.site import fingerprint, notebooks

NURSE_2025 = ("health_station_nurse_visits", 2025, "annual_review_2025")


@pytest.fixture
def fresh():
    """An empty record, and the one before put back afterwards (the tests share a process)."""
    saved = reads.STATE.__dict__.copy()
    reads.STATE.reset()
    yield reads.STATE
    reads.STATE.__dict__.update(saved)


def test_selecting_by_key_reads_only_the_rows_it_keeps(fresh):
    data = dataset.load(2025)
    best = data.best
    nurse = best[best.metric_id == NURSE_2025[0]]
    assert not fresh.columns, "choosing rows by a key reads no value"
    assert list(nurse.year) == [2024, 2025] and not fresh.columns, "keys are free"
    nurse.value.tolist()
    assert fresh.columns == {("2025", "figures", "value"): {(NURSE_2025[0], 2024, "annual_review_2024"), NURSE_2025}}


def test_anything_else_reads_every_column_of_the_rows_it_holds(fresh):
    data = dataset.load(2025)
    best = data.best
    doctors = best[best.metric_id == "health_station_doctor_visits"]
    list(doctors.itertuples())
    pd.concat([doctors])  # pandas reaching into the frame
    read = {column for (_, table, column), rows in fresh.columns.items() if table == "figures"}
    assert {"value", "passage", "period", "value_as_printed"} <= read
    assert all(NURSE_2025 not in rows for rows in fresh.columns.values() if rows != reads.ALL)
    data.metric("health_station_doctor_visits")
    assert fresh.columns[("2025", "metrics", "label_fi")] == reads.ALL, "the other tables are read by column, every row"


def test_sorting_by_a_column_reads_that_column(fresh):
    best = dataset.load(2025).best
    chosen = best[best.metric_id == NURSE_2025[0]].sort_values("value")
    assert isinstance(chosen, reads.TrackedFrame)
    assert set(fresh.columns) == {("2025", "figures", "value")}


def test_a_clean_table_opened_by_other_code_is_read_whole(fresh):
    dataset._read("sources")
    assert fresh.tables == {"sources"} and not fresh.files
    (dataset.clean_folder() / "datapackage.json").read_bytes()
    assert fresh.files == {"data/clean/datapackage.json"}
    assert reads.digest(reads.recorded(), dataset.tables, lambda n: b"") is None, "a data file read: the whole slice"


def _jobs():
    return notebooks.plan(read_spec(), dataset.available_years())


def _stale(tmp_path, monkeypatch, metric_id: str, year: int, new: str) -> set[str]:
    """The notebooks whose data part of the fingerprint changes when one figure of data/clean changes."""
    jobs = _jobs()
    recorded = {job.name: fingerprint.stored(job.output)[1] for job in jobs}
    assert all(recorded.values()), "every committed notebook recorded what it read"
    before = {job.name: fingerprint.data_digest(job, recorded[job.name]) for job in jobs}
    copy = tmp_path / "clean"
    shutil.copytree(dataset.clean_folder(), copy)
    figures = pd.read_csv(copy / "figures.csv", dtype=str, keep_default_na=False)
    row = (figures.metric_id == metric_id) & (figures.year == str(year)) & (figures.source_id == f"annual_review_{year}")
    assert row.sum() == 1
    figures.loc[row, "value"] = new
    figures.to_csv(copy / "figures.csv", index=False, lineterminator="\n")
    monkeypatch.setenv(dataset.CLEAN_ENV, str(copy))
    return {job.name for job in jobs if fingerprint.data_digest(job, recorded[job.name]) != before[job.name]}


def test_a_figure_re_executes_the_pages_that_read_it_in_every_edition_and_no_other(tmp_path, monkeypatch):
    stale = _stale(tmp_path, monkeypatch, *NURSE_2025[:2], "1679688")
    langs = read_spec().languages
    # The 2025 chapter and the front page show it; "About the data" shows the release, which reads every file.
    assert stale == {f"{lang}/{page}" for lang in langs for page in ("year_2025", "index", "about_data")}
    # The trends page reads it only through a rate rounded to one decimal, which this change leaves alone.


def test_a_figure_the_trends_page_shows_re_executes_it_in_every_edition(tmp_path, monkeypatch):
    stale = _stale(tmp_path, monkeypatch, "nps", 2024, "99")
    langs = read_spec().languages
    assert {f"{lang}/trends" for lang in langs} <= stale
    assert {f"{lang}/year_2024" for lang in langs} <= stale and {f"{lang}/year_2025" for lang in langs} <= stale
    assert not {f"{lang}/year_2023" for lang in langs} & stale and not {f"{lang}/background" for lang in langs} & stale


def test_a_rate_that_changes_re_executes_the_trends_page(tmp_path, monkeypatch):
    stale = _stale(tmp_path, monkeypatch, NURSE_2025[0], 2025, "1779689")
    assert {f"{lang}/trends" for lang in read_spec().languages} <= stale


def test_a_notebook_that_recorded_nothing_depends_on_its_whole_slice(tmp_path, monkeypatch):
    job = next(j for j in _jobs() if j.name.endswith("/trends"))
    before = fingerprint.data_digest(job, None)
    copy = tmp_path / "clean"
    shutil.copytree(dataset.clean_folder(), copy)
    text = (copy / "figures.csv").read_text(encoding="utf-8")
    (copy / "figures.csv").write_text(text.replace(",1679689,", ",1679688,"), encoding="utf-8")
    monkeypatch.setenv(dataset.CLEAN_ENV, str(copy))
    assert fingerprint.data_digest(job, None) != before
    assert fingerprint.data_digest(job, {"slices": {}, "files": ["data/CHANGELOG.md"]}) != before.replace(b"x", b"y")


def test_a_story_is_in_its_year_and_edition_only(tmp_path, monkeypatch):
    monkeypatch.setattr(fingerprint, "STORIES", tmp_path)
    jobs = {j.name: j for j in _jobs()}
    before = {name: fingerprint.static_digest(job) for name, job in jobs.items()}
    (tmp_path / "2024.sv.md").write_text("Ett år.\n", encoding="utf-8")
    changed = {name for name, job in jobs.items() if fingerprint.static_digest(job) != before[name]}
    assert changed == {"sv/year_2024"}
    (tmp_path / "2025.fi.md").write_text("Vuosi.\n", encoding="utf-8")
    changed = {name for name, job in jobs.items() if fingerprint.static_digest(job) != before[name]}
    assert changed == {"sv/year_2024", "fi/year_2025", "fi/index"}, "the front page tells the latest year"


def test_a_source_looked_up_by_id_is_the_only_source_read(fresh):
    languages = dataset.source_languages()
    assert languages.get("annual_review_2025") == "sv"
    assert fresh.columns == {("all", "sources", "language"): {("annual_review_2025",)}}
    dict(languages.items())
    assert fresh.columns[("all", "sources", "language")] == reads.ALL, "every row, once iterated"


def test_a_chapters_history_slice_holds_its_year_and_the_years_before_only():
    """`load(year, until=True)` (the year chapter's charts of the years up to its own): no later year's figure
    is in it, so adding a year to the book leaves the earlier chapters' fingerprints as they were; its
    slice is named so that a recorded read can be looked up again."""
    from sotebook.data.dataset import load, plain_slice, slice_name, tables

    history = load(2024, until=True)
    years = set(reads.plain(history.figures).year)
    assert years == {2023, 2024} and history.years == [2023, 2024]
    assert slice_name(2024, until=True) == "to2024"
    assert set(plain_slice("to2024").figures.year) == years
    assert set(tables("to2024")["figures"].year) == years

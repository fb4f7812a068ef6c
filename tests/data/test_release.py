"""Versioned releases: checksums in the descriptor, a byte-stable zip, and the back test against the last release."""
import csv
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sotebook.data import release
from project_copy import copy_project, project_env
from sotebook.paths import CHANGELOG, CLEAN, RELEASES, SEEDS
from sotebook.data.rawdata import DataError

FIGURE = "health_station_nurse_visits 2025 (annual_review_2025) changed: 1679689 -> 1679688"


def run(copy: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess:
    """Run a command in a copy of the project, with the copy's package and the real source documents."""
    seeds = copy.parent / "seeds"  # a copy of the source documents, where a test corrected one
    env = project_env(copy, seeds if seeds.is_dir() else SEEDS)
    result = subprocess.run(list(args), cwd=copy, env=env, capture_output=True, text=True, timeout=600)
    assert not check or result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "book")


def add_release(project: Path, version: str, body: str) -> None:
    """Put a new release entry at the top of the copy's changelog."""
    path = project / "data" / "CHANGELOG.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## [Unreleased]\n", f"## [Unreleased]\n\n## [{version}] - 2027-01-15\n\n{body}\n", 1),
                    encoding="utf-8")


def correct_nurse_visits(project: Path) -> None:
    """Change one figure in data/raw, as a correction would, and in a copy of the source document, which
    prints the corrected figure (make data finds every figure in its source's text)."""
    path = project / "data" / "raw" / "annual_review_2025.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count("1 679 689") == 1
    path.write_text(text.replace("1 679 689", "1 679 688"), encoding="utf-8")
    seeds = shutil.copytree(SEEDS, project.parent / "seeds")
    with (project / "data" / "raw" / "sources.csv").open(encoding="utf-8") as handle:
        document = seeds / next(r["seed_file"] for r in csv.DictReader(handle) if r["source_id"] == "annual_review_2025")
    text = document.read_text(encoding="utf-8")
    assert text.count("1 679 689") == 1
    document.write_text(text.replace("1 679 689", "1 679 688"), encoding="utf-8")


# --- the descriptor ------------------------------------------------------------------------------


def test_descriptor_carries_the_changelog_version_and_date():
    descriptor = json.loads((CLEAN / "datapackage.json").read_text(encoding="utf-8"))
    entry = release.current_release()
    assert descriptor["version"] == entry.version
    assert descriptor["created"] == f"{entry.date}T00:00:00Z"


def test_descriptor_records_every_table_and_source_document_by_size_and_sha256():
    descriptor = json.loads((CLEAN / "datapackage.json").read_text(encoding="utf-8"))
    assert sorted(r["path"] for r in descriptor["resources"]) == sorted(p.name for p in CLEAN.glob("*.csv"))
    for resource in descriptor["resources"]:
        data = (CLEAN / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    seeds = [r["seed_file"] for r in csv.DictReader((CLEAN / "sources.csv").open(encoding="utf-8"))]
    assert [s["path"] for s in descriptor["sources"]] == seeds
    for source in descriptor["sources"]:
        assert source["hash"] == "sha256:" + hashlib.sha256((SEEDS / source["path"]).read_bytes()).hexdigest()


def test_a_missing_source_document_is_named(project, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    (seeds / "004_df6c7aa269c72c0a.txt").unlink()
    result = subprocess.run([sys.executable, "-m", "sotebook.data.clean"], cwd=project, capture_output=True, text=True,
                            env=project_env(project, seeds))
    assert result.returncode == 1
    assert "sources.csv line 4, column seed_file: value '004_df6c7aa269c72c0a.txt'" in result.stderr
    assert f"the source document {seeds / '004_df6c7aa269c72c0a.txt'} is missing" in result.stderr


def test_frictionless_rejects_a_table_changed_by_one_byte(tmp_path):
    copy = tmp_path / "clean"
    shutil.copytree(CLEAN, copy)

    def validate():
        return subprocess.run([sys.executable, "-m", "frictionless", "validate", "--json", str(copy / "datapackage.json")],
                              capture_output=True, text=True)

    assert validate().returncode == 0
    figures = copy / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    figures.write_text(text.replace(",1679689,", ",1679688,"), encoding="utf-8")
    result = validate()
    assert result.returncode == 1
    tasks = json.loads(result.stdout)["tasks"]
    assert [(task["name"], error["type"]) for task in tasks for error in task["errors"]] == [("figures", "hash-count")]


# --- the changelog -------------------------------------------------------------------------------


@pytest.mark.parametrize("heading, bad_line, rule", [
    ("## [1.1] - 2027-01-15", "## [1.1] - 2027-01-15", "the version must be MAJOR.MINOR.PATCH"),
    ("## [1.1.0]", "## [1.1.0]", "ends with ' - YYYY-MM-DD'"),
    ("## [1.1.0] - 2027-02-30", "## [1.1.0] - 2027-02-30", "ends with ' - YYYY-MM-DD'"),
    ("## [0.0.1] - 2027-01-15", "NEWEST", "newest first (this one is not older than 0.0.1)"),
])
def test_a_bad_release_heading_is_named_by_line(tmp_path, heading, bad_line, rule):
    path = tmp_path / "CHANGELOG.md"
    text = CHANGELOG.read_text(encoding="utf-8").replace("## [Unreleased]\n", f"## [Unreleased]\n\n{heading}\n", 1)
    path.write_text(text, encoding="utf-8")
    if bad_line == "NEWEST":  # an older version above the newest release: the newest's heading is named
        newest = release.current_release()
        bad_line = f"## [{newest.version}] - {newest.date}"
    line = text.splitlines().index(bad_line) + 1
    with pytest.raises(DataError) as error:
        release.changelog_entries(path)
    assert f"CHANGELOG.md line {line}" in str(error.value) and rule in str(error.value)


# --- verifying data/clean -----------------------------------------------------------------------


@pytest.mark.parametrize("damage, message", [
    (lambda p: p.write_text(p.read_text(encoding="utf-8").replace(",1679689,", ",1679688,"), encoding="utf-8"),
     "figures.csv does not match the hash in"),
    (lambda p: p.unlink(), "figures.csv is missing"),
])
def test_make_book_stops_at_a_hand_edited_or_deleted_clean_file(project, damage, message):
    # Make sees an installed environment and an up-to-date dataset, so only the hash check can stop it.
    (project / ".venv").mkdir()
    (project / ".venv" / ".installed").touch()
    (project / "data" / "clean" / "datapackage.json").touch()
    damage(project / "data" / "clean" / "figures.csv")
    result = run(project, "make", "book", f"PY={sys.executable}")
    assert result.returncode != 0
    assert message in result.stderr and "run `make data`" in result.stderr, result.stderr[-2000:]
    assert not (project / "_build").exists(), "nothing may be built from a damaged dataset"


def test_a_file_the_descriptor_does_not_list_is_named(tmp_path):
    copy = shutil.copytree(CLEAN, tmp_path / "clean")
    (copy / "figures (copy).csv").write_text("source_id\n", encoding="utf-8")
    with pytest.raises(release.ReleaseError) as error:
        release.verify_clean(copy)
    assert "figures (copy).csv is not part of the dataset's descriptor: run `make data`" in str(error.value)


def test_version_and_notes_print_the_newest_changelog_entry():
    entry = release.current_release()
    for step, expected in (("version", entry.version), ("notes", entry.text)):
        result = subprocess.run([sys.executable, "-m", "sotebook.data.release", step], capture_output=True, text=True, check=True)
        assert result.stdout == expected + "\n"


def test_the_build_entry_point_and_pytest_refuse_a_hand_edited_dataset(project):
    figures = project / "data" / "clean" / "figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace(",1679689,", ",1679688,"), encoding="utf-8")
    for command in (["-m", "sotebook.site.build", "html"], ["-m", "pytest", "-o", "addopts=", "-p", "no:cacheprovider",
                                                       "tests/data/test_parse.py"]):
        result = run(project, sys.executable, *command)
        assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
        assert "data/clean/figures.csv does not match the hash" in result.stdout + result.stderr
    assert not (project / "_build" / "html").exists()


# --- the release files ---------------------------------------------------------------------------


def test_release_is_the_same_bytes_every_time_and_sha256sum_accepts_it(tmp_path):
    releases = tmp_path / "releases"
    shutil.copytree(RELEASES, releases)
    first = release.release(tmp_path / "a", releases=releases)
    second = release.release(tmp_path / "b", releases=releases)
    names = [p.name for p in first]
    assert names == [f"manifest-{release.current_release().version}.json",
                     f"helsinki-sote-data-{release.current_release().version}.zip", "SHA256SUMS"]
    for a, b in zip(first[1:], second[1:]):
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs between two runs"
    subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path / "a", check=True, capture_output=True)
    with zipfile.ZipFile(first[1]) as archive:
        infos = archive.infolist()
    top = first[1].stem + "/"
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.filename[len(top):] for i in infos} == {p.name for p in CLEAN.iterdir()} | {"CHANGELOG.md", "LICENSE"}
    day = tuple(int(part) for part in release.current_release().date.split("-"))
    assert {(i.date_time, i.external_attr >> 16) for i in infos} == {(day + (0, 0, 0), 0o100644)}


def test_sha256sums_fails_a_changed_zip(tmp_path):
    files = release.release(tmp_path, releases=shutil.copytree(RELEASES, tmp_path / "releases"))
    with files[1].open("ab") as handle:
        handle.write(b"\0")
    result = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1 and "FAILED" in result.stdout


# --- the back test -------------------------------------------------------------------------------


def test_the_committed_dataset_is_a_versioned_release():
    """Fails when data/clean/ changed since the last release without a new changelog entry, or the reverse."""
    release.check()


def test_a_changed_figure_needs_a_new_version_and_then_is_listed(project):
    correct_nurse_visits(project)
    run(project, sys.executable, "-m", "sotebook.data.clean", check=True)
    result = run(project, sys.executable, "-m", "sotebook.data.release", "check")
    assert result.returncode == 1
    assert "data/clean/ changed since release 1.0.0 (compared with data/releases/manifest-1.0.0.json) but data/CHANGELOG.md still says 1.0.0" in result.stderr
    assert FIGURE in result.stderr

    add_release(project, "1.0.1", "### Errata\n\n- health_station_nurse_visits, 2025: 1 679 689 -> 1 679 688.")
    run(project, sys.executable, "-m", "sotebook.data.clean", check=True)
    result = run(project, sys.executable, "-m", "sotebook.data.release", "check", check=True)
    assert result.stdout.splitlines() == ["data/clean/: 1 figure(s) changed since the last release", f"  {FIGURE}"]

    result = run(project, sys.executable, "-c", "from sotebook.pages.about_data import release_block; from sotebook.pages.words import edition; "
                 "print(release_block(edition(\"en\")).markup)",
                 check=True)
    assert "Changes since release 1.0.0: figures added, removed or changed: 1;" in result.stdout
    assert ">1679689</td><td" in result.stdout and ">1679688</td>" in result.stdout


def test_a_correction_must_be_named_in_the_errata(project):
    correct_nurse_visits(project)
    add_release(project, "1.0.1", "### Fixed\n\n- A figure of the 2025 review.")
    run(project, sys.executable, "-m", "sotebook.data.clean", check=True)
    result = run(project, sys.executable, "-m", "sotebook.data.release", "check")
    assert result.returncode == 1
    assert "must be named (by its metric id) under '### Errata'" in result.stderr and FIGURE in result.stderr


def test_a_new_version_without_a_change_fails(project):
    add_release(project, "1.1.0", "### Added\n\n- Nothing, by mistake.")
    run(project, sys.executable, "-m", "sotebook.data.clean", check=True)
    result = run(project, sys.executable, "-m", "sotebook.data.release", "check")
    assert result.returncode == 1
    assert "data/CHANGELOG.md says 1.1.0 but data/clean/ is release 1.0.0 unchanged, every table and schema" in result.stderr


def test_a_schema_change_needs_a_major_version(project):
    schema = project / "sotebook" / "data" / "schema.py"
    text = schema.read_text(encoding="utf-8")
    schema.write_text(text.replace('"Transcriber\'s note."', '"What the transcriber noted."'), encoding="utf-8")
    add_release(project, "1.1.0", "### Changed\n\n- Column descriptions.")
    run(project, sys.executable, "-m", "sotebook.data.clean", check=True)
    result = run(project, sys.executable, "-m", "sotebook.data.release", "check")
    assert result.returncode == 1
    assert "changed since release 1.0.0 (compared with data/releases/manifest-1.0.0.json): that is a new major version, not 1.1.0" in result.stderr
    add_release(project, "2.0.0", "### Changed\n\n- Column descriptions.")
    run(project, sys.executable, "-m", "sotebook.data.clean", check=True)
    run(project, sys.executable, "-m", "sotebook.data.release", "check", check=True)


def test_rewording_the_books_words_changes_no_dataset_file_and_needs_no_release(project):
    """Words are not data: a sentence of the book, including the one that tells a review's explanation, is
    reworded in words/<lang>/ alone; data/clean/ stays byte-identical and release 1.0.0 stays current.
    Rewording the dataset's own statement of the cause, by contrast, is a dataset change."""
    import yaml

    clean_dir = project / "data" / "clean"
    before = {p.name: p.read_bytes() for p in clean_dir.iterdir()}
    reworded = {}
    for lang in ("en", "fi", "sv"):
        for name, key in (("year.yml", ("story", "unexplained")), ("explanations.yml", ("explanation", "nps_2025_change"))):
            path = project / "words" / lang / name
            tree = yaml.safe_load(path.read_text(encoding="utf-8"))
            tree[key[0]][key[1]] = reworded[lang, key[1]] = f"Reworded {key[1]} ({lang})."
            path.write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), encoding="utf-8")

    run(project, sys.executable, "-m", "sotebook.data.clean", check=True)
    run(project, sys.executable, "-m", "sotebook.data.release", "check", check=True)
    assert {p.name: p.read_bytes() for p in clean_dir.iterdir()} == before
    for lang in ("en", "fi", "sv"):  # and the book says the new words
        story = run(project, sys.executable, "-c", "from sotebook.data.dataset import load; from sotebook.pages import "
                    "year_chapter as c; from sotebook.pages.words import edition; "
                    f"print(c.story(edition('{lang}'), load(2025), 2025))", check=True).stdout
        assert reworded[lang, "unexplained"] in story and reworded[lang, "nps_2025_change"].rstrip(".") in story

    facts = project / "data" / "raw" / "facts" / "explanations.csv"
    text = facts.read_text(encoding="utf-8")
    assert text.count("The review takes the higher score") == 1
    facts.write_text(text.replace("The review takes the higher score", "The review reads the higher score"), encoding="utf-8")
    run(project, sys.executable, "-m", "sotebook.data.clean", check=True)
    assert (clean_dir / "explanations.csv").read_bytes() != before["explanations.csv"]
    result = run(project, sys.executable, "-m", "sotebook.data.release", "check")
    assert result.returncode == 1 and "data/clean/ changed since release 1.0.0" in result.stderr


@pytest.mark.parametrize("key, value", [("hash", None), ("bytes", "1234")])
def test_a_descriptor_edited_by_hand_is_named_not_its_table(tmp_path, key, value):
    """The independent pass's #27 and #28: a hash removed or a size made text blamed the table it describes."""
    clean = shutil.copytree(CLEAN, tmp_path / "clean")
    descriptor = json.loads((clean / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "sources")
    if value is None:
        del resource[key]
    else:
        resource[key] = value
    (clean / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(release.ReleaseError) as error:
        release.verify_clean(clean)
    assert f"datapackage.json, resource sources, key {key}: value {value!r}" in str(error.value)
    assert "sources.csv does not match" not in str(error.value)

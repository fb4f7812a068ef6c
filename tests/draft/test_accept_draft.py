"""Must show 3: a fully reviewed draft of the 2025 review, accepted, reproduces the committed
data/raw/annual_review_2025.csv, and the data step validates it; in a copy of the project.

The reviewer is simulated from the committed transcription: each committed row's draft row (same value,
same section) is accepted, or changed where the draft proposed another metric, year or period; the
columns the draft leaves to the person (label_as_printed and section as the transcriber words them,
printing, note, period_kind, basis) are filled in; every other draft row is skipped. The value as
printed and its number format are never corrected: those come from the draft as they are."""
import shutil
import subprocess
import sys
from collections import Counter

from rapidfuzz import fuzz

from sotebook.draft.evaluate import same_section
from sotebook.data.parse import parse_printed
from sotebook.paths import ROOT, SEEDS

from conftest import REVIEW_2025
from draftcopy import read_csv, write_csv

LEFT_TO_THE_PERSON = ("label_as_printed", "section", "printing", "note", "period_kind", "basis")
PROPOSED = ("metric_id", "year", "period")


def _copy_project(dest):
    """The package and the data: all that `make draft`, `make accept-draft` and `make data` read."""
    for name in ("sotebook", "data"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "drafts"))
    shutil.copy(ROOT / "LICENSE", dest / "LICENSE")
    return dest


def _run(copy, *argv):
    env = {"PYTHONPATH": str(copy), "SOTEBOOK_SEEDS": str(SEEDS), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", *argv], cwd=copy, env=env, capture_output=True, text=True)


def _review(draft, committed):
    """Mark the draft as a person would who ends with the committed transcription; count the corrections."""
    for row in draft:
        row["status"] = "skip"
    corrected = Counter()
    for want in committed:
        value = parse_printed(want["value_as_printed"], want["number_format"] or "sv").value
        candidates = [row for row in draft if row["status"] == "skip" and same_section(want["section"], row["section"])
                      and parse_printed(row["value_as_printed"], row["number_format"] or "sv").value == value]
        assert candidates, f"the draft does not hold {want}"
        row = max(candidates, key=lambda r: fuzz.ratio(r["label_as_printed"], want["label_as_printed"]))
        changed = [c for c in PROPOSED if row[c] != want[c]]
        corrected.update(changed)
        row.update({c: want[c] for c in PROPOSED + LEFT_TO_THE_PERSON})
        row["status"] = "change" if changed else "accept"
    return corrected


def test_an_accepted_draft_reproduces_the_transcription_and_validates(tmp_path):
    copy = _copy_project(tmp_path / "project")
    raw = copy / "data" / "raw"
    drafted = _run(copy, "sotebook.draft", "draft", REVIEW_2025)
    assert drafted.returncode == 0, drafted.stderr
    committed = read_csv(raw / "annual_review_2025.csv")
    draft_file = raw / "drafts" / "annual_review_2025.csv"
    draft = read_csv(draft_file)
    corrected = _review(draft, committed)
    write_csv(draft_file, draft)
    (raw / "annual_review_2025.csv").unlink()

    accepted = _run(copy, "sotebook.draft", "accept", REVIEW_2025)
    assert accepted.returncode == 0, accepted.stderr
    written = read_csv(raw / "annual_review_2025.csv")
    assert Counter(tuple(r.items()) for r in written) == Counter(tuple(r.items()) for r in committed)
    # The draft proposed the right metric for most rows, and read most periods from the text.
    assert corrected["metric_id"] <= 0.15 * len(committed), corrected
    assert corrected["period"] <= 0.2 * len(committed), corrected

    validated = _run(copy, "sotebook.data.clean", "--out", str(tmp_path / "clean"))
    assert validated.returncode == 0, validated.stderr
    assert "make data: wrote" in validated.stdout

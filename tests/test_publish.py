"""The CSVs the book offers are safe in a spreadsheet and mean what data/clean/ means."""
import csv
import io
import shutil
import urllib.parse

import pandas as pd

from sotebook.pages import charts
from sotebook.data import publish
from sotebook.paths import ROOT

CLEAN = ROOT / "data" / "clean"


def test_formula_like_text_cells_are_neutralised_and_numbers_kept(tmp_path):
    clean = tmp_path / "clean"
    shutil.copytree(CLEAN, clean)
    path = clean / "figures.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    header = rows[0]
    rows[1][header.index("label_as_printed")] = "=HYPERLINK(\"http://x\")"
    rows[2][header.index("note")] = "@SUM(A1)"
    rows[3][header.index("section")] = "\tTab"
    rows[4][header.index("value")] = "-12.5"  # a negative number in a numeric column
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    publish.publish_dataset(clean, tmp_path / "published")
    out = list(csv.reader((tmp_path / "published" / "figures.csv").open(encoding="utf-8")))
    assert out[1][header.index("label_as_printed")] == "'=HYPERLINK(\"http://x\")"
    assert out[2][header.index("note")] == "'@SUM(A1)"
    assert out[3][header.index("section")] == "'\tTab"
    assert out[4][header.index("value")] == "-12.5"
    for before, after in zip(rows[5:], out[5:]):
        for old, new in zip(before, after):
            assert new == (f"'{old}" if old.startswith(publish.FORMULA_START) else old), (old, new)
    assert ["'+6"] == [v for row in out for v in row if v == "'+6"], "the printed '+6' (a text cell) is neutralised"


def test_chart_download_neutralises_text_but_not_negative_numbers():
    frame = pd.DataFrame({"label": ["+1 idea", "plain", "-minus"], "value": [-3, 4, -5]})
    text = urllib.parse.unquote(charts.csv_data_uri(frame).split(",", 1)[1]).lstrip("\ufeff")
    back = pd.read_csv(io.StringIO(text))
    assert list(back["label"]) == ["'+1 idea", "plain", "'-minus"]
    assert list(back["value"]) == [-3, 4, -5]


def test_built_site_offers_the_neutralised_copies():
    """The download in the built site is the published copy (same rows, text cells neutralised)."""
    built = sorted((ROOT / "_build" / "html").glob("*/_downloads/**/figures.csv"))
    assert built, "build the site first (make test does)"
    rows = list(csv.DictReader(built[0].open(encoding="utf-8")))
    original = list(csv.DictReader((CLEAN / "figures.csv").open(encoding="utf-8")))
    assert len(rows) == len(original)
    for new, old in zip(rows, original):
        assert new["value"] == old["value"]
        for name, value in new.items():
            assert not value.startswith(publish.FORMULA_START), f"{name}: {value!r} would run as a formula"

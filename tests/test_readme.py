"""The README is a guide that stays true: every file of the project it names exists, and "How a figure
travels" asks a contributor to open at most six files."""
import re

from sotebook.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
# Paths the README names in backticks: files of the package, the templates and plans, words, data, tests, tools.
NAMED = re.compile(r"`((?:sotebook|notebooks|words/(?:en|fi|sv)|data/raw|tests|tools|benchmarks|book/_static)/[\w./-]+\.\w+)`")


def test_every_file_the_readme_names_exists():
    named = sorted(set(NAMED.findall(README)))
    assert len(named) > 20, named
    missing = [path for path in named if not (ROOT / path).exists()]
    assert not missing, f"README.md names files that do not exist: {missing}"


def test_a_figure_travels_through_at_most_six_files():
    section = README.split("## How a figure travels", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if re.match(r"\| \d+ \|", line)]
    assert 1 <= len(rows) <= 6, rows
    files = [re.search(r"`([^`]+)`", row).group(1) for row in rows]
    assert files[0].startswith("data/raw/") and files[-1].startswith("_build/html/"), files
    assert all((ROOT / f).exists() for f in files[:-1]), files

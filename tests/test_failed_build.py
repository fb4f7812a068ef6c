"""A failed `make book` swaps nothing in, the next one recovers by itself, and the site depends only on
its inputs: two builds of the same sources give the same files, whatever was built before (issue #12).

All in one temporary copy of the project (its .venv linked to this checkout's), with two editions (what an
incremental build leaves alone in the other edition is part of what is tested; a third adds only time).
"""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from project_copy import copy_project, project_env
from sotebook.data.release import MAKE_DATA

# The tests share one copy of the project and build it in turn: one worker runs them all, and first.
pytestmark = [pytest.mark.xdist_group("failed_build"), pytest.mark.slow]

BROKEN = "See {ref}`no-such-section` for more."
EDITIONS = ("fi", "en")


def tree(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("failed_build") / "book", editions=EDITIONS, venv=True)


def make_book(project) -> subprocess.CompletedProcess:
    env = project_env(project)
    return subprocess.run(["make", "--no-print-directory", "book"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=900)


def break_template(project) -> bytes:
    """A broken cross-reference at the end of the background chapter's template (one notebook per edition
    executes, and the site build fails)."""
    path = project / "notebooks" / "background.md"
    good = path.read_bytes()
    path.write_bytes(good + b"\n" + BROKEN.encode() + b"\n")
    return good


def test_failed_build_changes_nothing_and_the_next_build_recovers(project):
    first = make_book(project)
    assert first.returncode == 0, first.stderr[-3000:]
    site, book = tree(project / "_build" / "html"), tree(project / "book")
    good = break_template(project)

    failed = make_book(project)
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0
    # The build names the page, the cell and the template the broken reference is in.
    assert re.search(r"background\.ipynb cell \d+, line \d+ \(template notebooks/background\.md\): "
                     r"WARNING: undefined label: 'no-such-section'", output), output[-3000:]
    assert tree(project / "_build" / "html") == site, "the last good site is untouched"
    assert tree(project / "book") == book, "no notebook of the failed build reached book/"
    assert sorted(p.name for p in (project / "_build").iterdir()) == [".book", ".data", ".site-state", "html"], \
        "nothing half-written is left"

    (project / "notebooks" / "background.md").write_bytes(good)
    again = make_book(project)
    assert again.returncode == 0, again.stderr[-3000:]
    # Nothing an edition is built from changed since the first build: neither is built again (keep_edition).
    assert "building the site: fi unchanged, en unchanged" in again.stderr, again.stderr[-3000:]
    assert tree(project / "_build" / "html") == site, "the rebuilt site is byte-identical to the first"
    assert tree(project / "book") == book


def test_a_page_edited_and_edited_back_gives_the_same_site(project):
    """What an incremental Sphinx build got wrong: `?v=` links on touched pages, search terms of deleted text."""
    assert make_book(project).returncode == 0
    site = tree(project / "_build" / "html")
    glossary = project / "book" / "en" / "glossary.md"
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(text + "\nZebracrossingword.\n", encoding="utf-8")
    assert make_book(project).returncode == 0
    assert b"zebracrossingword" in (project / "_build" / "html" / "en" / "searchindex.js").read_bytes()
    glossary.write_text(text, encoding="utf-8")
    assert make_book(project).returncode == 0
    assert tree(project / "_build" / "html") == site


def build_site(project) -> subprocess.CompletedProcess:
    env = project_env(project)
    return subprocess.run([str(project / ".venv" / "bin" / "python"), "-m", "sotebook.site.build", "html"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=900)


def test_a_changed_page_rebuilds_only_what_it_shows_and_gives_the_bytes_of_a_whole_build(project):
    """Issue 13: an edition whose pages alone changed is built incrementally, and the result is the
    whole build's, byte for byte."""
    assert build_site(project).returncode == 0
    html = project / "_build" / "html"
    written = {p: p.stat().st_mtime_ns for p in html.rglob("*.html")}
    page = project / "book" / "en" / "year_2024.ipynb"
    good = page.read_bytes()
    assert b"Staff, 2024: 15,434 on 31 December 2024." in good  # a note of the staff table
    page.write_bytes(good.replace(b"Staff, 2024: 15,434 on 31 December 2024.", b"Staff, 2024: 15,435 on 31 December 2024."))
    try:
        result = build_site(project)
        assert result.returncode == 0, result.stderr[-3000:]
        assert "fi unchanged, en 1 of 8 pages changed" in result.stderr
        rewritten = sorted(str(p.relative_to(html)) for p in html.rglob("*.html") if p.stat().st_mtime_ns != written.get(p))
        # Sphinx writes the page, and in every edition the glossary (read every time: see
        # sotebook/site/site_state.py) and the home page, whose table of contents lists it; of those, only the
        # page's bytes changed, and the site in place keeps every other file as it was (keep_unchanged, issue 24)
        # but the language chooser, make's target for the site, which is always written.
        assert rewritten == ["en/book/year_2024.html", "index.html"]
        assert b"Staff, 2024: 15,435 on 31 December 2024." in (html / "en" / "book" / "year_2024.html").read_bytes()
        incremental = tree(html)
        shutil.rmtree(project / "_build" / ".site-state")
        whole = build_site(project)
        assert "fi whole, en whole" in whole.stderr
        assert tree(html) == incremental
    finally:
        page.write_bytes(good)


# The site built as `build_site` does, but with keep_unchanged and keep_edition switched off: every file keeps
# the time Sphinx (or the copy of the previous site, which keeps times) gave it, so a new time is a page Sphinx
# wrote; and every edition is built, even one of which nothing changed.
BUILD_WITHOUT_KEEP_UNCHANGED = ("import sys; from sotebook.site import build, sphinx_build; "
                                "sphinx_build.keep_unchanged = lambda site, previous: 0; "
                                "sphinx_build.keep_edition = lambda *args: False; "
                                "sys.exit(build.main(['html']))")


def test_an_incremental_build_has_sphinx_write_only_the_changed_page_the_contents_and_the_glossary(project):
    """Review of issue 24: since keep_unchanged gives unchanged files their old times, the test above sees only
    the pages whose bytes changed, and would pass if Sphinx re-rendered every page (an incremental build
    broken into a whole one). What it asserted before, what Sphinx itself writes, is asserted here.

    keep_edition (an edition of which nothing changed is not built) is switched off too, so the Finnish
    edition, none of whose pages changed, is built incrementally as before: Sphinx writes only its glossary
    and home page, to the bytes they had, which is what lets keep_edition skip such a build."""
    if not (project / "_build" / ".site-state").is_dir():
        assert build_site(project).returncode == 0
    html = project / "_build" / "html"
    written = {p: p.stat().st_mtime_ns for p in html.rglob("book/*.html")}
    finnish = tree(html / "fi")
    page = project / "book" / "en" / "year_2024.ipynb"
    good = page.read_bytes()
    page.write_bytes(good.replace(b"Staff, 2024: 15,434 on 31 December 2024.", b"Staff, 2024: 15,436 on 31 December 2024."))
    try:
        result = subprocess.run([str(project / ".venv" / "bin" / "python"), "-c", BUILD_WITHOUT_KEEP_UNCHANGED],
                                cwd=project, env=project_env(project), capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stderr[-3000:]
        assert "fi 0 of 8 pages changed, en 1 of 8 pages changed" in result.stderr
        rewritten = sorted(str(p.relative_to(html)) for p in html.rglob("book/*.html") if p.stat().st_mtime_ns != written.get(p))
        # The page, and in every edition the glossary (read every time: see sotebook/site/site_state.py) and the
        # home page, whose table of contents lists it; no other chapter.
        assert rewritten == ["en/book/glossary.html", "en/book/index.html", "en/book/year_2024.html",
                             "fi/book/glossary.html", "fi/book/index.html"]
        assert tree(html / "fi") == finnish, "an edition built from the same inputs is the same bytes"
    finally:
        page.write_bytes(good)


def test_a_chapter_that_leaves_the_plan_leaves_no_notebook_and_no_page(project):
    chapters = project / "chapters.yml"
    text = chapters.read_text(encoding="utf-8")
    chapters.write_text(text.replace("  - template: trends\n    output: trends\n", ""), encoding="utf-8")
    result = make_book(project)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "removed en/trends, fi/trends" in result.stdout
    # Only the home pages read chapters.yml (their links): no other notebook executes (sotebook/site/fingerprint.py).
    assert "executed 2 (en/index, fi/index)" in result.stdout, result.stdout[-3000:]
    assert not list((project / "book").rglob("trends.ipynb"))
    assert not list((project / "_build" / "html").rglob("trends.html"))


def test_missing_clean_file_is_one_line_naming_it(project):
    (project / "data" / "clean" / "figures.csv").rename(project / "figures.csv.away")
    env = project_env(project)
    result = subprocess.run([str(project / ".venv" / "bin" / "python"), "-m", "sotebook.site.build", "notebooks"],
                            cwd=project, env=env, capture_output=True, text=True, timeout=300)
    (project / "figures.csv.away").rename(project / "data" / "clean" / "figures.csv")
    assert result.returncode == 1
    assert result.stderr.strip() == f"make: data/clean/figures.csv is missing: {MAKE_DATA}"


# Issue #25: every command, given bad input, prints one message naming the file and the value, no traceback,
# and leaves every output folder byte-identical.
OUTPUTS = ("data/clean", "data/releases", "book", "_build/html", "_build/pdf", "dist")


def outputs(project) -> dict[str, dict[str, bytes]]:
    return {name: tree(project / name) if (project / name).exists() else {} for name in OUTPUTS}


def _release(project, version: str, day: str) -> str:
    return (project / "data" / "CHANGELOG.md").read_text(encoding="utf-8").replace(
        "## [Unreleased]\n", f"## [Unreleased]\n\n## [{version}] - {day}\n\n- x\n", 1)


BAD_INPUTS = [
    # (what is broken, file, old text, new text, command, what the message must hold)
    ("a formula in a label", "data/raw/annual_review_2025.csv", "Hälsovårdarmottagning på hälsostationen",
     "=HYPERLINK(1)", ["make", "data"], ["annual_review_2025.csv line ", "value '=HYPERLINK(1)'"]),
    ("a YAML error in an English words file", "words/en/year.yml", 'brief: "', 'brief: "a": "',
     ["make", "book"], ["words/en/year.yml line ", "is not valid YAML"]),
    ("a message written as a list", "words/fi/home.yml", None, None,
     ["make", "book"], ["words/fi/", "the message is a list", "value \"['"]),
    ("a page title with a placeholder its page does not have", "words/en/background.yml",
     'title: "Background: the reform and the organisation"',
     'title: "Background {year}"', ["make", "book"], ["words/en/background.yml line 5, key 'page.background.title'",
     "value 'Background {year}'", "not a parameter of the page background"]),
    ("an unterminated string in a catalog", "locales/fi/LC_MESSAGES/sphinx.po", 'msgstr "Takaisin ylös"',
     'msgstr "Takaisin ylös', ["make", "book"], ["locales/fi/LC_MESSAGES/sphinx.po line 15", "Takaisin ylös"]),
    ("a release heading in another form", "data/CHANGELOG.md", "## [Unreleased]\n",
     "## [Unreleased]\n\n## 1.1.0 - 2027-01-15\n", ["make", "release"],
     ["data/CHANGELOG.md line 21: value '## 1.1.0 - 2027-01-15'"]),
    ("a tampered manifest", "data/releases/manifest-1.0.0.json", '"value": "1679689"', '"value": "1679000"',
     ["make", "release"], ["data/releases/manifest-1.0.0.json: its figures no longer match", "1679000"]),
    ("an edition the book does not have", None, None, None, [".venv/bin/python", "-m", "sotebook.site.pdf", "--langs", "de"],
     ["--langs: value 'de': no such edition in chapters.yml"]),
]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_a_failed_command_is_one_message_and_changes_no_output(project, case):
    what, name, old, new, command, expected = case
    if not (project / "_build" / "html" / "index.html").exists():
        assert make_book(project).returncode == 0
    (project / "_build" / "pdf").mkdir(parents=True, exist_ok=True)
    (project / "_build" / "pdf" / "helsinki-sote-annual-book-en.pdf").write_bytes(b"%PDF-1.7 the last good print")
    (project / "dist").mkdir(exist_ok=True)
    (project / "dist" / "SHA256SUMS").write_text("the last good release\n", encoding="utf-8")
    before = outputs(project)
    path = project / name if name else None
    good = path.read_bytes() if path else None
    if name == "words/fi/home.yml":
        text = good.decode()
        key_line = next(line for line in text.splitlines() if line.startswith("  ") and ': "' in line)
        path.write_text(text.replace(key_line, key_line.replace(': "', ': ["', 1) + "]", 1), encoding="utf-8")
    elif path:
        text = good.decode()
        assert text.count(old) == 1, (name, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    env = {**project_env(project), "CHROMIUM_PATH": "/no/chromium"}
    try:
        result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=900)
    finally:
        if path:
            path.write_bytes(good)
    assert result.returncode != 0, what
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    for part in expected:
        assert part in result.stderr, f"{what}: {part!r} not in\n{result.stderr[-3000:]}"
    assert outputs(project) == before, f"{what}: an output changed"

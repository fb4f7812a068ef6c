"""make chapter: an analyst reruns one chapter with other parameters and reads what it made.

Every template runs once in every edition (one module fixture, `chapters`); its notebook must read without
the site build (no `{{ name }}`, no glue role left, the glued sentences in the text) and its HTML preview,
opened from the file system in a real Chromium, must draw every chart. Bad parameters must each give one
line naming the parameter and what it allows, and change nothing in book/, _build/html or data/clean/.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from sotebook.data import dataset
from sotebook.pages import parameters
from sotebook.pages.parameters import ParameterError, declared_parameters, template_path
from sotebook.pages.readable import fill
from sotebook.pages.spec import read_spec
from sotebook.pages.words import WordsError, edition
from sotebook.paths import BOOK, BUILD_HTML, CLEAN, RAW, ROOT

# The tests that read the runs stay on one worker, which makes them once.
shares_the_runs = pytest.mark.xdist_group("chapter-runs")

SPEC = read_spec()
TEMPLATES = list(dict.fromkeys(c.template for c in SPEC.chapters))
# What is left of MyST in a notebook the site did not build: a substitution, a role or a link to a page name.
MYST_LEFT = re.compile(r"\{\{|\{glue|\{[a-z]+(:[a-z]*)?\}`|\]\([A-Za-z0-9_-]+\)")
CHART_IMAGES = """Array.from(document.querySelectorAll('.sotebook-figure__chart')).map(chart => {
    const img = chart.querySelector('img');
    return {id: chart.id, img: !!img, complete: img && img.complete, width: img ? img.naturalWidth : 0};
})"""


def run(*args: str, make: bool = False) -> subprocess.CompletedProcess:
    """`python -m sotebook.site.chapter ARGS`, or `make chapter ARGS` (NAME=value words)."""
    command = ["make", "--no-print-directory", "chapter", *args] if make else \
        [sys.executable, "-m", "sotebook.site.chapter", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)


def book_state() -> dict[str, list[tuple]]:
    """Every file of book/, _build/html and data/clean/ with its size and modification time: a write changes it."""
    return {str(folder): sorted((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns)
                                for p in folder.rglob("*") if p.is_file())
            for folder in (BOOK, BUILD_HTML, CLEAN) if folder.exists()}


@pytest.fixture(scope="module")
def chapters(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Every template in every edition, run once by one command on one kernel server (`--template all
    --lang all --year 2024`), and two chapters alone, as an analyst runs one: the year chapter in Swedish
    through `make chapter`, which must be byte for byte what the one command made of it (notebook and page),
    and the what-if of `test_a_changed_figure_in_a_raw_copy_shows_in_the_chapter` (the year chapter of 2025
    in English on a raw copy with a changed figure) through the module. (template, lang) -> its output
    folder (the lone run's for the Swedish year chapter), and ("what-if", "en") -> the what-if's. The three
    commands run at once."""
    from concurrent.futures import ThreadPoolExecutor

    root = tmp_path_factory.mktemp("chapters")
    copy = _raw_copy_with(root, ",12 116,", ",13 116,")
    before = book_state()

    def folder(template: str, lang: str) -> str:
        takes_year = "year" in {p.name for p in declared_parameters(template_path(template))}
        return "-".join([template, *(["2024"] if takes_year else []), lang])

    runs = [(template, lang) for template in TEMPLATES for lang in SPEC.languages]
    alone = root / "alone" / folder("year", "sv")
    commands = {
        "all": lambda: run("--template", "all", "--year", "2024", "--lang", "all", "--out", str(root / "all")),
        "year sv alone": lambda: run("TEMPLATE=year", "YEAR=2024", "LANG=sv", f"OUT={alone}", make=True),
        "what-if": lambda: run("--template", "year", "--year", "2025", "--lang", "en", "--data", str(copy),
                               "--out", str(root / "what-if")),
    }
    with ThreadPoolExecutor(max_workers=len(commands)) as pool:
        results = dict(zip(commands, pool.map(lambda command: command(), commands.values())))
    for key, result in results.items():
        assert result.returncode == 0, f"{key}: {result.stderr}"
    assert f"ran {len(runs)} of {len(runs)} chapters" in results["all"].stdout, results["all"].stdout
    assert book_state() == before, "a chapter run wrote into book/, _build/html or data/clean/"
    made = {(template, lang): root / "all" / folder(template, lang) for template, lang in runs}
    for suffix in (".ipynb", ".html"):
        one, together = alone / f"{alone.name}{suffix}", made[("year", "sv")] / f"{alone.name}{suffix}"
        assert one.read_bytes() == together.read_bytes(), \
            f"{alone.name}{suffix} run alone differs from the same chapter run with the others"
    made[("year", "sv")] = alone
    made[("what-if", "en")] = root / "what-if"
    return made


def _every_template(chapters: dict) -> list[tuple[tuple[str, str], Path]]:
    """The fixture's runs of the book's templates (not the what-if)."""
    return [(key, out) for key, out in chapters.items() if key[0] != "what-if"]


def _notebook(out: Path):
    [path] = out.glob("*.ipynb")
    return nbformat.read(path, as_version=4)


@pytest.mark.slow
@shares_the_runs
def test_every_chapter_reads_without_the_site_build(chapters):
    for (template, lang), out in _every_template(chapters):
        nb = _notebook(out)
        markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
        left = [m.group(0) for text in markdown for m in MYST_LEFT.finditer(text)]
        assert not left, f"{template} {lang}: the notebook still shows {left[:5]}"
        title = edition(lang).page_substitutions(template, nb.metadata["sotebook"]["parameters"])["title"]
        assert markdown[0].startswith(f"# {title}"), f"{template} {lang}: the page's title is not its first heading"


@pytest.mark.slow
@shares_the_runs
def test_the_story_is_the_books(chapters):
    """The year chapter's main points and story (an HTML output, every number opening its note) are the
    book's own in the rerun: the same story file, read by the same code, for the same year and edition."""
    def opening(notebook):
        cell = next(c for c in notebook.cells if c.cell_type == "code" and "chapter.opening(" in c.source)
        return "".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)

    book = opening(nbformat.read(BOOK / "sv" / "year_2024.ipynb", as_version=4))
    rerun = opening(_notebook(chapters[("year", "sv")]))
    assert "sotebook-main-points" in book and book == rerun


@pytest.mark.slow
@shares_the_runs
def test_previews_draw_every_chart_in_a_browser(chapters):
    """Each preview, opened from the file system, draws every chart and asks no one for anything."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).parent / "browser"))
    from browser_harness import CHROMIUM, CHROMIUM_FLAGS

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps`", pytrace=False)
    charted = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            requests = []
            page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
            for (template, lang), out in _every_template(chapters):
                [html] = out.glob("*.html")
                page.goto(html.as_uri(), wait_until="load")
                charts = page.evaluate(CHART_IMAGES)
                undrawn = [c["id"] for c in charts if not (c["img"] and c["complete"] and c["width"] > 0)]
                assert not undrawn, f"{template} {lang}: charts not drawn: {undrawn}"
                nb = _notebook(out)
                figures = sum("sotebook-figure__chart" in o.get("data", {}).get("text/html", "")
                              for c in nb.cells for o in c.get("outputs", []))
                assert len(charts) == figures, f"{template} {lang}: {figures} charts in the notebook, {len(charts)} on the page"
                tables = sum(o.get("data", {}).get("text/html", "").count("<table")
                             for c in nb.cells for o in c.get("outputs", []))
                assert page.locator("table").count() == tables, f"{template} {lang}: a table is missing from the page"
                assert page.evaluate("document.documentElement.lang") == lang
                charted += len(charts)
            assert not requests, f"the previews asked for {requests[:3]}"
        finally:
            browser.close()
    assert charted > 0, "no chart drawn at all"


# ---------------------------------------------------------------------------------------------
# Bad parameters


def _raw_copy_with(tmp_path: Path, find: str, replace: str) -> Path:
    copy = tmp_path / "raw"
    shutil.copytree(RAW, copy, ignore=shutil.ignore_patterns("drafts"))
    path = copy / "annual_review_2025.csv"
    text = path.read_text(encoding="utf-8")
    assert find in text
    path.write_text(text.replace(find, replace, 1), encoding="utf-8")
    return copy


def _edited_clean_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "clean"
    shutil.copytree(CLEAN, copy)
    figures = copy / "figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace("12116", "12117", 1), encoding="utf-8")
    return copy


BAD = {
    "a year the dataset lacks": (["TEMPLATE=year", "YEAR=1999", "LANG=sv"], True,
                                 r"^make chapter: YEAR: 1999 is not a year the dataset holds; give one of 2023, 2024, 2025$"),
    "an unknown edition": (["--template", "year", "--year", "2024", "--lang", "de"], False,
                           r"^make chapter: --lang: 'de' is not an edition of chapters.yml; give one of fi, sv, en$"),
    "a misspelt parameter": (["TEMPLATE=year", "YAER=2024", "LANG=sv"], True,
                             r"^make chapter: YAER: unknown parameter \(did you mean YEAR\?\); the parameters are .*YEAR, LANG$"),
    "a misspelt option": (["--template", "year", "--yaer", "2024"], False,
                          r"^make chapter: --yaer: unknown parameter \(did you mean --year\?\)"),
    "a year that is not a number": (["TEMPLATE=year", "YEAR=twenty", "LANG=sv"], True,
                                    r"^make chapter: YEAR: 'twenty' is not a whole number; give a year the dataset holds: 2023, 2024, 2025$"),
    "an unknown template": (["--template", "yaer"], False,
                            r"^make chapter: --template: no template 'yaer'; the templates are home, year, trends"),
    "a parameter the template does not take": (["TEMPLATE=trends", "YEAR=2024", "LANG=sv"], True,
                                               r"^make chapter: YEAR: template trends takes no parameter 'year'; it takes LANG$"),
    "an output folder inside book/": (["--template", "trends", "--out", str(BOOK / "mine")], False,
                                      r"^make chapter: --out: book/mine is in the project outside _build/chapters/, .*; give a folder under _build/chapters/"),
    "an output folder in the site": (["TEMPLATE=trends", f"OUT={BUILD_HTML / 'mine'}"], True,
                                     r"^make chapter: OUT: _build/html/mine is in the project outside _build/chapters/, .*; give a folder under _build/chapters/"),
    "an output folder among the PDFs": (["TEMPLATE=background", "LANG=en", "OUT=_build/pdf"], True,
                                        r"^make chapter: OUT: _build/pdf is in the project outside _build/chapters/, .*; give a folder under _build/chapters/"),
    "a raw copy that fails validation": ("raw", True,
                                         r"^make chapter: DATA: data/raw/annual_review_2025.csv line \d+.*'12 11x'.*the copy must pass the checks of `make data`$"),
    "an unknown edition in a list": (["TEMPLATE=year", "YEAR=2024", "LANG=fi,de"], True,
                                     r"^make chapter: LANG: 'de' is not an edition of chapters.yml; give one of fi, sv, en$"),
    "a parameter none of the listed templates takes": (["--template", "trends,background", "--year", "2024"], False,
                                                       r"^make chapter: --year: none of the templates trends, background takes "
                                                       r"a parameter 'year'; they take --lang$"),
    "a clean copy edited by hand": ("clean", False,
                                    r"^make chapter: --data: .*figures.csv does not match the hash .* a copy of data/clean must be as `make data` wrote it"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_parameters_give_one_line_and_change_nothing(case, tmp_path):
    args, make, message = BAD[case]
    if args == "raw":
        args = ["TEMPLATE=year", "YEAR=2025", "LANG=en", f"DATA={_raw_copy_with(tmp_path, ',12 116,', ',12 11x,')}"]
    elif args == "clean":
        args = ["--template", "year", "--year", "2025", "--data", str(_edited_clean_copy(tmp_path))]
    if not any(arg.startswith(("--out", "OUT=")) for arg in args):
        args = [*args, f"OUT={tmp_path / 'out'}" if make else f"--out={tmp_path / 'out'}"]
    before = book_state()
    result = run(*args, make=make)
    assert result.returncode != 0
    ours = [line for line in result.stderr.splitlines() if line.startswith("make chapter:")]
    # make adds its own "make: *** ... Error 2" (make[1] when make test runs this).
    others = [line for line in result.stderr.splitlines() if line not in ours and not re.match(r"make(\[\d+\])?: \*\*\*", line)]
    assert len(ours) == 1 and not others, f"not one line: {result.stderr}"
    assert re.search(message.replace("data/raw/", ".*raw/"), ours[0]), ours[0]
    assert book_state() == before
    assert not any(folder.exists() for folder in (tmp_path / "out", BOOK / "mine", BUILD_HTML / "mine"))


# ---------------------------------------------------------------------------------------------
# A what-if on a copy of the dataset, and the declarations


@pytest.mark.slow
@shares_the_runs
def test_a_changed_figure_in_a_raw_copy_shows_in_the_chapter(chapters):
    """An analyst changes a figure as printed in a copy of data/raw; the chapter tells it, data/clean is untouched.
    The run is the fixture `chapters`' (`python -m sotebook.site.chapter --template year --year 2025 --lang en
    --data <copy> --out <folder>`), which also checks that it succeeded and that book/, _build/html and
    data/clean/ are as they were."""
    out = chapters[("what-if", "en")]
    descriptor = json.loads((out / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["resources"], "the dataset built from the copy is beside the chapter"
    nb = _notebook(out)
    shown = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", []))
    assert "13,116" in shown and "12,116" not in shown
    assert nb.metadata["sotebook"]["dataset"]["folder"].endswith(f"{out.name}/data")


def test_load_reads_the_folder_sotebook_clean_names(tmp_path, monkeypatch):
    copy = tmp_path / "clean"
    shutil.copytree(CLEAN, copy)
    figures = copy / "figures.csv"
    lines = figures.read_text(encoding="utf-8").splitlines(keepends=True)
    figures.write_text(lines[0] + "".join(line for line in lines[1:] if ",2025," not in line), encoding="utf-8")
    assert 2025 in dataset.available_years()
    monkeypatch.setenv(dataset.CLEAN_ENV, str(copy))
    assert 2025 not in dataset.available_years()
    monkeypatch.delenv(dataset.CLEAN_ENV)
    assert 2025 in dataset.available_years()


def test_lists_and_all_ask_for_every_combination_in_the_order_given():
    """`LANG=sv,fi`, `TEMPLATE=all`, `YEAR=all`: the runs a request asks for, before anything runs (the
    fixture `chapters` runs them)."""
    from sotebook.site import chapter

    declared = chapter.templates(SPEC)
    names = list(dict.fromkeys(p.name for ps in declared.values() for p in ps))
    held = dataset.available_years()

    def runs(*argv):
        request = chapter.parse_request(list(argv), names)
        chosen, given, _ = chapter.check_request(request, SPEC, declared)
        return chapter.several(request), [(t, p) for t in chosen for p in chapter.check_values(t, given, request, SPEC, held, declared)]

    assert runs("--template", "year", "--year", "2024", "--lang", "sv") == (False, [("year", {"year": 2024, "lang": "sv"})])
    assert runs("TEMPLATE=year", "YEAR=2024", "LANG=sv,fi,sv") == \
        (True, [("year", {"year": 2024, "lang": "sv"}), ("year", {"year": 2024, "lang": "fi"})])
    assert runs("--template", "trends,year", "--year", "all", "--lang", "en") == \
        (True, [("trends", {"lang": "en"}), *[("year", {"year": y, "lang": "en"}) for y in held]])
    assert runs("TEMPLATE=all", "LANG=all") == \
        (True, [(t, {p.name: (lang if p.name == "lang" else p.default) for p in declared[t]})
                for t in TEMPLATES for lang in SPEC.languages])


def test_a_chapter_that_fails_among_several_is_reported_and_the_others_are_made(tmp_path, monkeypatch):
    """run_several, on its workers: a chapter's error comes back as its message, the others' results in order.
    (The chapters themselves are stood in for; the fixture `chapters` runs real ones.)"""
    from contextlib import nullcontext

    from sotebook.site import chapter

    def fake_run(template, parameters, out, dataset_folder, dataset, reads, kernels):
        if parameters["lang"] == "sv":
            raise chapter.BuildError(f"{template} failed in cell 3")
        return out / "made.ipynb", out / "made.html"

    monkeypatch.setattr(chapter, "run_chapter", fake_run)  # the workers fork from this process
    planned = [chapter.Planned("trends", {"lang": lang}, tmp_path / lang, "all") for lang in ("fi", "sv", "en")]
    made, failed = chapter.run_several(planned, None, None, nullcontext())
    assert made == \
        [(tmp_path / lang / "made.ipynb", tmp_path / lang / "made.html") for lang in ("fi", "en")]
    assert failed == {planned[1]: "trends failed in cell 3"}


def test_the_listing_is_every_declared_parameter():
    result = run()
    assert result.returncode == 0
    held = ", ".join(map(str, dataset.available_years()))
    for template in TEMPLATES:
        assert f"\n  {template}\n" in result.stdout
        for p in declared_parameters(template_path(template)):
            assert f"{p.name} ({p.kind.__name__}, default {p.default!r}): {p.meaning}" in result.stdout
    assert f"a year the dataset holds: {held}" in result.stdout
    assert f"an edition of chapters.yml: {', '.join(SPEC.languages)}" in result.stdout
    helped = run("--help")
    assert helped.returncode == 0 and result.stdout in helped.stdout


def test_a_parameter_without_its_declaration_is_refused(tmp_path, monkeypatch):
    import jupytext
    from nbformat.v4 import new_code_cell, new_notebook

    def template(source: str) -> None:
        cell = new_code_cell(source, metadata={"tags": ["parameters"]})
        jupytext.write(new_notebook(cells=[cell]), tmp_path / "page.md", fmt="md:myst")

    monkeypatch.setattr(parameters, "NOTEBOOKS", tmp_path)
    template("year = 2025")
    with pytest.raises(ParameterError, match=r"page.md, parameters cell, year: declare it as `year = <default>  # <type>"):
        declared_parameters(template_path("page"))
    template("year = 2025  # int, some years: the year")
    with pytest.raises(ParameterError, match=r"allowed values 'some years' is not one of: a year the dataset holds"):
        declared_parameters(template_path("page"))
    template("year = 2025  # int, a year the dataset holds: the year")
    [year] = declared_parameters(template_path("page"))
    assert (year.kind, year.default, year.allowed, year.meaning) == (int, 2025, "years", "the year")


def test_fill_puts_words_and_glued_values_into_markdown():
    values = {"lead": {"text": "Up 5 *points*"}, "more": {"text": "<IPython>", "markdown": "**More** here"}}
    text = "# {{ title }}\n\n{glue:text}`lead` and {glue}`lead`\n\n```{glue:md} more\n:format: myst\n```\n"
    assert fill(text, {"title": "År 2024"}, values) == "# År 2024\n\nUp 5 \\*points\\* and Up 5 \\*points\\*\n\n**More** here\n"
    with pytest.raises(WordsError, match=r"\{\{ h_new \}\} has no text"):
        fill("## {{ h_new }}", {"title": "x"}, values)
    with pytest.raises(WordsError, match="nothing was glued as 'story'"):
        fill("{glue:text}`story`", {}, values)

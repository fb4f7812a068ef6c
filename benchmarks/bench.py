"""Build benchmark: how long the book's three editions take to build, how heavy their pages are, how fast
their charts draw.

    make bench                                  # = .venv/bin/python benchmarks/bench.py
    .venv/bin/python benchmarks/bench.py --runs 5
    .venv/bin/python benchmarks/bench.py --quick  # one run of everything
    .venv/bin/python benchmarks/bench.py --only lighthouse  # only the site's weight and Lighthouse, on _build/html
    .venv/bin/python benchmarks/bench.py --only test        # only `make test`, timed, in a copy
    .venv/bin/python benchmarks/bench.py --only pdf         # only `make pdf`'s print of the three editions
    .venv/bin/python benchmarks/bench.py --only growth      # books of 3, 10 and 20 years (benchmarks/growth.py)

Everything happens in a temporary copy of the repository (without .venv, _build, node_modules, .git),
built with the interpreter and jupyter-book of the project's venv; the repository itself is never
built in or written to. The editions are the ones chapters.yml lists (fi, sv, en). Each run takes a
fresh copy and measures, in this order:

1. cold build: `_build/` deleted, then what `make book` runs: `python -m sotebook.data.clean` and
   `python -m sotebook.site.build notebooks --force`, which executes every notebook of every edition and
   builds the three editions' site (there is no separate html step in `make book`);
2. plain Jupyter Book building the same three editions, for comparison: for each edition a project
   made by the build's own `stage_edition()` (the edition's generated `_config.yml` and `_toc.yml`, its
   executed notebooks, the shared static files) with `execute_notebooks: force`, then
   `jupyter-book build . --all` (no -W) in each, one after the other; the three times are summed;
3. no-op rebuild: `make book` with nothing changed (what an analyst runs), and the two commands again
   (every step run anyway);
4. a few diagnostics that say where the time goes;
5. one-figure rebuild: `health_station_nurse_visits` 2025 changed in data/raw/annual_review_2025.csv,
   then the two commands; the notebooks it executed are read from the build's "executed ..." line: each
   executed notebook's cells and outputs are compared with those before the change, and an executed
   notebook whose outputs are the same is reported (there must be none); the 2025 chapter must execute in
   every edition and the other years' chapters never; the rebuild must take at most 30% of the cold build.

After the runs: page weight of the cold build's site (every page of every edition, raw and gzipped,
and the shared assets), and in headless Chromium the time from navigation start until every chart of
a page is drawn (its SVG image loaded and decoded), for every page of every edition (a fresh browser
context for each load, so nothing is cached; the median of the loads is reported). Then the Lighthouse
section (issue 13): every page a reader can land on (the root's chooser, every edition's pages and search
page), served on 127.0.0.1 with gzip as GitHub Pages serves it (sotebook.site.pdf.serve): what a first visit
downloads, gzipped as sent, everything included; then Lighthouse 12 (mobile preset, one Chromium for all
pages: sotebook/site/audit.py) with its four scores and FCP, LCP, TBT, CLS and Speed Index. `--only lighthouse`
(or SOTEBOOK_BENCH_ONLY=lighthouse) skips the builds and measures the site already in _build/html.

`--only test` times `make test` (issue 13: at most 6 minutes on 2 cores) in a copy of the repository with the
project's .venv and node_modules linked in, so what is timed is the tests and the site they build, not the
installation (a fresh clone adds that: `CI=true bash .ci/run`). It prints `make test`'s own last line, which
times each step, and the load average before and after: a busy machine makes the time meaningless.

Times are medians over the runs. The Markdown tables printed at the end can be pasted into a README.
Exit code: 0 when everything was measured (whether or not the targets are met), 1 when a build step
failed, 2 on bad usage.
"""
from __future__ import annotations

import argparse
import csv
import functools
import gzip
import http.server
import io
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # growth.py, beside it
SEEDS = Path(os.environ.get("SOTEBOOK_SEEDS") or REPO.parent / "shared" / "seeds")  # as sotebook.paths.SEEDS
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Not copied: environments, build output, caches, version control.
TOP_LEVEL_EXCLUDES = {".venv", "_build", "node_modules", ".git", ".pytest_cache", ".build-state",
                      ".jupyter_cache", ".mypy_cache", ".ruff_cache"}
ANY_LEVEL_EXCLUDES = {"__pycache__", ".ipynb_checkpoints"}
# Everything a cold build must not find.
BUILD_STATE = ["_build", ".build-state", ".jupyter_cache"]

CHANGED_FILE = Path("data/raw/annual_review_2025.csv")


def bench_seeds(root: Path) -> Path:
    """A copy's own source documents, when a run changes a figure in them: beside the copy, not in it (the
    site's build would take a new folder in the project for a change of its inputs)."""
    return root.with_name(root.name + "-seeds")
CHANGED_METRIC, CHANGED_YEAR = "health_station_nurse_visits", "2025"
# Whose notebooks must not re-run for that figure (in every edition): the other years' chapters.
OTHER_YEARS = ["2024", "2023"]

PAGE_LIMIT = 100_000  # bytes of a page's own HTML ("100 KB", counted as 1000-byte KB; issue 13)
FIRST_VISIT_LIMIT = 450_000  # bytes, gzipped as served, of everything a first visit to a year page loads (issue 13)
LIGHTHOUSE_TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
CHART_LIMIT_MS = 600.0
NOOP_RATIO, NOOP_LIMIT_S = 0.2, 1.0  # issue 13: a no-op `make book` under 1 s
COLD_RATIO = 0.5  # issue 13
ONEFIG_RATIO = 0.3  # issue 24: the one-figure change at most 30% of the cold build
CHART_SELECTOR = ".sotebook-figure__chart"
PAGE_TIMEOUT_MS = 20_000


LOADAVG = {"start": "?"}


class StepFailed(Exception):
    """A build step exited non-zero: the benchmark stops and says which and where its log is."""


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def change_in_source(root: Path, old: str, new: str) -> None:
    """The same change in the copy's own copy of the source document, as a corrected review would print it
    (make data checks that every value stands in its source's text)."""
    with (root / "data" / "raw" / "sources.csv").open(encoding="utf-8") as handle:
        seed = next(r["seed_file"] for r in csv.DictReader(handle) if r["source_id"] == CHANGED_FILE.stem)
    seeds = bench_seeds(root)
    if not seeds.is_dir():
        shutil.copytree(SEEDS, seeds)
    document = seeds / seed
    pattern = r"[\s\u00a0\u202f]+".join(map(re.escape, old.split()))
    text, count = re.subn(rf"(?<![\d,.]){pattern}(?![\d])", new, document.read_text(encoding="utf-8"), count=1)
    if not count:
        raise StepFailed(f"{seed} does not print {old!r}")
    document.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Copies and commands


def copy_repo(source: Path, dest: Path, top_excludes=TOP_LEVEL_EXCLUDES) -> Path:
    def ignore(directory: str, names: list[str]) -> set[str]:
        skip = {n for n in names if n in ANY_LEVEL_EXCLUDES}
        if Path(directory) == source:
            skip |= {n for n in names if n in top_excludes}
        return skip

    shutil.copytree(source, dest, symlinks=True, ignore=ignore)
    return dest


def remove_build_state(root: Path) -> None:
    for name in BUILD_STATE:
        path = root / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


@dataclass
class Env:
    python: Path
    logs: Path
    counter: int = 0
    last_cpu: float = 0.0  # CPU seconds (user + system) of the last command and its waited-for children

    @property
    def jupyter_book(self) -> Path:
        return self.python.with_name("jupyter-book")

    def environ(self, root: Path) -> dict:
        env = dict(os.environ)
        # The copy's package first: the venv's .pth file points at the original repository.
        env["PYTHONPATH"] = os.pathsep.join([str(root)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        env["PATH"] = os.pathsep.join([str(self.python.parent), env.get("PATH", "")])
        env["VIRTUAL_ENV"] = str(self.python.parent.parent)
        env.pop("PYTHONHOME", None)
        env["PYTHONUNBUFFERED"] = "1"
        env.setdefault("SOTEBOOK_SEEDS", str(SEEDS))  # the copy has no ../shared/seeds beside it
        if bench_seeds(root).is_dir():  # the copy's own source documents, one figure changed in them
            env["SOTEBOOK_SEEDS"] = str(bench_seeds(root))
        return env

    def run(self, label: str, command: list, root: Path, check: bool = True,
            package: Path | None = None) -> tuple[float, str, int]:
        """Run one command in the folder `root` with the copy `package` (default: `root`) on the path;
        returns (seconds, output, exit code)."""
        self.counter += 1
        log = self.logs / f"{self.counter:03d}-{re.sub(r'[^a-z0-9]+', '-', label.lower()).strip('-')}.log"
        with open(log, "w", encoding="utf-8") as out:
            out.write(f"$ {' '.join(map(str, command))}\n  (in {root})\n\n")
            out.flush()
            cpu_before = os.times()
            start = time.perf_counter()
            result = subprocess.run([str(c) for c in command], cwd=root, env=self.environ(package or root),
                                    stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            elapsed = time.perf_counter() - start
            cpu_after = os.times()
        self.last_cpu = (cpu_after.children_user - cpu_before.children_user
                         + cpu_after.children_system - cpu_before.children_system)
        text = log.read_text(encoding="utf-8", errors="replace")
        if check and result.returncode != 0:
            tail = "\n".join(strip_ansi(text).rstrip().splitlines()[-40:])
            raise StepFailed(f"{label} failed (exit {result.returncode}) after {elapsed:.1f} s; "
                             f"full log: {log}\n--- last lines ---\n{tail}")
        return elapsed, text, result.returncode


def strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


EXECUTED = re.compile(r"executed (\d+) \(([^)]*)\); up to date (\d+) \(([^)]*)\)")


def parse_executed(output: str) -> tuple[list[str], list[str]]:
    match = None
    for match in EXECUTED.finditer(output):
        pass
    if match is None:
        raise StepFailed("the notebooks step printed no 'executed N (...); up to date M (...)' line")

    def names(text: str) -> list[str]:
        return [] if text.strip() == "none" else [n.strip() for n in text.split(",") if n.strip()]

    return names(match.group(2)), names(match.group(4))


@dataclass
class BuildCommands:
    """The commands `make book` runs: the data step, then the notebooks step, which executes what is
    out of date and builds the three editions' site (build.py's build_book)."""
    python: Path

    def steps(self, mode: str) -> list[tuple[str, list]]:
        py = self.python
        notebooks = [py, "-m", "sotebook.site.build", "notebooks"] + (["--force"] if mode == "cold" else [])
        return [("data", [py, "-m", "sotebook.data.clean"]), ("notebooks + site", notebooks)]


@dataclass
class Plan:
    """What chapters.yml makes: the editions, and which notebooks the changed figure must re-run."""
    langs: list[str]
    notebooks: int
    must_execute: set[str]
    must_not_execute: set[str]


def read_plan(root: Path) -> Plan:
    """From the copy's chapters.yml: in every edition the changed year's chapter must re-run and the other
    years' chapters must not; whether any other executed notebook had to is judged by its outputs."""
    import yaml

    spec = yaml.safe_load((root / "chapters.yml").read_text(encoding="utf-8"))
    langs = [e["lang"] for e in spec["editions"]]
    must, must_not, per_edition = set(), set(), 0
    for chapter in spec["chapters"]:
        if chapter.get("each") == "year":
            per_edition += 1 + len(OTHER_YEARS)
            must |= {f"{lang}/{chapter['output'].format(year=CHANGED_YEAR)}" for lang in langs}
            must_not |= {f"{lang}/{chapter['output'].format(year=y)}" for lang in langs for y in OTHER_YEARS}
        else:
            per_edition += 1

    return Plan(langs, per_edition * len(langs), must, must_not)


def html_mtimes(root: Path) -> dict[str, int]:
    site = root / "_build" / "html"
    if not site.is_dir():
        return {}
    return {str(p.relative_to(site)): p.stat().st_mtime_ns for p in site.rglob("*.html")}


@dataclass
class BuildResult:
    total: float
    steps: dict[str, float]
    cpu: dict[str, float]
    executed: list[str]
    up_to_date: list[str]
    pages_written: list[str]
    pages_total: int


def our_build(env: Env, commands: BuildCommands, root: Path, mode: str, run: int) -> BuildResult:
    before = html_mtimes(root)
    steps, cpu, output = {}, {}, {}
    for name, command in commands.steps(mode):
        seconds, text, _ = env.run(f"run {run} {mode} {name}", command, root)
        steps[name], cpu[name], output[name] = seconds, env.last_cpu, text
    executed, up_to_date = parse_executed(output["notebooks + site"])
    after = html_mtimes(root)
    written = sorted(page for page, mtime in after.items() if before.get(page) != mtime)
    return BuildResult(sum(steps.values()), steps, cpu, executed, up_to_date, written, len(after))


def set_execute_force(config: Path) -> None:
    text = config.read_text(encoding="utf-8")
    new, count = re.subn(r"(?m)^([ \t]+execute_notebooks:[ \t]*).*$", r"\1force", text)
    if count == 0:
        new = text.rstrip("\n") + "\n\nexecute:\n  execute_notebooks: force\n" if not re.search(r"(?m)^execute:", text) \
            else re.sub(r"(?m)^execute:\s*$", "execute:\n  execute_notebooks: force", text, count=1)
    config.write_text(new, encoding="utf-8")


STAGE_SCRIPT = """
import sys
from pathlib import Path
from sotebook.pages.spec import read_spec
from sotebook.site.sphinx_build import stage_edition
from sotebook.data.dataset import available_years
from sotebook.paths import BOOK
spec = read_spec()
held = available_years()
dest = Path(sys.argv[1])
for lang in sys.argv[2:] or spec.languages:
    stage_edition(spec, held, lang, BOOK, dest / lang)
    print(lang)
"""


def stage_editions(env: Env, ours: Path, dest: Path, label: str, langs: list[str]) -> dict[str, Path]:
    """The Sphinx project of each edition, made by the copy's own sphinx_build.stage_edition() from its
    executed notebooks: the same _config.yml, _toc.yml and pages our build builds. Not timed."""
    env.run(label, [env.python, "-c", STAGE_SCRIPT, dest] + langs, ours)
    return {lang: dest / lang for lang in langs if (dest / lang / "_config.yml").is_file()}


@dataclass
class Plain:
    seconds: float                 # the three builds, summed
    cpu: float
    executed: int                  # notebooks executed in Sphinx, all editions
    per_edition: dict[str, float]  # seconds of each edition's build


def plain_build(env: Env, ours: Path, dest: Path, run: int, langs: list[str]) -> Plain:
    """Plain Jupyter Book on each edition: `jupyter-book build . --all` with execution forced, in a
    project staged exactly as our build stages it, one edition after the other."""
    projects = stage_editions(env, ours, dest, f"run {run} plain: stage editions", langs)
    if sorted(projects) != sorted(langs):
        raise StepFailed(f"staging the plain projects gave editions {sorted(projects)}, expected {sorted(langs)}")
    result = Plain(0.0, 0.0, 0, {})
    for lang in langs:
        project = projects[lang]
        set_execute_force(project / "_config.yml")
        seconds, text, _ = env.run(f"run {run} plain jupyter-book {lang}", [env.jupyter_book, "build", ".", "--all"],
                                   project, package=ours)
        result.seconds += seconds
        result.cpu += env.last_cpu
        result.per_edition[lang] = seconds
        result.executed += len(re.findall(r"Executed notebook in", strip_ansi(text)))
    return result


def change_one_figure(root: Path, run: int) -> str:
    path = root / CHANGED_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    try:
        value_col = header.index("value_as_printed")
    except ValueError:
        raise StepFailed(f"{CHANGED_FILE} has no value_as_printed column") from None
    for i, line in enumerate(lines[1:], start=1):
        row = next(csv.reader([line]))
        if len(row) > value_col and row[0] == CHANGED_METRIC and row[1] == CHANGED_YEAR:
            old = row[value_col]
            match = re.search(r"(\d)(\D*)$", old)
            if not match:
                raise StepFailed(f"{CHANGED_FILE}: {CHANGED_METRIC} {CHANGED_YEAR} value {old!r} has no digit to change")
            last = int(match.group(1))
            digit = str(last + 1 if last < 9 else last - 1)  # a different number, same printed shape
            new = old[:match.start(1)] + digit + match.group(2)
            row[value_col] = new
            out = io.StringIO()
            csv.writer(out, lineterminator="").writerow(row)
            ending = line[len(line.rstrip("\r\n")):]
            lines[i] = out.getvalue() + ending
            path.write_text("".join(lines), encoding="utf-8")
            change_in_source(root, old, new)
            return f"{CHANGED_METRIC} {CHANGED_YEAR}: {old!r} -> {new!r}"
    raise StepFailed(f"{CHANGED_FILE} has no row for {CHANGED_METRIC} {CHANGED_YEAR}")


# ---------------------------------------------------------------------------------------------
# Page weight


@dataclass
class Weight:
    pages: list[tuple[str, int, int]] = field(default_factory=list)  # (page, raw, gzip)
    # Per edition (each edition's site has its own copy of the shared assets): lang -> (files, raw, gzip)
    static: dict[str, tuple[int, int, int]] = field(default_factory=dict)


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


@functools.lru_cache(maxsize=None)
def file_sizes(path: Path) -> tuple[int, int]:
    if not path.is_file():
        return 0, 0
    data = path.read_bytes()
    return len(data), gz(data)


NOT_PAGES = {"_static", "_sources", "_downloads", "_images"}


def page_files(site: Path) -> list[Path]:
    """Every page of the site: the language chooser at the root, each edition's forward page
    (<lang>/index.html) and its pages (<lang>/book/*.html), without genindex and search."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site)
        if NOT_PAGES & set(rel.parts[:-1]) or path.name in ("genindex.html", "search.html"):
            continue
        pages.append(path)
    return pages


def page_weight(site: Path) -> Weight:
    weight = Weight()
    for path in page_files(site):
        data = path.read_bytes()
        weight.pages.append((str(path.relative_to(site)), len(data), gz(data)))
    for static in sorted(site.glob("*/_static")):
        files = raw = gzd = 0
        for path in sorted(static.rglob("*")):
            if path.is_file():
                size, size_gz = file_sizes(path)
                files, raw, gzd = files + 1, raw + size, gzd + size_gz
        weight.static[static.parent.name] = (files, raw, gzd)
    return weight


# ---------------------------------------------------------------------------------------------
# Lighthouse and first visits (issue 13)


def lighthouse_section(site: Path) -> str:
    """Every page's first-visit weight (gzipped as served, everything included) and its Lighthouse scores
    and metrics, as a Markdown table with the targets; measured on `site` served like GitHub Pages."""
    from sotebook.site import audit

    pages = audit.site_pages(site)
    say(f"first visits of {len(pages)} pages (gzip, nothing cached) ...")
    visits = audit.first_visits(pages, site)
    say(f"Lighthouse on {len(pages)} pages (mobile preset) ...")
    started = time.perf_counter()
    audits = {a.page: a for a in audit.lighthouse(pages, site=site)}
    seconds = time.perf_counter() - started
    rows, met = [], {k: True for k in LIGHTHOUSE_TARGETS}
    visits_ok = True
    for page in pages:
        a, sizes = audits[page], visits[page]
        first = sum(sizes.values())
        year = bool(re.search(r"/year_\d{4}\.html$", page))
        visits_ok &= first <= FIRST_VISIT_LIMIT or not year
        ok = not a.error and all((a.scores.get(k) or 0) >= v for k, v in LIGHTHOUSE_TARGETS.items())
        for k, v in LIGHTHOUSE_TARGETS.items():
            met[k] &= (a.scores.get(k) or 0) >= v
        m = a.metrics
        rows.append([page] + [str(a.scores.get(k, "–")) for k in LIGHTHOUSE_TARGETS]
                    + [fmt_ms(m.get("fcp", 0)), fmt_ms(m.get("lcp", 0)), fmt_ms(m.get("tbt", 0)),
                       f"{m.get('cls', 0):.3f}", fmt_ms(m.get("si", 0)),
                       f"{len(sizes)} / {fmt_kb(first)}" + (" (year page)" if year else ""),
                       (a.error or verdict(ok)) + ("; " + "; ".join(a.lost) if a.lost else "")])
    out = [f"Lighthouse 12 (mobile preset: simulated mid-range phone on slow 4G), every page, served with gzip from "
           f"127.0.0.1; "
           f"{seconds:.0f} s for {len(pages)} pages. First visit: every file the page loads, bytes "
           f"as sent (gzipped); KB = 1000 bytes. Targets: performance ≥ {LIGHTHOUSE_TARGETS['performance']}, the other "
           f"three 100; a year page's first visit ≤ {fmt_kb(FIRST_VISIT_LIMIT)}.", ""]
    out.append(table(["page", "perf", "a11y", "best pr.", "SEO", "FCP", "LCP", "TBT", "CLS", "Speed Index",
                      "first visit: files / gzipped", "result"], rows))
    out += ["", table(["target", "result"],
                      [[f"{k} ≥ {v} on every page", verdict(met[k])] for k, v in LIGHTHOUSE_TARGETS.items()]
                      + [[f"first visit to a year page ≤ {fmt_kb(FIRST_VISIT_LIMIT)} gzipped", verdict(visits_ok)]])]
    return "\n".join(out)


def only_lighthouse(site: Path) -> int:
    """`--only lighthouse`: the weight of the pages already built in `site` and their Lighthouse audit."""
    if not (site / "index.html").is_file():
        print(f"bench: {site} has no built site: run `make book` first", file=sys.stderr)
        return 1
    weight = page_weight(site)
    heaviest = max(weight.pages, key=lambda p: p[1])
    print(table(["page", "HTML", "gzipped", "result"],
                [[page, fmt_kb(raw), fmt_kb(gzd), verdict(raw < PAGE_LIMIT)] for page, raw, gzd in weight.pages]))
    print(f"\nheaviest page HTML: {heaviest[0]} {fmt_kb(heaviest[1])} (target < {fmt_kb(PAGE_LIMIT)})\n")
    print(lighthouse_section(site))
    return 0


PDF_LIMIT = 60  # seconds for the three editions' PDFs on 2 cores, after the HTML is built (issue 22)


def only_pdf(runs: int) -> int:
    """`--only pdf`: `python -m sotebook.site.pdf` (what `make pdf` runs after `make book`) on the site already
    in _build/html, timed `runs` times; it writes _build/pdf/ as `make pdf` does. Prints the median, each
    edition's pages and the load average (a busy machine makes the time meaningless)."""
    if not (REPO / "_build" / "html" / "index.html").is_file():
        print("bench: _build/html has no built site: run `make book` first", file=sys.stderr)
        return 1
    import hashlib
    import resource

    times, cpu, output, digests = [], [], "", set()
    before = loadavg()
    for run in range(runs):
        started, used = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        result = subprocess.run([str(VENV_PYTHON), "-m", "sotebook.site.pdf"], cwd=REPO, capture_output=True, text=True,
                                env={**os.environ, "PYTHONPATH": str(REPO)})
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime)
        if result.returncode:
            print(result.stderr, file=sys.stderr)
            return 1
        output = result.stdout
        digests.add(tuple(hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((REPO / "_build" / "pdf").glob("*.pdf"))))
    pages = re.findall(r"make pdf: \S+-(\w+)\.pdf \((\d+) pages\)", output)
    print(table(["step", "time (median)", "runs", "target", "result"],
                [["make pdf, three editions (after the HTML)", fmt_s(median(times)), runs_list(times),
                  f"≤ {PDF_LIMIT} s", verdict(median(times) <= PDF_LIMIT)]]))
    print(f"\nCPU time (all processes, user and system): {fmt_s(median(cpu))} (runs: {runs_list(cpu)}); three editions "
          f"on two workers take about two thirds of it as wall time on idle cores")
    print("\n" + table(["edition", "pages"], [[lang, count] for lang, count in pages]))
    print(f"\nload average: {before} before, {loadavg()} after; "
          f"{'the same bytes on every run' if len(digests) == 1 else 'DIFFERENT BYTES between runs'}")
    return 0 if len(digests) == 1 else 1


MAKE_TEST_LIMIT = 6 * 60  # seconds, on 2 cores (issue 13)
MAKE_TEST_LINE = re.compile(r"^make test: (passed|FAILED) in (\d+) s: .*$", re.M)


def only_make_test(keep: bool) -> int:
    """`--only test`: `make test` in a copy of the repository, the installed .venv and node_modules linked in."""
    stamp = REPO / ".venv" / ".installed"
    if not stamp.is_file() or not (REPO / "node_modules").is_dir():
        print("bench: the project is not installed: run `make book` and `make test` once first", file=sys.stderr)
        return 1
    if (REPO / "requirements.txt").stat().st_mtime > stamp.stat().st_mtime:
        print("bench: requirements.txt changed since .venv was installed: run `make book` first", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="sotebook-bench-test-"))
    try:
        copy = copy_repo(REPO, work / "main")
        for name in (".venv", "node_modules"):
            (copy / name).symlink_to(REPO / name)
        # The venv is the one the requirements describe (checked above): the copy's requirements.txt gets the
        # stamp's time, so that make in the copy does not reinstall into the linked venv.
        os.utime(copy / "requirements.txt", ns=(stamp.stat().st_atime_ns, stamp.stat().st_mtime_ns))
        say(f"make test in {copy} (load average {loadavg()}); {os.cpu_count()} cores")
        started = time.perf_counter()
        # The copy's package, not the checkout's (which the venv's .pth file names), in every process and kernel.
        # The source documents from beside the repository: the copy has no ../shared/seeds beside it.
        env = {**os.environ, "PYTHONPATH": str(copy), "SOTEBOOK_SEEDS": str(SEEDS)}
        result = subprocess.run(["make", "--no-print-directory", "test"], cwd=copy, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - started
        (work / "make-test.log").write_text(result.stdout + result.stderr, encoding="utf-8")
        line = MAKE_TEST_LINE.search(result.stdout)
        say(f"done (load average {loadavg()})")
        ok = result.returncode == 0 and wall <= MAKE_TEST_LIMIT
        print(table(["measure", "result", "target", "verdict"], [
            ["`make test`, installed, wall time", fmt_s(wall), f"≤ {fmt_s(MAKE_TEST_LIMIT)} on 2 cores",
             verdict(ok) if result.returncode == 0 else "tests FAILED"],
        ]))
        print(f"\n{line.group(0) if line else 'make test printed no summary line'}")
        if result.returncode != 0:
            print(f"bench: make test failed; its output is in {work / 'make-test.log'}", file=sys.stderr)
            keep = True
        return 0 if result.returncode == 0 else 1
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Charts in headless Chromium

# Runs in every document before the page's own scripts. A chart is an SVG image (sotebook.pages.charts.show); it
# counts as drawn when its image has loaded and decoded (img.decode() resolved with a natural width), at
# performance.now() then (milliseconds since navigation start). `done` is the moment the last chart of the
# page was drawn (or, on a page without charts, the end of parsing); a chart whose image fails counts as failed.
TIMING_SCRIPT = """
(() => {
  const SELECTOR = %r;
  const bench = window.__bench = {done: null, charts: null, drawn: 0, failed: 0};
  const drawnAt = new Map();  // img -> performance.now() when decoded, or -1 if it failed
  function settle(img, time) {
    if (!drawnAt.has(img)) { drawnAt.set(img, time); check(); }
  }
  function watch(img) {
    if (img.__benchWatched) return;
    img.__benchWatched = true;
    const decode = () => img.decode().then(() => settle(img, img.naturalWidth > 0 ? performance.now() : -1),
                                           () => settle(img, -1));
    if (img.complete) decode();
    else {
      img.addEventListener('load', decode, {once: true});
      img.addEventListener('error', () => settle(img, -1), {once: true});
    }
  }
  function check() {
    document.querySelectorAll(SELECTOR + ' img').forEach(watch);
    if (bench.done !== null || document.readyState === 'loading') return;
    const boxes = document.querySelectorAll(SELECTOR);
    let drawn = 0, failed = 0, last = 0;
    for (const box of boxes) {
      const img = box.querySelector('img');
      if (!img) { failed++; continue; }
      if (!drawnAt.has(img)) return;  // not yet: check() runs again when it settles
      const time = drawnAt.get(img);
      if (time < 0) failed++; else { drawn++; last = Math.max(last, time); }
    }
    bench.done = boxes.length ? last : performance.now();
    bench.charts = boxes.length;
    bench.drawn = drawn;
    bench.failed = failed;
    observer.disconnect();
  }
  // Images are watched as the parser inserts them, so one that loads before parsing ends is timed too.
  const observer = new MutationObserver(check);
  observer.observe(document, {childList: true, subtree: true});
  document.addEventListener('readystatechange', check);
})();
""" % CHART_SELECTOR


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@dataclass
class ChartTiming:
    page: str
    charts: int
    drawn: int
    failed: int
    done_ms: list[float]      # navigation start -> all charts drawn, per load (inf: never)
    load_ms: list[float]      # navigation start -> load event end, per load
    dcl_ms: list[float]       # navigation start -> DOMContentLoaded handlers done, per load
    errors: int               # page errors and console errors over all loads
    names: set = field(default_factory=set)  # files a first visit downloads (the page and what it loads)
    files: int = 0            # how many
    raw: int = 0              # their bytes
    gzipped: int = 0          # their bytes gzipped


def chart_timings(site: Path, loads: int, chromium: Path) -> tuple[list[ChartTiming], int, str]:
    from playwright.sync_api import Error as PlaywrightError  # the caller checks it can be imported
    from playwright.sync_api import sync_playwright

    pages = [p for p in page_files(site)
             if not re.search(rb"http-equiv=[\"']?refresh", p.read_bytes()[:4000], re.IGNORECASE)]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    blocked = 0
    results = []

    def route(r):
        nonlocal blocked
        if urllib.parse.urlsplit(r.request.url).hostname == "127.0.0.1":
            r.continue_()
        else:
            blocked += 1
            r.abort()

    def load(browser, url: str) -> tuple[dict, int]:
        errors = 0

        def on_console(message):
            nonlocal errors
            if message.type == "error":
                errors += 1

        def on_error(_):
            nonlocal errors
            errors += 1

        context = browser.new_context()
        try:
            context.route("**/*", route)
            context.add_init_script(TIMING_SCRIPT)
            page = context.new_page()
            page.on("console", on_console)
            page.on("pageerror", on_error)
            try:
                page.goto(url, wait_until="load", timeout=PAGE_TIMEOUT_MS)
                page.wait_for_function("() => window.__bench && window.__bench.done !== null",
                                       timeout=PAGE_TIMEOUT_MS)
            except PlaywrightError as error:  # reported as never drawn
                say(f"  {url}: {str(error).splitlines()[0]}")
            info = page.evaluate("""() => {
                const nav = performance.getEntriesByType('navigation')[0];
                const charts = document.querySelectorAll(%r).length;
                const resources = performance.getEntriesByType('resource').map(r => r.name);
                return Object.assign({}, window.__bench, {total: charts, resources: resources,
                    load: nav ? nav.loadEventEnd : null, dcl: nav ? nav.domContentLoadedEventEnd : null});
            }""" % CHART_SELECTOR)
        finally:
            context.close()
        return info, errors

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
            version = browser.version
            try:
                if pages:  # warm-up: the browser's first page pays for process start-up
                    load(browser, base + pages[0].relative_to(site).as_posix())
                for path in pages:
                    rel = path.relative_to(site).as_posix()
                    done, load_times, dcl_times, errors, info = [], [], [], 0, {}
                    for _ in range(loads):
                        info, errs = load(browser, base + rel)
                        errors += errs
                        done.append(float(info["done"]) if info.get("done") is not None else float("inf"))
                        load_times.append(float(info["load"] or 0))
                        dcl_times.append(float(info["dcl"] or 0))
                    timing = ChartTiming(rel, int(info.get("total") or 0), int(info.get("drawn") or 0),
                                         int(info.get("failed") or 0), done, load_times, dcl_times, errors)
                    files = {rel} | {urllib.parse.unquote(urllib.parse.urlsplit(u).path).lstrip("/")
                                     for u in info.get("resources") or [] if u.startswith(base)}
                    timing.names = files
                    for name in files:
                        raw, gzd = file_sizes(site / name)
                        timing.files += 1
                        timing.raw += raw
                        timing.gzipped += gzd
                    results.append(timing)
                    drawn = (f"all drawn after {fmt_ms(statistics.median(done))}" if timing.charts else "no charts")
                    say(f"  {rel}: {timing.charts} chart(s), {drawn}; DOMContentLoaded "
                        f"{fmt_ms(statistics.median(dcl_times))}, load {fmt_ms(statistics.median(load_times))}; "
                        f"first visit {timing.files} files, {fmt_kb(timing.gzipped)} gzipped")
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return results, blocked, version


# ---------------------------------------------------------------------------------------------
# Machine and formatting


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def machine(python: Path) -> list[tuple[str, str]]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 0
    versions = subprocess.run(
        [str(python), "-c", "import sys, importlib.metadata as m; print(sys.version.split()[0]); "
                            "print(m.version('jupyter-book')); print(m.version('sphinx')); print(m.version('myst-nb'))"],
        capture_output=True, text=True).stdout.split()
    versions += ["?"] * (4 - len(versions))
    return [
        ("CPU", model),
        ("cores (nproc)", str(cores)),
        ("memory", memory),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", f"{versions[0]} ({python})"),
        ("Jupyter Book / Sphinx / myst-nb", f"{versions[1]} / {versions[2]} / {versions[3]}"),
    ]


def fmt_s(seconds: float) -> str:
    return f"{seconds:.1f} s"


def fmt_ms(ms: float) -> str:
    return "never" if ms == float("inf") else f"{ms:.0f} ms"


def fmt_kb(n: int) -> str:
    return f"{n / 1000:,.1f} KB"


def runs_list(values: list[float]) -> str:
    return ", ".join(f"{v:.1f}" for v in values)


def median(values: list[float]) -> float:
    return statistics.median(values)


def verdict(ok: bool) -> str:
    return "met" if ok else "**NOT met**"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------


@dataclass
class Run:
    cold: BuildResult
    plain: Plain
    noop: BuildResult
    onefig: BuildResult
    change: str
    diagnostics: dict[str, float]
    make_noop: float  # `make book` with everything up to date: what an analyst runs
    unchanged: list[str] = field(default_factory=list)  # executed by the one-figure change, outputs the same


def notebook_outputs(root: Path) -> dict[str, str]:
    """Each executed notebook's cells and outputs (not its metadata), as a digest, by name ('fi/year_2025')."""
    import hashlib
    import json

    digests = {}
    for path in sorted((root / "book").glob("*/*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        content = [(c.get("cell_type"), c.get("source"), c.get("outputs")) for c in cells]
        digests[f"{path.parent.name}/{path.stem}"] = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
    return digests


def make_noop(env: Env, root: Path, run: int) -> float:
    """Time `make book` on the up-to-date copy, as an analyst runs it.

    The copy borrows the project's venv through a symlink; `-o .venv/.installed` tells make not to
    reinstall it (the copy's requirements.txt is newer than the borrowed stamp). A first, untimed
    `make book` lets make record its own stamps after the step-by-step builds above."""
    link = root / ".venv"
    if not link.exists():
        link.symlink_to(env.python.parent.parent, target_is_directory=True)
    command = ["make", "--no-print-directory", "-o", ".venv/.installed", "book"]
    env.run(f"run {run} make book (stamps)", command, root)
    seconds, _, _ = env.run(f"run {run} make book no-op", command, root)
    return seconds


def diagnostics(env: Env, root: Path, run: int, dest: Path, lang: str) -> dict[str, float]:
    """Where the time goes; measured on the up-to-date copy, failures are only noted."""
    found = {}
    probes = [
        ("python + import sotebook.site.build", [env.python, "-c", "import sotebook.site.build"], root),
        ("the site alone: `python -m sotebook.site.build html` (three editions, two at a time, no notebook executed)",
         [env.python, "-m", "sotebook.site.build", "html"], root),
    ]
    try:
        project = stage_editions(env, root, dest, f"run {run} diag stage {lang}", [lang])[lang]
        probes.append((f"one edition alone: `jupyter-book build . --all` of the staged `{lang}` project "
                       "(no execution, no -W)", [env.jupyter_book, "build", ".", "--all"], project))
    except (StepFailed, KeyError) as error:
        say(f"  could not stage the {lang} edition for the diagnostics: {error}")
    for name, command, where in probes:
        seconds, _, code = env.run(f"run {run} diag {name[:40]}", command, where, check=False, package=root)
        found[name] = seconds if code == 0 else float("nan")
    shutil.rmtree(dest, ignore_errors=True)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/bench.py", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each build; medians are reported (default 3)")
    parser.add_argument("--loads", type=int, default=5, help="page loads per page for the chart timings (default 5)")
    parser.add_argument("--quick", action="store_true", help="one run of everything (--runs 1 --loads 1)")
    parser.add_argument("--python", type=Path, default=VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable),
                        help="the venv interpreter to build with (default: the project's .venv/bin/python)")
    parser.add_argument("--chromium", type=Path, default=CHROMIUM, help="Chromium for the chart timings")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies and logs")
    parser.add_argument("--only", choices=["lighthouse", "test", "pdf", "growth"], default=os.environ.get("SOTEBOOK_BENCH_ONLY") or None,
                        help="only this section: lighthouse on the site already in _build/html (no builds), "
                             "test (`make test` timed in a copy) or growth (books of 3, 10 and 20 years)")
    parser.add_argument("--years", type=int, nargs="+", default=[3, 10, 20],
                        help="the book sizes of the growth section, in years (default 3 10 20)")
    args = parser.parse_args(argv)
    if args.only == "lighthouse":
        return only_lighthouse(REPO / "_build" / "html")
    if args.only == "test":
        return only_make_test(args.keep)
    if args.only == "pdf":
        return only_pdf(1 if args.quick else args.runs)
    if args.only == "growth":
        return only_growth(args.python if args.python.is_absolute() else Path.cwd() / args.python, args.keep, args.years)
    runs = 1 if args.quick else args.runs
    loads = 1 if args.quick else args.loads
    if runs < 1 or loads < 1:
        parser.error("--runs and --loads must be at least 1")
    # Not resolved: a venv's python is a symlink, and resolving it would leave the venv.
    python = args.python if args.python.is_absolute() else Path.cwd() / args.python
    if not python.exists() or not python.with_name("jupyter-book").exists():
        parser.error(f"{python} is not the interpreter of a venv with jupyter-book (make book creates .venv)")

    started = time.perf_counter()
    LOADAVG["start"] = loadavg()
    work = Path(tempfile.mkdtemp(prefix="sotebook-bench-"))
    logs = work / "logs"
    logs.mkdir()
    env = Env(python, logs)
    failed = False
    say(f"working in {work} (logs in {logs}); {runs} run(s)")
    try:
        snapshot = copy_repo(REPO, work / "snapshot")
        commands = BuildCommands(python)
        book_plan = read_plan(snapshot)
        say(f"editions {', '.join(book_plan.langs)}: {book_plan.notebooks} notebooks; the one-figure change must "
            f"execute {', '.join(sorted(book_plan.must_execute))} and not {', '.join(sorted(book_plan.must_not_execute))}")
        say("warm-up (not timed): loading the toolchain once so the first run does not pay for a cold disk cache")
        env.run("warm-up", [python, "-c", "import sotebook.site.build, papermill, jupyter_book.cli.main, myst_nb, "
                                          "sphinx_book_theme, altair, pandas, vl_convert, ipykernel"], snapshot)
        results: list[Run] = []
        site = None
        for run in range(1, runs + 1):
            ours = copy_repo(snapshot, work / f"run{run}" / "ours")
            remove_build_state(ours)
            say(f"run {run}/{runs}: cold build (data, notebooks --force with the three editions' site) ...")
            cold = our_build(env, commands, ours, "cold", run)
            say(f"run {run}/{runs}: cold build {fmt_s(cold.total)} "
                f"({', '.join(f'{k} {v:.1f} s' for k, v in cold.steps.items())}); executed {len(cold.executed)}")
            if run == runs:
                site = work / "site"
                shutil.copytree(ours / "_build" / "html", site)

            say(f"run {run}/{runs}: plain Jupyter Book, each edition (execute_notebooks: force, --all) ...")
            plain = plain_build(env, ours, work / f"run{run}" / "plain", run, book_plan.langs)
            say(f"run {run}/{runs}: plain Jupyter Book {fmt_s(plain.seconds)} "
                f"({', '.join(f'{k} {v:.1f} s' for k, v in plain.per_edition.items())}); "
                f"executed {plain.executed} notebook(s) in Sphinx")
            if not args.keep:
                shutil.rmtree(work / f"run{run}" / "plain", ignore_errors=True)

            say(f"run {run}/{runs}: no-op rebuild ...")
            noop = our_build(env, commands, ours, "noop", run)
            say(f"run {run}/{runs}: no-op rebuild {fmt_s(noop.total)} "
                f"({', '.join(f'{k} {v:.1f} s' for k, v in noop.steps.items())}); executed {len(noop.executed)}, "
                f"{len(noop.pages_written)} of {noop.pages_total} HTML files rewritten")

            say(f"run {run}/{runs}: diagnostics ...")
            diag = diagnostics(env, ours, run, work / f"run{run}" / "diag", book_plan.langs[0])
            make_seconds = make_noop(env, ours, run)
            say(f"run {run}/{runs}: `make book` with nothing to do {fmt_s(make_seconds)}")

            before = notebook_outputs(ours)
            change = change_one_figure(ours, run)
            say(f"run {run}/{runs}: one-figure rebuild ({change}) ...")
            onefig = our_build(env, commands, ours, "onefig", run)
            after = notebook_outputs(ours)
            unchanged = sorted(n for n in onefig.executed if before.get(n) == after.get(n))
            say(f"run {run}/{runs}: one-figure rebuild {fmt_s(onefig.total)} "
                f"({', '.join(f'{k} {v:.1f} s' for k, v in onefig.steps.items())}); "
                f"executed {', '.join(onefig.executed) or 'none'}")
            say(f"run {run}/{runs}: executed with unchanged outputs: {', '.join(unchanged) or 'none'}")
            results.append(Run(cold, plain, noop, onefig, change, diag, make_seconds, unchanged))
            if not args.keep:
                shutil.rmtree(work / f"run{run}", ignore_errors=True)

        say("page weight ...")
        weight = page_weight(site)
        try:
            import playwright  # noqa: F401
            have_playwright = True
        except ImportError:
            have_playwright = False
        if args.chromium.exists() and have_playwright:
            say(f"chart timings in headless Chromium, {loads} load(s) per page ...")
            charts, blocked, browser_version = chart_timings(site, loads, args.chromium)
        else:
            say(f"{args.chromium} or Playwright not found: no chart timings")
            charts, blocked, browser_version = None, 0, None
        elapsed = time.perf_counter() - started
        print()
        print(report(results, book_plan, weight, charts, blocked, site, browser_version, python, runs, loads, elapsed))
        try:
            print("\n" + lighthouse_section(site))
        except Exception as error:  # noqa: BLE001 - the builds' results stand without it
            say(f"no Lighthouse section: {error}")
        say(f"done in {elapsed / 60:.1f} min")
    except StepFailed as error:
        failed = True
        print(f"\nbench: a build step failed; nothing was measured further.\n{error}", file=sys.stderr)
        print(f"bench: the copies and logs are kept in {work}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nbench: interrupted", file=sys.stderr)
        return 130
    finally:
        if not failed and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        elif args.keep:
            say(f"kept {work}")
    return 0


def only_growth(python: Path, keep: bool, sizes: list[int]) -> int:
    """`--only growth`: books of 3, 10 and 20 years, each built cold and then given one more year
    (benchmarks/growth.py)."""
    import growth

    if min(sizes) < len(growth.REAL_YEARS):
        print(f"bench: a book has at least the {len(growth.REAL_YEARS)} real years", file=sys.stderr)
        return 2
    LOADAVG["start"] = loadavg()
    work = Path(tempfile.mkdtemp(prefix="sotebook-bench-growth-"))
    (work / "logs").mkdir()
    env = Env(python, work / "logs")
    failed = False
    try:
        snapshot = copy_repo(REPO, work / "snapshot")
        book_plan = read_plan(snapshot)
        every_year = [c for c in _every_year_pages(snapshot)]
        env.run("warm-up", [python, "-c", "import sotebook.site.build, papermill, myst_nb, altair, pandas"], snapshot)
        results = []
        for years in sorted(sizes):
            results.append(growth.measure(sys.modules[__name__], env, python, snapshot, work, years))
            if not keep:
                shutil.rmtree(work / f"years-{years}", ignore_errors=True)
        print()
        print(growth.report(sys.modules[__name__], results, book_plan.langs, every_year))
        print(f"\nload average (1, 5, 15 min) at start / end: {LOADAVG['start']} / {loadavg()}")
    except StepFailed as error:
        failed = True
        print(f"\nbench: a build step failed.\n{error}\nbench: the copies and logs are kept in {work}", file=sys.stderr)
        return 1
    finally:
        if not failed and not keep:
            shutil.rmtree(work, ignore_errors=True)
        elif keep:
            say(f"kept {work}")
    return 0


def _every_year_pages(root: Path) -> list[str]:
    """The outputs of the chapters that are not one per year: the pages that show every year (and the front page)."""
    import yaml

    spec = yaml.safe_load((root / "chapters.yml").read_text(encoding="utf-8"))
    return [c["output"] for c in spec["chapters"] if c.get("each") != "year"]


def by_edition(names: list[str], langs: list[str]) -> str:
    """'fi/index, sv/index, en/index' as 'in each edition (fi, sv, en): index', or edition by edition."""
    if not names:
        return "none"
    groups = {lang: sorted(n.split("/", 1)[1] for n in names if n.startswith(f"{lang}/")) for lang in langs}
    other = sorted(n for n in names if n.split("/", 1)[0] not in langs)
    if len({tuple(g) for g in groups.values()}) == 1 and not other:
        return f"in each edition ({', '.join(langs)}): {', '.join(groups[langs[0]])}"
    return "; ".join([f"{lang}: {', '.join(g) or 'none'}" for lang, g in groups.items()] + other)


def report(results: list[Run], book_plan: Plan, weight: Weight, charts, blocked: int, site: Path,
           browser_version, python: Path, runs: int, loads: int, elapsed: float) -> str:
    out = []
    plain = [r.plain.seconds for r in results]
    cold = [r.cold.total for r in results]
    noop = [r.noop.total for r in results]
    onefig = [r.onefig.total for r in results]
    m_plain, m_cold, m_noop, m_onefig = median(plain), median(cold), median(noop), median(onefig)
    n_notebooks = len(results[0].cold.executed) + len(results[0].cold.up_to_date)
    langs = ", ".join(book_plan.langs)
    editions = len(book_plan.langs)

    out.append(f"### Build benchmark ({time.strftime('%Y-%m-%d')}, {editions} editions: {langs}; median of "
               f"{runs} run(s), benchmark took {elapsed / 60:.1f} min)")
    out.append("")
    rows = [[k, v] for k, v in machine(python)]
    if browser_version:
        rows.append(["Chromium (headless)", browser_version])
    rows.append(["load average (1, 5, 15 min) at start / end", f"{LOADAVG['start']} / {loadavg()}"])
    out.append(table(["machine", ""], rows))
    out.append("")

    # --- builds
    executed_sets = {tuple(r.onefig.executed) for r in results}

    def onefig_right(r: Run) -> bool:
        executed = set(r.onefig.executed)
        return not r.unchanged and book_plan.must_execute <= executed and not executed & book_plan.must_not_execute

    onefig_ok = all(onefig_right(r) for r in results)
    wrong = []
    for r in results:
        missing = sorted(book_plan.must_execute - set(r.onefig.executed))
        others = sorted(set(r.onefig.executed) & book_plan.must_not_execute)
        wrong += [f"executed with unchanged outputs: {', '.join(r.unchanged)}"] if r.unchanged else []
        wrong += [f"did not execute {', '.join(missing)}"] if missing else []
        wrong += [f"executed {', '.join(others)}"] if others else []
    onefig_cold = median([r.onefig.total / r.cold.total for r in results])
    onefig_fast = onefig_cold <= ONEFIG_RATIO
    onefig_names = "; ".join(by_edition(list(names), book_plan.langs) for names in sorted(executed_sets))
    m_make = median([r.make_noop for r in results])
    noop_ratio, cold_ratio = m_make / m_plain, m_cold / m_plain
    noop_ok = noop_ratio <= NOOP_RATIO and m_make < NOOP_LIMIT_S
    cold_ok = cold_ratio <= COLD_RATIO

    def cpu(kind: str) -> str:
        return fmt_s(median([r.plain.cpu if kind == "plain" else sum(getattr(r, kind).cpu.values())
                             for r in results]))

    def ratios(kind: str) -> str:
        """Ratio of the medians, then each run's own ratio (the two builds ran minutes apart)."""
        ratio = median([getattr(r, kind).total for r in results]) / m_plain
        paired = ", ".join(f"{getattr(r, kind).total / r.plain.seconds:.2f}" for r in results)
        return f"{ratio:.2f}" + (f" (per run: {paired})" if len(results) > 1 else "")

    per_edition = ", ".join(f"{lang} {fmt_s(median([r.plain.per_edition[lang] for r in results]))}"
                            for lang in book_plan.langs)
    must_per_edition = sorted({n.split("/", 1)[1] for n in book_plan.must_execute})
    must_not_per_edition = sorted({n.split("/", 1)[1] for n in book_plan.must_not_execute})
    rows = [
        [f"plain Jupyter Book, the same {editions} editions one after the other: per edition the staged project "
         "(its `_config.yml` with `execute_notebooks: force`, its `_toc.yml` and notebooks), "
         f"`jupyter-book build . --all`; sum of the {editions} builds "
         f"({median([r.plain.executed for r in results]):.0f} notebooks executed in Sphinx; {per_edition})",
         fmt_s(m_plain), runs_list(plain), cpu("plain"), "baseline", "1.00", "–"],
        [f"cold build: no `_build/`; data + `notebooks --force` ({n_notebooks} notebooks, then the "
         f"{editions} editions' site, two at a time)",
         fmt_s(m_cold), runs_list(cold), cpu("cold"), f"≤ {COLD_RATIO} × plain", ratios("cold"), verdict(cold_ok)],
        ["no-op rebuild as an analyst runs it: `make book` with nothing changed",
         fmt_s(m_make), runs_list([r.make_noop for r in results]), "–",
         f"≤ {NOOP_RATIO} × plain and < {NOOP_LIMIT_S:.0f} s",
         f"{noop_ratio:.2f}", verdict(noop_ok)],
        ["no-op rebuild, every step run anyway: data + notebooks (nothing executed, the site rebuilt) "
         "(what make skips)",
         fmt_s(m_noop), runs_list(noop), cpu("noop"), "–", ratios("noop"), "–"],
        [f"one-figure rebuild ({results[0].change}): data + notebooks (the changed ones, then the site)",
         fmt_s(m_onefig), runs_list(onefig), cpu("onefig"),
         f"executes only notebooks whose outputs change (in each edition {', '.join(must_per_edition)}; "
         f"never {', '.join(must_not_per_edition)}); ≤ {ONEFIG_RATIO} × cold",
         f"{ratios('onefig')}; {onefig_cold:.2f} × cold; executed {median([len(r.onefig.executed) for r in results]):.0f} of "
         f"{n_notebooks}: {onefig_names}; executed with unchanged outputs: "
         f"{'; '.join(', '.join(r.unchanged) for r in results if r.unchanged) or 'none'}"
         + (f" ({'; '.join(wrong)})" if wrong else ""), verdict(onefig_ok and onefig_fast)],
    ]
    out.append("Builds (wall-clock time; CPU = user + system time of the commands and their children):")
    out.append("")
    out.append(table(["build", "median", "runs (s)", "CPU (median)", "target", "ratio to plain", "result"], rows))
    out.append("")

    step_rows = []
    for step in ("data", "notebooks + site"):
        step_rows.append([f"`{step}`"] + [
            f"{fmt_s(median([getattr(r, kind).steps[step] for r in results]))} "
            f"(CPU {fmt_s(median([getattr(r, kind).cpu[step] for r in results]))})"
            for kind in ("cold", "noop", "onefig")])
    step_rows.append(["notebooks executed"] + [f"{median([len(getattr(r, kind).executed) for r in results]):.0f}"
                                              for kind in ("cold", "noop", "onefig")])
    step_rows.append(["HTML files rewritten (last run)"] + [
        f"{len(getattr(results[-1], kind).pages_written)} of {getattr(results[-1], kind).pages_total}"
        for kind in ("cold", "noop", "onefig")])
    out.append("Where our build's time goes (median per step; the notebooks step also builds the site):")
    out.append("")
    out.append(table(["step", "cold", "no-op", "one-figure"], step_rows))
    out.append("")
    diag_rows = [[name, fmt_s(median([r.diagnostics.get(name, float("nan")) for r in results]))]
                 for name in results[0].diagnostics]
    out.append("Diagnostics, measured on the up-to-date copy after the no-op rebuild:")
    out.append("")
    out.append(table(["command", "median"], diag_rows))
    out.append("")

    # --- page weight
    rows = []
    heaviest = max((p for p in weight.pages), key=lambda p: p[1])
    for page, raw, gzd in weight.pages:
        rows.append([page, fmt_kb(raw), fmt_kb(gzd), verdict(raw < PAGE_LIMIT)])
    for lang, (files, raw, gzd) in weight.static.items():
        rows.append([f"shared assets: `{lang}/_static/` ({files} files; each edition has its own copy)",
                     fmt_kb(raw), fmt_kb(gzd), "–"])
    pages_ok = all(raw < PAGE_LIMIT for _, raw, _ in weight.pages)
    out.append(f"Page weight (cold build, every page of every edition; KB = 1000 bytes; gzip level 9; target: "
               f"every page's own HTML < {PAGE_LIMIT / 1000:.0f} KB):")
    out.append("")
    out.append(table(["page", "HTML", "gzipped", "result"], rows))
    out.append("")

    # --- charts
    charts_ok = None
    if charts is not None:
        rows = []
        worst = 0.0
        charts_ok = True
        for t in charts:
            m_done = median(t.done_ms)
            drawn_ok = t.failed == 0 and t.drawn == t.charts
            ok = (t.charts == 0) or (drawn_ok and m_done <= CHART_LIMIT_MS)
            charts_ok &= ok
            if t.charts:
                worst = max(worst, m_done)
            rows.append([t.page, str(t.charts),
                         fmt_ms(m_done) if t.charts else "– (no charts)",
                         ", ".join(fmt_ms(v).replace(" ms", "") for v in t.done_ms) if t.charts else "–",
                         fmt_ms(median(t.dcl_ms)), fmt_ms(median(t.load_ms)),
                         f"{t.files} / {fmt_kb(t.raw)} / {fmt_kb(t.gzipped)}",
                         str(t.errors), verdict(ok) if t.charts else "–"])
        out.append(f"Charts in headless Chromium: milliseconds from navigation start until every chart's SVG "
                   f"image has loaded and decoded, every page of every edition (median of {loads} load(s), fresh browser context each, served from "
                   f"127.0.0.1; {blocked} request(s) to other hosts blocked; target ≤ {CHART_LIMIT_MS:.0f} ms):")
        out.append("")
        out.append(table(["page", "charts", "all drawn", "loads (ms)", "DOMContentLoaded", "load event",
                          "first visit: files / raw / gzipped", "JS errors", "result"], rows))
        out.append("")
        # Each edition loads its own copy of the shared files: compare them by their path in the edition.
        editions = sorted(weight.static)

        def in_edition(name: str) -> str:
            first, _, rest = name.partition("/")
            return rest if first in editions and rest else name

        book_pages = [t for t in charts if "/" in t.page]  # the chooser at the root loads nothing shared
        shared = set.intersection(*({in_edition(n) for n in t.names} for t in book_pages)) if book_pages else set()
        first = editions[0] if editions else ""
        heavy = sorted(((file_sizes(site / first / n), n) for n in shared), reverse=True, key=lambda x: x[0][1])[:6]
        if heavy:
            out.append("The heaviest files every page of an edition loads on a first visit (each edition's own "
                       f"copy, e.g. `{first}/_static/...`):")
            out.append("")
            out.append(table(["file", "raw", "gzipped"],
                             [[f"`{n}`", fmt_kb(raw), fmt_kb(gzd)] for (raw, gzd), n in heavy]))
            out.append("")

    # --- summary
    rows = [
        [f"no-op rebuild ≤ {NOOP_RATIO} × plain Jupyter Book and < {NOOP_LIMIT_S:.0f} s",
         f"`make book`: {fmt_s(m_make)} = {noop_ratio:.2f} × {fmt_s(m_plain)} (every step run anyway: {fmt_s(m_noop)})", verdict(noop_ok)],
        ["one-figure rebuild executes only the notebooks whose outputs change, in every edition",
         f"executed: {onefig_names}" + (f" ({'; '.join(wrong)})" if wrong else ""), verdict(onefig_ok)],
        [f"one-figure rebuild ≤ {ONEFIG_RATIO} × the cold build", f"{fmt_s(m_onefig)} = {onefig_cold:.2f} × the cold build "
         f"(median of each run's ratio)", verdict(onefig_fast)],
        ["one-figure rebuild rewrites only the pages that changed",
         f"{len(results[-1].onefig.pages_written)} of {results[-1].onefig.pages_total} HTML files rewritten: "
         + ", ".join(results[-1].onefig.pages_written), "see the list"],
        [f"cold build ≤ {COLD_RATIO} × plain Jupyter Book", f"{fmt_s(m_cold)} = {cold_ratio:.2f} × {fmt_s(m_plain)}",
         verdict(cold_ok)],
        [f"every page's own HTML < {PAGE_LIMIT / 1000:.0f} KB",
         f"heaviest: {heaviest[0]} {fmt_kb(heaviest[1])} ({fmt_kb(heaviest[2])} gzipped)", verdict(pages_ok)],
    ]
    if charts is not None:
        slowest = max((t for t in charts if t.charts), key=lambda t: median(t.done_ms), default=None)
        rows.append([f"all charts of a page drawn within {CHART_LIMIT_MS:.0f} ms",
                     f"slowest: {slowest.page} {fmt_ms(median(slowest.done_ms))}" if slowest else "no charts",
                     verdict(charts_ok)])
    else:
        rows.append([f"all charts of a page drawn within {CHART_LIMIT_MS:.0f} ms", "not measured (no Chromium)", "–"])
    out.append("Targets:")
    out.append("")
    out.append(table(["target", "measured", "result"], rows))
    return "\n".join(out)


def _reexec_in_venv() -> None:
    """The chart timings need Playwright from the project's venv: run there if started elsewhere."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        if VENV_PYTHON.exists() and Path(sys.executable) != VENV_PYTHON and not os.environ.get("SOTEBOOK_BENCH_REEXEC"):
            os.environ["SOTEBOOK_BENCH_REEXEC"] = "1"
            os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])


if __name__ == "__main__":
    _reexec_in_venv()
    sys.exit(main())

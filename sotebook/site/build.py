"""Execute the chapter notebooks with papermill and build the HTML book.

    python -m sotebook.site.build notebooks [--years "2024 2025"] [--force]   # what `make book` runs
    python -m sotebook.site.build html                                       # the site from book/ as it is

chapters.yml says which template runs with which parameters; it is checked against the templates'
parameters cells before anything runs. Each executed notebook carries a fingerprint of everything it
depends on (template, parameters, the slice of the dataset it reads, the package's source, the pinned
requirements); a notebook whose fingerprint is unchanged is not executed again. Notebooks run in
parallel, one per core, into a copy of the book under _build/; the site is built from that copy in a
fresh folder. Only when every notebook ran and the site built without a warning are the notebooks
moved into book/ and the site into _build/html: a failed build changes nothing.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

from sotebook.pages import words
from sotebook.data.clean import CLEAN
from sotebook.pages.notebook import make_deterministic
from sotebook.pages import explanation_words
from sotebook.pages.plan import check as plan_check
from sotebook.pages.spec import BookSpec, BuildError, read_spec, read_template, template_path
from sotebook.site.fingerprint import code_digest, fingerprint, package_digest, stored_fingerprint
from sotebook.data.publish import publish_dataset
from sotebook.paths import BOOK, BUILD_HTML, BUILD_PDF, LOCALES, ROOT
from sotebook.data.release import ReleaseError, verify_clean

@dataclass(frozen=True)
class Job:
    template: Path
    output: Path
    parameters: dict
    reads: str = "all"

    @property
    def name(self) -> str:
        """Where the notebook lives under book/: 'fi/year_2025'."""
        return f"{self.output.parent.name}/{self.output.stem}"

    @property
    def lang(self) -> str:
        return self.parameters["lang"]


def plan(spec: BookSpec, held: list[int], years: list[int] | None = None,
         langs: list[str] | None = None) -> list[Job]:
    """The notebooks to produce, every chapter in every edition (book/<lang>/<output>.ipynb); `years`
    restricts the per-year chapters and `langs` the editions, each to ones that exist."""
    if years:
        missing = [y for y in years if y not in held]
        if missing:
            raise BuildError(f"no figures for {', '.join(map(str, missing))} in the dataset; "
                             f"it holds {', '.join(map(str, held))}")
    if langs:
        unknown = [lang for lang in langs if lang not in spec.languages]
        if unknown:
            raise BuildError(f"no edition {', '.join(unknown)} in chapters.yml; it has {', '.join(spec.languages)}")
    jobs = []
    for lang in langs or spec.languages:
        for chapter in spec.chapters:
            template = template_path(chapter.template)
            if chapter.each == "year":
                for year in (years or held):
                    params = {**chapter.parameters, "year": year, "lang": lang}
                    jobs.append(Job(template, BOOK / lang / f"{chapter.output.format(**params)}.ipynb", params, chapter.reads))
                continue
            params = {**{k: _value(k, v, held) for k, v in chapter.parameters.items()}, "lang": lang}
            if params.get("year", held[-1]) not in held:
                raise BuildError(f"chapters.yml: chapter {chapter.output!r} asks for year {params['year']}, which the "
                                 f"dataset does not hold; it holds {', '.join(map(str, held))}")
            jobs.append(Job(template, BOOK / lang / f"{chapter.output.format(**params)}.ipynb", params, chapter.reads))
    return jobs


def _value(name: str, value: int | str, held: list[int]) -> int | str:
    if value == "latest":
        return held[-1]
    return int(value) if name == "year" else value


def execute(job: Job, fp: str) -> str:
    """Run one notebook; write job.output only if it succeeds. Runs in a worker process."""
    import papermill

    from sotebook.site.kernels import SERVER_ENV, ForkedKernelManager

    job.output.parent.mkdir(parents=True, exist_ok=True)
    scratch = job.output.with_name(f".{job.output.stem}.running-{os.getpid()}.ipynb")
    try:
        forked = {"kernel_manager_class": ForkedKernelManager} if os.environ.get(SERVER_ENV) else {}
        papermill.execute_notebook(read_template(job.template), str(scratch), parameters=job.parameters,
                                   kernel_name="python3", cwd=str(BOOK), progress_bar=False,
                                   log_output=False, request_save_on_cell_execute=False, **forked)
        nb = nbformat.read(scratch, as_version=4)
    except papermill.PapermillExecutionError as error:
        raise BuildError(f"{_rel(job.template)} with {job.parameters} failed in cell "
                         f"{error.cell_index} (execution count {error.exec_count}): {error.ename}: {error.evalue}") from None
    finally:
        scratch.unlink(missing_ok=True)
    make_deterministic(nb, job.template, job.parameters, fp)
    staging = job.output.with_name(f".{job.output.name}.new")
    nbformat.write(nb, staging)
    os.replace(staging, job.output)
    return job.name


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def run_notebooks(jobs: list[Job], force: bool = False, workers: int | None = None,
                  into: Path | None = None) -> tuple[list[str], list[str]]:
    """Execute the jobs whose fingerprints changed, in parallel, writing them into `into`
    (default: where the job says). Returns (executed, skipped)."""
    from tqdm import tqdm

    code = {template: code_digest(template) for template in {job.template for job in jobs}}
    prints = {job.name: fingerprint(job, code) for job in jobs}
    todo = [job for job in jobs if force or stored_fingerprint(job.output) != prints[job.name]]
    skipped = [job.name for job in jobs if job not in todo]
    if not todo:
        return [], skipped
    workers = min(len(todo), workers or os.cpu_count() or 1)
    errors = []
    done = []
    with _kernels(), ProcessPoolExecutor(max_workers=workers) as pool, \
            tqdm(total=len(todo), desc="executing notebooks", unit="nb", file=sys.stderr) as bar:
        futures = {pool.submit(execute, _moved(job, into), prints[job.name]): job for job in todo}
        for future in as_completed(futures):
            try:
                done.append(future.result())
            except BuildError as error:
                errors.append(str(error))
            bar.update(1)
    if errors:
        raise BuildError("\n".join(errors) + "\nNo notebook in book/ was replaced.")
    return sorted(done), skipped


def _kernels():
    """Forked kernels (sotebook/site/kernels.py) unless SOTEBOOK_FRESH_KERNELS=1 asks for a fresh
    `python3` kernel per notebook, as Jupyter starts them (slower; the outputs are the same)."""
    from contextlib import nullcontext

    from sotebook.site.kernels import KernelServer

    return nullcontext() if os.environ.get("SOTEBOOK_FRESH_KERNELS") == "1" else KernelServer(BOOK)


def _moved(job: Job, into: Path | None) -> Job:
    return job if into is None else Job(job.template, into / job.lang / job.output.name, job.parameters, job.reads)


def toc_text(spec: BookSpec, held: list[int], lang: str, book: Path = BOOK) -> str:
    """An edition's _toc.yml from chapters.yml: the first chapter is the root, then the year chapters
    newest first, then the other chapters and the hand-written pages. The edition's pages are staged
    under book/, so every edition's pages have the same names."""
    words.use(lang)
    root, years, others = None, [], []
    for chapter in spec.chapters:
        if chapter.each == "year":
            names = [chapter.output.format(year=y) for y in sorted(held, reverse=True)]
            years += [{"file": f"book/{n}"} for n in names if (book / lang / f"{n}.ipynb").exists()]
        elif root is None:
            root = f"book/{chapter.output.format(year=held[-1])}"
        else:
            others.append({"file": f"book/{chapter.output}"})
    others += [{"file": f"book/{p}"} for p in spec.pages]
    parts = [{"caption": words.say("site.toc_years"), "chapters": years},
             {"caption": words.say("site.toc_reference"), "chapters": others}]
    toc = {"format": "jb-book", "root": root, "parts": parts}
    text = "# Written by sotebook/site/build.py from chapters.yml for one edition.\n"
    return text + yaml.safe_dump(toc, sort_keys=False, allow_unicode=True)


def build_html(source: Path, full: bool = True) -> Path:
    """Jupyter Book on the project copy `source`, warnings as errors; returns the HTML folder.

    `full`: build every page (`--all`); otherwise Sphinx rewrites only the pages whose source changed,
    from the state `restore_state` put in `source` (see there for why that gives the same bytes).
    Runs in a process forked from the site server (`_site_process`), which has imported Sphinx,
    Jupyter Book, MyST-NB and the theme once for all editions.
    """
    code, output = _site_process(str(source), full)
    if code != 0:
        warnings = [_located(line, source) for line in _ANSI.sub("", output).splitlines()
                    if "WARNING" in line or "ERROR" in line]
        raise BuildError("jupyter-book build failed (warnings are errors):\n  " + "\n  ".join(warnings or [output[-2000:]])
                         + f"\nNothing was replaced: {_rel(BUILD_HTML)} and book/ are as they were")
    return source / "_build" / "html"


# What an edition's build imports besides the extensions _config.yml lists: loaded once by the site
# server, then forked for every edition.
SITE_PRELOAD = ["jupyter_book.cli.main", "jupyter_book.sphinx", "sphinx.application", "sphinx.builders.html",
                "myst_nb.sphinx_ext", "pydata_sphinx_theme", "sotebook.pages.year_chapter", "babel.numbers", "babel.dates"]
_SITE_CONTEXT = None
# At most two editions' Sphinx builds at a time (the machine this is measured on has two cores).
_SITE_SLOTS = threading.BoundedSemaphore(2)


def _site_context():
    """Python's forkserver, preloaded with SITE_PRELOAD and the extensions _config.yml lists: every
    edition's build is a process forked from it, started from the same state, as a fresh
    `jupyter-book build` would be; what is saved is the 1–2 s of imports."""
    global _SITE_CONTEXT
    if _SITE_CONTEXT is None:
        import multiprocessing

        context = multiprocessing.get_context("forkserver")
        extensions = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]["extensions"]
        context.set_forkserver_preload(SITE_PRELOAD + extensions)
        _SITE_CONTEXT = context
    return _SITE_CONTEXT


def _site_process(source: str, full: bool) -> tuple[int, str]:
    """`_sphinx_build` in a process of its own, forked from the site server; one process per edition, so
    no build sees another's state (Sphinx and docutils keep registries in module globals).

    Plain processes, not a ProcessPoolExecutor with max_tasks_per_child=1: Python 3.11's pool can leave
    the worker it starts to replace a finished one waiting for work that never comes, and the build then
    hangs at exit joining it (seen in `make test`)."""
    context = _site_context()
    with _SITE_SLOTS:
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_site_child, args=(send, source, full), daemon=True)
        process.start()
        send.close()
        try:
            code, output = receive.recv()  # before join: the output may be more than a pipe holds
        except EOFError:
            code, output = 1, ""
        finally:
            receive.close()
            process.join()
    if process.exitcode != 0 and not output:
        return 1, f"the Sphinx build of {source} ended without a result (exit code {process.exitcode})"
    return code, output


def _site_child(send, source: str, full: bool) -> None:
    """In a forked site process: build, send the result back."""
    try:
        send.send(_sphinx_build(source, full))
    finally:
        send.close()


def _sphinx_build(source: str, full: bool) -> tuple[int, str]:
    """In a site worker: `jupyter-book build <source> --builder html -W -n --keep-going [--all]`, as
    the command line runs it. Returns its exit code and everything it printed."""
    import tempfile

    from jupyter_book.cli.main import build

    os.chdir(source)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            build.main([source, "--builder", "html", "-W", "-n", "--keep-going"] + (["--all"] if full else []),
                       standalone_mode=False)
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        except Exception as error:  # jupyter-book reports a failed build as an exception
            print(error, file=sys.stderr)
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
        log.seek(0)
        return code, log.read()


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_NOTEBOOK_LINE = re.compile(r"(?P<path>\S*?book/(?P<name>[\w.-]+)\.ipynb):(?P<line>\d+):")


def _located(line: str, source: Path) -> str:
    """A Sphinx warning with the staged notebook path replaced by book/<name>.ipynb, cell and line."""
    match = _NOTEBOOK_LINE.search(line)
    if not match:
        return line.replace(str(source) + "/", "")
    cell, in_cell = divmod(int(match["line"]), 10000)  # myst-nb numbers lines cell * 10000 + line
    template = _template_of(source / "book" / f"{match['name']}.ipynb")
    where = f"book/{match['name']}.ipynb cell {cell}, line {in_cell}" + (f" (template {template})" if template else "")
    return line[:match.start()] + where + ":" + line[match.end():]


def _template_of(path: Path) -> str | None:
    try:
        return nbformat.read(path, as_version=4).metadata.get("sotebook", {}).get("template")
    except Exception:  # the warning is still worth showing without it
        return None


def stage_edition(spec: BookSpec, held: list[int], lang: str, book: Path, where: Path) -> Path:
    """A Sphinx project for one edition, to build in: its configuration and table of contents, its
    pages (book/<lang>/ staged as book/), the shared static files and templates, the theme's words
    in the language (locales/) and the dataset downloads."""
    where.mkdir(parents=True)
    (where / "_config.yml").write_text(edition_config(spec, lang), encoding="utf-8")
    (where / "_toc.yml").write_text(toc_text(spec, held, lang, book), encoding="utf-8")
    shutil.copytree(book / lang, where / "book", ignore=shutil.ignore_patterns(".*"))
    for shared in ("_static", "_templates"):
        shutil.copytree(BOOK / shared, where / "book" / shared)
    if LOCALES.is_dir():
        shutil.copytree(LOCALES, where / "locales")
    publish_dataset(CLEAN, where / "data" / "clean")  # the downloads, safe in a spreadsheet
    return where


def edition_config(spec: BookSpec, lang: str) -> str:
    """_config.yml for one edition: the shared one with the edition's language, title and search text."""
    try:
        config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    except OSError:
        raise BuildError("_config.yml is missing: restore it from git (git checkout _config.yml)") from None
    words.use(lang)
    config["title"] = words.say("site.title")
    config["copyright"] = _dataset_year()
    config["author"] = words.say("site.author")
    sphinx = config["sphinx"]["config"]
    sphinx["language"] = lang
    sphinx["html_theme_options"]["search_bar_text"] = words.say("site.search")
    sphinx["sotebook_editions"] = [e.model_dump() for e in spec.editions]
    # Incremental builds read the pages with index entries again (see sotebook/site/site_state.py).
    sphinx["extensions"] = sphinx["extensions"] + ["sotebook.site.site_state"]
    config["sphinx"]["local_extensions"] = {**config["sphinx"].get("local_extensions", {}), "sotebook.site.site_state": "./"}
    return "# Written by sotebook/site/build.py for one edition: edit _config.yml.\n" + yaml.safe_dump(
        config, sort_keys=False, allow_unicode=True)


def _dataset_year() -> str:
    """The year of the dataset's release (its `created` date), for the pages' copyright line."""
    return json.loads((CLEAN / "datapackage.json").read_text(encoding="utf-8"))["created"][:4]


def build_site(spec: BookSpec, held: list[int], book: Path, where: Path,
               previous: Path | None = BUILD_HTML) -> Path:
    """Every edition built aside, all at once (two processes at a time), into one site: /<lang>/ each,
    and at the root a page that lets readers choose their language. Returns the site's folder; the
    editions' Sphinx state for the next build is left in where/"state" (see `restore_state`).

    `previous`: the site now in place. An edition whose configuration, templates, static files,
    theme words, data downloads and code are those of the previous build is built incrementally:
    Sphinx rewrites only the pages that changed. `previous=None` builds every edition whole."""
    with _editions_folder() as editions:
        return _build_editions(spec, held, book, where, previous, editions)


class _editions_folder:
    """Where the editions are staged and built: always the same folder (EDITIONS), since Sphinx keeps
    absolute paths in its state and discards the state of a project that moved; one build at a time
    (a lock), emptied before and after."""

    def __enter__(self) -> Path:
        import fcntl

        EDITIONS.parent.mkdir(parents=True, exist_ok=True)
        self.lock = os.open(EDITIONS.parent, os.O_RDONLY)  # the lock is on _build/ itself: no file left
        fcntl.flock(self.lock, fcntl.LOCK_EX)
        shutil.rmtree(EDITIONS, ignore_errors=True)
        return EDITIONS

    def __exit__(self, *exc) -> None:
        shutil.rmtree(EDITIONS, ignore_errors=True)
        os.close(self.lock)


def _build_editions(spec: BookSpec, held: list[int], book: Path, where: Path, previous: Path | None,
                    editions: Path) -> Path:
    from concurrent.futures import ThreadPoolExecutor

    from sotebook.site.editions import write_chooser

    projects = {lang: stage_edition(spec, held, lang, book, editions / lang) for lang in spec.languages}
    # Taken before building: Sphinx writes into the project (the theme words' compiled .mo files).
    digests = {lang: _project_digests(project) for lang, project in projects.items()}
    full = {lang: not (previous and restore_state(project, digests[lang], previous / lang, SITE_STATE / lang))
            for lang, project in projects.items()}
    print("building the site: " + ", ".join(
        f"{lang} " + ("whole" if full[lang] else "{} of {} pages changed".format(*_changed_pages(project)))
        for lang, project in projects.items()), file=sys.stderr)
    with ThreadPoolExecutor(max_workers=len(projects)) as pool:
        built = dict(zip(projects, pool.map(build_html, projects.values(), full.values())))
    site = where / "site"
    site.mkdir(parents=True)
    for lang, html in built.items():
        os.rename(html, site / lang)
        save_state(projects[lang], digests[lang], where / "state" / lang)
    write_chooser(site, spec.editions)
    return site


EDITIONS = ROOT / "_build" / ".editions"
# The editions' Sphinx state between builds (doctrees, MyST-NB's outputs, what the pages were built from).
SITE_STATE = ROOT / "_build" / ".site-state"
# Staged pages whose bytes did not change since the last build get this modification time, older than
# any build, so Sphinx (which compares times) sees them unchanged; changed pages keep the current time.
_UNCHANGED_MTIME = 946684800  # 2000-01-01


def _changed_pages(project: Path) -> tuple[int, int]:
    pages = [p for p in (project / "book").iterdir() if _is_page(project, p)]
    return sum(p.stat().st_mtime != _UNCHANGED_MTIME for p in pages), len(pages)


def _project_digests(project: Path) -> tuple[str, dict[str, str]]:
    """A staged edition, before it is built: the digest of everything Sphinx does not track itself, and
    the digest of each file it does (the pages, by their bytes less the fingerprint, and the dataset's
    files the pages offer for download)."""
    inputs = hashlib.sha256()
    tracked = {}
    for path in sorted(p for p in project.rglob("*") if p.is_file() and "_build" not in p.relative_to(project).parts):
        rel = path.relative_to(project).as_posix()
        if _is_page(project, path):
            tracked[rel] = _page_digest(path)
        elif rel.startswith("data/"):
            tracked[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            inputs.update(f"{rel}\0{hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    inputs.update(package_digest())  # the Sphinx extensions and the build itself
    # The site's address, which the pages' hreflang links carry (sotebook/site/editions.py), and the PDF
    # editions, which every page links with their size once printed (sotebook/site/site_release.py).
    inputs.update(os.environ.get("SOTEBOOK_SITE_URL", "").encode())
    for pdf in sorted(BUILD_PDF.glob("*.pdf")):
        inputs.update(f"{pdf.name}\0{pdf.stat().st_size}\n".encode())
    return inputs.hexdigest(), tracked


def _is_page(project: Path, path: Path) -> bool:
    return path.parent == project / "book" and path.suffix in (".ipynb", ".md")


def _page_digest(path: Path) -> str:
    """A page's bytes, less its notebook's fingerprint: a notebook executed again because its inputs
    changed, with the same outputs, makes the same page."""
    data = path.read_bytes()
    if path.suffix == ".ipynb":
        nb = json.loads(data)
        nb.get("metadata", {}).get("sotebook", {}).pop("fingerprint", None)
        data = json.dumps(nb, sort_keys=True).encode()
    return hashlib.sha256(data).hexdigest()


def restore_state(project: Path, digests: tuple[str, dict[str, str]], html: Path, state: Path) -> bool:
    """Prepare an incremental build of the staged edition `project` from the last build's HTML and
    state; False (build it whole) when anything but its pages changed, or there is no usable state.

    What makes the incremental build give the same bytes as a whole one (tests/test_failed_build.py):
    - Sphinx's own check is by modification time; here a page counts as changed only when its bytes
      did, so a restored or re-executed notebook with the same output is not rebuilt;
    - the previous `_static/` is left out, so every page is written with the same files present as
      in a whole build (Sphinx adds a `?v=` checksum to a link only if the file is already there);
    - a changed download (a file of the dataset) has Sphinx read the pages that offer it again, as
      it tracks those itself; anything else a page depends on (configuration, table of contents,
      templates, CSS, the theme's words, the package's code) makes the build whole;
    - Sphinx's incremental search index drops the index entries of pages it does not read again:
      sotebook.site.site_state has it read those pages (the glossary) every time."""
    try:
        recorded = json.loads((state / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    inputs, pages = digests
    if recorded.get("inputs") != inputs or not html.is_dir() or not (state / "doctrees").is_dir():
        return False
    # Everything but the changed pages and downloads is as it was: tell Sphinx so (it compares times,
    # and every staged file is new). A changed download makes the pages that offer it read again.
    before = recorded.get("files", {})
    for path in project.rglob("*"):
        rel = path.relative_to(project).as_posix()
        if path.is_file() and not (rel in pages and before.get(rel) != pages[rel]):
            os.utime(path, (_UNCHANGED_MTIME, _UNCHANGED_MTIME))
    out = project / "_build"
    shutil.copytree(html, out / "html", ignore=lambda folder, names: ["_static"] if Path(folder) == html else [])
    shutil.copytree(state / "doctrees", out / ".doctrees")
    if (state / "jupyter_execute").is_dir():
        shutil.copytree(state / "jupyter_execute", out / "jupyter_execute")
    return True


def save_state(project: Path, digests: tuple[str, dict[str, str]], state: Path) -> None:
    """Keep what the next build of this edition needs to be incremental (see `restore_state`)."""
    inputs, pages = digests
    state.mkdir(parents=True)
    out = project / "_build"
    os.rename(out / ".doctrees", state / "doctrees")
    if (out / "jupyter_execute").is_dir():
        os.rename(out / "jupyter_execute", state / "jupyter_execute")
    (state / "state.json").write_text(json.dumps({"inputs": inputs, "files": pages}, indent=1, sort_keys=True),
                                      encoding="utf-8")


def swap_dir(new: Path, old: Path) -> None:
    """Put folder `new` where `old` is, with no moment in which `old` is half written."""
    retired = old.with_name(f".{old.name}.old-{os.getpid()}")
    old.parent.mkdir(parents=True, exist_ok=True)
    if old.exists():
        os.rename(old, retired)
    os.rename(new, old)
    shutil.rmtree(retired, ignore_errors=True)
    if retired.exists():
        print(f"make: the new {_rel(old)} is in place, but the previous one could not be removed: "
              f"delete {_rel(retired)} by hand", file=sys.stderr)


def build_book(years: list[int] | None = None, force: bool = False,
               langs: list[str] | None = None) -> tuple[list[str], list[str], list[str]]:
    """Execute what is out of date and build the site, all aside; swap both in only if both passed.

    `years` and `langs` restrict which notebooks may execute; the site is always built whole.
    Returns (executed, up to date, removed): removed are notebooks of chapters that left the plan."""
    from sotebook.data.dataset import available_years

    spec = read_spec()
    check_clean()
    plan_check()  # the plans beside the templates name metrics of the dataset and the templates' sections
    explanation_words.check(spec.languages)  # every explanation of the dataset is told in every edition
    held = available_years()
    plan(spec, held, years, langs)  # an unknown year or edition is an error before anything runs
    jobs = plan(spec, held)
    chosen = [j for j in jobs if (not years or j.parameters.get("year") in years or not _per_year(j, spec))
              and (not langs or j.lang in langs)]
    planned = {j.name for j in jobs}
    with _staging() as where:
        copy = where / "book"
        shutil.copytree(BOOK, copy, ignore=shutil.ignore_patterns(".*"))
        stale = sorted(str(p.relative_to(copy).with_suffix("")) for p in copy.glob("**/*.ipynb")
                       if str(p.relative_to(copy).with_suffix("")) not in planned and _generated(p))
        for name in stale:
            (copy / f"{name}.ipynb").unlink()
        done, skipped = run_notebooks(chosen, force=force, into=copy)
        site = build_site(spec, held, copy, where)
        for name in done:
            (BOOK / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(copy / f"{name}.ipynb", BOOK / f"{name}.ipynb")
        for name in stale:
            (BOOK / f"{name}.ipynb").unlink()
        swap_dir(site, BUILD_HTML)
        swap_dir(where / "state", SITE_STATE)
    return done, skipped, stale


def check_clean(clean: Path = CLEAN) -> None:
    """Every table the data package lists is in data/clean/, or the notebooks cannot run."""
    try:
        descriptor = json.loads((clean / "datapackage.json").read_text(encoding="utf-8"))
        missing = [r["path"] for r in descriptor["resources"] if not (clean / r["path"]).is_file()]
    except (OSError, ValueError, KeyError, TypeError):
        missing = ["datapackage.json"]
    if missing:
        raise BuildError(f"{_rel(clean)} is incomplete ({', '.join(missing)} missing or unreadable): "
                         "run `make data` to write it again")


def rebuild_site() -> None:
    """Build the site from book/ as it is, aside; swap it in only if it passed."""
    from sotebook.data.dataset import available_years

    spec = read_spec()
    with _staging() as where:
        swap_dir(build_site(spec, available_years(), BOOK, where), BUILD_HTML)
        swap_dir(where / "state", SITE_STATE)


def _per_year(job: Job, spec: BookSpec) -> bool:
    return any(c.each == "year" and template_path(c.template) == job.template for c in spec.chapters)


def _generated(path: Path) -> bool:
    """A notebook this build wrote (it carries a fingerprint), not one an author put in book/."""
    return stored_fingerprint(path) is not None


class _staging:
    """A fresh folder under _build/ for one build, removed afterwards whatever happened."""

    def __enter__(self) -> Path:
        self.path = ROOT / "_build" / f".stage-{os.getpid()}"
        return self.path

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sotebook.site.build", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    nb = sub.add_parser("notebooks", help="execute the chapter notebooks that are out of date and build the site")
    nb.add_argument("--years", default="", help='only these year chapters, e.g. "2024 2025"')
    nb.add_argument("--force", action="store_true", help="execute even notebooks whose fingerprint is unchanged")
    nb.add_argument("--langs", default="", help='only these editions\' notebooks, e.g. "fi sv"')
    sub.add_parser("html", help="build _build/html from the executed notebooks in book/ as they are")
    args = parser.parse_args(argv)
    try:
        verify_clean()  # nothing reads a data/clean/ that no longer matches its descriptor's hashes
        if args.step == "notebooks":
            years = parse_years(args.years)
            done, skipped, removed = build_book(years, force=args.force, langs=args.langs.split() or None)
            print(f"make notebooks: executed {len(done)} ({', '.join(done) or 'none'}); "
                  f"up to date {len(skipped)} ({', '.join(skipped) or 'none'})"
                  + (f"; removed {', '.join(removed)} (no longer in the plan)" if removed else ""))
        else:
            rebuild_site()
    except (BuildError, ReleaseError) as error:
        print(f"make: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"make: {_os_message(error)}", file=sys.stderr)
        return 1
    return 0


def _os_message(error: OSError) -> str:
    """One line for a file-system failure: the path, what went wrong and what to do."""
    target = error.filename2 or error.filename  # for a move, where it was going
    path = _rel(Path(target)) if target else "a file"
    if ".stage-" in path:
        path = f"{_rel(ROOT / '_build')} (the build's scratch copy)"
    if isinstance(error, PermissionError):
        return f"cannot write {path}: permission denied. Make the folder writable (chmod u+w) and run again; nothing was replaced"
    if isinstance(error, FileNotFoundError):
        return f"{path} is missing: run `make data` (for data/clean) or `make book` again"
    return f"{path}: {error.strerror}"


def parse_years(text: str) -> list[int] | None:
    """YEARS as given to make: each year once, in order; None for all."""
    return sorted({_year(y) for y in text.split()}) or None


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise BuildError(f"YEARS must list four-digit years separated by spaces; {text!r} is not one")
    return int(text)


if __name__ == "__main__":
    sys.exit(main())

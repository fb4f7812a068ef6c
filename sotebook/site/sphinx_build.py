"""Building the site: each edition's Sphinx build (Jupyter Book's configuration written per edition,
built in a process forked from a server that imported Sphinx once, two at a time), and the state that
lets the next build rewrite only the pages whose content changed."""
from __future__ import annotations

from __future__ import annotations
import hashlib
import json
import os
import re
import shutil
import sys
import threading
from pathlib import Path
import nbformat
import yaml
from sotebook.pages.words import edition
from sotebook.pages.spec import BookSpec, BuildError
from sotebook.site import chart_files
from sotebook.site.catalogs import write_javascript_catalogs
from sotebook.site.fingerprint import package_digest
from sotebook.data.publish import publish_dataset
from sotebook.paths import BOOK, BUILD_HTML, BUILD_PDF, CLEAN, LOCALES, ROOT, relative


def toc_text(spec: BookSpec, held: list[int], lang: str, book: Path = BOOK) -> str:
    """An edition's _toc.yml from chapters.yml: the first chapter is the root, then the year chapters
    newest first, then the other chapters and the hand-written pages. The edition's pages are staged
    under book/, so every edition's pages have the same names."""
    words = edition(lang)
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
                         + f"\nNothing was replaced: {relative(BUILD_HTML)} and book/ are as they were")
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
        write_javascript_catalogs(where / "locales")  # the search page's words, from the same catalogs
    publish_dataset(CLEAN, where / "data" / "clean")  # the downloads, safe in a spreadsheet
    return where


def edition_config(spec: BookSpec, lang: str) -> str:
    """_config.yml for one edition: the shared one with the edition's language, title and search text."""
    try:
        config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    except OSError:
        raise BuildError("_config.yml is missing: restore it from git (git checkout _config.yml)") from None
    words = edition(lang)
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
    if "fi" in spec.languages:  # before anything is built: one line saying what to install
        from sotebook.site.finnish_search import VoikkoMissing, require_voikko
        try:
            require_voikko()
        except VoikkoMissing as error:
            raise BuildError(str(error)) from None
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
    outside = {lang: _outside_digest(lang) for lang in projects}
    site = where / "site"
    site.mkdir(parents=True)
    # An edition whose every input is as it was is not built: the site and state in place are its build.
    kept = [lang for lang in projects if previous and keep_edition(digests[lang], outside[lang], previous / lang,
                                                                   SITE_STATE / lang, site / lang, where / "state" / lang)]
    building = {lang: project for lang, project in projects.items() if lang not in kept}
    full = {lang: not (previous and restore_state(project, digests[lang], previous / lang, SITE_STATE / lang))
            for lang, project in building.items()}
    print("building the site: " + ", ".join(
        f"{lang} " + ("unchanged" if lang in kept else "whole" if full[lang]
                      else "{} of {} pages changed".format(*_changed_pages(projects[lang])))
        for lang in projects), file=sys.stderr)
    with ThreadPoolExecutor(max_workers=max(len(building), 1)) as pool:
        built = dict(zip(building, pool.map(build_html, building.values(), full.values())))
    for lang, html in built.items():
        if not full[lang]:
            chart_files.prune(html)  # a changed chart's old drawing, left from the build it started from
        os.rename(html, site / lang)
        save_state(projects[lang], digests[lang], where / "state" / lang, outside[lang], _tree_digest(site / lang))
    write_chooser(site, spec.editions)
    if previous is not None:
        keep_unchanged(site, previous)
    return site


def keep_unchanged(site: Path, previous: Path) -> int:
    """Give every file of the new site whose bytes are those of the previous site's the previous file's
    times: the swap then rewrites, as a deployment or `rsync` sees it, only the pages that changed.
    Returns how many files changed. The language chooser (index.html at the root) is always new: it is
    the target make's `_build/html/index.html` rule checks, which must be newer than its inputs once built."""
    changed = 0
    for path in site.rglob("*"):
        if not path.is_file() or path.is_symlink() or path == site / "index.html":
            continue
        old = previous / path.relative_to(site)
        try:
            same = old.is_file() and old.stat().st_size == path.stat().st_size and old.read_bytes() == path.read_bytes()
        except OSError:
            same = False
        if same:
            times = old.stat()
            os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))
        else:
            changed += 1
    return changed


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
    # Sphinx dates the pages' copyright line by SOURCE_DATE_EPOCH when it is set (sphinx/config.py): a build
    # under another epoch is another build, which an edition kept as it was would not show.
    inputs.update(f"\0{os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
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
        meta = nb.get("metadata", {}).get("sotebook", {})
        meta.pop("fingerprint", None)
        meta.pop("reads", None)  # what it read: a notebook that read other figures to the same output is the same page
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


def save_state(project: Path, digests: tuple[str, dict[str, str]], state: Path, outside: str = "",
               built: str = "") -> None:
    """Keep what the next build of this edition needs to be incremental (see `restore_state`), or to be
    left as it is (see `keep_edition`)."""
    inputs, pages = digests
    state.mkdir(parents=True)
    out = project / "_build"
    os.rename(out / ".doctrees", state / "doctrees")
    if (out / "jupyter_execute").is_dir():
        os.rename(out / "jupyter_execute", state / "jupyter_execute")
    (state / "state.json").write_text(json.dumps({"inputs": inputs, "files": pages, "outside": outside, "site": built},
                                                 indent=1, sort_keys=True), encoding="utf-8")


WORDS = ROOT / "words"


def _outside_digest(lang: str) -> str:
    """What an edition's Sphinx build reads from outside its staged project, which Sphinx itself would
    notice but `_project_digests` does not hold: the edition's site words (sotebook/site/editions.py and
    site_release.py read words/ for the footer, the titles and the PDF link), the release zip and
    checksums the build writes into the site (data/clean/, the changelog and the licence), and the bytes
    of the edition's PDF, which the site carries."""
    from sotebook.data.release import build_zip
    from sotebook.site.site_release import pdf_name

    digest = hashlib.sha256()
    for path in sorted(WORDS.rglob("*")):
        if path.is_file():
            digest.update(f"{path.relative_to(WORDS)}\0".encode() + hashlib.sha256(path.read_bytes()).digest())
    name, data = build_zip()
    digest.update(f"zip\0{name}\0".encode() + hashlib.sha256(data).digest())
    pdf = BUILD_PDF / pdf_name(lang)
    digest.update(b"pdf\0" + (hashlib.sha256(pdf.read_bytes()).digest() if pdf.is_file() else b"<absent>"))
    return digest.hexdigest()


def _tree_digest(folder: Path) -> str:
    """Every file of a folder, by its path and bytes."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(f"{path.relative_to(folder).as_posix()}\0".encode() + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def keep_edition(digests: tuple[str, dict[str, str]], outside: str, html: Path, state: Path,
                 site: Path, new_state: Path) -> bool:
    """When nothing an edition's build reads changed since the last build (its staged project: every page,
    download, configuration, template, style, theme word and the package's code; and `_outside_digest`),
    copy the edition's site in place and its state to the new site and state, and return True: its build
    is not run. A Sphinx build from that state would read and write only the glossary and the home page
    (see `restore_state`), and give the same bytes, which tests/test_failed_build.py checks. The site in
    place must be the one that build wrote, byte for byte (its digest is in the state): an edition's site
    edited or damaged since is built again."""
    try:
        recorded = json.loads((state / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    inputs, pages = digests
    if (recorded.get("inputs"), recorded.get("files"), recorded.get("outside")) != (inputs, pages, outside) \
            or not (state / "doctrees").is_dir() or not html.is_dir() or recorded.get("site") != _tree_digest(html):
        return False
    shutil.copytree(html, site)  # copy2: the files keep their times, as `keep_unchanged` would give them
    shutil.copytree(state, new_state)
    return True

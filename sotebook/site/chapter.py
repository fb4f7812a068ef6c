"""Rerun one chapter with other parameters, into a folder of its own, and read what it made.

    make chapter                                      # every template and its parameters
    make chapter TEMPLATE=year YEAR=2024 LANG=sv      # [DATA=<copy of data/raw or data/clean>] [OUT=<folder>]
    python -m sotebook.site.chapter --template year --year 2024 --lang sv [--data PATH] [--out DIR]
    make chapter TEMPLATE=all YEAR=2024 LANG=all      # several: a comma list (LANG=fi,sv) or all, each chapter
                                                      # into <OUT, or _build/chapters>/<template>-<values>/

The parameters are those the template's parameters cell declares (sotebook/pages/parameters.py), checked
against the dataset and chapters.yml before anything runs; every refusal is one line naming the parameter
and what it allows. The chapter runs as `make book` runs it (papermill, on a forked kernel), then is written
to _build/chapters/<template>-<values>/ (-what-if added with DATA; never book/ or _build/html): <name>.ipynb, with its headings and
sentences filled in so that it reads in JupyterLab or VS Code (sotebook/pages/readable.py), and <name>.html,
a page in the book's style that a browser opens from the file system (sotebook/site/preview.py).

DATA points the chapter at another copy of the dataset, which is checked as `make data` checks it: a copy
of data/raw/ (the transcriptions: edit a figure as printed) is validated and reconciled into
<folder>/data/; a copy of data/clean/ must match its descriptor's hashes. data/clean/ is never written.

Several chapters in one command: TEMPLATE, and a parameter whose values are a set (a year the dataset holds,
an edition), may be a comma list or `all`; the command runs every combination, each template with the
parameters it takes, after checking them all, on one kernel server and one set of imports, as many at a
time as there are cores (an analyst's what-if across every page, or every edition of a chapter: the start
of a command, seconds, is paid once). A chapter that fails is one line; the others are still written.
"""
from __future__ import annotations

import argparse
import csv
import difflib
import itertools
import os
import shutil
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat

# This process never imports pandas (the kernels do), and the kernel server starts first, so that its imports
# overlap this command's (see `_Kernels`).
from sotebook.data.rawdata import DataError
from sotebook.data.release import MAKE_DATA, ReleaseError, read_descriptor, verify_clean
from sotebook.pages.parameters import Parameter, ParameterError, convert, declared_parameters, template_path
from sotebook.pages.readable import make_readable
from sotebook.pages.spec import BookSpec, BuildError, read_spec
from sotebook.paths import BOOK, BUILD_HTML, CLEAN, CLEAN_ENV, ROOT, relative
from sotebook.site.preview import preview_html

CHAPTERS = ROOT / "_build" / "chapters"
# What `make chapter NAME=value` may name besides the template's parameters (upper-case, as make spells them).
OPTIONS = ("template", "data", "out")


class ChapterError(Exception):
    """A chapter cannot be run as asked: one line naming the parameter and what it allows."""


@dataclass
class Request:
    """What the analyst asked for: each name with the spelling they used (YEAR or --year) and the value."""

    values: dict[str, str]
    spelled: dict[str, str]

    def label(self, name: str) -> str:
        """How the analyst spells `name`: as make does (YEAR) if they used make, else as an option (--year)."""
        if name in self.spelled:
            return self.spelled[name]
        return name.upper() if any(label.isupper() for label in self.spelled.values()) else f"--{name}"


def templates(spec: BookSpec) -> dict[str, list[Parameter]]:
    """Every template chapters.yml runs, with its declared parameters, in the book's order."""
    return {c.template: declared_parameters(template_path(c.template)) for c in spec.chapters}


def listing(spec: BookSpec, declared: dict[str, list[Parameter]]) -> str:
    """The templates and their parameters, as `make chapter` with no arguments prints them."""
    allowed = _allowed_values(spec, _years_in(Path(os.environ.get(CLEAN_ENV) or CLEAN)))
    lines = ["The chapters' templates (notebooks/<template>.md) and the parameters each declares:"]
    for name, parameters in declared.items():
        lines.append(f"\n  {name}")
        for p in parameters:
            values = f"{p.allows}: {', '.join(map(str, allowed[p.allowed]))}" if p.allowed else "any value"
            lines.append(f"    {p.name} ({p.kind.__name__}, default {p.default!r}): {p.meaning}")
            lines.append(f"        {values}")
    lines += ["", "Run one:  make chapter TEMPLATE=year YEAR=2024 LANG=sv  [DATA=<copy of data/raw or data/clean>] [OUT=<folder>]",
              "     or:  python -m sotebook.site.chapter --template year --year 2024 --lang sv [--data PATH] [--out DIR]",
              "Several: a comma list or all for TEMPLATE, YEAR, LANG (make chapter TEMPLATE=all YEAR=2024 LANG=fi,sv):",
              "          every combination, each into <OUT, or _build/chapters>/<template>-<values>/"]
    return "\n".join(lines)


def _allowed_values(spec: BookSpec, years: list[int]) -> dict[str | None, list]:
    return {"years": years, "editions": spec.languages, None: []}


# ---------------------------------------------------------------------------------------------
# Checking a request


def check_request(request: Request, spec: BookSpec, declared: dict[str, list[Parameter]]) -> tuple[list[str], dict, Path | None]:
    """The templates (one, a comma list or `all`), the parameters as given (defaults filled in, a list or
    `all` still as written) and the dataset copy asked for, or a ChapterError for a template or a parameter
    that does not exist. The values are checked later, against the dataset the chapter reads (`check_values`)."""
    values = dict(request.values)
    asked = values.pop("template", None)
    if asked is None:
        raise ChapterError(f"{request.label('template')}: name the template to run, one of {', '.join(declared)}")
    chosen = list(declared) if asked == "all" else list(dict.fromkeys(t.strip() for t in asked.split(",")))
    for template in chosen:
        if template not in declared:
            raise ChapterError(f"{request.label('template')}: no template {template!r}; the templates are {', '.join(declared)}"
                               "; or all, or a comma list of them")
    data = values.pop("data", None)
    values.pop("out", None)
    takes = {p.name: p for template in chosen for p in declared[template]}
    for name in values:
        if name not in takes:
            if len(chosen) == 1:
                raise ChapterError(f"{request.label(name)}: template {chosen[0]} takes no parameter {name!r}; "
                                   f"it takes {', '.join(map(request.label, takes))}")
            raise ChapterError(f"{request.label(name)}: none of the templates {', '.join(chosen)} takes a parameter {name!r}; "
                               f"they take {', '.join(map(request.label, takes))}")
    return chosen, {name: values.get(name, p.default) for name, p in takes.items()}, \
        (Path(data).expanduser() if data is not None else None)


def several(request: Request) -> bool:
    """Whether the request asks for several chapters: a comma list or `all` as the template or a value."""
    return any(isinstance(v, str) and (v == "all" or "," in v)
               for k, v in request.values.items() if k not in ("data", "out"))


def check_values(template: str, given: dict, request: Request, spec: BookSpec, years: list[int],
                 declared: dict[str, list[Parameter]]) -> list[dict]:
    """Each value as its declared type and among the values it allows: the template's runs, one for each
    combination of the values given (a parameter with a set of allowed values may be a comma list, or `all`
    for every value it allows), in the order given."""
    allowed = _allowed_values(spec, years)
    choices = []
    for p in declared[template]:
        values = allowed[p.allowed]
        allows = f"{p.allows}: {', '.join(map(str, values))}" if p.allowed else p.kind.__name__
        raw = given[p.name]
        if p.allowed and isinstance(raw, str):
            raw = list(values) if raw == "all" else [v.strip() for v in raw.split(",")]
        else:
            raw = [raw]
        checked = []
        for one in raw:
            try:
                value = convert(p, one)
            except ParameterError:
                raise ChapterError(f"{request.label(p.name)}: {one!r} is not {'a whole number' if p.kind is int else p.kind.__name__}; "
                                   f"give {allows}") from None
            if p.allowed and value not in values:
                raise ChapterError(f"{request.label(p.name)}: {value!r} is not {p.allows}; give one of {', '.join(map(str, values))}")
            if value not in checked:
                checked.append(value)
        choices.append((p.name, checked))
    return [dict(zip([name for name, _ in choices], combination))
            for combination in itertools.product(*(values for _, values in choices))]


def check_dataset(data: Path | None, label: str) -> tuple[Path | None, object]:
    """The clean dataset the chapter reads, checked as `make data` checks it: (its folder, None), or for a
    copy of data/raw (None, the dataset built from it), which the chapter writes to <out>/data/."""
    if data is None:
        try:
            verify_clean()
        except ReleaseError as error:
            raise ChapterError(f"data/clean: {error}") from None
        return CLEAN, None
    if not data.is_dir():
        raise ChapterError(f"{label}: {data} is not a folder; give a copy of data/raw (the transcriptions) "
                           "or of data/clean (the dataset)")
    if (data / "datapackage.json").exists():
        try:
            verify_clean(data)
        except ReleaseError as error:
            raise ChapterError(f"{label}: {_one_line(str(error).replace(MAKE_DATA, ''))} a copy of data/clean must be "
                               "as `make data` wrote it; to change a figure, edit a copy of data/raw and give that") from None
        return data.resolve(), None
    from sotebook.data import clean

    if not ((data / "sources.csv").exists() and (data / "metrics.csv").exists()):
        raise ChapterError(f"{label}: {data} holds neither a clean dataset (datapackage.json) nor transcriptions "
                           "(sources.csv, metrics.csv); give a copy of data/raw or of data/clean")
    try:
        dataset = clean.build(data, what_if=True)  # its figures need not be printed in the sources
    except DataError as error:
        more = f" (and {len(error.problems) - 1} more: run `python -m sotebook.data.clean --raw {data} --out /tmp/x`)" \
            if len(error.problems) > 1 else ""
        raise ChapterError(f"{label}: {error.problems[0]}{more}; the copy must pass the checks of `make data`") from None
    return None, dataset


def check_out(out: Path, label: str) -> Path:
    """A folder of the chapter's own: in the project, only under _build/chapters/ (the other folders of
    _build/ are the site's, the PDFs', the build's state), or outside the project."""
    out, root, chapters = out.expanduser().resolve(), ROOT.resolve(), CHAPTERS.resolve()
    allowed = f"give a folder under {relative(CHAPTERS)}/ (the default is {relative(CHAPTERS)}/<template>-<values>/) " \
              "or outside the project"
    if (out == root or root in out.parents) and chapters not in out.parents:
        raise ChapterError(f"{label}: {relative(out)} is in the project outside {relative(CHAPTERS)}/, where "
                           f"`make book`, `make data` and `make pdf` write; {allowed}")
    return out


def _replaceable(folder: Path) -> bool:
    """`folder` is missing, or holds a clean dataset and nothing else (an earlier run's, which a new run replaces)."""
    if not folder.exists():
        return True
    try:
        listed = {r["path"] for r in read_descriptor(folder).get("resources", [])} | {"datapackage.json"}
    except (ReleaseError, KeyError, TypeError, AttributeError):
        return False
    return all(p.name in listed and p.is_file() for p in folder.iterdir())


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# Running it


class _Kernels:
    """The kernel server `make book` runs its notebooks on (sotebook/site/kernels.py), started in the
    background as soon as the command knows it will run a chapter: its imports (pandas, altair, the page
    code: seconds) overlap the command's own imports and checks. `with kernels:` waits until it is ready."""

    def __init__(self):
        from sotebook.site.kernels import KernelServer

        self.server, self.error = KernelServer(BOOK), None
        self.thread = threading.Thread(target=self._start, daemon=True)
        self.thread.start()

    def _start(self) -> None:
        try:
            self.server.__enter__()
        except Exception as error:  # noqa: BLE001 - raised where the chapter waits for it
            self.error = error

    def __enter__(self):
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.server

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the server, at once if it is still starting (the chapter was refused meanwhile)."""
        if self.thread.is_alive() and getattr(self.server, "process", None) is not None:
            self.server.process.kill()  # its start then fails, and cleans up after itself
        self.thread.join()
        if self.error is None:
            self.server.__exit__(None, None, None)
            self.error = RuntimeError("the kernel server was stopped")
        elif getattr(self.server, "folder", None) is not None:
            shutil.rmtree(self.server.folder, ignore_errors=True)


def run_chapter(template: str, parameters: dict, out: Path, dataset_folder: Path | None,
                dataset, reads: str, kernels: _Kernels | None = None) -> tuple[Path, Path]:
    """Execute the template into a scratch folder beside `out`, make it readable, write its preview; then
    move the notebook, the page and the dataset built from a raw copy into `out`. Returns (notebook, page)."""
    from sotebook.site.notebooks import Job, execute

    name = out.name
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = out.parent / f".{name}.new-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    try:
        if dataset is not None:
            from sotebook.data import clean

            clean.write(dataset, scratch / "data")
            dataset_folder = scratch / "data"
        job = Job(template_path(template), scratch / f"{name}.ipynb", parameters, reads)
        # The kernels inherit the dataset's folder. No fingerprint: the notebook is not one of the book's.
        with reading(dataset_folder), kernels or _Kernels():
            execute(job, None)
        nb = nbformat.read(job.output, as_version=4)
        make_readable(nb, links_from=BOOK, links_to=out, pages=BUILD_HTML / parameters.get("lang", "en") / "book")
        version = read_descriptor(dataset_folder).get("version", "?")
        shown = relative(out / "data") if dataset is not None else relative(dataset_folder)
        nb.metadata["sotebook"]["dataset"] = {"folder": shown, "version": version}
        nbformat.write(nb, job.output)
        title = nb.metadata.get("myst", {}).get("substitutions", {}).get("title", name)
        note = (f"A preview made by make chapter: {relative(job.template)} with "
                f"{', '.join(f'{k}={v}' for k, v in parameters.items())}, from the dataset in {shown} (version {version}). "
                "Not a page of the book.")
        (scratch / f"{name}.html").write_text(preview_html(nb, parameters.get("lang", "en"), title, note), encoding="utf-8")
        out.mkdir(parents=True, exist_ok=True)
        if dataset is not None:
            shutil.rmtree(out / "data", ignore_errors=True)
            os.replace(scratch / "data", out / "data")
        for suffix in (".ipynb", ".html"):
            os.replace(scratch / f"{name}{suffix}", out / f"{name}{suffix}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return out / f"{name}.ipynb", out / f"{name}.html"


# ---------------------------------------------------------------------------------------------
# The command


def parse_request(argv: list[str], names: list[str]) -> Request:
    """`--name value` options and `NAME=value` words (as `make chapter` passes its command line), for the
    options and every template's parameters; anything else is an unknown parameter."""
    parser = argparse.ArgumentParser(add_help=False)
    for name in [*OPTIONS, *names]:
        parser.add_argument(f"--{name}")
    known, rest = parser.parse_known_args(argv)
    values = {k: v for k, v in vars(known).items() if v is not None}
    spelled = {k: f"--{k}" for k in values}
    for word in rest:
        key, sep, value = word.partition("=")
        if sep and key.isupper() and key.lower() in [*OPTIONS, *names]:
            values[key.lower()], spelled[key.lower()] = value, key
            continue
        shown = key if sep else word
        upper = sep and key.isupper()
        spellings = [n.upper() if upper else f"--{n}" for n in [*OPTIONS, *names]]
        close = difflib.get_close_matches(shown, spellings, n=1)
        raise ChapterError(f"{shown}: unknown parameter{f' (did you mean {close[0]}?)' if close else ''}; "
                           f"the parameters are {', '.join(spellings)}")
    return Request(values, spelled)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    started = time.perf_counter()
    listing_only = not argv or argv == ["--list"] or "-h" in argv or "--help" in argv
    kernels = None if listing_only else _Kernels()  # stopped at once if the chapter is refused
    try:
        spec = read_spec()
        declared = templates(spec)
        if listing_only:
            print((__doc__.strip() + "\n\n" if "-h" in argv or "--help" in argv else "") + listing(spec, declared))
            return 0
        names = list(dict.fromkeys(p.name for parameters in declared.values() for p in parameters))
        request = parse_request(argv, names)
        chosen, given, data = check_request(request, spec, declared)
        dataset_folder, dataset = check_dataset(data, request.label("data"))
        years = _held_years(dataset_folder, dataset)
        runs = [(template, parameters) for template in chosen
                for parameters in check_values(template, given, request, spec, years, declared)]
        # Several chapters go each to a folder of its own, under OUT if given.
        base = Path(request.values["out"]).expanduser() if "out" in request.values else CHAPTERS
        planned = []
        for template, parameters in runs:
            # A run on a dataset copy has a default folder of its own: no reader takes it for the book's data.
            name = "-".join([template, *map(str, parameters.values()), *(["what-if"] if data is not None else [])])
            out = check_out(base / name if several(request) or "out" not in request.values else base, request.label("out"))
            if dataset is not None and not _replaceable(out / "data"):
                raise ChapterError(f"{request.label('out')}: {out / 'data'} exists and is not a dataset make chapter wrote; "
                                   "give another folder (the dataset built from the copy is written there)")
            reads = next(c.reads for c in spec.chapters if c.template == template)
            planned.append(Planned(template, parameters, out, reads))
        if several(request):
            made, failed = run_several(planned, dataset_folder, dataset, kernels)
        else:
            made, failed = [planned[0].run(dataset_folder, dataset, kernels)], []
    except ChapterError as error:
        print(f"make chapter: {error}", file=sys.stderr)
        return 2
    except (BuildError, ParameterError) as error:
        print(f"make chapter: {_one_line(str(error))}", file=sys.stderr)
        return 1
    finally:
        if kernels is not None:
            kernels.stop()
    took = time.perf_counter() - started
    if not several(request):
        [(notebook, page)] = made
        print(f"make chapter: ran {planned[0].describe()} in {took:.1f} s")
        print(f"  notebook: {relative(notebook)}  (open in JupyterLab or VS Code)")
        print(f"  page:     {relative(page)}  (open in a browser: {page.as_uri()})")
        return 0
    print(f"make chapter: ran {len(made)} of {len(planned)} chapters in {took:.1f} s "
          "(notebooks to open in JupyterLab or VS Code, pages in a browser)")
    for run, (notebook, page) in zip([r for r in planned if r not in failed], made):
        print(f"  {run.describe()}: {relative(notebook)}, {relative(page)}")
    for run, error in failed.items():
        print(f"make chapter: {run.describe()}: {_one_line(error)}", file=sys.stderr)
    return 1 if failed else 0


@dataclass(frozen=True)
class Planned:
    """One chapter to run: its template, checked parameters, output folder and the slice of data it reads."""

    template: str
    parameters: dict
    out: Path
    reads: str

    def __hash__(self) -> int:
        return hash(self.out)

    def run(self, dataset_folder: Path | None, dataset, kernels) -> tuple[Path, Path]:
        return run_chapter(self.template, self.parameters, self.out, dataset_folder, dataset, self.reads, kernels)

    def describe(self) -> str:
        return f"{self.template} with {', '.join(f'{k}={v}' for k, v in self.parameters.items())}"


# The chapters run_several hands its workers, which fork from this process and so inherit it (the dataset
# built from a raw copy need not be pickled).
_SHARED: tuple | None = None


def run_several(planned: list[Planned], dataset_folder: Path | None, dataset, kernels: _Kernels
                ) -> tuple[list[tuple[Path, Path]], dict[Planned, str]]:
    """Run the chapters on one kernel server, as many at a time as there are cores (as `make book` does);
    a chapter that fails leaves its folder as it was and does not stop the others. Returns the notebooks
    and pages made, in order, and the error of each chapter that failed."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _SHARED
    made, failed = [], {}
    with kernels:  # its address is in the environment the workers inherit
        _SHARED = (planned, dataset_folder, dataset)
        try:
            with ProcessPoolExecutor(max_workers=min(len(planned), os.cpu_count() or 1),
                                     mp_context=multiprocessing.get_context("fork")) as pool:
                futures = [pool.submit(_run_shared, index) for index in range(len(planned))]
                for run, future in zip(planned, futures):
                    try:
                        made.append(future.result())
                    except (BuildError, ParameterError) as error:
                        failed[run] = str(error)
        finally:
            _SHARED = None
    return made, failed


def _run_shared(index: int) -> tuple[Path, Path]:
    """In a worker: run the index-th chapter on the kernel server already running."""
    from contextlib import nullcontext

    planned, dataset_folder, dataset = _SHARED
    return planned[index].run(dataset_folder, dataset, nullcontext())


def _held_years(folder: Path | None, dataset) -> list[int]:
    """The years the chapter's dataset holds (a raw copy's dataset is not written yet)."""
    if dataset is not None:
        columns, rows = dataset.tables["figures"]
        index = [c[0] for c in columns].index("year")
        return sorted({int(row[index]) for row in rows})
    return _years_in(folder)


def _years_in(folder: Path) -> list[int]:
    """The years a clean dataset's figures.csv holds, as sotebook.data.dataset.available_years() reads them,
    without pandas: the command checks a request in well under a second, and its own process never imports
    pandas (its kernels do)."""
    with (folder / "figures.csv").open(encoding="utf-8", newline="") as file:
        return sorted({int(row["year"]) for row in csv.DictReader(file)})


@contextmanager
def reading(folder: Path):
    """Pages and kernels started inside read the clean dataset in `folder` (sotebook/data/dataset.py)."""
    previous = os.environ.get(CLEAN_ENV)
    os.environ[CLEAN_ENV] = str(folder)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(CLEAN_ENV, None)
        else:
            os.environ[CLEAN_ENV] = previous


if __name__ == "__main__":
    sys.exit(main())

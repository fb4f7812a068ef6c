"""Execute the chapter notebooks with papermill and build the HTML book.

    python -m sotebook.build notebooks [--years "2024 2025"] [--force]   # what `make notebooks` runs
    python -m sotebook.build html                                       # what `make html` runs

chapters.yml says which template runs with which parameters. Each executed notebook carries a
fingerprint of everything it depends on (template, parameters, the slice of the dataset it reads,
the package's source, the pinned requirements); a notebook whose fingerprint is unchanged is not
executed again. Notebooks run in parallel, one per core, and a failure names the notebook and cell
and leaves the previous output in place.
"""
from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import nbformat
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from . import words
from .paths import BOOK, NOTEBOOKS, ROOT
from .words import WORDS
from .release import ReleaseError, verify_clean

CHAPTERS_FILE = ROOT / "chapters.yml"
FAILED = ROOT / "_build" / "failed"


class BuildError(Exception):
    """The build cannot go on; the message says why and what to do."""


class ChapterSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    template: str
    output: str
    parameters: dict[str, int | str] = {}
    each: Literal["year"] | None = None
    # What the chapter reads: its year and the one before ("year"), or the whole dataset ("all").
    # The fingerprint covers exactly that, so a chapter re-runs exactly when its data changes.
    reads: Literal["year", "all"] = "all"


class BookSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    chapters: list[ChapterSpec]
    pages: list[str] = []


@dataclass(frozen=True)
class Job:
    template: Path
    output: Path
    parameters: dict
    reads: str = "all"

    @property
    def name(self) -> str:
        return self.output.stem


def read_spec(path: Path = CHAPTERS_FILE) -> BookSpec:
    try:
        spec = BookSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError) as error:
        raise BuildError(f"{path.name} is not valid: {error}") from None
    for chapter in spec.chapters:
        if not template_path(chapter.template).exists():
            raise BuildError(f"{path.name}: template {_rel(template_path(chapter.template))} does not exist")
    for page in spec.pages:
        if not (BOOK / f"{page}.md").exists():
            raise BuildError(f"{path.name}: page book/{page}.md does not exist")
    return spec


def template_path(name: str) -> Path:
    """A template is a MyST Markdown text notebook (jupytext), so prose edits diff as text."""
    return NOTEBOOKS / f"{name}.md"


def plan(spec: BookSpec, held: list[int], years: list[int] | None = None) -> list[Job]:
    """The notebooks to produce; `years` restricts the per-year chapters and must be years the data holds."""
    if years:
        missing = [y for y in years if y not in held]
        if missing:
            raise BuildError(f"no figures for {', '.join(map(str, missing))} in the dataset; "
                             f"it holds {', '.join(map(str, held))}")
    jobs = []
    for chapter in spec.chapters:
        template = template_path(chapter.template)
        if chapter.each == "year":
            for year in (years or held):
                params = {**chapter.parameters, "year": year}
                jobs.append(Job(template, BOOK / f"{chapter.output.format(**params)}.ipynb", params, chapter.reads))
            continue
        params = {k: (held[-1] if v == "latest" else v) for k, v in chapter.parameters.items()}
        jobs.append(Job(template, BOOK / f"{chapter.output.format(**params)}.ipynb", params, chapter.reads))
    return jobs


def _package_digest() -> bytes:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "sotebook").glob("*.py")) + sorted(WORDS.glob("*/*.yml")) + [ROOT / "requirements.txt"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest().encode()


def fingerprint(job: Job, package_digest: bytes | None = None) -> str:
    """A digest of everything the executed notebook depends on."""
    from .data import fingerprint_bytes

    digest = hashlib.sha256()
    digest.update(job.template.read_bytes())
    digest.update(json.dumps(job.parameters, sort_keys=True).encode())
    digest.update(fingerprint_bytes(job.parameters["year"] if job.reads == "year" else None))
    digest.update(package_digest or _package_digest())
    return digest.hexdigest()


def stored_fingerprint(path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        return nbformat.read(path, as_version=4).metadata.get("sotebook", {}).get("fingerprint")
    except Exception:  # an unreadable notebook is simply stale
        return None


def glued(nb, name: str):
    """The value a notebook glued under `name` (myst_nb.glue), or None."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("metadata", {}).get("scrapbook", {}).get("name") == name:
                plain = [v for k, v in output.get("data", {}).items() if k.endswith("text/plain")]
                return ast.literal_eval(plain[0]) if plain else None
    return None


def drop_empty_sections(nb) -> None:
    """Remove the cells of the sections a chapter glued as empty (`empty_sections`, a JSON list), so a
    year with few figures gets a short page instead of headings that say 'no figures'."""
    empty = glued(nb, "empty_sections")
    if not empty:
        return
    tags = {f"section-{s}" for s in json.loads(empty)}
    nb.cells = [c for c in nb.cells if not tags & set(c.metadata.get("tags", []))]


def make_deterministic(nb, job: Job, fp: str) -> None:
    """Drop what changes from run to run (timestamps, durations, absolute paths); record the fingerprint."""
    drop_empty_sections(nb)
    for number, cell in enumerate(nb.cells):
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        cell.id = f"cell-{number:02d}"  # jupytext gives a text template's cells random ids
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags:
            cell.id = "injected-parameters"  # papermill gives it a random id
            if "remove-cell" not in tags:
                cell.metadata["tags"] = tags + ["remove-cell"]  # readers see prose, not parameters
    nb.metadata.pop("papermill", None)
    nb.metadata["sotebook"] = {
        "template": _rel(job.template),
        "parameters": job.parameters,
        "fingerprint": fp,
    }
    # Page-level MyST substitutions: the parameters ({{ year }}) and the page's headings and
    # static prose from words/<lang>.yml ({{ title }}), so the template holds no sentence.
    words.use(job.parameters.get("lang", words.DEFAULT_LANGUAGE))
    nb.metadata["myst"] = {"substitutions": words.page_substitutions(job.template.stem, job.parameters)}


def execute(job: Job, fp: str) -> str:
    """Run one notebook; write it in place only if it succeeds. Runs in a worker process."""
    import papermill

    FAILED.mkdir(parents=True, exist_ok=True)
    scratch = FAILED / f"{job.name}.ipynb"
    import jupytext

    template = jupytext.read(job.template)
    template.metadata.pop("jupytext", None)  # the executed notebook is an .ipynb, not a paired text file
    try:
        papermill.execute_notebook(template, str(scratch), parameters=job.parameters,
                                   kernel_name="python3", cwd=str(BOOK), progress_bar=False,
                                   log_output=False, request_save_on_cell_execute=False)
    except papermill.PapermillExecutionError as error:
        raise BuildError(f"{_rel(job.template)} with {job.parameters} failed in cell "
                         f"{error.cell_index} (execution count {error.exec_count}): {error.ename}: {error.evalue}\n"
                         f"  the failed notebook is at {_rel(scratch)}; {_rel(job.output)} was left as it was") from None
    nb = nbformat.read(scratch, as_version=4)
    make_deterministic(nb, job, fp)
    staging = job.output.with_suffix(".ipynb.new")
    nbformat.write(nb, staging)
    os.replace(staging, job.output)
    scratch.unlink()
    return job.name


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def run_notebooks(jobs: list[Job], force: bool = False, workers: int | None = None) -> tuple[list[str], list[str]]:
    """Execute the jobs whose fingerprints changed, in parallel. Returns (executed, skipped)."""
    from tqdm import tqdm

    package = _package_digest()
    prints = {job.name: fingerprint(job, package) for job in jobs}
    todo = [job for job in jobs if force or stored_fingerprint(job.output) != prints[job.name]]
    skipped = [job.name for job in jobs if job not in todo]
    if not todo:
        return [], skipped
    workers = min(len(todo), workers or os.cpu_count() or 1)
    errors = []
    done = []
    with ProcessPoolExecutor(max_workers=workers) as pool, \
            tqdm(total=len(todo), desc="executing notebooks", unit="nb", file=sys.stderr) as bar:
        futures = {pool.submit(execute, job, prints[job.name]): job for job in todo}
        for future in as_completed(futures):
            try:
                done.append(future.result())
            except BuildError as error:
                errors.append(str(error))
            bar.update(1)
    if errors:
        raise BuildError("\n".join(errors))
    return sorted(done), skipped


def write_toc(spec: BookSpec, held: list[int]) -> None:
    """_toc.yml from chapters.yml: the first chapter is the root, then the year chapters newest first,
    then the other chapters and the hand-written pages."""
    root, years, others = None, [], []
    for chapter in spec.chapters:
        if chapter.each == "year":
            names = [chapter.output.format(year=y) for y in sorted(held, reverse=True)]
            years += [{"file": f"book/{n}"} for n in names if (BOOK / f"{n}.ipynb").exists()]
        elif root is None:
            root = f"book/{chapter.output.format(year=held[-1])}"
        else:
            others.append({"file": f"book/{chapter.output}"})
    others += [{"file": f"book/{p}"} for p in spec.pages]
    parts = [{"caption": "Year by year", "chapters": years},
             {"caption": "Across the years and reference", "chapters": others}]
    toc = {"format": "jb-book", "root": root, "parts": parts}
    text = "# Written by sotebook/build.py from chapters.yml: edit that file, not this one.\n"
    text += yaml.safe_dump(toc, sort_keys=False, allow_unicode=True)
    (ROOT / "_toc.yml").write_text(text, encoding="utf-8")


HTML_OK = ROOT / "_build" / ".html-ok"


def build_html(full: bool = True) -> None:
    """Jupyter Book with warnings as errors.

    An incremental build re-reads only changed pages, so Sphinx would not repeat a warning from a page
    that failed last time. The marker file exists only after a build that passed: without it the
    build is full, so a failure is never hidden by a later incremental build.
    """
    # The vega bundle is written by the sotebook.vega_bundle Sphinx extension (see _config.yml).
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "--builder", "html",
               "-W", "-n", "--keep-going"]
    if full or not HTML_OK.exists():
        command.append("--all")
    HTML_OK.unlink(missing_ok=True)
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode != 0:
        raise BuildError("jupyter-book build failed (warnings are errors): see the messages above")
    HTML_OK.touch()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sotebook.build", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    nb = sub.add_parser("notebooks", help="execute the chapter notebooks that are out of date")
    nb.add_argument("--years", default="", help='only these year chapters, e.g. "2024 2025"')
    nb.add_argument("--force", action="store_true", help="execute even notebooks whose fingerprint is unchanged")
    html = sub.add_parser("html", help="build _build/html from the executed notebooks")
    html.add_argument("--incremental", action="store_true", help="let Sphinx reuse its previous build")
    args = parser.parse_args(argv)
    try:
        verify_clean()  # nothing reads a data/clean/ that no longer matches its descriptor's hashes
        if args.step == "notebooks":
            from .data import available_years

            years = [_year(y) for y in args.years.split()] if args.years.strip() else None
            spec = read_spec()
            held = available_years()
            jobs = plan(spec, held, years)
            done, skipped = run_notebooks(jobs, force=args.force)
            write_toc(spec, held)
            print(f"make notebooks: executed {len(done)} ({', '.join(done) or 'none'}); "
                  f"up to date {len(skipped)} ({', '.join(skipped) or 'none'})")
        else:
            build_html(full=not args.incremental)
    except (BuildError, ReleaseError) as error:
        print(f"make: {error}", file=sys.stderr)
        return 1
    return 0


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise BuildError(f"YEARS must list four-digit years separated by spaces; {text!r} is not one")
    return int(text)


if __name__ == "__main__":
    sys.exit(main())

"""Executing the chapters: the plan of notebooks (every chapter of chapters.yml in every edition) and
running the out-of-date ones with papermill, in parallel on forked kernels, each written only if it ran.

A notebook is out of date when its fingerprint (sotebook/site/fingerprint.py), computed from what it read
when it last executed, differs from the one it stores; sotebook/pages/notebook.py shapes what it stores. An
executed notebook's last cell, added here and removed before it is stored, reports what it read
(sotebook/data/reads.py).
"""
from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
import nbformat
from sotebook.errors import ProjectError
from sotebook.pages.notebook import make_deterministic
from sotebook.pages.spec import BookSpec, BuildError, read_template, template_path
from sotebook.site.fingerprint import code_digest, data_digest, fingerprint, static_digest, stored
from sotebook.paths import BOOK, relative


# The cell added last to every notebook executed: its output says what the notebook read (sotebook/data/reads.py;
# here, not there, so that running a notebook does not import pandas into the process that runs it).
REPORT_CELL = "from sotebook.data.reads import report\nreport()"


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


def execute(job: Job, static: bytes | None) -> str:
    """Run one notebook; write job.output only if it succeeds. Runs in a worker process: an error of the
    project's comes back as a BuildError with its message (a plain exception pickles whole; some of the
    project's do not), so the main process prints one line, not a worker's traceback."""
    try:
        return _execute(job, static)
    except BuildError:
        raise
    except ProjectError as error:
        raise BuildError(f"{relative(job.template)} with {job.parameters}: {error}") from None


def _execute(job: Job, static: bytes | None) -> str:
    import hashlib

    import papermill

    from sotebook.site.kernels import SERVER_ENV, ForkedKernelManager

    job.output.parent.mkdir(parents=True, exist_ok=True)
    scratch = job.output.with_name(f".{job.output.stem}.running-{os.getpid()}.ipynb")
    template = read_template(job.template)
    template.cells.append(nbformat.v4.new_code_cell(REPORT_CELL))
    try:
        forked = {"kernel_manager_class": ForkedKernelManager} if os.environ.get(SERVER_ENV) else {}
        papermill.execute_notebook(template, str(scratch), parameters=job.parameters,
                                   kernel_name="python3", cwd=str(BOOK), progress_bar=False,
                                   log_output=False, request_save_on_cell_execute=False, **forked)
        nb = nbformat.read(scratch, as_version=4)
    except papermill.PapermillExecutionError as error:
        raise BuildError(f"{relative(job.template)} with {job.parameters} failed in cell "
                         f"{error.cell_index} (execution count {error.exec_count}): {error.ename}: {error.evalue}") from None
    finally:
        scratch.unlink(missing_ok=True)
    recorded = _reads(nb.cells.pop())
    # `static` None: a notebook that is not one of the book's (make chapter), with no fingerprint.
    fp = None if static is None else hashlib.sha256(static + data_digest(job, recorded)).hexdigest()
    make_deterministic(nb, job.template, job.parameters, fp)
    if static is not None:
        nb.metadata["sotebook"]["reads"] = recorded
    staging = job.output.with_name(f".{job.output.name}.new")
    nbformat.write(nb, staging)
    os.replace(staging, job.output)
    return job.name


def _reads(cell) -> dict | None:
    """What the report cell printed (sotebook/data/reads.py), or None (the notebook then depends on its
    whole slice)."""
    import json

    text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
    try:
        recorded = json.loads(text.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None
    return recorded if isinstance(recorded, dict) else None


def run_notebooks(jobs: list[Job], force: bool = False, workers: int | None = None,
                  into: Path | None = None) -> tuple[list[str], list[str]]:
    """Execute the jobs whose fingerprints changed, in parallel, writing them into `into`
    (default: where the job says). Returns (executed, skipped)."""
    from tqdm import tqdm

    code = {template: code_digest(template) for template in {job.template for job in jobs}}
    statics = {job.name: static_digest(job, code) for job in jobs}
    todo = [job for job in jobs if force or _stale(job, statics[job.name])]
    skipped = [job.name for job in jobs if job not in todo]
    if not todo:
        return [], skipped
    workers = min(len(todo), workers or os.cpu_count() or 1)
    errors = []
    done = []
    with _kernels(), ProcessPoolExecutor(max_workers=workers) as pool, \
            tqdm(total=len(todo), desc="executing notebooks", unit="nb", file=sys.stderr) as bar:
        futures = {pool.submit(execute, _moved(job, into), statics[job.name]): job for job in todo}
        for future in as_completed(futures):
            try:
                done.append(future.result())
            except BuildError as error:
                errors.append(str(error))
            bar.update(1)
    if errors:
        raise BuildError("\n".join(errors) + "\nNo notebook in book/ was replaced.")
    return sorted(done), skipped


def _stale(job: Job, static: bytes) -> bool:
    """Whether the stored notebook's fingerprint differs from what it depends on now."""
    import hashlib

    fp, recorded = stored(job.output)
    return fp is None or fp != hashlib.sha256(static + data_digest(job, recorded)).hexdigest()


def _kernels():
    """Forked kernels (sotebook/site/kernels.py) unless SOTEBOOK_FRESH_KERNELS=1 asks for a fresh
    `python3` kernel per notebook, as Jupyter starts them (slower; the outputs are the same)."""
    from contextlib import nullcontext

    from sotebook.site.kernels import KernelServer

    return nullcontext() if os.environ.get("SOTEBOOK_FRESH_KERNELS") == "1" else KernelServer(BOOK)


def _moved(job: Job, into: Path | None) -> Job:
    return job if into is None else Job(job.template, into / job.lang / job.output.name, job.parameters, job.reads)

"""The book's build, as `make book` runs it: execute what is out of date, build the site, and swap both in
only when both passed.

    python -m sotebook.site.build notebooks [--years "2024 2025"] [--force]   # what `make book` runs
    python -m sotebook.site.build html                                       # the site from book/ as it is

chapters.yml says which template runs with which parameters (sotebook/pages/spec.py checks it against
the templates before anything runs). Each executed notebook carries a fingerprint of what it depends on
(sotebook/site/fingerprint.py); one whose fingerprint is unchanged is not executed again. Notebooks run
in parallel into a copy of the book under _build/ (sotebook/site/notebooks.py); the site is built from
that copy in a fresh folder (sotebook/site/sphinx_build.py). Only when every notebook ran and the site
built without a warning are the notebooks moved into book/ and the site into _build/html: a failed
build changes nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path


from sotebook.errors import ProjectError
from sotebook.pages.spec import BookSpec, BuildError, page_parameters, read_spec, template_path
from sotebook.pages import story
from sotebook.pages.words import check_words
from sotebook.site.catalogs import check_catalogs
from sotebook.site.fingerprint import stored_fingerprint
from sotebook.paths import BOOK, BUILD_HTML, CLEAN, ROOT, relative
from sotebook.pages import explanation_words
from sotebook.pages.plan import check as plan_check
from sotebook.data.release import verify_clean

from sotebook.site.notebooks import Job, plan, run_notebooks
from sotebook.site.sphinx_build import SITE_STATE, build_site


def swap_dir(new: Path, old: Path) -> None:
    """Put folder `new` where `old` is, with no moment in which `old` is half written."""
    retired = old.with_name(f".{old.name}.old-{os.getpid()}")
    old.parent.mkdir(parents=True, exist_ok=True)
    if old.exists():
        os.rename(old, retired)
    os.rename(new, old)
    shutil.rmtree(retired, ignore_errors=True)
    if retired.exists():
        print(f"make: the new {relative(old)} is in place, but the previous one could not be removed: "
              f"delete {relative(retired)} by hand", file=sys.stderr)


def build_book(years: list[int] | None = None, force: bool = False,
               langs: list[str] | None = None) -> tuple[list[str], list[str], list[str]]:
    """Execute what is out of date and build the site, all aside; swap both in only if both passed.

    `years` and `langs` restrict which notebooks may execute; the site is always built whole.
    Returns (executed, up to date, removed): removed are notebooks of chapters that left the plan."""
    from sotebook.data.dataset import available_years

    spec = read_spec()
    check_inputs(spec)
    check_clean()
    held = available_years()
    plan(spec, held, years, langs)  # an unknown year or edition is an error before anything runs (or is checked)
    plan_check()  # the plans beside the templates name metrics of the dataset and the templates' sections
    explanation_words.check(spec.languages)  # every explanation of the dataset is told in every edition
    story.check_all(spec.languages, held)  # every number of a written story is a reference that holds
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


def check_inputs(spec: BookSpec) -> None:
    """What a translator or editor edits by hand, checked before anything executes: every edition's words
    (sotebook/pages/words.py) and the theme's catalogs (locales/, sotebook/site/catalogs.py)."""
    check_words(spec.languages, page_parameters(spec))
    check_catalogs(spec.languages)


def check_clean(clean: Path = CLEAN) -> None:
    """Every table the data package lists is in data/clean/, or the notebooks cannot run."""
    try:
        descriptor = json.loads((clean / "datapackage.json").read_text(encoding="utf-8"))
        missing = [r["path"] for r in descriptor["resources"] if not (clean / r["path"]).is_file()]
    except (OSError, ValueError, KeyError, TypeError):
        missing = ["datapackage.json"]
    if missing:
        raise BuildError(f"{relative(clean)} is incomplete ({', '.join(missing)} missing or unreadable): "
                         "run `make data` to write it again")


def rebuild_site() -> None:
    """Build the site from book/ as it is, aside; swap it in only if it passed."""
    from sotebook.data.dataset import available_years

    spec = read_spec()
    check_inputs(spec)
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
    except ProjectError as error:  # BuildError, ReleaseError, WordsError, DataError: the message says it all
        print(f"make: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"make: {_os_message(error)}", file=sys.stderr)
        return 1
    return 0


def _os_message(error: OSError) -> str:
    """One line for a file-system failure: the path, what went wrong and what to do."""
    target = error.filename2 or error.filename  # for a move, where it was going
    path = relative(Path(target)) if target else "a file"
    if ".stage-" in path:
        path = f"{relative(ROOT / '_build')} (the build's scratch copy)"
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

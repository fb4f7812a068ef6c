"""What an executed notebook depends on, as one digest: a notebook whose stored digest equals this one
is current and is not executed again.

The digest covers the template, its parameters, the data the notebook read when it last executed, the code
the template runs (the package's modules its code cells import, and theirs, found with grimp, plus the
module that shapes the stored notebook), the editorial plans those modules read, the pinned requirements,
its edition's words and story (stories/<year>.<lang>.md, present or not) and, for a template whose code reads
chapters.yml (the home page's links), its chapters.
It leaves out the rest of the package: a change to the site, the PDF, the audit or the benchmark executes
no notebook.

The data part is dynamic (sotebook/data/reads.py): the executed notebook stores which figures and columns it
read and the results of the summarised computations it made; its digest is of those values in the dataset
as it is now, so a figure it did not read cannot make it stale. A notebook that recorded nothing, or read a
file of the dataset outside the loader, depends on its whole slice (its year and the one before, or all).
"""
from __future__ import annotations

import ast
import hashlib
import importlib
import json
from functools import lru_cache
from pathlib import Path

import nbformat
import yaml

from sotebook.pages.parameters import template_cells
from sotebook.pages.spec import CHAPTERS_FILE
from sotebook.pages import words
from sotebook.paths import ROOT

PACKAGE = "sotebook"
# Every stored notebook is shaped by this module after it runs, whatever its template imports.
ALWAYS = ("sotebook.pages.notebook",)
# The written stories: stories/<year>.<lang>.md, read by the year chapters and the front page.
STORIES = ROOT / "stories"


def fingerprint(job, code: dict[Path, bytes] | None = None, reads: dict | None = None) -> str:
    """A digest of everything the executed notebook depends on, given what it read when it last executed
    (`reads`, from its metadata; None: its whole slice). `code` caches code digests per template."""
    digest = hashlib.sha256()
    digest.update(static_digest(job, code))
    digest.update(data_digest(job, reads))
    return digest.hexdigest()


def static_digest(job, code: dict[Path, bytes] | None = None) -> bytes:
    """Everything but the data: template, parameters, code (with the chapters, if it reads them), words and story."""
    digest = hashlib.sha256()
    digest.update(job.template.read_bytes())
    digest.update(json.dumps(job.parameters, sort_keys=True).encode())
    digest.update(code[job.template] if code is not None and job.template in code else code_digest(job.template))
    digest.update(_words_digest(job.lang))
    digest.update(story_digest(job.parameters.get("year"), job.lang))
    return digest.hexdigest().encode()


def story_digest(year, lang: str) -> bytes:
    """The story of the notebook's year in its edition, or that there is none: writing one, editing it or
    removing it re-executes that year's chapter and, for the latest year, the front page, in that edition."""
    if year is None:
        return b"no year\0"
    path = STORIES / f"{year}.{lang}.md"
    return b"story\0" + path.name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"<absent>")


def data_digest(job, recorded: dict | None) -> bytes:
    """The values the notebook read (sotebook/data/reads.py), or its whole slice when it recorded nothing."""
    from sotebook.data import reads

    state = _clean_state()
    read = reads.digest(recorded, lambda name: _tables(name, state), lambda name: _table_bytes(name, state))
    if read is None:
        return b"whole\0" + _whole(job.parameters["year"] if job.reads == "year" else None, state)
    digest = hashlib.sha256(b"read\0" + read)
    for entry in recorded.get("results", []):
        digest.update(json.dumps(entry["function"]).encode() + b"\0" + _result(entry, state).encode() + b"\0")
    for name in recorded.get("stories", []):
        path = STORIES / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"<absent>") + b"\0")
    return digest.hexdigest().encode()


def _clean_state() -> bytes:
    """What identifies the clean dataset as it is now: its descriptor, which holds every table's hash, and
    the release's other inputs (changelog, licence, manifests), which "About the data" shows."""
    from sotebook.data.dataset import clean_folder
    from sotebook.data.release import inputs_digest

    path = clean_folder() / "datapackage.json"
    return str(clean_folder()).encode() + (path.read_bytes() if path.is_file() else b"") + inputs_digest()


@lru_cache(maxsize=64)
def _whole(year: int | None, state: bytes) -> bytes:
    """The digest of a whole slice (and, for all years, of the release's inputs), once per dataset."""
    from sotebook.data.dataset import fingerprint_bytes

    return fingerprint_bytes(year)


@lru_cache(maxsize=64)
def _tables(name: str, state: bytes) -> dict:
    from sotebook.data.dataset import tables

    return tables(name)


@lru_cache(maxsize=64)
def _table_bytes(name: str, state: bytes) -> bytes:
    from sotebook.data.dataset import clean_folder

    path = clean_folder() / f"{name}.csv"
    return path.read_bytes() if path.is_file() else b"<absent>"


@lru_cache(maxsize=256)
def _load(name: str, state: bytes):
    from sotebook.data.dataset import plain_slice

    return plain_slice(name)


def _result(entry: dict, state: bytes) -> str:
    """The digest of a summarised call's result, computed again from the dataset as it is now ('failed' if
    it no longer runs, which makes the notebook stale)."""
    from sotebook.data import reads
    from sotebook.pages.words import edition

    try:
        module, _, name = entry["function"].partition(":")
        function = importlib.import_module(module)
        for part in name.split("."):
            function = getattr(function, part)
        args = []
        for arg in entry["args"]:
            if "data" in arg:
                args.append(_load(arg["data"], state))
            elif "words" in arg:
                args.append(edition(arg["words"]))
            else:
                args.append(arg["value"])
        return reads.result_digest(getattr(function, "__wrapped__", function)(*args))
    except Exception as error:  # a stale notebook, not a failed build: executing it shows the real error
        return f"failed: {type(error).__name__}"


def code_digest(template: Path) -> bytes:
    """The source of every module of the package a template runs, the editorial plans those modules read
    (notebooks/<kind>.plan.yml), the pinned requirements and, if that code reads chapters.yml, its chapters."""
    from sotebook.pages import plan

    modules = template_modules(template)
    plans = [plan.plan_path(kind) for kind, reader in sorted(plan.READERS.items()) if reader in modules]
    digest = _files_digest(sorted(_module_file(m) for m in modules) + plans + [ROOT / "requirements.txt"])
    return digest + (b"chapters\0" + _plan_digest() if reads_chapters(template, modules) else b"")


def template_modules(template: Path) -> set[str]:
    """The package's modules a template's code imports, directly or through other modules (imports
    inside functions included), with the packages that hold them (their __init__ runs too)."""
    graph = _graph()
    modules = set(ALWAYS)
    for cell_type, _, source in template_cells(template):
        if cell_type == "code":
            modules |= _imported(ast.parse(source), graph)
    for module in list(modules):
        modules |= graph.find_upstream_modules(module)
    return modules | {".".join(m.split(".")[:n]) for m in modules for n in range(1, m.count(".") + 1)}


def _imported(tree: ast.AST, graph) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == PACKAGE}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == PACKAGE:
            for alias in node.names:  # `from sotebook.pages import words` imports the module sotebook.pages.words
                child = f"{node.module}.{alias.name}"
                found.add(child if child in graph.modules else node.module)
    return found


@lru_cache(maxsize=1)
def _graph():
    import grimp

    return grimp.build_graph(PACKAGE, cache_dir=None)


def _module_file(module: str) -> Path:
    path = ROOT.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def package_digest() -> bytes:
    """Every module of the package and the pinned requirements: what the site's own build depends on."""
    return _files_digest(sorted((ROOT / PACKAGE).rglob("*.py")) + [ROOT / "requirements.txt"])


def _files_digest(paths: list[Path]) -> bytes:
    """The files' project paths and bytes, in the order given."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest().encode()


def _words_digest(lang: str) -> bytes:
    """The words of one edition: a change to the Finnish text re-executes the Finnish notebooks only."""
    digest = hashlib.sha256()
    for path in words.files(lang):  # not the termbase: no notebook reads it
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    # The edition's written stories (stories/<year>.<lang>.md) are its words too: the year chapters and the
    # front page read them, and a story added or removed changes what a chapter shows.
    from sotebook.pages.story import STORIES

    for path in sorted(STORIES.glob(f"*.{lang}.md")):
        digest.update(b"story\0" + path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest().encode()


# What reads chapters.yml: the function that parses it and the path, by name, or the file's name as a string.
_READS_CHAPTERS = {"read_spec", "CHAPTERS_FILE"}


def reads_chapters(template: Path, modules: set[str] | None = None) -> bool:
    """Whether a template's code can read chapters.yml: its code cells, or a module of the package they run
    other than the one that defines the reading (sotebook/pages/spec.py), use `read_spec` or `CHAPTERS_FILE`
    (a name, an attribute or an import) or the string 'chapters.yml' as a path. Today only the home page does
    (its links to every chapter): adding or removing a chapter executes the home pages again, not every
    notebook. `modules`: the template's modules, if already found (`template_modules`)."""
    if any(_names_chapters(source) for cell_type, _, source in template_cells(template) if cell_type == "code"):
        return True
    files = [_module_file(m) for m in sorted(modules or template_modules(template)) if m != CHAPTERS_MODULE]
    return any(_module_names_chapters(str(path), *_version(path)) for path in files)


def _version(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=512)
def _module_names_chapters(path: str, mtime_ns: int, size: int) -> bool:
    """`_names_chapters` of a module's source, once per version of the file (every template runs most modules)."""
    return _names_chapters(Path(path).read_text(encoding="utf-8"))


def _names_chapters(source: str) -> bool:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id in _READS_CHAPTERS \
                or isinstance(node, ast.Attribute) and node.attr in _READS_CHAPTERS \
                or isinstance(node, ast.alias) and node.name.rpartition(".")[2] in _READS_CHAPTERS:
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and node.value.strip().rpartition("/")[2] == "chapters.yml":
            return True
    return False


CHAPTERS_MODULE = "sotebook.pages.spec"


def _plan_digest() -> bytes:
    """The chapters and pages of chapters.yml, which the home page links; not its editions, which no
    notebook reads (the switcher and hreflang links are the site's): adding or removing an edition
    executes nothing in the others. (read_spec has already validated the file.)"""
    plan = yaml.load(CHAPTERS_FILE.read_bytes(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return json.dumps({"chapters": plan.get("chapters"), "pages": plan.get("pages", [])}, sort_keys=True).encode()


def stored_fingerprint(path: Path) -> str | None:
    return stored(path)[0]


def stored(path: Path) -> tuple[str | None, dict | None]:
    """The fingerprint an executed notebook stores, and what it read when it executed."""
    if not path.exists():
        return None, None
    try:
        meta = nbformat.read(path, as_version=4).metadata.get("sotebook", {})
    except Exception:  # an unreadable notebook is simply stale
        return None, None
    return meta.get("fingerprint"), meta.get("reads")

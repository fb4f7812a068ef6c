"""What an executed notebook depends on, as one digest: a notebook whose stored digest equals this one
is current and is not executed again.

The digest covers the template, its parameters, the slice of the dataset the chapter reads, the code the
template runs (the package's modules its code cells import, and theirs, found with grimp, plus the module
that shapes the stored notebook), the editorial plans those modules read, the pinned requirements, its
edition's words and the chapters of chapters.yml. It leaves out the rest of the package: a change to the site, the PDF, the
audit or the benchmark executes no notebook.
"""
from __future__ import annotations

import ast
import hashlib
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


def fingerprint(job, code: dict[Path, bytes] | None = None) -> str:
    """A digest of everything the executed notebook depends on. `code` caches code digests per template."""
    from sotebook.data.dataset import fingerprint_bytes

    digest = hashlib.sha256()
    digest.update(job.template.read_bytes())
    digest.update(json.dumps(job.parameters, sort_keys=True).encode())
    digest.update(fingerprint_bytes(job.parameters["year"] if job.reads == "year" else None))
    digest.update(code[job.template] if code is not None and job.template in code else code_digest(job.template))
    digest.update(_words_digest(job.lang))
    digest.update(_plan_digest())
    return digest.hexdigest()


def code_digest(template: Path) -> bytes:
    """The source of every module of the package a template runs, the editorial plans those modules read
    (notebooks/<kind>.plan.yml) and the pinned requirements."""
    from sotebook.pages import plan

    modules = template_modules(template)
    plans = [plan.plan_path(kind) for kind, reader in sorted(plan.READERS.items()) if reader in modules]
    return _files_digest(sorted(_module_file(m) for m in modules) + plans + [ROOT / "requirements.txt"])


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


def _plan_digest() -> bytes:
    """The chapters and pages of chapters.yml, which the home page links; not its editions, which no
    notebook reads (the switcher and hreflang links are the site's): adding or removing an edition
    executes nothing in the others. (read_spec has already validated the file.)"""
    plan = yaml.load(CHAPTERS_FILE.read_bytes(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return json.dumps({"chapters": plan.get("chapters"), "pages": plan.get("pages", [])}, sort_keys=True).encode()


def stored_fingerprint(path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        return nbformat.read(path, as_version=4).metadata.get("sotebook", {}).get("fingerprint")
    except Exception:  # an unreadable notebook is simply stale
        return None

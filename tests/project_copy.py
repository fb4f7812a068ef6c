"""A copy of the project for the tests that change files and build: the checkout itself is never touched.

Builds of a copy are the slowest tests, and most of their time is the editions' notebooks and Sphinx
builds. A test whose point does not depend on how many editions there are copies the project with fewer
(`editions=("en",)`): the copy's chapters.yml then lists only those, which is a book an analyst could
configure (one line per edition), not a test-only mode. What differs between editions (words, the
switcher, other editions left alone by an incremental build) is tested on the real three-edition site.
"""
from __future__ import annotations

import os
from pathlib import Path
import re
import shutil

from sotebook.paths import ROOT, SEEDS

IGNORED = (".venv", "_build", "node_modules", ".git", "__pycache__", "dist")
EDITION_LINE = re.compile(r"^  - \{lang: (\w+), name: [^}]*\}\n", re.M)


def copy_project(dest: Path, editions: tuple[str, ...] | None = None, venv: bool = False) -> Path:
    """Copy the checkout into `dest` (which must not exist) and return it. `editions` keeps only those
    editions in the copy's chapters.yml (in the book's order); `venv` links the checkout's .venv, so
    that `make` runs in the copy."""
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(*IGNORED))
    if editions is not None:
        chapters = dest / "chapters.yml"
        text = chapters.read_text(encoding="utf-8")
        listed = EDITION_LINE.findall(text)
        unknown = set(editions) - set(listed)
        assert not unknown, f"chapters.yml has no edition {sorted(unknown)} (it lists {listed})"
        kept = EDITION_LINE.sub(lambda m: m.group(0) if m.group(1) in editions else "", text)
        assert EDITION_LINE.findall(kept) == [lang for lang in listed if lang in editions], kept
        chapters.write_text(kept, encoding="utf-8")
        for story in (dest / "stories").glob("*.*.md"):  # a story of an edition left out is not told
            if story.name.split(".")[1] not in editions:
                story.unlink()
    if venv:
        (dest / ".venv").symlink_to(ROOT / ".venv")
    return dest


def project_env(copy: Path, seeds: Path = SEEDS) -> dict[str, str]:
    """The environment to run a command in `copy` with: the copy's package (not the checkout's, which the
    venv's .pth file names) and the source documents from `seeds` (the copy has none beside it)."""
    return {**os.environ, "PYTHONPATH": str(copy), "SOTEBOOK_SEEDS": str(seeds)}


def replace_in(path: Path, old: str, new: str) -> int:
    """Replace `old` on the one line of a copied file holding it; return that line's 1-based number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if old in line]
    assert len(hits) == 1, f"{old!r} should occur on exactly one line of {path.name}"
    lines[hits[0]] = lines[hits[0]].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")
    return hits[0] + 1

"""An executed page as the book stores it: the same bytes on every run, the sections a chapter glued as
empty dropped, and the page's headings and fixed prose as MyST substitutions in its edition's words.

This shapes what every stored notebook holds, so it is part of each notebook's fingerprint, like the
page code its template imports (sotebook/site/fingerprint.py).
"""
from __future__ import annotations

import ast
import json
from pathlib import Path

from sotebook.pages.words import DEFAULT_LANGUAGE, edition
from sotebook.paths import relative


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


def make_deterministic(nb, template: Path, parameters: dict, fp: str) -> None:
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
        "template": relative(template),
        "parameters": parameters,
        "fingerprint": fp,
    }
    # Page-level MyST substitutions: the parameters ({{ year }}) and the page's headings and
    # static prose from words/<lang>/ ({{ title }}), so the template holds no sentence.
    words = edition(parameters.get("lang", DEFAULT_LANGUAGE))
    nb.metadata["myst"] = {"substitutions": words.page_substitutions(template.stem, parameters)}



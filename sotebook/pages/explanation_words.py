"""The book's sentence for each explanation of the dataset: the dataset keeps the sourced fact (what a
review says caused a figure, with its source and section, data/clean/explanations.csv), the book tells it
in each edition's words (words/<lang>/explanations.yml, key `explanation.<explanation_id>`), so rewording
it needs no dataset release. Every explanation has its message in every edition and every message its
explanation: checked before the build executes anything and in tests/pages/test_explanation_words.py.
"""
from __future__ import annotations

import csv
from pathlib import Path

from sotebook.pages import words
from sotebook.pages.spec import BuildError
from sotebook.paths import CLEAN

PREFIX = "explanation."


def key(explanation_id: str) -> str:
    """The message that tells an explanation: 'explanation.nps_2025_change'."""
    return PREFIX + explanation_id


def explanation_ids(path: Path = CLEAN / "explanations.csv") -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["explanation_id"] for row in csv.DictReader(handle)]


def problems(languages: list[str], ids: list[str] | None = None) -> list[str]:
    """An explanation without its message in an edition, or a message whose explanation the dataset lacks."""
    ids = explanation_ids() if ids is None else ids
    found = []
    for lang in languages:
        told = {k[len(PREFIX):] for k in words.catalog(lang) if k.startswith(PREFIX)}
        found += [f"words/{lang}/: no message {key(i)!r} tells explanation {i!r} of data/clean/explanations.csv"
                  for i in ids if i not in told]
        found += [f"words/{lang}/: message {key(i)!r} tells no explanation: data/clean/explanations.csv has no "
                  f"explanation_id {i!r}" for i in sorted(told - set(ids))]
    return found


def check(languages: list[str]) -> None:
    found = problems(languages)
    if found:
        raise BuildError("\n".join(found))

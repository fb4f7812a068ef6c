"""Draft a source: every figure of its text, dated, with a proposed metric; the rows of the draft file."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import matching
from .dating import period_of, year_of
from .upstream import Passage, passages
from .figures import Figure, find_figures
from .source import Source


# A label of this many words (of three letters or more) is matched alone.
STRONG_LABEL_WORDS = 3


@dataclass(frozen=True)
class Drafted:
    figure: Figure
    row: dict[str, str]  # the draft file's row


def _words(passage: Passage, figures: list[Figure]) -> str:
    """A passage's words without its figures: the label of a bare figure beside it."""
    text = passage.text
    for figure in sorted(figures, key=lambda f: -f.start):
        text = text[:figure.start] + " " + text[figure.end:]
    return " ".join(re.sub(r"[^\w\s'’/-]", " ", text).split())


def _labels(figure: Figure, words_before: str, words_after: str) -> list[str]:
    """The label, and where it is short its sentence and the passage before ('Resultat från 2023: 58'
    after 'Rekommendationsindex ... var 69'); where the figure stands alone ('45%' above 'HUS group'),
    its neighbours' words. The matcher takes the best of them."""
    own = figure.label
    words = len(re.findall(r"[^\W\d_]{3,}", own))
    if words >= STRONG_LABEL_WORDS:
        return [own]
    in_clause = re.search(r"[^\W\d_]{3,}", figure.clause.replace(figure.printed, " "))
    if words or in_clause:
        return [own] * bool(own) + [figure.clause] * bool(in_clause) + [words_before] * bool(words_before)
    return [w for w in (words_after, words_before) if w] or [own or "?"]


def draft_source(source: Source, raw: Path, exclude: set[str] | None = None,
                 settings: matching.Settings = matching.SETTINGS) -> list[Drafted]:
    """The draft of a source, its figures in the order of the text. The source's own transcription, if
    any, and those of `exclude` are not used for matching."""
    index = matching.build_index(raw, {source.source_id} | (exclude or set()), settings)
    found = [(p, find_figures(p, source.language)) for p in passages(source.text)]
    words = [_words(p, figs) for p, figs in found]
    figures, queries = [], []
    for i, (passage, figs) in enumerate(found):
        before = words[i - 1] if i else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        for figure in figs:
            figures.append(figure)
            period = _period(figure, source)
            queries.append({"labels": _labels(figure, before, after), "section": " ".join(passage.section[-2:]),
                            "value": figure.value, "unit": figure.unit, "key": (period, passage.section)})
    proposals = matching.propose(index, queries, settings)
    return [Drafted(f, _row(f, q["labels"][0], p, q["key"][0], source))
            for f, q, p in zip(figures, queries, proposals)]


def _period(figure: Figure, source: Source) -> str:
    text = figure.passage.text
    before = text[max(0, text.rfind(" ", 0, max(0, figure.start - 40))):figure.start]
    after = text[figure.end:figure.end + 60]
    return period_of(figure.clause, before, after, " ".join(figure.passage.section), source.year)


def _row(figure: Figure, label: str, proposal: matching.Proposal, period: str, source: Source) -> dict[str, str]:
    return {
        "status": "", "metric_id": proposal.metric_id, "score": f"{proposal.score:.1f}",
        "runner_up": proposal.runner_up, "runner_up_score": f"{proposal.runner_up_score:.1f}",
        "year": str(year_of(period, source.year)), "period": period,
        "value_as_printed": figure.printed, "label_as_printed": label,
        "section": " > ".join(figure.passage.section), "printing": "primary",
        "number_format": figure.number_format, "note": "", "period_kind": "", "basis": "",
        "line": str(figure.passage.line),
    }

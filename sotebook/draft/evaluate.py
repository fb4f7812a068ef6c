"""Leave-one-out: draft a transcribed source with the labels of the other sources only, and count how
many of its committed figures the draft holds (right value, right section) and proposes the right metric for.

The figures counted are the committed transcription's rows printed 'primary'; a restatement repeats a
figure the draft already counts (and which repeat is primary is the transcriber's choice). A draft row
holds a figure when its value reads as the same number and its section path contains the innermost
heading of the figure's section (one may be a shortened form of the other: 'Sustainable finances' for
'Sustainable finances in a challenging operating environment').
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from rapidfuzz import fuzz

from .compose import Drafted, draft_source
from .matching import SETTINGS, Settings
from .source import Source
from .upstream import RAW_FIGURE_COLUMNS, in_section, ParseError, Problem, parse_printed, read_table


@dataclass(frozen=True)
class Result:
    source_id: str
    figures: int  # the committed primary rows
    held: int  # with the right value and section in the draft
    right_metric: int  # held, and the right metric proposed first
    draft_rows: int
    misses: tuple[str, ...]  # what was not held or not matched, for the README and the test's message

    @property
    def held_share(self) -> float:
        return self.held / self.figures

    @property
    def metric_share(self) -> float:
        return self.right_metric / self.figures

    def __str__(self) -> str:
        return (f"{self.source_id}: {self.figures} figures (primary rows); draft rows {self.draft_rows}; "
                f"held with the right value and section {self.held} ({self.held_share:.1%}); "
                f"right metric proposed first {self.right_metric} ({self.metric_share:.1%})")


same_section = in_section  # the data step's rule: a recorded section and a drafted path agree


def _value(printed: str, number_format: str):
    try:
        return parse_printed(printed, number_format).value
    except ParseError:
        return None


def compare(source: Source, committed_path: Path, drafted: list[Drafted]) -> Result:
    problems: list[Problem] = []
    rows = [r.values for r in read_table(committed_path, RAW_FIGURE_COLUMNS, problems)
            if r.values["printing"] == "primary"]
    used: set[int] = set()
    held = right = 0
    misses = []
    for row in rows:
        value = _value(row["value_as_printed"], row["number_format"] or source.language)
        candidates = [i for i, d in enumerate(drafted) if i not in used
                      and _value(d.row["value_as_printed"], d.row["number_format"] or source.language) == value
                      and same_section(row["section"], d.row["section"])]
        if not candidates:
            misses.append(f"not held: {row['metric_id']} {row['value_as_printed']!r} ({row['section']})")
            continue
        best = max(candidates, key=lambda i: fuzz.ratio(drafted[i].row["label_as_printed"], row["label_as_printed"]))
        used.add(best)
        held += 1
        if drafted[best].row["metric_id"] == row["metric_id"]:
            right += 1
        else:
            misses.append(f"wrong metric: {row['metric_id']} {row['value_as_printed']!r} proposed "
                          f"{drafted[best].row['metric_id']} ({drafted[best].row['score']})")
    return Result(source.source_id, len(rows), held, right, len(drafted), tuple(misses))


def leave_one_out(source: Source, raw: Path, settings: Settings = SETTINGS) -> Result:
    """Draft the source without its own transcription, and compare the draft with that transcription."""
    return compare(source, raw / f"{source.source_id}.csv", draft_source(source, raw, settings=settings))


def _settings_tried() -> dict[str, Settings]:
    """The scorers and label sources the README's table compares."""
    tried = {name: Settings(scorers=(getattr(fuzz, name),))
             for name in ("ratio", "partial_ratio", "token_sort_ratio", "token_set_ratio", "WRatio")}
    tried["token_set_ratio + token_sort_ratio (chosen)"] = SETTINGS
    tried["chosen, no section"] = replace(SETTINGS, section_weight=0.0)
    tried["chosen, section weight 0.3"] = replace(SETTINGS, section_weight=0.3)
    tried["chosen, dictionary labels only"] = replace(SETTINGS, printed_labels=False)
    return tried


def compare_settings(sources: list[Source], raw: Path) -> str:
    """One line per setting: the right metric proposed first, per source."""
    lines = []
    for name, settings in _settings_tried().items():
        results = [leave_one_out(source, raw, settings) for source in sources]
        lines.append(f"{name}: " + ", ".join(f"{r.source_id} {r.right_metric}/{r.figures} ({r.metric_share:.1%})"
                                             for r in results))
    return "\n".join(lines)

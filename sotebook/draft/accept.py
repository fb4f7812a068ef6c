"""Move a reviewed draft's accepted rows into data/raw/<source_id>.csv, in the transcription's own form."""
from __future__ import annotations

from pathlib import Path

from .draftfile import RAW_COLUMNS, read_reviewed, write_csv
from .source import DraftError, Source
from .upstream import METRIC_COLUMNS, Problem, read_table


def draft_path(raw: Path, source_id: str) -> Path:
    return raw / "drafts" / f"{source_id}.csv"


def accept(source: Source, raw: Path, replace: bool = False) -> tuple[Path, int]:
    """Write the accepted and changed rows of the source's draft; return the file and the row count."""
    path = draft_path(raw, source.source_id)
    if not path.exists():
        raise DraftError(path, None, f"does not exist: run make draft SOURCE={source.text_path} first")
    target = raw / f"{source.source_id}.csv"
    if target.exists() and not replace:
        raise DraftError(target, None, "exists already: accepting would overwrite a transcription; move it "
                                       "aside, or pass REPLACE=1 to replace it")
    problems: list[Problem] = []
    metrics = {r.values["metric_id"] for r in read_table(raw / "metrics.csv", METRIC_COLUMNS, problems)}
    rows = read_reviewed(path, metrics, source.language)
    if not rows:
        raise DraftError(path, None, "has no row marked accept or change: nothing was written")
    write_csv(target, RAW_COLUMNS, rows)
    return target, len(rows)

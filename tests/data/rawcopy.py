"""Copies of the raw data and the last clean dataset for a test to break, and the one edit tests make."""
from pathlib import Path


def replace_in(path: Path, old: str, new: str) -> int:
    """Replace `old` on the one line holding it; return that line's 1-based number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if old in line]
    assert len(hits) == 1, f"{old!r} should occur on exactly one line of {path.name}"
    lines[hits[0]] = lines[hits[0]].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")
    return hits[0] + 1

"""The document to draft: its row in data/raw/sources.csv and its text, checked before anything is drafted."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .upstream import ROOT, SEEDS, SOURCE_COLUMNS, Problem, read_table


def shown(path: Path) -> str:
    """A path as a message shows it: relative to the project where it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


class DraftError(Exception):
    """Bad input for the draft: the message names the file and line."""

    def __init__(self, path: Path, line: int | None, message: str):
        where = f"{shown(path)} line {line}" if line is not None else shown(path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Source:
    source_id: str
    language: str  # 'en' or 'sv': also the number format
    year: int  # the last year the document covers: a figure's year unless the text says another
    first_year: int
    text_path: Path
    text: str


LANGUAGE_NAMES = {"en": "English", "sv": "Swedish", "fi": "Finnish"}
# Short words that are common in one language and rare in the others: enough to tell a page apart.
_COMMON_WORDS = {
    "en": {"the", "and", "of", "to", "in", "for", "with", "our", "we", "is", "was", "were", "by", "from"},
    "sv": {"och", "att", "för", "av", "med", "som", "på", "är", "vi", "till", "det", "om", "vår", "var"},
    "fi": {"ja", "on", "että", "ovat", "sekä", "myös", "kanssa", "vuonna", "mukaan", "oli", "tai", "ei"},
}


def find_source(text_path: Path | None, raw: Path, source_id: str | None = None) -> Source:
    """The source the text belongs to (its seed_file in sources.csv), or the source `source_id` with its
    text from the seeds folder; the text read and its language checked."""
    sources_path = raw / "sources.csv"
    problems: list[Problem] = []
    rows = read_table(sources_path, SOURCE_COLUMNS, problems)
    if problems:
        raise DraftError(sources_path, problems[0].line, problems[0].rule)
    wanted = (lambda r: r.values["source_id"] == source_id) if source_id else (
        lambda r: r.values["seed_file"] == text_path.name)
    row = next((r for r in rows if wanted(r)), None)
    if row is None:
        what = f"source_id {source_id!r}" if source_id else f"seed_file {text_path.name!r}"
        raise DraftError(text_path or sources_path, None,
                         f"is not listed in {shown(sources_path)} (no row has {what}): add the "
                         "document's row (language, years it covers, seed_file) first")
    v = row.values
    text_path = text_path if not source_id else SEEDS / v["seed_file"]
    text = read_text(text_path)
    check_language(text_path, text, v["language"], f"{shown(sources_path)} line {row.line}")
    return Source(v["source_id"], v["language"], int(v["covers_to"]), int(v["covers_from"]), text_path, text)


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DraftError(path, None, f"cannot be read ({error.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DraftError(path, data[:error.start].count(b"\n") + 1, "is not UTF-8: save the text as UTF-8") from None
    if not re.search(r"\w", text):
        raise DraftError(path, 1, "is empty: expected the document's text")
    return text


def detected_language(text: str) -> tuple[str, int]:
    """The language whose common words occur most often, and the first line that shows it."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    counts = {lang: sum(w in common for w in words) for lang, common in _COMMON_WORDS.items()}
    best = max(counts, key=counts.get)
    first = next((i for i, line in enumerate(text.splitlines(), 1)
                  if set(re.findall(r"[^\W\d_]+", line.lower())) & _COMMON_WORDS[best]), 1)
    return best, first


def check_language(path: Path, text: str, listed: str, listed_where: str) -> None:
    found, line = detected_language(text)
    if found != listed:
        raise DraftError(path, line, f"the text reads as {LANGUAGE_NAMES[found]} ({found}), but {listed_where} "
                                     f"lists the document as {LANGUAGE_NAMES.get(listed, listed)} ({listed}): "
                                     "check the seed_file and language columns")

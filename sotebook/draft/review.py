"""The review page: each proposed row beside its passage with the number marked, doubtful rows first.

One self-contained HTML file: no script, no external request; every text from the document or the
draft is escaped.
"""
from __future__ import annotations

from html import escape

from .compose import Drafted
from .matching import NO_METRIC_BELOW
from .source import Source

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5rem; color: #1a1a1a; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ccc; padding: .4rem .5rem; text-align: left; vertical-align: top; }
td.score { font-variant-numeric: tabular-nums; }
tr.doubtful td.score { color: #9b1c1c; font-weight: 600; }
mark { background: #ffe066; padding: 0 .15em; }
.passage { max-width: 40rem; } .meta { color: #555; font-size: 90%; }
"""


def _passage(drafted: Drafted) -> str:
    f = drafted.figure
    text = f.passage.text
    return f"{escape(text[:f.start])}<mark>{escape(text[f.start:f.end])}</mark>{escape(text[f.end:])}"


def _row(drafted: Drafted) -> str:
    r = drafted.row
    css = ' class="doubtful"' if float(r["score"]) < NO_METRIC_BELOW else ""
    return (f'<tr{css}><td class="score">{escape(r["score"])}</td>'
            f'<td><code>{escape(r["metric_id"])}</code><div class="meta">runner-up: <code>'
            f'{escape(r["runner_up"])}</code> ({escape(r["runner_up_score"])})</div></td>'
            f'<td>{escape(r["value_as_printed"])}</td><td>{escape(r["period"])}</td>'
            f'<td class="passage">{_passage(drafted)}<div class="meta">line {escape(r["line"])} · '
            f'{escape(r["section"])}</div></td></tr>')


def candidates(drafted: list[Drafted], year: int) -> list[Drafted]:
    """Figures of the document's year that match no metric well: candidates for new metrics."""
    return [d for d in drafted if float(d.row["score"]) < NO_METRIC_BELOW and d.row["year"] == str(year)]


def review_page(source: Source, drafted: list[Drafted]) -> str:
    rows = "\n".join(_row(d) for d in sorted(drafted, key=lambda d: (float(d.row["score"]), int(d.row["line"]))))
    new = "\n".join(f"<li>{escape(d.row['value_as_printed'])} (line {escape(d.row['line'])}): {_passage(d)}</li>"
                    for d in candidates(drafted, source.year))
    title = f"Draft of {source.source_id}: {len(drafted)} figures"
    head = ("<th>Score</th><th>Proposed metric</th><th>Value as printed</th><th>Period</th>"
            "<th>Passage (line, section)</th>")
    return (f'<!DOCTYPE html>\n<html lang="{escape(source.language)}">\n<head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head>\n<body>\n<h1>{escape(title)}</h1>\n"
            f"<p>Review the draft in <code>data/raw/drafts/{escape(source.source_id)}.csv</code>: set each row's "
            "status to accept, change (after correcting it) or skip, then run <code>make accept-draft</code>. "
            f"Rows are sorted by score, lowest first; below {NO_METRIC_BELOW} a proposal is doubtful.</p>\n"
            f"<h2>Candidates for new metrics ({len(candidates(drafted, source.year))})</h2>\n"
            f"<p>Figures of {source.year} that match no metric well.</p>\n<ul>\n{new}\n</ul>\n"
            f'<h2>Proposed rows</h2>\n<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n'
            "</table>\n</body>\n</html>\n")

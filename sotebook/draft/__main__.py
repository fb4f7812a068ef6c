"""make draft / make accept-draft: python -m sotebook.draft {draft,accept,evaluate} ..."""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from .accept import accept, draft_path
from .compose import draft_source
from .draftfile import DRAFT_COLUMNS, write_csv, write_text
from .evaluate import compare_settings, leave_one_out
from .review import candidates, review_page
from .source import DraftError, find_source, shown
from .upstream import RAW, SEEDS, SOURCE_COLUMNS, Problem, read_table


def _draft(args) -> str:
    source = find_source(args.source, args.raw)
    drafted = draft_source(source, args.raw)
    if not drafted:
        raise DraftError(args.source, None, "states no figures the draft can read: nothing was written")
    target = draft_path(args.raw, source.source_id)
    if target.exists() and not args.replace and _reviewed_rows(target):
        raise DraftError(target, None, f"has {_reviewed_rows(target)} reviewed rows (a status set): drafting "
                                       "again would lose them; accept them first, or pass REPLACE=1")
    page = target.with_suffix(".html")
    write_text(page, review_page(source, drafted))
    write_csv(target, DRAFT_COLUMNS, [d.row for d in drafted])
    return (f"make draft: wrote {shown(target)} ({len(drafted)} figures, {len(candidates(drafted, source.year))} "
            f"candidates for new metrics) and the review page {shown(page)}")


def _reviewed_rows(draft: Path) -> int:
    with draft.open(encoding="utf-8", newline="") as rows:
        return sum(1 for row in csv.DictReader(rows) if (row.get("status") or "").strip())


def _accept(args) -> str:
    by_id = not args.source.suffix and not args.source.exists()
    source = find_source(None if by_id else args.source, args.raw, source_id=str(args.source) if by_id else None)
    target, count = accept(source, args.raw, replace=args.replace)
    return f"make accept-draft: wrote {shown(target)} ({count} rows); run make data to validate it"


def _evaluate(args) -> str:
    problems: list[Problem] = []
    sources = [find_source(SEEDS / row.values["seed_file"], args.raw)
               for row in read_table(args.raw / "sources.csv", SOURCE_COLUMNS, problems)
               if row.values["document_type"] == "annual review"
               and (args.raw / f"{row.values['source_id']}.csv").exists()]
    if args.settings:
        return compare_settings(sources, args.raw)
    results = [leave_one_out(source, args.raw) for source in sources]
    return "\n".join(str(r) + "".join(f"\n  {miss}" for miss in r.misses if args.verbose) for r in results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sotebook.draft", description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=RAW, help="folder of the transcriptions (default data/raw)")
    commands = parser.add_subparsers(dest="command", required=True)
    draft = commands.add_parser("draft", help="draft data/raw/drafts/<source_id>.csv and its review page")
    draft.add_argument("source", type=Path, help="the document's text (listed in sources.csv by seed_file)")
    draft.add_argument("--replace", action="store_true", help="replace a draft whose rows are being reviewed")
    accepted = commands.add_parser("accept", help="move a reviewed draft's rows into data/raw/<source_id>.csv")
    accepted.add_argument("source", type=Path, help="the document's text, or its source_id")
    accepted.add_argument("--replace", action="store_true", help="replace an existing transcription")
    evaluate = commands.add_parser("evaluate", help="leave-one-out on the transcribed annual reviews")
    evaluate.add_argument("--verbose", action="store_true", help="list each figure missed")
    evaluate.add_argument("--settings", action="store_true", help="compare the scorers and label sources")
    args = parser.parse_args(argv)
    try:
        print({"draft": _draft, "accept": _accept, "evaluate": _evaluate}[args.command](args))
    except DraftError as error:
        print(f"make {'accept-draft' if args.command == 'accept' else args.command}: {error}; nothing was written",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Lighthouse (mobile preset) keeps accessibility, best practices and SEO at 100 (issue 13).

Every kind of page once, the editions taking turns (the front page, a year chapter, the trends, background
and about-the-data chapters, the glossary and the search page, and the root's chooser), in one Chromium,
served with gzip as GitHub Pages serves the site (sotebook/site/audit.py): about 8 pages, 1-2 minutes on a quiet
machine. An edition's pages share their templates with the other editions'; what differs by language (the
description, the `lang`) is checked on every page by test_site_weight.py. SOTEBOOK_LIGHTHOUSE_ALL=1 audits
every page of every edition (about 28 pages), as `benchmarks/bench.py --only lighthouse` does with
performance too. Performance is not tested here: it depends on the machine's load, which a test must not."""
from __future__ import annotations

import os
import re

import pytest

from browser_harness import EDITIONS, NOT_BUILT, require_build
from sotebook.site import audit

CATEGORIES = ("accessibility", "best-practices", "seo")
# One worker audits the pages once (the module's fixture would otherwise run on each), and starts early.
pytestmark = [pytest.mark.xdist_group("lighthouse"), pytest.mark.slow]


def kind(page: str) -> str:
    """'year' for .../year_2025.html, 'search' for fi/search.html, the page's name otherwise."""
    name = page.rsplit("/", 1)[-1].removesuffix(".html")
    return re.sub(r"_\d{4}$", "", name) if "/" in page else "chooser"


def pages_to_audit() -> list[str]:
    if not audit.BUILD_HTML.is_dir():
        return [NOT_BUILT]
    pages = audit.site_pages()
    if os.environ.get("SOTEBOOK_LIGHTHOUSE_ALL"):
        return pages
    kinds = sorted({kind(p) for p in pages})
    chosen = []
    for i, k in enumerate(kinds):
        of_kind = [p for p in pages if kind(p) == k]
        in_turn = [p for p in of_kind if p.startswith(f"{EDITIONS[i % len(EDITIONS)]}/")]
        chosen.append((in_turn or of_kind)[-1 if k == "year" else 0])
    return sorted(chosen)


PAGES = pages_to_audit()


@pytest.fixture(scope="module")
def audits():
    require_build(PAGES[0])
    try:
        found = audit.lighthouse(PAGES, CATEGORIES)
    except audit.AuditError as error:
        pytest.fail(str(error), pytrace=False)
    return {a.page: a for a in found}


@pytest.mark.parametrize("page", PAGES)
def test_lighthouse_scores_100(audits, page):
    found = audits[page]
    assert not found.error, f"{page}: Lighthouse could not audit it: {found.error}"
    below = {k: v for k, v in found.scores.items() if v != 100}
    assert not below, f"{page}: {below}; lost points on: " + "; ".join(found.lost)

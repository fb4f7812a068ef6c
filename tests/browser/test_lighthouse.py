"""Lighthouse (mobile preset) on every page a reader can land on: accessibility, best practices and SEO at
100 (issue 13). Every page of every edition and the root's chooser, in one Chromium, served with gzip as
GitHub Pages serves the site (sotebook/audit.py). Performance is the benchmark's (benchmarks/bench.py
--only lighthouse): it depends on the machine's load, which a test must not."""
from __future__ import annotations

import pytest

from browser_harness import NOT_BUILT, require_build
from sotebook import audit

CATEGORIES = ("accessibility", "best-practices", "seo")
PAGES = audit.site_pages() if audit.BUILD_HTML.is_dir() else [NOT_BUILT]


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

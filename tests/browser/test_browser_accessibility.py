"""(e) axe-core at desktop and phone width, with the charts drawn and every data table opened. Each
page's findings are reported (see conftest); serious or critical ones fail.

Scanned: the root's language chooser, every page of the Finnish edition, and in the Swedish and
English editions the pages that differ from Finnish in more than their words' language (the front
page, the year chapter with the most charts and tables, and About the data with the long tables),
to keep the run short: the editions share every template, so the rest repeat Finnish's structure.
Set SOTEBOOK_AXE_ALL=1 to scan every page of every edition (browser_harness.scanned_by_axe). The
forwards (<lang>/index.html) are left out: a browser leaves them for <lang>/book/index.html, which is
scanned. The scan runs in the page's one visit (browser_harness.visit), after the page tests' checks.
"""
from __future__ import annotations

import pytest

from browser_harness import FAILING_IMPACTS, NOT_BUILT, built_pages, page_params, record_axe, scanned_by_axe

PAGES = [p for p in built_pages() if p != NOT_BUILT and scanned_by_axe(p)] or [NOT_BUILT]


@pytest.mark.parametrize("path", page_params(PAGES))
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_axe_finds_no_serious_violations(page_visit, path, width):
    seen = page_visit(path, width)
    if seen.axe_error:
        pytest.fail(seen.axe_error, pytrace=False)
    violations = seen.axe
    assert violations is not None, f"{path} @ {width}: axe did not run"
    record_axe(f"{path} @ {width}", violations)
    failing = [v for v in violations if v.get("impact") in FAILING_IMPACTS]
    assert not failing, f"{path} @ {width}: " + "; ".join(
        f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])}: "
        + ", ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5]) + ")"
        for v in failing
    )

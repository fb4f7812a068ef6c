"""(e) axe-core at desktop and phone width, with the charts drawn and every data table opened. Each
page's findings are reported (see conftest); serious or critical ones fail.

Scanned: the root's language chooser, every page of the Finnish edition, and in the Swedish and
English editions the pages that differ from Finnish in more than their words' language (the front
page, the year chapter with the most charts and tables, and About the data with the long tables),
to keep the run short: the editions share every template, so the rest repeat Finnish's structure.
Set SOTEBOOK_AXE_ALL=1 to scan every page of every edition. The forwards (<lang>/index.html) are
left out: a browser leaves them for <lang>/book/index.html, which is scanned."""
from __future__ import annotations

import os

import pytest

from browser_harness import (
    AXE_JS, AXE_TAGS, FAILING_IMPACTS, NOT_BUILT, built_pages, edition_of, edition_pages, goto, record_axe,
    wait_for_charts,
)

SUBSET = ("book/index.html", "book/year_2025.html", "book/about_data.html")
PAGES = [p for p in built_pages() if p == "index.html"] + [
    p for p in edition_pages()
    if p != NOT_BUILT and (edition_of(p) == "fi" or p.split("/", 1)[1] in SUBSET or os.environ.get("SOTEBOOK_AXE_ALL"))
] or [NOT_BUILT]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_axe_finds_no_serious_violations(request, server, path, width):
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` (or tools/install_browser_deps.sh)", pytrace=False)
    page = request.getfixturevalue(f"{width}_page")
    goto(page, server, path)
    wait_for_charts(page)
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        AXE_TAGS,
    )
    violations = results["violations"]
    record_axe(f"{path} @ {width}", violations)
    failing = [v for v in violations if v.get("impact") in FAILING_IMPACTS]
    assert not failing, f"{path} @ {width}: " + "; ".join(
        f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])}: "
        + ", ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5]) + ")"
        for v in failing
    )

"""A metric label containing markup renders as text in tables, the chart's drawing, its text alternative and prose.

End to end: a copy of the project gets a label with `<script>` and `&` in its metric dictionary,
in every language, runs `make data`'s and `make book`'s steps for 2025 in two editions, and the built
page of each is opened in Chromium.
"""
from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from browser_harness import CHART_SELECTOR, DESKTOP, open_page, serve, wait_for_charts
from project_copy import copy_project, project_env

# The tests open one copy of the project, built with a marked-up label: one worker, started first.
pytestmark = [pytest.mark.xdist_group("escaping"), pytest.mark.slow]

MARKUP = "<script>alert(1)</script> & co"
# In the visits chart and the 2025 services table; the second has a series break, so its label
# also appears in a glued sentence of prose.
LABELLED = {"health_station_nurse_visits", "substance_abuse_outpatient_visits"}
# Every edition escapes with the same code: the copy is built in two (a third adds only time), and the
# label is marked up in each language's column all the same.
EDITIONS = ("fi", "sv")


@pytest.fixture(scope="module")
def marked_up_book(tmp_path_factory):
    copy = copy_project(tmp_path_factory.mktemp("escaping") / "book", editions=EDITIONS)
    metrics = copy / "data" / "raw" / "metrics.csv"
    with metrics.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["metric_id"] in LABELLED:
            for lang in ("fi", "sv", "en"):
                row[f"label_{lang}"] = f"{MARKUP} {row[f'label_{lang}']}"
    with metrics.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    # The copy's package, not the checkout's; the source documents from beside the checkout.
    env = project_env(copy)
    # `notebooks` also builds the site (every edition) from the notebooks it executed and the others.
    for step in (["-m", "sotebook.data.clean"], ["-m", "sotebook.site.build", "notebooks", "--years", "2025"]):
        result = subprocess.run([sys.executable, *step], cwd=copy, env=env, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, f"{step}: {result.stdout[-2000:]}{result.stderr[-4000:]}"
    return copy / "_build" / "html"


@pytest.fixture(scope="module")
def marked_up_server(marked_up_book):
    with serve(marked_up_book) as url:
        yield url


@pytest.mark.parametrize("lang", EDITIONS)
def test_markup_in_a_label_is_text_in_table_prose_and_tooltip(browser, marked_up_server, lang):
    page = open_page(browser, marked_up_server, DESKTOP)
    try:
        page.goto(marked_up_server + f"{lang}/book/year_2025.html", wait_until="load")
        wait_for_charts(page)
        assert page.log.dialogs == [], "a script in a label ran"
        injected = page.evaluate("() => Array.from(document.scripts).filter(s => s.textContent.trim() === 'alert(1)').length")
        assert injected == 0, "a label became a script element"
        # Table: the label is a cell's text.
        cells = page.locator("table td", has_text=MARKUP)
        assert cells.count() >= 2, "the label should appear as text in the services table"
        # Prose: the series-break note under the section's table names the label.
        prose = page.locator("p.sotebook-prose", has_text=MARKUP)
        assert prose.count() >= 1, "the label should appear as text in the series-break note"
        # The drawing: the visits chart's SVG image, as the browser got it, draws the label as text (wrapped
        # onto lines) and holds no script element.
        drawn = page.evaluate("""async charts => {
            const img = document.querySelector(charts).querySelector('img');
            const svg = new DOMParser().parseFromString(await (await fetch(img.currentSrc)).text(), 'image/svg+xml');
            return {texts: Array.from(svg.querySelectorAll('text')).map(t => t.textContent),
                    scripts: svg.querySelectorAll('script').length, error: svg.querySelector('parsererror') !== null};
        }""", CHART_SELECTOR)
        assert not drawn["error"] and drawn["scripts"] == 0, drawn
        assert any("<script>alert(1)</script>" in text for text in drawn["texts"]), drawn["texts"]
        assert page.log.dialogs == [] and page.log.page_errors == []
    finally:
        page.context.close()

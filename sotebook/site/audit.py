"""The site as a reader's phone gets it: Lighthouse on its pages, served as GitHub Pages serves them.

    python -m sotebook.site.audit [--categories accessibility,best-practices,seo] [--with-vega] [PAGE ...]

Runs tools/lighthouse.mjs (the Lighthouse that package-lock.json pins; `tools/install_browser_deps.sh`
installs it) with Debian's Chromium on the built site (_build/html) served on 127.0.0.1 with gzip
(sotebook.site.pdf.serve): one Chromium for every page, Lighthouse's mobile preset. Used by
tests/browser/test_lighthouse.py and benchmarks/bench.py.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from sotebook.paths import BUILD_HTML, ROOT

RUNNER = ROOT / "tools" / "lighthouse.mjs"
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
REFRESH = re.compile(rb"http-equiv=[\"']?refresh", re.IGNORECASE)


class AuditError(Exception):
    """Lighthouse is missing or could not audit a page."""


@dataclass
class Audit:
    page: str
    scores: dict[str, int | None] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)  # fcp, lcp, tbt, si (ms), cls, bytes
    lost: list[str] = field(default_factory=list)  # "seo: hreflang (...)": audits that cost points
    error: str = ""


def site_pages(site: Path = BUILD_HTML) -> list[str]:
    """Every page a reader can land on, relative to the site: the root's chooser, and in every edition its
    pages and search page (not genindex, and not <lang>/index.html, which only forwards to the front page)."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site)
        if {"_static", "_sources", "_downloads", "_images"} & set(rel.parts[:-1]) or path.name == "genindex.html":
            continue
        if len(rel.parts) == 2 and path.name == "index.html" and REFRESH.search(path.read_bytes()[:4000]):
            continue
        pages.append(rel.as_posix())
    return pages


def require_lighthouse() -> None:
    if not LIGHTHOUSE.is_file() or not shutil.which("node"):
        raise AuditError("Lighthouse is missing: run tools/install_browser_deps.sh (npm ci installs the pinned version)")
    if not CHROMIUM.exists():
        raise AuditError(f"{CHROMIUM} is missing: run tools/install_browser_deps.sh")


def lighthouse(pages: list[str], categories=CATEGORIES, site: Path = BUILD_HTML,
               timeout: float = 1800) -> list[Audit]:
    """Audit `pages` (paths in the site) in one Chromium; one Audit per page, in order."""
    from sotebook.site.pdf import serve

    require_lighthouse()
    with serve(site) as base:
        command = ["node", str(RUNNER), "--categories", ",".join(categories)]
        result = subprocess.run(command + [base + page for page in pages], capture_output=True, text=True,
                                timeout=timeout, env={**os.environ, "CHROME_PATH": str(CHROMIUM)}, cwd=ROOT)
    audits = []
    for line in result.stdout.splitlines():
        if not line.startswith("{"):
            continue
        found = json.loads(line)
        audits.append(Audit(found["url"][len(base):], found.get("scores", {}), found.get("metrics", {}),
                            found.get("lost", []), found.get("error", "")))
    if len(audits) != len(pages):
        raise AuditError(f"Lighthouse audited {len(audits)} of {len(pages)} pages:\n{result.stderr[-3000:]}")
    return audits


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def first_visits(pages: list[str], site: Path = BUILD_HTML, browser=None) -> dict[str, dict[str, int]]:
    """For each page, every file a first visit downloads (the page, its styles, scripts, fonts, images) with
    its bytes as sent, gzipped where the server gzips: a fresh phone-sized browser context each, nothing
    cached. `browser`: a Playwright Chromium already running (the browser tests'), else one is started."""
    from sotebook.site.pdf import serve

    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
            try:
                return first_visits(pages, site, chromium)
            finally:
                chromium.close()
    found: dict[str, dict[str, int]] = {}
    with serve(site) as base:
        for page_path in pages:
            context = browser.new_context(viewport={"width": 390, "height": 844})
            try:
                page = context.new_page()
                finished: list = []
                page.on("requestfinished", lambda request: finished.append(request))
                page.goto(base + page_path, wait_until="load")
                page.wait_for_load_state("networkidle")
                # Sizes asked while the page is still open (a request's sizes die with its context).
                found[page_path] = {(r.url[len(base):] if r.url.startswith(base) else r.url): r.sizes()["responseBodySize"]
                                    for r in finished}
            finally:
                context.close()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sotebook.site.audit", description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="paths in _build/html (default: every page)")
    parser.add_argument("--categories", default=",".join(CATEGORIES))
    args = parser.parse_args(argv)
    try:
        audits = lighthouse(args.pages or site_pages(), args.categories.split(","))
    except AuditError as error:
        print(f"audit: {error}", file=sys.stderr)
        return 1
    for audit in audits:
        scores = " ".join(f"{k} {v}" for k, v in audit.scores.items())
        metrics = " ".join(f"{k} {v:.0f}" if k != "cls" else f"cls {v:.3f}" for k, v in audit.metrics.items())
        print(f"{audit.page}: {scores}; {metrics}{'; ' + audit.error if audit.error else ''}")
        for lost in audit.lost:
            print(f"    {lost}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A real browser on the built book: serve `_build/html` on 127.0.0.1, drive Debian's chromium.

Run after the build (`make book`, or `.venv/bin/python -m sotebook.site.build html` for the site alone),
which writes the root's language chooser and one Sphinx site per edition under _build/html/<lang>/:

    .venv/bin/pytest tests/browser

Needs /usr/bin/chromium and node_modules/axe-core (`tools/install_browser_deps.sh` installs both).
Run in parallel (`make test`: pytest-xdist), each worker serves the one built site and drives a Chromium of
its own: the site is read, never written, so the workers share it safely. Every page is loaded with all
requests to any host other than the local server aborted and recorded, and with console errors, page
errors and dialogs recorded; the page tests share one load per page and width (`page_visit`). The accessibility scan's
findings for every page are printed at the end of the run and written to _build/axe-report.txt.
"""
from __future__ import annotations


import pytest

from browser_harness import (
    AXE_PROPERTY, BUILD_HTML, CHROMIUM, CHROMIUM_FLAGS, DESKTOP, open_page, require_build, serve, take_axe_findings,
    visit,
)


# ---------------------------------------------------------------------------------------------
# Server and browser


@pytest.fixture(scope="session")
def server():
    """Base URL of a local static server on a free port, stopped at the end of the session."""
    require_build()
    with serve(BUILD_HTML) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run tools/install_browser_deps.sh (never `playwright install`)",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # launch() gives every session a fresh temporary profile (its own --user-data-dir).
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def desktop_page(browser, server):
    page = open_page(browser, server, DESKTOP)
    yield page
    page.context.close()


@pytest.fixture
def page_visit(browser, server):
    """`page_visit(path, width="desktop")`: the page's one visit at that width (browser_harness.visit)."""
    def get(path: str, width: str = "desktop"):
        require_build(path)
        return visit(browser, server, path, width)
    return get


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A page's axe findings go into its test's report; tests/conftest.py gathers them from every worker
    and prints and writes the report (_build/axe-report.txt) at the end of the run."""
    outcome = yield
    for key, violations in take_axe_findings():
        outcome.get_result().user_properties.append((AXE_PROPERTY, (key, violations)))

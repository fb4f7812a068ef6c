"""A real browser on the built book: serve `_build/html` on 127.0.0.1, drive Debian's chromium.

Run after the build (`make book`, or `.venv/bin/python -m sotebook.build html` for the site alone),
which writes the root's language chooser and one Sphinx site per edition under _build/html/<lang>/:

    .venv/bin/pytest tests/browser

Needs /usr/bin/chromium and node_modules/axe-core (`tools/install_browser_deps.sh` installs both).
Every page is loaded with all requests to any host other than the local server aborted and
recorded, and with console errors, page errors and dialogs recorded. The accessibility scan's
findings for every page are printed at the end of the run and written to _build/axe-report.txt.
"""
from __future__ import annotations


import pytest

from browser_harness import (
    AXE_REPORT, BUILD_HTML, CHROMIUM, CHROMIUM_FLAGS, DESKTOP, PHONE, ROOT, has_axe_results,
    format_axe_report, open_page, require_build, serve,
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
def phone_page(browser, server):
    page = open_page(browser, server, PHONE)
    yield page
    page.context.close()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not has_axe_results():
        return
    report = format_axe_report()
    AXE_REPORT.parent.mkdir(parents=True, exist_ok=True)
    AXE_REPORT.write_text(report, encoding="utf-8")
    terminalreporter.section("accessibility (axe-core)")
    terminalreporter.write(report)
    terminalreporter.write_line(f"(written to {AXE_REPORT.relative_to(ROOT)})")

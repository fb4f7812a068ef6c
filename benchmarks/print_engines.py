"""The print engines compared on the whole book (issue 22): the same print document (sotebook/site/print_document.py)
and stylesheet (sotebook/site/print.css) laid out by WeasyPrint (what `make pdf` uses) and by Paged.js in the
Chromium the browser tests use, for the three editions; time, pages and `pdfua` findings of each.

    npm install --prefix /tmp/pagedjs pagedjs@0.4.3      # not a dependency of the project
    .venv/bin/python benchmarks/print_engines.py /tmp/pagedjs/node_modules/pagedjs/dist/paged.polyfill.js

Writes its PDFs to a temporary folder, never to _build/pdf. Needs the site built (`make book`).
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]


def main(polyfill: str) -> int:
    from playwright.sync_api import sync_playwright

    from pdf_ua import check
    from sotebook.pages.spec import read_spec
    from sotebook.site import pdf

    langs = read_spec().languages
    out = Path(tempfile.mkdtemp(prefix="print-engines-"))
    css = pdf.PRINT_CSS.read_text(encoding="utf-8")
    documents = {lang: pdf.edition_document(lang) for lang in langs}
    rows = []
    started = time.perf_counter()
    for lang in langs:
        (out / f"weasyprint-{lang}.pdf").write_bytes(pdf.finish(pdf.render(documents[lang], pdf.BUILD_HTML / lang), documents[lang]))
    rows.append(("WeasyPrint 70, one process", time.perf_counter() - started, "weasyprint"))
    started = time.perf_counter()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        for lang in langs:
            page = browser.new_page()
            html = documents[lang].replace("</head>", f"<style>{css}</style><script>window.PagedConfig = "
                                           "{auto: true, after: () => { window.pagedDone = true; }};</script>"
                                           f'<script src="file://{polyfill}"></script></head>')
            source = out / f"pagedjs-{lang}.html"
            source.write_text(html, encoding="utf-8")
            page.goto(source.as_uri())
            page.wait_for_function("window.pagedDone === true", timeout=300_000)
            (out / f"pagedjs-{lang}.pdf").write_bytes(page.pdf(prefer_css_page_size=True, print_background=True,
                                                               tagged=True, outline=True))
            page.close()
        browser.close()
    rows.append(("Paged.js 0.4.3 in Chromium, one process", time.perf_counter() - started, "pagedjs"))
    from pypdf import PdfReader

    print("| engine | three editions | pages fi / sv / en | pdfua errors / warnings / skipped rules (fi, sv, en) |")
    print("|---|---|---|---|")
    for name, seconds, prefix in rows:
        pages, found = [], []
        for lang in langs:
            path = out / f"{prefix}-{lang}.pdf"
            pages.append(str(len(PdfReader(path).pages)))
            findings, skipped = check(path)
            errors = sum(1 for f in findings if f.severity.name == "ERROR")
            found.append(f"{errors} / {len(findings) - errors} / {len(skipped)}")
        print(f"| {name} | {seconds:.1f} s | {' / '.join(pages)} | {', '.join(found)} |")
    print(f"\nPDFs in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

"""One chapter as a single HTML page, in the book's style, that a browser opens from the file system.

`make chapter` writes it beside the chapter's notebook (sotebook/site/chapter.py). It shows what a reader of
the book sees: the markdown cells (already filled in: sotebook/pages/readable.py) and the code cells'
outputs, not their code. Everything is in the one file: the book's stylesheet inline, the charts as the
SVG data URIs the notebook holds; it makes no request.
"""
from __future__ import annotations

import html

from markdown_it import MarkdownIt

from sotebook.paths import STATIC

# The theme's page frame, which the preview has no theme for: a readable column, the theme's colours.
_FRAME_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.6; color: #1a1a1a;
       margin: 0 auto; padding: 1.5rem 1rem 4rem; max-width: 52rem; }
a { color: #0000bf; }
h1 { font-size: 2rem; line-height: 1.25; } h2 { margin-top: 2.5rem; } h3 { margin-top: 1.75rem; }
.sotebook-preview-note { font-size: 0.9rem; border-bottom: 1px solid #dedfe1; padding-bottom: 0.75rem; }
pre { overflow-x: auto; background: #f5f5f5; padding: 0.5rem; }
table { border-collapse: collapse; } img { max-width: 100%; height: auto; }
"""
HIDDEN_CELL = "remove-cell"
HIDDEN_INPUT = "remove-input"


def preview_html(nb, lang: str, title: str, note: str) -> str:
    """The page: `note` (one line on what was run, from what) above the chapter."""
    markdown = MarkdownIt("commonmark", {"html": True}).enable("table")
    body = [f'<p class="sotebook-preview-note" lang="en">{html.escape(note)}</p>']
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        if HIDDEN_CELL in tags:
            continue
        if cell.cell_type == "markdown":
            body.append(markdown.render(cell.source))
        elif cell.cell_type == "code":
            if HIDDEN_INPUT not in tags and cell.source.strip():
                body.append(f"<pre><code>{html.escape(cell.source)}</code></pre>")
            body.extend(_output(output, markdown) for output in cell.get("outputs", []))
    css = (STATIC / "sotebook.css").read_text(encoding="utf-8")
    return ("<!DOCTYPE html>\n"
            f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{_FRAME_CSS}\n{css}</style>\n</head>\n"
            f"<body>\n<main>\n{''.join(body)}\n</main>\n</body>\n</html>\n")


def _output(output, markdown: MarkdownIt) -> str:
    """What the book shows of one output: its HTML, markdown, image or text, in that order of preference."""
    if output.get("output_type") == "stream":
        return ""  # a printout is the kernel's, not the page's (the book's notebooks print nothing)
    if output.get("output_type") == "error":
        return f"<pre>{html.escape(output.get('ename', ''))}: {html.escape(output.get('evalue', ''))}</pre>"
    data = output.get("data", {})
    if "text/html" in data:
        return _text(data["text/html"])
    if "text/markdown" in data:
        return markdown.render(_text(data["text/markdown"]))
    if "image/svg+xml" in data:
        return _text(data["image/svg+xml"])
    if "image/png" in data:
        return f'<img src="data:image/png;base64,{_text(data["image/png"]).strip()}" alt="">'
    if "text/plain" in data:
        return f"<pre>{html.escape(_text(data['text/plain']))}</pre>"
    return ""


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else value

"""What a page of the site loads: only what it uses, scripts deferred, and no Font Awesome.

A Sphinx extension (listed in `_config.yml`). The theme (pydata-sphinx-theme under sphinx-book-theme) ships
Font Awesome as a 1.5 MB script that swaps `<i class="fa-...">` for SVG at run time, and its CSS with a web
font; a reader on a phone downloads about 700 KB gzipped of it for the nine icons the book shows. Here:

- The theme's icons are inline SVG: `icon("bars")` in the templates of book/_templates/ (the sidebar
  toggles, search, back to top, previous/next), and CSS masks for the few the theme draws from its stylesheet
  (a download link's arrow, an admonition's sign, "hide search matches"). The paths are Font Awesome Free
  6.5.2's solid icons (CC BY 4.0, https://fontawesome.com/license/free; credited in README.md).
- Font Awesome's rules, variables and @font-face go from the theme's stylesheet (`trim_font_awesome`), and its
  script and fonts from the site, so nothing can load them.
- A table's column names, which a phone shows beside each cell, stand once per table in the head instead
  of in every cell (`compact_labels`): they were a quarter of the longest pages' HTML.
- Each page keeps only the stylesheets its body uses (Pygments' only with highlighted code, myst-nb's only
  with notebook cells), and every script is deferred: page-level inline snippets become module scripts,
  which run after the deferred files they read, in document order. The search scripts and index load on
  the search page only (book/_templates/layout.html and search.html).
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from markupsafe import Markup

# Font Awesome Free 6.5.2, solid style: name -> (width, height, SVG path). CC BY 4.0.
ICONS = {
    "angle-left": (320, 512, "M41.4 233.4c-12.5 12.5-12.5 32.8 0 45.3l160 160c12.5 12.5 32.8 12.5 45.3 0s12.5-32.8 0-45.3L109.3 256 246.6 118.6c12.5-12.5 12.5-32.8 0-45.3s-32.8-12.5-45.3 0l-160 160z"),
    "angle-right": (320, 512, "M278.6 233.4c12.5 12.5 12.5 32.8 0 45.3l-160 160c-12.5 12.5-32.8 12.5-45.3 0s-12.5-32.8 0-45.3L210.7 256 73.4 118.6c-12.5-12.5-12.5-32.8 0-45.3s32.8-12.5 45.3 0l160 160z"),
    "arrow-up": (384, 512, "M214.6 41.4c-12.5-12.5-32.8-12.5-45.3 0l-160 160c-12.5 12.5-12.5 32.8 0 45.3s32.8 12.5 45.3 0L160 141.2V448c0 17.7 14.3 32 32 32s32-14.3 32-32V141.2L329.4 246.6c12.5 12.5 32.8 12.5 45.3 0s12.5-32.8 0-45.3l-160-160z"),
    "arrow-up-right-from-square": (512, 512, "M320 0c-17.7 0-32 14.3-32 32s14.3 32 32 32h82.7L201.4 265.4c-12.5 12.5-12.5 32.8 0 45.3s32.8 12.5 45.3 0L448 109.3V192c0 17.7 14.3 32 32 32s32-14.3 32-32V32c0-17.7-14.3-32-32-32H320zM80 32C35.8 32 0 67.8 0 112V432c0 44.2 35.8 80 80 80H400c44.2 0 80-35.8 80-80V320c0-17.7-14.3-32-32-32s-32 14.3-32 32V432c0 8.8-7.2 16-16 16H80c-8.8 0-16-7.2-16-16V112c0-8.8 7.2-16 16-16H192c17.7 0 32-14.3 32-32s-14.3-32-32-32H80z"),
    "bars": (448, 512, "M0 96C0 78.3 14.3 64 32 64H416c17.7 0 32 14.3 32 32s-14.3 32-32 32H32C14.3 128 0 113.7 0 96zM0 256c0-17.7 14.3-32 32-32H416c17.7 0 32 14.3 32 32s-14.3 32-32 32H32c-17.7 0-32-14.3-32-32zM448 416c0 17.7-14.3 32-32 32H32c-17.7 0-32-14.3-32-32s14.3-32 32-32H416c17.7 0 32 14.3 32 32z"),
    "chevron-down": (512, 512, "M233.4 406.6c12.5 12.5 32.8 12.5 45.3 0l192-192c12.5-12.5 12.5-32.8 0-45.3s-32.8-12.5-45.3 0L256 338.7 86.6 169.4c-12.5-12.5-32.8-12.5-45.3 0s-12.5 32.8 0 45.3l192 192z"),
    "circle-exclamation": (512, 512, "M256 512A256 256 0 1 0 256 0a256 256 0 1 0 0 512zm0-384c13.3 0 24 10.7 24 24V264c0 13.3-10.7 24-24 24s-24-10.7-24-24V152c0-13.3 10.7-24 24-24zM224 352a32 32 0 1 1 64 0 32 32 0 1 1 -64 0z"),
    "circle-info": (512, 512, "M256 512A256 256 0 1 0 256 0a256 256 0 1 0 0 512zM216 336h24V272H216c-13.3 0-24-10.7-24-24s10.7-24 24-24h48c13.3 0 24 10.7 24 24v88h8c13.3 0 24 10.7 24 24s-10.7 24-24 24H216c-13.3 0-24-10.7-24-24s10.7-24 24-24zm40-208a32 32 0 1 1 0 64 32 32 0 1 1 0-64z"),
    "download": (512, 512, "M288 32c0-17.7-14.3-32-32-32s-32 14.3-32 32V274.7l-73.4-73.4c-12.5-12.5-32.8-12.5-45.3 0s-12.5 32.8 0 45.3l128 128c12.5 12.5 32.8 12.5 45.3 0l128-128c12.5-12.5 12.5-32.8 0-45.3s-32.8-12.5-45.3 0L288 274.7V32zM64 352c-35.3 0-64 28.7-64 64v32c0 35.3 28.7 64 64 64H448c35.3 0 64-28.7 64-64V416c0-35.3-28.7-64-64-64H346.5l-45.3 45.3c-25 25-65.5 25-90.5 0L165.5 352H64zm368 56a24 24 0 1 1 0 48 24 24 0 1 1 0-48z"),
    "list": (512, 512, "M40 48C26.7 48 16 58.7 16 72v48c0 13.3 10.7 24 24 24H88c13.3 0 24-10.7 24-24V72c0-13.3-10.7-24-24-24H40zM192 64c-17.7 0-32 14.3-32 32s14.3 32 32 32H480c17.7 0 32-14.3 32-32s-14.3-32-32-32H192zm0 160c-17.7 0-32 14.3-32 32s14.3 32 32 32H480c17.7 0 32-14.3 32-32s-14.3-32-32-32H192zm0 160c-17.7 0-32 14.3-32 32s14.3 32 32 32H480c17.7 0 32-14.3 32-32s-14.3-32-32-32H192zM16 232v48c0 13.3 10.7 24 24 24H88c13.3 0 24-10.7 24-24V232c0-13.3-10.7-24-24-24H40c-13.3 0-24 10.7-24 24zM40 368c-13.3 0-24 10.7-24 24v48c0 13.3 10.7 24 24 24H88c13.3 0 24-10.7 24-24V392c0-13.3-10.7-24-24-24H40z"),
    "magnifying-glass": (512, 512, "M416 208c0 45.9-14.9 88.3-40 122.7L502.6 457.4c12.5 12.5 12.5 32.8 0 45.3s-32.8 12.5-45.3 0L330.7 376c-34.4 25.2-76.8 40-122.7 40C93.1 416 0 322.9 0 208S93.1 0 208 0S416 93.1 416 208zM208 352a144 144 0 1 0 0-288 144 144 0 1 0 0 288z"),
    "magnifying-glass-minus": (512, 512, "M416 208c0 45.9-14.9 88.3-40 122.7L502.6 457.4c12.5 12.5 12.5 32.8 0 45.3s-32.8 12.5-45.3 0L330.7 376c-34.4 25.2-76.8 40-122.7 40C93.1 416 0 322.9 0 208S93.1 0 208 0S416 93.1 416 208zM136 184c-13.3 0-24 10.7-24 24s10.7 24 24 24H280c13.3 0 24-10.7 24-24s-10.7-24-24-24H136z"),
}

# The theme's stylesheet rules that draw an icon from the Font Awesome font (`font: var(--fa-font-solid)` and
# a `content` code point), and the icon each gets instead.
CSS_ICONS = {
    "a.reference.download:before": "download",
    ".admonition>.admonition-title:after, div.admonition>.admonition-title:after": "circle-info",
    ".admonition:is(.attention, .caution, .warning, .danger, .error)>.admonition-title:after": "circle-exclamation",
    "div#searchbox p.highlight-link a:before": "magnifying-glass-minus",
    ".nav-link.nav-external:after, nav.bd-links li>a.reference.external:after": "arrow-up-right-from-square",
    "ul.bd-breadcrumbs li.breadcrumb-item:not(.breadcrumb-home):before": "angle-right",
    "span.versionmodified:before": "circle-info",
    # sphinx-book-theme's own stylesheet: the collapsed secondary sidebar's "Contents" arrow.
    ".bd-sidebar-secondary.hide:not(:hover) .onthispage:after": "chevron-down",
}
THEME_CSS = Path("_static") / "styles" / "pydata-sphinx-theme.css"
FONT_AWESOME_FILES = [Path("_static") / "scripts" / f"fontawesome.js{suffix}" for suffix in ("", ".map", ".LICENSE.txt")]
FONT_AWESOME_DIR = Path("_static") / "vendor" / "fontawesome"
# The theme's Jinja macros for its own head, copied among the static files: no page loads them.
THEME_MACROS = [Path("_static") / "webpack-macros.html", Path("_static") / "sbt-webpack-macros.html"]
# A stylesheet a page needs only when its body has this markup.
CSS_NEEDS = {"pygments.css": 'class="highlight', "mystnb.": 'class="cell'}


def icon(name: str) -> Markup:
    """Font Awesome's icon `name` as inline SVG, hidden from assistive technology: the control it sits in
    carries the name (a title, aria-label or text)."""
    width, height, path = ICONS[name]
    return Markup(f'<svg class="sotebook-icon sotebook-icon--{name}" aria-hidden="true" focusable="false" '
                  f'viewBox="0 0 {width} {height}"><path fill="currentColor" d="{path}"/></svg>')


def icon_url(name: str) -> str:
    """An icon as a CSS url() of an SVG data URI (for a mask)."""
    width, height, path = ICONS[name]
    svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'><path d='{path}'/></svg>"
    return 'url("data:image/svg+xml,' + svg.replace("%", "%25").replace("#", "%23").replace('"', "'") + '")'


def icon_css() -> str:
    """The rules that replace the theme's Font Awesome pseudo-element icons with SVG masks."""
    selectors = ", ".join(CSS_ICONS)
    rules = [f"{selectors}{{content:\"\"!important;font:inherit;display:inline-block;width:1em;height:1em;"
             "vertical-align:-.125em;background-color:currentColor;"
             "-webkit-mask:var(--sotebook-icon) center/contain no-repeat;mask:var(--sotebook-icon) center/contain no-repeat}"]
    rules += [f"{selector}{{--sotebook-icon:{icon_url(name)}}}" for selector, name in CSS_ICONS.items()]
    return "\n".join(rules) + "\n"


# --- The theme's stylesheet without Font Awesome

def css_blocks(css: str) -> list[tuple[str, str | None]]:
    """A stylesheet's top-level items in order: (prelude, body) for a rule or at-rule with a block, (text, None)
    for a comment, an at-rule statement (@import ...;) or whitespace. Strings and comments are respected."""
    items, i, n = [], 0, len(css)
    while i < n:
        if css.startswith("/*", i):
            end = css.find("*/", i + 2)
            end = n if end < 0 else end + 2
            items.append((css[i:end], None))
            i = end
            continue
        if css[i].isspace():
            j = i
            while j < n and css[j].isspace():
                j += 1
            items.append((css[i:j], None))
            i = j
            continue
        j, depth, start_body, quote = i, 0, -1, ""
        while j < n:
            c = css[j]
            if quote:
                if c == "\\":
                    j += 1
                elif c == quote:
                    quote = ""
            elif c in "\"'":
                quote = c
            elif css.startswith("/*", j):
                j = css.find("*/", j + 2) + 1 or n
            elif c == "{":
                if depth == 0:
                    start_body = j
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    break
            elif c == ";" and depth == 0:
                break
            j += 1
        if start_body < 0:
            items.append((css[i:j + 1], None))
        else:
            items.append((css[i:start_body], css[start_body + 1:j]))
        i = j + 1
    return items


_FA_SELECTOR = re.compile(r"(?:\.(?:fa|fa[bsr]|fa-[\w-]+))+(?::{1,2}(?:before|after))?")


def _is_font_awesome(prelude: str, body: str | None) -> bool:
    head = prelude.strip()
    if body is None:
        return head.startswith("/*") and "Font Awesome" in head
    if head.startswith("@font-face"):
        return "Font Awesome" in body
    if head.startswith("@keyframes"):
        return head.split()[1].startswith("fa-")
    if head.startswith(("@media", "@supports")):
        return False
    declarations = [d.strip() for d in body.split(";") if d.strip()]
    if declarations and all(d.startswith("--fa-") for d in declarations):
        return True
    selectors = [s.strip() for s in head.split(",")]
    return all(_FA_SELECTOR.fullmatch(s) or re.fullmatch(r"\.fa-[\w-]+(?:\s*>\s*|\s+)[\w.*:-]+", s) for s in selectors)


def trim_font_awesome(css: str) -> str:
    """The stylesheet without Font Awesome: its comments, @font-face, keyframes, variables and every rule
    whose selectors are all Font Awesome classes, also inside @media blocks (emptied blocks go too)."""
    out = []
    for prelude, body in css_blocks(css):
        if _is_font_awesome(prelude, body):
            continue
        if body is None:
            out.append(prelude)
        elif prelude.lstrip().startswith(("@media", "@supports")):
            inner = trim_font_awesome(body)
            if inner.strip():
                out.append(f"{prelude}{{{inner}}}")
        else:
            out.append(f"{prelude}{{{body}}}")
    return "".join(out)


def _write_theme_css(outdir: Path) -> None:
    """The theme's stylesheet in the site without Font Awesome and with the icons' masks (written once,
    before the first page, so the pages' ?v= checksum is the new file's)."""
    path = outdir / THEME_CSS
    css = path.read_text(encoding="utf-8")
    marker = "/* sotebook: the theme's icons as SVG masks (sotebook/site/assets.py) */"
    if marker not in css:
        path.write_text(trim_font_awesome(css).rstrip() + "\n" + marker + "\n" + icon_css(), encoding="utf-8")


# --- Each page's assets

def page_css(css_files: list, body: str) -> list:
    """The stylesheets a page needs: the theme's (basic.css linked directly, not through theme.css's
    @import, which the browser would only find after fetching theme.css) and ours; Pygments' and myst-nb's
    only when the body has their markup."""
    from sphinx.builders.html._assets import _CascadingStyleSheet

    kept = [_CascadingStyleSheet("_static/basic.css", priority=0, rel="stylesheet", type="text/css"),
            _CascadingStyleSheet("_static/styles/pydata-sphinx-theme.css", priority=0, rel="stylesheet", type="text/css")]
    for css in css_files:
        name = Path(str(css.filename)).name
        needs = next((markup for prefix, markup in CSS_NEEDS.items() if name.startswith(prefix)), None)
        if needs is None or needs in body:
            kept.append(css)
    return kept


def page_scripts(script_files: list) -> list:
    """Every script deferred: files get `defer`, inline snippets become module scripts (deferred by nature,
    run in document order after the files before them). An inline snippet that declares a global (`let x`)
    would lose it in a module: that is an error to fix, not to work around."""
    from sphinx.builders.html._assets import _JavaScript

    deferred = []
    for js in script_files:
        attributes = dict(js.attributes)
        if js.filename:
            attributes.pop("async", None)
            attributes["defer"] = "defer"
        else:
            body = attributes.get("body", "")
            if re.match(r"\s*(?:let|const|var|function)\s", body):
                raise ValueError(f"an inline script declares a global and cannot be deferred: {body[:80]!r}")
            attributes["type"] = "module"
        deferred.append(_JavaScript(js.filename, priority=js.priority, **attributes))
    return _translations_first(deferred)


def _translations_first(scripts: list) -> list:
    """The edition's translations (translations.js) before the scripts that show words: sphinx_highlight.js
    writes its "Hide Search Matches" as soon as it runs, which with deferred scripts is before a later
    translations.js has filled the catalog, so a Finnish page said it in English after a search."""
    from sphinx.builders.html._assets import _JavaScript

    names = [Path(str(js.filename or "")).name for js in scripts]
    if "translations.js" in names and "sphinx_highlight.js" in names:
        translations = scripts.pop(names.index("translations.js"))
        names.remove("translations.js")
        highlight = scripts[names.index("sphinx_highlight.js")]
        # Sphinx sorts the page's scripts by priority after this (stably): take the highlighter's.
        moved = _JavaScript(translations.filename, priority=highlight.priority, **translations.attributes)
        scripts.insert(names.index("sphinx_highlight.js"), moved)
    return scripts


# --- Tables' column names, once per table

_TABLE = re.compile(r"<table(?P<attrs>[^>]*)>(?P<inner>.*?)</table>", re.S)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<(th|td)\b([^>]*)>")
_LABEL = re.compile(r'\sdata-label="([^"]*)"')


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'


def compact_labels(body: str) -> tuple[str, str]:
    """A table's column names once, not in every cell: on a phone each cell shows its column's name
    (`data-label`, which the book's table writers give every body cell; sotebook.css draws it), and in a long
    table those repeated names were a quarter of the page. For each table whose every body row labels the
    same columns, the attributes go and one CSS rule per column sets `--sotebook-label`, which sotebook.css
    draws the same way; any other table is left as it is. Returns the body and the rules (for the head)."""
    rules: list[str] = []

    def compact(match: re.Match) -> str:
        inner = match.group("inner")
        labels: dict[int, str] | None = None
        for row in _ROW.finditer(inner):
            cells = _CELL.findall(row.group(1))
            if not any(tag == "td" for tag, _ in cells):
                continue
            found = {i: m.group(1) for i, (tag, attrs) in enumerate(cells, 1) if (m := _LABEL.search(attrs))}
            if any(cells[i - 1][0] != "td" for i in found) or (labels is not None and found != labels):
                return match.group(0)
            labels = found
        if not labels or "<table" in inner:
            return match.group(0)
        name = f"sotebook-table-{len(rules) + 1}"
        rules.append(" ".join(f"#{name} td:nth-child({i}){{--sotebook-label:{_css_string(html.unescape(label) + ': ')}}}"
                              for i, label in sorted(labels.items())))
        attrs = re.sub(r'\sid="[^"]*"', "", match.group("attrs"))
        cells = _CELL.sub(lambda c: "<" + c.group(1) + _LABEL.sub("", c.group(2)) + ">", inner)
        return f'<table id="{name}"{attrs}>{cells}</table>'

    body = _TABLE.sub(compact, body)
    return body, "\n".join(rules)


def _page_context(app, pagename, templatename, context, doctree) -> None:
    if app.builder.format != "html":
        return
    if not getattr(app, "_sotebook_theme_css", False):
        _write_theme_css(Path(app.outdir))
        app._sotebook_theme_css = True
    body, label_css = compact_labels(context.get("body", ""))
    context["body"] = body
    if label_css:
        context["metatags"] = context.get("metatags", "") + f"\n<style>\n{label_css}\n</style>"
    context["css_files"] = page_css(context.get("css_files", []), body)
    context["script_files"] = page_scripts(context.get("script_files", []))


def _add_icon_function(app) -> None:
    """`sotebook_icon(name)` in every template, also those the theme renders before the page's context
    is complete (its sidebars and header items)."""
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.globals["sotebook_icon"] = icon


def _remove_font_awesome(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for path in FONT_AWESOME_FILES + THEME_MACROS:
        path = outdir / path
        if path.exists():
            path.unlink()
    import shutil

    shutil.rmtree(outdir / FONT_AWESOME_DIR, ignore_errors=True)
    if (outdir / FONT_AWESOME_DIR.parent).is_dir() and not any((outdir / FONT_AWESOME_DIR.parent).iterdir()):
        (outdir / FONT_AWESOME_DIR.parent).rmdir()


def setup(app):
    """Sphinx extension: each page's assets trimmed and deferred, the theme's icons as SVG."""
    # After the theme and the other extensions have added their files to the page.
    app.connect("builder-inited", _add_icon_function)
    app.connect("html-page-context", _page_context, priority=900)
    app.connect("build-finished", _remove_font_awesome)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

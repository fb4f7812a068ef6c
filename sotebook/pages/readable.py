"""An executed page that reads as itself without the site build: the text of its markdown cells filled in.

The book's markdown says `{{ title }}` (a MyST substitution, from the edition's words, which the stored
notebook carries in its metadata: sotebook/pages/notebook.py) and `{glue:text}`name`` (a value a code cell
glued); Jupyter Book fills both in, JupyterLab and VS Code do not. `make chapter` (sotebook/site/chapter.py)
writes its notebook through `make_readable`, so an analyst reads the chapter's headings and sentences there.
"""
from __future__ import annotations

import ast
import os
import re
from pathlib import Path

from sotebook.pages.words import WordsError

# ```{glue:md} name  (or {glue}, {glue:any}, {glue:text}), its options, then the closing fence
_GLUE_DIRECTIVE = re.compile(r"^```\{glue(?::(?P<kind>\w*))?\}[ \t]+(?P<name>\S+)[ \t]*\n(?::[^\n]*\n)*```[ \t]*$", re.M)
_GLUE_ROLE = re.compile(r"\{glue(?::(?P<kind>\w*))?\}`(?P<name>[^`:]+)(?::(?P<spec>[^`]*))?`")
_SUBSTITUTION = re.compile(r"\{\{\s*(?P<name>[A-Za-z_]\w*)\s*\}\}")
_DOWNLOAD = re.compile(r"\{download\}`(?P<text>[^`<]*?)\s*<(?P<target>[^`>]+)>`")
# A link to another page of the book: {doc}`text <page>`, {doc}`page` or [text](page).
_DOC = re.compile(r"\{doc\}`(?:(?P<text>[^`<]*?)\s*<(?P<target>[^`>]+)>|(?P<bare>[^`<>]+))`")
_PAGE_LINK = re.compile(r"\]\((?P<target>[A-Za-z0-9_-]+)\)")
# Characters that would turn glued plain text into markup (glue:text shows the text as it is).
_MARKUP = re.compile(r"([\\`*_\[\]<>])")
RECORD = "application/papermill.record/"
HIDDEN = {"remove-cell", "remove-input"}


def glued_values(nb) -> dict[str, dict[str, object]]:
    """Every value the notebook glued: name -> {'text': the plain value, 'markdown': its markdown, if any}."""
    values = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name is None:
                continue
            data = output.get("data", {})
            value = {}
            if f"{RECORD}text/plain" in data:
                try:
                    value["text"] = ast.literal_eval(data[f"{RECORD}text/plain"])
                except (ValueError, SyntaxError):
                    value["text"] = data[f"{RECORD}text/plain"]
            if f"{RECORD}text/markdown" in data:
                value["markdown"] = data[f"{RECORD}text/markdown"]
            values[name] = value
    return values


def make_readable(nb, links_from: Path, links_to: Path, pages: Path) -> None:
    """Fill in every markdown cell's substitutions and glued values, in place; hide the code a page's reader
    does not see (the cells tagged remove-input or remove-cell, as the book hides them); drop the glue
    records, which are in the text now. The notebook is written to `links_to`: a `{download}` role becomes a
    link to its file (its target is relative to `links_from`, book/), a link to another page of the book a
    link to that page in `pages` (the built site's folder of this edition). An unknown name is an error: the
    notebook would show `{{ name }}`."""
    substitutions = nb.metadata.get("myst", {}).get("substitutions", {})
    values = glued_values(nb)
    where = nb.metadata.get("sotebook", {}).get("template", "the notebook")

    def page(target: str) -> str:
        return _moved(f"{target}.html", pages, links_to)

    for cell in nb.cells:
        if cell.cell_type == "markdown":
            source = fill(cell.source, substitutions, values, where)
            source = _DOWNLOAD.sub(lambda m: f"[{m['text']}]({_moved(m['target'], links_from, links_to)})", source)
            source = _DOC.sub(lambda m: f"[{m['text'] or m['bare']}]({page(m['target'] or m['bare'])})", source)
            cell.source = _PAGE_LINK.sub(lambda m: f"]({page(m['target'])})", source)
        elif cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if not _is_record(o)]
            if HIDDEN & set(cell.metadata.get("tags", [])):
                cell.metadata.setdefault("jupyter", {})["source_hidden"] = True


def fill(source: str, substitutions: dict[str, str], values: dict[str, dict], where: str = "the notebook") -> str:
    """One markdown cell's text with its glue directives, glue roles and substitutions filled in."""
    def directive(match):
        return _markdown(_value(values, match["name"], where), match["kind"])

    def role(match):
        return _markdown(_value(values, match["name"], where), match["kind"], match["spec"])

    def substitution(match):
        if match["name"] not in substitutions:
            raise WordsError(f"{where}: {{{{ {match['name']} }}}} has no text in this edition "
                             f"(it has {', '.join(sorted(substitutions)) or 'none'})")
        return substitutions[match["name"]]

    source = _GLUE_DIRECTIVE.sub(directive, source)
    source = _GLUE_ROLE.sub(role, source)
    return _SUBSTITUTION.sub(substitution, source)


def _value(values: dict, name: str, where: str) -> dict:
    if name not in values:
        raise WordsError(f"{where}: nothing was glued as {name!r} (glued: {', '.join(sorted(values)) or 'none'})")
    return values[name]


def _markdown(value: dict, kind: str | None, spec: str | None = None) -> str:
    if kind == "md" and "markdown" in value:
        return value["markdown"].strip()
    text = value.get("text", "")
    if spec and isinstance(text, (int, float)):
        text = format(text, spec)
    return _MARKUP.sub(r"\\\1", str(text))


def _is_record(output) -> bool:
    return any(key.startswith(RECORD) for key in output.get("data", {}))


def _moved(target: str, links_from: Path, links_to: Path) -> str:
    if "://" in target or target.startswith("/"):
        return target
    return Path(os.path.relpath(links_from / target, links_to)).as_posix()

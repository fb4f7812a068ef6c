"""The HTML a page's code gives its notebook: escaped prose, tables that read on a phone, and text in another
language marked with its `lang`. Every character of the data's labels and reasons is escaped: they can hold
any text, so they never become markup."""
from __future__ import annotations

import html
import re

import pandas as pd

from sotebook.pages.words import Words


class HTMLBlock:
    """Escaped, deterministic HTML for a notebook output."""

    def __init__(self, markup: str):
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"HTMLBlock({len(self.markup)} characters)"


class Raw(str):
    """A table cell that is already HTML (a number that opens its note): `table` puts it in as it is."""


def _cell(value) -> str:
    return value if isinstance(value, Raw) else html.escape(str(value))


def prose(text_: str) -> HTMLBlock:
    """Sentences as HTML paragraphs, every character escaped: blank lines part paragraphs and lines that
    start with '- ' are a list. The data's labels and reasons can hold any text, so they never become markup."""
    blocks = []
    for paragraph in (p for p in text_.split("\n\n") if p.strip()):
        lines = paragraph.split("\n")
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_escaped(line[2:])}</li>" for line in lines)
            blocks.append(f'<ul class="sotebook-prose">{items}</ul>')
        else:
            blocks.append(f'<p class="sotebook-prose">{_escaped(" ".join(lines))}</p>')
    return HTMLBlock("\n".join(blocks))


def _escaped(text_: str) -> str:
    """Escaped text, with the parts `foreign` marked as spans in their language."""
    return _FOREIGN.sub(lambda m: f'<span lang="{m.group(1)}">{m.group(2)}</span>', html.escape(text_))


def plain(text_: str) -> str:
    """Text with the `foreign` marks removed (for places that cannot mark a language)."""
    return _FOREIGN.sub(lambda m: m.group(2), text_)


def table(words: Words, frame: pd.DataFrame, caption: str, numeric: tuple[str, ...] = (),
          langs: dict[str, list[str]] | None = None) -> HTMLBlock:
    """A readable table: escaped cells, a caption, numeric columns right-aligned, no sideways scroll
    on a phone (the stylesheet stacks the cells of a row). `langs` gives, per column, each cell's
    language where it may differ from the page's (a source's title as printed), for `lang`."""
    langs = langs or {}
    head = "".join(f'<th scope="col"{_num(c, numeric)}>{html.escape(str(c))}</th>' for c in frame.columns)
    body = "\n".join(
        "<tr>" + "".join((f'<th scope="row"{_lang(words, langs, c, n)}>{html.escape(str(v))}</th>' if i == 0 else
                          f'<td data-label="{html.escape(str(c))}"{_num(c, numeric)}{_lang(words, langs, c, n)}>'
                          f'{_cell(v)}</td>')
                         for i, (c, v) in enumerate(zip(frame.columns, row))) + "</tr>"
        for n, row in enumerate(frame.itertuples(index=False)))
    return HTMLBlock(f'<div class="sotebook-table">\n<table class="sotebook-table__table">\n'
                     f"<caption>{html.escape(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n"
                     f"<tbody>\n{body}\n</tbody>\n</table>\n</div>")


def _lang(words: Words, langs: dict[str, list[str]], column, row: int) -> str:
    """` lang="en"` on a cell whose text is in another language than the page's."""
    lang = langs.get(column, [None] * (row + 1))[row]
    return f' lang="{lang}"' if lang and lang != words.language() else ""


def foreign(words: Words, text_: str, lang: str) -> str:
    """Text in another language inside a sentence, marked for `prose`, which gives it its `lang`."""
    return text_ if lang == words.language() else f"\ue000{lang}\ue001{text_}\ue002"


_FOREIGN = re.compile("\ue000(\\w+)\ue001(.*?)\ue002")


def _num(column, numeric) -> str:
    return ' class="sotebook-num"' if column in numeric else ""

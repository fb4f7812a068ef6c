"""The index page (genindex) of each edition sorted and grouped by the edition's alphabet.

A Sphinx extension (listed in `_config.yml`). Sphinx sorts the index by code point with accents stripped and
groups it by the first letter so stripped, so the Swedish index put "Hälsostation" before "Helsingfors sjukhus"
and "Kårkulla" before "Klientavgift", and had no Å, Ä or Ö. Here the entries Sphinx made are sorted again
with the language's collation and grouped under its letters (sotebook/pages/collation.py); entries that start
with no letter keep the group Sphinx gave them (its "Symbols").
"""
from __future__ import annotations

from sotebook.pages.collation import index_letter, sort_key


def collated(lang: str, genindex: list) -> list:
    """Sphinx's `genindexentries` ([(letter, [(name, [links, subitems, key]), ...]), ...]) in the language's order."""
    collate = sort_key(lang)
    groups: dict[str, list] = {}
    symbols = []
    for letter, entries in genindex:
        for name, (links, subitems, category) in entries:
            entry = (name, [links, sorted(subitems, key=lambda s: collate(s[0])), category])
            target = index_letter(lang, name)
            if target is None:
                symbols.append((letter, entry))
                continue
            groups.setdefault(target, []).append(entry)
    letters = sorted(groups, key=collate)
    result = []
    for letter, entry in symbols:  # Sphinx's own group for symbols stays first, as Sphinx puts it
        if not result or result[-1][0] != letter:
            result.append((letter, []))
        result[-1][1].append(entry)
    for group in result:
        group[1].sort(key=lambda e: collate(e[0]))
    result += [(letter, sorted(groups[letter], key=lambda e: collate(e[0]))) for letter in letters]
    return result


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    if pagename != "genindex" or "genindexentries" not in context:
        return
    entries = collated(app.config.language or "en", context["genindexentries"])
    context["genindexentries"] = entries
    context["genindexcounts"] = [sum(1 + len(subitems) for _, (_, subitems, _) in group) for _, group in entries]


def setup(app):
    app.connect("html-page-context", _on_page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

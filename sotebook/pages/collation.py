"""Sorting by each edition's alphabet, with ICU's collation for the edition's locale (PyICU).

Python's `sorted` and Sphinx's index sort by code point, after stripping accents: Swedish "Hälso…" then
came before "Helsingfors…" and "Kårkulla" before "Klientavgift". Finnish and Swedish put å, ä and ö after
z, as letters of their own; English sorts them with a and o. `sort_key` gives the key for `sorted`, and
`index_letter` the letter an index groups a word under ("Åbo" under Å in Swedish, under A in English).
"""
from __future__ import annotations

from functools import lru_cache

from sotebook.pages.numbers import LOCALES


@lru_cache(maxsize=None)
def _collator(lang: str):
    import icu

    return icu.Collator.createInstance(icu.Locale(LOCALES.get(lang, lang)))


@lru_cache(maxsize=None)
def _index(lang: str):
    import icu

    return icu.AlphabeticIndex(icu.Locale(LOCALES.get(lang, lang))).buildImmutableIndex()


def sort_key(lang: str):
    """The key that sorts text in the language's order: `sorted(names, key=sort_key("sv"))`."""
    collator = _collator(lang)
    return lambda text: collator.getSortKey(str(text))


def sorted_in(lang: str, items, key=None) -> list:
    """`items` in the language's alphabetical order; `key` picks the text of an item."""
    collate = sort_key(lang)
    return sorted(items, key=(lambda item: collate(key(item))) if key else collate)


def index_letter(lang: str, text: str) -> str | None:
    """The letter an index of the language files `text` under ('Å' for 'Åbo' in Swedish); None for a text
    that starts with no letter of the alphabet (a digit, a symbol)."""
    index = _index(lang)
    label, kind = index.getBucket(index.getBucketIndex(str(text)))
    return label if kind == 0 else None

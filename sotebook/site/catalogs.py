"""The JavaScript catalog of an edition's search page, from the theme's words in locales/<lang>/LC_MESSAGES/.

Sphinx gives the search page's script its words (the status lines "Searching", "Preparing search...",
"Search finished, found ${resultCount} page(s)...", "Search Results") from `_static/translations.js`, which it
copies from a `sphinx.js` catalog: the first found under the project's locale_dirs, else its own. Its own Finnish
and Swedish catalogs leave the status lines empty (the page showed no status) and hold words the book does not
use ("Etsinnän tulos"). Here the edition's sphinx.js is Sphinx's own catalog with every message that
locales/<lang>/LC_MESSAGES/sphinx.po translates taken from there, so the HTML and the script say the same.
"""
from __future__ import annotations

import json
from pathlib import Path

from babel.messages.pofile import read_po

_PREFIX, _SUFFIX = "Documentation.addTranslations(", ");"


def sphinx_catalog(lang: str) -> dict:
    """Sphinx's own JavaScript catalog for `lang` ({"locale", "messages", "plural_expr"}); empty if it has none."""
    from sphinx import package_dir

    path = Path(package_dir) / "locale" / lang / "LC_MESSAGES" / "sphinx.js"
    if not path.is_file():
        return {"locale": lang, "messages": {}, "plural_expr": "(n != 1)"}
    text = path.read_text(encoding="utf-8").strip()
    return json.loads(text[len(_PREFIX):-len(_SUFFIX)])


def javascript_catalog(po: Path, lang: str) -> str:
    """sphinx.js for `lang`: Sphinx's catalog with the messages `po` translates replaced (the same bytes for
    the same inputs)."""
    catalog = sphinx_catalog(lang)
    with po.open("rb") as file:
        ours = {m.id: m.string for m in read_po(file, locale=lang) if m.id and isinstance(m.id, str) and m.string}
    catalog["messages"] = {msgid: ours.get(msgid, text) for msgid, text in catalog["messages"].items()}
    return _PREFIX + json.dumps(catalog, ensure_ascii=False, indent=4, sort_keys=True) + _SUFFIX + "\n"


def write_javascript_catalogs(locales: Path) -> None:
    """Beside each locales/<lang>/LC_MESSAGES/sphinx.po, its sphinx.js (in a staged edition's copy)."""
    for po in sorted(locales.glob("*/LC_MESSAGES/sphinx.po")):
        lang = po.parent.parent.name
        (po.parent / "sphinx.js").write_text(javascript_catalog(po, lang), encoding="utf-8")

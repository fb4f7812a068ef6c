"""The theme's own words (locales/<lang>/LC_MESSAGES/*.po): checked before a build, and given to the search
page's script.

Checked: Sphinx compiles these gettext catalogs itself and forgives a broken one: a string whose closing
quote is missing loses its last character on every page, a misspelt placeholder prints as it stands. So
every line is read against the PO grammar first (Babel's reader does not notice a missing quote), then
Babel's own checks compare each translation's placeholders with its message's.

Given to the search page: Sphinx gives the search page's script its words (the status lines "Searching",
"Preparing search...", "Search finished, found ${resultCount} page(s)...", "Search Results") from
`_static/translations.js`, which it copies from a `sphinx.js` catalog: the first found under the project's
locale_dirs, else its own. Its own Finnish and Swedish catalogs leave the status lines empty (the page
showed no status) and hold words the book does not use ("Etsinnän tulos"). Here the edition's sphinx.js is
Sphinx's own catalog with every message that locales/<lang>/LC_MESSAGES/sphinx.po translates taken from
there, so the HTML and the script say the same.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from babel.messages.pofile import read_po

from sotebook.pages.spec import BuildError
from sotebook.paths import LOCALES, relative

# A keyword line (msgid "...", msgstr[0] "...") or a continuation line ("..."): one complete C string.
_STRING = r'"(?:[^"\\]|\\[\\"abfnrtv0-7x])*"'
_LINE = re.compile(rf'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{_STRING}\s*$')
_BRACES = re.compile(r"(?<!\{)\{(\w*)\}(?!\})")
_PERCENT = re.compile(r"%\((\w+)\)[a-z]")
_MSGID = re.compile(r'^msgid\s+(".*")\s*$')


def catalog_problems(path: Path) -> list[str]:
    """Every line of a .po file that is not PO syntax, and every translation whose placeholders differ."""
    from babel.messages.pofile import PoFileError, read_po

    where = relative(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [f"{where}: cannot be read as UTF-8 text ({error})"]
    problems, seen = [], {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        msgid = _MSGID.match(stripped)
        if msgid and msgid[1] != '""':
            if msgid[1] in seen:
                problems.append(f"{where} line {number}: value {msgid[1]}: the message is already translated at line "
                                f"{seen[msgid[1]]}; a message stands once")
            seen.setdefault(msgid[1], number)
        if stripped and not stripped.startswith("#") and not _LINE.match(stripped):
            problems.append(f"{where} line {number}: value {stripped!r}: is not a PO line (a keyword and one string "
                            "in double quotes, or a string alone; a quote inside a string is written \\\")")
    if problems:
        return problems
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
    except PoFileError as error:
        return [f"{where} line {getattr(error, 'lineno', '?')}: {error}"]
    for message, errors in catalog.check():
        problems += [f"{where} line {message.lineno}, msgid {message.id!r}: value {message.string!r}: {error}"
                     for error in errors]
    for message in catalog:
        if message.id and message.fuzzy:  # Sphinx leaves a fuzzy entry out: the page says it in English
            problems.append(f"{where} line {message.lineno}, msgid {message.id!r}: the entry is marked fuzzy, so "
                            "Sphinx would not use it: check the translation and remove the '#, fuzzy' line")
        if message.id and isinstance(message.id, str) and isinstance(message.string, str) and message.string:
            if any(c in message.string and c not in message.id for c in "<>&"):  # the templates do not escape it
                problems.append(f"{where} line {message.lineno}, msgid {message.id!r}: value {message.string!r}: "
                                "holds markup (<, > or &) the message does not, which would reach every page as HTML")
            if set(_BRACES.findall(message.id)) != set(_BRACES.findall(message.string)) or \
                    set(_PERCENT.findall(message.id)) != set(_PERCENT.findall(message.string)):
                problems.append(f"{where} line {message.lineno}, msgid {message.id!r}: value {message.string!r}: "
                                f"its placeholders differ from the message's")
    return problems


def check_catalogs(languages: list[str], locales: Path = LOCALES) -> None:
    """Raise BuildError naming every problem of the editions' catalogs, before anything is built."""
    problems = [problem for lang in languages for path in sorted((locales / lang / "LC_MESSAGES").glob("*.po"))
                for problem in catalog_problems(path)]
    if problems:
        raise BuildError(f"{len(problems)} problem(s) in the theme's catalogs (nothing was built):\n  "
                         + "\n  ".join(problems))


# --- the search page's JavaScript catalog ----------------------------------------------------------

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

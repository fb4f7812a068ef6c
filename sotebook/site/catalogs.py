"""The theme's own words (locales/<lang>/LC_MESSAGES/*.po), checked before a build.

Sphinx compiles these gettext catalogs itself and forgives a broken one: a string whose closing quote is
missing loses its last character on every page, a misspelt placeholder prints as it stands. So every line
is read against the PO grammar first (Babel's reader does not notice a missing quote), then Babel's own
checks compare each translation's placeholders with its message's.
"""
from __future__ import annotations

import re
from pathlib import Path

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
        if message.id and isinstance(message.id, str) and isinstance(message.string, str) and message.string:
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

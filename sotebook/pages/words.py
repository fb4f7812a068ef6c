"""The book's words: every heading, sentence template, caption and table header, read from words/<lang>/.

Python never holds a sentence of the book. Code asks an edition's words for a message by its key and
fills its placeholders (`words.say("year.lead.nps", value="69")`, with `words = edition("fi")`);
translators edit the YAML files only. The edition is passed to the code that writes a page, never
held in a module: a page's functions take its `Words` as an argument.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from string import Formatter

import yaml

from sotebook.pages import yaml_maps

from sotebook.errors import ProjectError
from sotebook.paths import ROOT, relative

WORDS = ROOT / "words"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DEFAULT_LANGUAGE = "en"


class WordsError(ProjectError):
    """A message is missing or its placeholders do not match what the code gives."""


# The page messages meant to carry MyST Markdown (a link, an emphasis): every other page message becomes
# a heading or a line of prose as plain text, its markup characters escaped (escape_markup).
MARKUP_MESSAGES = frozenset({
    "page.about_data.parsing_text", "page.about_data.download_intro", "page.trends.intro", "page.year.how_to_read",
})
# The messages that carry HTML tags of their own (the release block on About the data writes them as HTML):
# only these tags, and only there. Any other < or > in a message is refused before a build
# (words_problems), apart from the target of a {doc} role (`Trends <trends>`).
HTML_MESSAGES = frozenset({"about_data.release.version", "about_data.release.check"})
_HTML_TAGS = re.compile(r"</?(?:strong|code)>")
_DOC_ROLE = re.compile(r"\{\{doc\}\}`[^`<>]*(?:<[\w./-]*(?:\{\w+\}[\w./-]*)*>)?`")
# A message YAML cuts at ' #' (a comment), because it is not quoted: 'Invånare #1 i Helsingfors' -> 'Invånare'.
_CUT_BY_COMMENT = re.compile(r"^\s*[\w.-]+:\s+(?![\"'|>&*!{\[#])[^#\n]*?\S\s+#")
# A count's form after a colon in a placeholder ('{sources:elative}', '{count:genitive-plural}').
_FORM = re.compile(r"[a-z]+(?:-[a-z]+)*")
# ASCII characters that start markup in a MyST substitution (HTML, emphasis, links, roles, math, tables).
_MARKUP = re.compile(r"([\\`*_\[\]<>&{}|#!$~^])")


def languages() -> list[str]:
    """The languages the book has words for: one folder each under words/."""
    return sorted(p.name for p in WORDS.iterdir() if p.is_dir() and any(p.glob("*.yml")))


# The edition's termbase (sotebook/site/termbase.py) stands beside its words but holds no message.
TERMBASE_FILE = "terms.yml"


def files(language: str) -> list:
    """A language's message files: one per kind of page (year.yml, home.yml, ...) and common.yml."""
    return sorted(p for p in (WORDS / language).glob("*.yml") if p.name != TERMBASE_FILE)


@lru_cache(maxsize=None)
def catalog(language: str) -> dict[str, str]:
    """Every message of a language, flattened to dotted keys; a key may stand in one file only."""
    return {key: "" if value is None else str(value) for key, value in raw_catalog(language).items()}


@lru_cache(maxsize=None)
def raw_catalog(language: str) -> dict[str, object]:
    """Every message of a language as YAML read it (a string, or what a slip made of it: a list, a number)."""
    messages: dict[str, object] = {}
    where = sources(language)
    for path in files(language):
        for key, message in _flatten(_read(path), ""):
            if key in messages:
                raise WordsError(f"{relative(path)} line {key_lines(path).get(key, '?')}, key {key!r}: "
                                 f"the message is already in {relative(where[key])}; a key stands in one file only")
            messages[key] = message
    return messages


@lru_cache(maxsize=None)
def sources(language: str) -> dict:
    """The file each message of a language stands in: {'page.year.title': Path('.../words/en/year.yml')}."""
    paths = files(language)
    if not paths:
        raise WordsError(f"words/{language}/ has no message files; the book has words for: {', '.join(languages())}")
    where: dict = {}
    for path in paths:
        for key, _ in _flatten(_read(path), ""):
            where.setdefault(key, path)
    return where



@lru_cache(maxsize=None)
def _read(path) -> dict:
    """A words file's messages as a tree; WordsError naming the file and line if it is not a YAML map."""
    try:
        # libyaml's safe loader: the same result as yaml.safe_load, ten times faster (0.8 s to
        # 0.08 s a language), and every notebook reads its language's words.
        text = path.read_text(encoding="utf-8")
        tree = yaml_maps.load(text)
    except yaml_maps.DuplicateKey as error:
        raise WordsError(f"{relative(path)} line {error.problem_mark.line + 1}: {error}: keep one of the two") from None
    except yaml.YAMLError as error:
        line, what, context = yaml_maps.located(error)
        raise WordsError(f"{relative(path)}{line}: is not valid YAML ({what}{f', {context}' if context else ''}): "
                         "quote a message that holds a colon, a # or starts with a quote or a brace") from None
    except UnicodeDecodeError as error:
        line = path.read_bytes()[:error.start].count(b"\n") + 1
        raise WordsError(f"{relative(path)} line {line}: byte {error.object[error.start:error.start + 1]!r} is not UTF-8: "
                         "save the file as UTF-8") from None
    except OSError as error:
        raise WordsError(f"{relative(path)}: cannot be read ({error.strerror})") from None
    for number, line in enumerate(text.splitlines(), 1):
        if _CUT_BY_COMMENT.match(line):
            raise WordsError(f"{relative(path)} line {number}: value {line.strip()!r}: YAML reads what follows ' #' as a "
                             "comment and cuts the message there: put the message in quotes")
    if tree is None:
        return {}
    if not isinstance(tree, dict):
        raise WordsError(f"{relative(path)} line 1: value {_short(tree)!r}: a words file is a map of keys to "
                         f"messages, not a {type(tree).__name__}")
    return tree


@lru_cache(maxsize=None)
def key_lines(path) -> dict[str, int]:
    """The line each dotted key of a words file stands on, for messages that name it."""
    lines: dict[str, int] = {}

    def walk(node, prefix):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = f"{prefix}{key.value}"
                lines.setdefault(name, key.start_mark.line + 1)
                walk(value, name + ".")

    try:
        walk(yaml.compose(path.read_text(encoding="utf-8"), Loader=_LOADER), "")
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        pass
    return lines


def _flatten(tree, prefix: str):
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            yield from _flatten(value, name + ".")
        else:
            yield name, value


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def placeholders(message: str) -> set[str]:
    """The names a message expects: 'Up {change} from {was}' -> {'change', 'was'}."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in Formatter().parse(message) if name}


class Words:
    """One edition's words: its messages, filled in with `say`, and the columns of the dataset that
    hold its texts."""

    DEFAULT_LANGUAGE = DEFAULT_LANGUAGE

    def __init__(self, language: str):
        self.messages = catalog(language)  # fails now, with the file name, if the language has no file
        self.lang = language

    def __repr__(self) -> str:
        return f"Words({self.lang!r})"

    def language(self) -> str:
        return self.lang

    def column(self, name: str) -> str:
        """The column of a fact table that holds `name` in this language: 'event' in English (the
        dataset's own language), 'event_fi' in Finnish."""
        return name if self.lang == DEFAULT_LANGUAGE else f"{name}_{self.lang}"

    def has(self, key: str) -> bool:
        return key in self.messages

    def where(self, key: str) -> str:
        """The file a message stands in, or (if this edition lacks it) the file it belongs in: 'words/sv/year.yml'."""
        found = sources(self.lang).get(key)
        if found:
            return f"{relative(found)} line {key_lines(found).get(key, '?')}"
        english = sources(DEFAULT_LANGUAGE).get(key)
        return f"words/{self.lang}/{english.name}" if english else f"words/{self.lang}/"

    def say(self, key: str, **values) -> str:
        """The message `key` with its placeholders filled."""
        if key not in self.messages:
            raise WordsError(f"{self.where(key)} has no message {key!r}")
        message = self.messages[key]
        missing = placeholders(message) - set(values)
        if missing:
            raise WordsError(f"{self.where(key)}, key {key!r}: value {message!r} needs {', '.join(sorted(missing))}, "
                             "which the code does not give")
        try:
            return message.format(**values)
        except (ValueError, TypeError) as error:  # a form ('{value:elative}') asked of a placeholder that is no count
            raise WordsError(f"{self.where(key)}, key {key!r}: value {message!r}: {error}; a form after a colon is "
                             "only for a count the code gives as numbers.Count") from None

    def section(self, prefix: str) -> dict[str, str]:
        """All messages under `prefix.`, by their last key."""
        start = prefix + "."
        return {k[len(start):]: v for k, v in self.messages.items() if k.startswith(start)}

    def page_substitutions(self, template: str, parameters: dict) -> dict[str, str]:
        """The MyST substitutions of a page: its parameters and its own headings and static prose.

        A template's markdown says `{{ title }}`; the text comes from `page.<template>.title` in this
        edition's language, with the page's parameters filled in.
        """
        subs = {k: str(v) for k, v in parameters.items()}
        for key, message in self.section(f"page.{template}").items():
            name = f"page.{template}.{key}"
            try:
                text = message.format(**parameters)
            except (KeyError, IndexError, ValueError, AttributeError) as error:
                raise WordsError(f"{self.where(name)}, key {name!r}: value {message!r}: "
                                 f"{_format_rule(error, parameters, template)}") from None
            subs[key] = text if name in MARKUP_MESSAGES else escape_markup(text)
        return subs


def escape_markup(text: str) -> str:
    """Plain text as MyST shows it literally: each character that would start markup backslash-escaped,
    so '<script>' in a heading is the text <script>, not an element (nor a line in the contents)."""
    return _MARKUP.sub(r"\\\1", text)


def _format_rule(error: Exception, parameters: dict, template: str) -> str:
    if isinstance(error, KeyError):
        return (f"uses {{{error.args[0]}}}, which is not a parameter of {template} "
                f"(it has {', '.join(parameters) or 'none'})")
    return f"is not a message template ({error}): a placeholder is a name in braces, a literal brace is doubled"


@lru_cache(maxsize=None)
def edition(language: str) -> Words:
    """The words of the edition in `language` (one object per language and process)."""
    return Words(language)


def catalog_problems(language: str, reference: str = DEFAULT_LANGUAGE) -> list[str]:
    """What a language's messages lack against the reference: missing, extra or empty messages and
    messages whose placeholders differ. Empty when the edition is complete."""
    return compare(catalog(reference), catalog(language), f"words/{language}/")


def compare(reference: dict[str, str], other: dict[str, str], where: str) -> list[str]:
    problems = [f"{where} lacks {key!r}" for key in sorted(set(reference) - set(other))]
    problems += [f"{where} has {key!r}, which words/{DEFAULT_LANGUAGE}/ does not" for key in sorted(set(other) - set(reference))]
    for key in sorted(set(reference) & set(other)):
        if not other[key].strip():
            problems.append(f"{where}: {key!r} is empty")
        elif placeholders(other[key]) != placeholders(reference[key]):
            problems.append(f"{where}: {key!r} uses {sorted(placeholders(other[key]))} where "
                            f"words/{DEFAULT_LANGUAGE}/ uses {sorted(placeholders(reference[key]))}")
    return problems


@dataclass(frozen=True)
class WordsProblem:
    """One broken rule in one message of a words file."""

    path: str  # words/sv/year.yml
    line: int | None
    key: str
    value: object
    rule: str

    def __str__(self) -> str:
        line = f" line {self.line}" if self.line else ""
        value = f": value {_short(self.value)!r}" if self.value is not None else ""
        return f"{self.path}{line}, key {self.key!r}{value}: {self.rule}"


def words_problems(languages: list[str], page_parameters: dict[str, set[str]],
                   reference: str = DEFAULT_LANGUAGE) -> list[WordsProblem]:
    """Everything in the editions' words that would print wrong, by file, line, key and value: a message
    missing, extra, empty or not a string (a list, a map, a number); a placeholder that is not a plain
    name, one the English message lacks or has that this one does not, or, in a page's own message
    (page.<template>.*), one that is not a parameter of that page (`page_parameters`: template -> names).
    `make book` runs this before it executes anything; the tests run the same function."""
    problems: list[WordsProblem] = []
    english = raw_catalog(reference)
    for lang in dict.fromkeys([reference, *languages]):
        messages, where = raw_catalog(lang), sources(lang)

        def problem(key, value, rule, lang=lang, where=where):
            if key in where:
                problems.append(WordsProblem(relative(where[key]), key_lines(where[key]).get(key), key, value, rule))
            else:  # missing: the file it belongs in, by the English one's name
                problems.append(WordsProblem(f"words/{lang}/{sources(reference)[key].name}", None, key, value, rule))

        if lang != reference:
            for key in sorted(set(english) - set(messages)):
                problem(key, None, f"the message is missing (words/{reference}/ has it): translate it")
            for key in sorted(set(messages) - set(english)):
                problem(key, messages[key], f"is not a message of words/{reference}/: remove it or correct its key")
        for key in sorted(set(messages) & set(english) if lang != reference else messages):
            value = messages[key]
            if not isinstance(value, str):
                kind = {list: "a list", dict: "an empty map", bool: "a yes/no value"}.get(type(value), "a number")
                problem(key, value, f"the message is {kind}; write it as one string (quote it if it starts with [ or {{)"
                        if value is not None else "the message is empty")
                continue
            if not value.strip():
                problem(key, value, "the message is empty")
                continue
            try:
                fields = [(name, spec, conv) for _, name, spec, conv in Formatter().parse(value) if name is not None]
            except ValueError as error:
                problem(key, value, f"has a brace that opens no placeholder ({error}): write {{{{ or }}}} for a literal brace")
                continue
            bad = [name for name, spec, conv in fields if not name.isidentifier() or conv or (spec and not _FORM.fullmatch(spec))]
            if bad:
                problem(key, value, f"placeholder {{{bad[0]}}} is not a plain name in braces, e.g. {{year}}")
            # A count's form after a colon ('{sources:elative}', numbers.Count): one the language's spell-out has.
            from sotebook.pages.numbers import count_forms

            forms = count_forms(lang)
            for name, spec, _ in fields:
                if spec and _FORM.fullmatch(spec) and spec not in forms:
                    problem(key, value, f"placeholder {{{name}:{spec}}}: {spec!r} is not a form of a count in this "
                                        f"language; its forms: {', '.join(sorted(forms)) or 'none'}")
                continue
            text = _DOC_ROLE.sub("", value)
            if key in HTML_MESSAGES:
                text = _HTML_TAGS.sub("", text)
            if "<" in text or ">" in text:
                problem(key, value, "holds markup (< or >), which would reach the page as HTML: write it as text")
                continue
            used = placeholders(value)
            if lang != reference and isinstance(english[key], str):
                expected = placeholders(english[key])
                if used != expected:
                    dropped, added = sorted(expected - used), sorted(used - expected)
                    problem(key, value, "the placeholders differ from words/{}/ ({}): {}".format(
                        reference, ", ".join("{%s}" % n for n in sorted(expected)) or "none",
                        "; ".join(filter(None, [dropped and "dropped " + ", ".join("{%s}" % n for n in dropped),
                                                added and "added " + ", ".join("{%s}" % n for n in added)]))))
                    continue
            parts = key.split(".")
            if parts[0] == "page" and len(parts) > 2 and parts[1] in page_parameters:
                unknown = sorted(used - page_parameters[parts[1]])
                if unknown:
                    problem(key, value, f"uses {{{unknown[0]}}}, which is not a parameter of the page {parts[1]} "
                                        f"(it has {', '.join(sorted(page_parameters[parts[1]])) or 'none'})")
    return problems


def check_words(languages: list[str], page_parameters: dict[str, set[str]]) -> None:
    """Raise WordsError listing every problem of words_problems, one a line."""
    problems = words_problems(languages, page_parameters)
    if problems:
        raise WordsError(f"{len(problems)} problem(s) in the words (nothing was executed):\n  "
                         + "\n  ".join(map(str, problems)))

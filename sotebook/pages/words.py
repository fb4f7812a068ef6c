"""The book's words: every heading, sentence template, caption and table header, read from words/<lang>/.

Python never holds a sentence of the book. Code asks an edition's words for a message by its key and
fills its placeholders (`words.say("year.lead.nps", value="69")`, with `words = edition("fi")`);
translators edit the YAML files only. The edition is passed to the code that writes a page, never
held in a module: a page's functions take its `Words` as an argument.
"""
from __future__ import annotations

from functools import lru_cache
from string import Formatter

import yaml

from sotebook.paths import ROOT

WORDS = ROOT / "words"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DEFAULT_LANGUAGE = "en"


class WordsError(Exception):
    """A message is missing or its placeholders do not match what the code gives."""


def languages() -> list[str]:
    """The languages the book has words for: one folder each under words/."""
    return sorted(p.name for p in WORDS.iterdir() if p.is_dir() and any(p.glob("*.yml")))


def files(language: str) -> list:
    """A language's message files: one per kind of page (year.yml, home.yml, ...) and common.yml."""
    return sorted((WORDS / language).glob("*.yml"))


@lru_cache(maxsize=None)
def catalog(language: str) -> dict[str, str]:
    """Every message of a language, flattened to dotted keys; a key may stand in one file only."""
    paths = files(language)
    if not paths:
        raise WordsError(f"words/{language}/ has no message files; the book has words for: {', '.join(languages())}")
    messages: dict[str, str] = {}
    where: dict[str, str] = {}
    for path in paths:
        rel = str(path.relative_to(ROOT))
        try:
            # libyaml's safe loader: the same result as yaml.safe_load, ten times faster (0.8 s to
            # 0.08 s a language), and every notebook reads its language's words.
            tree = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        except yaml.YAMLError as error:
            raise WordsError(f"{rel} is not valid YAML: {error}") from None
        for key, message in _flatten(tree, ""):
            if key in messages:
                raise WordsError(f"{rel}: message {key!r} is already in {where[key]}")
            messages[key], where[key] = message, rel
    return messages


def _flatten(tree, prefix: str):
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flatten(value, name + ".")
        else:
            yield name, str(value)


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

    def say(self, key: str, **values) -> str:
        """The message `key` with its placeholders filled."""
        if key not in self.messages:
            raise WordsError(f"words/{self.lang}/ has no message {key!r}")
        message = self.messages[key]
        missing = placeholders(message) - set(values)
        if missing:
            raise WordsError(f"words/{self.lang}/: {key!r} needs {', '.join(sorted(missing))}, which the code does not give")
        return message.format(**values)

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
            try:
                subs[key] = message.format(**parameters)
            except KeyError as error:
                raise WordsError(f"words/{self.lang}/: 'page.{template}.{key}' uses {{{error.args[0]}}}, "
                                 f"which is not a parameter of {template} ({', '.join(parameters) or 'none'})") from None
        return subs


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

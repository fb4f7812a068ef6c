"""YAML as the book's hand-edited files need it (words, plans, chapters.yml): a key given twice in one map is
an error naming both lines, where PyYAML would silently keep the last one."""
from __future__ import annotations

import yaml

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where it is there: ten times faster


class DuplicateKey(yaml.YAMLError):
    """A map gives the same key twice; `problem_mark` is the second, `first_line` the first (1-based)."""

    def __init__(self, key: str, first_line: int, mark):
        super().__init__(f"key {key!r} is given twice (first at line {first_line})")
        self.key, self.first_line, self.problem_mark = key, first_line, mark
        self.problem, self.context, self.context_mark = str(self), None, None


class UniqueKeyLoader(_BASE):
    """A safe loader that refuses a key repeated in one map."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise DuplicateKey(str(key), seen[key] + 1, key_node.start_mark)
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep)


def load(text: str):
    """The document in `text`, as yaml.safe_load gives it; DuplicateKey for a key repeated in a map."""
    return yaml.load(text, Loader=UniqueKeyLoader)


def located(error: yaml.YAMLError) -> tuple[str, str, str | None]:
    """A YAML error's parts for a message: (' line 12' or '', what is wrong, its context or None)."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = f" line {mark.line + 1}" if mark is not None else ""
    return line, getattr(error, "problem", None) or str(error).splitlines()[0], getattr(error, "context", None)


def problem(error: yaml.YAMLError) -> str:
    """A YAML error as one line's end: ' line 12: key 'x' is given twice (first at line 9)'."""
    line, what, context = located(error)
    return f"{line}: {what}{f' ({context})' if context else ''}"

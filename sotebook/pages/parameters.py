"""The parameters a chapter template takes, declared in its `parameters` cell, and checked when it runs.

Each line of a template's parameters cell declares one parameter: its name, its default, and in a comment
its type, the values it allows and what it means:

    year = 2025  # int, a year the dataset holds: the year the chapter tells, beside the year before it
    lang = "en"  # str, an edition of chapters.yml: the language the chapter is written in

That one declaration is what papermill overrides, what `make chapter` lists and checks before it runs
(sotebook/site/chapter.py), and what the template's next cell checks with `check_parameters(globals(),
"year")`: run with a misspelt parameter (`-p yaer 2024`), papermill would silently build the default year;
this makes it an error, and it turns a year given as text (`-r year 2024`) into a number.
"""
from __future__ import annotations

import ast
import re
import types
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sotebook.paths import NOTEBOOKS, relative

# Names IPython itself puts in a kernel's globals.
_KERNEL_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}
KINDS = {"int": int, "str": str}
# The values a parameter may allow, as its declaration says them, and the set each names. The set's
# members come from the dataset or chapters.yml when a chapter is run (sotebook/site/chapter.py).
ALLOWED = {"a year the dataset holds": "years", "an edition of chapters.yml": "editions", "any": None}
_DECLARATION = re.compile(r"#\s*(?P<kind>\w+)\s*,\s*(?P<allowed>[^:]+?)\s*:\s*(?P<meaning>\S.*?)\s*$")


class ParameterError(ValueError):
    """A template was run with a parameter it does not take, or a value of the wrong kind."""


@dataclass(frozen=True)
class Parameter:
    """One parameter of a template, as its parameters cell declares it."""

    name: str
    kind: type
    default: object
    allowed: str | None  # the set of values it allows: "years", "editions", or None for any value
    meaning: str

    @property
    def allows(self) -> str:
        """The allowed values as the declaration says them."""
        return next(phrase for phrase, key in ALLOWED.items() if key == self.allowed)


def template_path(name: str) -> Path:
    """The template file of a chapter: the one place that knows templates' folder and suffix. A template
    is a MyST Markdown text notebook (jupytext), so a prose edit diffs as text."""
    return NOTEBOOKS / f"{name}.md"


def template_parameters(path: Path) -> dict[str, object]:
    """The names and default values assigned in a template's `parameters` cell (empty if it has none)."""
    return {name: value for name, value in _assignments(_parameters_source(path))}


def declared_parameters(path: Path) -> list[Parameter]:
    """A template's parameters as its parameters cell declares them; a line that does not say its type,
    allowed values and meaning is an error naming the line."""
    source = _parameters_source(path)
    lines = source.splitlines()
    found = []
    for node, (name, default) in zip(_assignment_nodes(source), _assignments(source)):
        where = f"{relative(path)}, parameters cell, {name}"
        comment = lines[node.lineno - 1][node.end_col_offset:].strip()
        match = _DECLARATION.fullmatch(comment)
        if not match:
            raise ParameterError(f"{where}: declare it as `{name} = <default>  # <type>, <allowed values>: "
                                 f"<what it means>` (types {', '.join(KINDS)}; allowed values {', '.join(ALLOWED)})")
        kind, allowed = KINDS.get(match["kind"]), match["allowed"]
        if kind is None:
            raise ParameterError(f"{where}: type {match['kind']!r} is not one of {', '.join(KINDS)}")
        if allowed not in ALLOWED:
            raise ParameterError(f"{where}: allowed values {allowed!r} is not one of: {'; '.join(ALLOWED)}")
        if not isinstance(default, kind) or isinstance(default, bool):
            raise ParameterError(f"{where}: default {default!r} is not {match['kind']}")
        found.append(Parameter(name, kind, default, ALLOWED[allowed], match["meaning"]))
    return found


def template_cells(path: Path) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """A template's cells as (type, tags, source), read once per version of the file: a build checks
    every chapter's template several times, and parsing the text notebook is the slow part."""
    stat = path.stat()
    return _template_cells(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _template_cells(path: str, mtime_ns: int, size: int) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    import jupytext  # templates are text notebooks

    return tuple((cell.cell_type, tuple(cell.metadata.get("tags", [])), cell.source) for cell in jupytext.read(path).cells)


def _parameters_source(path: Path) -> str:
    for cell_type, tags, source in template_cells(path):
        if cell_type == "code" and "parameters" in tags:
            return source
    return ""


def _assignment_nodes(source: str) -> list[ast.Assign]:
    return [node for node in ast.parse(source).body
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)]


def _assignments(source: str) -> list[tuple[str, object]]:
    found = []
    for node in _assignment_nodes(source):
        try:
            found.append((node.targets[0].id, ast.literal_eval(node.value)))
        except ValueError:
            found.append((node.targets[0].id, None))
    return found


def check_parameters(namespace: dict, template: str) -> None:
    """Refuse names the template does not declare; convert each declared parameter in `namespace` to its type."""
    declared = declared_parameters(template_path(template))
    names = [p.name for p in declared]
    unknown = sorted(name for name, value in namespace.items() if _is_injected(name, value) and name not in names)
    if unknown:
        raise ParameterError(f"unknown parameter {', '.join(unknown)}: this template takes {', '.join(names) or 'no parameters'}")
    for parameter in declared:
        namespace[parameter.name] = convert(parameter, namespace.get(parameter.name))


def _is_injected(name: str, value: object) -> bool:
    """A name a parameters cell or papermill assigned, not the kernel or an import."""
    return not (name.startswith("_") or name in _KERNEL_NAMES or callable(value)
                or isinstance(value, types.ModuleType))


def convert(parameter: Parameter, value: object):
    """The value as the parameter's type: a whole number given as text becomes a number."""
    kind = parameter.kind
    if kind is int and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ParameterError(f"parameter {parameter.name} must be {kind.__name__}, not {value!r}")
    return value

"""The parameters a chapter template takes, read from its `parameters` cell, and checked when it runs.

A template's first code cell after the parameters cell calls `check_parameters(globals(), year=int)`:
run with a misspelt parameter (`-p yaer 2024`), papermill would silently build the default year; this
makes it an error, and it turns a year given as text (`-r year 2024`) into a number.
"""
from __future__ import annotations

import ast
from functools import lru_cache
import types
from pathlib import Path


# Names IPython itself puts in a kernel's globals.
_KERNEL_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}


class ParameterError(ValueError):
    """A template was run with a parameter it does not take, or a value of the wrong kind."""


def template_parameters(path: Path) -> dict[str, object]:
    """The names and default values assigned in a template's `parameters` cell (empty if it has none)."""
    for cell_type, tags, source in template_cells(path):
        if cell_type == "code" and "parameters" in tags:
            return _assignments(source)
    return {}


def template_cells(path: Path) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """A template's cells as (type, tags, source), read once per version of the file: a build checks
    every chapter's template several times, and parsing the text notebook is the slow part."""
    stat = path.stat()
    return _template_cells(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _template_cells(path: str, mtime_ns: int, size: int) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    import jupytext  # templates are text notebooks

    return tuple((cell.cell_type, tuple(cell.metadata.get("tags", [])), cell.source) for cell in jupytext.read(path).cells)


def _assignments(source: str) -> dict[str, object]:
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                found[node.targets[0].id] = None
    return found


def check_parameters(namespace: dict, **kinds: type) -> None:
    """Refuse names the template does not take; convert each parameter in `namespace` to its kind."""
    unknown = sorted(name for name, value in namespace.items() if _is_injected(name, value) and name not in kinds)
    if unknown:
        takes = ", ".join(kinds) or "no parameters"
        raise ParameterError(f"unknown parameter {', '.join(unknown)}: this template takes {takes}")
    for name, kind in kinds.items():
        namespace[name] = _convert(name, namespace.get(name), kind)


def _is_injected(name: str, value: object) -> bool:
    """A name a parameters cell or papermill assigned, not the kernel or an import."""
    return not (name.startswith("_") or name in _KERNEL_NAMES or callable(value)
                or isinstance(value, types.ModuleType))


def _convert(name: str, value: object, kind: type):
    if kind is int and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ParameterError(f"parameter {name} must be {kind.__name__}, not {value!r}")
    return value

"""The `pdfua` checker (0.1.3, the machine-checkable part of PDF/UA-1) as the PDF tests run it.

One fix to the checker: its `as_integer` asks a pikepdf object for `is_integer` with getattr, which pikepdf
(10.x) answers for an Array with a ValueError rather than an AttributeError, so rule UA-14-001 ("heading
elements are not empty") is skipped on every file whose heading has more than one kid, ours included. The
fix returns None for such an object (an array is not a number), as the function means to.
"""
from __future__ import annotations

from pdfua import document as _document
from pdfua.rules import structure as _structure
from pdfua.validator import validate

_original = _document.as_integer


def _as_integer(value):
    try:
        return _original(value)
    except ValueError:
        return None


_document.as_integer = _structure.as_integer = _as_integer


def check(path) -> tuple[list, list]:
    """(findings, skipped rules) of the checker on the PDF at `path`."""
    report = validate(str(path))
    return list(report.findings), [(o.rule_id, o.skipped_reason) for o in report.skipped]

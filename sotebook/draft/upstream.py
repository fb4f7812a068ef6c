"""The data-stage modules the draft reads, named in this one place.

When the package is split into sub-packages (sotebook.data.parse, ...), only these imports change.
"""
from ..parse import ParseError, parse_printed
from ..paths import RAW, ROOT, SEEDS
from ..periods import derived_kind
from ..rawdata import Problem, read_table
from ..schema import METRIC_COLUMNS, RAW_FIGURE_COLUMNS, SOURCE_COLUMNS

__all__ = ["ParseError", "parse_printed", "RAW", "ROOT", "SEEDS", "derived_kind", "Problem", "read_table",
           "METRIC_COLUMNS", "RAW_FIGURE_COLUMNS", "SOURCE_COLUMNS"]

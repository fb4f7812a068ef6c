"""The data-stage modules the draft reads, named in this one place.

The draft reads the dataset stage only (sotebook/data/), never the pages or the site.
"""
from ..data.document import Passage, in_section, passages
from ..data.parse import ParseError, parse_printed
from ..paths import RAW, ROOT, SEEDS
from ..data.periods import derived_kind
from ..data.rawdata import Problem, read_table
from ..data.schema import METRIC_COLUMNS, RAW_FIGURE_COLUMNS, SOURCE_COLUMNS

__all__ = ["Passage", "in_section", "passages", "ParseError", "parse_printed", "RAW", "ROOT", "SEEDS", "derived_kind", "Problem", "read_table",
           "METRIC_COLUMNS", "RAW_FIGURE_COLUMNS", "SOURCE_COLUMNS"]

"""The data-stage modules the draft reads, named in this one place.

When the package is split into sub-packages (sotebook.data.parse, ...), only these imports change.
"""
from ..parse import ParseError, Printed, canonical, parse_printed  # noqa: F401
from ..paths import RAW, ROOT, SEEDS  # noqa: F401
from ..periods import derived_kind  # noqa: F401
from ..rawdata import Problem, Row, read_table  # noqa: F401
from ..schema import METRIC_COLUMNS, RAW_FIGURE_COLUMNS, SOURCE_COLUMNS, UNITS  # noqa: F401

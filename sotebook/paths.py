"""Where things live in the repository: one place, so no module hard-codes a path."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RAW = DATA / "raw"
BOOK = ROOT / "book"
NOTEBOOKS = ROOT / "notebooks"
BUILD_HTML = ROOT / "_build" / "html"
STATIC = BOOK / "_static"

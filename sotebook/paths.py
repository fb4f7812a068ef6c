"""Where things live in the repository: one place, so no module hard-codes a path."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RAW = DATA / "raw"
CLEAN = DATA / "clean"
# Names another clean dataset for a process and the kernels it starts (`make chapter DATA=...`; read by
# sotebook/data/dataset.py, set by sotebook/site/chapter.py).
CLEAN_ENV = "SOTEBOOK_CLEAN"
CHANGELOG = DATA / "CHANGELOG.md"
RELEASES = DATA / "releases"
LICENSE = ROOT / "LICENSE"
DIST = ROOT / "dist"
BOOK = ROOT / "book"
NOTEBOOKS = ROOT / "notebooks"
BUILD_HTML = ROOT / "_build" / "html"
# The PDF editions `make pdf` prints (sotebook/site/pdf.py); the site links and carries them once they exist.
BUILD_PDF = ROOT / "_build" / "pdf"
STATIC = BOOK / "_static"
# The theme's own words (Skip to main content, Back to top) in each language, as gettext catalogs.
LOCALES = ROOT / "locales"
# The source documents' text copies live beside the repository (../shared/seeds), not in it.
# SOTEBOOK_SEEDS points elsewhere, e.g. for a copy of the project in a temporary folder.
SEEDS = Path(os.environ.get("SOTEBOOK_SEEDS") or ROOT.parent / "shared" / "seeds")


def relative(path: Path) -> str:
    """A path as messages show it: relative to the project when it is inside it."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)

"""Fixtures of the draft tests: a copy of data/raw/ to draft into, and the source documents' texts."""
import shutil
from pathlib import Path

import pytest

from sotebook.paths import RAW, SEEDS

REVIEW_2024 = SEEDS / "002_e8e284360705416a.txt"  # annual_review_2024, English
REVIEW_2025 = SEEDS / "001_12f07e4ac34b747f.txt"  # annual_review_2025, Swedish


@pytest.fixture
def raw(tmp_path) -> Path:
    """A copy of data/raw/ (without any drafts): what a test writes lands here, never in the checkout."""
    copy = tmp_path / "raw"
    shutil.copytree(RAW, copy, ignore=shutil.ignore_patterns("drafts"))
    return copy

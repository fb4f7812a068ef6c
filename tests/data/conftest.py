"""Fixtures of the data tests: a copy of data/raw/ to break and a copy of data/clean/ that must survive."""
import shutil
from pathlib import Path

import pytest

from sotebook.paths import CLEAN, RAW


@pytest.fixture
def raw(tmp_path) -> Path:
    copy = tmp_path / "raw"
    shutil.copytree(RAW, copy)
    return copy


@pytest.fixture
def out(tmp_path) -> Path:
    """A previous clean dataset that a failed run must leave exactly as it was."""
    previous = tmp_path / "clean"
    shutil.copytree(CLEAN, previous)
    return previous

"""The package's stages import one way (site -> pages -> data), as pyproject.toml's import-linter
contracts say, and a break of that rule fails."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sotebook.paths import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(project)}  # the project's own `sotebook`, before the venv's .pth
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=project, env=env, capture_output=True, text=True)


def test_the_stages_import_one_way():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout and "3 kept" in result.stdout


@pytest.mark.parametrize("module,imports", [
    ("data/parse.py", "sotebook.pages.words"),   # the dataset must not know how pages speak
    ("data/dataset.py", "sotebook.site.build"),  # nor how the site is built
    ("pages/text.py", "sotebook.site.editions"),  # the pages must not know the site
    ("draft/matching.py", "sotebook.pages.words"),  # a draft reads the dataset stage only
    ("data/clean.py", "sotebook.draft.accept"),  # and the dataset never reads a draft
])
def test_an_import_against_the_stages_breaks_the_contract(tmp_path, module, imports):
    shutil.copytree(ROOT / "sotebook", tmp_path / "sotebook", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    path = tmp_path / "sotebook" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n\ndef _late():\n    import {imports}  # noqa\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    importer = "sotebook." + module.removesuffix(".py").replace("/", ".")
    assert "BROKEN" in result.stdout and f"{importer} -> {imports}" in result.stdout, result.stdout

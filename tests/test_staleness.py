"""nbval is the staleness check: a figure changed in data/clean/ without rebuilding fails it."""
import hashlib
import json
import os
import subprocess
import sys

import pytest

from project_copy import copy_project


def restamp(clean, name):
    """Record a table's new size and hash in the descriptor."""
    descriptor = json.loads((clean / "datapackage.json").read_text(encoding="utf-8"))
    data = (clean / name).read_bytes()
    for resource in descriptor["resources"]:
        if resource["path"] == name:
            resource.update(bytes=len(data), hash="sha256:" + hashlib.sha256(data).hexdigest())
    (clean / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_changed_figure_without_rebuild_fails_nbval_naming_notebook_and_cell(tmp_path):
    copy = copy_project(tmp_path / "book")
    figures = copy / "data" / "clean" / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    assert text.count(",1679689,1679689,1679689,") == 1  # value, value_low, value_high
    figures.write_text(text.replace(",1679689,1679689,1679689,", ",1679690,1679690,1679690,"), encoding="utf-8")
    restamp(copy / "data" / "clean", "figures.csv")  # as `make data` would: the hash check is not what is tested
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider", "-q",
         "-o", "addopts=", "book/en/year_2025.ipynb"],
        cwd=copy, env={**os.environ, "PYTHONPATH": str(copy)}, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    assert "year_2025.ipynb::Cell" in output, output[-3000:]
    assert "1,679,690" in output, "the failure should show the changed figure"


@pytest.mark.slow
def test_changed_figure_without_rebuild_fails_nbval_in_the_forked_kernels_make_test_uses(tmp_path):
    """Review of issue 24: `make test` runs nbval in kernels forked from a kernel server (tests/conftest.py, which
    nbval loads when tests/ is among its arguments); the test above runs it without that conftest, in an ordinary
    kernel. The same stale notebook, in the forked kernels: it fails too, showing the changed figure."""
    copy = copy_project(tmp_path / "book")
    figures = copy / "data" / "clean" / "figures.csv"
    text = figures.read_text(encoding="utf-8")
    assert text.count(",1679689,1679689,1679689,") == 1
    figures.write_text(text.replace(",1679689,1679689,1679689,", ",1679690,1679690,1679690,"), encoding="utf-8")
    restamp(copy / "data" / "clean", "figures.csv")
    probe = tmp_path / "probe"
    probe.mkdir()
    (probe / "kernel_probe.py").write_text(
        "def pytest_sessionfinish(session):\n"
        "    print('nbval kernel:', session.config.option.nbval_kernel_name)\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join((str(copy), str(probe)))}
    env.pop("SOTEBOOK_FRESH_KERNELS", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider", "-p", "kernel_probe",
         "-q", "-s", "-o", "addopts=", "book/en/year_2025.ipynb", "tests/conftest.py"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert "nbval kernel: sotebook-forked" in output, output[-3000:]
    assert result.returncode == 1, output[-3000:]
    assert "year_2025.ipynb::Cell" in output, output[-3000:]
    assert "1,679,690" in output, "the failure should show the changed figure"

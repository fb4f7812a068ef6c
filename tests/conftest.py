"""Before any test runs: data/clean/ must match the hashes in its descriptor, or every result would be about
a dataset that `make data` did not write.

`make test` runs the tests on every core with pytest-xdist (`-n logical`, pyproject.toml adds
`--dist loadgroup`): each worker takes the next unit of work when it is free, a unit being one test, or
every test of one `xdist_group`. What must stay on one worker is a group: the cells of a notebook (nbval
runs them in order in one kernel, grouped here) and the tests that share an expensive module fixture
(a copy of the project built once, a PDF read once), marked `xdist_group` in their module. Units start
slowest first (tests marked `slow`, then the notebooks, then the rest in collection order), so that no
long build is left to start when the other worker has nothing left to do. All workers read the one
site `make test` built (_build/html, _build/pdf); a test that changes files works in its own copy.
"""
import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

from sotebook.data.release import ReleaseError, verify_clean

TESTS = Path(__file__).resolve().parent


def pytest_sessionstart(session):
    try:
        verify_clean()
    except ReleaseError as error:
        pytest.exit(f"make test: {error}", returncode=1)


# ---------------------------------------------------------------------------------------------
# Parallel runs: what stays together and what starts first


def _is_notebook_cell(item) -> bool:
    return item.path.suffix == ".ipynb"


def _start_order(item) -> int:
    if item.get_closest_marker("slow"):
        return 0
    if _is_notebook_cell(item):
        return 1
    return 2


def _group_into_node_id(item) -> None:
    """Put the item's xdist_group into its node id, as pytest-xdist's loadgroup does (`<id>@<group>`, which
    the scheduler reads). pytest-xdist 3.8.0 writes the group into `item._nodeid`, which pytest 9.2 no longer
    reads (it keeps the node id in `item._id`), so its groups are silently lost (pytest-xdist issue #1386):
    set it where pytest reads it. Harmless once pytest-xdist does so itself (a group is what follows the
    last `@`)."""
    names = sorted({str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                    for mark in item.iter_markers("xdist_group")})
    if not names or item.nodeid.endswith(f"@{'_'.join(names)}"):
        return
    grouped = f"{item.nodeid}@{'_'.join(names)}"
    if hasattr(item, "_id"):
        from _pytest.nodeid import NodeId

        item._id = NodeId.parse(grouped)
    else:
        item._nodeid = grouped


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        if _is_notebook_cell(item):
            # One kernel runs a notebook's cells in order: they cannot be spread over workers.
            item.add_marker(pytest.mark.xdist_group(f"nbval-{item.path.relative_to(config.rootpath).as_posix()}"))
        if getattr(config.option, "loadgroup", False):  # set on the workers of `pytest -n N --dist loadgroup`
            _group_into_node_id(item)
    items.sort(key=_start_order)  # stable: the order within a group and within a class is kept
    if getattr(config.option, "nbval", False):
        _start_kernel_server(config, items)


# ---------------------------------------------------------------------------------------------
# The accessibility report. Each page's axe findings travel in its test's report (user_properties), so
# that the findings of every worker reach this process, which prints and writes the report once.

AXE_PROPERTY = "axe-findings"  # as tests/browser/browser_harness.py names it
_AXE_RESULTS: dict[str, list[dict]] = {}


def pytest_runtest_logreport(report):
    for name, value in report.user_properties:
        if name == AXE_PROPERTY:
            key, violations = value
            _AXE_RESULTS[key] = violations


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _AXE_RESULTS or hasattr(config, "workerinput"):
        return
    if str(TESTS / "browser") not in sys.path:
        sys.path.insert(0, str(TESTS / "browser"))
    from browser_harness import AXE_REPORT, ROOT, format_axe_report

    report = format_axe_report(_AXE_RESULTS)
    AXE_REPORT.parent.mkdir(parents=True, exist_ok=True)
    AXE_REPORT.write_text(report, encoding="utf-8")
    terminalreporter.section("accessibility (axe-core)")
    terminalreporter.write(report)
    terminalreporter.write_line(f"(written to {AXE_REPORT.relative_to(ROOT)})")


# ---------------------------------------------------------------------------------------------
# nbval's kernels, forked as the build's are (sotebook/site/kernels.py): each notebook still runs in a
# kernel process of its own, from the same state as a fresh one (tests/test_kernels.py checks a chapter
# executed both ways is the same file), without paying 3 s of start-up and imports 21 times.
# SOTEBOOK_FRESH_KERNELS=1 gives nbval ordinary `python3` kernels of the current environment.

FORKED_KERNEL = "sotebook-forked"
_KERNEL_SERVER = []


@pytest.hookimpl(trylast=True)  # after nbval has read its own options
def pytest_configure(config):
    if os.environ.get("SOTEBOOK_FRESH_KERNELS") == "1" or not getattr(config.option, "nbval", False):
        return
    config.option.nbval_current_env = False
    config.option.current_env = False
    config.option.nbval_kernel_name = FORKED_KERNEL


def _start_kernel_server(config, items) -> None:
    """The kernel server of this process, if it will run notebooks (a conftest's setup hooks see only the
    tests under it, so this runs when the items are known), and the kernel spec that forks from it. The
    server's address goes in the spec, not in this process's environment, which the other tests share."""
    if _KERNEL_SERVER or config.option.nbval_kernel_name != FORKED_KERNEL or not any(map(_is_notebook_cell, items)):
        return
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        return  # pytest-xdist's controller runs no test
    from sotebook.paths import BOOK
    from sotebook.site.kernels import SERVER_ENV, SHIM, KernelServer

    server = KernelServer(BOOK)
    server.__enter__()
    _KERNEL_SERVER.append(server)
    address = os.environ.pop(SERVER_ENV)
    if server.previous is not None:
        os.environ[SERVER_ENV] = server.previous
    specs = Path(tempfile.mkdtemp(prefix="sotebook-kernelspec-"))
    kernel = specs / "kernels" / FORKED_KERNEL
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-I", "-S", str(SHIM), "{connection_file}"], "env": {SERVER_ENV: address},
        "display_name": "Python 3 (forked)", "language": "python", "interrupt_mode": "signal"}), encoding="utf-8")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(specs), os.environ.get("JUPYTER_PATH")) if p)
    _talk_over_unix_sockets(Path(address).parent)


def _talk_over_unix_sockets(folder: Path) -> None:
    """nbval's forked kernels talk over unix sockets in the server's folder, as the build's do
    (ForkedKernelManager): a kernel forked in milliseconds binds the TCP ports jupyter_client picked for it
    at once, and two workers' kernels started at the same moment could be given the same ones."""
    import uuid

    import nbval.kernel

    class ForkedNbvalKernelManager(nbval.kernel.KernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if self.kernel_name == FORKED_KERNEL:
                self.transport = "ipc"
                self.ip = str(folder / f"kernel-{uuid.uuid4().hex[:12]}")

    nbval.kernel.KernelManager = ForkedNbvalKernelManager


def pytest_unconfigure(config):
    while _KERNEL_SERVER:
        _KERNEL_SERVER.pop().__exit__(None, None, None)

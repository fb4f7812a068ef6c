"""Forked kernels (sotebook/site/kernels.py): each notebook in a process of its own, outputs the same as a
fresh kernel's, nothing left behind."""
import asyncio
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from sotebook.site import build
from sotebook.data.dataset import available_years
from sotebook.site.kernels import SERVER_ENV, ForkedKernelManager, KernelServer


def _run(code: list[str], cwd: Path) -> list[str]:
    """Execute cells in one forked kernel; the text each printed."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in code])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    from nbclient import NotebookClient

    NotebookClient(nb, kernel_name="python3", kernel_manager_class=ForkedKernelManager,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return ["".join(o.get("text", "") for o in cell.outputs) for cell in nb.cells]


def test_every_kernel_is_a_process_of_its_own_and_starts_clean(tmp_path):
    with KernelServer(tmp_path) as server:
        first = _run(["import os, sotebook.pages.words as w\nw.DEFAULT_LANGUAGE = 'xx'\nleft_behind = 1\nprint(os.getpid())"],
                     tmp_path)
        second = _run(["import os, sotebook.pages.words as w\nprint(os.getpid(), w.DEFAULT_LANGUAGE, 'left_behind' in dir())",
                       "import os\nprint(os.getcwd())"], tmp_path)
        assert server.process.poll() is None
    pid, language, leaked = second[0].split()
    assert pid != first[0].strip(), "two notebooks ran in the same process"
    assert (language, leaked) == ("en", "False"), "one notebook's state reached the next"
    assert second[1].strip() == str(tmp_path)


def test_a_kernel_is_shut_down_without_an_interrupt(tmp_path):
    """jupyter_client interrupts a kernel before asking it to shut down; a kernel still inside a message
    handler then logged "KeyboardInterrupt caught in kernel", in the analyst's progress output. An
    interrupt asked for while the kernel runs is still sent."""
    sent: list[int] = []

    async def start_interrupt_and_stop():
        km = ForkedKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=str(tmp_path))
        client = km.client()
        client.start_channels()
        await client.wait_for_ready(timeout=30)  # the shim forwards signals by now
        client.stop_channels()
        forward = km.provisioner.send_signal

        async def recorded(signum):
            sent.append(signum)
            await forward(signum)

        km.provisioner.send_signal = recorded
        await km.interrupt_kernel()
        interrupted_alive = await km.is_alive()
        await km.shutdown_kernel()
        return interrupted_alive, await km.is_alive()

    with KernelServer(tmp_path):
        with ThreadPoolExecutor(1) as thread:  # a worker that ran other tests may have an event loop running
            interrupted_alive, alive = thread.submit(asyncio.run, start_interrupt_and_stop()).result()
    # A SIGTERM may follow on a slow machine (the shutdown request not answered in time); a SIGINT may not.
    assert sent[:1] == [signal.SIGINT] and signal.SIGINT not in sent[1:], f"signals sent: {sent}"
    assert interrupted_alive, "an idle kernel survives an interrupt"
    assert not alive


def test_outputs_are_those_of_a_fresh_kernel(tmp_path, monkeypatch):
    """The same chapter executed in a forked and in an ordinary kernel: the same notebook, byte for byte."""
    spec = build.read_spec()
    job = next(j for j in build.plan(spec, available_years()) if j.name == "en/about_data")
    notebooks = {}
    for kind in ("forked", "fresh"):
        monkeypatch.setenv("SOTEBOOK_FRESH_KERNELS", "1" if kind == "fresh" else "0")
        build.run_notebooks([job], force=True, into=tmp_path / kind)
        notebooks[kind] = (tmp_path / kind / "en" / "about_data.ipynb").read_bytes()
    assert notebooks["forked"] == notebooks["fresh"]
    assert SERVER_ENV not in os.environ


def test_every_template_gives_the_same_notebook_in_a_forked_and_a_fresh_kernel(tmp_path, monkeypatch):
    """Review of issue 24: nbval runs the committed notebooks in forked kernels too, so state the kernel server
    leaves behind reaches both the build and nbval, and nbval no longer tells. The templates no other test runs
    in an ordinary kernel (about_data: above; year: test_build's test_execution_is_reproducible), executed both
    ways: the same notebooks, byte for byte."""
    names = ("fi/index", "sv/trends", "en/background")
    jobs = [j for j in build.plan(build.read_spec(), available_years()) if j.name in names]
    assert sorted(j.template.name for j in jobs) == ["background.md", "home.md", "trends.md"]
    notebooks = {}
    for kind in ("forked", "fresh"):
        monkeypatch.setenv("SOTEBOOK_FRESH_KERNELS", "1" if kind == "fresh" else "0")
        build.run_notebooks(jobs, force=True, into=tmp_path / kind)
        notebooks[kind] = {name: (tmp_path / kind / f"{name}.ipynb").read_bytes() for name in names}
    for name in names:
        assert notebooks["forked"][name] == notebooks["fresh"][name], f"{name}: a forked kernel gave another notebook"


def test_a_killed_shim_takes_its_kernel_with_it_and_the_server_leaves_nothing(tmp_path):
    async def start():
        km = ForkedKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=str(tmp_path))
        client = km.client()
        client.start_channels()
        await client.wait_for_ready(timeout=30)
        reply = await client.execute_interactive("import os; print(os.getpid())", timeout=30,
                                                 output_hook=lambda msg: pids.append(msg["content"].get("text", "")))
        client.stop_channels()
        return km, reply

    pids: list[str] = []
    with KernelServer(tmp_path) as server:
        # In a thread of its own: a worker that ran other tests may already have an event loop running.
        with ThreadPoolExecutor(1) as thread:
            km, reply = thread.submit(asyncio.run, start()).result()
        kernel = int("".join(pids).strip())
        assert kernel != km.provisioner.process.pid  # the kernel is the server's child, not the shim
        os.kill(km.provisioner.process.pid, signal.SIGKILL)
        for _ in range(100):
            try:
                os.kill(kernel, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the kernel outlived its shim")
        # The server goes on serving: a kernel forked after a shim was killed starts and runs (the fork once
        # tripped over the killed shim's forgotten connection, and the server died with every later kernel).
        pids.clear()
        with ThreadPoolExecutor(1) as thread:
            again, reply = thread.submit(asyncio.run, start()).result()
        assert reply["content"]["status"] == "ok" and "".join(pids).strip().isdigit()
        assert server.process.poll() is None, "the kernel server died"
        again.provisioner.process.kill()
        folder = server.folder
    assert not folder.exists()
    assert server.process.returncode is not None

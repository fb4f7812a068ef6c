"""Forked kernels: every notebook still runs in a kernel process of its own, but without paying
for Python, ipykernel, pandas and altair to start up each time.

A fresh `python -m ipykernel_launcher` takes about 1.6 s to answer, and the chapter's imports
(pandas, altair, vl-convert, the book's package) another 1.6 s: 3 s a notebook before its first
line runs, 60 s of the two cores for the book's 21 notebooks. Here one *kernel server* imports all
of that once, runs no notebook code itself, and forks a child for each kernel asked for. The
child calls ipykernel's own launcher with the connection file jupyter_client wrote, so to the
build (papermill, nbclient, jupyter_client) it is an ordinary kernel.

Why this keeps a notebook's execution isolated and reproducible:
- every notebook gets its own process (a fork of a server that has only imported modules), so
  nothing one notebook does can reach another, and every child starts from the same state;
- the server never executes notebook code, and it lives for one build only, so a code change
  is always imported afresh;
- strict nbval re-executes every committed notebook and compares every output. In `make test` it
  does so in forked kernels too (tests/conftest.py), from a server of its own, so what it proves is
  that a fresh fork gives the committed outputs; that a fork gives what an ordinary `python3` kernel
  gives is tested by running notebooks of every template both ways (tests/test_kernels.py:
  `test_every_template_gives_the_same_notebook_in_a_forked_and_a_fresh_kernel`), and
  `SOTEBOOK_FRESH_KERNELS=1` runs nbval in ordinary kernels.
- What a fork shares with its server: modules imported before the fork (their import-time state,
  e.g. sotebook.paths read from the environment when the server started), numpy's global random
  state and the string hash seed (Python's `random` is reseeded in every child). No notebook uses
  randomness; each server is new per build.

How jupyter_client sees it: the kernel's command is `python -I -S kernel_shim.py <connection
file>`, a stdlib-only process that starts in about 20 ms, asks the server to fork a kernel, passes
on interrupts and termination, and exits with the kernel's exit code. jupyter_client starts,
signals, waits for and kills that process exactly as it would a kernel.
"""
from __future__ import annotations

import importlib
import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import uuid
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager

SERVER_ENV = "SOTEBOOK_KERNEL_SERVER"
SHIM = Path(__file__).with_name("kernel_shim.py")
# What a chapter imports: loaded once by the server, before any fork.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "IPython",
    "pandas",
    "altair",
    "vl_convert",
    "myst_nb",
    "sotebook.pages.year_chapter",
    "sotebook.pages.charts",
    "sotebook.pages.trends",
    "sotebook.pages.background",
    "sotebook.pages.about_data",
    "sotebook.data.dataset",
    "sotebook.pages.words",
    "sotebook.pages.parameters",
    "jupytext",  # check_parameters reads the template's declared parameters
)


class ForkedKernelManager(AsyncKernelManager):
    """nbclient's kernel manager, with the shim as the kernel's command. The kernel's name in the
    notebook stays `python3`: the forked kernel is the same interpreter with the same packages.

    The kernel talks over unix sockets in the server's folder, not TCP on localhost: nothing else
    on the machine can connect to it (and ipykernel has no unencrypted-TCP warning to print)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.transport = "ipc"
        # A prefix of its own: jupyter_client picks the sockets' numbers by looking for free file
        # names, and two kernels started at once by two workers would otherwise pick the same.
        self.ip = str(Path(os.environ[SERVER_ENV]).with_name(f"kernel-{uuid.uuid4().hex[:12]}"))

    async def _async_interrupt_kernel(self) -> None:
        """Not on the way out. jupyter_client interrupts every kernel before it asks it to shut down, in
        case it is busy; ipykernel then logs "KeyboardInterrupt caught in kernel" for every notebook,
        which is noise in the build's progress. A notebook's kernel is shut down once the notebook has run
        (or failed); should it still be busy, the shutdown request, then SIGTERM and SIGKILL, stop it. An
        interrupt asked for while it runs (nbclient's on a timeout) is still sent."""
        if self.shutting_down:
            return
        await super()._async_interrupt_kernel()

    interrupt_kernel = _async_interrupt_kernel  # as AsyncKernelManager does

    @property
    def kernel_spec(self) -> KernelSpec:
        if self._kernel_spec is None:
            self._kernel_spec = KernelSpec(
                argv=[sys.executable, "-I", "-S", str(SHIM), "{connection_file}"],
                display_name="Python 3 (ipykernel)", language="python",
                env={SERVER_ENV: os.environ[SERVER_ENV]}, interrupt_mode="signal", metadata={})
        return self._kernel_spec


class KernelServer:
    """The server for one build: `with KernelServer(cwd):` starts it (and sets SERVER_ENV for the
    processes started inside), and stops it and every kernel it forked on the way out."""

    def __init__(self, cwd: Path):
        self.cwd = cwd

    def __enter__(self) -> "KernelServer":
        # A short folder: a unix socket's path is limited to about 100 bytes.
        self.folder = Path(tempfile.mkdtemp(prefix="sotebook-kernels-"))
        self.path = self.folder / "server.sock"
        # Started in the notebooks' folder with `-m`, like ipykernel_launcher, so it imports the
        # same `sotebook` (PYTHONPATH, then the venv's .pth) a kernel started there would.
        self.process = subprocess.Popen([sys.executable, "-m", "sotebook.site.kernels", str(self.path)],
                                        cwd=self.cwd, stdout=subprocess.PIPE, text=True)
        ready = self.process.stdout.readline().strip()
        if ready != "ready":
            self.process.kill()
            self.process.wait()
            raise RuntimeError(f"the kernel server did not start (it said {ready!r}); "
                               "run `python -m sotebook.site.kernels /tmp/x.sock` to see why")
        self.previous = os.environ.get(SERVER_ENV)
        os.environ[SERVER_ENV] = str(self.path)
        return self

    def __exit__(self, *exc) -> None:
        if self.previous is None:
            os.environ.pop(SERVER_ENV, None)
        else:
            os.environ[SERVER_ENV] = self.previous
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        shutil.rmtree(self.folder, ignore_errors=True)


# ---- the server process -----------------------------------------------------------------------

def _read_request(conn: socket.socket) -> tuple[dict, list[int]]:
    """The shim's request, and its standard input, output and error (passed as file descriptors)."""
    data, fds = b"", []
    while not data.endswith(b"\n"):
        chunk, received, _, _ = socket.recv_fds(conn, 1 << 20, 3)
        if not chunk:
            for fd in fds + received:
                os.close(fd)
            raise ConnectionError("the shim closed the connection before asking")
        data += chunk
        fds += received
    return json.loads(data), fds


def _run_kernel(request: dict, stdio: list[int]) -> None:
    """In the forked child: become the kernel the request describes, with the shim's standard
    input, output and error, so it writes where jupyter_client sent its kernel's. Never returns."""
    code = 1
    try:
        for target, fd in enumerate(stdio):
            os.dup2(fd, target)
            os.close(fd)
        for name in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGPIPE):
            signal.signal(name, signal.SIG_DFL)
        signal.set_wakeup_fd(-1)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        argv = ["-f", request["connection_file"]]
        # ipykernel reads $JPY_PARENT_PID when it is imported, which here was before the fork:
        # pass on the one jupyter_client set, so the kernel knows it has a parent (and prints no
        # banner for a terminal, as a kernel jupyter_client started would not).
        if os.environ.get("JPY_PARENT_PID"):
            argv.append(f"--IPKernelApp.parent_handle={int(os.environ['JPY_PARENT_PID'])}")
        sys.argv = ["ipykernel_launcher", *argv]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=argv)
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # noqa: BLE001 - reported on the kernel's stderr, like a crashed kernel
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _warm_up() -> None:
    """Altair checks every chart against the Vega-Lite schema; the first check loads and compiles
    the schema (about 2 s), and every later one reuses it. Do that once here, with a chart of no
    consequence, so that no kernel pays for it. It is a cache of the installed altair's schema and
    the same in every child."""
    import altair
    import pandas

    altair.Chart(pandas.DataFrame({"x": [1]})).mark_bar().encode(x="x:Q").to_dict()


def serve(path: str) -> None:
    for name in PRELOAD:
        importlib.import_module(name)
    _warm_up()
    if threading.active_count() != 1:  # a fork copies only this thread: nothing may run beside it
        raise RuntimeError(f"the kernel server has {threading.active_count()} threads after its imports")

    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "listener")
    selector.register(wake_read, selectors.EVENT_READ, "signal")
    children: dict[int, socket.socket] = {}  # kernel pid -> its shim's connection
    print("ready", flush=True)
    # Nobody reads that pipe from now on: the kernels' own output goes where the build's errors go.
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())

    def reap() -> None:
        while children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = children.pop(pid, None)
            if conn is not None:
                selector.unregister(conn)
                try:
                    conn.sendall(f"exit {os.waitstatus_to_exitcode(status)}\n".encode())
                except OSError:
                    pass
                conn.close()

    while not stopping:
        for key, _ in selector.select(timeout=1.0):
            if key.data == "signal":
                os.read(wake_read, 4096)
                reap()
            elif key.data == "listener":
                conn, _ = listener.accept()
                try:
                    request, stdio = _read_request(conn)
                except (OSError, ValueError, ConnectionError):
                    conn.close()
                    continue
                pid = os.fork()
                if pid == 0:
                    listener.close()
                    for other in children.values():
                        if other is not None:  # a child whose shim has gone is kept as None until reaped
                            other.close()
                    conn.close()
                    os.close(wake_read)
                    os.close(wake_write)
                    _run_kernel(request, stdio)
                for fd in stdio:
                    os.close(fd)
                children[pid] = conn
                conn.sendall(f"pid {pid}\n".encode())
                selector.register(conn, selectors.EVENT_READ, pid)
            else:
                # The shim said nothing more is coming: it was killed, so its kernel goes too.
                conn = key.fileobj
                try:
                    gone = not conn.recv(1)
                except OSError:
                    gone = True
                if gone and key.data in children:
                    try:
                        os.kill(key.data, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    selector.unregister(conn)
                    conn.close()
                    children[key.data] = None  # reaped (and forgotten) when it exits
        reap()
    for pid in list(children):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    listener.close()


if __name__ == "__main__":
    serve(sys.argv[1])

"""The command jupyter_client runs as a kernel when the build uses forked kernels (sotebook/site/kernels.py).

    python -I -S kernel_shim.py <connection file>

It asks the kernel server (its socket path in $SOTEBOOK_KERNEL_SERVER) to fork a kernel for the
connection file, in this process's working directory and environment; passes SIGINT (an
interrupt) and SIGTERM on to that kernel; and exits with the kernel's exit code when it ends. If
this process is killed, the server sees the connection close and kills the kernel. Standard
library only, run without site-packages, so it starts in a few milliseconds.
"""
import json
import os
import signal
import socket
import sys


def main() -> int:
    connection_file = sys.argv[1]
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.connect(os.environ["SOTEBOOK_KERNEL_SERVER"])
    env = {k: v for k, v in os.environ.items() if k != "SOTEBOOK_KERNEL_SERVER"}
    request = {"connection_file": os.path.abspath(connection_file), "cwd": os.getcwd(), "env": env}
    # With this process's standard input, output and error, for the kernel to use as its own.
    message = json.dumps(request).encode() + b"\n"
    sent = socket.send_fds(server, [message], [0, 1, 2])
    if sent < len(message):
        server.sendall(message[sent:])
    reader = server.makefile("r", encoding="utf-8")
    first = reader.readline().split()
    if len(first) != 2 or first[0] != "pid":
        print(f"kernel_shim: the kernel server did not fork a kernel ({first})", file=sys.stderr)
        return 1
    kernel = int(first[1])

    def forward(number, _frame):
        try:
            os.kill(kernel, number)
        except ProcessLookupError:
            pass

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    while True:
        try:
            line = reader.readline()
            break
        except InterruptedError:  # a forwarded signal interrupted the wait: keep waiting
            continue
    words = line.split()
    if len(words) == 2 and words[0] == "exit":
        code = int(words[1])
        return code if code >= 0 else 128 - code
    return 1


if __name__ == "__main__":
    sys.exit(main())

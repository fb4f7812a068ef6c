"""The one convention for errors a user can act on, shared by every command (`make data`, `make book`,
`make pdf`, `make release`, `python -m sotebook...`).

Every error the project raises for bad input derives from `ProjectError`; its message is complete in
itself (the file, the line where there is one, the key, the value and the rule broken). A command's
`main` runs its work through `run`, which prints that message after the command's name and exits 1:
no traceback for bad input, in the main process or, passed back as text, in a worker.
"""
from __future__ import annotations

import sys
from typing import Callable


class ProjectError(Exception):
    """Bad input or a state the user can fix; the message says where, what and what to do."""


def run(prefix: str, work: Callable[[], int | None]) -> int:
    """Run a command's work; a ProjectError becomes `<prefix>: <message>` on stderr and exit status 1."""
    try:
        return work() or 0
    except ProjectError as error:
        print(f"{prefix}: {error}", file=sys.stderr)
        return 1

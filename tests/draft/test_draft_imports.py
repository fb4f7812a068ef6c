"""The draft package reads the data stage only, through one module (sotebook/draft/upstream.py), so the
package's reorganisation renames its imports in one place and no page or site module is ever drawn in."""
import ast

from sotebook.paths import ROOT

DATA_STAGE = {"data", "paths"}


def _sotebook_imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level >= 2:
            yield (node.module or "").split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("sotebook"):
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("sotebook"))


def test_only_upstream_imports_the_data_stage_and_nothing_else():
    found = {path.name: set(_sotebook_imports(path)) for path in (ROOT / "sotebook" / "draft").glob("*.py")}
    assert {name for name, modules in found.items() if modules} == {"upstream.py"}, found
    assert found["upstream.py"] <= DATA_STAGE, found["upstream.py"]

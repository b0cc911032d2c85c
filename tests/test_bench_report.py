"""The benchmarks' own housekeeping: they use only public names of the app and nothing from tests/."""

import ast
from pathlib import Path

ROOT = Path(__file__).parents[1]
BENCHMARKS = ROOT / "benchmarks"


def _trouble(path: Path) -> list[str]:
    """Imports from tests/, and private names (a leading underscore) taken from trivsel's modules."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    from_trivsel, found = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] == "tests"]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] == "tests":
                found.append(node.module)
            elif node.module.split(".")[0] == "trivsel":
                from_trivsel |= {alias.asname or alias.name for alias in node.names}
                found += [f"{node.module}.{alias.name}" for alias in node.names if alias.name.startswith("_")]
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in from_trivsel
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            found.append(f"{node.value.id}.{node.attr}")
    return [f"{path.name}: {name}" for name in found]


def test_the_benchmarks_import_nothing_from_tests_and_no_private_names_of_the_app():
    assert [problem for path in sorted(BENCHMARKS.glob("*.py")) for problem in _trouble(path)] == []


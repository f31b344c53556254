"""Benchmarks and scripts stand on the project's own modules, never on the tests."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_roots(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted([*ROOT.glob("bench/*.py"), *ROOT.glob("scripts/*.py")]),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_benches_and_scripts_never_import_the_tests(path):
    assert "tests" not in imported_roots(path)

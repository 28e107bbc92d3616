"""docs/architecture.md names every module of generator/, so that the picture of the build
stays whole: a new module fails this test until it is placed there."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator"
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def holds_code(path: Path) -> bool:
    """True when the file has more than a docstring and ``from __future__`` imports."""
    body = ast.parse(path.read_text("utf-8")).body
    rest = [
        node
        for node in body
        if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
        and not (isinstance(node, ast.ImportFrom) and node.module == "__future__")
    ]
    return bool(rest)


def modules() -> list[str]:
    """Every module as the page names it: its path under generator/ (a package's
    ``__init__.py`` only when it holds code)."""
    return [
        path.relative_to(PACKAGE).as_posix()
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "__init__.py" or holds_code(path)
    ]


def test_every_module_is_in_the_architecture() -> None:
    text = ARCHITECTURE.read_text("utf-8")
    missing = [name for name in modules() if not re.search(rf"(?<![\w/.]){re.escape(name)}", text)]
    assert missing == [], "name these modules in docs/architecture.md"


def test_the_test_sees_packages() -> None:
    assert "export/data.py" in modules()
    assert "importers/__init__.py" in modules()
    assert "__init__.py" not in modules()

"""The modules of generator/ import downwards only: each belongs to a layer of the build, and
may import its own layer and those below, never one above; and no two modules import each
other, even through others (lazy imports inside functions count too). The layers, from the
bottom up, are those of docs/architecture.md."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# A module's layer: its dotted name, or the package it is in, without "generator.".
LAYERS: dict[str, int] = {
    # 0, the base: the repository's layout, small topics, the cache and the publisher
    **dict.fromkeys(
        [
            "errors",
            "layout",
            "urls",
            "names",
            "dates",
            "countries",
            "contact",
            "identifiers",
            "spreadsheet",
            "fields",
            "i18n",
            "labels",
            "cache",
            "fingerprint",
            "parallel",
            "lock",
            "publish",
            "markup",
            "assets",
            "yaml_writer",
            "official_links",
        ],
        0,
    ),
    # 1, reading: YAML -> a validated model
    **dict.fromkeys(
        ["load", "validate", "model", "checks", "git", "tombstones", "read", "changelog"], 1
    ),
    # 2, what is made of the model: pages, downloads, search
    **dict.fromkeys(
        [
            "render",
            "charts",
            "export",
            "screening",
            "search",
            "downloads",
            "paging",
            "dataset",
            "listing_file",
        ],
        2,
    ),
    # 3, the plan of every file
    "plan": 3,
    # 4, the build
    **dict.fromkeys(["build", "inputs", "completeness"], 4),
    # 5, the commands and the tools around the build
    **dict.fromkeys(
        [
            "cli",
            "cli_options",
            "cli_diff",
            "cli_import",
            "cli_screen",
            "serve",
            "serve_requests",
            "diff",
            "new",
            "docs",
            "importers",
            "reconcile",
        ],
        5,
    ),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, known: set[str]) -> set[str]:
    """The modules of generator/ that ``path`` imports (``from generator import x`` names the
    module x when there is one)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            if name.startswith("generator."):
                inner = name.removeprefix("generator.")
                if inner in known:
                    found.add(inner)
    return found


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports(path, known) - {name} for name, path in found.items() if name}


def layer(name: str) -> int:
    top = name.split(".", maxsplit=1)[0]
    assert name in LAYERS or top in LAYERS, f"generator/{name}: give it a layer in LAYERS"
    return LAYERS.get(name, LAYERS.get(top, -1))


def test_every_module_has_a_layer() -> None:
    for name in graph():
        layer(name)


def test_no_module_imports_a_higher_layer() -> None:
    upward = [
        f"{name} (layer {layer(name)}) imports {other} (layer {layer(other)})"
        for name, others in sorted(graph().items())
        for other in sorted(others)
        if layer(other) > layer(name)
    ]
    assert upward == []


def test_no_import_cycle() -> None:
    edges = graph()
    cycles = []
    state: dict[str, int] = {}  # 1: being visited, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for other in sorted(edges[name]):
            if state.get(other) == 1:
                cycles.append(" -> ".join([*path[path.index(other) :], other]))
            elif other not in state:
                visit(other, [*path, other])
        state[name] = 2

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert cycles == []

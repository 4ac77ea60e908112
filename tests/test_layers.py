"""The engine stands without the renderer: of its modules only the CLI imports `render`
(lazily, to draw and report), so an app embedding the engine never loads it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
    return names


def test_no_engine_module_but_the_cli_imports_the_renderer() -> None:
    """The command line (cli.py and the cli_*.py modules of its commands) draws; the
    engine an app embeds never does."""
    importers = sorted(path.name for path in (ROOT / "engine").glob("*.py")
                       if any(name.split(".")[:2] == ["gatetree", "render"]
                              or name.startswith(("render", "..render"))
                              for name in _imports(path)))
    assert importers and all(name == "cli.py" or name.startswith("cli_") for name in importers)

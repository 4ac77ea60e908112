"""One import name: gatetree. An app's own engine.py or render.py never shadows it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=cwd, check=False)


def test_an_app_with_its_own_engine_and_render_modules_still_gets_gatetree(
        tmp_path: Path) -> None:
    (tmp_path / "engine.py").write_text("raise SystemExit('the app engine was imported')\n")
    (tmp_path / "render.py").write_text("raise SystemExit('the app render was imported')\n")
    done = _python("from gatetree import load_tree\n"
                   "from gatetree.render import build_diagram, to_mermaid\n"
                   "tree = load_tree('retrain-or-tune')\n"
                   "print(tree.id, 'flowchart TB' in to_mermaid(build_diagram(tree)))\n",
                   tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.split() == ["retrain-or-tune", "True"]


def test_the_install_adds_no_top_level_engine_or_render(tmp_path: Path) -> None:
    done = _python("import importlib.util as u\n"
                   "print([n for n in ('engine', 'render') if u.find_spec(n)])\n", tmp_path)
    assert (done.returncode, done.stdout.strip()) == (0, "[]")

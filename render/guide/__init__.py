"""The interactive guide: one self-contained HTML page that walks a tree in a browser.

The page holds the compiled plan as JSON (`gatetree.plan_json`), the diagram as the
renderer's SVG, and a small walker (`python.js`, `bounds.js`, `walk.js`) that decides as the
engine does; no tree's logic is written twice. Scripts, styles and data are inline and a
Content Security Policy forbids every network request, so the page works offline from
`file://` or any static host. Tree texts reach the page only as JSON data and are set as
text, never as markup.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Mapping
from importlib.resources import files
from typing import Any

from gatetree._version import __version__
from gatetree.plan_json import plan_json
from gatetree.tree import DecisionTree

from ..build import build_diagram
from ..dot import to_dot
from ..run_dot import render_bytes

__all__ = ["guide_html", "guide_link"]

_ENGINE = ("python.js", "bounds.js", "walk.js")  # in this order: each uses the ones before


def guide_html(tree: DecisionTree, *, reference: str = "",
               params: Mapping[str, str] | None = None, doc: str = "") -> str:
    """The guide page for a tree. `reference` is how the page's command line names the tree
    (default: its id); `params` are param overrides as text (`NAME=VALUE`'s value), checked
    by the caller, that the page starts with; `doc` is the file name of the tree's Markdown
    doc beside the page, linked from it. Needs Graphviz's `dot` for the diagram."""
    page, css, ui = (_asset(name) for name in ("page.html", "guide.css", "ui.js"))
    engine = "\n".join(_asset(name) for name in _ENGINE)
    svg = render_bytes(to_dot(build_diagram(tree)), "svg").decode("utf-8")
    svg = svg[svg.find("<svg"):]  # no XML declaration or DOCTYPE: nothing to fetch
    meta = {"reference": reference or tree.id, "params": dict(params or {}), "doc": doc}
    hashes = " ".join(f"'sha256-{_digest(code)}'" for code in (engine, ui))
    values = {
        "__SCRIPT_HASHES__": hashes,
        "__VERSION__": html.escape(__version__),
        "__TITLE__": html.escape(f"{tree.spec.title} — guide"),
        "__CSS__": css,
        "__PLAN__": _json(plan_json(tree)),
        "__META__": _json(meta),
        "__SVG__": _json(svg),
        "__ENGINE__": engine,
        "__UI__": ui,
    }
    out = []
    rest = page
    while "__" in rest:  # one pass: a value is never searched for markers again
        start = rest.find("__")
        end = rest.find("__", start + 2)
        key = rest[start:end + 2] if end > start else ""
        if key in values:
            out.append(rest[:start])
            out.append(values[key])
            rest = rest[end + 2:]
        else:
            out.append(rest[:start + 2])
            rest = rest[start + 2:]
    out.append(rest)
    return "".join(out)


def guide_link(page: str) -> str:
    """The paragraph a tree's Markdown doc ends with when its guide is written beside it."""
    return (f"\n---\n\n[Open the interactive guide](<{page}>): the questions one at a time "
            "in a browser, with the path drawn on the diagram.\n")


def _asset(name: str) -> str:
    text = files(__package__).joinpath(name).read_text(encoding="utf-8")
    assert "</script" not in text.lower() or name == "page.html", name
    return text


def _digest(code: str) -> str:
    return base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")


def _json(data: Any) -> str:
    """JSON for a `<script type="application/json">` block: no `<`, `>` or `&` in it, so no
    text can close the block or open a comment, and no line separator a parser might trip on."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))

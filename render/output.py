"""Formats by name, and the one step that runs Graphviz's `dot`: DOT text in, SVG/PNG/PDF out.

No fallback: without `dot` the image formats fail with a message saying how to install
Graphviz, while DOT and Mermaid text keep working.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .errors import GraphvizNotFound, RenderError, UnknownFormat

__all__ = ["BINARY_FORMATS", "FORMATS", "IMAGE_FORMATS", "TEXT_FORMATS", "check_format",
           "render_bytes", "render_file"]

TEXT_FORMATS = ("dot", "mermaid", "markdown")
IMAGE_FORMATS = ("svg", "png", "pdf")
FORMATS = ("dot", "svg", "png", "pdf", "mermaid", "markdown")
"""Every format `gatetree render` can write; the image formats need Graphviz."""
BINARY_FORMATS = ("png", "pdf")
"""The formats that are not text (SVG is XML), so a terminal cannot show them."""


def check_format(name: str, known: tuple[str, ...] = FORMATS) -> str:
    """The format name, lower-cased; UnknownFormat (listing `known`) when it is not one."""
    lowered = name.lower()
    if lowered not in known:
        raise UnknownFormat(name, known)
    return lowered


def render_bytes(dot_text: str, fmt: str, *, executable: str = "dot",
                 timeout: float = 120) -> bytes:
    """SVG, PNG or PDF made by running `dot` on DOT text.

    Raises UnknownFormat for another format, GraphvizNotFound when `dot` is missing, and
    RenderError with Graphviz's message when `dot` fails.
    """
    fmt = check_format(fmt, IMAGE_FORMATS)
    program = shutil.which(executable)
    if program is None:
        raise GraphvizNotFound(executable, fmt)
    try:
        done = subprocess.run([program, f"-T{fmt}"], input=dot_text.encode("utf-8"),
                              capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise RenderError(f"Graphviz's '{executable}' took more than {timeout:g}s to draw "
                          f"the {fmt.upper()}") from None
    except OSError as exc:
        raise RenderError(f"cannot run Graphviz's '{program}': {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
        raise RenderError(f"Graphviz's '{executable}' failed to draw the {fmt.upper()}: "
                          f"{message}")
    return done.stdout


def render_file(dot_text: str, fmt: str, output_path: str | Path, *,
                executable: str = "dot") -> Path:
    """Write DOT text as `fmt` to a file: 'dot' as it is, 'svg'/'png'/'pdf' through `dot`."""
    fmt = check_format(fmt, ("dot", *IMAGE_FORMATS))
    path = Path(output_path)
    if fmt == "dot":
        data = dot_text.encode("utf-8")
    else:
        data = render_bytes(dot_text, fmt, executable=executable)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path

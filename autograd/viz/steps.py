"""The backward pass, step by step: one picture per node, the grads as they fill in.

``backward_steps(root)`` replays the chain rule of ``root.backward()`` on a
dictionary of grads (``core/backward.py``'s ``chain_rule``, the same loop
``gradients()`` uses), never on the Values themselves, and draws the graph
after each node has handed its grad to its parents.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..core.backward import chain_rule, topological_order
from ..core.convert import as_float
from ..core.ops import OPS
from ..core.value import Value
from .drawing import Drawing, check_root
from .layout import positions
from .options import check_options
from .picture import build_graph, format_number


def backward_steps(root: Value, *, gradient: float = 1.0, rankdir: str = "LR",
                   show: str = "local", color: str = "role", cluster: Any = None,
                   max_nodes: int | None = 300,
                   size: float | tuple[float, float] | str | None = None,
                   ratio: float | str | None = None,
                   font_size: float | None = None) -> Iterator[BackwardStep]:
    """The backward pass from ``root``, one :class:`BackwardStep` per node.

    Replays what ``root.backward()`` does (root grad = ``gradient``; then, for
    each node in reverse topological order, ``parent.grad += local_grad ×
    node.grad`` along each edge) on copies of the grads, starting from zero
    everywhere, as after ``zero_grad()``: the Values themselves are never
    touched, so stopping half-way leaves no graph half-filled. Each step's
    picture highlights the node just processed and shows the grads so far
    (with ``show="chain"``, the products grad × local on the edges gone along
    so far; the others show their local derivative). Every picture has the
    same layout: nodes stay where they are from one step to the next.
    Options as for :func:`draw_graph`, but ``max_nodes`` refuses: a graph of
    n Values makes n pictures of n Values each, so 10,000 Values would take
    gigabytes; ``max_nodes=None`` replays any size. In a notebook,
    ``steps = list(...)`` and a slider:
    ``ipywidgets.interact(lambda i: steps[i], i=(0, len(steps) - 1))``.

        >>> from autograd import Value
        >>> x = Value(3.0, "x")
        >>> y = x * x
        >>> [(step.node is x, step.grads[x]) for step in backward_steps(y)]
        [(False, 6.0), (True, 6.0)]
        >>> x.grad
        0.0
    """
    check_root(root, "backward_steps()")
    options = check_options(rankdir, show, color, cluster, max_nodes, size, ratio, font_size)
    gradient = as_float(gradient, "backward_steps(gradient=...)")
    order = topological_order(root)
    if max_nodes is not None and len(order) > max_nodes:
        raise ValueError(
            f"backward_steps() replays the graph of {len(order)} values one node at a time: "
            f"{len(order)} pictures of {len(order)} values each, more than max_nodes="
            f"{max_nodes} allows (the memory grows with the square of the size). Replay a "
            f"part of it (backward_steps of a Value half-way through), draw the whole once "
            f"with draw_graph(), or pass max_nodes=None (or a larger number) to replay it all")
    return _replay(root, order, gradient, options)


def save_backward_steps(root: Value, folder: str | Path, *, prefix: str = "step",
                        **options: Any) -> list[Path]:
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


class BackwardStep(Drawing):
    """One step of :func:`backward_steps`: ``node`` has just handed its grad to its parents.

    A :class:`Drawing` (the graph with ``node`` highlighted, titled by
    ``caption``) that also carries ``index`` (0 up to ``total - 1``) and
    ``grads``: every Value of the graph -> its grad after this step (a copy).
    Its picture is built when first asked for (``source``, ``svg()``), at the
    positions shared by every step.

        >>> from autograd import Value
        >>> x = Value(3.0, "x")
        >>> next(backward_steps(x * x))
        <BackwardStep backward step 1 of 2: the × node hands its grad 1 to its parents>
    """

    def __init__(self, replay: _Replay, *, index: int, total: int, node: Value,
                 grads: dict[Value, float], caption: str, handed: set[Value]) -> None:
        """One frame of ``backward_steps``, which makes them: the picture and the numbers."""
        self._svg = {}
        self.summarized, self.values = False, total
        self.index, self.total, self.node, self.grads, self.caption = (
            index, total, node, grads, caption)
        self._replay, self._handed, self._graph, self._engine = replay, handed, None, "dot"

    def __repr__(self) -> str:  # short: a list of steps is often printed whole
        """``<BackwardStep backward step 1 of 2: ...>``: the caption, short for printing lists."""
        return f"<BackwardStep {self.caption}>"

    @property
    def graph(self) -> Any:
        """The ``graphviz.Digraph`` of this step, placed where every step puts its nodes."""
        if self._graph is None:
            self._graph, self._engine = self._replay.picture(self)
        return self._graph

    @property
    def source(self) -> str:
        """The DOT text of this step, with the positions shared by every step."""
        return self.graph.source

    @property
    def engine(self) -> str:  # type: ignore[override]
        """"nop2" (draw at the shared positions), or "dot" where no layout could be made."""
        return self.graph and self._engine


class _Replay:
    """What every step of one replay shares: the graph, the options, and one layout."""

    def __init__(self, root: Value, order: list[Value], options: dict[str, Any]) -> None:
        self.root, self.order, self.options = root, order, options
        self.widest: dict[Value, float] = {}  # each Value's grad with the longest text
        self.captions: list[str] = []
        self._fixed: Any = False  # False: not laid out yet; None: could not be

    def picture(self, step: BackwardStep) -> tuple[Any, str]:
        """``(graph, engine)`` for ``step``: at the shared positions where they could be found."""
        fixed = self._layout()
        args = (self.root, self.order, self.options, step.grads, step.node, step.caption,
                step._handed)
        if fixed is not None:
            try:
                return build_graph(*args, fixed=fixed)[0], "nop2"
            except ValueError:  # not the picture laid out (cannot happen by construction)
                pass
        return build_graph(*args)[0], "dot"

    def _layout(self) -> Any:
        if self._fixed is False:  # once per replay: one picture with the widest texts
            graph, _ = build_graph(self.root, self.order, self.options, self.widest,
                                   None, max(self.captions, key=len), set(self.order))
            self._fixed = positions(graph.source)
        return self._fixed


def _replay(root, order, gradient, options):
    replay = _Replay(root, order, options)
    # a first pass, numbers only, finds the widest text of each frame for the shared layout
    grads = dict.fromkeys(order, 0.0)
    for index, node in enumerate(chain_rule(root, gradient, grads, order)):
        replay.captions.append(_caption(index, len(order), node, grads[node]))
        for value in (node, *node.parents):
            if len(format_number(grads[value])) >= len(format_number(
                    replay.widest.get(value, 0.0))):
                replay.widest[value] = grads[value]
    grads = dict.fromkeys(order, 0.0)  # copies of the grads, as after zero_grad()
    handed = set()  # the nodes whose edges the chain rule has gone along so far
    for index, node in enumerate(chain_rule(root, gradient, grads, order)):
        handed.add(node)
        yield BackwardStep(replay, index=index, total=len(order), node=node, grads=dict(grads),
                           caption=replay.captions[index], handed=set(handed))


def _caption(index, total, node, grad):
    """``backward step 2 of 5: 'c' hands its grad 1 to its parents``."""
    name = repr(node.label) if node.label else (
        f"the {OPS[node.op].symbol} node" if node.op else "the highlighted node")
    if node.parents:
        what = f"hands its grad {format_number(grad)} to its parents"
    else:
        what = f"is a leaf: its grad {format_number(grad)} is complete"
    return f"backward step {index + 1} of {total}: {name} {what}"

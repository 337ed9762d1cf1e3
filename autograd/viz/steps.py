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
from .picture import build_graph, check_options, format_number


def backward_steps(root: Value, *, gradient: float = 1.0, rankdir: str = "LR",
                   show: str = "local", color: str = "role", cluster: Any = None,
                   max_nodes: int | None = 300) -> Iterator[BackwardStep]:
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
    check_root(root, "backward_steps()")
    options = check_options(rankdir, show, color, cluster, max_nodes)
    gradient = as_float(gradient, "backward_steps(gradient=...)")
    return _replay(root, topological_order(root), gradient, options)


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

        >>> from autograd import Value
        >>> x = Value(3.0, "x")
        >>> next(backward_steps(x * x))
        <BackwardStep backward step 1 of 2: the × node hands its grad 1 to its parents>
    """

    def __init__(self, graph: Any, summarized: bool, values: int, *, index: int, total: int,
                 node: Value, grads: dict[Value, float], caption: str) -> None:
        """One frame of ``backward_steps``, which makes them: the picture and the numbers."""
        super().__init__(graph, summarized, values)
        self.index, self.total, self.node, self.grads, self.caption = (
            index, total, node, grads, caption)

    def __repr__(self) -> str:  # short: a list of steps is often printed whole
        """``<BackwardStep backward step 1 of 2: ...>``: the caption, short for printing lists."""
        return f"<BackwardStep {self.caption}>"


def _replay(root, order, gradient, options):
    grads = dict.fromkeys(order, 0.0)  # copies of the grads, as after zero_grad()
    handed = set()  # the nodes whose edges the chain rule has gone along so far
    for index, node in enumerate(chain_rule(root, gradient, grads, order)):
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

"""The chain rule, in one place.

``backward(root)`` orders the graph so that every node comes after all the
nodes it was computed from (a topological order), then walks that order in
reverse. At each node it knows d(root)/d(node) (``node.grad``, complete
because every use of the node has already been visited) and hands it on:

    parent.grad += local_grad × node.grad        for each edge node -> parent

That sum over edges is the whole of backpropagation. A node used twice (a + a,
a * a, a diamond through intermediate nodes) has two edges and so receives
both contributions.

The loop is written twice, for two places to keep the sums: ``backward()``
adds them into the nodes' ``grad`` (the fast loop a training step runs), and
``chain_rule()`` into a dictionary, leaving every ``grad`` untouched (for
``gradients()``, for second derivatives, where the sums are Values, and for
the drawing's step-by-step replay). This module reads only a node's
``parents``, ``local_grads`` and ``grad``: it imports nothing from ``value.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from numbers import Real
from typing import Any

from .modes import NOT_RECORDED, EdgeCheck, constant, installed_edge_check
from .ops import local_grads_on_values


def topological_order(root: Any) -> list:
    """Every node ``root`` depends on, leaves included, each after all its parents; root last.

    The intermediate nodes come in the order backward() uses (see
    ``backward_order``); each leaf is placed just before the first node
    that uses it. Drawings and step-by-step views number nodes in this order.
    """
    order, placed = [], set()
    for node in backward_order(root, first_parent_first=True):
        for parent in node.parents:
            if not parent.parents and parent not in placed:
                placed.add(parent)
                order.append(parent)
        order.append(node)
    return order


def backward_order(root: Any, first_parent_first: bool = False) -> list:
    """``root`` and the non-leaf nodes it depends on, each after all its parents.

    A depth-first walk with an explicit stack, not recursion, so a chain a
    million nodes deep works under Python's default recursion limit. Each node
    is met twice: first it is pushed back with a ``_PLACE`` marker and its
    parents above it; when the marker comes off the stack, the parents are all
    placed and the node below it is placed too. (A shared marker rather than
    (node, flag) pairs, so a deep walk allocates no object per node.) Leaves
    are skipped: backward() only adds into their ``grad``, and most edges of a
    network lead to leaves (weights).
    ``first_parent_first`` places a node's earlier parents before its later
    ones (neuron 0 before neuron 1 in a drawing), at the cost of a reversed
    view per node, which backward() does not need.
    """
    order, seen = [], set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node is _PLACE:  # every parent of the node below the marker is placed
            order.append(stack.pop())
        elif node not in seen:  # first visit: come back after the parents
            seen.add(node)
            stack.append(node)
            stack.append(_PLACE)
            for parent in reversed(node.parents) if first_parent_first else node.parents:
                if parent.parents and parent not in seen:
                    stack.append(parent)
    return order


_PLACE = object()  # a marker on the walk's stack: "place the node below me"


def backward(root: Any, gradient: float = 1.0, create_graph: bool = False,
             retain_graph: bool | None = None) -> None:
    """Set ``root.grad = gradient`` and add d(root)/d(node) into every node's ``grad``.

    Intermediate (non-leaf) grads are reset to 0 first, so after the pass they
    show this pass only. Leaf grads accumulate across passes, as in PyTorch:
    reset them with ``zero_grad()`` between training steps. For a leaf root,
    ``gradient`` is added to its grad like any leaf's.

    A second ``backward()`` from the same root raises, as PyTorch's does once
    the first has freed the graph, unless the first passed ``retain_graph=True``
    (``create_graph=True`` implies it): a loss built once and back-propagated
    at every step would add stale gradients again, in silence. (PyTorch also
    raises for a new loss built on a spent one, ``(loss * 2).backward()``;
    here that pass runs, since only the root is marked.)

    ``create_graph=True``: every grad becomes a Value with its own graph (see
    ``gradients``), to be differentiated again; the default keeps plain floats.
    """
    if type(gradient) is not float:
        gradient = _as_gradient(gradient)
    _spend(root, create_graph if retain_graph is None else retain_graph)
    if create_graph:
        return _backward_with_graph(root, gradient)
    if not root.parents:  # a leaf: nothing to propagate
        try:
            root.grad += gradient
        except TypeError:
            _explain_grad_not_a_number(root, ())
        return
    order = backward_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = gradient
    nodes: Iterable = reversed(order)
    check = installed_edge_check()  # None, unless detect_anomaly() installed its check
    if check is not None:
        nodes = _checked(nodes, check)
    try:  # (a try costs nothing until something raises)
        for node in nodes:  # every node's grad is complete when it is reached
            grad = node.grad
            for parent, local_grad in zip(node.parents, node.local_grads):
                parent.grad += local_grad * grad  # the chain rule, one edge
    except TypeError:
        _explain_grad_not_a_number(root, order)


def _spend(root: Any, retain_graph: bool) -> None:
    """Check that ``root`` may be gone back from, and mark it unless its graph is retained."""
    check_root(root, "backward()")
    if not retain_graph and root.parents:
        root.spent = True  # (before the pass: a pass stopped half-way also counts)


def check_root(root: Any, where: str) -> None:
    """Refuse a root computed inside ``no_grad()``, or whose graph backward() has gone through."""
    if root.local_grads is NOT_RECORDED:
        raise RuntimeError(
            f"{where}: this Value ({root!r:.60}) was computed inside no_grad(), which records no "
            f"graph, so there is nothing to go back through and every grad would stay 0. "
            f"Compute the loss outside `with no_grad():` (keep no_grad() for evaluation and "
            f"for the optimizer's update).")
    if getattr(root, "spent", False):
        raise RuntimeError(
            f"{where}: an earlier backward() has already gone through the graph of this "
            f"Value ({root!r:.60}). A second pass would add the same gradients into the leaves "
            f"again (leaf grads accumulate across passes), which is almost always a mistake: in a "
            f"training loop, compute the loss inside the loop, at every step, and call "
            f"zero_grad() before backward(). To go back through the same graph twice on "
            f"purpose, pass retain_graph=True to the first backward(), as in PyTorch.")


def _checked(nodes: Iterable, check: EdgeCheck) -> Iterator:
    """The nodes, each passed to ``check(node, node.grad)`` before backward() uses its edges."""
    for node in nodes:
        check(node, node.grad)
        yield node


def gradients(root: Any, inputs: Iterable, create_graph: bool = False,
              gradient: float = 1.0) -> list:
    """[d(root)/d(x) for x in inputs], without reading or writing any ``grad``.

    PyTorch's ``torch.autograd.grad(root, inputs)``, or TensorFlow's
    ``tape.gradient(loss, [W, b])``: the same chain rule as ``backward()``,
    with the sums kept in a dictionary instead of in the nodes. An input that
    ``root`` does not depend on gets 0.0 (PyTorch would raise unless
    ``allow_unused=True``; 0 is the derivative).

    ``create_graph=True`` evaluates each edge's local-derivative rule on Values
    (``d/dx tanh x = (1 − y)(1 + y)`` with y the tanh node itself), so every
    gradient is a Value whose own graph leads back to the inputs: call
    ``gradients`` on it again for a second derivative.
    """
    check_root(root, "gradients()")
    inputs = list(inputs)
    for x in inputs:
        if not hasattr(x, "parents"):
            raise TypeError(f"gradients() takes the Values to differentiate with respect to, "
                            f"got {type(x).__name__} {x!r:.40}")
    if type(gradient) is not float:
        gradient = _as_gradient(gradient)
    sums = _sums(root, gradient, create_graph)
    zero = constant(root, 0.0) if create_graph else 0.0
    return [sums.get(x, zero) for x in inputs]


def chain_rule(root: Any, gradient: Any, sums: dict, order: list | None = None,
               create_graph: bool = False) -> Iterator:
    """The chain rule into ``sums`` ({node: d(root)/d(node)}): yields each node once handed on.

    Walks ``order`` (by default ``backward_order(root)``) in reverse; each
    node's sum is complete when it is reached, and its edges add
    ``local_grad × sum`` into its parents' sums. With ``create_graph`` the
    local derivatives are Values (see ``ops.local_grads_on_values``). A node
    already in ``sums`` (a 0.0 given by the caller) is added to, else set.
    """
    sums[root] = gradient
    check = installed_edge_check()  # inside detect_anomaly(): check each node's edges
    for node in reversed(backward_order(root) if order is None else order):
        grad = sums[node]  # complete: every node that uses this one came earlier
        if node.parents:
            if check is not None:
                check(node, grad)  # (on the stored float local grads, before any is used)
            local = local_grads_on_values(node) if create_graph else node.local_grads
            for parent, local_grad in zip(node.parents, local):
                term = local_grad * grad
                sums[parent] = sums[parent] + term if parent in sums else term
        yield node


def _sums(root: Any, gradient: float, create_graph: bool) -> dict:
    """{node: d(root)/d(node)} for every node ``root`` depends on (root included)."""
    sums: dict = {}
    for _ in chain_rule(root, constant(root, gradient) if create_graph else gradient, sums,
                        create_graph=create_graph):
        pass
    return sums


def _backward_with_graph(root: Any, gradient: float) -> None:
    """``backward(create_graph=True)``: the grads as Values, stored in the nodes."""
    sums = _sums(root, gradient, create_graph=True)
    for node, grad in sums.items():
        if node.parents:
            node.grad = grad  # an intermediate node shows this pass only
        else:  # a leaf accumulates across passes (a float 0.0 is simply replaced)
            node.grad = grad if type(node.grad) is float and node.grad == 0.0 else node.grad + grad


def _as_gradient(gradient: Any) -> float:
    """``gradient`` as a float, or a TypeError that says what backward() takes."""
    if isinstance(gradient, Real):
        return float(gradient)
    raise TypeError(f"backward(gradient) takes the starting gradient d(root)/d(root) as a plain "
                    f"number (1.0 by default, which is what you almost always want), got "
                    f"{type(gradient).__name__} {gradient!r:.40}")


def _explain_grad_not_a_number(root: Any, order: Sequence) -> None:
    """Re-raise backward()'s TypeError naming the Value whose ``grad`` is not a number.

    Called only once the chain rule's loop has raised, so the loop pays nothing for it.
    """
    for value in [root, *(parent for node in order for parent in node.parents)]:
        if not isinstance(value.grad, Real):
            name = repr(value.label) if value.label else repr(value)
            raise TypeError(
                f"the grad of {name} is {value.grad!r:.40}, not a number, so backward() cannot "
                "add into it. Reset gradients with zero_grad() or x.grad = 0.0 (None is "
                "PyTorch's way to clear them; here grad is always a float). This pass stopped "
                "half-way: reset the grads, then call backward() again.") from None
    raise  # not a grad: the TypeError was about something else

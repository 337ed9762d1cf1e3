"""Checks for notebook 02b, where a learner writes a Value class and its backward() themselves.

The learner's class must keep the library's field names: ``data``, ``grad``,
``parents`` (the Values a node was computed from) and ``local_grads`` (one
d(node)/d(parent) per parent), and be made as ``Value(data, parents,
local_grads, op, label)``. Every check compares it with ``autograd`` on the
same graph and raises an ``AssertionError`` that says what differs:

- ``expect_op(Value, "tanh")``: the op's result and its parents, then its local
  derivatives through ``autograd.gradcheck``, which names the op (``your_tanh``)
  whose derivative disagrees with central differences;
- ``expect_topological(topological_order, Value)``: each node once, after its
  parents, the root last, and no RecursionError 5,000 nodes deep;
- ``expect_same_grads(Value, "used twice")``: the learner's ``backward()``
  against the library's, naming the first node whose grad differs.

The graphs of ``expect_same_grads`` are made, by default, with correct local
derivatives written straight into the learner's class (so that a wrong
``tanh`` does not fail the check of ``backward``); ``your_ops=True`` builds them
with the learner's own operators instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import autograd

from .feedback import expect_close, expect_gradcheck

OPS: dict[str, Callable[..., Any]] = {  # how each op is written, on the learner's Values or ours
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "tanh": lambda a: a.tanh(),
    "exp": lambda a: a.exp(),
}
POINTS: dict[str, list[tuple[float, ...]]] = {  # where each op is checked by default
    "add": [(0.7, -1.3), (2.0, 3.5)], "mul": [(0.7, -1.3), (-2.0, 0.25)],
    "tanh": [(0.4,), (-1.7,)], "exp": [(0.3,), (-2.2,)],
}


def expect_op(Value: type, op: str, points: Sequence[Sequence[float]] | None = None) -> None:
    """Pass when the learner's ``op`` (add, mul, tanh, exp) computes and differentiates right.

    At each point: the result's ``data`` against the library's, its ``parents``
    (the operands, in order) and one local derivative per parent; then the local
    derivatives through ``autograd.gradcheck`` on the op registered as ``your_<op>``.
    """
    write = OPS[op]
    for point in points or POINTS[op]:
        leaves = [Value(x) for x in point]
        result = write(*leaves)
        shown = f"{op}{tuple(point)}"
        for field in ("data", "parents", "local_grads"):
            if not hasattr(result, field):
                raise AssertionError(f"{shown} gave {result!r}, which has no {field}: return a "
                                     f"Value(data, parents, local_grads, op)")
        ours = write(*[autograd.Value(x) for x in point])
        expect_close(f"the data of {shown}", result.data, ours.data, tol=1e-12)
        if tuple(result.parents) != tuple(leaves):
            raise AssertionError(f"the parents of {shown} should be its {len(leaves)} "
                                 f"operand(s), in order; got {result.parents!r}")
        if len(result.local_grads) != len(leaves):
            raise AssertionError(f"{shown} has {len(result.local_grads)} local derivatives for "
                                 f"{len(leaves)} parent(s): one d(out)/d(parent) per parent")
    _gradcheck_yours(Value, op, points or POINTS[op])


def _gradcheck_yours(Value, op, points):
    """gradcheck on a graph of one op of the library whose rule is the learner's op."""
    write, name = OPS[op], f"your_{op}"

    def forward(*numbers):
        return write(*[Value(x) for x in numbers]).data

    def derivative(*numbers):
        local = tuple(float(g) for g in write(*[Value(x) for x in numbers]).local_grads)
        return local if len(local) > 1 else local[0]

    # the op's arity is read from its forward's signature
    rule = (lambda a, b: forward(a, b)) if len(points[0]) == 2 else (lambda a: forward(a))
    autograd.register_op(name, rule, derivative, replace=True)
    try:
        def binary(a, b):
            return getattr(a, name)(b)

        def unary(a):
            return getattr(a, name)()

        for point in points:
            expect_gradcheck(binary if len(point) == 2 else unary, *point)
    finally:
        autograd.unregister_op(name)


def expect_topological(topological_order: Callable[[Any], list], Value: type) -> None:
    """Pass when ``topological_order(root)`` lists each node once, after its parents, root last."""
    for name, build in GRAPHS.items():
        root, _ = build(_direct_ops(Value))
        order = list(topological_order(root))
        if not order or order[-1] is not root:
            raise AssertionError(f"on the graph {name!r}, the root should come last in the "
                                 f"order, got {_names(order)}")
        everything = _reachable(root)
        if len(order) != len(set(order)) or set(order) != everything:
            raise AssertionError(f"on the graph {name!r}, the order should hold each of the "
                                 f"{len(everything)} nodes exactly once, got {_names(order)}")
        place = {node: i for i, node in enumerate(order)}
        for node in order:
            for parent in node.parents:
                if place[parent] > place[node]:
                    raise AssertionError(f"on the graph {name!r}, {_name(parent)} comes after "
                                         f"{_name(node)}, which was computed from it")
    chain = Value(0.0, label="x")
    for _ in range(5000):
        chain = Value(chain.data + 1.0, (chain,), (1.0,), "+")
    try:
        order = topological_order(chain)
    except RecursionError:
        raise AssertionError("a chain 5,000 nodes deep raised RecursionError: keep a list of "
                             "nodes to visit (a stack) instead of calling the function on "
                             "each parent") from None
    expect_close("the number of nodes in the chain's order", len(order), 5001, tol=0)


def expect_same_grads(Value: type, graph: str, your_ops: bool = False,
                      backward: Callable[[Any], None] | None = None) -> None:
    """Pass when the learner's backward() gives every node of ``graph`` the library's grad.

    ``graph``: a name in ``GRAPHS``. ``backward(root)`` replaces ``root.backward()``
    (to show a classic bug). The message names the first node, in the order the
    library computes them, whose grad differs.
    """
    build = GRAPHS[graph]
    yours, _ = build(_your_ops(Value) if your_ops else _direct_ops(Value))
    ours, _ = build(_our_ops())
    (backward or (lambda root: root.backward()))(yours)
    ours.backward()
    pairs = _pair(ours, yours)
    for node in reversed(autograd.topological_order(ours)):
        mine = pairs[node]
        expect_close(f"on the graph {graph!r}, ∂{_name(ours)}/∂{_name(node)}", mine.grad,
                     node.grad, tol=1e-9)


def _pair(ours, yours):
    """Map each node of our graph to the learner's node in the same place."""
    pairs, stack = {}, [(ours, yours)]
    while stack:
        a, b = stack.pop()
        if a in pairs:
            continue
        if len(a.parents) != len(b.parents):
            raise AssertionError(f"{_name(a)} should have {len(a.parents)} parent(s), yours has "
                                 f"{len(b.parents)}")
        pairs[a] = b
        stack.extend(zip(a.parents, b.parents))
    return pairs


# --- the graphs: each built from ops given to it, the learner's Values or ours ------------


def _used_twice(op):
    a = op.leaf(3.0, "a")
    b = _named(op.add(a, a), "b")      # a used twice by one node
    return _named(op.mul(b, b), "c"), [a]   # and b twice: dc/da = 2b · 2 = 24


def _diamond(op):
    x, y = op.leaf(0.5, "x"), op.leaf(-1.5, "y")
    u = _named(op.mul(x, y), "u")      # u reaches f along two paths
    return _named(op.mul(op.add(u, x), op.tanh(u)), "f"), [x, y]


def _neuron(op):
    x1, x2 = op.leaf(2.0, "x1"), op.leaf(0.0, "x2")
    w1, w2, b = op.leaf(-3.0, "w1"), op.leaf(1.0, "w2"), op.leaf(6.8813735870195432, "b")
    s = _named(op.add(op.add(op.mul(x1, w1), op.mul(x2, w2)), b), "s")
    return _named(op.tanh(s), "o"), [x1, x2, w1, w2, b]


def _softplus_like(op):
    z = op.leaf(0.8, "z")
    e = _named(op.exp(z), "e")
    return _named(op.mul(op.add(e, op.leaf(1.0, "one")), op.tanh(z)), "g"), [z]


def _named(node, label):
    node.label = label                 # so that a message says "∂c/∂b", not an expression
    return node


GRAPHS: dict[str, Callable[[Any], tuple[Any, list]]] = {
    "used twice": _used_twice, "diamond": _diamond, "neuron": _neuron,
    "exp and tanh": _softplus_like,
}


class _Ops:
    def __init__(self, leaf, add, mul, tanh, exp):
        self.leaf, self.add, self.mul, self.tanh, self.exp = leaf, add, mul, tanh, exp


def _our_ops() -> _Ops:
    return _Ops(lambda data, label: autograd.Value(data, label=label), *OPS.values())


def _your_ops(Value) -> _Ops:
    return _Ops(lambda data, label: Value(data, label=label), *OPS.values())


def _direct_ops(Value) -> _Ops:
    """The learner's nodes, made with correct local derivatives by this module."""
    def node(data, parents, local_grads, op):
        return Value(data, tuple(parents), tuple(local_grads), op)

    return _Ops(lambda data, label: Value(data, label=label),
                lambda a, b: node(a.data + b.data, (a, b), (1.0, 1.0), "+"),
                lambda a, b: node(a.data * b.data, (a, b), (b.data, a.data), "*"),
                lambda a: node(math.tanh(a.data), (a,), (1 - math.tanh(a.data) ** 2,), "tanh"),
                lambda a: node(math.exp(a.data), (a,), (math.exp(a.data),), "exp"))


def _reachable(root):
    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(node.parents)
    return seen


SYMBOLS = {"add": "+", "+": "+", "mul": "·", "*": "·"}


def _name(node) -> str:
    """A node as a learner reads it: its label, or the expression that made it."""
    if getattr(node, "label", ""):
        return node.label
    parents = [_name(parent) for parent in node.parents]
    symbol = SYMBOLS.get(node.op)
    if symbol and len(parents) == 2:
        return f"({parents[0]} {symbol} {parents[1]})"
    return f"{node.op}({', '.join(parents)})" if parents else f"{node.data:g}"


def _names(order) -> str:
    return "[" + ", ".join(_name(node) for node in order[:8]) + (", …]" if len(order) > 8 else "]")

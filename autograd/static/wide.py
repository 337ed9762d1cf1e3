"""Wide nodes in generated code: a dot or sum over many numbers, written over lists.

``writer.py`` writes one line per edge: ``g_w_7 = x_7 * g3``. That is the
fastest code to run, but CPython takes about 10 µs to compile each such line,
so a node with hundreds of inputs (a penalty λ Σ wᵢ² over a network's
parameters, the first layer on a 784-pixel image) would cost more to compile
than it ever saves. A dot or sum with at least ``WIDE`` numbers on a side is
written over lists instead, the same arithmetic in the same order:

* forward: ``v5 = sum(map(mul, w, w), 0.0)``, where
  ``sum(map(mul, w, x), b)`` is how the engine's ``dot`` adds
  ``b + w₁x₁ + … + wₙxₙ``, left to right;
* backward, when the side's Values are consecutive numbers of an argument
  list (``w[a:b]``) whose gradients are returned: that argument's gradients
  are kept in a list, ``g_w``, and the side's terms are added in one line,
  ``g_w[:] = map(add, g_w, map(mul, w, repeat(g5)))`` (or ``g_w[16:32]`` for a part):
  for each i, ``g_w[i] + w[i] * g5``, as backward() adds them. An argument's
  gradients go into a list only when every term they receive comes from such
  lines; otherwise (and for the other sides) the terms are written one line per
  edge, as usual. The list starts at -0.0, so that each first term is stored
  as it is, as ``gradients()`` does (see ``Writer._lists``).
"""

from __future__ import annotations

from operator import is_
from typing import Any

from .. import tree
from ..core.ops import OPS, operands
from ..core.value import Value

WIDE = 64  # a dot or sum with this many numbers on a side or more is written over lists


class Wide:
    """The wide nodes of one ``writer.Writer`` and the arguments whose gradients are lists.

    ``nodes``: {node: its sides, each ``(first operand, count, first operand
    of its partials or None for 1.0, run)``}; ``run`` is ``(argument index,
    expression, start, end)`` when the side's Values are items start..end of
    one argument list. ``listed``: {argument index: its leaves} for the
    arguments whose gradients are kept in a list; ``direct``: those of them
    whose numbers get one term per sample.
    """

    def __init__(self, writer):
        self.writer = writer
        # leaf -> (argument index, its list's source, its index there, the list)
        self.slot: dict = {}
        for i, (name, argument) in enumerate(zip(writer.args, writer.traced.arguments)):
            _slots(argument, name, i, self.slot)
        self.nodes, self.flat = {}, {}
        for node in writer.order:
            if node.op in _BUILT_IN and OPS[node.op] is _BUILT_IN[node.op]:  # not replaced
                flat = operands(node)[0]
                sides = _sides(node, flat)
                if sides[0][1] >= WIDE:
                    self.flat[node] = flat
                    self.nodes[node] = [(first, count, partials,
                                         self._run(flat[first:first + count]))
                                        for first, count, partials in sides]
        self.listed = self._listed(writer)
        # the listed arguments whose numbers get one term per sample: g.sum adds them
        # straight into its totals, with no list per sample
        self.direct = {i for i, leaves in self.listed.items()
                       if all(writer.edges_into[leaf] == 1 for leaf in leaves)}

    def _run(self, items):
        """``(argument index, expression, start, end)`` if ``items`` are consecutive list items."""
        slot = self.slot.get(items[0]) if isinstance(items[0], Value) else None
        if slot is None:
            return None
        argument, expression, start, leaves = slot
        end = start + len(items)
        if end > len(leaves) or not all(map(is_, leaves[start:end], items)):
            return None
        return argument, expression, start, end

    def _listed(self, writer):
        # argument index -> the gradient terms wide sides send to its numbers
        terms: dict[int, int] = {}
        for sides in self.nodes.values():
            for _, count, _, run in sides:
                if run and run[0] is not None:
                    terms[run[0]] = terms.get(run[0], 0) + count
        listed = {}
        for i in writer.positions:
            leaves = writer.traced.arguments[i]
            if (terms.get(i) and not isinstance(leaves, Value)
                    and terms[i] == sum(writer.edges_into[leaf] for leaf in leaves)
                    and not any(leaf is writer.output for leaf in leaves)):
                listed[i] = leaves
        return listed

    # --- lines ------------------------------------------------------------------
    def forward(self, node, out):
        """``v5 = sum(map(mul, w, x), b)`` (dot) or ``v5 = sum(items, 0.0)`` (sum)."""
        flat = self.flat[node]
        if node.op == "dot":
            n = (len(flat) - 1) // 2
            return (f"{out} = sum(map(mul, {self._list(flat[:n])}, {self._list(flat[n:2 * n])}), "
                    f"{self.writer.expression(flat[2 * n])})  # dot, over lists")
        return f"{out} = sum({self._list(flat)}, 0.0)  # sum, over lists"

    def backward(self, node, g, summing):
        """{first operand: (count, line)} for the sides of ``node`` that go into a list.

        ``g`` is the node's gradient (None for the output's, 1.0); ``summing``:
        whether the line adds into the totals of ``g.sum`` directly.
        """
        lines = {}
        for first, count, partials, run in self.nodes.get(node, ()):
            if not run or run[0] not in self.listed:
                continue
            if partials is None:  # sum: each term is the gradient itself
                terms = f"repeat({g or '1.0'}, {count})"
            else:
                terms = self._list(self.flat[node][partials:partials + count])
                terms = f"map(mul, {terms}, repeat({g}))" if g else terms
            name = self.name(run[0], summing and run[0] in self.direct)
            whole = (run[2], run[3]) == (0, len(self.listed[run[0]]))
            part = "[:]" if whole else f"[{run[2]}:{run[3]}]"
            source = name if whole else name + part
            lines[first] = (count, f"{name}{part} = map(add, {source}, {terms})")
        return lines

    def name(self, argument, total=False):
        """``g_w`` (one call's, or one sample's) or ``G_w`` (g.sum's total) for argument ``w``."""
        return ("G_" if total else "g_") + self.writer.args[argument]

    def display(self, argument, total):
        """The gradient of a listed argument, as the generated code returns it."""
        name = self.name(argument, total)
        kind = self.writer.arguments.type_name(self.writer.traced.arguments[argument])
        if kind == "list":
            return name
        return f"tuple({name})" if kind == "tuple" else f"{kind}(*{name})"  # a namedtuple

    def _list(self, items):
        """The source of a list of operands: ``w`` or ``w[16:32]`` when it is one, else a tuple."""
        run = self._run(items)
        if run:
            _, expression, start, end = run
            leaves = self.slot[items[0]][3]
            whole = (start, end) == (0, len(leaves))
            return expression if whole else f"{expression}[{start}:{end}]"
        items = list(map(self.writer.expression, items))
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


_BUILT_IN = {name: OPS[name] for name in ("dot", "sum")}


def _sides(node, flat):
    """``(first operand, count, first operand of the partials)``: d/dwᵢ = xᵢ, d/dxᵢ = wᵢ; sum: 1."""
    if node.op == "dot":
        n = (len(flat) - 1) // 2
        return [(0, n, n), (n, n, 0)]
    return [(0, len(node.parents), None)]  # a folded number comes after the parents


def _slots(container: Any, expression: str, argument: int | None, slot: dict) -> None:
    """Record, for each leaf in a list of ``container``, its list's source and its place there.

    ``argument`` is the argument's index for its own items, None for nested lists.
    """
    if not tree.is_container(container):
        return
    if tree.is_flat(container):
        for i, leaf in enumerate(container):
            slot[leaf] = (argument, expression, i, container)
        return
    for i, item in enumerate(container):
        _slots(item, f"{expression}[{i}]", None, slot)

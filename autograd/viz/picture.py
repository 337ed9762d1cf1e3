"""What a drawing shows: the ``graphviz.Digraph`` of a computation graph.

``drawing.py`` and ``steps.py`` are the public face (``draw_graph``,
``backward_steps``); this module decides what is on the slide:

* each Value is a card, ``label | data 2 | grad 0`` one under the other
  (``%.4g`` numbers), coloured by its role (input, parameter, intermediate,
  output) or its grad: narrow, so that a picture fits the width of a page;
* each op is a small node between its inputs and its output, named by the op
  table's symbol, with the op's formula as its tooltip; a number folded into
  the op (``x * 2``) is a small grey node feeding it; the plain-number inputs
  of a ``dot`` (the data fed to a first-layer neuron) are input records
  ``xᵢ | data …``, shared by the neurons they feed, as in the course's figures;
* each edge into an op carries the local derivative d(out)/d(input) stored by
  the engine, or with ``show="chain"`` the product ``upstream grad × local =
  contribution``, its label clear of the line; a node used twice (``a + a``)
  has two edges, entering the op at two corners; an op's inputs are side by
  side in operand order (a neuron's w₀, w₁, …, b);
* node ids come from the topological order (``n0``, ``n1``, ...; ``n3_op`` and
  ``n3_c`` for the op and constant that made ``n3``; ``x0_0`` for an input),
  never from ``id()``, so the same expression always gives the same text;
* with a model, each module (layer, neuron) is a box named by its path
  (``layers.0`` holding ``neurons.3``): see ``clusters.py``. The looks (fonts,
  colours) are in ``style.py``.

Nothing here changes a Value, and Graphviz is imported only when a graph is built.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from ..core.ops import OPS
from .clusters import add_nodes, cluster_homes, short_name
from .layout import Positions, place
from .style import FILL, FONT, FONT_SIZE, GRAD_FILL, HIGHLIGHT


def build_graph(root: Any, order: list, options: dict, grads: dict | None = None,
                highlight: Any = None, caption: str | None = None,
                handed: set | None = None, fixed: Positions | None = None) -> tuple[Any, bool]:
    """``(graphviz.Digraph, summarized)`` for ``order`` (topological, ``root`` last).

    ``grads`` (Value -> number) replaces the Values' own ``grad`` (the backward
    steps show partial sums); ``highlight`` outlines one Value and the edges it
    sends its grad along; ``caption`` titles the picture. ``handed``: the
    Values that have sent their grad to their parents so far (the backward
    steps); with ``show="chain"``, the other Values' edges show only the
    local derivative, their product not being computed yet (None: all have).
    ``fixed``: positions from ``layout.positions`` to draw everything at
    (render with the "nop2" engine); a ValueError if this picture's nodes
    and edges are not the ones laid out.

        >>> from autograd import Value, topological_order
        >>> from autograd.viz.options import check_options
        >>> y = Value(1.0) + 2
        >>> graph, summarized = build_graph(y, topological_order(y), check_options())
        >>> summarized, graph.source.count("->")
        (False, 3)
    """
    import graphviz  # here, not at the top: `import autograd` must not need Graphviz

    names, limit = options["names"], options["max_nodes"]
    homes = cluster_homes(order, names)
    layout = {"rankdir": options["rankdir"]}
    if homes:  # a second pass of crossing reduction shuffles a neuron's weights: see add_nodes
        layout["remincross"] = "false"
    if options["rankdir"] == "TB" and options["show"] == "chain":
        layout["nodesep"] = "0.6"  # the chain labels sit side by side: keep them apart
    elif options["rankdir"] == "TB" and any(len(set(v.parents)) < len(v.parents) for v in order):
        layout["nodesep"] = "0.5"  # a Value used twice by one op: room between its two labels
    layout.update({key: options[key] for key in ("size", "ratio") if options.get(key)})
    sizes = _font_sizes(options.get("font_size"))
    graph = graphviz.Digraph("computation graph", graph_attr=layout,
                             node_attr={**FONT, "fontsize": sizes["node"]},
                             edge_attr={**FONT, "fontsize": sizes["edge"]})
    if caption:  # on two lines, "backward step 2 of 8:" over what it does: no wider than a card
        head, colon, rest = caption.partition(": ")
        graph.attr(label=f"{head}:\\n{rest}" if colon else caption, labelloc="t", **FONT)
    grads = {value: value.grad for value in order} if grads is None else grads
    if limit is not None and len(order) > limit:
        graph.node("summary", label=_summary(root, order, names, limit, grads[root]),
                   shape="note")
        return graph, True
    fill = _fill_by_grad(grads) if options["color"] == "grad" else None
    slide = _Slide({value: f"n{i}" for i, value in enumerate(order)}, options, sizes)
    for value in order:
        home, role = homes.get(value, ()), _role(value, root, names)
        hot = HIGHLIGHT if value is highlight else {}
        if value.op is not None:
            chain = handed is None or value in handed
            slide.add_op(value, home, grads[value], hot, chain)
        slide.nodes.append((home, slide.ids[value], {
            "label": _record(value, names, grads[value], options["rankdir"]),
            "fillcolor": fill(value) if fill else FILL[role], "shape": "record", "style": "filled",
            "tooltip": f"{role} {names[value]}" if value in names else role, **hot}))
    if fixed is not None and not place(graph, slide.nodes, slide.edges, fixed):
        raise ValueError("this picture does not have the nodes and edges of its layout")
    add_nodes(graph, slide.nodes, boxes=fixed["boxes"] if fixed else None,
              rankdir=options["rankdir"])
    for tail, head, attrs in slide.edges:
        graph.edge(tail, head, **attrs)
    return graph, False


def format_number(number):
    """A number as the drawing shows it: ``%.4g``, 4 significant digits; −0 shows as 0.

        >>> format_number(2 / 3), format_number(6.0), format_number(123456.0), format_number(-0.0)
        ('0.6667', '6', '1.235e+05', '0')
    """
    return f"{float(number) + 0.0:.4g}"  # -0.0 + 0.0 is +0.0: a product by 0 is no "-0"


# --- nodes and edges ---------------------------------------------------------------

class _Slide:
    """The nodes and edges of one picture, collected in drawing order.

    ``ids`` maps each Value to its node id; ``nodes`` holds ``(home, id, attrs)``
    (home: the module box it is drawn in), ``edges`` ``(tail, head, attrs)``.
    """

    def __init__(self, ids, options, sizes):
        self.ids, self.show, self.rankdir = ids, options["show"], options["rankdir"]
        self.sizes = sizes
        self.nodes, self.edges = [], []
        self.inputs = {}  # (position, number) -> id of a plain-number input of dot, drawn once

    def add_op(self, value, home, grad, hot, chain=True):
        """The op node that made ``value``, its plain-number operands, and the edges in and out.

        ``chain``: with ``show="chain"``, label the edges grad × local = product.
        """
        op_id = self.ids[value] + "_op"
        edges = [(self.ids[parent], op_id, {"label": self._label(grad, local_grad, chain), **hot})
                 for parent, local_grad in zip(value.parents, value.local_grads)]
        if value.op == "dot" and value.constant is not None:
            edges = self._dot_operands(value, home, edges)
        elif value.constant is not None:
            constant_id = self._constant(value.constant, self.ids[value] + "_c", home)
            # edges in operand order, so that 2 - x draws its 2 first
            edges.insert(0 if value.constant_first else len(edges), (constant_id, op_id, {}))
        op = OPS[value.op]
        # inputs side by side in operand order, first on the left (or on top), where their
        # index is read off the picture: a neuron's w₀, w₁, …, b, the logits z₀, z₁, … of
        # logΣexp, and the 1 of 1 - y·s. Not forced for the other ops, whose Values other
        # edges may pull the other way: forcing x left of y in x·y, or the terms of a Σ in
        # order, made an edge loop round the others
        order = value.op in ("dot", "logsumexp") or value.constant is not None
        self.nodes.append((home, op_id, {"label": op.symbol, "tooltip": op.formula,
                                         **({"ordering": "in"} if order else {})}))
        self.edges.extend(self._spread_repeats(edges))
        self.edges.append((op_id, self.ids[value], {}))

    def _spread_repeats(self, edges):
        """A Value used twice by one op (``a + a``): its first edge enters the op at one corner,
        its last at the other, so that the two edges, and their labels, do not run side by
        side a few points apart."""
        tails = Counter(tail for tail, _, _ in edges)
        corners = ("nw", "sw" if self.rankdir == "LR" else "ne")
        seen: Counter = Counter()
        for index, (tail, head, attrs) in enumerate(edges):
            seen[tail] += 1
            if tails[tail] > 1 and seen[tail] in (1, tails[tail]):
                edges[index] = (tail, head, {**attrs, "headport": corners[seen[tail] > 1]})
        return edges

    def _label(self, grad, local_grad, chain):
        """An edge's label: the local derivative, or with ``show="chain"`` grad × local = product.

        Top to bottom, Graphviz starts a label where its edge passes, so a sloping
        or thick (highlighted) edge would run through its first character: the
        label starts two spaces to the right, and a chain label is two short lines.
        Left to right, it sets the label above that point, about 2 points over a
        level edge (less over a steep one; no attribute moves it further off).
        """
        label = format_number(local_grad)
        if self.show == "chain" and chain:
            product = format_number(grad * local_grad)
            if self.rankdir == "LR":
                return f"{format_number(grad)} × {label} = {product}"
            return f"  {format_number(grad)} × {label}\\l  = {product}\\l"
        return label if self.rankdir == "LR" else "  " + label

    def _dot_operands(self, value, home, parent_edges):
        """A dot's edges in operand order (w₁…wₙ, x₁…xₙ, b), plain numbers drawn as nodes.

        A plain-number input xᵢ (the data fed to a first-layer neuron) is an
        input record ``xᵢ | data …``, one per position and number, so the
        neurons of a layer share it; a plain weight or bias is a constant.
        """
        op_id, operands = self.ids[value] + "_op", value.constant
        width = (len(operands) - 1) // 2
        parents, edges = iter(parent_edges), []
        for position, number in enumerate(operands):
            if number is None:  # a Value operand (its parent edge), or no bias at all
                edge = next(parents, None)
                if edge is not None:
                    edges.append(edge)
            elif width <= position < 2 * width:
                edges.append((self._input(position - width, number), op_id, {}))
            else:
                suffix = "_c" if position == 2 * width else f"_w{position}"
                edges.append((self._constant(number, self.ids[value] + suffix, home), op_id, {}))
        return edges

    def _input(self, index, number):
        """The id of the input record ``xᵢ | data number``, added the first time it is needed."""
        key = (index, number)
        if key not in self.inputs:
            self.inputs[key] = node_id = f"x{index}_{len(self.inputs)}"
            self.nodes.append(((), node_id, {
                "label": _card([f"x{_subscript(index)}", f"data {format_number(number)}"],
                               self.rankdir),
                "fillcolor": FILL["input"], "shape": "record", "style": "filled",
                "tooltip": "input: a plain number, so no grad flows into it"}))
        return self.inputs[key]

    def _constant(self, number, node_id, home):
        self.nodes.append((home, node_id, {
            "label": format_number(number), "fillcolor": FILL["constant"],
            "fontsize": self.sizes["constant"], "height": "0.2", "shape": "box",
            "style": "rounded,filled", "width": "0.3"}))
        return node_id


def _font_sizes(font_size):
    """Points for node, edge and constant text: the style's, or scaled so nodes get ``font_size``.

        >>> _font_sizes(22)["node"] == "22" and float(_font_sizes(22)["edge"]) > 9
        True
    """
    if font_size is None:
        return dict(FONT_SIZE)
    factor = font_size / float(FONT_SIZE["node"])
    return {kind: f"{float(points) * factor:.3g}" for kind, points in FONT_SIZE.items()}


def _subscript(number):
    """12 -> '₁₂': the index of an input as the course writes it, x₀, x₁, ..."""
    return str(number).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _record(value, names, grad, rankdir):
    """``label | data 2 | grad 0``: a card, its fields one under the other.

    A card is narrow whichever way the graph runs, so a picture fits a page:
    records lay their fields across the rank direction (a column left to
    right), and braces turn them (a column top to bottom too).
    """
    fields = [f"data {format_number(value.data)}", f"grad {format_number(grad)}"]
    name = value.label or short_name(names.get(value))
    if name:  # a backslash escapes the characters that records give a meaning to
        fields.insert(0, "".join("\\" + c if c in "\\{}|<>" else c for c in name))
    return _card(fields, rankdir)


def _card(fields, rankdir):
    """The record label that stacks ``fields`` in a column for this ``rankdir``."""
    body = " | ".join(fields)
    return body if rankdir == "LR" else "{ " + body + " }"


def _role(value, root, names):
    if value is root:
        return "output"
    if value in names:
        return "parameter"
    return "intermediate" if value.parents else "input"


def _fill_by_grad(grads):
    """Value -> fill: blue for grad > 0, red for grad < 0, deeper as |grad| nears the largest."""
    largest = max((abs(g) for g in grads.values() if math.isfinite(g)), default=0.0)

    def fill(value):
        grad = grads[value]
        if not math.isfinite(grad):
            return GRAD_FILL["not finite"]  # the first thing a learner should notice
        if grad == 0:
            return GRAD_FILL["zero"]
        base: Any = GRAD_FILL["positive" if grad > 0 else "negative"]  # an (r, g, b) triple
        strength = 0.2 + 0.8 * abs(grad) / largest  # a floor, so that small grads still show
        return "#" + "".join(f"{round(255 + (c - 255) * strength):02x}" for c in base)
    return fill


def _summary(root, order, names, limit, root_grad):
    """The text drawn instead of a hairball: what the graph holds, and how to draw it anyway."""
    roles = Counter(_role(value, root, names) for value in order)
    ops = Counter(value.op for value in order if value.op is not None)
    lines = [f"{len(order)} values: too many to draw (max_nodes={limit}), so this is a summary",
             ", ".join(f"{kind}: {roles[role]}" for role, kind in (("input", "inputs"),
                       ("parameter", "parameters"), ("intermediate", "intermediate values"))
                       if roles[role]),
             "ops: " + ", ".join(f"{name} ×{count}" for name, count in sorted(ops.items())),
             f"output: data {format_number(root.data)}, grad {format_number(root_grad)}",
             "to draw it all, pass max_nodes=None (or a larger number)"]
    return "\\l".join(lines) + "\\l"  # \l ends a left-aligned line

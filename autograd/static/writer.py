"""Code generation: one trace of a function, written out as Python over plain floats.

For a graph traced by ``tracing.Traced``, ``Writer`` writes a function whose
body is the forward pass, one line per node in the engine's order
(``v12 = v3 * v7``), then the backward pass, one line per edge in the
reverse of that order (``g7 += v3 * g12``): exactly the chain rule's loop of
``core/backward.py``, unrolled. The names say what each number is:

* ``x_0``, ``params_12``, ``y``: the numbers of the arguments (``params[12]``);
  ``c1``: the current ``data`` of a Value f uses without receiving it;
* ``v12``: the value of node 12 (the 12th of the forward pass);
* ``g12``, ``g_params_12``: d(output)/d(that number), the sum over its uses
  of local derivative × the user's gradient. The output's own gradient is
  1.0, so its parents get the local derivative itself;
* ``d12``: the local derivatives of node 12 when an op of the table computes
  them (``OPS['sin'].partials`` is ``sin_partials``).

How each op is written is ``inline.py``'s job, the arguments' names and
structure check are ``arguments.py``'s, the text itself ``source.py``'s. A
dot or sum over many numbers (``wide.WIDE``) is written over lists instead of
a line per edge, which would take longer to compile than to run (``wide.py``).
"""

from __future__ import annotations

from .. import tree
from ..core.backward import topological_order
from ..core.ops import OPS, operands
from ..core.value import Value
from .arguments import Arguments, usable
from .inline import HELPERS, inline_rule, inline_term, table_call
from .source import accumulate, comment, indent, literal, term, tuple_of, zeros
from .wide import Wide


class Writer:
    """Writes the generated function of one trace: ``function()`` or ``function(shared=k)``.

    ``names``: the parameter names to use (f's, when they are plain
    identifiers); ``positions``: the arguments whose gradients are returned;
    ``single``: argnums was an int (one gradient, not a tuple of them);
    ``wrt``: None, or a list of leaf Values from outside the arguments whose
    gradients are returned too, after the arguments'. ``namespace`` holds the
    helpers and table functions the code calls.
    """

    def __init__(self, traced, names, positions, single, title="f", wrt=None):
        self.traced, self.positions, self.single, self.wrt = traced, positions, single, wrt
        self.order = [node for node in traced.order if node.parents]  # backward: its reverse
        # the forward pass in the drawings' order (neuron 0 first); any topological order
        # gives the same numbers, only the backward pass's order changes rounding
        forward = dict.fromkeys(node for out in traced.outputs for node in topological_order(out))
        self.forward_order = [node for node in forward if node.parents]
        self.output = traced.output  # one Value, when a gradient is asked for
        self.namespace = dict(HELPERS)
        self.origin = title
        self.name = title if usable(title) else "f"
        self.arguments = Arguments(names, traced.arguments, self.namespace)
        self.args = self.arguments.names
        self.value: dict[Value, str] = dict(self.arguments.leaf_names)
        self.captured: list[Value] = []
        self.nodes = 0
        self._term: dict = {}  # node -> (k, g) -> the source of local derivative k × g
        self._positions: dict = {}
        wrt = [*(leaf for i in positions for leaf in tree.leaves(traced.arguments[i])),
               *(wrt or ())]
        self.needs = set(wrt)  # the nodes on a path to a returned gradient
        self.edges_into = dict.fromkeys(wrt, 0)
        for node in self.order:
            for parent in node.parents:
                if parent in self.needs:
                    self.needs.add(node)
                if parent in self.edges_into:
                    self.edges_into[parent] += 1
        self.wide = Wide(self)  # wide dots and sums, and the gradients kept in lists
        self.grad = {}
        self.forward_lines = self._forward()

    # --- the whole function ------------------------------------------------------
    def function(self, shared=None):
        """The source of ``f(args) -> (value, gradient)``, or with ``shared`` the summing one."""
        trees = self.traced.arguments
        if shared is None:
            body = self.forward_lines + self._check_output()
            if self.needs:
                body += self._lists(self.wide.listed, False) + self._backward({})
            value = self.arguments.display(self.output, self.value.__getitem__)
            body.append(f"return {value}, {self._gradient(self._per_sample)}")
            unused = self.arguments.unused(body)
            head = [f"def {self.name}({', '.join(self.args)}):", *docstring(self, None),
                    *self.arguments.guard(self.args, trees, "    ", unused),
                    *self.arguments.unpack(self.args, trees, "    ", unused), *self._reads()]
            return "\n".join(head + indent(body, "    ")) + "\n"
        outer, inner = self.args[:shared], self.args[shared:]
        listed = self.wide.listed
        in_lists = {leaf for leaves in listed.values() for leaf in leaves}
        totals = {leaf: "G" + self._grad_name(leaf)[1:] for leaf in self.edges_into
                  if leaf in self.value and leaf not in in_lists}  # (a Value of wrt f uses)
        per_sample = {i: leaves for i, leaves in listed.items() if i not in self.wide.direct}
        body = (self.forward_lines + self._check_output() + self._lists(per_sample, False)
                + self._backward(totals, summing=True))
        body += [f"{self.wide.name(i, True)}[:] = map(add, {self.wide.name(i, True)}, "
                 f"{self.wide.name(i)})" for i in per_sample]
        body.append(f"total += {self.value[self.output]}")
        tail = f"return total, {self._gradient(lambda leaf: totals.get(leaf, '0.0'), True)}"
        unused = self.arguments.unused(body + [tail])
        head = [f"def {self.name}_sum({', '.join([*outer, 'batch'])}):", *docstring(self, shared),
                *self.arguments.guard(outer, trees[:shared], "    ", unused),
                *self.arguments.unpack(outer, trees[:shared], "    ", unused), *self._reads(),
                "    total = 0.0", *indent(zeros(list(totals.values())), "    "),
                *indent(self._lists(listed, True), "    "),
                f"    for {tuple_of(inner)} in batch:",
                *self.arguments.guard(inner, trees[shared:], "        ", unused),
                *self.arguments.unpack(inner, trees[shared:], "        ", unused)]
        return "\n".join(head + indent(body, "        ") + indent([tail], "    ")) + "\n"

    # --- names -------------------------------------------------------------------
    def _name(self, value):
        """The name of a Value's number: a leaf's, ``c1`` for one from outside, else ``vN``."""
        if value not in self.value:
            if value.parents:
                self.nodes += 1
                self.value[value] = f"v{self.nodes}"
            else:
                self.captured.append(value)
                self.namespace[f"C{len(self.captured)}"] = value
                self.value[value] = f"c{len(self.captured)}"
        return self.value[value]

    def _grad_name(self, value):
        if value not in self.grad:  # g12 for v12, g_x_0 for the argument's number x_0
            name = self.value[value]
            self.grad[value] = "g" + name[1:] if value.parents else "g_" + name
        return self.grad[value]

    # --- the forward pass ----------------------------------------------------------
    def _forward(self):
        lines, label = ["# forward pass: each node's value, from its parents'"], ""
        for leaf in [p for node in self.order for p in node.parents] + self.traced.outputs:
            if not leaf.parents:
                self._name(leaf)  # the Values from outside first: c1, c2, ...
        for node in self.forward_order:
            if node.label and node.label != label:
                lines.append(comment(node.label))
                label = node.label
            lines += self._node_lines(node, self._name(node))
        return lines

    def _node_lines(self, node, out):
        flat, positions = operands(node)
        a = [self.value[x] if isinstance(x, Value) else literal(x) for x in flat]
        op = OPS[node.op]
        rule = inline_rule(node, flat)
        self._positions[node] = positions
        if rule:
            self._term[node] = lambda k, g, a=a, out=out: inline_term(node.op, a, out, k, g)
            if node in self.wide.nodes:
                return [self.wide.forward(node, out)]
            return [f"{out} = {rule[0](a, out)}  # {node.op}"]
        call = table_call(op, "forward", a, self.namespace)
        lines = [f"{out} = {call}  # {node.op}, by the op table"]
        if any(parent in self.needs for parent in node.parents):
            d = "d" + out[1:]
            lines.append(f"{d} = {table_call(op, 'partials', a, self.namespace, out)}")
            # the output's own edges: × 1.0 all the same, so that a masked 0 (ops.MASKED) is
            # turned into a plain 0.0 here, as backward() turns it, and masks nothing further
            self._term[node] = lambda k, g, d=d: term(f"{d}[{k}]", g or "1.0")
        return lines

    def _lists(self, listed, total):
        """``g_w = [-0.0] * 337``: the gradient lists of ``listed`` (see wide.py).

        A total starts at 0.0. A call's (or a sample's) gradient starts at -0.0,
        which adds to any number x as x, sign of zero included: its first term
        is stored as it is, as gradients() stores it; 0.0 for a number no term reaches.
        """
        lines = []
        for i, leaves in listed.items():
            starts = ["0.0" if total or not self.edges_into[leaf] else "-0.0" for leaf in leaves]
            runs: list[tuple[str, int]] = []  # (start, how many in a row)
            for start in starts:
                if runs and runs[-1][0] == start:
                    runs[-1] = (start, runs[-1][1] + 1)
                else:
                    runs.append((start, 1))
            text = " + ".join(f"[{start}] * {count}" for start, count in runs)
            lines.append(f"{self.wide.name(i, total)} = {text}")
        return lines

    def expression(self, item):
        """An operand as source: a Value's name, or a plain number's literal."""
        return self.value[item] if isinstance(item, Value) else literal(item)

    def _reads(self):
        """``c1 = C1.data``: the number, now, of each Value f uses without receiving it."""
        lines = []
        for i, value in enumerate(self.captured, 1):
            about = f"{value.label!r}, " if value.label else ""
            lines.append(f"    c{i} = C{i}.data  # {about}a Value from outside the arguments")
        return lines

    # --- the backward pass ------------------------------------------------------------
    def _backward(self, totals, summing=False):
        """The chain rule, edge by edge, in backward()'s order; ``totals``: leaf -> running sum.

        ``summing``: the code of g.sum, where a list of gradients with one term
        per number (``Wide.direct``) is added into straight away.
        """
        lines = ["# backward pass: d(output)/d(each number), edges in the engine's order"]
        label = ""
        assigned: set[str] = set()
        left = dict(self.edges_into)
        if self.output in totals:  # f returns one of its arguments
            lines.append(f"{totals[self.output]} += 1.0")
        for node in reversed(self.order):
            if node not in self.needs:
                continue
            if node.label and node.label != label:
                lines.append(comment(node.label))
                label = node.label
            lines += self._node_backward(node, totals, summing, assigned, left)
        return lines

    def _node_backward(self, node, totals, summing, assigned, left):
        """One node's edges: a line per wide side that goes into a list, a line per other edge."""
        g = None if node is self.output else self._grad_name(node)
        lines, wide, skip = [], self.wide.backward(node, g, summing), 0
        for parent, k in zip(node.parents, self._positions[node]):
            if k in wide:  # a side of a wide node, in one line (see wide.py)
                skip, line = wide[k]
                lines.append(line)
            if skip:
                skip -= 1
            elif parent in self.needs:
                product = self._term[node](k, g)
                lines += self._edge(parent, product, totals, assigned, left)
        return lines

    def _edge(self, parent, product, totals, assigned, left):
        """``g7 += v3 * g12``: one term into the parent's gradient (or into g.sum's total)."""
        if parent in totals and self.edges_into[parent] == 1:
            return [f"{totals[parent]} += {product}"]  # the sample's only term
        target = self._grad_name(parent)
        lines = [accumulate(target, product, target in assigned)]
        assigned.add(target)
        if parent in totals:
            left[parent] -= 1
            if not left[parent]:
                lines.append(f"{totals[parent]} += {target}")
        return lines

    def _check_output(self):
        names = [self.value[out] for out in self.traced.outputs]
        test = (f"type({names[0]}) is not float" if len(names) == 1 else
                "not (" + " and ".join(f"type({name}) is float" for name in names) + ")")
        return [f"if {test}:  # not all numbers were floats", "    return MISS"]

    def _per_sample(self, leaf):
        if leaf is self.output:
            return "1.0"
        return self._grad_name(leaf) if self.edges_into.get(leaf) else "0.0"

    def _gradient(self, name_of, total=False):
        trees = [self.wide.display(i, total) if i in self.wide.listed else
                 self.arguments.display(self.traced.arguments[i], name_of)
                 for i in self.positions]
        gradient = trees[0] if self.single else tuple_of(trees)
        if self.wrt is None:
            return gradient
        return f"({gradient}, {self.arguments.display(self.wrt, name_of)})"


def docstring(writer, shared):
    """The generated function's docstring: what it returns and how to read its names."""
    wrt = ", ".join(writer.args[i] for i in writer.positions) or "no argument"
    if writer.wrt is not None:
        wrt = f"({wrt}, the {len(writer.wrt)} Values of wrt)"
    if shared is None:
        value = "value" if isinstance(writer.output, Value) else "outputs"
        first = f"({value}, gradient for {wrt}) of {writer.origin}, traced once."
    else:
        per = ", ".join(writer.args[shared:])
        first = (f"(Σ value, Σ gradient for {wrt}) of {writer.origin} over batch, a list of "
                 f"samples ({per}).")
    return [f'    """{first}', "",
            "    Generated by autograd.compile. vN is the value of node N of the forward pass,",
            "    gN is d(output)/d(vN); x_3 is the number x[3] of argument x, g_x_3 its gradient.",
            "    Each g is the sum of (local derivative × gradient) over the uses of its number,",
            "    added in the order of the engine's backward().",
            *(["    g_w, a list, holds the gradients of a list argument w that only dots and sums",
               "    over many numbers use: they are added a whole list at a time",
               "    (autograd/static/wide.py)."]
              if writer.wide.listed else []),
            '    """']

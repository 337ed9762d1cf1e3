"""Code generation: one trace of a function, written out as Python over plain floats.

For a graph traced by ``autograd.trace.Traced``, ``Writer`` writes a
function whose body is the forward pass, one line per node in the engine's
order (``v12 = v3 * v7``), then the backward pass, one line per edge in the
reverse of that order (``g7 += v3 * g12``): exactly the chain rule's loop of
``backward.py``, unrolled. The names say what each number is:

* ``x_0``, ``params_12``, ``y``: the numbers of the arguments (``params[12]``);
  ``c1``: the current ``data`` of a Value f uses without receiving it;
* ``v12``: the value of node 12 (the 12th of the forward pass);
* ``g12``, ``g_params_12``: d(output)/d(that number), the sum over its uses
  of local derivative × the user's gradient. The output's own gradient is
  1.0, so its parents get the local derivative itself;
* ``d12``: the local derivatives of node 12 when an op of the table computes
  them (``OPS['sin'].partials`` is ``sin_partials``).

Common ops are written inline (``+ - * /``, ``**`` with a constant exponent,
``exp log tanh sigmoid relu sqrt``, ``sum``, ``dot``), with the same
arithmetic as their rules in ``ops.py``; every other op, including ops
registered at run time, calls its entry of the table. A dot or sum over many
numbers (``autograd.wide.WIDE``) is written over lists instead of a line per
edge, which would take longer to compile than to run (see ``autograd.wide``).
"""

import itertools
import keyword
import math
import operator
import re

from . import ops
from .backward import topological_order
from .ops import OPS, operands
from .value import Value
from .wide import Wide


class _Miss:
    def __repr__(self):
        return "MISS"


MISS = _Miss()  # what generated code returns for arguments of another structure

# The op table's IEEE-safe float functions, by the short names generated code uses.
HELPERS = {"mul": operator.mul, "add": operator.add, "repeat": itertools.repeat,
           "fdiv": ops._fdiv, "fpow": ops._fpow, "fexp": ops._fexp, "flog": ops._flog,
           "fsqrt": ops._fsqrt, "fsigmoid": ops._fsigmoid, "tanh": math.tanh,
           "inf": math.inf, "nan": math.nan, "MISS": MISS}


def _tuple(items):
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def _dot_forward(a, out):  # b + Σ wᵢxᵢ, as sum(map(mul, w, x), b): the same additions
    n = len(a) // 2
    return f"sum({_tuple([f'{w} * {x}' for w, x in zip(a[:n], a[n:2 * n])])}, {a[2 * n]})"


def _dot_partial(a, out, k):  # d/dwᵢ = xᵢ, d/dxᵢ = wᵢ, d/db = 1
    n = len(a) // 2
    return a[k + n] if k < n else a[k - n] if k < 2 * n else "1.0"


def _pow_partial(a, out, k):  # d/dx x^c = c·x^(c−1), and 0 when c = 0: _pow_partials
    c = float(a[1])
    return "0.0" if c == 0 else f"{_literal(c)} * fpow({a[0]}, {_literal(c - 1)})"


# op name -> (forward expression, local derivative k): each the same arithmetic as ops.py,
# on the operands' expressions ``a`` (names or literals) and the node's own name ``out``.
INLINE = {
    "add": (lambda a, out: f"{a[0]} + {a[1]}", lambda a, out, k: "1.0"),
    "sub": (lambda a, out: f"{a[0]} - {a[1]}", lambda a, out, k: ("1.0", "-1.0")[k]),
    "mul": (lambda a, out: f"{a[0]} * {a[1]}", lambda a, out, k: a[1 - k]),
    "div": (lambda a, out: f"fdiv({a[0]}, {a[1]})",
            lambda a, out, k: (f"fdiv(1.0, {a[1]})", f"fdiv(fdiv(-{a[0]}, {a[1]}), {a[1]})")[k]),
    "pow": (lambda a, out: f"fpow({a[0]}, {a[1]})", _pow_partial),  # constant exponent only
    "neg": (lambda a, out: f"-{a[0]}", lambda a, out, k: "-1.0"),
    "exp": (lambda a, out: f"fexp({a[0]})", lambda a, out, k: out),
    "log": (lambda a, out: f"flog({a[0]})", lambda a, out, k: f"fdiv(1.0, {a[0]})"),
    "tanh": (lambda a, out: f"tanh({a[0]})", lambda a, out, k: f"(1.0 - {out}) * (1.0 + {out})"),
    "sigmoid": (lambda a, out: f"fsigmoid({a[0]})", lambda a, out, k: f"{out} * (1.0 - {out})"),
    "relu": (lambda a, out: f"{a[0]} if not {a[0]} <= 0 else 0.0",
             lambda a, out, k: f"0.0 if {a[0]} <= 0 else 1.0"),
    "sqrt": (lambda a, out: f"fsqrt({a[0]})", lambda a, out, k: f"fdiv(1.0, 2.0 * {out})"),
    "sum": (lambda a, out: f"sum({_tuple(a)}, 0.0)", lambda a, out, k: "1.0"),
    "dot": (_dot_forward, _dot_partial),
}
_INLINED = {name: OPS[name] for name in INLINE}  # an entry replaced at run time is not inlined


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
        self.name = title if _usable(title) else "f"
        self.args = _argument_names(names, traced.arguments)
        self.value, self.captured, self.nodes = {}, [], 0
        for name, tree in zip(self.args, traced.arguments):
            self.value.update(_leaf_names(tree, name))
        self._partial, self._positions = {}, {}
        wrt = [leaf for i in positions for leaf in _leaves(traced.arguments[i])] + list(wrt or ())
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
            value = _display(self.output, self.value.get)
            body.append(f"return {value}, {self._gradient(self._per_sample)}")
            unused = self._unused(self.args, trees, body)
            head = [f"def {self.name}({', '.join(self.args)}):", *_docstring(self, None),
                    *self._guard(self.args, trees, "    ", unused),
                    *self._unpack(self.args, trees, "    ", unused), *self._reads()]
            return "\n".join(head + _indent(body, "    ")) + "\n"
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
        unused = self._unused(self.args, trees, body + [tail])
        head = [f"def {self.name}_sum({', '.join([*outer, 'batch'])}):", *_docstring(self, shared),
                *self._guard(outer, trees[:shared], "    ", unused),
                *self._unpack(outer, trees[:shared], "    ", unused), *self._reads(),
                "    total = 0.0", *_indent(_zeros(list(totals.values())), "    "),
                *_indent(self._lists(listed, True), "    "),
                f"    for {_tuple(inner)} in batch:",
                *self._guard(inner, trees[shared:], "        ", unused),
                *self._unpack(inner, trees[shared:], "        ", unused)]
        return "\n".join(head + _indent(body, "        ") + _indent([tail], "    ")) + "\n"

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
                lines.append(_comment(node.label))
                label = node.label
            lines += self._node_lines(node, self._name(node))
        return lines

    def _node_lines(self, node, out):
        flat, positions = operands(node)
        a = [self.value[x] if isinstance(x, Value) else _literal(x) for x in flat]
        op = OPS[node.op]
        rule = INLINE.get(node.op) if _INLINED.get(node.op) is op else None
        if node.op == "pow" and (isinstance(flat[1], Value) or not isinstance(flat[0], Value)):
            rule = None  # inlined only as x ** c
        self._positions[node] = positions
        if rule:
            self._partial[node] = lambda k, a=a, out=out, rule=rule: rule[1](a, out, k)
            if node in self.wide.nodes:
                return [self.wide.forward(node, out)]
            return [f"{out} = {rule[0](a, out)}  # {node.op}"]
        lines = [f"{out} = {self._call(op, 'forward', a)}  # {node.op}, by the op table"]
        if any(parent in self.needs for parent in node.parents):
            d = "d" + out[1:]
            lines.append(f"{d} = {self._call(op, 'partials', a, out)}")
            self._partial[node] = lambda k, d=d: f"{d}[{k}]"
        return lines

    def _call(self, op, rule, a, out=None):
        """``sin_forward(v3)``: a call of ``OPS[op].forward`` (or ``.partials``, given ``out``)."""
        stem = re.sub(r"\W", "_", op.name)
        name = f"{stem}_{rule}"
        self.namespace[name] = getattr(op, rule)
        first = [out] if out else []
        if op.pack is ops._positional:
            args = [*first, *a]
        elif op.pack is ops._one_list:
            args = [*first, "[" + ", ".join(a) + "]"]
        else:
            self.namespace[f"{stem}_pack"] = op.pack
            args = [*first, f"*{stem}_pack([{', '.join(a)}])"]
        text = f"{name}({', '.join(args)})"
        if rule == "partials" and op.unpack is not ops._same:
            self.namespace[f"{stem}_unpack"] = op.unpack
            text = f"{stem}_unpack({text})"
        return text

    def _lists(self, listed, total):
        """``g_w = [-0.0] * 337``: the gradient lists of ``listed`` (see autograd.wide).

        A total starts at 0.0. A call's (or a sample's) gradient starts at -0.0,
        which adds to any number x as x, sign of zero included: its first term
        is stored as it is, as gradients() stores it; 0.0 for a number no term reaches.
        """
        lines = []
        for i, leaves in listed.items():
            starts = ["0.0" if total or not self.edges_into[leaf] else "-0.0" for leaf in leaves]
            runs = [[starts[0], 0]]
            for start in starts:
                if start != runs[-1][0]:
                    runs.append([start, 0])
                runs[-1][1] += 1
            text = " + ".join(f"[{start}] * {count}" for start, count in runs)
            lines.append(f"{self.wide.name(i, total)} = {text}")
        return lines

    def expression(self, item):
        """An operand as source: a Value's name, or a plain number's literal."""
        return self.value[item] if isinstance(item, Value) else _literal(item)

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
        assigned, left = set(), dict(self.edges_into)
        if self.output in totals:  # f returns one of its arguments
            lines.append(f"{totals[self.output]} += 1.0")
        for node in reversed(self.order):
            if node not in self.needs:
                continue
            if node.label and node.label != label:
                lines.append(_comment(node.label))
                label = node.label
            lines += self._node_backward(node, totals, summing, assigned, left)
        return lines

    def _node_backward(self, node, totals, summing, assigned, left):
        """One node's edges: a line per wide side that goes into a list, a line per other edge."""
        g = None if node is self.output else self._grad_name(node)
        lines, wide, skip = [], self.wide.backward(node, g, summing), 0
        for parent, k in zip(node.parents, self._positions[node]):
            if k in wide:  # a side of a wide node, in one line (see autograd.wide)
                skip, line = wide[k]
                lines.append(line)
            if skip:
                skip -= 1
            elif parent in self.needs:
                term = _term(self._partial[node](k), g)
                lines += self._edge(parent, term, totals, assigned, left)
        return lines

    def _edge(self, parent, term, totals, assigned, left):
        """``g7 += v3 * g12``: one term into the parent's gradient (or into g.sum's total)."""
        if parent in totals and self.edges_into[parent] == 1:
            return [f"{totals[parent]} += {term}"]  # the sample's only term
        target = self._grad_name(parent)
        lines = [_accumulate(target, term, target in assigned)]
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
                 _display(self.traced.arguments[i], name_of) for i in self.positions]
        gradient = trees[0] if self.single else _tuple(trees)
        return gradient if self.wrt is None else f"({gradient}, {_display(self.wrt, name_of)})"

    # --- arguments: check their structure, unpack them ------------------------------------
    def _guard(self, names, trees, indent, unused):
        conditions = [c for name, tree in zip(names, trees) for c in _conditions(name, tree)]
        conditions += [f"len({name}) == {len(tree)}" for name, tree in zip(names, trees)
                       if name in unused]  # what unpacking it would check
        if not conditions:
            return []
        return [*_wrap(f"{indent}if not ({' and '.join(conditions)}):"),
                f"{indent}    return MISS  # not the traced structure: the slow path"]

    def _unpack(self, names, trees, indent, unused):
        lines = []
        for name, tree in zip(names, trees):
            if not isinstance(tree, Value) and name not in unused:
                lines += _wrap(f"{indent}{_display(tree, self.value.get)} = {name}")
        return lines

    @staticmethod
    def _unused(names, trees, lines):
        """The flat list arguments whose numbers ``lines`` never name (only lists of them)."""
        text = "\n".join(lines)
        return {name for name, tree in zip(names, trees)
                if not isinstance(tree, Value) and all(isinstance(x, Value) for x in tree)
                and not re.search(rf"\b{name}_\d", text)}


# --- helpers ---------------------------------------------------------------------------

def _comment(label):
    """A node's label as a comment line (on one line, whatever the label holds)."""
    return "# " + " ".join(str(label).split())


def _literal(number):
    """A float as Python source: ``2.0``, ``-0.5``, ``inf``, ``nan``."""
    number = float(number)
    if number != number:
        return "nan"
    if number in (math.inf, -math.inf):
        return "inf" if number > 0 else "-inf"
    return repr(number)


def _term(d, g):
    """local derivative × upstream gradient as source; g None is the output's gradient, 1.0."""
    if g is None:
        return d
    if d == "1.0":
        return g  # 1.0 * g is g, bit for bit (and nan stays nan)
    if d == "-1.0":
        return f"-{g}"
    return f"({d}) * {g}" if " " in d and _has_top_level_space(d) else f"{d} * {g}"


def _accumulate(target, term, assigned):
    if not assigned:
        return f"{target} = {term}"  # the first term, as gradients() stores it
    if term[0] == "-" and term[1:].isidentifier():
        return f"{target} -= {term[1:]}"
    return f"{target} += {term}"


def _has_top_level_space(expression):
    depth = 0
    for ch in expression:
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == " " and depth == 0:
            return True
    return False


def _leaves(tree):
    if isinstance(tree, Value):
        return [tree]
    return [leaf for item in tree for leaf in _leaves(item)]


def _display(tree, name_of):
    if isinstance(tree, Value):
        return name_of(tree)
    items = [_display(item, name_of) for item in tree]
    return "[" + ", ".join(items) + "]" if type(tree) is list else _tuple(items)


def _conditions(name, tree):
    """Cheap tests that ``name`` has the traced structure: each number a float, each list a list.

    Lengths and nesting are checked by unpacking (a ValueError or TypeError),
    and the numbers inside lists by the output's type: a Value, a list or a
    string among them makes the output something else than a float.
    """
    if isinstance(tree, Value):
        return [f"type({name}) is float"]
    conditions = [f"type({name}) is {type(tree).__name__}"]
    if any(not isinstance(item, Value) for item in tree):
        conditions.append(f"len({name}) == {len(tree)}")  # before indexing into it
        for i, item in enumerate(tree):
            if not isinstance(item, Value):
                conditions += _conditions(f"{name}[{i}]", item)
    return conditions


def _zeros(names):
    return _wrap(f"{_tuple(names)} = {_tuple(['0.0'])} * {len(names)}") if names else []


def _indent(lines, indent, width=100):
    indented = []
    for line in lines:
        line = indent + line
        if len(line) <= width:  # most lines: no need to look for where to break them
            indented.append(line)
        else:
            indented += _wrap(line, width)
    return indented


_RESERVED = {"sum", "type", "len", "float", "list", "tuple", "total", "batch", *HELPERS}
_GENERATED = re.compile(r"[vdcgCG]\d+|[gG]_.*|.*_(forward|partials|pack|unpack)")


def _usable(name):
    """Whether ``name`` can name f or an argument without clashing with generated names."""
    return (name.isidentifier() and not keyword.iskeyword(name) and name not in _RESERVED
            and not _GENERATED.fullmatch(name))


def _argument_names(names, trees):
    """f's parameter names when they cannot clash with generated ones, else arg0, arg1, …"""
    if names and len(names) == len(trees):
        every, checked = list(names), list(names)
        for name, tree in zip(names, trees):
            if not isinstance(tree, Value):
                every += _leaf_names(tree, name).values()
                checked.append(name + "_0")  # x_0, x_1_2 …: all usable if this one is
        if len(set(every)) == len(every) and all(map(_usable, checked)):
            return list(names)
    return [f"arg{i}" for i in range(len(trees))]


def _leaf_names(tree, name):
    """{leaf Value: its name}: ``x`` for a number argument x, ``x_0``, ``x_1_2`` inside lists."""
    if isinstance(tree, Value):
        return {tree: name}
    names = {}
    for i, item in enumerate(tree):
        if isinstance(item, Value):  # the usual case, a flat list: no recursion
            names[item] = f"{name}_{i}"
        else:
            names.update(_leaf_names(item, f"{name}_{i}"))
    return names


def _docstring(writer, shared):
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
               "    over many numbers use: they are added a whole list at a time (autograd.wide)."]
              if writer.wide.listed else []),
            '    """']


def _wrap(line, width=100):
    """``line`` broken after commas (and before ``and``) inside brackets, to fit ``width``.

    Each line is filled as far as it goes; the next is indented four more
    spaces. A comment (after ``"  # "``) is left whole, at the end of the last line.
    """
    if len(line) <= width or line.lstrip().startswith("#"):
        return [line]
    line, _, comment = line.partition("  # ")
    pad = " " * (len(line) - len(line.lstrip()) + 4)
    lines, start, prefix, depth = [], 0, "", 0
    while len(prefix) + len(line) - start > width:
        cut = _last_break(line, start, start + width - len(prefix), depth)
        if cut is None:
            break
        end, after = cut
        lines.append(prefix + line[start:end])
        depth += _depth(line[start:after])
        start, prefix = after, pad
    return lines + [prefix + line[start:] + (f"  # {comment}" if comment else "")]


def _last_break(line, start, limit, depth):
    """``(end, next start)`` of the last break inside brackets whose line ends by ``limit``.

    A break is after ``", "``'s comma or before ``" and "``; when none fits,
    the first one after ``limit`` (a line longer than the width, rather than none).
    ``depth``: how many brackets are open at ``start``.
    """
    best = None
    for mark, keep in ((", ", 1), (" and ", 0)):
        at = line.rfind(mark, start + 1, limit - keep + len(mark))
        while at > start and depth + _depth(line[start:at]) == 0:
            at = line.rfind(mark, start + 1, at)
        if at > start and (best is None or at + keep > best[0]):
            best = (at + keep, at + 1 + keep)
    if best is None:
        later = [line.find(mark, limit) for mark in (", ", " and ")]
        later = [at for at in later if at > 0 and depth + _depth(line[start:at]) > 0]
        if later:
            at = min(later)
            keep = 1 if line.startswith(", ", at) else 0
            best = (at + keep, at + 1 + keep)
    return best


def _depth(text):
    """How many more brackets ``text`` opens than it closes."""
    return (text.count("(") + text.count("[") + text.count("{")
            - text.count(")") - text.count("]") - text.count("}"))

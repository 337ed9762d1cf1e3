"""Hypothesis strategies and shared helpers for the engine's tests.

* ``OP_INPUTS``: for every op of ``autograd.OPS``, a strategy of input tuples
  that lie inside the op's smooth domain (away from kinks such as relu/abs at
  0 and poles such as log/div near 0), so that finite differences are valid.
* ``APPLY`` builds an op's node from its inputs (Values or plain numbers);
  ``REFERENCE`` computes the same op on floats with the ``math`` module.
  Inputs are flat, in parent order: ``dot`` takes ``w..., x..., [b]``.
* ``graphs()``: random expression graphs with shared subexpressions, numbers
  on either side, unary, binary and n-ary ops, kept inside the smooth domain.
* ``IEEE_CASES``: the IEEE 754 edge cases with values and local derivatives
  worked out by hand (PyTorch float64 conventions where calculus is silent).
* ``same`` compares floats with nan equal to nan; ``dot_clusters`` reads the
  boxes (Graphviz clusters) of a drawing's DOT text; ``read_dot`` reads a
  drawing back as what it shows (records, edges and their labels, boxes,
  highlights), so that the drawing tests pin meaning, not fonts and colours.

Adding an op to ``OPS`` without an entry in each of these dictionaries makes
``test_every_op_has_a_strategy`` fail.
"""

import math
import operator
import re
from dataclasses import dataclass
from operator import methodcaller

from hypothesis import strategies as st

import autograd
from autograd import OPS

INF, NAN = math.inf, math.nan


# --- numbers ------------------------------------------------------------------

def reals(low, high):
    """Finite floats in [low, high]."""
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def away_from_zero(low, high):
    """Floats with low <= |x| <= high, of either sign (for kinks and poles at 0)."""
    return st.builds(operator.mul, st.sampled_from((1.0, -1.0)), reals(low, high))


def _args(*strategies):
    return st.tuples(*strategies)


def _dot_inputs(n):
    # n weights, n inputs and, half the time, a bias: 2n or 2n + 1 numbers
    return st.lists(reals(-10, 10), min_size=2 * n, max_size=2 * n + 1).map(tuple)


OP_INPUTS = {
    "add": _args(reals(-100, 100), reals(-100, 100)),
    "sub": _args(reals(-100, 100), reals(-100, 100)),
    "mul": _args(reals(-100, 100), reals(-100, 100)),
    "div": _args(reals(-100, 100), away_from_zero(0.1, 100)),      # pole at b = 0
    "pow": _args(reals(0.1, 10), reals(-3, 3)),                     # x^y with y a Value needs x > 0
    "neg": _args(reals(-100, 100)),
    "exp": _args(reals(-20, 20)),
    "log": _args(reals(0.01, 100)),                                 # pole at 0
    "tanh": _args(reals(-10, 10)),
    "sigmoid": _args(reals(-30, 30)),
    "relu": _args(away_from_zero(0.01, 100)),                       # kink at 0
    "sqrt": _args(reals(0.01, 100)),                                # infinite slope at 0
    "abs": _args(away_from_zero(0.01, 100)),                        # kink at 0
    "sin": _args(reals(-10, 10)),
    "cos": _args(reals(-10, 10)),
    "sum": st.lists(reals(-100, 100), min_size=1, max_size=6).map(tuple),
    "dot": st.integers(1, 4).flatmap(_dot_inputs),
}


# --- building an op from flat inputs ------------------------------------------

def _dot(*args):
    n = len(args) // 2
    bias = args[2 * n] if len(args) % 2 else None
    return autograd.dot(args[:n], args[n:2 * n], bias)


APPLY = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
    "pow": operator.pow,
    "neg": operator.neg,
    "exp": methodcaller("exp"),
    "log": methodcaller("log"),
    "tanh": methodcaller("tanh"),
    "sigmoid": methodcaller("sigmoid"),
    "relu": methodcaller("relu"),
    "sqrt": methodcaller("sqrt"),
    "abs": abs,
    "sin": methodcaller("sin"),
    "cos": methodcaller("cos"),
    "sum": lambda *args: autograd.sum(args),
    "dot": _dot,
}


def _dot_reference(*args):
    n = len(args) // 2
    bias = args[2 * n] if len(args) % 2 else 0.0
    return math.fsum([*(w * x for w, x in zip(args[:n], args[n:2 * n])), bias])


# The textbook formulas on floats, valid inside the smooth domain.
REFERENCE = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": math.pow,
    "neg": lambda x: -x,
    "exp": math.exp,
    "log": math.log,
    "tanh": math.tanh,
    "sigmoid": lambda x: 1.0 / (1.0 + math.exp(-x)),
    "relu": lambda x: max(0.0, x),
    "sqrt": math.sqrt,
    "abs": math.fabs,
    "sin": math.sin,
    "cos": math.cos,
    "sum": lambda *xs: math.fsum(xs),
    "dot": _dot_reference,
}


# --- finite differences -------------------------------------------------------

def central_difference(f, x, rel_step=1e-4):
    """df/dx at x by the five-point central difference (error O(h^4)).

    The step is relative to |x| (at least ``rel_step``), so it is tiny next to
    the distance from x to the nearest kink or pole that the strategies keep.
    """
    h = rel_step * max(1.0, abs(x))
    return (f(x - 2 * h) - 8 * f(x - h) + 8 * f(x + h) - f(x + 2 * h)) / (12 * h)


def partial_differences(f, args, rel_step=1e-4):
    """Central differences of f(*args) with respect to each argument in turn."""
    def along(i):
        return lambda t: f(*args[:i], t, *args[i + 1:])
    return [central_difference(along(i), args[i], rel_step) for i in range(len(args))]


# --- random expression graphs -------------------------------------------------

@dataclass(frozen=True)
class Const:
    """A plain number in an expression graph (never a node)."""

    value: float


@dataclass(frozen=True)
class Step:
    """One new node: ``op`` applied to ``args`` (indices of earlier nodes, or Consts)."""

    op: str
    args: tuple


@dataclass(frozen=True)
class Graph:
    """A random expression: leaf values, then one node per step; the last node is the output."""

    leaves: tuple
    steps: tuple

    def evaluate(self, leaves, functions):
        """Every node, leaves first, computed with ``functions[op](*args)``."""
        nodes = list(leaves)
        for step in self.steps:
            nodes.append(functions[step.op](*(
                a.value if isinstance(a, Const) else nodes[a] for a in step.args)))
        return nodes

    def output(self, leaves, functions=REFERENCE):
        return self.evaluate(leaves, functions)[-1]

    def __repr__(self):
        names = [f"v{i}" for i in range(len(self.leaves) + len(self.steps))]
        lines = [f"{names[i]} = {x!r}" for i, x in enumerate(self.leaves)]
        for i, step in enumerate(self.steps, start=len(self.leaves)):
            args = ", ".join(repr(a.value) if isinstance(a, Const) else names[a] for a in step.args)
            lines.append(f"{names[i]} = {step.op}({args})")
        return "Graph(" + "; ".join(lines) + ")"


BOUND = 100.0   # every node's value stays within [-BOUND, BOUND]
MARGIN = 0.5    # distance kept from kinks (relu, abs at 0) and poles (log, sqrt, div, pow at 0)
CONSTANTS = st.one_of(st.sampled_from((2, 3, -1, 0.5, 1.5, -2.0)), reals(-3, 3))


def _pow_is_smooth(x, y, y_is_number):
    if x >= MARGIN and abs(y) <= 3:
        return True  # positive base: smooth in both x and y
    # a negative base only with a fixed integer exponent (x^3, x^-1): smooth in x
    return y_is_number and float(y).is_integer() and abs(y) <= 3 and (y > 0 or abs(x) >= MARGIN)


# Whether the op is smooth around these argument values (numbers: which are Consts).
SMOOTH = {
    "add": lambda args, numbers: True,
    "sub": lambda args, numbers: True,
    "mul": lambda args, numbers: True,
    "div": lambda args, numbers: abs(args[1]) >= MARGIN,
    "pow": lambda args, numbers: _pow_is_smooth(args[0], args[1], numbers[1]),
    "neg": lambda args, numbers: True,
    "exp": lambda args, numbers: args[0] <= 4,
    "log": lambda args, numbers: args[0] >= MARGIN,
    "tanh": lambda args, numbers: True,
    "sigmoid": lambda args, numbers: True,
    "relu": lambda args, numbers: abs(args[0]) >= MARGIN,
    "sqrt": lambda args, numbers: args[0] >= MARGIN,
    "abs": lambda args, numbers: abs(args[0]) >= MARGIN,
    "sin": lambda args, numbers: True,
    "cos": lambda args, numbers: True,
    "sum": lambda args, numbers: True,
    "dot": lambda args, numbers: True,
}

_UNARY = [name for name, op in OPS.items() if op.arity == 1]
_BINARY = [name for name, op in OPS.items() if op.arity == 2]
_NARY = [name for name, op in OPS.items() if op.arity == 0]


def _valid(op, args, values):
    vals = [a.value if isinstance(a, Const) else values[a] for a in args]
    numbers = [isinstance(a, Const) for a in args]
    if not SMOOTH[op](vals, numbers):
        return False
    return abs(REFERENCE[op](*vals)) <= BOUND


@st.composite
def _step(draw, values):
    """One new node on top of the nodes whose values are ``values``."""
    node = st.integers(0, len(values) - 1)  # any earlier node: reuse is the common case
    kind = draw(st.sampled_from(("unary", "binary", "n-ary")))
    if kind == "unary":
        args = (draw(node),)
        ops = _UNARY
    elif kind == "binary":
        form = draw(st.sampled_from(("node op node", "node op number", "number op node")))
        left = Const(draw(CONSTANTS)) if form == "number op node" else draw(node)
        right = Const(draw(CONSTANTS)) if form == "node op number" else draw(node)
        args = (left, right)
        ops = _BINARY
    else:
        op = draw(st.sampled_from(_NARY))
        size = len(draw(OP_INPUTS[op]))  # the op's input strategy knows its shape
        args = tuple(draw(st.lists(st.one_of(node, node, CONSTANTS.map(Const)),
                                   min_size=size, max_size=size)))
        if all(isinstance(a, Const) for a in args):
            args = (draw(node), *args[1:])
        ops = [op]
    candidates = [op for op in ops if _valid(op, args, values)]
    if not candidates:  # e.g. a product out of bounds: negate a node instead
        args = tuple(a for a in args if not isinstance(a, Const))[:1]
        candidates = ["neg"]
    op = draw(st.sampled_from(candidates))
    step = Step(op, args)
    return step, REFERENCE[op](*(a.value if isinstance(a, Const) else values[a] for a in args))


@st.composite
def graphs(draw, max_leaves=4, max_steps=8):
    """A random expression graph inside the smooth domain of every op it uses."""
    leaves = draw(st.lists(reals(-3, 3), min_size=1, max_size=max_leaves))
    values = list(leaves)
    steps = []
    for _ in range(draw(st.integers(1, max_steps))):
        step, value = draw(_step(values))
        steps.append(step)
        values.append(value)
    return Graph(tuple(leaves), tuple(steps))


def shares_a_node(graph):
    """True if some node feeds more than one edge (a + a, diamonds, reuse)."""
    uses = [a for step in graph.steps for a in step.args if not isinstance(a, Const)]
    return len(uses) != len(set(uses))


# --- IEEE 754 edge cases --------------------------------------------------------

@dataclass(frozen=True)
class IEEECase:
    """An op at an edge of its domain: inputs, hand-derived value and local derivatives.

    ``number`` is the index of the input passed as a plain number (None: all
    inputs are Values); ``grads`` has one entry per Value input.
    """

    expr: str
    op: str
    args: tuple
    value: float
    grads: tuple
    number: int = None

    def build(self):
        """(output node, the Value inputs) with the engine."""
        inputs = [a if i == self.number else autograd.Value(a) for i, a in enumerate(self.args)]
        return APPLY[self.op](*inputs), [v for i, v in enumerate(inputs) if i != self.number]


# The derivatives follow the op's formula evaluated in IEEE arithmetic
# (d/dx log x = 1/x at 0 is 1/0 = inf) and PyTorch's conventions where the
# formula is 0 * inf (x^0 has d/dx = 0; 0^y has d/dy = 0 for y >= 0).
IEEE_CASES = [
    IEEECase("log(0)", "log", (0.0,), -INF, (INF,)),                     # 1/0
    IEEECase("log(-1)", "log", (-1.0,), NAN, (-1.0,)),                   # 1/-1
    IEEECase("log(inf)", "log", (INF,), INF, (0.0,)),                    # 1/inf
    IEEECase("sqrt(-1)", "sqrt", (-1.0,), NAN, (NAN,)),                  # 1/(2 nan)
    IEEECase("sqrt(0)", "sqrt", (0.0,), 0.0, (INF,)),                    # 1/(2*0)
    IEEECase("sqrt(inf)", "sqrt", (INF,), INF, (0.0,)),                  # 1/(2 inf)
    IEEECase("1/0", "div", (1.0, 0.0), INF, (INF, -INF)),                # 1/b, -a/b^2
    IEEECase("-1/0", "div", (-1.0, 0.0), -INF, (INF, INF)),
    IEEECase("0/0", "div", (0.0, 0.0), NAN, (INF, NAN)),                 # 1/0, -0/0
    IEEECase("1/x at 0", "div", (1, 0.0), INF, (-INF,), number=0),      # -1/0^2
    IEEECase("x/0", "div", (1.0, 0), INF, (INF,), number=1),            # 1/0
    IEEECase("1/inf", "div", (1.0, INF), 0.0, (0.0, 0.0)),               # 1/inf, -1/inf^2
    IEEECase("(-8)**(1/3)", "pow", (-8.0, 1 / 3), NAN, (NAN,), number=1),  # (1/3)(-8)^(-2/3)
    IEEECase("(-8)**y at 1/3", "pow", (-8.0, 1 / 3), NAN, (NAN, NAN)),   # nan * ln(-8)
    IEEECase("0**-1", "pow", (0.0, -1), INF, (-INF,), number=1),        # -1 * 0^-2
    IEEECase("0**y at -1", "pow", (0.0, -1.0), INF, (-INF, -INF)),       # inf * ln 0
    IEEECase("(-0.0)**-1", "pow", (-0.0, -1), -INF, (-INF,), number=1),  # -1 * (-0)^-2
    IEEECase("0**0", "pow", (0.0, 0.0), 1.0, (0.0, 0.0)),                # conventions above
    IEEECase("0**2", "pow", (0.0, 2.0), 0.0, (0.0, 0.0)),                # 2 * 0^1; convention
    IEEECase("0**0.5", "pow", (0.0, 0.5), 0.0, (INF, 0.0)),              # 0.5 * 0^-0.5
    IEEECase("(-2)**y at 2", "pow", (-2.0, 2.0), 4.0, (-4.0, NAN)),      # 2(-2)^1, 4 ln(-2)
    IEEECase("10**400", "pow", (10.0, 400), INF, (INF,), number=1),     # 400 * 10^399
    IEEECase("10**y at 400", "pow", (10, 400.0), INF, (INF,), number=0),  # inf * ln 10
    IEEECase("(-10)**401", "pow", (-10.0, 401), -INF, (INF,), number=1),  # 401 * (-10)^400
    IEEECase("2**y at -2000", "pow", (2, -2000.0), 0.0, (0.0,), number=0),  # 0 * ln 2
    IEEECase("exp(1000)", "exp", (1000.0,), INF, (INF,)),
    IEEECase("exp(-1000)", "exp", (-1000.0,), 0.0, (0.0,)),
    IEEECase("exp(nan)", "exp", (NAN,), NAN, (NAN,)),
    IEEECase("sin(inf)", "sin", (INF,), NAN, (NAN,)),                    # cos(inf)
    IEEECase("cos(inf)", "cos", (INF,), NAN, (NAN,)),                    # -sin(inf)
    IEEECase("sigmoid(-1000)", "sigmoid", (-1000.0,), 0.0, (0.0,)),      # 0 * (1 - 0)
    IEEECase("sigmoid(1000)", "sigmoid", (1000.0,), 1.0, (0.0,)),        # 1 * (1 - 1)
    IEEECase("tanh(1000)", "tanh", (1000.0,), 1.0, (0.0,)),              # 1 - 1^2
    IEEECase("tanh(-1000)", "tanh", (-1000.0,), -1.0, (0.0,)),
    IEEECase("relu(0)", "relu", (0.0,), 0.0, (0.0,)),                    # subgradient 0
    IEEECase("abs(0)", "abs", (0.0,), 0.0, (0.0,)),                      # sign(0) = 0
    IEEECase("inf*0", "mul", (INF, 0.0), NAN, (0.0, INF)),               # (b, a)
    IEEECase("inf-inf", "sub", (INF, INF), NAN, (1.0, -1.0)),
    IEEECase("nan+1", "add", (NAN, 1.0), NAN, (1.0, 1.0)),
    IEEECase("sum(inf, -inf)", "sum", (INF, -INF), NAN, (1.0, 1.0)),
    IEEECase("dot(1e200, 1e200)", "dot", (1e200, 1e200), INF, (1e200, 1e200)),
]


def same(a, b):
    """Equal floats, with nan equal to nan (IEEE results are compared exactly)."""
    return a == b or (math.isnan(a) and math.isnan(b))


# --- reading a drawing back ----------------------------------------------------------------

@dataclass
class Picture:
    """A drawing's DOT text read back as what it shows, not how it looks.

    ``graph``: the graph's attributes (``rankdir``, the caption ``label``);
    ``nodes``: id -> attributes; ``edges``: ``(tail, head, attributes)`` in
    drawing order; ``boxes``: cluster path -> attributes, with ``members``,
    the ids of the nodes declared directly in it. Attribute values are the
    strings Graphviz reads, DOT's quoting undone.
    """

    graph: dict
    nodes: dict
    edges: list
    boxes: dict

    def fields(self, node):
        """The fields of a record node: ``['a', 'data 2', 'grad 0']``, escapes undone."""
        return record_fields(self.nodes[node]["label"])

    def edge_labels(self, head=None):
        """``[(tail, head, label or None), ...]``, all edges or those into ``head``."""
        return [(t, h, a.get("label")) for t, h, a in self.edges if head in (None, h)]

    def highlighted(self, style):
        """The ids of the nodes, and ``tail -> head`` of the edges, drawn with ``style``."""
        def hot(attrs):
            return all(attrs.get(key) == value for key, value in style.items())
        return ([node for node, attrs in self.nodes.items() if hot(attrs)]
                + [f"{t} -> {h}" for t, h, attrs in self.edges if hot(attrs)])


_ATTRIBUTE = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|[^\s"\]]+)')


def _attributes(text):
    return {key: value[1:-1].replace('\\"', '"') if value.startswith('"') else value
            for key, value in _ATTRIBUTE.findall(text)}


def read_dot(source):
    """The :class:`Picture` in ``source``, the DOT text of ``draw_graph`` (graphviz's layout)."""
    picture, stack = Picture({}, {}, [], {}), []
    for line in source.splitlines():
        _read_line(picture, stack, line.strip())
    return picture


def _read_line(picture, stack, line):
    """Add one line of DOT to ``picture``; ``stack`` holds the boxes the line is in."""
    opened = re.match(r'subgraph "?cluster_([^"]+)"? \{', line)
    edge = re.match(r'("?[\w.]+"?) -> ("?[\w.]+"?)(?: \[(.*)\])?$', line)
    node = re.match(r'("?[\w.]+"?) \[(.*)\]$', line)
    if opened:
        stack.append(opened.group(1))
        picture.boxes[stack[-1]] = {"members": set()}
    elif line == "}":
        if stack:
            stack.pop()
    elif edge:
        picture.edges.append((edge.group(1), edge.group(2), _attributes(edge.group(3) or "")))
    elif node and node.group(1) == "graph":
        picture.graph.update(_attributes(node.group(2)))
    elif node and node.group(1) not in ("node", "edge"):  # those two set defaults: looks only
        picture.nodes[node.group(1)] = _attributes(node.group(2))
        if stack:
            picture.boxes[stack[-1]]["members"].add(node.group(1))
    elif "=" in line and not line.startswith(("digraph", "node", "edge")):  # graph or box
        (picture.boxes[stack[-1]] if stack else picture.graph).update(_attributes(line))


def record_fields(label):
    """``'{ a | data 2 | grad 0 }'`` -> ``['a', 'data 2', 'grad 0']``: record escapes undone."""
    fields, field, characters = [], "", iter(label)
    for c in characters:
        if c == "\\":
            field += next(characters, "")
        elif c == "|":
            fields.append(field.strip())
            field = ""
        elif c not in "{}":
            field += c
    return [*fields, field.strip()]


def dot_clusters(source):
    """Cluster path -> ids of the nodes declared directly in it, read from the DOT text."""
    return {path: box["members"] for path, box in read_dot(source).boxes.items()}

"""Hypothesis strategies and shared helpers for the engine's tests.

* ``CASES``: one record per op of ``autograd.OPS`` (a :class:`Case`), every
  field derived from the op's table entry: its inputs (a strategy inside the
  entry's ``domain``, MARGIN away from its ``kinks``), how to build its node
  (the operator, the Value method, ``autograd.sum/dot/logsumexp``), its float
  reference (the entry's ``forward``), whether it is smooth at given inputs,
  and its PyTorch counterpart (``torch_counterpart``, from the entry's ``torch``
  name). An op added to the table is tested by every test that loops over
  ``CASES``, with no edit here. ``APPLY`` and ``REFERENCE`` are two views of it.
  Inputs are flat, in the op's order: ``dot`` takes ``w..., x..., [b]``.
* ``graphs()``: random expression graphs with shared subexpressions, numbers
  on either side, unary, binary and n-ary ops, kept inside the smooth domain.
* ``IEEE_CASES``: the IEEE 754 edge cases with values and local derivatives
  worked out by hand (PyTorch float64 conventions where calculus is silent).
* ``same`` compares floats with nan equal to nan; ``dot_clusters`` reads the
  boxes (Graphviz clusters) of a drawing's DOT text; ``read_dot`` reads a
  drawing back as what it shows (records, edges and their labels, boxes,
  highlights), so that the drawing tests pin meaning, not fonts and colours.
"""

import math
import operator
import re
from dataclasses import dataclass
from functools import reduce
from typing import Callable

from hypothesis import strategies as st

import autograd
from autograd import OPS, Op, Value

INF, NAN = math.inf, math.nan


# --- numbers ------------------------------------------------------------------

def reals(low, high):
    """Finite floats in [low, high]."""
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def away_from_zero(low, high):
    """Floats with low <= |x| <= high, of either sign (for kinks and poles at 0)."""
    return st.builds(operator.mul, st.sampled_from((1.0, -1.0)), reals(low, high))


# --- one case per op, derived from its entry in the table ----------------------------

MARGIN = 0.5    # distance kept from kinks (relu, abs, sign at 0), here and in graphs()
NARY_SIZES = range(1, 7)  # how many inputs an n-ary op gets: those of these its pack accepts

# What an entry cannot say, kept small and explicit:
# 1. the ops written with a Python operator rather than a method;
OPERATORS = {"add": operator.add, "sub": operator.sub, "mul": operator.mul,
             "div": operator.truediv, "pow": operator.pow, "neg": operator.neg}


# 2. dot's bias may be left out: 2n inputs are w…, x… and no bias (the node then has no
#    bias edge, and ops.operands puts 0.0 in its place);
def _complete(op, flat, absent):
    """The flat inputs ``op.pack`` takes: dot's missing bias filled in with ``absent``."""
    if op.name == "dot" and len(flat) % 2 == 0:
        return (*flat, absent)
    return tuple(flat)


# 3. x^y is smooth in x outside its domain when y is a plain integer: x³, x⁻¹ (away from 0).
def _smooth_outside_domain(op, args, numbers):
    if op.name != "pow" or not numbers[1]:
        return False
    x, y = args
    return float(y).is_integer() and abs(y) <= 3 and (y > 0 or abs(x) >= MARGIN)


@dataclass(frozen=True)
class Case:
    """What the tests need to know about one op, all derived from its table entry ``op``.

    * ``inputs``: a strategy of input tuples, flat in the op's order, inside
      the entry's ``domain`` and at least MARGIN from its ``kinks``;
    * ``apply(*args)``: the op's node from Values and plain numbers, built as a
      learner writes it (``a + b``, ``x.tanh()``, ``autograd.dot(w, x, b)``);
    * ``reference(*numbers)``: the entry's ``forward`` on floats, through ``pack``;
    * ``smooth(args, numbers)``: whether the op is smooth around ``args``
      (``numbers[i]``: whether input i is a plain number, not a node).
    """

    op: Op
    inputs: st.SearchStrategy
    apply: Callable
    reference: Callable
    smooth: Callable

    @property
    def name(self):
        """The op's name in the table: ``"tanh"``."""
        return self.op.name


def case_of(op):
    """The :class:`Case` of a table entry."""
    return Case(op, _inputs(op), _applier(op), _reference(op), _smoothness(op))


def _interval(op, i):
    """The domain of input i: its own interval, or the last one (an n-ary op gives one)."""
    return op.domain[min(i, len(op.domain) - 1)]


def _smooth_reals(op, i):
    """Floats in the domain of input i, at least MARGIN from each kink."""
    pieces = [_interval(op, i)]
    for kink in op.kinks:
        pieces = [(low, high) for a, b in pieces
                  for low, high in ((a, min(b, kink - MARGIN)), (max(a, kink + MARGIN), b))
                  if low < high]
    return st.one_of(*(reals(low, high) for low, high in pieces))


def _sizes(op):
    """How many inputs the op takes: its arity, or for an n-ary op the sizes its pack accepts."""
    if op.arity:
        return [op.arity]
    return [n for n in NARY_SIZES if _accepts(op, n)]


def _accepts(op, n):
    try:
        op.forward(*op.pack(_complete(op, (1.0,) * n, 0.0)))
    except (IndexError, TypeError, ValueError):
        return False
    return True


def _inputs(op):
    sizes = st.sampled_from(_sizes(op))
    return sizes.flatmap(lambda n: st.tuples(*(_smooth_reals(op, i) for i in range(n))))


def _applier(op):
    """``apply(*args)``: the operator, autograd's n-ary function, or the Value method."""
    if op.name in OPERATORS:
        return OPERATORS[op.name]
    function = getattr(autograd, op.name, None) if op.arity == 0 else None
    if function is not None:  # autograd.sum([...]), autograd.dot(w, x, b): the packed inputs
        return lambda *args: function(*op.pack(_complete(op, args, None)))
    # The method, called on the class: Value.tanh(x) is x.tanh(); a binary or wider
    # method takes a plain number first too (Value.name(2.0, y)).
    return getattr(Value, op.name)


def _reference(op):
    def reference(*numbers):
        return op.forward(*op.pack(_complete(op, numbers, 0.0)))
    reference.__name__ = f"{op.name}_reference"
    return reference


def _smoothness(op):
    def smooth(args, numbers):
        inside = all(_interval(op, i)[0] <= x <= _interval(op, i)[1]
                     and all(abs(x - kink) >= MARGIN for kink in op.kinks)
                     for i, x in enumerate(args))
        return inside or _smooth_outside_domain(op, args, numbers)
    return smooth


# The table as it is when the tests are collected (an op registered later by a test
# does not join the other tests' parametrizations half-way).
CASES = {name: case_of(op) for name, op in OPS.items()}
APPLY = {name: case.apply for name, case in CASES.items()}
REFERENCE = {name: case.reference for name, case in CASES.items()}


# --- the PyTorch counterpart ------------------------------------------------------------

def torch_counterpart(op, torch):
    """The op in PyTorch float64 on flat inputs (tensors or plain numbers), from ``op.torch``.

    ``"tanh"`` is ``torch.tanh``, ``"nn.functional.softplus"`` is
    ``torch.nn.functional.softplus``; the packed lists of an n-ary op are
    stacked into vectors, and an op over one list reduces it (``dim=0``).
    """
    function = _torch_instead(op.name, torch) or reduce(getattr, op.torch.split("."), torch)

    def apply(*flat):
        args = [_as_tensor(a, torch) for a in op.pack(_complete(op, flat, 0.0))]
        if op.arity == 0 and len(args) == 1:
            return function(args[0], dim=0)
        return function(*args)
    return apply


def _torch_instead(name, torch):
    """Where PyTorch's function of the same name is not the same op (say why), else None."""
    if name == "softplus":
        # torch's softplus returns x itself above its threshold 20 (off by e^-x, up to 1e-10
        # relative): ours is ln(1 + e^x) exactly, and so is logaddexp(x, 0)
        return lambda x: torch.logaddexp(x, torch.zeros((), dtype=torch.float64))
    if name == "dot":
        return lambda w, x, b: torch.dot(w, x) + b  # torch.dot has no bias
    return None


def _as_tensor(a, torch):
    if isinstance(a, torch.Tensor):
        return a
    if isinstance(a, (list, tuple)):
        parts = [_as_tensor(x, torch) for x in a]
        return torch.stack(parts) if parts else torch.zeros(0, dtype=torch.float64)
    return torch.tensor(float(a), dtype=torch.float64)


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
        """The last node, computed with ``functions`` (the ops' float references by default)."""
        return self.evaluate(leaves, functions)[-1]

    def __repr__(self):
        names = [f"v{i}" for i in range(len(self.leaves) + len(self.steps))]
        lines = [f"{names[i]} = {x!r}" for i, x in enumerate(self.leaves)]
        for i, step in enumerate(self.steps, start=len(self.leaves)):
            args = ", ".join(repr(a.value) if isinstance(a, Const) else names[a] for a in step.args)
            lines.append(f"{names[i]} = {step.op}({args})")
        return "Graph(" + "; ".join(lines) + ")"


BOUND = 100.0   # every node's value stays within [-BOUND, BOUND]
CONSTANTS = st.one_of(st.sampled_from((2, 3, -1, 0.5, 1.5, -2.0)), reals(-3, 3))

_KINDS = {
    "unary": [name for name, case in CASES.items() if case.op.arity == 1],
    "binary": [name for name, case in CASES.items() if case.op.arity == 2],
    "n-ary": [name for name, case in CASES.items() if case.op.arity not in (1, 2)],
}
_KINDS = {kind: names for kind, names in _KINDS.items() if names}


def _valid(name, args, values):
    vals = [a.value if isinstance(a, Const) else values[a] for a in args]
    numbers = [isinstance(a, Const) for a in args]
    if not CASES[name].smooth(vals, numbers):
        return False
    return abs(REFERENCE[name](*vals)) <= BOUND


@st.composite
def _step(draw, values):
    """One new node on top of the nodes whose values are ``values``."""
    node = st.integers(0, len(values) - 1)  # any earlier node: reuse is the common case
    kind = draw(st.sampled_from(sorted(_KINDS)))
    if kind == "unary":
        args = (draw(node),)
        names = _KINDS[kind]
    elif kind == "binary":
        form = draw(st.sampled_from(("node op node", "node op number", "number op node")))
        left = Const(draw(CONSTANTS)) if form == "number op node" else draw(node)
        right = Const(draw(CONSTANTS)) if form == "node op number" else draw(node)
        args = (left, right)
        names = _KINDS[kind]
    else:
        name = draw(st.sampled_from(_KINDS[kind]))
        size = len(draw(CASES[name].inputs))  # the op's input strategy knows its shape
        args = tuple(draw(st.lists(st.one_of(node, node, CONSTANTS.map(Const)),
                                   min_size=size, max_size=size)))
        if all(isinstance(a, Const) for a in args):
            args = (draw(node), *args[1:])
        names = [name]
    candidates = [name for name in names if _valid(name, args, values)]
    if not candidates:  # e.g. a product out of bounds: negate a node instead
        args = tuple(a for a in args if not isinstance(a, Const))[:1]
        candidates = ["neg"]
    name = draw(st.sampled_from(candidates))
    vals = (a.value if isinstance(a, Const) else values[a] for a in args)
    return Step(name, args), REFERENCE[name](*vals)


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
    IEEECase("sign(0)", "sign", (0.0,), 0.0, (0.0,)),
    IEEECase("sign(nan)", "sign", (NAN,), 0.0, (0.0,)),                  # PyTorch's sign(nan)
    IEEECase("softplus(1000)", "softplus", (1000.0,), 1000.0, (1.0,)),   # 1000 + ln(1 + e^-1000)
    IEEECase("softplus(-1000)", "softplus", (-1000.0,), 0.0, (0.0,)),    # σ(-1000) underflows
    IEEECase("softplus(nan)", "softplus", (NAN,), NAN, (NAN,)),          # σ(nan)
    IEEECase("log1p(-1)", "log1p", (-1.0,), -INF, (INF,)),               # 1/(1 - 1)
    IEEECase("log1p(-2)", "log1p", (-2.0,), NAN, (-1.0,)),               # 1/(1 - 2)
    IEEECase("expm1(710)", "expm1", (710.0,), INF, (INF,)),              # e^710 overflows
    IEEECase("expm1(-1000)", "expm1", (-1000.0,), -1.0, (0.0,)),         # (e^x - 1) + 1
    # e^(x - out) with out = 1000 + ln 2 rounded to a multiple of 1000's ulp (1.1e-13):
    # the softmax 1/2 comes out 2.7e-14 high, in PyTorch too
    IEEECase("logsumexp(1000, 1000)", "logsumexp", (1000.0, 1000.0), 1000.0 + math.log(2),
             (math.exp(1000.0 - (1000.0 + math.log(2))),) * 2),
    IEEECase("logsumexp(-inf, -inf)", "logsumexp", (-INF, -INF), -INF, (NAN, NAN)),  # e^(-inf+inf)
    IEEECase("logsumexp(inf, 0)", "logsumexp", (INF, 0.0), INF, (NAN, 0.0)),  # e^(inf-inf), e^-inf
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

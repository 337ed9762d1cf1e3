"""The op table: every primitive operation of the engine, in one place.

Each entry of ``OPS`` says two things about one primitive:

* ``forward``: how to compute the output from the inputs' numbers;
* ``partials``: the *local derivatives* d(out)/d(input), one per input,
  computed once, when the node is made, and stored on it as plain floats.

``backward()`` never looks at an op: it multiplies the stored local
derivatives by the upstream gradient and adds the products into the parents
(the chain rule). Adding an op is therefore one entry here plus a one-line
method in ``value.py``; the tests loop over this table.

Numbers follow IEEE 754 double precision exactly as PyTorch float64 does:
``log(0) = -inf``, ``sqrt(-1) = nan``, ``1/0 = inf``, ``exp(1000) = inf``.
No ``ZeroDivisionError``, ``OverflowError``, math-domain ``ValueError`` or
complex number ever escapes from here.

Constant tuples such as ``(1.0,)`` in a rule are built once by Python and
shared by every node that uses them, so most ReLU nodes cost no extra tuple.

The partial rules use only arithmetic and the helpers ``_div``, ``_pow``,
``_log``, ``_sin``, ``_cos``, which accept floats and Values alike, so the
same rule can later be evaluated on Values to build higher derivatives.
"""

import math
from dataclasses import dataclass
from operator import mul
from typing import Callable

INF = math.inf
NAN = math.nan


# --- IEEE-safe float functions (PyTorch float64 semantics) -------------------

def _fdiv(a, b):
    """a / b with IEEE results: 1/0 = inf, -1/0 = -inf, 0/0 = nan."""
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or a != a:
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)


def _is_odd_integer(y):
    return y == y and abs(y) != INF and y == int(y) and int(y) % 2 == 1


def _fpow(x, y):
    """x ** y with IEEE results: 0 ** -1 = inf, (-8) ** (1/3) = nan, 10 ** 400 = inf."""
    try:
        return math.pow(x, y)
    except ValueError:  # 0 to a negative power, or a negative base to a fractional one
        if x == 0:
            sign = math.copysign(1.0, x) if _is_odd_integer(y) else 1.0
            return sign * INF
        return NAN
    except OverflowError:
        return -INF if x < 0 and _is_odd_integer(y) else INF


def _fexp(x):
    """e ** x; exp(1000) = inf."""
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def _flog(x):
    """Natural log; log(0) = -inf, log(-1) = nan."""
    if x > 0:
        return math.log(x)
    if x == 0:
        return -INF
    return NAN  # negative or nan


def _fsqrt(x):
    """Square root; sqrt(-1) = nan."""
    return math.sqrt(x) if x >= 0 else NAN


def _fsin(x):
    """sin x; sin(inf) = nan."""
    return math.sin(x) if abs(x) != INF else NAN


def _fcos(x):
    """cos x; cos(inf) = nan."""
    return math.cos(x) if abs(x) != INF else NAN


def _fsigmoid(x):
    """1 / (1 + e^-x), written so that no exp overflows: sigmoid(-1000) = 0.0."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)  # x < 0 (or nan): e <= 1, no overflow
    return e / (1.0 + e)


def _fsign(x):
    """sign(x) in {-1, 0, 1}, and 0 for nan: PyTorch's sign, the derivative of abs."""
    if x > 0:
        return 1.0
    if x < 0:
        return -1.0
    return 0.0  # +-0 and nan


# --- helpers usable on floats and on Values ----------------------------------

def _is_float(x):
    return type(x) is float or type(x) is int


def _div(a, b):
    return _fdiv(a, b) if _is_float(a) and _is_float(b) else a / b


def _pow(a, b):
    return _fpow(a, b) if _is_float(a) and _is_float(b) else a ** b


def _log(x):
    return _flog(x) if _is_float(x) else x.log()


def _sin(x):
    return _fsin(x) if _is_float(x) else x.sin()


def _cos(x):
    return _fcos(x) if _is_float(x) else x.cos()


# --- the table ----------------------------------------------------------------

@dataclass(frozen=True, repr=False)
class Op:
    """One primitive: its name, the symbol drawn for it, its formula and its two rules.

    ``arity`` is 1 or 2, or 0 for the n-ary ops (``sum``, ``dot``), whose rules
    take lists. ``partials(out, *inputs)`` returns d(out)/d(input) for each
    input (dot's come in three groups: for the weights, the inputs, the bias).
    """

    name: str
    symbol: str
    arity: int
    formula: str
    forward: Callable
    partials: Callable

    def __repr__(self):
        """``<op mul: a · b;  d/da = b,  d/db = a>``: the name and the formula."""
        return f"<op {self.name}: {self.formula}>"


_ONES = (1.0, 1.0)
_ADD_SUB = (1.0, -1.0)


def _div_partials(out, a, b):
    # d/db = −a/b², computed as −(a/b)/b like PyTorch: b² alone overflows for |b| > 1e154
    return (_div(1.0, b), _div(_div(-a, b), b))


def _tanh_partials(out, x):
    # 1 − tanh², computed as (1 − y)(1 + y): no cancellation where tanh saturates near ±1
    return ((1.0 - out) * (1.0 + out),)


def _pow_partials(out, x, y):
    # d/dx x^y = y x^(y-1)  (0 when y = 0, as in PyTorch, even at x = 0)
    # d/dy x^y = x^y ln x   (0 when x = 0 and y >= 0, as in PyTorch)
    dx = 0.0 if y == 0 else y * _pow(x, y - 1)
    dy = 0.0 if (x == 0 and y >= 0) else out * _log(x)
    return (dx, dy)


def _dot_forward(weights, inputs, bias):
    return sum(map(mul, weights, inputs), bias)


def _dot_partials(out, weights, inputs, bias):
    # three groups: d/dwᵢ = xᵢ for the weights, d/dxᵢ = wᵢ for the inputs, d/db = 1
    return inputs, weights, 1.0


def _sum_forward(items):
    return sum(items, 0.0)


def _sum_partials(out, items):
    return (1.0,) * len(items)


OPS = {op.name: op for op in [
    Op("add", "+", 2, "a + b;  d/da = 1,  d/db = 1",
       lambda a, b: a + b, lambda out, a, b: _ONES),
    Op("sub", "−", 2, "a − b;  d/da = 1,  d/db = −1",
       lambda a, b: a - b, lambda out, a, b: _ADD_SUB),
    Op("mul", "×", 2, "a · b;  d/da = b,  d/db = a",
       lambda a, b: a * b, lambda out, a, b: (b, a)),
    Op("div", "÷", 2, "a / b;  d/da = 1/b,  d/db = −a/b²",
       _fdiv, _div_partials),
    Op("pow", "^", 2, "x^y;  d/dx = y·x^(y−1),  d/dy = x^y · ln x",
       _fpow, _pow_partials),
    Op("neg", "−", 1, "−x;  d/dx = −1",
       lambda x: -x, lambda out, x: (-1.0,)),
    Op("exp", "exp", 1, "e^x;  d/dx = e^x",
       _fexp, lambda out, x: (out,)),
    Op("log", "log", 1, "ln x;  d/dx = 1/x",
       _flog, lambda out, x: (_div(1.0, x),)),
    Op("tanh", "tanh", 1, "tanh x = 2/(1 + e^(−2x)) − 1;  d/dx = 1 − tanh² x",
       math.tanh, _tanh_partials),
    Op("sigmoid", "σ", 1, "σ(x) = 1/(1 + e^(−x));  d/dx = σ(x)(1 − σ(x))",
       _fsigmoid, lambda out, x: (out * (1.0 - out),)),
    Op("relu", "ReLU", 1, "max(0, x);  d/dx = 1 if x > 0 else 0",
       lambda x: x if not x <= 0 else 0.0, lambda out, x: (0.0,) if x <= 0 else (1.0,)),
    Op("sqrt", "√", 1, "√x;  d/dx = 1/(2√x)",
       _fsqrt, lambda out, x: (_div(1.0, 2.0 * out),)),
    Op("abs", "|·|", 1, "|x|;  d/dx = sign(x)  (0 at x = 0)",
       abs, lambda out, x: (_fsign(x) if _is_float(x) else _div(x, out),)),
    Op("sin", "sin", 1, "sin x;  d/dx = cos x",
       _fsin, lambda out, x: (_cos(x),)),
    Op("cos", "cos", 1, "cos x;  d/dx = −sin x",
       _fcos, lambda out, x: (-_sin(x),)),
    Op("sum", "Σ", 0, "x₁ + … + xₙ;  d/dxᵢ = 1",
       _sum_forward, _sum_partials),
    Op("dot", "w·x+b", 0, "b + Σ wᵢxᵢ;  d/dwᵢ = xᵢ,  d/dxᵢ = wᵢ,  d/db = 1",
       _dot_forward, _dot_partials),
]}

"""The op table: every primitive operation of the engine, in one place.

Each entry of ``OPS`` says two things about one primitive:

* ``forward``: how to compute the output from the inputs' numbers;
* ``partials``: the *local derivatives* d(out)/d(input), one per input,
  computed once, when the node is made, and stored on it as plain floats.

``backward()`` never looks at an op: it multiplies the stored local
derivatives by the upstream gradient and adds the products into the parents
(the chain rule). Adding an op is one entry here (or one call of
``autograd.register_op``): the ``Value`` method (``x.tanh()``), the drawing's
label and the tests' cases all follow from the entry.

Numbers follow IEEE 754 double precision exactly as PyTorch float64 does:
``log(0) = -inf``, ``sqrt(-1) = nan``, ``1/0 = inf``, ``exp(1000) = inf``.
No ``ZeroDivisionError``, ``OverflowError``, math-domain ``ValueError`` or
complex number ever escapes from here.

Constant tuples such as ``(1.0,)`` in a rule are built once by Python and
shared by every node that uses them, so most ReLU nodes cost no extra tuple.

The partial rules use only arithmetic and the helpers ``_div``, ``_pow``,
``_log``, ``_exp``, ``_sin``, ``_cos``, ``_sign``, ``_sigmoid``, which accept
floats and Values alike: ``backward(create_graph=True)`` evaluates the same
rule on Values (``out`` is then the node itself), which gives gradients with a
graph of their own, and so second and higher derivatives.
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


def _flog1p(x):
    """ln(1 + x), accurate for tiny x; log1p(-1) = -inf, log1p(-2) = nan."""
    if x > -1:
        return math.log1p(x)
    return -INF if x == -1 else NAN


def _fexpm1(x):
    """e^x − 1, accurate for tiny x; expm1(710) = inf."""
    try:
        return math.expm1(x)
    except OverflowError:
        return INF


def _fsoftplus(x):
    """ln(1 + e^x) = max(x, 0) + ln(1 + e^(−|x|)): no overflow, softplus(1000) = 1000."""
    if x != x:
        return NAN
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _flogsumexp(items):
    """ln Σ e^(xᵢ) = m + ln Σ e^(xᵢ − m), m = max xᵢ: no overflow for any finite xᵢ."""
    m = _shift(items)
    return m + _flog(math.fsum(_fexp(x - m) for x in items))


def _shift(items):
    """The largest item, or 0 if it is ±inf (all -inf: the sum is 0; one +inf: it is inf)."""
    m = max(items)
    return 0.0 if m == INF or m == -INF else m


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


def _number(x):
    """The number behind x: x itself for a float, ``x.data`` for a Value (for tests like x == 0)."""
    return x if _is_float(x) else x.data


def _div(a, b):
    return _fdiv(a, b) if _is_float(a) and _is_float(b) else a / b


def _pow(a, b):
    return _fpow(a, b) if _is_float(a) and _is_float(b) else a ** b


def _log(x):
    return _flog(x) if _is_float(x) else x.log()


def _exp(x):
    return _fexp(x) if _is_float(x) else x.exp()


def _sign(x):
    return _fsign(x) if _is_float(x) else x.sign()


def _sigmoid(x):
    return _fsigmoid(x) if _is_float(x) else x.sigmoid()


def _sin(x):
    return _fsin(x) if _is_float(x) else x.sin()


def _cos(x):
    return _fcos(x) if _is_float(x) else x.cos()


# --- the table ----------------------------------------------------------------

def _positional(flat):
    return tuple(flat)


def _one_list(flat):
    return (list(flat),)


def _same(partials):
    return partials


@dataclass(frozen=True, repr=False)
class Op:
    """One primitive: its name, the symbol drawn for it, its formula and its two rules.

    ``arity`` is the number of inputs, or 0 for the n-ary ops (``sum``, ``dot``,
    ``logsumexp``), whose rules take lists. ``forward(*inputs)`` computes the
    output from floats; ``partials(out, *inputs)`` returns d(out)/d(input) for
    each input (dot's come in three groups: for the weights, the inputs, the
    bias), on floats or, for higher derivatives, on Values.

    The other fields have defaults:

    * ``method``: whether ``Value`` gets a method named after the op
      (``x.tanh()``); the operators ``+ - * / **`` and unary ``-`` have none.
    * ``domain``: for each input, an interval (low, high) of moderate numbers
      inside which the op is smooth, away from its ``kinks`` (points where the
      derivative jumps: relu and abs at 0). The tests and ``gradcheck`` draw
      inputs from it; the op itself works on every float.
    * ``torch``: PyTorch's name for the same op, for the parity tests and the reader.
    * ``pack(flat)`` turns one flat list of inputs into the rules' arguments and
      ``unpack(partials)`` the rule's result into one flat list, for the n-ary
      ops whose rules take lists (positional by default).
    """

    name: str
    symbol: str
    arity: int
    formula: str
    forward: Callable
    partials: Callable
    method: bool = True
    domain: tuple = ((-100.0, 100.0),)
    kinks: tuple = ()
    torch: str = ""
    pack: Callable = _positional
    unpack: Callable = _same

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
    dx = 0.0 if _number(y) == 0 else y * _pow(x, y - 1)
    dy = 0.0 if (_number(x) == 0 and _number(y) >= 0) else out * _log(x)
    return (dx, dy)


def _dot_forward(weights, inputs, bias):
    return sum(map(mul, weights, inputs), bias)


def _dot_partials(out, weights, inputs, bias):
    # three groups: d/dwᵢ = xᵢ for the weights, d/dxᵢ = wᵢ for the inputs, d/db = 1
    return inputs, weights, 1.0


def _dot_pack(flat):
    n = len(flat) // 2  # (w₁…wₙ, x₁…xₙ, b): 2n + 1 inputs
    return flat[:n], flat[n:2 * n], flat[2 * n]


def _dot_unpack(partials):
    dw, dx, db = partials
    return (*dw, *dx, db)


def _logsumexp_partials(out, items):
    # d/dxᵢ = e^(xᵢ) / Σⱼ e^(xⱼ), the softmax of the items, written as e^(xᵢ − out): PyTorch's
    # formula, so the gradients equal its own to the last bit, inf and nan included, and the same
    # expression on floats and on Values (create_graph=True gives the same first derivatives).
    return tuple(_exp(x - out) for x in items)


def _sum_forward(items):
    return sum(items, 0.0)


def _sum_partials(out, items):
    return (1.0,) * len(items)


_ANY = ((-100.0, 100.0),)
_POSITIVE = ((0.01, 100.0),)

OPS = {op.name: op for op in [
    Op("add", "+", 2, "a + b;  d/da = 1,  d/db = 1",
       lambda a, b: a + b, lambda out, a, b: _ONES, method=False, domain=_ANY * 2, torch="add"),
    Op("sub", "−", 2, "a − b;  d/da = 1,  d/db = −1",
       lambda a, b: a - b, lambda out, a, b: _ADD_SUB, method=False, domain=_ANY * 2, torch="sub"),
    Op("mul", "×", 2, "a · b;  d/da = b,  d/db = a",
       lambda a, b: a * b, lambda out, a, b: (b, a), method=False, domain=_ANY * 2, torch="mul"),
    Op("div", "÷", 2, "a / b;  d/da = 1/b,  d/db = −a/b²",
       _fdiv, _div_partials, method=False, domain=((-100.0, 100.0), (0.1, 100.0)), torch="div"),
    Op("pow", "^", 2, "x^y;  d/dx = y·x^(y−1),  d/dy = x^y · ln x",
       _fpow, _pow_partials, method=False, domain=((0.1, 10.0), (-3.0, 3.0)), torch="pow"),
    Op("neg", "−", 1, "−x;  d/dx = −1",
       lambda x: -x, lambda out, x: (-1.0,), method=False, torch="neg"),
    Op("exp", "exp", 1, "e^x;  d/dx = e^x",
       _fexp, lambda out, x: (out,), domain=((-20.0, 20.0),), torch="exp"),
    Op("log", "log", 1, "ln x;  d/dx = 1/x",
       _flog, lambda out, x: (_div(1.0, x),), domain=_POSITIVE, torch="log"),
    Op("tanh", "tanh", 1, "tanh x = 2/(1 + e^(−2x)) − 1;  d/dx = 1 − tanh² x",
       math.tanh, _tanh_partials, domain=((-10.0, 10.0),), torch="tanh"),
    Op("sigmoid", "σ", 1, "σ(x) = 1/(1 + e^(−x));  d/dx = σ(x)(1 − σ(x))",
       _fsigmoid, lambda out, x: (out * (1.0 - out),), domain=((-30.0, 30.0),), torch="sigmoid"),
    Op("relu", "ReLU", 1, "max(0, x);  d/dx = 1 if x > 0 else 0",
       lambda x: x if not x <= 0 else 0.0, lambda out, x: (0.0,) if x <= 0 else (1.0,),
       kinks=(0.0,), torch="relu"),
    Op("sqrt", "√", 1, "√x;  d/dx = 1/(2√x)",
       _fsqrt, lambda out, x: (_div(1.0, 2.0 * out),), domain=_POSITIVE, torch="sqrt"),
    Op("abs", "|·|", 1, "|x|;  d/dx = sign(x)  (0 at x = 0)",
       abs, lambda out, x: (_sign(x),), kinks=(0.0,), torch="abs"),
    Op("sign", "sign", 1, "sign(x) ∈ {−1, 0, 1};  d/dx = 0",
       _fsign, lambda out, x: (0.0,), kinks=(0.0,), torch="sign"),
    Op("sin", "sin", 1, "sin x;  d/dx = cos x",
       _fsin, lambda out, x: (_cos(x),), domain=((-10.0, 10.0),), torch="sin"),
    Op("cos", "cos", 1, "cos x;  d/dx = −sin x",
       _fcos, lambda out, x: (-_sin(x),), domain=((-10.0, 10.0),), torch="cos"),
    Op("softplus", "softplus", 1, "ln(1 + e^x);  d/dx = σ(x)",
       _fsoftplus, lambda out, x: (_sigmoid(x),), domain=((-30.0, 30.0),),
       torch="nn.functional.softplus"),
    Op("log1p", "log1p", 1, "ln(1 + x);  d/dx = 1/(1 + x)",
       _flog1p, lambda out, x: (_div(1.0, 1.0 + x),), domain=((-0.99, 100.0),), torch="log1p"),
    Op("expm1", "expm1", 1, "e^x − 1;  d/dx = e^x",
       _fexpm1, lambda out, x: (out + 1.0,), domain=((-20.0, 20.0),), torch="expm1"),
    Op("sum", "Σ", 0, "x₁ + … + xₙ;  d/dxᵢ = 1",
       _sum_forward, _sum_partials, method=False, torch="sum", pack=_one_list),
    Op("dot", "w·x+b", 0, "b + Σ wᵢxᵢ;  d/dwᵢ = xᵢ,  d/dxᵢ = wᵢ,  d/db = 1",
       _dot_forward, _dot_partials, method=False, domain=((-10.0, 10.0),), torch="dot",
       pack=_dot_pack, unpack=_dot_unpack),
    Op("logsumexp", "logΣexp", 0, "ln Σ e^(xᵢ);  d/dxᵢ = e^(xᵢ) / Σⱼ e^(xⱼ) (the softmax)",
       _flogsumexp, _logsumexp_partials, method=False, torch="logsumexp", pack=_one_list),
]}


def operands(node):
    """The inputs of the op that made ``node``, flat, in the op's order; and where its parents are.

    Returns ``(flat, positions)``: ``flat`` holds the parents (Values) with the
    plain numbers folded into the op put back in their places (``x * 2``: [x, 2.0];
    ``2 - x``: [2.0, x]; dot: w…, x…, b with b = 0.0 when absent), and
    ``positions[i]`` is where parent i sits in ``flat``. ``op.pack(flat)`` are
    the rules' arguments; ``op.unpack(op.partials(out, *args))[positions[i]]``
    is d(node)/d(parent i).
    """
    op, parents, constant = OPS[node.op], list(node.parents), node.constant
    if constant is None:
        flat = parents + [0.0] if op.name == "dot" and len(parents) % 2 == 0 else parents
        return flat, range(len(parents))
    if op.pack is _one_list:  # sum, logsumexp: the numbers were folded into one
        return parents + [constant], range(len(parents))
    if not isinstance(constant, tuple):  # a binary op with one plain number
        if node.constant_first:
            return [constant, parents[0]], (1,)
        return [parents[0], constant], (0,)
    flat, positions, remaining = [], [], iter(parents)
    for number in constant:  # a tuple over the inputs: None where a parent goes
        if number is None:
            parent = next(remaining, None)
            if parent is None:
                number = 0.0  # dot's absent bias
            else:
                positions.append(len(flat))
                number = parent
        flat.append(number)
    return flat, positions


def local_grads_on_values(node):
    """d(node)/d(parent) for each parent as a Value (a graph of its own), from the op's rule.

    The same rule that made ``node.local_grads`` on floats, evaluated with the
    parents and ``node`` itself in place of their numbers: what
    ``backward(create_graph=True)`` multiplies along each edge.
    """
    op = OPS[node.op]
    flat, positions = operands(node)
    partials = op.unpack(op.partials(node, *op.pack(flat)))
    return [partials[i] for i in positions]

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

Numbers follow IEEE 754 double precision exactly as PyTorch float64 does
(the float functions of ``ieee.py``): ``log(0) = -inf``, ``sqrt(-1) = nan``,
``1/0 = inf``, ``exp(1000) = inf``. No ``ZeroDivisionError``,
``OverflowError``, math-domain ``ValueError`` or complex number ever escapes
from here.

Constant tuples such as ``(1.0,)`` in a rule are built once by Python and
shared by every node that uses them, so most ReLU nodes cost no extra tuple.

The partial rules use only arithmetic and the helpers ``_div``, ``_pow``,
``_log``, ``_exp``, ``_sin``, ``_cos``, ``_sign``, ``_sigmoid``, which accept
floats and Values alike: ``backward(create_graph=True)`` evaluates the same
rule on Values (``out`` is then the node itself), which gives gradients with a
graph of their own, and so second and higher derivatives.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import mul
from typing import Any

from .ieee import (
    MASKED,
    fcos,
    fdiv,
    fexp,
    fexpm1,
    flog,
    flog1p,
    flogsumexp,
    fpow,
    fsigmoid,
    fsign,
    fsin,
    fsoftplus,
    fsqrt,
)

# --- helpers usable on floats and on Values ----------------------------------

def _is_float(x: Any) -> bool:
    return type(x) is float or type(x) is int


def _number(x: Any) -> float:
    """The number behind x: x itself for a float, ``x.data`` for a Value (for tests like x == 0)."""
    return x if _is_float(x) else x.data


def _div(a: Any, b: Any) -> Any:
    return fdiv(a, b) if _is_float(a) and _is_float(b) else a / b


def _pow(a: Any, b: Any) -> Any:
    return fpow(a, b) if _is_float(a) and _is_float(b) else a ** b


def _log(x: Any) -> Any:
    return flog(x) if _is_float(x) else x.log()


def _exp(x: Any) -> Any:
    return fexp(x) if _is_float(x) else x.exp()


def _sign(x: Any) -> Any:
    return fsign(x) if _is_float(x) else x.sign()


def _sigmoid(x: Any) -> Any:
    return fsigmoid(x) if _is_float(x) else x.sigmoid()


def _sin(x: Any) -> Any:
    return fsin(x) if _is_float(x) else x.sin()


def _cos(x: Any) -> Any:
    return fcos(x) if _is_float(x) else x.cos()


# --- the table ----------------------------------------------------------------

def positional(flat: Sequence) -> tuple:
    """``Op.pack`` of most ops: the flat inputs are the rules' arguments, one each."""
    return tuple(flat)


def one_list(flat: Sequence) -> tuple:
    """``Op.pack`` of sum and logsumexp: their rules take the inputs as one list."""
    return (list(flat),)


def as_is(partials: Sequence) -> Sequence:
    """``Op.unpack`` of most ops: the partials rule already returns one flat tuple."""
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
    pack: Callable = positional
    unpack: Callable = as_is

    def __repr__(self) -> str:
        """``<op mul: a · b;  d/da = b,  d/db = a>``: the name and the formula."""
        return f"<op {self.name}: {self.formula}>"


_MASKED = (MASKED,)  # relu's and sign's local derivative where they mask
_ONE = (1.0,)
_ONES = (1.0, 1.0)
_ADD_SUB = (1.0, -1.0)


def _div_partials(out: Any, a: Any, b: Any) -> tuple:
    # d/db = −a/b², computed as −(a/b)/b like PyTorch: b² alone overflows for |b| > 1e154
    return (_div(1.0, b), _div(_div(-a, b), b))


def _tanh_partials(out: Any, x: Any) -> tuple:
    # 1 − tanh², computed as (1 − y)(1 + y): no cancellation where tanh saturates near ±1
    return ((1.0 - out) * (1.0 + out),)


def _pow_partials(out: Any, x: Any, y: Any) -> tuple:
    # d/dx x^y = y x^(y-1): on floats masked to 0 where y = 0, as PyTorch does (even at x = 0,
    # where x^(y-1) is inf). On Values (create_graph) the product is kept where it is finite,
    # x ≠ 0, so that its own derivative d/dy (y x^(y-1)) = x^(y-1) + … is not lost at y = 0.
    # d/dy x^y = x^y ln x: 0 where x = 0 and y >= 0, as PyTorch sets it (a 0 it then multiplies
    # by the upstream gradient, so not a mask: 0 × inf is nan there, in PyTorch too).
    masked_x = _number(y) == 0 and (_is_float(y) or _number(x) == 0)
    dx = MASKED if masked_x else y * _pow(x, y - 1)
    dy = 0.0 if (_number(x) == 0 and _number(y) >= 0) else out * _log(x)
    return (dx, dy)


def _dot_forward(weights: Sequence[float], inputs: Sequence[float], bias: float) -> float:
    return sum(map(mul, weights, inputs), bias)


def _dot_partials(out: Any, weights: Sequence, inputs: Sequence, bias: Any) -> tuple:
    # three groups: d/dwᵢ = xᵢ for the weights, d/dxᵢ = wᵢ for the inputs, d/db = 1
    return inputs, weights, 1.0


def _dot_pack(flat: Sequence) -> tuple:
    n = len(flat) // 2  # (w₁…wₙ, x₁…xₙ, b): 2n + 1 inputs
    return flat[:n], flat[n:2 * n], flat[2 * n]


def _dot_unpack(partials: Sequence) -> tuple:
    dw, dx, db = partials
    return (*dw, *dx, db)


def _logsumexp_partials(out: Any, items: Sequence) -> tuple:
    # d/dxᵢ = e^(xᵢ) / Σⱼ e^(xⱼ), the softmax of the items, written as e^(xᵢ − out): PyTorch's
    # formula, so the gradients equal its own to the last bit, inf and nan included, and the same
    # expression on floats and on Values (create_graph=True gives the same first derivatives).
    return tuple(_exp(x - out) for x in items)


def _sum_forward(items: Sequence[float]) -> float:
    return sum(items, 0.0)


def _sum_partials(out: Any, items: Sequence) -> tuple:
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
       fdiv, _div_partials, method=False, domain=((-100.0, 100.0), (0.1, 100.0)), torch="div"),
    Op("pow", "^", 2, "x^y;  d/dx = y·x^(y−1),  d/dy = x^y · ln x",
       fpow, _pow_partials, method=False, domain=((0.1, 10.0), (-3.0, 3.0)), torch="pow"),
    Op("neg", "−", 1, "−x;  d/dx = −1",
       lambda x: -x, lambda out, x: (-1.0,), method=False, torch="neg"),
    Op("exp", "exp", 1, "e^x;  d/dx = e^x",
       fexp, lambda out, x: (out,), domain=((-20.0, 20.0),), torch="exp"),
    Op("log", "log", 1, "ln x;  d/dx = 1/x",
       flog, lambda out, x: (_div(1.0, x),), domain=_POSITIVE, torch="log"),
    Op("tanh", "tanh", 1, "tanh x = 2/(1 + e^(−2x)) − 1;  d/dx = 1 − tanh² x",
       math.tanh, _tanh_partials, domain=((-10.0, 10.0),), torch="tanh"),
    Op("sigmoid", "σ", 1, "σ(x) = 1/(1 + e^(−x));  d/dx = σ(x)(1 − σ(x))",
       fsigmoid, lambda out, x: (out * (1.0 - out),), domain=((-30.0, 30.0),), torch="sigmoid"),
    Op("relu", "ReLU", 1, "max(0, x);  d/dx = 1 if x > 0 else 0",
       lambda x: x if not x <= 0 else 0.0, lambda out, x: _MASKED if x <= 0 else _ONE,
       kinks=(0.0,), torch="relu"),
    Op("sqrt", "√", 1, "√x;  d/dx = 1/(2√x)",
       fsqrt, lambda out, x: (_div(1.0, 2.0 * out),), domain=_POSITIVE, torch="sqrt"),
    Op("abs", "|·|", 1, "|x|;  d/dx = sign(x)  (0 at x = 0)",
       abs, lambda out, x: (_sign(x),), kinks=(0.0,), torch="abs"),
    Op("sign", "sign", 1, "sign(x) ∈ {−1, 0, 1};  d/dx = 0",
       fsign, lambda out, x: _MASKED, kinks=(0.0,), torch="sign"),
    Op("sin", "sin", 1, "sin x;  d/dx = cos x",
       fsin, lambda out, x: (_cos(x),), domain=((-10.0, 10.0),), torch="sin"),
    Op("cos", "cos", 1, "cos x;  d/dx = −sin x",
       fcos, lambda out, x: (-_sin(x),), domain=((-10.0, 10.0),), torch="cos"),
    Op("softplus", "softplus", 1, "ln(1 + e^x);  d/dx = σ(x)",
       fsoftplus, lambda out, x: (_sigmoid(x),), domain=((-30.0, 30.0),),
       torch="nn.functional.softplus"),
    Op("log1p", "log1p", 1, "ln(1 + x);  d/dx = 1/(1 + x)",
       flog1p, lambda out, x: (_div(1.0, 1.0 + x),), domain=((-0.99, 100.0),), torch="log1p"),
    Op("expm1", "expm1", 1, "e^x − 1;  d/dx = e^x",
       fexpm1, lambda out, x: (out + 1.0,), domain=((-20.0, 20.0),), torch="expm1"),
    Op("sum", "Σ", 0, "x₁ + … + xₙ;  d/dxᵢ = 1",
       _sum_forward, _sum_partials, method=False, torch="sum", pack=one_list),
    Op("dot", "w·x+b", 0, "b + Σ wᵢxᵢ;  d/dwᵢ = xᵢ,  d/dxᵢ = wᵢ,  d/db = 1",
       _dot_forward, _dot_partials, method=False, domain=((-10.0, 10.0),), torch="dot",
       pack=_dot_pack, unpack=_dot_unpack),
    Op("logsumexp", "logΣexp", 0, "ln Σ e^(xᵢ);  d/dxᵢ = e^(xᵢ) / Σⱼ e^(xⱼ) (the softmax)",
       flogsumexp, _logsumexp_partials, method=False, torch="logsumexp", pack=one_list),
]}


def operands(node: Any) -> tuple[list, Sequence[int]]:
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
    if op.pack is one_list:  # sum, logsumexp: the numbers were folded into one
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


def local_grads_on_values(node: Any) -> list:
    """d(node)/d(parent) for each parent as a Value (a graph of its own), from the op's rule.

    The same rule that made ``node.local_grads`` on floats, evaluated with the
    parents and ``node`` itself in place of their numbers: what
    ``backward(create_graph=True)`` multiplies along each edge.
    """
    op = OPS[node.op]
    flat, positions = operands(node)
    partials = op.unpack(op.partials(node, *op.pack(flat)))
    return [partials[i] for i in positions]

"""Float functions with IEEE 754 results, as PyTorch float64 gives them.

Python's ``math`` module raises where IEEE arithmetic has an answer:
``math.log(0)`` is a ValueError, ``math.exp(1000)`` an OverflowError,
``1 / 0`` a ZeroDivisionError. The op table (``ops.py``) computes with these
functions instead, so that ``log(0) = -inf``, ``sqrt(-1) = nan``,
``1/0 = inf`` and ``exp(1000) = inf``, exactly as in PyTorch float64, and no
exception from ``math`` ever reaches a learner. They take and return floats
only; ``ops.py`` has the versions that also accept Values. ``MASKED`` is the
0 of a derivative PyTorch computes with a mask, which stays 0 against inf.
"""

import math
from collections.abc import Sequence
from typing import Any

from .modes import constant

INF = math.inf
NAN = math.nan


def fdiv(a: float, b: float) -> float:
    """a / b with IEEE results: 1/0 = inf, -1/0 = -inf, 0/0 = nan."""
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or a != a:
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)


def _is_odd_integer(y: float) -> bool:
    return y == y and abs(y) != INF and y == int(y) and int(y) % 2 == 1


def fpow(x: float, y: float) -> float:
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


def fexp(x: float) -> float:
    """e ** x; exp(1000) = inf."""
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def flog(x: float) -> float:
    """Natural log; log(0) = -inf, log(-1) = nan."""
    if x > 0:
        return math.log(x)
    if x == 0:
        return -INF
    return NAN  # negative or nan


def fsqrt(x: float) -> float:
    """Square root; sqrt(-1) = nan."""
    return math.sqrt(x) if x >= 0 else NAN


def fsin(x: float) -> float:
    """sin x; sin(inf) = nan."""
    return math.sin(x) if abs(x) != INF else NAN


def fcos(x: float) -> float:
    """cos x; cos(inf) = nan."""
    return math.cos(x) if abs(x) != INF else NAN


def fsigmoid(x: float) -> float:
    """1 / (1 + e^-x), written so that no exp overflows: sigmoid(-1000) = 0.0."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)  # x < 0 (or nan): e <= 1, no overflow
    return e / (1.0 + e)


def flog1p(x: float) -> float:
    """ln(1 + x), accurate for tiny x; log1p(-1) = -inf, log1p(-2) = nan."""
    if x > -1:
        return math.log1p(x)
    return -INF if x == -1 else NAN


def fexpm1(x: float) -> float:
    """e^x − 1, accurate for tiny x; expm1(710) = inf."""
    try:
        return math.expm1(x)
    except OverflowError:
        return INF


def fsoftplus(x: float) -> float:
    """ln(1 + e^x) = max(x, 0) + ln(1 + e^(−|x|)): no overflow, softplus(1000) = 1000."""
    if x != x:
        return NAN
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def flogsumexp(items: Sequence[float]) -> float:
    """ln Σ e^(xᵢ) = m + ln Σ e^(xᵢ − m), m = max xᵢ: no overflow for any finite xᵢ."""
    m = _shift(items)
    return m + flog(math.fsum(fexp(x - m) for x in items))


def _shift(items: Sequence[float]) -> float:
    """The largest item, or 0 if it is ±inf (all -inf: the sum is 0; one +inf: it is inf)."""
    m = max(items)
    return 0.0 if m == INF or m == -INF else m


def fsign(x: float) -> float:
    """sign(x) in {-1, 0, 1}, and 0 for nan: PyTorch's sign, the derivative of abs."""
    if x > 0:
        return 1.0
    if x < 0:
        return -1.0
    return 0.0  # +-0 and nan


class MaskedZero(float):
    """A local derivative of 0 that PyTorch computes with a mask, not a product.

    For relu where x ≤ 0, sign, and pow at the points it masks, PyTorch's
    backward is ``where(mask, 0, grad)``: the contribution is 0 whatever the
    upstream gradient, inf and nan included, where ``0.0 × inf`` would be nan.
    ``MASKED`` is this 0: it equals 0.0 and prints as 0.0, but multiplied by
    anything it gives 0.0 (a Value 0.0 for a Value, as ``create_graph`` needs).
    Only the masked edges pay for the Python call; every other edge multiplies
    two floats.
    """

    __slots__ = ()

    def __mul__(self, other: Any) -> Any:
        """0.0 × g = 0.0 for every g (inf and nan too); a constant Value 0.0 for a Value g."""
        if type(other) is float or isinstance(other, (int, float)):
            return 0.0
        return constant(other, 0.0)  # a Value: the term of create_graph, a constant 0

    __rmul__ = __mul__

    def __repr__(self) -> str:
        """``0.0``: it is the number 0; the mask shows only in what it multiplies."""
        return "0.0"


MASKED = MaskedZero(0.0)

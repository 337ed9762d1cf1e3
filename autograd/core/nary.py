"""The n-ary ops: many inputs, one node.

``autograd.sum(values)``, ``autograd.dot(weights, inputs, bias)`` and
``autograd.logsumexp(values)`` make one
graph node with one edge per Value input, where Python's ``+`` and ``*``
would make a node per operation: a neuron's ``w·x + b`` is one node with
2n + 1 edges instead of 2n nodes. Fewer objects to create, order and free,
and a readable graph. Their rules are the ``sum``, ``dot`` and ``logsumexp``
entries of the op table.
"""

from __future__ import annotations

from builtins import sum as _builtin_sum  # (autograd.sum below takes the name)
from collections.abc import Iterable, Sequence
from operator import mul
from typing import Any

from .convert import as_float, number_of
from .ops import OPS
from .value import UNIT, Value, new_node

SUM, DOT, LOGSUMEXP = OPS["sum"], OPS["dot"], OPS["logsumexp"]


def sum(values: Iterable[Value | float]) -> Value:  # noqa: A001 - autograd.sum, like torch.sum
    """x₁ + … + xₙ as one node with n edges;  d/dxᵢ = 1.

    Plain numbers among ``values`` are added into one constant. Python's
    built-in ``sum()`` works on Values too, but makes n - 1 nodes.
    """
    values = tuple(values)
    items = [v.data for v in values if isinstance(v, Value)]
    if len(items) < len(values):  # plain numbers among the Values
        return _sum_with_numbers(values)
    out = SUM.forward(items)
    return new_node(out, values, SUM.partials(out, items), SUM)


def _sum_with_numbers(values: Sequence) -> Value:
    """sum() of Values and plain numbers: the numbers become one constant, after the Values.

    The result is computed as the node is drawn and compiled, x₁ + … + xₖ + c
    with c the sum of the numbers: sum([x, -3.0, 3.0]) at x = 1e-20 is 1e-20
    (adding -3 and 3 to x one by one would round it away).
    """
    nodes = [v for v in values if isinstance(v, Value)]
    numbers = [as_float(v, "autograd.sum()") for v in values if not isinstance(v, Value)]
    constant = SUM.forward(numbers)
    out = SUM.forward([v.data for v in nodes] + [constant])
    return new_node(out, tuple(nodes), SUM.partials(out, nodes), SUM, constant)


def logsumexp(values: Iterable[Value | float]) -> Value:
    """ln(e^x₁ + … + e^xₙ) as one node, stable for any xᵢ;  d/dxᵢ = e^(xᵢ) / Σⱼ e^(xⱼ).

    The derivative is the softmax of the xᵢ. Computed as m + ln Σ e^(xᵢ − m)
    with m the largest xᵢ, so logsumexp([1000, 1000]) = 1000 + ln 2, not inf
    (PyTorch's ``torch.logsumexp``). Plain numbers among ``values`` are folded
    into one constant c = logsumexp(numbers), since logsumexp(xs + numbers) =
    logsumexp(xs + [c]).
    """
    values = list(values)
    if not values:
        raise ValueError("autograd.logsumexp() needs at least one value (ln of an empty sum "
                         "is -inf; PyTorch raises too)")
    nodes = [v for v in values if isinstance(v, Value)]
    numbers = [as_float(v, "autograd.logsumexp()") for v in values if not isinstance(v, Value)]
    constant = LOGSUMEXP.forward(numbers) if numbers else None
    items = [v.data for v in nodes] + ([constant] if numbers else [])
    out = LOGSUMEXP.forward(items)
    partials = LOGSUMEXP.partials(out, items)[:len(nodes)]
    return new_node(out, tuple(nodes), partials, LOGSUMEXP, constant)


def dot(weights: Iterable[Value | float], inputs: Iterable[Value | float],
        bias: Value | float | None = None) -> Value:
    """The weighted sum b + w₁x₁ + … + wₙxₙ as one node;  d/dwᵢ = xᵢ, d/dxᵢ = wᵢ, d/db = 1.

    A neuron's pre-activation in one node with one edge per Value instead of
    2n nodes. Weights, inputs and bias may be Values or plain numbers; only
    Values become parents, ordered (weights..., inputs..., bias). The plain
    numbers are kept for the drawing in ``constant``: a tuple over the operands
    (w₁…wₙ, x₁…xₙ, b) holding each plain number, None where the operand is a
    Value or the bias is absent; ``constant`` is None when every operand is a Value.

    Without a bias the sum starts at b = 0.0 (b + w₁x₁ + … + wₙxₙ, added left
    to right), which changes no float but −0.0: a dot whose products are all
    −0.0 is +0.0, as in PyTorch's ``torch.dot`` and Python's ``sum()``.
    """
    if not isinstance(weights, (list, tuple)):
        weights = list(weights)
    if not isinstance(inputs, (list, tuple)):
        inputs = list(inputs)
    if len(weights) != len(inputs):
        raise ValueError(
            f"autograd.dot() needs as many weights as inputs, got {len(weights)} weights "
            f"and {len(inputs)} inputs"
        )
    if weights and isinstance(weights[0], Value) and (bias is None or isinstance(bias, Value)):
        try:  # a neuron: Value weights, and a Value bias or none
            node = _neuron(weights, inputs, bias)
            if node is not None:
                return node
        except (AttributeError, TypeError):
            pass  # a plain number among the Values, or something that is not a number
    return _dot_any(weights, inputs, bias)


def _neuron(weights: Sequence, inputs: Sequence, bias: Any) -> Value | None:
    """dot() for Value weights and a Value bias or none, without a check per item.

    Returns None, or raises AttributeError or TypeError, when an item is not
    what it should be; dot() then hands them all to ``_dot_any``. The table's
    dot rules are written out here (forward b + Σ wᵢxᵢ summed left to right;
    d/dw = x, d/dx = w, d/db = 1), which saves two calls, about a tenth of
    a neuron's time; ``_dot_any`` calls them, and the tests check that both
    paths make the same node, bit for bit.
    """
    w = [v.data for v in weights]
    biases: tuple
    d_bias: tuple
    if bias is None:  # b = 0.0, as in _dot_any: the sum starts at +0.0; no edge
        b, biases, d_bias = 0.0, (), ()
    else:
        b, biases, d_bias = bias.data, (bias,), UNIT
    if isinstance(inputs[0], Value):  # in a hidden layer, fed Values
        x = [v.data for v in inputs]
        out = _builtin_sum(map(mul, w, x), b)
        if type(out) is float:  # (not if an item only looked like a Value: a tensor)
            return new_node(out, (*weights, *inputs, *biases), (*x, *w, *d_bias), DOT)
        return None
    out = _builtin_sum(map(mul, w, inputs), b)  # in the first layer, fed plain numbers
    if type(out) is float:  # (a Value hidden among the numbers would make a Value)
        xs = tuple(map(float, inputs))  # constant: None for each Value weight, the xs, the bias
        return new_node(out, (*weights, *biases), (*xs, *d_bias), DOT,
                     (None,) * len(xs) + xs + (None,))
    return None


def _dot_any(weights: Sequence, inputs: Sequence, bias: Any) -> Value:
    """dot() for any mix of Values and numbers, checking every item."""
    w = [number_of(v, "autograd.dot() weights") for v in weights]
    x = [number_of(v, "autograd.dot() inputs") for v in inputs]
    b = 0.0 if bias is None else number_of(bias, "autograd.dot() bias")
    out = DOT.forward(w, x, b)
    dw, dx, db = DOT.partials(out, w, x, b)
    edges = [*zip(weights, dw), *zip(inputs, dx), (bias, db)]
    edges = [(v, d) for v, d in edges if isinstance(v, Value)]
    operands = [*weights, *inputs, bias]
    plain = tuple(None if isinstance(v, Value) or v is None else float(v) for v in operands)
    constant = None if plain.count(None) == len(plain) else plain
    return new_node(out, tuple(v for v, _ in edges), tuple(d for _, d in edges), DOT, constant)


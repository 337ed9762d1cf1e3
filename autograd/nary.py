"""The n-ary ops: many inputs, one node.

``autograd.sum(values)``, ``autograd.dot(weights, inputs, bias)`` and
``autograd.logsumexp(values)`` make one
graph node with one edge per Value input, where Python's ``+`` and ``*``
would make a node per operation: a neuron's ``w·x + b`` is one node with
2n + 1 edges instead of 2n nodes. Fewer objects to create, order and free,
and a readable graph. Their rules are the ``sum`` and ``dot`` entries of the
op table.
"""

from .ops import OPS
from .value import Value, _as_float, _data, _node

SUM, DOT, LOGSUMEXP = OPS["sum"], OPS["dot"], OPS["logsumexp"]


def sum(values):  # noqa: A001 - autograd.sum, like torch.sum
    """x₁ + … + xₙ as one node with n edges;  d/dxᵢ = 1.

    Plain numbers among ``values`` are added into one constant. Python's
    built-in ``sum()`` works on Values too, but makes n - 1 nodes.
    """
    values = list(values)
    nodes = [v for v in values if isinstance(v, Value)]
    numbers = [_as_float(v, "autograd.sum()") for v in values if not isinstance(v, Value)]
    items = [v.data for v in nodes] + numbers
    out = SUM.forward(items)
    constant = SUM.forward(numbers) if numbers else None
    return _node(out, tuple(nodes), SUM.partials(out, nodes), SUM, constant)


def logsumexp(values):
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
    numbers = [_as_float(v, "autograd.logsumexp()") for v in values if not isinstance(v, Value)]
    constant = LOGSUMEXP.forward(numbers) if numbers else None
    items = [v.data for v in nodes] + ([constant] if numbers else [])
    out = LOGSUMEXP.forward(items)
    partials = LOGSUMEXP.partials(out, items)[:len(nodes)]
    return _node(out, tuple(nodes), partials, LOGSUMEXP, constant)


def dot(weights, inputs, bias=None):
    """The weighted sum b + w₁x₁ + … + wₙxₙ as one node;  d/dwᵢ = xᵢ, d/dxᵢ = wᵢ, d/db = 1.

    A neuron's pre-activation in one node with one edge per Value instead of
    2n nodes. Weights, inputs and bias may be Values or plain numbers; only
    Values become parents, ordered (weights..., inputs..., bias). The plain
    numbers are kept for the drawing in ``constant``: a tuple over the operands
    (w₁…wₙ, x₁…xₙ, b) holding each plain number, None where the operand is a
    Value or the bias is absent; ``constant`` is None when every operand is a Value.
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
    if isinstance(bias, Value) and weights and isinstance(weights[0], Value):
        try:  # a neuron: Value weights and bias
            w, b = [v.data for v in weights], bias.data
            if isinstance(inputs[0], Value):  # in a hidden layer, fed Values
                x = [v.data for v in inputs]
                out = DOT.forward(w, x, b)
                dw, dx, db = DOT.partials(out, w, x, b)
                return _node(out, (*weights, *inputs, bias), (*dw, *dx, db), DOT)
            out = DOT.forward(w, inputs, b)  # in the first layer, fed plain numbers
            if type(out) is float:  # (a Value hidden among the numbers would make a Value)
                dw, _, db = DOT.partials(out, w, inputs, b)  # dw: the inputs, maybe ints
                xs = tuple(map(float, dw))  # constant: None for each Value weight, then xs
                return _node(out, (*weights, bias), (*xs, db), DOT,
                             (None,) * len(xs) + xs + (None,))
        except (AttributeError, TypeError):
            pass  # a mix of Values and numbers, or something that is not a number
    return _dot_any(weights, inputs, bias)


def _dot_any(weights, inputs, bias):
    """dot() for any mix of Values and numbers, checking every item."""
    w = [_data(v, "autograd.dot() weights") for v in weights]
    x = [_data(v, "autograd.dot() inputs") for v in inputs]
    b = 0.0 if bias is None else _data(bias, "autograd.dot() bias")
    out = DOT.forward(w, x, b)
    dw, dx, db = DOT.partials(out, w, x, b)
    edges = [*zip(weights, dw), *zip(inputs, dx), (bias, db)]
    edges = [(v, d) for v, d in edges if isinstance(v, Value)]
    operands = [*weights, *inputs, bias]
    plain = tuple(None if isinstance(v, Value) or v is None else float(v) for v in operands)
    constant = None if plain.count(None) == len(plain) else plain
    return _node(out, tuple(v for v, _ in edges), tuple(d for _, d in edges), DOT, constant)


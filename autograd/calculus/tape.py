"""``gradients`` and ``backward`` for many outputs and nested inputs, as the course writes them.

TensorFlow's ``tape.gradient(f, [W, b])`` takes a matrix of weights ``W`` and a
list ``b``, and gives the gradients in the same shapes; an ``f`` of many
numbers is summed first. PyTorch's ``torch.autograd.grad(outputs, inputs)`` and
``torch.autograd.backward(outputs)`` also sum the contributions of several
outputs. These two functions do the same on top of the core's chain rule
(``core/backward.py``), which takes one output and a flat list of inputs.

    >>> from autograd import Value
    >>> W = [[Value(1.0), Value(2.0)], [Value(3.0), Value(4.0)]]
    >>> b = [Value(0.5), Value(-0.5)]
    >>> x = [1.0, 2.0]
    >>> s = [W[k][0] * x[0] + W[k][1] * x[1] + b[k] for k in range(2)]
    >>> gradients(s, [W, b])              # d(s₀ + s₁)/dW = [x, x], /db = [1, 1]
    [[[1.0, 2.0], [1.0, 2.0]], [1.0, 1.0]]
"""

from __future__ import annotations

from typing import Any

from .. import tree
from ..core import backward as chain
from ..core.nary import sum as sum_of
from ..core.value import Value


def gradients(outputs: Any, inputs: Any, create_graph: bool = False,
              gradient: float = 1.0) -> Any:
    """d(Σ outputs)/d(x) for every x of ``inputs``, in the structure of ``inputs``; no grad touched.

    ``outputs``: a Value, or a (nested) list or tuple of Values, whose sum is
    differentiated (TensorFlow's ``tape.gradient`` rule, and what
    ``torch.autograd.grad`` gives for several outputs). ``inputs``: a Value,
    or a (nested) list, tuple or namedtuple of Values: ``gradients(loss, [W,
    b])`` with ``W`` a matrix gives ``[dW, db]`` with ``dW`` a matrix. An input
    the outputs do not depend on gets 0.0. ``create_graph=True`` gives Values
    with graphs of their own, for second derivatives (see ``core/backward.py``).
    """
    root = _one_root(outputs, "gradients()")
    flat = tree.leaves(inputs)
    found = chain.gradients(root, flat, create_graph=create_graph, gradient=gradient)
    return tree.unflatten(inputs, found)


def backward(outputs: Any, gradient: float = 1.0, create_graph: bool = False,
             retain_graph: bool | None = None) -> None:
    """``outputs.backward()``; for a (nested) list of Values, the backward pass of their sum.

    As ``torch.autograd.backward(tensors)``: each output's leaves receive the
    gradients of the sum of the outputs. The rules of ``Value.backward``
    apply to each output: one made inside ``no_grad()``, or one whose graph an
    earlier ``backward()`` went through without ``retain_graph=True``, is refused.
    """
    values = tree.leaves(outputs)
    root = _one_root(outputs, "backward()")
    for value in values:
        chain.check_root(value, "backward()")
    chain.backward(root, gradient, create_graph, retain_graph)
    if root not in values and not (create_graph if retain_graph is None else retain_graph):
        for value in values:  # the sum was a node of the moment: the outputs are what was spent
            if value.parents:
                value.spent = True


def _one_root(outputs: Any, where: str) -> Value:
    """One Value to go back from: ``outputs`` itself, or the sum of the Values it holds."""
    if isinstance(outputs, Value):
        return outputs
    values = tree.leaves(outputs)
    for value in values:
        if not isinstance(value, Value):
            raise TypeError(f"{where} takes the Value to differentiate (such as a loss), or a "
                            f"list of Values whose sum is differentiated; got "
                            f"{type(value).__name__} {value!r:.40} among the outputs: a plain "
                            f"number has no graph")
    if not values:
        raise ValueError(f"{where} got no outputs: pass the Value to differentiate, such as a loss")
    return values[0] if len(values) == 1 else sum_of(values)

"""Derivatives as functions: ``grad``, ``value_and_grad``, ``hessian`` (as in JAX, HIPS autograd).

``grad(f)`` is a new function: give it the numbers ``f`` takes, and it
returns df/dx there. It composes, because the derivative is computed with
``gradients(..., create_graph=True)`` whenever it will be differentiated again:

    >>> from autograd import grad
    >>> f = lambda x: x ** 3          # f'(x) = 3x²,  f''(x) = 6x,  f'''(x) = 6
    >>> grad(f)(2.0), grad(grad(f))(2.0), grad(grad(grad(f)))(2.0)
    (12.0, 12.0, 6.0)

``argnums`` (an int, or a tuple or list of ints) names the arguments to
differentiate with respect to, as in JAX. Each may be a number or a (nested)
list, tuple or namedtuple of numbers (see ``autograd.tree``); its gradient
has the same structure. Keyword arguments are passed on to ``f`` as they are,
never differentiated (as in HIPS autograd, JAX and ``torch.func.grad``).

The results are floats, unless they must keep a graph: inside another
``grad`` (so that it can differentiate them), when called with Values, or
when ``f`` uses Values from outside its arguments (a closure, a model's
parameters) while the engine records: then they are Values whose graphs
reach those Values, as ``torch.func.grad`` keeps them in PyTorch's graph::

    >>> from autograd import Value
    >>> x = Value(1.0)
    >>> y = x * grad(lambda t: x * t)(2.0)     # d/dt (x t) = x, so y = x²
    >>> y.backward()
    >>> x.grad
    2.0
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Sequence
from typing import Any

from .. import tree
from ..core.backward import gradients, topological_order
from ..core.modes import CONSTANT, NOT_RECORDED, is_grad_enabled
from ..core.value import Value

# True while a grad()-made function is calling f: a grad() inside it must keep
# the graph of its result, so that the outer one can differentiate it.
_differentiating = contextvars.ContextVar("autograd_differentiating", default=False)


Argnums = int | Sequence[int]


def grad(f: Callable[..., Value], argnums: Argnums = 0) -> Callable[..., Any]:
    """The function x ↦ ∂f/∂x, for ``f`` that takes numbers and returns a Value.

    ``grad(f)(x)`` is df/dx at x, a float; ``grad(f, argnums=(0, 1))(x, y)``
    is the tuple (∂f/∂x, ∂f/∂y). Nest it for higher derivatives:
    ``grad(grad(f))(x)`` is f''(x). Inside f, build the result with the
    engine's ops (``x.tanh()``, not ``math.tanh(x)``).
    """
    value_and_grad_f = value_and_grad(f, argnums)

    def grad_f(*args: Any, **kwargs: Any) -> Any:
        return value_and_grad_f(*args, **kwargs)[1]

    grad_f.__name__ = f"grad({getattr(f, '__name__', 'f')})"
    grad_f.__doc__ = f"The gradient of {getattr(f, '__name__', 'f')}, argnums={argnums}."
    return grad_f


def value_and_grad(f: Callable[..., Value],
                   argnums: Argnums = 0) -> Callable[..., tuple[Any, Any]]:
    """The function x ↦ (f(x), ∂f/∂x): the value and the gradient from one forward pass.

    The value is a float and the gradient has the structure of the
    argument(s) named by ``argnums``: a float for a number, a list for a list,
    a tuple of those for a tuple of argnums. Inside another ``grad`` (or when
    called with Values) both are Values, with graphs, so they can be
    differentiated again.
    """
    def value_and_grad_f(*args: Any, **kwargs: Any) -> tuple[Any, Any]:
        call = Call(f, args, argnums, "value_and_grad()", kwargs)
        grads = gradients(call.output, call.variables, create_graph=call.nested)
        if not call.nested:
            return call.output.data, call.rebuild(grads)
        return call.output, call.rebuild(grads)

    value_and_grad_f.__name__ = f"value_and_grad({getattr(f, '__name__', 'f')})"
    return value_and_grad_f


def hessian(f: Callable[..., Value],
            argnums: Argnums | None = None) -> Callable[..., list[list[Any]]]:
    """The function x ↦ H, the matrix of second derivatives Hᵢⱼ = ∂²f/∂xᵢ∂xⱼ, as a list of lists.

    By default with respect to every argument, as PyTorch's
    ``torch.autograd.functional.hessian(f, inputs)`` does (JAX's default is
    argument 0 only): ``hessian(f)(x, y)`` is the 2 × 2 matrix of f(x, y),
    and ``hessian(f)([x, y])`` is the same matrix. The numbers of all the
    arguments named by ``argnums`` are taken in order as one vector x₁…xₙ.
    Computed as the gradient of each component of the gradient, so H is
    symmetric up to rounding for a smooth f.
    """
    def hessian_f(*args: Any, **kwargs: Any) -> list[list[Any]]:
        call = Call(f, args, argnums, "hessian()", kwargs)
        first = gradients(call.output, call.variables, create_graph=True)
        rows = [gradients(g, call.variables, create_graph=call.nested) for g in first]
        return rows if call.nested else [[number(h) for h in row] for row in rows]

    hessian_f.__name__ = f"hessian({getattr(f, '__name__', 'f')})"
    return hessian_f


class Call:
    """One call of ``f`` with fresh Values for the arguments named by ``argnums``.

    ``variables``: those Values, flat; ``output``: what f returned (a Value);
    ``rebuild(flat)``: a flat list in the arguments' structure; ``nested``:
    whether the results must keep their graphs (inside another grad, called
    with Values, or f reached Values from outside its arguments while the
    engine records). Shared by ``grad``, ``value_and_grad``, ``hessian`` and
    ``gradcheck``.
    """

    def __init__(self, f: Callable[..., Any], args: Sequence, argnums: Any, where: str,
                 kwargs: dict | None = None) -> None:
        """Call ``f(*args, **kwargs)`` with the arguments of ``argnums`` made fresh Values."""
        positions = tree.argnum_positions(argnums, len(args), where)
        self.nested = _differentiating.get() or any(tree.any_leaf(is_value, a) for a in args)
        args = list(args)
        self.variables: list[Value] = []
        for i in positions:
            def fresh(leaf: Any, where: str = f"{where} argument {i}") -> Value:
                return self._fresh(leaf, where)
            args[i] = tree.map(fresh, args[i])
        self._structure = [args[i] for i in positions]
        self._single = isinstance(argnums, int)
        token = _differentiating.set(True)
        try:
            self.output = f(*args, **(kwargs or {}))
        finally:
            _differentiating.reset(token)
        if not isinstance(self.output, Value):
            raise TypeError(
                f"{where} needs f to return a Value built from its arguments with the engine's "
                f"ops, but {getattr(f, '__name__', 'f')} returned {type(self.output).__name__} "
                f"{self.output!r:.40}. A plain number has no graph to differentiate: did f use "
                "x.data, x.item() or a math function instead of the Value's own methods?")
        if not self.nested and is_grad_enabled():
            self.nested = self._reaches_outside()

    def _reaches_outside(self) -> bool:
        """Whether f's result depends on a Value made with Value() that is not a variable here.

        Not the constants the engine makes (the seed of an inner grad) nor the
        results of ops on plain numbers only, which have no graph to keep.
        """
        mine = set(self.variables)
        return any(not node.parents and node.op is None and node not in mine
                   and node.local_grads is not CONSTANT and node.local_grads is not NOT_RECORDED
                   for node in topological_order(self.output))

    def _fresh(self, leaf: Any, where: str) -> Value:
        """A new Value for ``leaf`` (appended to ``variables``).

        A Value (from an outer grad) becomes a new node ``x + 0.0`` on top of it,
        so this level differentiates with respect to its own variable only, not
        with respect to every use of the outer one (no "perturbation confusion").
        """
        if isinstance(leaf, Value):
            variable = leaf + 0.0
        elif tree.is_number(leaf):
            variable = Value(leaf)
        else:
            raise tree.leaf_error(leaf, where)
        self.variables.append(variable)
        return variable

    def rebuild(self, flat: Sequence) -> Any:
        """The flat gradients in the structure of the arguments named by ``argnums``."""
        items = iter(flat)
        trees = [tree.unflatten(structure, items) for structure in self._structure]
        return trees[0] if self._single else tuple(trees)


def is_value(x: Any) -> bool:
    """Whether ``x`` is a Value (a leaf of a tree that already has a graph)."""
    return isinstance(x, Value)


def number(x: Any) -> Any:
    """The number of a Value, or ``x`` itself."""
    return x.data if isinstance(x, Value) else x

"""Value: one number in a computation graph.

A Value holds ``data`` (a float), ``grad`` (d(root)/d(self), filled in by
``backward()``), the ``parents`` it was computed from and, one per parent, the
``local_grads`` d(self)/d(parent), and ``op``, the name of the op that made it
(``"mul"``; its entry in the table is ``OPS[value.op]``). Every operator is a one-line call into the
op table (``ops.py``); this file only turns Python's operators into table
look-ups and wraps the results into new Values.

Plain numbers mix in on either side (``2 * x``, ``1 / x``, ``2 ** x``) without
becoming graph nodes: the number is folded into the op and kept in
``constant`` for the drawing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from .backward import backward as _backward
from .convert import NotAFloat, as_float, plain_number
from .modes import NOT_RECORDED, recording
from .ops import OPS, Op

UNIT = (1.0,)  # shared local-derivative tuple: x + c, c + x and x - c all have d/dx = 1


class Value(NotAFloat):
    """A scalar node of a computation graph.

    ``Value(data, label="")``: ``data`` is a real number (int, float or bool,
    stored as a float); ``grad`` starts at 0.0. Operators ``+ - * / **``,
    unary ``-``, ``abs()`` and one method per op of the table (``exp log tanh
    sigmoid relu sqrt abs sign sin cos softplus log1p expm1``) build new
    Values; ``backward()`` fills in ``grad`` by the chain rule.

    A Value is not a plain float (``NotAFloat`` in ``convert.py``): comparisons
    ``< <= > >=`` compare ``data``, equality and hashing stay by identity (so
    Values go in sets and dicts), and ``float(x)``, ``math.sin(x)`` and the
    like raise a TypeError instead of silently dropping the gradient.
    ``x.sin()`` keeps it; ``x.item()`` (or ``x.data``) is the number, and
    ``f"{x:.3f}"`` formats it.
    """

    __slots__ = (
        "data", "grad", "parents", "local_grads", "op", "label", "constant", "constant_first",
        "spent",
    )
    data: float
    grad: Any  # a float; a Value after backward(create_graph=True)
    parents: tuple[Value, ...]
    local_grads: tuple
    op: str | None
    label: str
    constant: Any  # a plain number folded into the op, or for dot a tuple over its operands
    constant_first: bool
    spent: bool  # set once backward() has gone through this Value's graph (see backward.py)

    def __init__(self, data: float, label: str = "") -> None:
        """A leaf holding ``data`` (an int, float or bool, stored as a float), ``grad`` 0.0.

        ``label`` names the Value in drawings and in its repr.
        """
        self.data = data if type(data) is float else as_float(data, "Value()")
        self.grad = 0.0
        self.parents = ()
        self.local_grads = ()
        self.op = None
        self.label = label
        self.constant = None  # a plain number folded into the op that made this Value (for dot,
        # a tuple over its operands: see autograd.dot)
        self.constant_first = False  # True when that number came first: 2 - x, not x - 2

    def __repr__(self) -> str:
        """``Value(data=2.0, grad=0.0, label='x')``: the numbers, and the label if there is one."""
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def __format__(self, spec: str) -> str:
        """``f"{loss:.3f}"`` formats the number ``data`` ("0.693"); ``f"{loss}"`` is the repr."""
        return format(self.data, spec) if spec else repr(self)

    # --- arithmetic: x ∘ y and y ∘ x, for a Value or a plain number y ---------
    def __add__(self, other: Value | float) -> Value:
        """x + y;  d/dx = 1,  d/dy = 1."""
        return _binary(ADD, self, other)

    def __radd__(self, other: Value | float) -> Value:
        """y + x for a plain number y (``1 + x``);  d/dx = 1."""
        return _binary(ADD, other, self)

    def __sub__(self, other: Value | float) -> Value:
        """x − y;  d/dx = 1,  d/dy = −1."""
        return _binary(SUB, self, other)

    def __rsub__(self, other: Value | float) -> Value:
        """y − x for a plain number y (``1 - x``);  d/dx = −1."""
        return _binary(SUB, other, self)

    def __mul__(self, other: Value | float) -> Value:
        """x · y;  d/dx = y,  d/dy = x."""
        return _binary(MUL, self, other)

    def __rmul__(self, other: Value | float) -> Value:
        """y · x for a plain number y (``2 * x``);  d/dx = y."""
        return _binary(MUL, other, self)

    def __truediv__(self, other: Value | float) -> Value:
        """x / y;  d/dx = 1/y,  d/dy = −x/y².  x/0 is ±inf (0/0 is nan), never an exception."""
        return _binary(DIV, self, other)

    def __rtruediv__(self, other: Value | float) -> Value:
        """y / x for a plain number y (``1 / x``);  d/dx = −y/x²."""
        return _binary(DIV, other, self)

    def __pow__(self, other: Value | float) -> Value:
        """x^y;  d/dx = y·x^(y−1),  d/dy = x^y · ln x.  ``x ** 2``, ``x ** 0.5``, ``x ** w``."""
        return _binary(POW, self, other)

    def __rpow__(self, other: Value | float) -> Value:
        """y^x for a plain number y (``2 ** x``);  d/dx = y^x · ln y."""
        return _binary(POW, other, self)

    # x += y, x -= y, … make a new Value and rebind the name, as for floats (see convert.py)

    def __neg__(self) -> Value:
        """−x;  d/dx = −1."""
        return _unary(NEG, self)

    def __pos__(self) -> Value:
        """+x is x itself: no new node."""
        return self

    def __abs__(self) -> Value:
        """|x| (``abs(x)``);  d/dx = sign(x), and 0 at x = 0 (as in PyTorch)."""
        return _unary(ABS, self)

    # The functions x.exp(), x.log(), x.tanh(), … are made from the op table at the end
    # of this file (add_methods): one method per op with ``method=True``. Their names,
    # as an editor or a type checker sees them:
    if TYPE_CHECKING:
        def exp(self) -> Value: ...
        def log(self) -> Value: ...
        def tanh(self) -> Value: ...
        def sigmoid(self) -> Value: ...
        def relu(self) -> Value: ...
        def sqrt(self) -> Value: ...
        def abs(self) -> Value: ...
        def sign(self) -> Value: ...
        def sin(self) -> Value: ...
        def cos(self) -> Value: ...
        def softplus(self) -> Value: ...
        def log1p(self) -> Value: ...
        def expm1(self) -> Value: ...
        draw: Callable[..., Any]  # attached by autograd/__init__.py (viz/draw_graph)

    # --- gradients -----------------------------------------------------------------
    def backward(self, gradient: float = 1.0, create_graph: bool = False,
                 retain_graph: bool | None = None) -> None:
        """Fill in ``grad`` on every node this Value depends on: d(self)/d(node).

        Sets ``self.grad = gradient`` (1.0 by default) and walks the graph in
        reverse topological order, adding ``local_grad × grad`` into each
        parent. Non-leaf grads are reset at the start of each pass; leaf grads
        (inputs, parameters) accumulate across passes, as in PyTorch: call
        ``zero_grad()`` (or set ``grad = 0.0``) between training steps.

        A second ``backward()`` through the same graph raises, as in PyTorch,
        unless the first passed ``retain_graph=True``: it would add the same
        gradients again. In a training loop, build the loss inside the loop.

        ``create_graph=True`` makes every ``grad`` a Value with a graph of its
        own, so that it can be differentiated again (second derivatives), as
        in PyTorch; it implies ``retain_graph``. ``autograd.gradients(y, [x])``
        does the same without touching any ``grad``.
        """
        _backward(self, gradient, create_graph, retain_graph)

    def detach(self) -> Value:
        """A new leaf Value with the same data: gradients do not flow through it."""
        return Value(self.data)

    @property
    def is_leaf(self) -> bool:
        """True for a Value made by ``Value(...)`` (no parents): inputs and parameters."""
        return not self.parents


# --- constructing nodes ---------------------------------------------------------

_new = object.__new__


def new_node(data: float, parents: tuple, local_grads: tuple, op: Op,
             constant: Any = None, constant_first: bool = False) -> Value:
    """A new Value computed by ``op`` from ``parents`` (no type checks: callers pass floats).

    Records the parents and local derivatives unless inside ``no_grad()``
    (then the result is a leaf). A node hook installed by a layer above
    (``detect_anomaly``) sees every recorded node (see ``modes.py``).
    """
    v = _new(Value)
    v.data = data
    v.grad = 0.0
    v.label = ""
    v.constant = constant
    v.constant_first = constant_first
    mode = recording()
    if mode is True:  # the usual case
        v.parents = parents
        v.local_grads = local_grads
        v.op = op.name
    elif mode is False:  # inside no_grad(): the result is a leaf, marked as made there
        v.parents = ()
        v.local_grads = NOT_RECORDED
        v.op = v.constant = None
        v.constant_first = False
    else:  # a node hook: record, then hand it the node (it may raise)
        v.parents = parents
        v.local_grads = local_grads
        v.op = op.name
        mode(v)
    return v


def _unary(op: Op, x: Value) -> Value:
    a = x.data
    out = op.forward(a)
    return new_node(out, (x,), op.partials(out, a), op)


def _binary(op: Op, a: Any, b: Any) -> Any:
    """a ∘ b where a or b is a Value; a plain number c is folded in as ``constant``."""
    if isinstance(a, Value):
        x = a.data
        if isinstance(b, Value):
            y = b.data
            out = op.forward(x, y)
            return new_node(out, (a, b), op.partials(out, x, y), op)
        c = b if type(b) is float else plain_number(b)  # the usual case without a call
        if c is None:
            return NotImplemented  # Python then tries b's reflected operator, or raises TypeError
        out = op.forward(x, c)
        d = op.partials(out, x, c)[0]
        return new_node(out, (a,), UNIT if d == 1.0 else (d,), op, c)
    c = a if type(a) is float else plain_number(a)
    if c is None:
        return NotImplemented
    y = b.data
    out = op.forward(c, y)
    d = op.partials(out, c, y)[1]
    return new_node(out, (b,), UNIT if d == 1.0 else (d,), op, c, True)


def apply(op: Op, args: tuple) -> Value:
    """``op`` applied to ``args`` (Values and plain numbers): ``x.tanh()`` is ``apply(tanh, (x,))``.

    Unary and binary ops take the fast paths above; an op with more inputs
    keeps its plain numbers in ``constant``, a tuple over its inputs with None
    where a Value goes (as ``dot`` does).
    """
    if len(args) != op.arity:
        raise TypeError(f"{op.name}() takes {op.arity} input(s), got {len(args)}")
    if op.arity == 1:
        return _unary(op, args[0])
    if op.arity == 2:
        out = _binary(op, *args)
        if out is NotImplemented:
            raise TypeError(f"{op.name}() takes Values and real numbers, got "
                            f"{type(args[1]).__name__} {args[1]!r:.40}")
        return out
    numbers = [a.data if isinstance(a, Value) else as_float(a, f"{op.name}()") for a in args]
    out = op.forward(*numbers)
    partials = op.partials(out, *numbers)
    edges = [(a, float(d)) for a, d in zip(args, partials) if isinstance(a, Value)]
    constant = tuple(None if isinstance(a, Value) else n for a, n in zip(args, numbers))
    return new_node(out, tuple(a for a, _ in edges), tuple(d for _, d in edges), op, constant)


def _method(op: Op) -> Callable[..., Value]:
    """The Value method for ``op``: ``x.tanh()``, or ``x.name(y, …)`` for more inputs."""
    def unary(self: Value) -> Value:
        return _unary(op, self)

    def with_others(self: Value, *others: Value | float) -> Value:
        return apply(op, (self, *others))
    method = unary if op.arity == 1 else with_others
    method.__name__ = method.__qualname__ = op.name
    method.__doc__ = f"{op.formula}  (op table entry ``OPS[{op.name!r}]``)"
    return method


def add_methods(ops: Iterable[Op]) -> None:
    """Give ``Value`` a method for each op of ``ops`` that asks for one (``method=True``)."""
    for op in ops:
        if op.method:
            setattr(Value, op.name, _method(op))


add_methods(OPS.values())

ADD, SUB, MUL, DIV, POW = OPS["add"], OPS["sub"], OPS["mul"], OPS["div"], OPS["pow"]
NEG, ABS = OPS["neg"], OPS["abs"]

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

import contextvars
from contextlib import contextmanager
from numbers import Real

from .backward import backward as _backward
from .ops import OPS

# Whether new ops record their parents. A ContextVar, not a global, so that
# no_grad() in one thread or asyncio task does not switch recording off in another.
# True, False inside no_grad(), or inside detect_anomaly() its checker: an object
# that records like True but is falsy (see _node), so ask is_grad_enabled(), not
# bool(_is_recording()), whether ops record.
_recording = contextvars.ContextVar("autograd_recording", default=True)
_is_recording = _recording.get

# Whether autograd.compile() is tracing a function: then every use of a Value that a
# trace cannot record (a comparison, bool(), float(), an index, item()) raises TraceError.
_tracing = contextvars.ContextVar("autograd_tracing", default=False)
_is_tracing = _tracing.get

_ONE = (1.0,)  # shared local-derivative tuple: x + c, c + x and x - c all have d/dx = 1


class Value:
    """A scalar node of a computation graph.

    ``Value(data, label="")``: ``data`` is a real number (int, float or bool,
    stored as a float); ``grad`` starts at 0.0. Operators ``+ - * / **``,
    unary ``-``, ``abs()`` and one method per op of the table (``exp log tanh
    sigmoid relu sqrt abs sign sin cos softplus log1p expm1``) build new
    Values; ``backward()`` fills in ``grad`` by the chain rule.
    Comparisons ``< <= > >=`` compare ``data``; equality and hashing stay by
    identity, so Values can be put in sets and dicts. While ``autograd.compile``
    traces a function, comparisons, ``==`` with a number, ``bool()``, ``float()``,
    indexing and ``item()`` raise ``TraceError`` instead: a trace cannot see them.

    A Value is not a plain float: ``float(x)``, ``math.sin(x)`` and the like
    raise a TypeError instead of silently dropping the gradient. ``x.sin()``
    keeps it; ``x.item()`` (or ``x.data``) is the number, and ``f"{x:.3f}"`` formats it.
    """

    __slots__ = (
        "data", "grad", "parents", "local_grads", "op", "label", "constant", "constant_first",
    )

    def __init__(self, data, label=""):
        """A leaf holding ``data`` (an int, float or bool, stored as a float), ``grad`` 0.0.

        ``label`` names the Value in drawings and in its repr.
        """
        self.data = data if type(data) is float else _as_float(data, "Value()")
        self.grad = 0.0
        self.parents = ()
        self.local_grads = ()
        self.op = None
        self.label = label
        self.constant = None  # a plain number folded into the op that made this Value (for dot,
        # a tuple over its operands: see autograd.dot)
        self.constant_first = False  # True when that number came first: 2 - x, not x - 2

    def __repr__(self):
        """``Value(data=2.0, grad=0.0, label='x')``: the numbers, and the label if there is one."""
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def __format__(self, spec):
        """``f"{loss:.3f}"`` formats the number ``data`` ("0.693"); ``f"{loss}"`` is the repr."""
        return format(self.data, spec) if spec else repr(self)

    def item(self):
        """The number this Value holds, as a plain float: ``data`` (PyTorch's ``tensor.item()``)."""
        if _is_tracing():
            _refuse_in_trace("item", self)
        return self.data

    # --- conversions to plain numbers are refused: they would drop the gradient ------
    def __float__(self):
        """Refused with a TypeError: ``float(x)``, ``math.sin(x)``, ``math.exp(x)`` … call it.

        Their result would be a plain float with no graph behind it, so
        ``backward()`` would silently give no gradient along that path. Use the
        Value's method (``x.sin()``) to keep the gradient, ``x.item()`` for the number.
        """
        if _is_tracing():
            _refuse_in_trace("float", self)
        raise TypeError(_conversion_refused(
            self, "float() and math functions such as math.sin() need plain numbers"))

    def __int__(self):
        """Refused with a TypeError, like ``__float__``: use ``int(x.item())`` for the number."""
        if _is_tracing():
            _refuse_in_trace("int", self)
        raise TypeError(_conversion_refused(self, "int() needs a plain number"))

    def __round__(self, ndigits=None):
        """Refused with a TypeError, like ``__float__``: use ``round(x.item(), 2)`` to print."""
        if _is_tracing():
            _refuse_in_trace("round", self)
        raise TypeError(_conversion_refused(self, "round() needs a plain number"))

    def __index__(self):
        """Refused with a TypeError: a Value is not a list index (use ``int(x.item())``)."""
        if _is_tracing():
            _refuse_in_trace("index", self)
        raise TypeError(f"a Value cannot be used as an index or a count ({self!r:.60}): "
                        "for its number as an int, use int(x.item())")

    def __bool__(self):
        """True, as for any object: ``if x:`` does not look at the number (use ``x.data != 0``)."""
        if _is_tracing():
            _refuse_in_trace("bool", self)
        return True

    # --- arithmetic: x ∘ y and y ∘ x, for a Value or a plain number y ---------
    def __add__(self, other):
        """x + y;  d/dx = 1,  d/dy = 1."""
        return _binary(ADD, self, other)

    def __radd__(self, other):
        """y + x for a plain number y (``1 + x``);  d/dx = 1."""
        return _binary(ADD, other, self)

    def __sub__(self, other):
        """x − y;  d/dx = 1,  d/dy = −1."""
        return _binary(SUB, self, other)

    def __rsub__(self, other):
        """y − x for a plain number y (``1 - x``);  d/dx = −1."""
        return _binary(SUB, other, self)

    def __mul__(self, other):
        """x · y;  d/dx = y,  d/dy = x."""
        return _binary(MUL, self, other)

    def __rmul__(self, other):
        """y · x for a plain number y (``2 * x``);  d/dx = y."""
        return _binary(MUL, other, self)

    def __truediv__(self, other):
        """x / y;  d/dx = 1/y,  d/dy = −x/y².  x/0 is ±inf (0/0 is nan), never an exception."""
        return _binary(DIV, self, other)

    def __rtruediv__(self, other):
        """y / x for a plain number y (``1 / x``);  d/dx = −y/x²."""
        return _binary(DIV, other, self)

    def __pow__(self, other):
        """x^y;  d/dx = y·x^(y−1),  d/dy = x^y · ln x.  ``x ** 2``, ``x ** 0.5``, ``x ** w``."""
        return _binary(POW, self, other)

    def __rpow__(self, other):
        """y^x for a plain number y (``2 ** x``);  d/dx = y^x · ln y."""
        return _binary(POW, other, self)

    def __neg__(self):
        """−x;  d/dx = −1."""
        return _unary(NEG, self)

    def __pos__(self):
        """+x is x itself: no new node."""
        return self

    def __abs__(self):
        """|x| (``abs(x)``);  d/dx = sign(x), and 0 at x = 0 (as in PyTorch)."""
        return _unary(ABS, self)

    # The functions x.exp(), x.log(), x.tanh(), x.sigmoid(), x.relu(), x.sqrt(),
    # x.abs(), x.sign(), x.sin(), x.cos(), x.softplus(), x.log1p(), x.expm1() are made
    # from the op table at the end of this file: one method per op with ``method=True``.

    # --- comparisons on data (identity equality and hashing are kept) ----------
    def __lt__(self, other):
        """x < y compares the numbers: ``x.data < y`` (a bool, no graph node)."""
        if _is_tracing():
            _refuse_in_trace("<", self, other)
        return self.data < _data(other)

    def __le__(self, other):
        """x <= y compares the numbers: ``x.data <= y``."""
        if _is_tracing():
            _refuse_in_trace("<=", self, other)
        return self.data <= _data(other)

    def __gt__(self, other):
        """x > y compares the numbers: ``x.data > y``."""
        if _is_tracing():
            _refuse_in_trace(">", self, other)
        return self.data > _data(other)

    def __ge__(self, other):
        """x >= y compares the numbers: ``x.data >= y``."""
        if _is_tracing():
            _refuse_in_trace(">=", self, other)
        return self.data >= _data(other)

    def __eq__(self, other):
        """Identity, as for any object (``x == 1`` is False); with a number, refused in a trace."""
        if _is_tracing() and isinstance(other, Real):
            _refuse_in_trace("==", self, other)
        return NotImplemented  # Python then compares identities

    def __ne__(self, other):
        """Identity, like ``==``: ``x != y`` unless x is y."""
        if _is_tracing() and isinstance(other, Real):
            _refuse_in_trace("!=", self, other)
        return NotImplemented

    __hash__ = object.__hash__  # by identity: Values go in sets and dicts (defining == unsets it)

    # --- gradients -----------------------------------------------------------------
    def backward(self, gradient=1.0, create_graph=False):
        """Fill in ``grad`` on every node this Value depends on: d(self)/d(node).

        Sets ``self.grad = gradient`` (1.0 by default) and walks the graph in
        reverse topological order, adding ``local_grad × grad`` into each
        parent. Non-leaf grads are reset at the start of each pass; leaf grads
        (inputs, parameters) accumulate across passes, as in PyTorch: call
        ``zero_grad()`` (or set ``grad = 0.0``) between training steps.

        ``create_graph=True`` makes every ``grad`` a Value with a graph of its
        own, so that it can be differentiated again (second derivatives), as
        in PyTorch. ``autograd.gradients(y, [x])`` does the same without
        touching any ``grad``.
        """
        _backward(self, gradient, create_graph)

    def draw(self, **options):
        """This Value's computation graph as a picture: ``autograd.draw_graph(self, **options)``.

        Options: ``rankdir``, ``show``, ``color``, ``cluster``, ``max_nodes``
        (see ``draw_graph``). In Jupyter, ``loss.draw()`` shows the SVG inline.
        """
        from .draw import draw_graph  # imported here: computing never needs Graphviz
        return draw_graph(self, **options)

    def detach(self):
        """A new leaf Value with the same data: gradients do not flow through it."""
        return Value(self.data)

    @property
    def is_leaf(self):
        """True for a Value made by ``Value(...)`` (no parents): inputs and parameters."""
        return not self.parents


# --- constructing nodes ---------------------------------------------------------

_new = object.__new__


def _node(data, parents, local_grads, op, constant=None, constant_first=False):
    """A new Value computed by ``op`` (no type checks: callers pass floats)."""
    v = _new(Value)
    v.data = data
    v.grad = 0.0
    v.label = ""
    v.constant = constant
    v.constant_first = constant_first
    if recording := _is_recording():  # True: the usual case
        v.parents = parents
        v.local_grads = local_grads
        v.op = op.name
    elif recording is False:  # inside no_grad(): the result is a leaf
        v.parents = v.local_grads = ()
        v.op = v.constant = None
        v.constant_first = False
    else:  # inside detect_anomaly(): its checker, falsy so that the usual case tests nothing more
        v.parents = parents
        v.local_grads = local_grads
        v.op = op.name
        recording(v)  # raises FloatingPointError if v.data is nan or inf (anomaly.py)
    return v


def _as_float(x, where):
    """x as a float, or a TypeError that names the type a learner passed."""
    number = _plain_number(x)
    if number is None:
        hint = (": it is already a Value, so use it as it is (or x.detach() for a copy that "
                "gradients do not flow through)" if isinstance(x, Value) else "")
        raise TypeError(
            f"{where} takes a real number (int, float or bool), "
            f"got {type(x).__name__} {x!r:.60}{hint}"
        )
    return number


def _conversion_refused(value, what):
    """The message for float(x), math.sin(x), int(x), round(x) on a Value."""
    return (f"{what}, and this is a Value ({value!r:.60}): converting it "
            "would drop its gradient. To keep the gradient, use the Value's own method: "
            "x.sin(), x.exp(), x.log(), x.tanh(), x.sqrt(), x ** 2, abs(x). For the plain number "
            "(to print or plot it), use x.item() or x.data.")


def _refuse_in_trace(what, value, other=None):
    """Raise TraceError for a use of ``value`` that a trace cannot record (see autograd.trace)."""
    from .trace import refuse  # imported here: trace.py imports this module
    refuse(what, value, other)


def _data(x, where="a comparison with a Value"):
    """The number a Value holds, or a plain number as a float (else a TypeError)."""
    return x.data if isinstance(x, Value) else _as_float(x, where)


def _unary(op, x):
    a = x.data
    out = op.forward(a)
    return _node(out, (x,), op.partials(out, a), op)


def _binary(op, a, b):
    """a ∘ b where a or b is a Value; a plain number is folded in as ``constant``."""
    if isinstance(a, Value):
        x = a.data
        if isinstance(b, Value):
            y = b.data
            out = op.forward(x, y)
            return _node(out, (a, b), op.partials(out, x, y), op)
        y = b if type(b) is float else _plain_number(b)  # the usual case without a call
        if y is None:
            return NotImplemented  # Python then tries b's reflected operator, or raises TypeError
        out = op.forward(x, y)
        d = op.partials(out, x, y)[0]
        return _node(out, (a,), _ONE if d == 1.0 else (d,), op, y)
    x = a if type(a) is float else _plain_number(a)
    if x is None:
        return NotImplemented
    y = b.data
    out = op.forward(x, y)
    d = op.partials(out, x, y)[1]
    return _node(out, (b,), _ONE if d == 1.0 else (d,), op, x, True)


def _plain_number(x):
    """x as a float if it is a real number (int, float, bool, Fraction, NumPy float), else None."""
    if type(x) is float:  # the usual case first: an isinstance() against the Real ABC is slow
        return x
    if type(x) is int or isinstance(x, Real):
        return float(x)
    return None


def _apply(op, args):
    """``op`` applied to ``args`` (Values and plain numbers): any op, any arity.

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
    numbers = [_data(a, f"{op.name}()") for a in args]
    out = op.forward(*numbers)
    partials = op.partials(out, *numbers)
    edges = [(a, float(d)) for a, d in zip(args, partials) if isinstance(a, Value)]
    constant = tuple(None if isinstance(a, Value) else n for a, n in zip(args, numbers))
    return _node(out, tuple(a for a, _ in edges), tuple(d for _, d in edges), op, constant)


def _method(op):
    """The Value method for ``op``: ``x.tanh()``, or ``x.name(y, …)`` for more inputs."""
    if op.arity == 1:
        def method(self):
            return _unary(op, self)
    else:
        def method(self, *others):
            return _apply(op, (self, *others))
    method.__name__ = method.__qualname__ = op.name
    method.__doc__ = f"{op.formula}  (op table entry ``OPS[{op.name!r}]``)"
    return method


def add_methods(ops):
    """Give ``Value`` a method for each op of ``ops`` that asks for one (``method=True``)."""
    for op in ops:
        if op.method:
            setattr(Value, op.name, _method(op))


add_methods(OPS.values())

ADD, SUB, MUL, DIV, POW = OPS["add"], OPS["sub"], OPS["mul"], OPS["div"], OPS["pow"]
NEG, ABS = OPS["neg"], OPS["abs"]


# --- no_grad ------------------------------------------------------------------------

@contextmanager
def no_grad():
    """Inside ``with no_grad():`` ops record no parents: results are leaves.

    Use it for evaluation and for optimizer updates. Safe across threads and
    asyncio tasks (a ``contextvars.ContextVar``); also works as a decorator.
    """
    token = _recording.set(False)
    try:
        yield
    finally:
        _recording.reset(token)


def is_grad_enabled():
    """True unless inside ``no_grad()``."""
    return _is_recording() is not False  # (inside detect_anomaly() the value is its checker)

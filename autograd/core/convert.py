"""A Value is not a float: the conversions the engine allows, and the words when it refuses.

A plain number (int, float, bool, ``Fraction``, a NumPy float) becomes a
float wherever the engine takes a number. A Value passed where a number is
expected, and ``float(x)`` or ``math.sin(x)`` on a Value, are refused with a
message that says how to keep the gradient: converting would drop it in
silence. ``p -= lr * p.grad`` on a leaf is refused too: it would rebind the
name and leave the parameter unchanged. Values are recognised here by what
they have (``data`` and ``parents``), so this module needs nothing from
``value.py``.
"""

from __future__ import annotations

import operator
from numbers import Real
from typing import Any

from .modes import number_used


def plain_number(x: Any) -> float | None:
    """x as a float if it is a real number (int, float, bool, Fraction, NumPy float), else None."""
    if type(x) is float:  # the usual case first: an isinstance() against the Real ABC is slow
        return x
    if type(x) is int or isinstance(x, Real):
        return float(x)
    return None


def as_float(x: Any, where: str) -> float:
    """x as a float, or a TypeError that names what a learner passed to ``where``.

        >>> as_float(2, "Value()")
        2.0
    """
    number = plain_number(x)
    if number is None:
        hint = (": it is already a Value, so use it as it is (or x.detach() for a copy that "
                "gradients do not flow through)" if is_value(x) else "")
        raise TypeError(
            f"{where} takes a real number (int, float or bool), "
            f"got {type(x).__name__} {x!r:.60}{hint}"
        )
    return number


def is_value(x: Any) -> bool:
    """Whether ``x`` is a graph node: it has ``data`` and ``parents`` (a ``Value``)."""
    return hasattr(x, "parents") and hasattr(x, "data")


def conversion_refused(value: Any, what: str) -> str:
    """The message for float(x), math.sin(x), int(x), round(x) on a Value."""
    return (f"{what}, and this is a Value ({value!r:.60}): converting it "
            "would drop its gradient. To keep the gradient, use the Value's own method: "
            "x.sin(), x.exp(), x.log(), x.tanh(), x.sqrt(), x ** 2, abs(x). For the plain number "
            "(to print or plot it), use x.item() or x.data.")


class NotAFloat:
    """What Python's number protocols do with a Value (``Value`` inherits these methods).

    Comparisons compare the numbers; ``==`` and hashing stay by identity, so
    Values go in sets and dicts; ``bool()``, ``item()`` read the number;
    ``float()``, ``int()``, ``round()`` and using a Value as an index are
    refused, since their plain result would carry no gradient. Each reads the
    number outside the graph, so each first tells ``modes.number_used``
    (``autograd.compile``'s tracer refuses them all: a trace cannot see them).
    ``x += y`` and the like make a new Value, as for floats, but not on a leaf
    with a plain number (``p -= lr * p.grad``: see ``_in_place``).
    """

    __slots__ = ()
    data: float

    def item(self) -> float:
        """The number this Value holds, as a plain float: ``data`` (PyTorch's ``tensor.item()``)."""
        number_used("item", self)
        return self.data

    # --- conversions to plain numbers are refused: they would drop the gradient ------
    def __float__(self) -> float:
        """Refused with a TypeError: ``float(x)``, ``math.sin(x)``, ``math.exp(x)`` … call it.

        Their result would be a plain float with no graph behind it, so
        ``backward()`` would silently give no gradient along that path. Use the
        Value's method (``x.sin()``) to keep the gradient, ``x.item()`` for the number.
        """
        number_used("float", self)
        raise TypeError(conversion_refused(
            self, "float() and math functions such as math.sin() need plain numbers"))

    def __int__(self) -> int:
        """Refused with a TypeError, like ``__float__``: use ``int(x.item())`` for the number."""
        number_used("int", self)
        raise TypeError(conversion_refused(self, "int() needs a plain number"))

    def __round__(self, ndigits: int | None = None) -> float:
        """Refused with a TypeError, like ``__float__``: use ``round(x.item(), 2)`` to print."""
        number_used("round", self)
        raise TypeError(conversion_refused(self, "round() needs a plain number"))

    def __index__(self) -> int:
        """Refused with a TypeError: a Value is not a list index (use ``int(x.item())``)."""
        number_used("index", self)
        raise TypeError(f"a Value cannot be used as an index or a count ({self!r:.60}): "
                        "for its number as an int, use int(x.item())")

    def __bool__(self) -> bool:
        """The truth of the number, as PyTorch's ``bool(tensor)``: ``x.data != 0`` (nan is True).

        ``if loss:`` and ``while error:`` look at the number, as they would for a
        float; before, every Value was True, so they passed without looking.
        """
        number_used("bool", self)
        return self.data != 0

    # --- comparisons on data (identity equality and hashing are kept) ----------
    def __lt__(self, other: object) -> bool:
        """x < y compares the numbers: ``x.data < y`` (a bool, no graph node)."""
        number_used("<", self, other)
        return self.data < number_of(other)

    def __le__(self, other: object) -> bool:
        """x <= y compares the numbers: ``x.data <= y``."""
        number_used("<=", self, other)
        return self.data <= number_of(other)

    def __gt__(self, other: object) -> bool:
        """x > y compares the numbers: ``x.data > y``."""
        number_used(">", self, other)
        return self.data > number_of(other)

    def __ge__(self, other: object) -> bool:
        """x >= y compares the numbers: ``x.data >= y``."""
        number_used(">=", self, other)
        return self.data >= number_of(other)

    def __eq__(self, other: object) -> bool:
        """Identity, as for any object (``x == 1`` is False); with a number, refused in a trace."""
        if isinstance(other, Real):
            number_used("==", self, other)
        return NotImplemented  # Python then compares identities

    def __ne__(self, other: object) -> bool:
        """Identity, like ``==``: ``x != y`` unless x is y."""
        if isinstance(other, Real):
            number_used("!=", self, other)
        return NotImplemented

    __hash__ = object.__hash__  # by identity: Values go in sets and dicts (defining == unsets it)


    # --- x += y and the like: a new Value, the name rebound, as for floats ----------
    def __iadd__(self, other: Any) -> Any:
        """x += y is x = x + y (a new Value); refused on a leaf with a plain number."""
        return _in_place(self, other, "+", operator.add)

    def __isub__(self, other: Any) -> Any:
        """x -= y is x = x − y; refused on a leaf with a number: ``p.data -= lr * p.grad``."""
        return _in_place(self, other, "-", operator.sub)

    def __imul__(self, other: Any) -> Any:
        """x *= y is x = x · y (a new Value); refused on a leaf with a plain number."""
        return _in_place(self, other, "*", operator.mul)

    def __itruediv__(self, other: Any) -> Any:
        """x /= y is x = x / y (a new Value); refused on a leaf with a plain number."""
        return _in_place(self, other, "/", operator.truediv)

    def __ipow__(self, other: Any) -> Any:
        """x **= y is x = x ** y (a new Value); refused on a leaf with a plain number."""
        return _in_place(self, other, "**", operator.pow)


def _in_place(x: Any, other: Any, symbol: str, apply: Any) -> Any:
    """``x ∘ other`` for ``x ∘= other``, unless x is a leaf and other a plain number.

    ``p -= lr * p.grad`` on a parameter p makes a new Value and rebinds the
    name, leaving the parameter as it was: a training step that does nothing,
    in silence. PyTorch refuses an in-place update of a leaf that requires a
    gradient; here the learner is told to change ``p.data``. ``total += term``
    between Values is a graph being built, and stays allowed.
    """
    if not x.parents and not is_value(other) and plain_number(other) is not None:
        raise RuntimeError(
            f"x {symbol}= {other!r:.20} on a leaf Value ({x!r:.60}) would make a new Value "
            f"x {symbol} {other!r:.20} and rebind the name x: the leaf (a parameter or an input) "
            f"would stay unchanged, so a training step written this way changes nothing. To "
            f"change the leaf's number, write x.data {symbol}= … (in an update loop, p.data -= "
            f"lr * p.grad, or let nn.SGD do it); to build a new Value from it, write y = x "
            f"{symbol} ….")
    return apply(x, other)


def number_of(x: Any, where: str = "a comparison with a Value") -> float:
    """The number a Value holds, or a plain number as a float (else a TypeError)."""
    return x.data if is_value(x) else as_float(x, where)

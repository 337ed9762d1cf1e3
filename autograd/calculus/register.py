"""register_op: a new primitive in one call, as one more entry of the op table.

    >>> import autograd
    >>> from autograd import Value
    >>> op = autograd.register_op("cube", lambda x: x ** 3, lambda x: 3 * x ** 2)
    >>> x = Value(2.0)
    >>> y = x.cube()             # y = x³,  dy/dx = 3x² = 12
    >>> y.backward()
    >>> y.data, x.grad
    (8.0, 12.0)
    >>> autograd.unregister_op("cube")

The entry is an ``Op`` like the built-in ones, so everything that reads the
table works with it: the ``Value`` method, the drawing's label, ``backward()``,
higher derivatives, ``gradcheck`` (which can blame it) and ``detect_anomaly``.
"""

from __future__ import annotations

import inspect
import keyword
from collections.abc import Callable
from numbers import Real
from typing import Any

from ..core.modes import no_grad
from ..core.ops import OPS, Op
from ..core.value import Value, add_methods

_REGISTERED: set[str] = set()  # the names added by register_op: the only ones unregister_op removes


def register_op(name: str, forward: Callable[..., float] | None = None,
                derivative: Callable[..., Any] | None = None, *, symbol: str | None = None,
                formula: str | None = None, replace: bool = False, domain: Any = None,
                kinks: tuple[float, ...] = ()) -> Any:
    """Add the op y = forward(x₁, …, xₙ) with ∂y/∂xᵢ = derivative(x₁, …, xₙ)[i]; return its ``Op``.

    ``forward`` maps floats to a float; the number n of inputs (1 or 2) is read
    from its signature (its parameters without defaults). ``derivative`` takes
    the same inputs and returns dy/dx for one input x, or the tuple (∂y/∂a, ∂y/∂b)
    for two inputs a, b.
    The op becomes a ``Value`` method: ``x.cube()``, or ``x.name(y)`` for two
    inputs (plain numbers welcome after the first). Like PyTorch's custom
    ``autograd.Function``, the engine trusts the derivative's value: check it
    with ``autograd.gradcheck``. Its type is checked at every call, naming the
    op: a number per input (an int becomes a float), never None or a string.

    For second and higher derivatives (``backward(create_graph=True)``,
    ``grad(grad(f))``), ``derivative`` is called again with Values instead of
    floats: write it with arithmetic and Value-capable functions
    (``3 * x ** 2``, ``x.exp()``, ``x.sigmoid()``), not ``math.exp``. Such a
    derivative works on floats too: where a float has no such method, it is
    evaluated on Values made for the call (inside ``no_grad()``)::

        >>> import math, autograd
        >>> from autograd import Value
        >>> op = autograd.register_op("myexp", math.exp, lambda x: x.exp())
        >>> x = Value(1.0)
        >>> x.myexp().backward()
        >>> x.grad == math.e, autograd.grad(autograd.grad(lambda t: t.myexp()))(1.0) == math.e
        (True, True)
        >>> autograd.unregister_op("myexp")

    Decorator form, which registers the function it decorates as ``forward``
    and returns it unchanged::

        @autograd.register_op("cube", derivative=lambda x: 3 * x ** 2)
        def cube(x):
            return x ** 3

    Options: ``symbol`` (drawn on the op's node; the name by default) and
    ``formula`` (its tooltip and the method's docstring); ``domain`` and
    ``kinks`` as in ``Op`` (an interval (low, high) for every input, or one
    per input; (-1, 1) by default). A name that is already an op is refused:
    built-in ops can never be replaced, ops you registered can with
    ``replace=True`` (or remove them with ``unregister_op``). Names that are
    already ``Value`` attributes (``data``, ``grad``, ``backward``) are refused too.
    """
    if forward is None:  # @register_op(name, derivative=...) above a def
        def decorator(function):
            register_op(name, function, derivative, symbol=symbol, formula=formula,
                        replace=replace, domain=domain, kinks=kinks)
            return function
        return decorator
    _check_name(name, replace)
    arity = _arity(name, forward)
    derivative = _check_derivative(name, derivative, arity)
    op = Op(name, _text(name, "symbol", symbol, name), arity,
            _text(name, "formula", formula, _default_formula(name, forward)),
            _forward_rule(name, forward), _partials_rule(name, derivative, arity),
            domain=_domain(name, domain, arity), kinks=_kinks(name, kinks))
    OPS[name] = op
    _REGISTERED.add(name)
    add_methods([op])
    return op


def unregister_op(name: str) -> None:
    """Remove an op added by ``register_op``: its table entry and its ``Value`` method.

    Values it already made keep their numbers, but can no longer be drawn or
    checked. Built-in ops cannot be removed.
    """
    if name not in _REGISTERED:
        what = "a built-in op" if name in OPS else "not an op"
        raise ValueError(f"unregister_op({name!r}): {name!r} is {what}; only ops added with "
                         f"register_op can be removed (registered now: "
                         f"{sorted(_REGISTERED) or 'none'})")
    _REGISTERED.discard(name)
    del OPS[name]
    delattr(Value, name)


# --- checking what the learner passed ----------------------------------------------------

def _check_name(name, replace):
    if not isinstance(name, str):
        raise TypeError(f"register_op() takes the op's name as a str first, got "
                        f"{type(name).__name__} {name!r:.40}")
    if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
        raise ValueError(f"register_op({name!r}): the name becomes a Value method (x.{name}()), "
                         "so it must be a Python identifier that does not start with _, such as "
                         "'cube' or 'smooth_relu'")
    if name in OPS and name not in _REGISTERED:
        raise ValueError(f"register_op({name!r}): {name!r} is a built-in op of the engine "
                         f"({OPS[name].formula}). Built-in ops cannot be replaced: the rest of "
                         f"the engine relies on them. Pick another name, such as 'my_{name}'.")
    if name in _REGISTERED and not replace:
        raise ValueError(f"register_op({name!r}): an op named {name!r} is already registered. "
                         f"Pass replace=True to replace it (after fixing its derivative, say), "
                         f"or call unregister_op({name!r}) first.")
    if name not in _REGISTERED and hasattr(Value, name):
        raise ValueError(f"register_op({name!r}): Value already has an attribute {name!r}, "
                         f"which the op's method x.{name}() would hide. Pick another name.")


def _arity(name, forward):
    """The number of inputs: forward's positional parameters without a default."""
    if not callable(forward):
        raise TypeError(f"register_op({name!r}): forward must be a function of floats, got "
                        f"{type(forward).__name__} {forward!r:.40}")
    try:
        parameters = list(inspect.signature(forward).parameters.values())
    except (TypeError, ValueError):
        raise TypeError(f"register_op({name!r}): cannot read how many inputs forward takes from "
                        "its signature; wrap it in a lambda, such as lambda x: f(x)") from None
    kinds = {p.kind for p in parameters if p.default is p.empty}
    inputs = [p for p in parameters if p.default is p.empty
              and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if kinds - {inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD} \
            or not 1 <= len(inputs) <= 2:
        # (three or more: the drawing cannot show such a node yet; see viz/picture.py, add_op)
        raise TypeError(f"register_op({name!r}): forward must take one or two plain inputs, "
                        f"such as def {name}(x) or def {name}(x, y); its signature is "
                        f"{inspect.signature(forward)}. For more inputs, combine ops of one "
                        f"or two.")
    return len(inputs)


def _check_derivative(name: str, derivative: Any, arity: int) -> Callable[..., Any]:
    """``derivative`` itself, once it is seen to be a function of ``arity`` inputs."""
    if not callable(derivative):
        raise TypeError(f"register_op({name!r}) needs derivative, a function of the same inputs "
                        f"as forward returning dy/dx (a tuple of {arity} for {arity} inputs), "
                        f"got {type(derivative).__name__} {derivative!r:.40}")
    try:
        signature = inspect.signature(derivative)
    except (TypeError, ValueError):
        return derivative  # a built-in whose signature is not readable: trust it
    try:
        signature.bind(*range(arity))
    except TypeError:
        raise TypeError(f"register_op({name!r}): forward takes {arity} input(s), so derivative "
                        f"must too, but its signature is {signature}") from None
    return derivative


def _text(name, what, text, default):
    if text is None:
        return default
    if not isinstance(text, str) or not text:
        raise TypeError(f"register_op({name!r}): {what} must be a non-empty str, got {text!r:.40}")
    return text


def _default_formula(name, forward):
    inputs = ", ".join(list(inspect.signature(forward).parameters)[:_arity(name, forward)])
    return f"{name}({inputs}): registered with register_op"


def _domain(name, domain, arity):
    """One interval (low, high) per input; a single interval applies to every input."""
    if domain is None:
        return ((-1.0, 1.0),) * arity
    pairs = [domain] * arity if _is_interval(domain) else list(domain)
    if len(pairs) != arity or not all(_is_interval(p) and p[0] < p[1] for p in pairs):
        raise ValueError(f"register_op({name!r}): domain takes an interval (low, high) with "
                         f"low < high, or one per input ({arity}), got {domain!r:.60}")
    return tuple((float(low), float(high)) for low, high in pairs)


def _is_interval(pair):
    return (isinstance(pair, (tuple, list)) and len(pair) == 2
            and all(isinstance(x, Real) and not isinstance(x, bool) for x in pair))


def _kinks(name, kinks):
    if not all(isinstance(k, Real) and not isinstance(k, bool) for k in kinks):
        raise TypeError(f"register_op({name!r}): kinks takes numbers (the points where the "
                        f"derivative jumps, such as 0.0 for abs), got {kinks!r:.60}")
    return tuple(float(k) for k in kinks)


# --- the rules the table entry holds ------------------------------------------------------

def _forward_rule(name, forward):
    """forward, with its result made a float (or a TypeError that names the op)."""
    def rule(*inputs):
        try:
            out = forward(*inputs)
        except AttributeError as error:  # such as x.exp() on a float
            raise TypeError(f"the forward of the op {name!r} failed on the plain floats "
                            f"{inputs}: {error}. forward is given floats: use math.exp(x) there, "
                            "and Value methods only in derivative.") from error
        except (ArithmeticError, ValueError) as error:
            raise _not_ieee(error, "forward", name, inputs) from error
        if type(out) is float:
            return out
        if isinstance(out, Real) and not isinstance(out, bool):
            return float(out)
        raise TypeError(f"the forward of the op {name!r} must return a real number, got "
                        f"{type(out).__name__} {out!r:.40} for the inputs {inputs}")
    return rule


def _partials_rule(name: str, derivative: Callable[..., Any],
                   arity: int) -> Callable[..., tuple]:
    """partials(out, *inputs): derivative's result checked, one number (or Value) per input.

    The result is checked where it is first used, so that a wrong one is named
    here, with the op, instead of failing later in backward() or in compiled
    code: floats in give floats out (an int is made a float), Values in give
    Values or numbers out, and nothing else (None, a string) is taken.
    """
    def rule(out: Any, *inputs: Any) -> tuple:
        on_values = any(isinstance(x, Value) for x in inputs)
        partials = _derivative_at(name, derivative, inputs, on_values)
        if arity == 1 and not isinstance(partials, (tuple, list)):
            partials = (partials,)
        if not isinstance(partials, (tuple, list)) or len(partials) != arity:
            raise TypeError(f"the derivative of the op {name!r} must return one number per "
                            f"input ({arity}), got {partials!r:.60}")
        return tuple(_checked(name, p, i, inputs, on_values) for i, p in enumerate(partials))
    return rule


def _derivative_at(name: str, derivative: Callable[..., Any], inputs: tuple,
                   on_values: bool) -> Any:
    """derivative(*inputs), evaluated on Values (their numbers kept) if it needs Value methods.

    A derivative written for higher derivatives with Value methods
    (``lambda x: x.exp()``) has no such methods on floats: it is then called
    on Values made for the occasion, inside ``no_grad()``, and their numbers taken.
    """
    try:
        return derivative(*inputs)
    except (ArithmeticError, ValueError) as error:
        raise _not_ieee(error, "derivative", name, inputs) from error
    except AttributeError:
        if on_values:
            raise
        with no_grad():
            result = derivative(*map(Value, inputs))
        if isinstance(result, (tuple, list)):
            return [p.data if isinstance(p, Value) else p for p in result]
        return result.data if isinstance(result, Value) else result
    except TypeError as error:
        if not on_values:
            raise
        raise TypeError(f"the derivative of the op {name!r} was called with Values, for a "
                        f"higher derivative (create_graph=True, grad(grad(f))), and failed: "
                        f"{error} Write it with arithmetic and Value-capable functions "
                        f"(x.exp(), x.sigmoid()), not math functions.") from error


def _checked(name: str, partial: Any, i: int, inputs: tuple, on_values: bool) -> Any:
    """One partial derivative as the engine stores it, or a TypeError that names the op."""
    if isinstance(partial, Value):
        if on_values:
            return partial
        raise TypeError(f"the derivative of the op {name!r} returned a Value ({partial!r:.40}) "
                        f"for input {i} at the plain numbers {inputs}: it uses a Value from "
                        f"outside its inputs, whose graph the op cannot record. Use its number "
                        f"(v.data), or make that Value an input of the op.")
    if isinstance(partial, Real) and not isinstance(partial, bool):
        return partial if type(partial) is float else float(partial)
    raise TypeError(f"the derivative of the op {name!r} returned {type(partial).__name__} "
                    f"{partial!r:.40} for input {i} at the inputs {inputs}: it must return a "
                    f"number (a float, such as 3 * x ** 2 gives), one per input.")


def _not_ieee(error, which, name, inputs):
    """The same kind of error, saying how the built-in ops avoid it (1/0 = inf, log 0 = −inf)."""
    message = (f"the {which} of the op {name!r} raised {type(error).__name__} ({error}) at the "
               f"inputs {inputs}. The built-in ops return IEEE 754 values there instead (1/0 = "
               f"inf, log(0) = -inf, sqrt(-1) = nan): return math.inf or math.nan from your "
               f"function at such points, or keep its inputs away from them.")
    try:
        return type(error)(message)
    except TypeError:  # an error class that takes more than a message
        return (ValueError if isinstance(error, ValueError) else ArithmeticError)(message)

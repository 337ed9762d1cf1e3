"""Tracing: call a function once on Values and read back the graph it built.

``autograd.compile(f)`` calls ``f`` with a fresh Value in place of every
number of its arguments and keeps the graph that comes out: which op made
each node, from which parents, with which plain numbers folded in. That
record is all a compiled function replays, so everything ``f`` decides in
Python about the *numbers* (``if x > 0``, ``max(x, 0)``, ``float(x)``,
``lst[x]``, ``x.item()``) would be frozen at the trace's choice. Those uses
raise ``TraceError`` while tracing, naming the line of ``f`` and the op to
use instead. Reading ``x.data`` cannot be intercepted (it is a plain
attribute, read everywhere in the engine), so it is caught afterwards:
``f`` is traced a second time with slightly different numbers and must build
the same graph (same ops, wiring and constants), and the next real calls
are checked the same way (see ``autograd.compile``).
"""

import linecache
import os
import random
import sys
from contextlib import contextmanager
from numbers import Real

from .backward import _intermediate_order
from .value import Value, _node, _tracing

_AUTOGRAD = os.path.dirname(os.path.abspath(__file__))


class TraceError(TypeError):
    """``f`` did something with a Value that a trace cannot record (a TypeError, as in JAX).

    ``filename`` and ``lineno`` say where, in the caller's code, when known.
    """

    def __init__(self, message, filename=None, lineno=None):
        """The message, and where in the user's code the trace stopped (None when unknown)."""
        super().__init__(message)
        self.filename, self.lineno = filename, lineno


@contextmanager
def tracing():
    """Inside ``with tracing():`` the Value uses a trace cannot see raise ``TraceError``."""
    token = _tracing.set(True)
    try:
        yield
    finally:
        _tracing.reset(token)


# --- what a trace cannot see ------------------------------------------------------------

_WHAT = {
    "bool": "uses a Value as a truth value (if x:, while x:, x and y, not x)",
    "float": "converts a Value to a float (float(x), or a math function such as math.exp(x))",
    "int": "converts a Value to an int (int(x))",
    "round": "rounds a Value (round(x))",
    "index": "uses a Value as a list index or a count (items[x], range(x))",
    "item": "reads a Value's number with x.item()",
}
_BRANCH_FIX = ("Write the choice with the engine's ops, so that the graph is the same for "
               "every input: x.relu() for max(x, 0) or `x if x > 0 else 0`, "
               "-(-x).relu() for min(x, 0), b + (a - b).relu() for max(a, b), abs(x) for |x|, "
               "x.sign() for the sign (-1, 0 or 1).")
_NUMBER_FIX = ("Its number is this trace's only: keep computing with the Value's ops, and "
               "read numbers (x.item()) outside f, on what the compiled function returns.")
_FIX = {
    "float": "Use the Value's own methods instead: x.exp(), x.log(), x.sqrt(), x.tanh(), "
             "x.sin(), x ** 2 (math.exp(x) becomes x.exp()).",
    "int": _NUMBER_FIX,
    "round": _NUMBER_FIX,
    "index": "Pass a one-hot list of 0.0 and 1.0 instead of an index, and pick with "
             "autograd.dot(one_hot, items): every argument of a compiled function is traced.",
    "item": "x.item() and x.data give this trace's number only. Build the result with the "
            "engine's ops; to look at the numbers while debugging, call f itself, not compiled.",
    "==": "Every argument of a compiled function is traced, labels included: write the choice "
          "as arithmetic (for a label y of -1 or 1, the hinge is (1 - y * s).relu()).",
}
_FIX["!="] = _FIX["=="]
_SECOND_DERIVATIVE = (
    "\n(The comparison is inside autograd: the derivative rule of an op that depends on the "
    "sign of its input, such as relu, evaluated on Values by grad() or "
    "gradients(create_graph=True) inside f. Such a second derivative cannot be traced.)")


def refuse(what, value, other=None):
    """Raise ``TraceError`` for ``what`` (an operator such as ``"<"``, or a key of ``_WHAT``).

    The message names the first line outside autograd (the user's), shows it,
    says why a trace cannot follow it and which op to use instead.
    """
    filename, lineno, line = user_site(sys._getframe(1))
    if what in _WHAT:
        did = _WHAT[what]
    else:
        kind = "a Value" if isinstance(other, Value) else "a number"
        did = f"compares a Value with {kind} ({what})"
    fix = _FIX.get(what, _BRANCH_FIX)
    if "max(" in line or "min(" in line:
        fix = "max and min compare their arguments. " + _BRANCH_FIX
    caller = sys._getframe(3)  # who called the Value's method (refuse <- hook <- method <- it)
    if what not in _WHAT and _in_autograd(caller):
        fix += _SECOND_DERIVATIVE
    raise TraceError(
        f"{location(filename, lineno)}: this line {did}, while autograd.compile() traces f:\n"
        f"    {line}\n"
        f"A trace records the ops applied to Values, not the decisions Python makes about "
        f"their numbers: the compiled function would replay this trace's choice for every "
        f"input. {fix}", filename, lineno)


def user_site(frame):
    """(filename, line number, source line) of the first frame outside the autograd package."""
    while frame is not None and _in_autograd(frame):
        frame = frame.f_back
    if frame is None:
        return "<unknown>", 0, ""
    filename, lineno = frame.f_code.co_filename, frame.f_lineno
    return filename, lineno, linecache.getline(filename, lineno).strip()


def location(filename, lineno):
    """``file.py:12``, the path relative to the working directory when it is under it."""
    try:
        relative = os.path.relpath(filename)
        if not relative.startswith(".."):
            filename = relative
    except ValueError:  # another drive, or not a path ("<stdin>")
        pass
    return f"{filename}:{lineno}"


def _in_autograd(frame):
    return os.path.dirname(os.path.abspath(frame.f_code.co_filename)) == _AUTOGRAD


# --- arguments: their structure, and Values in place of their numbers -------------------

def read_arguments(args, where="compile()"):
    """``(structure, floats)``: the arguments' shape as a hashable key, and a copy in floats.

    The structure is ``float`` for a number and ``(list, (…))`` or ``(tuple, (…))``
    for a list or tuple of them; a TypeError names anything else.
    """
    copies, keys = [], []
    for i, arg in enumerate(args):
        copy, key = _read(arg, f"{where} argument {i}")
        copies.append(copy)
        keys.append(key)
    return tuple(keys), copies


def _read(tree, where):
    kind = type(tree)
    if kind is list or kind is tuple:
        if tree and set(map(type, tree)) == {float}:  # the usual case, a flat list of floats
            return kind(tree), (kind, (float,) * len(tree))
        items = [_read(item, where) for item in tree]
        return kind(copy for copy, _ in items), (kind, tuple(key for _, key in items))
    if kind is float:
        return tree, float
    if isinstance(tree, Real) and kind is not bool:
        return float(tree), float
    hint = (": a compiled function takes plain numbers; to differentiate it again, "
            "differentiate f itself with autograd.grad" if isinstance(tree, Value) else
            " (convert arrays with .tolist())" if hasattr(tree, "tolist") else "")
    raise TypeError(f"{where} holds {kind.__name__} {tree!r:.40}: a compiled function takes "
                    f"numbers (floats), or lists or tuples of them{hint}")


def as_values(tree, leaves):
    """``tree`` with a new Value for every number, appended to ``leaves``."""
    if type(tree) is not list and type(tree) is not tuple:
        leaves.append(Value(tree))
        return leaves[-1]
    if all(type(item) is float for item in tree):  # the common case, a flat list: no recursion
        values = [Value(item) for item in tree]
        leaves.extend(values)
        return values if type(tree) is list else tuple(values)
    return type(tree)(as_values(item, leaves) for item in tree)


def perturbed(tree, rng):
    """``tree`` with every number x moved by about 2⁻¹⁶ (1 + |x|), randomly up or down."""
    if type(tree) is list or type(tree) is tuple:
        return type(tree)(perturbed(item, rng) for item in tree)
    u = rng.random()  # below 0.5: up by (0.5 + u); else down by u, in [0.5, 1)
    return tree + (1.0 + abs(tree)) * (0.5 + u if u < 0.5 else -u) * 2 ** -16


# --- one trace, and the check that f's graph does not depend on the numbers -------------

class Traced:
    """One call of ``f`` on Values: the arguments as Values, the output, the graph.

    ``leaves``: the Values made for the arguments' numbers, in order;
    ``arguments``: the arguments with those Values in place of the numbers;
    ``output``: what ``f`` returned, a Value or a (nested) list or tuple of
    them; ``outputs``: those Values, flat; ``order``: the outputs and every
    non-leaf node they depend on, each after its parents, in the order the
    engine's backward() uses (it walks the reverse); ``signature``: the graph
    as plain data (below).
    """

    def __init__(self, f, args):
        self.leaves = []
        self.arguments = [as_values(arg, self.leaves) for arg in args]
        with tracing():
            output = f(*self.arguments)
        self.output, self.outputs = output, _outputs(output, f)
        if isinstance(output, Value):
            self.order = _intermediate_order(output)
        else:  # each output's order in turn, without the nodes an earlier one placed
            nodes = (node for out in self.outputs for node in _intermediate_order(out))
            self.order = list(dict.fromkeys(nodes))
        self.signature = _signature(self.order, self.leaves, output)


def _outputs(output, f):
    """The Values ``f`` returned, flat: one Value, or every Value of a (nested) list or tuple."""
    if isinstance(output, Value):
        return [output]
    values = _flatten(output) if isinstance(output, (list, tuple)) else None
    if not values or not all(isinstance(value, Value) for value in values):
        raise TypeError(
            f"autograd.compile() needs f to return a Value built from its arguments with the "
            f"engine's ops (or, computing no gradient, a list of them), but "
            f"{getattr(f, '__name__', 'f')} returned {type(output).__name__} {output!r:.40}")
    return values


def _flatten(tree):
    if type(tree) is list or type(tree) is tuple:
        return [value for item in tree for value in _flatten(item)]
    return [tree]


def _signature(order, leaves, output):
    """For each node of ``order``: its op, its parents and the plain numbers folded into it.

    A parent is ``("argument", i)`` (the i-th number of the arguments),
    ``("node", j)`` (the j-th node of the order) or ``("other", number)``: a
    Value that is not an argument (a model's parameter, or a ``Value(2.0)``
    made inside f), known by its number. A last row says which of these f
    returns, and in what structure. Two traces of f with different numbers
    must give equal signatures, unless f reads the numbers.
    """
    position = {leaf: ("argument", i) for i, leaf in enumerate(leaves)}
    rows = []
    for node in order:
        parents = node.parents or (node,)
        refs = tuple(map(position.get, parents))
        if None in refs:  # a Value f did not receive
            refs = tuple(ref or _Other(p) for ref, p in zip(refs, parents))
        position[node] = ("node", len(rows))
        rows.append((node.op, refs, repr(node.constant), node.constant_first))

    def returned(tree):
        if type(tree) is list or type(tree) is tuple:
            return type(tree).__name__, tuple(returned(item) for item in tree)
        return position.get(tree) or _Other(tree)

    rows.append((_RETURN, returned(output), None, False))
    return rows


_RETURN = ("return",)  # the op of the signature's last row: no op name can equal it


class _Other(tuple):
    """("other", number) for a Value f did not receive: equal to another for the same Value
    (a parameter f reads, whose number may change between calls) or the same number (a
    ``Value(2.0)`` made afresh in each trace)."""

    def __new__(cls, value):
        other = super().__new__(cls, ("other", repr(value.data)))
        other.value = value
        return other

    def __eq__(self, other):
        if isinstance(other, _Other) and self.value is other.value:
            return True
        return tuple.__eq__(self, other)

    def __ne__(self, other):
        return not self == other

    __hash__ = tuple.__hash__


def check_same_graph(f, traced, args, how):
    """Trace ``f`` on ``args`` too; raise TraceError if the graph differs from ``traced``'s.

    ``how`` says what ``args`` are, for the message ("with slightly different
    numbers", "at a later call").
    """
    try:
        other = Traced(f, args)
    except TraceError:
        raise
    except Exception as error:
        raise TraceError(
            f"f raised {type(error).__name__}: {error} when traced again {how}. It ran "
            f"without error on the first arguments, so what it does depends on their numbers: "
            f"{_CAUSE}") from error
    if other.signature != traced.signature:
        raise _explain_difference(f, traced, other, how)


_CAUSE = ("f reads a Value's number (x.data, x.item(), x.detach(), Value(x.data), a result "
          "computed under no_grad()) to decide what to compute or to make a constant, or it "
          "draws random numbers. A compiled function replays one graph for every input, so "
          "its results would be wrong. Build the result with the engine's ops only "
          "(x.relu() for max(x, 0), abs(x), x.sign() …), or call f itself instead of "
          "compiling it.")


def _explain_difference(f, traced, other, how):
    """The TraceError for two traces whose graphs differ, naming the first node that differs."""
    first, second = traced.signature, other.signature
    i = next((i for i, (a, b) in enumerate(zip(first, second)) if a != b), None)
    if i is None or _RETURN in (first[i][0], second[i][0]):
        detail = (f"the graph has {len(first) - 1} nodes, then {len(second) - 1}"
                  if len(first) != len(second) else
                  "it builds the same nodes but returns other ones of them")
    else:
        site1, site2 = (_sites(f, t).get(id(t.order[i]), "?") for t in (traced, other))
        (op1, refs1, constant1, _), (op2, refs2, constant2, _) = first[i], second[i]
        if op1 != op2 or len(refs1) != len(refs2):
            detail = f"{_made(op1, site1)} in one, {_made(op2, site2)} in the other"
        elif constant1 != constant2:
            detail = (f"the {op1} node made at {site1} has the number {constant1} folded in, "
                      f"then {constant2}")
        else:
            detail = (f"the {op1} node made at {site1} takes {_inputs(refs1, traced)}, "
                      f"then {_inputs(refs2, other)}")
    return TraceError(f"f builds a different graph when the numbers of its arguments change "
                      f"({how}): {detail}. So {_CAUSE}")


def _made(op, site):
    return f"a {op} node made at {site}" if op else "one of f's arguments, returned as it is"


def _inputs(refs, traced):
    """The inputs of a node, as a learner can find them: arguments by path, nodes by op."""
    paths = list(_paths(traced.arguments))
    words = {"argument": lambda i: paths[i], "node": lambda j: f"a {traced.order[j].op} node",
             "other": lambda number: f"a Value holding {number} from outside f's arguments"}
    return ", ".join(words[kind](x) for kind, x in refs)


def _paths(trees, prefix=None):
    """``argument 0[3]``, … for every number of the arguments, in order."""
    for i, tree in enumerate(trees):
        name = f"argument {i}" if prefix is None else f"{prefix}[{i}]"
        if type(tree) is list or type(tree) is tuple:
            yield from _paths(tree, name)
        else:
            yield name


def _sites(f, traced):
    """{id(node): "file.py:12"}: where each node of a new trace of f was made (slow: a profiler).

    Only for error messages. The arguments are ``traced``'s numbers, so the new
    trace builds the same graph; its order is matched to ``traced.order``.
    """
    numbers = [_numbers_of(arg) for arg in traced.arguments]
    made, code = {}, _node.__code__

    def profile(frame, event, result):
        if event == "return" and frame.f_code is code:
            filename, lineno, _ = user_site(frame)
            made[id(result)] = location(filename, lineno)

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        again = Traced(f, numbers)
    finally:
        sys.setprofile(previous)
    return {id(a): made.get(id(b), "?") for a, b in zip(traced.order, again.order)}


def _numbers_of(tree):
    if type(tree) is list or type(tree) is tuple:
        return type(tree)(_numbers_of(item) for item in tree)
    return tree.data


def twin_arguments(args):
    """The arguments with every number moved a little (deterministically): see ``perturbed``."""
    rng = random.Random(20240610)
    return [perturbed(arg, rng) for arg in args]

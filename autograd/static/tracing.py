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

from __future__ import annotations

import random
import sys
from collections.abc import Sequence
from typing import Any

from .. import tree
from ..core.backward import backward_order
from ..core.value import Value, new_node
from .guard import TraceError, location, tracing, user_site

# --- arguments: their structure, and Values in place of their numbers -------------------

def read_arguments(args: Sequence, where: str = "compile()") -> tuple[tuple, list]:
    """``(structure, floats)``: the arguments' shape as a hashable key, and a copy in floats.

    The structure is ``float`` for a number and ``(list, (…))``, ``(tuple, (…))``
    or ``(P, (…))`` for a list, tuple or namedtuple ``P`` of them (see
    ``tree.structure``); a TypeError names anything else.
    """
    copies, keys = [], []
    for i, arg in enumerate(args):
        copy, key = _read(arg, f"{where} argument {i}")
        copies.append(copy)
        keys.append(key)
    return tuple(keys), copies


def _read(argument: Any, where: str) -> tuple[Any, Any]:
    kind = type(argument)
    if kind is list or kind is tuple:
        if argument and set(map(type, argument)) == {float}:  # the usual case: a flat list
            return kind(argument), (kind, (float,) * len(argument))
    elif kind is float:
        return argument, float
    copy = tree.map(lambda leaf: _number(leaf, where), argument)
    return copy, tree.structure(copy, lambda leaf: float)


def _number(leaf: Any, where: str) -> float:
    if tree.is_number(leaf):
        return float(leaf)
    if isinstance(leaf, Value):
        raise TypeError(f"{where} holds a Value: a compiled function takes plain numbers; to "
                        f"differentiate it again, differentiate f itself with autograd.grad")
    raise tree.leaf_error(leaf, where, "numbers (floats)")


def as_values(argument: Any, leaves: list) -> Any:
    """``argument`` with a new Value for every number, appended to ``leaves``."""
    if type(argument) is list and all(type(item) is float for item in argument):
        values = [Value(item) for item in argument]  # the common case, a flat list: no calls
        leaves.extend(values)
        return values

    def leaf(number: float) -> Value:
        leaves.append(Value(number))
        return leaves[-1]
    return tree.map(leaf, argument)


def perturbed(argument: Any, rng: random.Random) -> Any:
    """``argument`` with every number x moved by about 2⁻¹⁶ (1 + |x|), randomly up or down."""
    def move(x: float) -> float:
        u = rng.random()  # below 0.5: up by (0.5 + u); else down by u, in [0.5, 1)
        return x + (1.0 + abs(x)) * (0.5 + u if u < 0.5 else -u) * 2 ** -16
    return tree.map(move, argument)


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
        self.leaves: list[Value] = []
        self.arguments = [as_values(arg, self.leaves) for arg in args]
        with tracing():
            output = f(*self.arguments)
        self.output, self.outputs = output, _outputs(output, f)
        if isinstance(output, Value):
            self.order = backward_order(output)
        else:  # each output's order in turn, without the nodes an earlier one placed
            nodes = (node for out in self.outputs for node in backward_order(out))
            self.order = list(dict.fromkeys(nodes))
        self.signature = _signature(self.order, self.leaves, output)


def _outputs(output, f):
    """The Values ``f`` returned, flat: one Value, or every Value of a (nested) list or tuple."""
    if isinstance(output, Value):
        return [output]
    values = tree.leaves(output) if tree.is_container(output) else None
    if not values or not all(isinstance(value, Value) for value in values):
        raise TypeError(
            f"autograd.compile() needs f to return a Value built from its arguments with the "
            f"engine's ops (or, computing no gradient, a list of them), but "
            f"{getattr(f, '__name__', 'f')} returned {type(output).__name__} {output!r:.40}")
    return values


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
    rows: list[tuple] = []
    for node in order:
        parents = node.parents or (node,)
        refs = tuple(map(position.get, parents))
        if None in refs:  # a Value f did not receive
            refs = tuple(ref or _Other(p) for ref, p in zip(refs, parents))
        position[node] = ("node", len(rows))
        rows.append((node.op, refs, repr(node.constant), node.constant_first))

    returned = tree.structure(output, lambda value: position.get(value) or _Other(value))
    rows.append((_RETURN, returned, None, False))
    return rows


_RETURN = ("return",)  # the op of the signature's last row: no op name can equal it


class _Other(tuple):
    """("other", number) for a Value f did not receive: equal to another for the same Value
    (a parameter f reads, whose number may change between calls) or the same number (a
    ``Value(2.0)`` made afresh in each trace)."""

    value: Value

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
    paths = [name for i, argument in enumerate(traced.arguments)
             for name in tree.path_names(argument, f"argument {i}")]
    words = {"argument": lambda i: paths[i], "node": lambda j: f"a {traced.order[j].op} node",
             "other": lambda number: f"a Value holding {number} from outside f's arguments"}
    return ", ".join(words[kind](x) for kind, x in refs)


def _sites(f, traced):
    """{id(node): "file.py:12"}: where each node of a new trace of f was made (slow: a profiler).

    Only for error messages. The arguments are ``traced``'s numbers, so the new
    trace builds the same graph; its order is matched to ``traced.order``.
    """
    numbers = [tree.map(lambda leaf: leaf.data, arg) for arg in traced.arguments]
    made, code = {}, new_node.__code__

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


def twin_arguments(args):
    """The arguments with every number moved a little (deterministically): see ``perturbed``."""
    rng = random.Random(20240610)
    return [perturbed(arg, rng) for arg in args]

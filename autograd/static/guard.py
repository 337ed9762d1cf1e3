"""What a trace cannot see: the uses of a Value's number that ``autograd.compile`` refuses.

A trace records the ops applied to Values. Everything Python decides about
their *numbers* (``if x > 0``, ``max(x, 0)``, ``float(x)``, ``lst[x]``,
``x.item()``) would be frozen at the trace's choice, so while tracing each
such use raises ``TraceError``, naming the line of the user's code and the
op to use instead. The core calls the guard through its number watcher
(``core/modes.py``); it does not know this module.
"""

from __future__ import annotations

import linecache
import os
import sys
from contextlib import AbstractContextManager
from types import FrameType
from typing import Any, NoReturn

from ..core.convert import is_value
from ..core.modes import watch_numbers

_AUTOGRAD = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class TraceError(TypeError):
    """``f`` did something with a Value that a trace cannot record (a TypeError, as in JAX).

    ``filename`` and ``lineno`` say where, in the caller's code, when known.
    """

    def __init__(self, message: str, filename: str | None = None,
                 lineno: int | None = None) -> None:
        """The message, and where in the user's code the trace stopped (None when unknown)."""
        super().__init__(message)
        self.filename, self.lineno = filename, lineno


def tracing() -> AbstractContextManager[None]:
    """Inside ``with tracing():`` the Value uses a trace cannot see raise ``TraceError``.

    The guard is installed in the core's number watcher (``core/modes.py``):
    the core calls it wherever Python reads a Value's number.
    """
    return watch_numbers(refuse)


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


def refuse(what: str, value: Any, other: Any = None) -> NoReturn:
    """Raise ``TraceError`` for ``what`` (an operator such as ``"<"``, or a key of ``_WHAT``).

    The message names the first line outside autograd (the user's), shows it,
    says why a trace cannot follow it and which op to use instead.
    """
    filename, lineno, line = user_site(sys._getframe(1))
    if what in _WHAT:
        did = _WHAT[what]
    else:
        kind = "a Value" if is_value(other) else "a number"
        did = f"compares a Value with {kind} ({what})"
    fix = _FIX.get(what, _BRANCH_FIX)
    if "max(" in line or "min(" in line:
        fix = "max and min compare their arguments. " + _BRANCH_FIX
    caller = sys._getframe(3)  # who used the Value: refuse <- number_used <- its method <- it
    if what not in _WHAT and _in_autograd(caller):
        fix += _SECOND_DERIVATIVE
    raise TraceError(
        f"{location(filename, lineno)}: this line {did}, while autograd.compile() traces f:\n"
        f"    {line}\n"
        f"A trace records the ops applied to Values, not the decisions Python makes about "
        f"their numbers: the compiled function would replay this trace's choice for every "
        f"input. {fix}", filename, lineno)


def user_site(frame: FrameType | None) -> tuple[str, int, str]:
    """(filename, line number, source line) of the first frame outside the autograd package."""
    while frame is not None and _in_autograd(frame):
        frame = frame.f_back
    if frame is None:
        return "<unknown>", 0, ""
    filename, lineno = frame.f_code.co_filename, frame.f_lineno
    return filename, lineno, linecache.getline(filename, lineno).strip()


def location(filename: str, lineno: int) -> str:
    """``file.py:12``, the path relative to the working directory when it is under it."""
    try:
        relative = os.path.relpath(filename)
        if not relative.startswith(".."):
            filename = relative
    except ValueError:  # another drive, or not a path ("<stdin>")
        pass
    return f"{filename}:{lineno}"


def _in_autograd(frame: FrameType) -> bool:
    return os.path.abspath(frame.f_code.co_filename).startswith(_AUTOGRAD)


"""gradcheck: compare the engine's gradient with central differences, and name the faulty op.

    >>> from autograd import gradcheck
    >>> gradcheck(lambda x, w: (x * w[0]).tanh() + w[1].exp(), 0.5, [1.5, -2.0])
    True

When the two disagree, ``GradcheckError`` shows them side by side and, like
a teacher reading the graph, checks every op on its own (its recorded local
derivatives against central differences of that op alone, at the inputs it
saw), so that the message names the op whose derivative rule is wrong.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from .. import tree
from ..core.backward import gradients, topological_order
from ..core.modes import is_grad_enabled
from ..core.ops import OPS, operands
from ..core.value import Value
from .functional import Call, is_value, number


class GradcheckError(RuntimeError):
    """gradcheck() found a gradient that disagrees with central differences.

    A RuntimeError, as PyTorch's ``torch.autograd.gradcheck.GradcheckError``.
    ``rows``: one ``Row(input, analytic, numeric, ok)`` per input number;
    ``culprit``: the first op whose own local derivative is wrong, a
    ``Culprit``, or None when every op is right on its own.
    """

    def __init__(self, message: str, rows: list[Row], culprit: Culprit | None) -> None:
        """The message (table and verdict), with ``rows`` and ``culprit`` kept for programs."""
        super().__init__(message)
        self.rows, self.culprit = rows, culprit


@dataclass(frozen=True)
class Row:
    """One line of the table: an input's name, its two derivatives, and whether they agree."""

    input: str
    analytic: float
    numeric: float
    ok: bool


@dataclass(frozen=True)
class Culprit:
    """An op whose recorded local derivative ∂out/∂(input ``position``) disagrees with its own."""

    op: str
    label: str
    inputs: tuple
    position: int
    analytic: float
    numeric: float


def gradcheck(f: Callable[..., Value], *inputs: Any, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3) -> bool:
    """True if the engine's gradient of ``f`` at ``inputs`` matches central differences.

    For each input number xᵢ (inputs are numbers or nested lists of numbers;
    ``f`` takes them as Values and returns a Value, as for ``autograd.grad``):

        numeric_i = (f(x + eps·eᵢ) − f(x − eps·eᵢ)) / (2·eps)

    and the check passes when |analytic_i − numeric_i| ≤ atol + rtol·|numeric_i|
    for every i: PyTorch's ``torch.autograd.gradcheck`` rule and defaults.
    Otherwise it raises ``GradcheckError`` (a RuntimeError, as in PyTorch)
    with a table of analytic and numeric values, and the first op of the graph
    whose recorded local derivative is wrong (checked op by op in topological
    order, each against central differences of that op alone; ops within eps
    of a kink are skipped). If every op is right, the message says that the
    difference comes from f itself: not smooth at this point, or cut off from
    the graph by ``.data``.
    """
    _check_settings(eps, atol, rtol, inputs)
    call = Call(f, inputs, tuple(range(len(inputs))), "gradcheck()")
    analytic = [number(g) for g in gradients(call.output, call.variables)]
    point = [v.data for v in call.variables]
    output, rows = partial(_output_at, f, inputs), []
    for i, name in enumerate(_input_names(f, inputs)):
        numeric = _central_difference(output, point, i, eps)
        rows.append(Row(name, analytic[i], numeric, _close(analytic[i], numeric, atol, rtol)))
    if all(row.ok for row in rows):
        return True
    culprit, checked, skipped = first_wrong_op(call.output, eps, atol, rtol)
    message = _table(rows, eps, atol, rtol) + "\n\n" + _verdict(culprit, checked, skipped)
    raise GradcheckError(message, rows, culprit)


def _check_settings(eps, atol, rtol, inputs):
    for name, setting in (("eps", eps), ("atol", atol), ("rtol", rtol)):
        if not (isinstance(setting, (int, float)) and setting >= 0 and math.isfinite(setting)):
            raise ValueError(f"gradcheck(): {name} must be a finite number >= 0, got {setting!r}")
    if eps == 0:
        raise ValueError("gradcheck(): eps must be > 0: it is the step of the central difference")
    if not inputs:
        raise TypeError("gradcheck(f, *inputs) needs the point to check at: gradcheck(f, 0.5)")
    if not is_grad_enabled():
        raise RuntimeError("gradcheck() differentiates f, so it needs the graph that no_grad() "
                           "switches off: call it outside `with no_grad():`")
    if any(tree.any_leaf(is_value, x) for x in inputs):
        raise TypeError("gradcheck() takes plain numbers (or lists of them) as the point, not "
                        "Values: pass x.data, and f will be given fresh Values")


def _output_at(f, inputs, flat):
    """f's output number when its inputs hold the numbers ``flat`` (in order)."""
    items = iter(flat)
    args = [tree.unflatten(argument, items) for argument in inputs]  # refilled in order
    return number(Call(f, args, tuple(range(len(args))), "gradcheck()").output)


def _central_difference(function, point, i, eps):
    """∂function/∂xᵢ ≈ (function(x + eps·eᵢ) − function(x − eps·eᵢ)) / (2·eps), x = ``point``.

    ``function`` takes a flat list of numbers. The error is O(eps²) for a smooth function.
    """
    def moved(step):
        return function(point[:i] + [point[i] + step] + point[i + 1:])

    return (moved(eps) - moved(-eps)) / (2 * eps)


def _close(analytic, numeric, atol, rtol):
    return analytic == numeric or abs(analytic - numeric) <= atol + rtol * abs(numeric)


# --- finding the faulty op ---------------------------------------------------------------

def first_wrong_op(root: Value, eps: float, atol: float,
                   rtol: float) -> tuple[Culprit | None, int, list[str]]:
    """(the first Culprit in topological order or None, edges checked, ops skipped at a kink)."""
    checked, skipped = 0, []  # type: int, list[str]
    for node in topological_order(root):
        if node.parents and node.op in OPS:
            culprit, count = _check_op(node, eps, atol, rtol, skipped)
            checked += count
            if culprit is not None:
                return culprit, checked, skipped
    return None, checked, skipped


def _check_op(node, eps, atol, rtol, skipped):
    """(a Culprit or None, edges checked): node's local derivatives against its op alone.

    The op's forward rule is evaluated on the numbers the node was made from
    (its parents' data, plain numbers in their places), moving one parent's
    number at a time. An input within eps of a kink is skipped (noted in
    ``skipped``), and so is one where the op is not defined on both sides.
    """
    op = OPS[node.op]
    flat, positions = operands(node)
    numbers = [number(x) for x in flat]
    alone = _op_alone(op)
    checked = 0
    for i, position in enumerate(positions):
        x = numbers[position]
        if any(abs(x - kink) <= eps for kink in op.kinks):
            skipped.append(f"{op.name} at {x!r}")
            continue
        numeric = _central_difference(alone, numbers, position, eps)
        if not math.isfinite(numeric):
            continue
        checked += 1
        analytic = number(node.local_grads[i])
        if not _close(analytic, numeric, atol, rtol):
            culprit = Culprit(op.name, node.label, tuple(numbers), position, analytic, numeric)
            return culprit, checked
    return None, checked


def _op_alone(op):
    """The op's forward rule as a function of one flat list of its inputs."""
    return lambda flat: op.forward(*op.pack(flat))


# --- the message -------------------------------------------------------------------------

def _table(rows, eps, atol, rtol):
    wrong = sum(not row.ok for row in rows)
    shown = rows if len(rows) <= 20 else [row for row in rows if not row.ok][:20]
    width = max(len("input"), *(len(row.input) for row in shown))
    lines = [f"gradcheck(): the engine's gradient differs from central differences at "
             f"{wrong} of {len(rows)} input(s).",
             f"  {'input':<{width}}  {'analytic':>14}  {'numeric':>14}  {'difference':>12}"]
    for row in shown:
        mark = "" if row.ok else "  <- differs"
        lines.append(f"  {row.input:<{width}}  {row.analytic:>14.8g}  {row.numeric:>14.8g}  "
                     f"{row.analytic - row.numeric:>12.3g}{mark}")
    if len(shown) < len(rows):
        lines.append(f"  (only the inputs that differ are shown, {len(shown)} at most)")
    lines.append(f"numeric: (f(x + eps) − f(x − eps)) / (2·eps) with eps={eps:g}; they agree when "
                 f"|analytic − numeric| ≤ atol + rtol·|numeric| (atol={atol:g}, rtol={rtol:g}).")
    return "\n".join(lines)


def _verdict(culprit, checked, skipped):
    kinks = (f"; {len(skipped)} skipped at a kink, where the derivative jumps: "
             f"{', '.join(skipped[:3])}" if skipped else "")
    if culprit is None:
        return ("Every op's recorded local derivative agrees with central differences of that "
                f"op alone ({checked} checked{kinks}), so the chain rule multiplied correct "
                "numbers: the difference comes from f itself. Is f smooth at this point (relu "
                "or abs at 0, a branch on a comparison)? Does f use x.data, x.item() or a "
                "number computed outside the graph, which the gradient cannot flow through?")
    op = OPS[culprit.op]
    inputs = list(culprit.inputs[:8]) + (["…"] if len(culprit.inputs) > 8 else [])
    node = f"the node labelled {culprit.label!r}" if culprit.label else "an unlabelled node"
    return (f"The first op whose local derivative is wrong: {op.name} ({op.formula}), at "
            f"{node}, on the inputs {op.name}({', '.join(map(repr, inputs))}).\n"
            f"  d({op.name})/d(input {culprit.position}): recorded {culprit.analytic:.8g}, "
            f"central difference of {op.name} alone {culprit.numeric:.8g}.\n"
            f"Fix that op's derivative rule (its entry in OPS, or the derivative given to "
            f"register_op).")


def _input_names(f: Callable, inputs: Sequence) -> list[str]:
    """``x``, ``w[1]``, ``input 2[0][1]``: f's parameter names where they can be read."""
    try:
        names = [p.name for p in inspect.signature(f).parameters.values()
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        names = []
    names += [f"input {i}" for i in range(len(names), len(inputs))]
    return [leaf for name, argument in zip(names, inputs)
            for leaf in tree.path_names(argument, name)]

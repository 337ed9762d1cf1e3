"""Checks that speak to a learner: what is wrong in an answer, and by how much.

The check cells of the course (``%%check``, see ``nn/solutions.py``) call these::

    expect_close("the loss", loss.data, 0.3133, tol=1e-4)
    expect_grads({"w": w.grad, "b": b.grad}, {"w": -0.75, "b": -0.5}, of="l")
    expect_gradcheck(lambda r: r.pseudo_huber(), 0.7)

Each returns None when the answer is right and raises an ``AssertionError``
whose message names the quantity, the value found, the value expected and the
difference, so that the autograder (``make grade``) gives the cell no points
and the learner reads what to look at again.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any

from autograd import GradcheckError, gradcheck


def expect_close(what: str, got: Any, expected: float, tol: float = 1e-9) -> None:
    """Pass when |got − expected| ≤ tol (``got`` a number or a Value); else say by how much."""
    number = _number(what, got)
    if not abs(number - expected) <= tol:
        raise AssertionError(f"{what} is {number:.10g}, expected {expected:.10g}: off by "
                             f"{number - expected:+.3g} (allowed: ±{tol:g})")


def expect_equal(what: str, got: Any, expected: Any) -> None:
    """Pass when ``got == expected``; else name both."""
    if got != expected:
        raise AssertionError(f"{what} is {got!r}, expected {expected!r}")


def expect_grads(got: Mapping[str, Any], expected: Mapping[str, float], of: str = "l",
                 tol: float = 1e-9) -> None:
    """Pass when every ∂of/∂name in ``got`` is within ``tol`` of ``expected[name]``.

    The message lists each partial derivative that is off: ``∂l/∂w1 is 0.25,
    expected 0.4 (off by -0.15)``, and those missing from ``got``.
    """
    wrong = []
    for name, value in expected.items():
        if name not in got:
            wrong.append(f"∂{of}/∂{name} is missing from your answer")
            continue
        number = _number(f"∂{of}/∂{name}", got[name])
        if not abs(number - value) <= tol:
            wrong.append(f"∂{of}/∂{name} is {number:.10g}, expected {value:.10g} "
                         f"(off by {number - value:+.3g})")
    if wrong:
        raise AssertionError("; ".join(wrong))


def expect_gradcheck(f: Callable[..., Any], *inputs: Any, eps: float = 1e-6) -> None:
    """Pass when ``autograd.gradcheck(f, *inputs)`` does; else name the op whose rule is wrong.

    ``gradcheck`` compares the engine's gradient with central differences and,
    when they disagree, checks every op of the graph on its own.
    """
    try:
        gradcheck(f, *inputs, eps=eps)
    except GradcheckError as error:
        culprit = error.culprit
        if culprit is None:
            raise AssertionError(f"the gradient is wrong, though every op's own derivative is "
                                 f"right:\n{error}") from None
        raise AssertionError(
            f"the derivative of the op {culprit.op!r} is wrong: ∂{culprit.op}/∂(input "
            f"{culprit.position + 1}) at {list(culprit.inputs)} is {culprit.analytic:.10g}, "
            f"central differences give {culprit.numeric:.10g} (off by "
            f"{culprit.analytic - culprit.numeric:+.3g})") from None


def failed_check(error: BaseException, statement: ast.stmt, code: str,
                 namespace: Mapping[str, Any]) -> AssertionError:
    """The AssertionError a check cell raises when ``statement`` failed with ``error``.

    A failing ``assert`` without a message quotes its line and the values of its
    names; a stub still in place (NotImplementedError) or a name not defined yet
    says which answer to write or run; any other error says it came from the answer.
    """
    line = ast.get_source_segment(code, statement) or ""
    if isinstance(error, AssertionError) and error.args:
        return error
    if isinstance(error, AssertionError):
        values = _values_of_names(statement, namespace)
        where = f"\n  where {values}" if values else ""
        return AssertionError(f"this check failed: {line}{where}")
    if isinstance(error, NotImplementedError):
        return AssertionError("not answered yet: an answer cell above still has its stub "
                              "(raise NotImplementedError()). Write your answer in its place, "
                              "run that cell, then this check.")
    if isinstance(error, NameError):
        return AssertionError(f"{error}: write and run the answer cell above first (the check "
                              f"uses this name), or check its spelling.\n  check: {line}")
    wrapped = AssertionError(f"your answer raised {type(error).__name__}: {error}\n  while "
                             f"checking: {line}")
    wrapped.__cause__ = error  # the learner's traceback stays in view
    return wrapped


def _values_of_names(statement: ast.stmt, namespace: Mapping[str, Any]) -> str:
    names = dict.fromkeys(node.id for node in ast.walk(statement) if isinstance(node, ast.Name))
    shown = [f"{name} = {_short(namespace[name])}" for name in names
             if name in namespace and not callable(namespace[name])]
    return ", ".join(shown)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _number(what: str, got: Any) -> float:
    number = getattr(got, "data", got)
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        raise AssertionError(f"{what} should be a number, got {type(got).__name__} {got!r}")
    return float(number)

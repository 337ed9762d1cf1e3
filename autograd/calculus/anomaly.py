"""detect_anomaly(): stop at the first nan or inf, and say which op or which edge made it.

The engine follows IEEE 754 (``log(0) = -inf``, ``0 · inf = nan``), so a nan
appears quietly and then spreads through every later number. Inside
``with autograd.detect_anomaly():`` the engine checks as it goes and raises a
``FloatingPointError`` where the first one appears:

* forward: at the first op whose result is nan or ±inf, naming the op and the
  inputs it was given (with their labels);
* backward: at the first edge whose contribution ``local_grad × grad`` is nan
  or ±inf, naming the edge (the op's node → the input it hands the gradient to).

PyTorch's ``torch.autograd.detect_anomaly()`` checks only the backward pass,
and only for nan; this one also checks the forward pass, and inf too, because
a learner's nan almost always starts as an inf one step earlier (log of 0,
1/0, exp(1000)).

Outside the context nothing is checked and nothing slows down: the checks
are installed in the hook points the core offers (``core/modes.py``): a node
hook that sees every new node, and an edge check that the chain rule calls
before a node hands its grad on. The core does not know this module.
"""

from __future__ import annotations

import contextvars
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..core.modes import edge_check, node_hook
from ..core.ops import OPS, operands

# Whether detect_anomaly() is on. A ContextVar, like no_grad's, so that
# detect_anomaly() in one thread or asyncio task does not affect another.
_checking = contextvars.ContextVar("autograd_anomaly", default=False)


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Inside ``with detect_anomaly():`` the first nan or inf raises a FloatingPointError.

    Forward: an op whose result y = op(x₁, …) is nan or ±inf raises, naming
    the op and its inputs. If all its inputs were finite, that op made the
    anomaly (``log(0.0)``); if one was already nan or inf, the message says it
    came in from outside the checked region (a ``Value(math.inf)``, a plain
    number, a Value computed before the ``with`` or inside ``no_grad()``).
    Backward: an edge node → parent whose contribution
    ∂node/∂parent × ∂root/∂node is nan or ±inf raises, naming the edge and both factors
    (``sqrt`` at 0 has ∂/∂x = inf, and inf × 0 = nan). Gradients and local
    derivatives that are merely large are not anomalies.

    Inside ``no_grad()`` nothing is recorded and so nothing is checked
    (there is no backward pass to protect). Nests, is restored after an
    exception, works as a decorator, and is local to a thread or asyncio task
    (a ``contextvars.ContextVar``), like ``no_grad()``. It slows every op
    down, so use it to find a nan, not to train.
    """
    token = _checking.set(True)
    try:
        with node_hook(check_node), edge_check(check_edges):
            yield
    finally:
        _checking.reset(token)


def is_anomaly_enabled() -> bool:
    """True inside ``detect_anomaly()`` (PyTorch's ``torch.is_anomaly_enabled()``)."""
    return _checking.get()


def check_node(node: Any) -> None:
    """Raise a FloatingPointError if the new node's ``data`` is nan or ±inf (forward check).

    The core calls this for every node made inside ``detect_anomaly()`` (its node hook).
    """
    if not math.isfinite(node.data):
        raise FloatingPointError(_forward_message(node))


def check_edges(node: Any, grad: Any) -> None:
    """Raise a FloatingPointError at the first edge node → parent where local × grad is not finite.

    ``grad`` is d(root)/d(node) (a float, or a Value with ``create_graph``);
    the contribution along edge i is ``node.local_grads[i] × grad``, the
    number backward() is about to add into ``parents[i].grad``.
    """
    upstream = getattr(grad, "data", grad)
    for i, local in enumerate(node.local_grads):
        if not math.isfinite(local * upstream):
            raise FloatingPointError(_edge_message(node, i, local, upstream))


# --- messages -------------------------------------------------------------------------

def _forward_message(node):
    op = OPS[node.op]
    call = _call_text(node)
    bad = [v for v in operands(node)[0] if not math.isfinite(getattr(v, "data", v))]
    if not bad:
        return (f"detect_anomaly(): the op {op.name} gave {node.data} from finite inputs: "
                f"{call}. This is where the first nan or inf of the forward pass was made "
                f"({op.formula}). Look at the inputs that reach it: a log or a division at 0, an "
                "exp or a power that overflows, a sqrt of a negative number?")
    return (f"detect_anomaly(): the op {op.name} gave {node.data}, but its input "
            f"{_describe(bad[0])} was already {getattr(bad[0], 'data', bad[0])}: {call}. That "
            "nan or inf was not made by an op inside detect_anomaly(): it came from a Value "
            "or a plain number created with it, or from a Value computed before the `with` "
            "(or inside no_grad()). Start detect_anomaly() earlier, or check that input.")


def _edge_message(node, i, local, upstream):
    parent = node.parents[i]
    product = local * upstream
    if not math.isfinite(upstream):
        why = ("The upstream gradient is itself not finite: backward() was started with a "
               "gradient that is not finite, or the sum of this node's contributions overflowed.")
    elif not math.isfinite(local):
        why = ("The op's local derivative is infinite or nan at these inputs "
               f"({OPS[node.op].formula}): an input at the edge of the op's domain, such as sqrt "
               "or log at 0. Keep the input away from it (sqrt(x + 1e-12)), or check where that "
               "input comes from.")
    else:
        why = "Both factors are finite but their product overflowed."
    return (f"detect_anomaly(): backward() got {product} on the edge from {_describe(node)} to "
            f"its input {_describe(parent)}: local derivative d({node.op})/d(input {i}) = {local} "
            f"at {_call_text(node)}, times the upstream gradient d(root)/d({node.op}) = "
            f"{upstream}. {why}")


def _call_text(node, shown=6):
    """``log(x=0.0)``: the op applied to its inputs, Values by label, numbers as they are."""
    items = [_input_text(v) for v in operands(node)[0]]
    if len(items) > shown:
        items = items[:shown] + [f"… {len(items)} inputs"]
    return f"{node.op}({', '.join(items)})"


def _input_text(item):
    if not hasattr(item, "data"):
        return repr(float(item))
    return f"{item.label}={item.data!r}" if item.label else repr(item.data)


def _describe(item):
    """A Value in a sentence: its label, else the op that made it, else a leaf."""
    if not hasattr(item, "data"):
        return f"the plain number {item!r}"
    if item.label:
        return repr(item.label)
    if item.op:
        return f"the {item.op} node (data {item.data!r})"
    return f"a leaf Value({item.data!r})"

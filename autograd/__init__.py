"""autograd: a scalar reverse-mode automatic-differentiation engine for learning.

    >>> from autograd import Value
    >>> x, y = Value(2.0, "x"), Value(3.0, "y")
    >>> z = x * y + x.tanh()
    >>> z.backward()
    >>> round(x.grad, 6), y.grad      # dz/dx = y + 1 - tanh²(x),  dz/dy = x
    (3.070651, 2.0)

Read ``core/`` first: the Value, the op table and the chain rule (its
``__init__`` gives the reading order). Then the tools built on it, each
importing only ``core/`` and ``tree.py``:

* ``calculus/``: ``grad``, ``value_and_grad``, ``hessian``, ``gradcheck``,
  ``register_op``, ``detect_anomaly``, and ``gradients`` and ``backward`` over
  nested outputs and inputs;
* ``static/``: ``compile``, the static mode (trace once, replay as Python);
* ``viz/``: ``draw_graph``, ``backward_steps``.

This file only re-exports their public names, and attaches ``Value.draw``.
"""

from __future__ import annotations

from typing import Any

from . import tree  # noqa: F401 - autograd.tree, for nn and for users' nested arguments
from .calculus.anomaly import detect_anomaly, is_anomaly_enabled
from .calculus.check import GradcheckError, gradcheck
from .calculus.functional import grad, hessian, value_and_grad
from .calculus.register import register_op, unregister_op
from .calculus.tape import backward, gradients
from .core.backward import topological_order
from .core.modes import is_grad_enabled, no_grad
from .core.nary import dot, logsumexp, sum
from .core.ops import OPS, Op
from .core.value import Value
from .static.compiler import compile
from .static.guard import TraceError
from .viz.drawing import Drawing, draw_graph
from .viz.renderers import DrawingError
from .viz.steps import BackwardStep, backward_steps, save_backward_steps


def _draw(self: Value, **options: Any) -> Drawing:
    """This Value's computation graph as a picture: ``autograd.draw_graph(self, **options)``.

    Options: ``rankdir``, ``show``, ``color``, ``cluster``, ``max_nodes``
    (see ``draw_graph``). In Jupyter, ``loss.draw()`` shows the SVG inline.
    """
    return draw_graph(self, **options)


_draw.__name__ = _draw.__qualname__ = "draw"
Value.draw = _draw  # a convenience, attached by the public face

__all__ = [
    "Value", "sum", "dot", "logsumexp", "no_grad", "is_grad_enabled",
    "backward", "gradients", "grad", "value_and_grad", "hessian",
    "topological_order", "OPS", "Op",
    "gradcheck", "GradcheckError", "register_op", "unregister_op",
    "detect_anomaly", "is_anomaly_enabled", "compile", "TraceError",
    "draw_graph", "backward_steps", "save_backward_steps",
    "Drawing", "BackwardStep", "DrawingError",
]

"""autograd: a scalar reverse-mode automatic-differentiation engine for learning.

    >>> from autograd import Value
    >>> x, y = Value(2.0, "x"), Value(3.0, "y")
    >>> z = x * y + x.tanh()
    >>> z.backward()
    >>> round(x.grad, 6), y.grad      # dz/dx = y + 1 - tanh²(x),  dz/dy = x
    (3.070651, 2.0)

The public face only re-exports: ``Value`` and its functions in ``value.py``,
the op table in ``ops.py``, the chain rule in ``backward.py``.
"""

from .anomaly import detect_anomaly, is_anomaly_enabled
from .backward import backward, gradients, topological_order
from .check import GradcheckError, gradcheck
from .compile import compile
from .draw import (
    BackwardStep,
    Drawing,
    DrawingError,
    backward_steps,
    draw_graph,
    save_backward_steps,
)
from .functional import grad, hessian, value_and_grad
from .nary import dot, logsumexp, sum
from .ops import OPS, Op
from .register import register_op, unregister_op
from .trace import TraceError
from .value import Value, is_grad_enabled, no_grad

__all__ = [
    "Value", "sum", "dot", "logsumexp", "no_grad", "is_grad_enabled",
    "backward", "gradients", "grad", "value_and_grad", "hessian",
    "topological_order", "OPS", "Op",
    "gradcheck", "GradcheckError", "register_op", "unregister_op",
    "detect_anomaly", "is_anomaly_enabled", "compile", "TraceError",
    "draw_graph", "backward_steps", "save_backward_steps",
    "Drawing", "BackwardStep", "DrawingError",
]

"""Optimizers, in order of increasing complexity: SGD (with momentum), then Adam.

An optimizer holds a list of parameters. After ``loss.backward()`` has
filled in each ``p.grad``, ``step()`` moves every ``p.data`` against its
gradient; ``zero_grad()`` clears the gradients for the next step. Updates
write plain floats into ``.data``: they never build graph nodes. Both
follow ``torch.optim`` update for update (same defaults, same formulas).

One difference from PyTorch: ``step()`` warns, once per optimizer, when
every gradient is exactly 0. That is what a forgotten ``loss.backward()``
leaves (or ``zero_grad()`` placed between ``backward()`` and ``step()``, or
``backward()`` on a loss that does not use the parameters); PyTorch's
optimizer skips such parameters in silence (their grad is None). A real
gradient of exactly 0 everywhere (every ReLU off, a loss at exactly its
minimum) also gets the one warning: ``nn.fit``, which calls ``backward()``
before every step, never shows it.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from numbers import Real
from typing import Protocol

from autograd import Value


class HasParameters(Protocol):
    """A model: anything with ``parameters()``, such as an ``nn.Module``."""

    def parameters(self) -> list[Value]: ...


class Optimizer:
    """What every optimizer shares: the parameter list, ``zero_grad()``, and argument checks."""

    def __init__(self, params: Iterable[Value] | HasParameters, lr: float,
                 weight_decay: float) -> None:
        """Keep ``params`` (Values, each once), ``lr`` and ``weight_decay`` (numbers >= 0)."""
        if callable(params) and not hasattr(params, "parameters"):
            raise TypeError(f"{type(self).__name__}() takes the list model.parameters() (with "
                            f"the parentheses), got the {type(params).__name__} itself")
        params = params.parameters() if hasattr(params, "parameters") else list(params)
        if not params:
            raise ValueError(f"{type(self).__name__}() got an empty parameter list: "
                             "pass model.parameters()")
        seen = set()
        for p in params:
            if not isinstance(p, Value):
                raise TypeError(f"{type(self).__name__}() takes Values (model.parameters()), "
                                f"got {type(p).__name__}")
            if p in seen:
                raise ValueError(f"{type(self).__name__}() got the same parameter twice: {p!r}")
            seen.add(p)
        self.params = params
        self.lr = _number(lr, "lr", self)
        self.weight_decay = _number(weight_decay, "weight_decay", self)
        self._asked_about_backward = False  # the all-zero warning: once per optimizer

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to 0."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter once from its ``grad``."""
        raise NotImplementedError

    def _check_gradients(self) -> None:
        """Warn, once, when every gradient is exactly 0: was ``loss.backward()`` called?

        Cheap: the walk stops at the first gradient that is not 0, usually the first.
        """
        if getattr(self, "_asked_about_backward", False) or any(p.grad != 0.0 for p in self.params):
            return
        self._asked_about_backward = True
        name = type(self).__name__
        warnings.warn(
            f"{name}.step(): every gradient is exactly 0, so the step has nothing to follow. "
            "Did you call loss.backward() before optimizer.step()? One training step is "
            "optimizer.zero_grad(); loss.backward(); optimizer.step(). If you did, the loss "
            "does not depend on these parameters (backward() on another loss?) or is flat "
            "where they are (every ReLU off, a loss at exactly its minimum). "
            "This warning is shown once per optimizer.", stacklevel=3)

    def __repr__(self) -> str:
        """``SGD(337 parameters, lr=0.1, ...)``: the settings, not the numbers."""
        settings = ", ".join(f"{k}={v!r}" for k, v in vars(self).items()
                             if k not in ("params", "velocity", "m", "v", "t")
                             and not k.startswith("_"))
        return f"{type(self).__name__}({len(self.params)} parameters, {settings})"


@contextmanager
def after_backward(optimizer: object) -> Iterator[None]:
    """Inside, ``optimizer.step()`` does not ask whether ``backward()`` was called.

    For a training loop that calls ``backward()`` before every step
    (``nn.fit``): there, a gradient of exactly 0 everywhere is the true
    gradient, not a forgotten call. The warning's state is restored after.
    """
    if not isinstance(optimizer, Optimizer):
        yield
        return
    asked = getattr(optimizer, "_asked_about_backward", False)  # (a subclass may skip __init__)
    optimizer._asked_about_backward = True
    try:
        yield
    finally:
        optimizer._asked_about_backward = asked


class SGD(Optimizer):
    """Stochastic gradient descent: ``θ ← θ − lr · g``, optionally with momentum.

    ``g = ∇L(θ) + weight_decay · θ`` (weight decay is the gradient of the
    L2 penalty ``(weight_decay/2)‖θ‖²``). With ``momentum`` μ > 0 the step
    follows a running velocity instead of the raw gradient, as in PyTorch:
    ``v ← g`` on the first step, then ``v ← μ v + g``;  ``θ ← θ − lr · v``.

    In PyTorch, ``torch.optim.SGD(torch_model.parameters(), lr=lr, momentum=momentum,
    weight_decay=weight_decay)`` (its defaults ``dampening=0, nesterov=False``)
    on float64 parameters (``model.to_torch()``) makes the same updates, to
    rounding (``tests/nn/test_bridge.py`` checks 5 steps to 1e-10).
    """

    def __init__(self, params: Iterable[Value] | HasParameters, lr: float, momentum: float = 0.0,
                 weight_decay: float = 0.0) -> None:
        """SGD on ``params`` (``model.parameters()``) with step size ``lr``; no velocity yet."""
        super().__init__(params, lr, weight_decay)
        self.momentum = _number(momentum, "momentum", self)
        # one float per parameter, after the first step with momentum
        self.velocity: list[float] | None = None

    def step(self) -> None:
        """One update of every parameter (see the class docstring for the formula)."""
        self._check_gradients()
        lr, mu, decay = self.lr, self.momentum, self.weight_decay
        grads = [p.grad + decay * p.data if decay else p.grad for p in self.params]
        if mu:
            if self.velocity is None:
                self.velocity = grads
            else:
                self.velocity = [mu * v + g for v, g in zip(self.velocity, grads)]
            grads = self.velocity
        for p, g in zip(self.params, grads):
            p.data -= lr * g


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015): steps scaled by running averages of g and g².

    With ``g = ∇L(θ) + weight_decay · θ`` and step count t = 1, 2, …::

        m ← β₁ m + (1 − β₁) g          (average gradient)
        v ← β₂ v + (1 − β₂) g²         (average squared gradient)
        θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + eps)

    The divisions by 1 − βᵗ undo the bias of averages that start at 0.
    ``weight_decay`` is the L2 penalty added to the gradient, as in
    ``torch.optim.Adam`` (not AdamW's decoupled decay).

    In PyTorch, ``torch.optim.Adam(torch_model.parameters(), lr=lr, betas=betas,
    eps=eps, weight_decay=weight_decay)`` (its default ``amsgrad=False``; not
    ``AdamW``) on float64 parameters (``model.to_torch()``) makes the same
    updates, to rounding (``tests/nn/test_bridge.py`` checks 5 steps to 1e-10).
    """

    def __init__(self, params: Iterable[Value] | HasParameters, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        """Adam on ``params`` with PyTorch's defaults; m and v start at 0, t at 0."""
        super().__init__(params, lr, weight_decay)
        beta1, beta2 = betas
        for name, beta in (("betas[0]", beta1), ("betas[1]", beta2)):
            if not 0.0 <= _number(beta, name, self) < 1.0:
                raise ValueError(f"Adam() needs 0 <= {name} < 1, got {beta!r}")
        self.betas = (float(beta1), float(beta2))
        self.eps = _number(eps, "eps", self)
        self.t = 0
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def step(self) -> None:
        """One update of every parameter (see the class docstring for the formula)."""
        self._check_gradients()
        self.t += 1
        (beta1, beta2), decay = self.betas, self.weight_decay
        step_size = self.lr / (1.0 - beta1 ** self.t)
        root_correction = math.sqrt(1.0 - beta2 ** self.t)
        m, v = self.m, self.v
        for i, p in enumerate(self.params):
            g = p.grad + decay * p.data if decay else p.grad
            m[i] = beta1 * m[i] + (1.0 - beta1) * g
            v[i] = beta2 * v[i] + (1.0 - beta2) * g * g
            p.data -= step_size * m[i] / (math.sqrt(v[i]) / root_correction + self.eps)


def _number(x, name, optimizer):
    if isinstance(x, bool) or not isinstance(x, Real) or not x >= 0:
        raise ValueError(f"{type(optimizer).__name__}() needs {name} >= 0, a number; got {x!r:.40}")
    return float(x)

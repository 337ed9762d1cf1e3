"""The checks ``fit`` makes, so that no learner mistake trains in silence.

Before training: the loss (by name, Keras's names explained, and not a
logits loss on a sigmoid output), the optimizer (one that updates this
model), the samples (as many inputs as targets; every number finite and
small enough for a float; every sample as wide as the model's input, so a
ragged row is found before any step), the labels (each one the loss takes),
epochs, batch size and callbacks. During training: each step's loss is a
Value holding a finite number, and every gradient is finite before the
optimizer uses it (``Diverged``, which ``fit`` turns into a
FloatingPointError naming the epoch).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from numbers import Integral, Real
from typing import Any

from autograd import Value

from . import losses as _losses
from .activations import by_name
from .keras_hints import KERAS_LOSSES, KERAS_OPTIMIZERS
from .labels import binary_label, check_classes, class_index, hinge_label, plain

LOSSES = {
    "mse": _losses.mse_loss,
    "binary_cross_entropy": _losses.binary_cross_entropy,
    "cross_entropy": _losses.cross_entropy,
    "hinge": _losses.hinge_loss,
}


# --- before training -------------------------------------------------------------------------

def outputs_probabilities(model: Any) -> bool:
    """True when the model's output layer applies a sigmoid: its output is a probability."""
    return getattr(model, "output_activation", None) == "sigmoid"


def loss_function(loss: str | Callable, model: Any) -> Callable:
    """The loss function for ``loss``; a ValueError for a sigmoid output with a logits loss."""
    if isinstance(loss, str) and loss in KERAS_LOSSES:
        raise ValueError(f"unknown loss {loss!r}: that is Keras's name; here write "
                         f"{KERAS_LOSSES[loss]}")
    loss_fn = by_name(loss, LOSSES, "loss", "pass a loss function")
    if loss_fn is _losses.binary_cross_entropy and outputs_probabilities(model):
        raise ValueError(
            "binary_cross_entropy takes logits, but the model's output layer applies a sigmoid: "
            "applied twice, training stalls. Change the model to output_activation='linear' "
            "(the loss applies the sigmoid itself, stably), or keep the sigmoid with loss='mse'")
    return loss_fn


def optimizer(optimizer: Any, model: Any) -> None:
    """A TypeError unless ``optimizer`` can step; a ValueError if it updates another model."""
    if isinstance(optimizer, str) and optimizer.lower() in KERAS_OPTIMIZERS:
        raise TypeError(f"fit() takes an optimizer built on the model's parameters, not a name "
                        f"as Keras does: optimizer={KERAS_OPTIMIZERS[optimizer.lower()]} "
                        "(Keras's default learning rate)")
    if not (callable(getattr(optimizer, "step", None))
            and callable(getattr(optimizer, "zero_grad", None))):
        raise TypeError("fit() needs an optimizer, such as optimizer=nn.SGD(model.parameters(), "
                        f"lr=0.1); got {type(optimizer).__name__} {optimizer!r:.40}")
    params = getattr(optimizer, "params", None)
    if params and callable(getattr(model, "parameters", None)):
        if not set(params) & set(model.parameters()):
            raise ValueError("the optimizer updates none of this model's parameters, so training "
                             "would change nothing: build it from this model, as in "
                             "nn.SGD(model.parameters(), lr=0.1)")


def samples(X: Iterable, y: Iterable, where: str, targets: str = "targets") -> tuple[list, list]:
    """``X`` and ``y`` as lists of the same, non-zero length."""
    X, y = list(X), list(y)
    if len(X) != len(y):
        raise ValueError(f"{where} got {len(X)} inputs but {len(y)} {targets}")
    if not X:
        raise ValueError(f"{where} got no samples")
    return X, y


def training_data(X: Iterable, y: Iterable, where: str,
                  nin: int | None = None) -> tuple[list, list]:
    """``X`` and ``y`` checked, every sample, before the first step changes any parameter.

    As many inputs as targets; every number finite and within a float's
    range (10**400 is not); every input as wide as the model takes
    (``nin``, else as ``X[0]``), every target as wide as ``y[0]``. An error
    names the first bad sample. Returned as plain Python: NumPy arrays and
    numbers become the lists and numbers they hold, so a NumPy boolean is a
    bool, which the engine reads as 0 or 1 (``Value(True)`` is 1.0) with or
    without ``compile``.
    """
    X, y = samples(X, y, where)
    X = [_sample(x, "X", i, where) for i, x in enumerate(X)]
    y = [_sample(t, "y", i, where) for i, t in enumerate(y)]
    _same_width(X, "X", nin, where)
    _same_width(y, "y", None, where)
    return X, y


def labels(loss_fn: Callable, y: Sequence, model: Any, where: str = "fit()") -> None:
    """Every target a label that ``loss_fn`` takes (the library's classification losses).

    The same rules as the losses' own (``nn.labels``), applied to every
    sample before training, so a bad label late in the data cannot stop
    training half-way.
    """
    nout = getattr(model, "nout", None)
    nout = nout if isinstance(nout, int) and not isinstance(nout, bool) else None
    if loss_fn is _losses.cross_entropy:
        check_classes(nout, f"{where} with loss cross_entropy")
    rules: dict[Callable, Callable[[Any], Any]] = {
        _losses.cross_entropy: lambda label: class_index(label, nout, "cross_entropy()"),
        _losses.binary_cross_entropy: binary_label,
        _losses.hinge_loss: hinge_label,
    }
    rule = rules.get(loss_fn)
    if rule is None:
        return
    for i, label in enumerate(y):
        try:
            rule(label)
        except (TypeError, ValueError) as error:
            raise type(error)(f"{where} y[{i}]: {error}") from None


def _sample(item, name, i, where):
    """One sample of X or y as a number, a Value, or a list of them; an error naming it if not."""
    numbers = plain(item)
    if type(numbers) is list and _finite_floats(numbers):
        return numbers  # the usual sample: a list of finite floats or ints
    if isinstance(numbers, (Real, Value)):
        _check_number(numbers, item, f"{name}[{i}]", i, where)
        return numbers
    if isinstance(numbers, (str, bytes)) or not isinstance(numbers, Iterable):
        raise _not_finite(item, f"{name}[{i}]", i, where)
    numbers = [plain(n) for n in numbers]
    for n in numbers:
        _check_number(n, item, f"{name}[{i}]", i, where)
    return numbers


def _finite_floats(numbers):
    """True for a list of floats and ints that are all finite (the checks' fast path)."""
    try:
        return all(type(n) is float or type(n) is int for n in numbers) \
            and all(map(math.isfinite, numbers))
    except OverflowError:  # an int beyond a float's range: _check_number says which
        return False


def _check_number(n, item, name, i, where):
    if not isinstance(n, (Real, Value)):
        raise _not_finite(item, name, i, where)
    try:
        finite = math.isfinite(n.data if isinstance(n, Value) else n)
    except OverflowError:  # an int beyond a float's range
        size = f"about 10^{int(math.log10(abs(n)))}" if isinstance(n, Integral) else "a number"
        raise ValueError(f"{where} needs numbers a float can hold (up to about 1.8e308), but "
                         f"{name} holds {size}, too large for a float: rescale it, or fix or "
                         f"drop sample {i}") from None
    if not finite:
        raise _not_finite(item, name, i, where)


def _not_finite(item, name, i, where):
    return ValueError(f"{where} needs finite numbers, but {name} is {item!r:.60}: fix or drop "
                      f"sample {i} (a NaN often marks a missing value)")


def _same_width(items, name, width, where):
    """A ValueError for the first sample whose count of numbers differs from ``width``."""
    def count(item):
        return len(item) if isinstance(item, list) else 1

    expected = count(items[0]) if width is None else width
    bad = next((i for i, item in enumerate(items) if count(item) != expected), None)
    if bad is None:
        return
    got = count(items[bad])
    model = f"the model takes {width} inputs (nin={width})" if width is not None else \
        f"{name}[0] has {expected}"
    raise ValueError(f"{where} got {got} number{'s' * (got != 1)} in {name}[{bad}] "
                     f"({items[bad]!r:.60}) but {model}: every sample needs {expected}. Fix or "
                     f"drop sample {bad}")


def epoch_count(epochs: Any) -> int:
    """``epochs``, the number of passes over the data: an int >= 0."""
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(
            f"epochs is the number of passes over the data, an int >= 0; got {epochs!r}")
    return epochs


def batch_size_of(batch_size: int | None, n: int) -> int:
    """The number of samples per step: all ``n`` for None, else a positive int."""
    size = n if batch_size is None else batch_size
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"batch_size is None (all samples) or a positive int, got {batch_size!r}")
    return size


def callback_list(callbacks: Callable | Iterable[Callable] | None) -> list[Callable]:
    """``callbacks`` as a list of functions: one function, a list of them, or None."""
    callbacks = [callbacks] if callable(callbacks) else list(callbacks or ())
    for callback in callbacks:
        if not callable(callback):
            raise TypeError("callbacks are functions f(epoch, record), got "
                            f"{type(callback).__name__} {callback!r:.40}")
    return callbacks


def finite_number(x: Any, name: str) -> float:
    """``x`` as a float; a ValueError naming ``name`` unless it is a finite number."""
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number, got {x!r:.40}")
    return float(x)


# --- during training -------------------------------------------------------------------------

class Diverged(Exception):
    """A step's loss (or a parameter's gradient) is nan or inf; ``explain`` says so."""

    def __init__(self, number: float, parameter: Value | None = None) -> None:
        super().__init__(number)
        self.number, self.parameter = number, parameter

    def explain(self, epoch: int, model: Any, optimizer: Any) -> str:
        """The FloatingPointError's message: the epoch, the number, the likely causes."""
        what = "the loss"
        if self.parameter is not None:
            names = {p: name for name, p in model.named_parameters()}  # Values hash by identity
            what = f"the gradient of parameter {names.get(self.parameter, '?')!r}"
        lr = getattr(optimizer, "lr", None)
        smaller = f" (lr={lr!r}): try a smaller one, such as lr={lr / 10:g}" if lr else ""
        return (f"training stopped in epoch {epoch}: {what} is {self.number!r}. The parameters "
                f"are as they were before this step. Likely causes: a learning rate too "
                f"large{smaller}; or a NaN or inf in X or y, or one that the model or the loss "
                "makes (log of 0, exp of a large number).")


def loss_value(loss: Any, loss_fn: Callable) -> None:
    """A TypeError unless the step's loss is a Value; ``Diverged`` if it is nan or inf."""
    if not isinstance(loss, Value):
        name = getattr(loss_fn, "__name__", "the loss")
        raise TypeError(f"the loss {name} returned {type(loss).__name__} {loss!r:.40}, not a "
                        "Value: fit() needs a Value to call backward() on. Build it from the "
                        "model's outputs with Value operations")
    if not math.isfinite(loss.data):
        raise Diverged(loss.data)


def gradients(optimizer: Any) -> None:
    """``Diverged`` for the first parameter whose gradient is nan or inf."""
    for p in getattr(optimizer, "params", ()):
        if not math.isfinite(p.grad):
            raise Diverged(p.grad, p)

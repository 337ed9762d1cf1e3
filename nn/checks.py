"""The checks ``fit`` makes, so that no learner mistake trains in silence.

Before training: the loss (by name, and not a logits loss on a sigmoid
output), the optimizer (one that updates this model), the samples (as many
inputs as targets, all finite numbers), epochs, batch size and callbacks.
During training: each step's loss is a Value holding a finite number, and
every gradient is finite before the optimizer uses it (``Diverged``, which
``fit`` turns into a FloatingPointError naming the epoch).
"""

import math
from numbers import Real

from autograd import Value

from . import losses as _losses
from .activations import by_name

LOSSES = {
    "mse": _losses.mse_loss,
    "binary_cross_entropy": _losses.binary_cross_entropy,
    "cross_entropy": _losses.cross_entropy,
    "hinge": _losses.hinge_loss,
}


# --- before training -------------------------------------------------------------------------

def outputs_probabilities(model):
    """True when the model's output layer applies a sigmoid: its output is a probability."""
    return getattr(model, "output_activation", None) == "sigmoid"


def loss_function(loss, model):
    """The loss function for ``loss``; a ValueError for a sigmoid output with a logits loss."""
    loss_fn = by_name(loss, LOSSES, "loss", "pass a loss function")
    if loss_fn is _losses.binary_cross_entropy and outputs_probabilities(model):
        raise ValueError(
            "binary_cross_entropy takes logits, but the model's output layer applies a sigmoid: "
            "applied twice, training stalls. Change the model to output_activation='linear' "
            "(the loss applies the sigmoid itself, stably), or keep the sigmoid with loss='mse'")
    return loss_fn


def optimizer(optimizer, model):
    """A TypeError unless ``optimizer`` can step; a ValueError if it updates another model."""
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


def samples(X, y, where, targets="targets", finite=False):
    """``X`` and ``y`` as lists of the same, non-zero length (of finite numbers, if asked)."""
    X, y = list(X), list(y)
    if len(X) != len(y):
        raise ValueError(f"{where} got {len(X)} inputs but {len(y)} {targets}")
    if not X:
        raise ValueError(f"{where} got no samples")
    if finite:
        for name, items in (("X", X), ("y", y)):
            bad = next((i for i, item in enumerate(items) if not _all_finite(item)), None)
            if bad is not None:
                raise ValueError(
                    f"{where} needs finite numbers, but {name}[{bad}] is {items[bad]!r:.60}: fix "
                    f"or drop sample {bad} (a NaN often marks a missing value)")
    return X, y


def _all_finite(item):
    """True if ``item`` (a number, a Value, or a sequence of them) holds only finite numbers."""
    try:
        numbers = [item] if isinstance(item, (Real, Value)) else list(item)
        return all(math.isfinite(n.data if isinstance(n, Value) else n) for n in numbers)
    except TypeError:  # not a number at all
        return False


def epoch_count(epochs):
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(
            f"epochs is the number of passes over the data, an int >= 0; got {epochs!r}")
    return epochs


def batch_size_of(batch_size, n):
    """The number of samples per step: all ``n`` for None, else a positive int."""
    size = n if batch_size is None else batch_size
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"batch_size is None (all samples) or a positive int, got {batch_size!r}")
    return size


def callback_list(callbacks):
    callbacks = [callbacks] if callable(callbacks) else list(callbacks or ())
    for callback in callbacks:
        if not callable(callback):
            raise TypeError("callbacks are functions f(epoch, record), got "
                            f"{type(callback).__name__} {callback!r:.40}")
    return callbacks


def finite_number(x, name):
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number, got {x!r:.40}")
    return float(x)


# --- during training -------------------------------------------------------------------------

class Diverged(Exception):
    """A step's loss (or a parameter's gradient) is nan or inf; ``explain`` says so."""

    def __init__(self, number, parameter=None):
        super().__init__(number)
        self.number, self.parameter = number, parameter

    def explain(self, epoch, model, optimizer):
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


def loss_value(loss, loss_fn):
    if not isinstance(loss, Value):
        name = getattr(loss_fn, "__name__", "the loss")
        raise TypeError(f"the loss {name} returned {type(loss).__name__} {loss!r:.40}, not a "
                        "Value: fit() needs a Value to call backward() on. Build it from the "
                        "model's outputs with Value operations")
    if not math.isfinite(loss.data):
        raise Diverged(loss.data)


def gradients(optimizer):
    for p in getattr(optimizer, "params", ()):
        if not math.isfinite(p.grad):
            raise Diverged(p.grad, p)

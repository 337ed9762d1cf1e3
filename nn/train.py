"""The training loop: ``fit`` runs gradient descent and reports loss and accuracy.

One step is what the course writes as ``θ ← θ − η ∇L(θ)``: forward pass
over a batch, loss, ``zero_grad()``, ``loss.backward()``, ``optimizer.step()``.
The file reads in that order: ``fit``, one epoch, one step; then
``accuracy``; then how a single output is read as a class, the checks of
the arguments, and the bookkeeping.
"""

import math
import warnings

from autograd import Value, no_grad

from . import losses as _losses
from .activations import by_name, make_rng

_LOSSES = {
    "mse": _losses.mse_loss,
    "binary_cross_entropy": _losses.binary_cross_entropy,
    "cross_entropy": _losses.cross_entropy,
    "hinge": _losses.hinge_loss,
}


def fit(model, X, y, *, loss, optimizer, epochs, batch_size=None, shuffle=True, seed=None,
        validation_data=None, threshold=None, callbacks=(), progress=None):
    """Train ``model`` on inputs ``X`` and targets ``y``; return the history.

    ``loss``: a loss function (``nn.hinge_loss``, …) or its name ("mse",
    "binary_cross_entropy", "cross_entropy", "hinge"); it is called as
    ``loss([model(x) for x in batch], targets)``. ``optimizer``: e.g.
    ``nn.SGD(model.parameters(), lr=0.1)``. ``epochs``: passes over the data.

    ``batch_size=None`` takes the whole dataset per step (full-batch
    gradient descent: one step per epoch); a number k makes mini-batches of
    k samples, reshuffled each epoch unless ``shuffle=False``. ``seed``: None
    draws the shuffles from the ``random`` module, so successive calls
    continue one random stream (``random.seed(s)`` makes them repeatable);
    an int (or a ``random.Random``) gives its own stream, the same run every time.

    Returns ``{"loss": [...], "accuracy": [...]}``, one entry per epoch: the
    mean loss and the training accuracy seen during the epoch's forward
    passes (before each step, as Keras reports them). "accuracy" is there
    when the targets are class labels (all whole numbers); ``threshold``
    overrides where a single output splits the classes (see ``accuracy``;
    by default it follows from the loss and the labels), and is kept in
    ``model.threshold`` for ``nn.accuracy`` afterwards. With
    ``validation_data=(X_val, y_val)`` the history also has "val_loss" and
    "val_accuracy", measured after each epoch.

    ``callbacks``: a function, or a list of them, called after each epoch
    as ``callback(epoch, record)`` (epoch 1, 2, …; record: that epoch's
    numbers, as in the history); one returning False stops training. A
    learning-rate schedule is a callback that sets ``optimizer.lr``:

        >>> import nn
        >>> X, y = nn.data.make_moons(20)
        >>> model = nn.MLP(2, [4, 1], seed=0)
        >>> optimizer = nn.SGD(model.parameters(), lr=0.1)
        >>> def halve_every_10_epochs(epoch, record):
        ...     if epoch % 10 == 0:
        ...         optimizer.lr /= 2
        >>> history = nn.fit(model, X, y, loss="hinge", optimizer=optimizer, epochs=30,
        ...                  callbacks=halve_every_10_epochs)
        >>> optimizer.lr                     # 0.1 / 2³
        0.0125

    ``progress``: None shows a bar only on an interactive terminal or
    notebook, True always, False never.

    Never wrong in silence: data holding nan or inf is refused before
    training, with the index of the first bad sample; training stops with a
    ``FloatingPointError`` at the first step whose loss or gradient is nan or
    inf, naming the epoch, before that step changes any parameter.
    """
    loss_fn = _loss_function(loss, model)
    _check_optimizer(optimizer, model)
    X, y = _samples(X, y, "fit()", finite=True)
    if validation_data is not None:
        validation_data = _samples(*validation_data, "fit() validation_data", finite=True)
    epochs, size = _epoch_count(epochs), _batch_size(batch_size, len(X))
    callbacks = _callback_list(callbacks)
    model.threshold = _class_threshold(model, y, loss_fn, threshold)
    rng = make_rng(seed) if shuffle and size < len(X) else None
    history = _empty_history(model.threshold is not None, validation_data is not None)
    with _progress_bar(epochs, progress) as bar:
        for epoch in range(1, epochs + 1):
            record = _epoch(model, X, y, loss_fn, optimizer, _batches(len(X), size, rng), epoch)
            if validation_data is not None:
                record.update(_validation(model, *validation_data, loss_fn))
            _add_record(history, record, bar)
            if any(callback(epoch, record) is False for callback in callbacks):
                break
    return history


def _epoch(model, X, y, loss_fn, optimizer, batches, epoch):
    """One pass over the data, one step per batch: the epoch's record (mean loss, accuracy)."""
    total_loss, correct = 0.0, 0
    for batch in batches:
        targets = [y[i] for i in batch]
        try:
            outputs, batch_loss = _step(model, [X[i] for i in batch], targets, loss_fn, optimizer)
        except _Diverged as problem:
            raise FloatingPointError(problem.explain(epoch, model, optimizer)) from None
        total_loss += batch_loss * len(batch)
        if model.threshold is not None:
            correct += sum(_is_correct(o, t, model.threshold) for o, t in zip(outputs, targets))
    record = {"loss": total_loss / len(X)}
    if model.threshold is not None:
        record["accuracy"] = correct / len(X)
    return record


def _step(model, inputs, targets, loss_fn, optimizer):
    """One step of gradient descent, ``θ ← θ − η ∇L(θ)``: the outputs and the loss before it."""
    outputs = [model(x) for x in inputs]  # the forward pass
    loss = loss_fn(outputs, targets)      # L(θ) on this batch
    _check_loss(loss, loss_fn)            # a Value holding a finite number
    optimizer.zero_grad()
    loss.backward()                       # ∇L(θ), by the chain rule
    _check_gradients(optimizer)           # finite: one nan would spoil every parameter
    optimizer.step()                      # θ ← θ − η ∇L(θ)
    return outputs, loss.data


def _validation(model, X_val, y_val, loss_fn):
    """The validation loss (and accuracy) after an epoch, measured under ``no_grad()``."""
    with no_grad():
        record = {"val_loss": loss_fn([model(x) for x in X_val], y_val).data}
    if model.threshold is not None:
        record["val_accuracy"] = accuracy(model, X_val, y_val)
    return record


def accuracy(model, X, y, threshold=None):
    """The fraction of samples ``x`` whose predicted class is the label ``y``.

    For one output (binary classification) the prediction is class 1 when
    the output exceeds ``threshold``, else class 0 (labels 0/1 or −1/+1:
    any label > 0 is class 1). By default the threshold is the one ``fit``
    used (``model.threshold``); for a model that ``fit`` has not trained, 0.5
    for a sigmoid output (a probability) and 0 otherwise (a score or logit).
    For several outputs the prediction is the index of the largest one
    (argmax), compared with an int label. Runs under ``no_grad()``.
    """
    X, y = _samples(X, y, "accuracy()", "labels")
    if threshold is None:
        threshold = getattr(model, "threshold", None)
    if threshold is None:
        threshold = 0.5 if _outputs_probabilities(model) else 0.0
    with no_grad():
        return sum(_is_correct(model(x), label, threshold) for x, label in zip(X, y)) / len(X)


# --- reading one output as a class -------------------------------------------------------------

def _class_threshold(model, y, loss_fn, threshold):
    """Where one output splits class 0 from class 1; None when the targets are not labels.

    A sigmoid output is a probability: 0.5. A loss that fits the labels
    themselves (mse) splits halfway between them: 0.5 for labels 0/1, 0 for
    −1/+1. The classification losses take scores or logits: 0, their sign.
    """
    if threshold is not None:
        return _finite_number(threshold, "threshold")
    if not all(isinstance(t, int) or (isinstance(t, float) and t.is_integer()) for t in y):
        return None  # regression targets: no accuracy
    if _outputs_probabilities(model):
        return 0.5
    if loss_fn is _losses.mse_loss:
        return 0.5 if min(y) >= 0 else 0.0
    if loss_fn not in _LOSSES.values() and set(y) <= {0, 1} and getattr(model, "nout", 1) == 1:
        warnings.warn("fit() cannot tell from a loss function of your own whether the model's "
                      "output is a score (class 1 above 0) or fits the labels 0/1 (class 1 "
                      "above 0.5); the accuracy uses 0: pass threshold= to say which",
                      stacklevel=3)
    return 0.0


def _outputs_probabilities(model):
    return getattr(model, "output_activation", None) == "sigmoid"


def _is_correct(output, label, threshold):
    if isinstance(output, (list, tuple)):
        scores = [o.data for o in output]
        return scores.index(max(scores)) == label
    return (output.data > threshold) == (label > 0)


# --- checking the arguments ------------------------------------------------------------------

def _loss_function(loss, model):
    """The loss function for ``loss``; a ValueError for a sigmoid output with a logits loss."""
    loss_fn = by_name(loss, _LOSSES, "loss", "pass a loss function")
    if loss_fn is _losses.binary_cross_entropy and _outputs_probabilities(model):
        raise ValueError(
            "binary_cross_entropy takes logits, but the model's output layer applies a sigmoid: "
            "applied twice, training stalls. Change the model to output_activation='linear' "
            "(the loss applies the sigmoid itself, stably), or keep the sigmoid with loss='mse'")
    return loss_fn


def _check_optimizer(optimizer, model):
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


def _samples(X, y, where, targets="targets", finite=False):
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
    """True if ``item`` (a number, a Value, or a list of them) holds only finite numbers."""
    numbers = item if isinstance(item, (list, tuple)) else [item]
    try:
        return all(math.isfinite(n.data if isinstance(n, Value) else n) for n in numbers)
    except TypeError:  # not a number at all
        return False


def _epoch_count(epochs):
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(
            f"epochs is the number of passes over the data, an int >= 0; got {epochs!r}")
    return epochs


def _batch_size(batch_size, n):
    """The number of samples per step: all ``n`` for None, else a positive int."""
    size = n if batch_size is None else batch_size
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"batch_size is None (all samples) or a positive int, got {batch_size!r}")
    return size


def _callback_list(callbacks):
    callbacks = [callbacks] if callable(callbacks) else list(callbacks or ())
    for callback in callbacks:
        if not callable(callback):
            raise TypeError("callbacks are functions f(epoch, record), got "
                            f"{type(callback).__name__} {callback!r:.40}")
    return callbacks


def _finite_number(x, name):
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number, got {x!r:.40}")
    return float(x)


# --- checks during training ----------------------------------------------------------------------

class _Diverged(Exception):
    """A step's loss (or a parameter's gradient) is nan or inf; ``explain`` says so."""

    def __init__(self, number, parameter=None):
        super().__init__(number)
        self.number, self.parameter = number, parameter

    def explain(self, epoch, model, optimizer):
        """The FloatingPointError's message: the epoch, the number, the likely causes."""
        what = "the loss"
        if self.parameter is not None:
            names = {id(p): name for name, p in model.named_parameters()}
            what = f"the gradient of parameter {names.get(id(self.parameter), '?')!r}"
        lr = getattr(optimizer, "lr", None)
        smaller = f" (lr={lr!r}): try a smaller one, such as lr={lr / 10:g}" if lr else ""
        return (f"training stopped in epoch {epoch}: {what} is {self.number!r}. The parameters "
                f"are as they were before this step. Likely causes: a learning rate too "
                f"large{smaller}; or a NaN or inf in X or y, or one that the model or the loss "
                "makes (log of 0, exp of a large number).")


def _check_loss(loss, loss_fn):
    if not isinstance(loss, Value):
        name = getattr(loss_fn, "__name__", "the loss")
        raise TypeError(f"the loss {name} returned {type(loss).__name__} {loss!r:.40}, not a "
                        "Value: fit() needs a Value to call backward() on. Build it from the "
                        "model's outputs with Value operations")
    if not math.isfinite(loss.data):
        raise _Diverged(loss.data)


def _check_gradients(optimizer):
    for p in getattr(optimizer, "params", ()):
        if not math.isfinite(p.grad):
            raise _Diverged(p.grad, p)


# --- bookkeeping ------------------------------------------------------------------------------

def _empty_history(classify, validate):
    """``{"loss": [], ...}``: a list per number recorded each epoch."""
    keys = ["loss", "accuracy"] if classify else ["loss"]
    if validate:
        keys += ["val_" + key for key in keys]
    return {key: [] for key in keys}


def _add_record(history, record, bar):
    """Append an epoch's numbers to the history and show them on the progress bar."""
    for key, value in record.items():
        history[key].append(value)
    bar.set_postfix({key: round(value, 4) for key, value in record.items()}, refresh=False)
    bar.update()


def _batches(n, size, rng):
    """The sample indices of each step: in order, or shuffled by ``rng`` when it is given."""
    order = list(range(n))
    if rng is not None:
        rng.shuffle(order)
    return [order[start:start + size] for start in range(0, n, size)]


def _progress_bar(epochs, progress):
    """A tqdm bar over the epochs: on a terminal or in a notebook, or as ``progress`` forces."""
    from tqdm.std import TqdmWarning

    with warnings.catch_warnings():
        # Without ipywidgets, tqdm.auto warns in a notebook, then uses its text bar: fine here.
        warnings.simplefilter("ignore", TqdmWarning)
        from tqdm.auto import tqdm
    return tqdm(total=epochs, desc="training", unit="epoch",
                disable=None if progress is None else not progress)

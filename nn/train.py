"""The training loop: ``fit`` runs gradient descent and reports loss and accuracy.

One step is what the course writes as ``θ ← θ − η ∇L(θ)``: forward pass
over a batch, loss, ``zero_grad()``, ``loss.backward()``, ``optimizer.step()``.
The file reads in that order: ``fit``, one epoch, one step; then
``accuracy``; then the checks of the arguments and the bookkeeping.
"""

import random
import warnings

from autograd import no_grad

from . import losses as _losses
from .activations import by_name

_LOSSES = {
    "mse": _losses.mse_loss,
    "binary_cross_entropy": _losses.binary_cross_entropy,
    "cross_entropy": _losses.cross_entropy,
    "hinge": _losses.hinge_loss,
}


def fit(model, X, y, *, loss, optimizer, epochs, batch_size=None, progress=None,
        shuffle=True, seed=0, validation_data=None):
    """Train ``model`` on inputs ``X`` and targets ``y``; return the history.

    ``loss``: a loss function (``nn.hinge_loss``, …) or its name ("mse",
    "binary_cross_entropy", "cross_entropy", "hinge"); it is called as
    ``loss([model(x) for x in batch], targets)``. ``optimizer``: e.g.
    ``nn.SGD(model.parameters(), lr=0.1)``. ``epochs``: passes over the data.

    ``batch_size=None`` takes the whole dataset per step (full-batch
    gradient descent: one step per epoch); a number k makes mini-batches of
    k samples, reshuffled each epoch (``shuffle``, ``seed``) unless
    ``shuffle=False``.

    ``progress``: None shows a bar only on an interactive terminal or
    notebook, True always, False never.

    Returns ``{"loss": [...], "accuracy": [...]}``, one entry per epoch: the
    mean loss and the training accuracy seen during the epoch's forward
    passes (before each step, as Keras reports them). "accuracy" is there
    when the targets are class labels (all whole numbers). With
    ``validation_data=(X_val, y_val)`` the history also has "val_loss" and
    "val_accuracy", measured after each epoch.
    """
    loss_fn = _loss_function(loss)
    X, y = _samples(X, y, "fit()")
    _check_epochs(epochs)
    size = _batch_size(batch_size, len(X))
    threshold = _threshold(model) if _are_labels(y) else None
    rng = random.Random(seed) if shuffle and size < len(X) else None
    history = _empty_history(threshold is not None, validation_data is not None)
    with _progress_bar(epochs, progress) as bar:
        for _ in range(epochs):
            record = _epoch(model, X, y, loss_fn, optimizer, _batches(len(X), size, rng),
                            threshold)
            if validation_data is not None:
                record.update(_validation(model, *validation_data, loss_fn, threshold))
            for key, value in record.items():
                history[key].append(value)
            bar.set_postfix({key: round(value, 4) for key, value in record.items()}, refresh=False)
            bar.update()
    return history


def _epoch(model, X, y, loss_fn, optimizer, batches, threshold):
    """One pass over the data, one step per batch: the epoch's record (mean loss, accuracy).

    ``threshold`` is None when the targets are not class labels (no accuracy).
    """
    total_loss, correct = 0.0, 0
    for batch in batches:
        targets = [y[i] for i in batch]
        outputs, batch_loss = _step(model, [X[i] for i in batch], targets, loss_fn, optimizer)
        total_loss += batch_loss * len(batch)
        if threshold is not None:
            correct += sum(_is_correct(o, t, threshold) for o, t in zip(outputs, targets))
    record = {"loss": total_loss / len(X)}
    if threshold is not None:
        record["accuracy"] = correct / len(X)
    return record


def _step(model, inputs, targets, loss_fn, optimizer):
    """One step of gradient descent, ``θ ← θ − η ∇L(θ)``: the outputs and the loss before it."""
    outputs = [model(x) for x in inputs]  # the forward pass
    loss = loss_fn(outputs, targets)      # L(θ) on this batch
    optimizer.zero_grad()
    loss.backward()                       # ∇L(θ), by the chain rule
    optimizer.step()                      # θ ← θ − η ∇L(θ)
    return outputs, loss.data


def _validation(model, X_val, y_val, loss_fn, threshold):
    """The validation loss (and accuracy) after an epoch, measured under ``no_grad()``."""
    with no_grad():
        record = {"val_loss": loss_fn([model(x) for x in X_val], list(y_val)).data}
    if threshold is not None:
        record["val_accuracy"] = accuracy(model, X_val, y_val)
    return record


def accuracy(model, X, y, threshold=None):
    """The fraction of samples ``x`` whose predicted class is the label ``y``.

    For one output (binary classification) the prediction is class 1 when
    the output exceeds ``threshold``, else class 0 (labels 0/1 or −1/+1:
    any label > 0 is class 1). By default the threshold is 0.5 for a
    sigmoid output (a probability) and 0 otherwise (a score or logit).
    For several outputs the prediction is the index of the largest one
    (argmax), compared with an int label. Runs under ``no_grad()``.
    """
    X, y = _samples(X, y, "accuracy()", "labels")
    if threshold is None:
        threshold = _threshold(model)
    with no_grad():
        return sum(_is_correct(model(x), label, threshold) for x, label in zip(X, y)) / len(X)


# --- checking the arguments ------------------------------------------------------------------

def _samples(X, y, where, targets="targets"):
    """``X`` and ``y`` as lists of the same, non-zero length."""
    X, y = list(X), list(y)
    if len(X) != len(y):
        raise ValueError(f"{where} got {len(X)} inputs but {len(y)} {targets}")
    if not X:
        raise ValueError(f"{where} got no samples")
    return X, y


def _check_epochs(epochs):
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(
            f"epochs is the number of passes over the data, an int >= 0; got {epochs!r}")


def _batch_size(batch_size, n):
    """The number of samples per step: all ``n`` for None, else a positive int."""
    size = n if batch_size is None else batch_size
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"batch_size is None (all samples) or a positive int, got {batch_size!r}")
    return size


def _loss_function(loss):
    return by_name(loss, _LOSSES, "loss", "pass a loss function")


# --- bookkeeping ------------------------------------------------------------------------------

def _empty_history(classify, validate):
    """``{"loss": [], ...}``: a list per number recorded each epoch."""
    keys = ["loss", "accuracy"] if classify else ["loss"]
    if validate:
        keys += ["val_" + key for key in keys]
    return {key: [] for key in keys}


def _batches(n, size, rng):
    """The sample indices of each step: in order, or shuffled by ``rng`` when it is given."""
    order = list(range(n))
    if rng is not None:
        rng.shuffle(order)
    return [order[start:start + size] for start in range(0, n, size)]


def _is_correct(output, label, threshold):
    if isinstance(output, (list, tuple)):
        scores = [o.data for o in output]
        return scores.index(max(scores)) == label
    return (output.data > threshold) == (label > 0)


def _threshold(model):
    return 0.5 if getattr(model, "output_activation", None) == "sigmoid" else 0.0


def _are_labels(y):
    return all(isinstance(t, int) or (isinstance(t, float) and t.is_integer()) for t in y)


def _progress_bar(epochs, progress):
    """A tqdm bar over the epochs: on a terminal or in a notebook, or as ``progress`` forces."""
    from tqdm.std import TqdmWarning

    with warnings.catch_warnings():
        # Without ipywidgets, tqdm.auto warns in a notebook, then uses its text bar: fine here.
        warnings.simplefilter("ignore", TqdmWarning)
        from tqdm.auto import tqdm
    return tqdm(total=epochs, desc="training", unit="epoch",
                disable=None if progress is None else not progress)

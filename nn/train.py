"""The training loop: ``fit`` runs gradient descent and reports loss and accuracy.

One step is what the course writes as ``θ ← θ − η ∇L(θ)``: forward pass
over a batch, loss, ``zero_grad()``, ``loss.backward()``, ``optimizer.step()``.
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
    X, y = list(X), list(y)
    if len(X) != len(y):
        raise ValueError(f"fit() got {len(X)} inputs but {len(y)} targets")
    if not X:
        raise ValueError("fit() got no samples")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(
            f"epochs is the number of passes over the data, an int >= 0; got {epochs!r}")
    size = len(X) if batch_size is None else batch_size
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"batch_size is None (all samples) or a positive int, got {batch_size!r}")
    classify = _are_labels(y)
    history = {"loss": []}
    if classify:
        history["accuracy"] = []
    if validation_data is not None:
        history["val_loss"] = []
        if classify:
            history["val_accuracy"] = []
    threshold = _threshold(model)
    rng = random.Random(seed)
    order = list(range(len(X)))

    bar = _progress_bar(epochs, progress)
    try:
        for _ in range(epochs):
            if shuffle and size < len(X):
                rng.shuffle(order)
            total_loss, correct = 0.0, 0
            for start in range(0, len(X), size):
                batch = order[start:start + size]
                outputs = [model(X[i]) for i in batch]
                targets = [y[i] for i in batch]
                batch_loss = loss_fn(outputs, targets)
                optimizer.zero_grad()
                batch_loss.backward()
                optimizer.step()
                total_loss += batch_loss.data * len(batch)
                if classify:
                    correct += sum(_is_correct(o, t, threshold) for o, t in zip(outputs, targets))
            record = {"loss": total_loss / len(X)}
            if classify:
                record["accuracy"] = correct / len(X)
            if validation_data is not None:
                X_val, y_val = validation_data
                with no_grad():
                    record["val_loss"] = loss_fn([model(x) for x in X_val], list(y_val)).data
                if classify:
                    record["val_accuracy"] = accuracy(model, X_val, y_val)
            for key, value in record.items():
                history[key].append(value)
            bar.set_postfix({key: round(value, 4) for key, value in record.items()}, refresh=False)
            bar.update()
    finally:
        bar.close()
    return history


def accuracy(model, X, y, threshold=None):
    """The fraction of samples ``x`` whose predicted class is the label ``y``.

    For one output (binary classification) the prediction is class 1 when
    the output exceeds ``threshold``, else class 0 (labels 0/1 or −1/+1:
    any label > 0 is class 1). By default the threshold is 0.5 for a
    sigmoid output (a probability) and 0 otherwise (a score or logit).
    For several outputs the prediction is the index of the largest one
    (argmax), compared with an int label. Runs under ``no_grad()``.
    """
    X, y = list(X), list(y)
    if len(X) != len(y):
        raise ValueError(f"accuracy() got {len(X)} inputs but {len(y)} labels")
    if not X:
        raise ValueError("accuracy() got no samples")
    if threshold is None:
        threshold = _threshold(model)
    with no_grad():
        return sum(_is_correct(model(x), label, threshold) for x, label in zip(X, y)) / len(X)


# --- helpers ----------------------------------------------------------------------------

def _is_correct(output, label, threshold):
    if isinstance(output, (list, tuple)):
        scores = [o.data for o in output]
        return scores.index(max(scores)) == label
    return (output.data > threshold) == (label > 0)


def _threshold(model):
    return 0.5 if getattr(model, "output_activation", None) == "sigmoid" else 0.0


def _are_labels(y):
    return all(isinstance(t, int) or (isinstance(t, float) and t.is_integer()) for t in y)


def _loss_function(loss):
    return by_name(loss, _LOSSES, "loss", "pass a loss function")


def _progress_bar(epochs, progress):
    """A tqdm bar over the epochs: on a terminal or in a notebook, or as ``progress`` forces."""
    from tqdm.std import TqdmWarning

    with warnings.catch_warnings():
        # Without ipywidgets, tqdm.auto warns in a notebook, then uses its text bar: fine here.
        warnings.simplefilter("ignore", TqdmWarning)
        from tqdm.auto import tqdm
    return tqdm(total=epochs, desc="training", unit="epoch",
                disable=None if progress is None else not progress)

"""The training loop: ``fit`` runs gradient descent and reports loss and accuracy.

One step is what the course writes as ``θ ← θ − η ∇L(θ)``: forward pass
over a batch, loss, ``zero_grad()``, ``loss.backward()``, ``optimizer.step()``.
``fit`` is a loop over epochs; the epoch and the step are ``nn.training``'s
``Training``, which the playground steps one click at a time. Then
``accuracy``, and the bookkeeping. What fit checks, before and during
training, is in ``checks.py``; how the model's passes run, a graph per sample
or generated code (``compile=True``), in ``compiled.py``; how one output is
read as a class, in ``reading.py``; ``live=True``, in ``live.py``.
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Callable, Iterable, Sequence

from autograd import no_grad

from . import checks
from .labels import binary_class, class_index
from .module import Module
from .reading import is_correct
from .training import Training


def fit(model: Module, X: Sequence, y: Sequence, *, loss: str | Callable, optimizer: object,
        epochs: int, batch_size: int | None = None, shuffle: bool = True,
        seed: int | random.Random | None = None, validation_data: tuple | None = None,
        threshold: float | None = None, callbacks: Callable | Iterable[Callable] = (),
        progress: bool | None = None, compile: bool = False,
        live: bool = False) -> dict[str, list[float]]:
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

    ``live=True`` draws the training as it goes (``nn.live``): in Jupyter,
    the loss curves and, for 2-D inputs, the decision surface, redrawn in
    place after each epoch (at most a few times a second); in a terminal, a
    line of text now and then, with the loss so far as a sparkline. It
    needs matplotlib and NumPy in Jupyter (the ``notebooks`` extra), and
    replaces the progress bar.

    ``compile=True`` trains with the static mode (``autograd.compile``):
    the model's forward pass is traced once, before the first step, and its
    forward and backward passes run as generated Python over floats, no
    graph per sample: about 5× faster per epoch on micrograd's demo, after
    ~0.1 s of tracing (``python -m bench.fit``; how, in ``nn.compiled``). The
    loss is still computed as written, on the model's outputs, so any loss
    works, a penalty on the weights included. It needs a model whose forward
    pass is the engine's ops alone, the same graph for every input (every
    ``nn`` layer and activation is): one that decides in Python on a Value's
    number (``if v > 0``, ``max(v, 0)``, ``v.data``) is refused with a
    ``TraceError`` saying where and why, before any parameter changes; train
    that one with ``compile=False``. X must hold numbers or lists of numbers.
    The history and the final parameters equal the dynamic run's to 1e-12:
    outputs and losses come from the same arithmetic, and each gradient's
    terms are only added in another order.

    Never wrong in silence: every sample is checked before training, and
    the first bad one named: nan or inf, a number too large for a float
    (10**400), a sample of the wrong width (a ragged row), a label the loss
    does not take (a one-hot vector for cross_entropy, 2 for hinge). Inputs
    are numbers as the engine reads them, NumPy's included: booleans are 0
    and 1 in both modes. Training stops with a ``FloatingPointError`` at
    the first step whose loss or gradient is nan or inf, naming the epoch,
    before that step changes any parameter. Each step calls ``backward()``,
    so ``optimizer.step()``'s warning about gradients that are all exactly 0
    is not shown here.
    """
    epochs = checks.epoch_count(epochs)
    callbacks = checks.callback_list(callbacks)
    run = Training(model, X, y, loss=loss, optimizer=optimizer, batch_size=batch_size,
                   shuffle=shuffle, seed=seed, threshold=threshold, compile=compile,
                   validation_data=validation_data)
    view = None
    if live:
        from .live import LiveView  # matplotlib and NumPy only in Jupyter, only when asked for

        view = LiveView(model, run.X, run.y, epochs, run.validation_data)
        callbacks.insert(0, view)  # first, so it sees every epoch a callback may stop at
    history = _empty_history(model.threshold is not None, validation_data is not None)
    with _progress_bar(epochs, False if live else progress) as bar:
        for epoch in range(1, epochs + 1):
            record = run.epoch()
            _add_record(history, record, bar)
            if any(callback(epoch, record) is False for callback in callbacks):
                break
    if view is not None:
        view.finish()
    return history


def accuracy(model: Callable, X: Iterable, y: Iterable, threshold: float | None = None) -> float:
    """The fraction of samples ``x`` whose predicted class is the label ``y``.

    For one output (binary classification) the prediction is class 1 when
    the output exceeds ``threshold``, else class 0 (labels 0/1 or −1/+1:
    any label > 0 is class 1). By default the threshold is the one ``fit``
    used (``model.threshold``); for a model that ``fit`` has not trained, 0.5
    for a sigmoid output (a probability) and 0 otherwise (a score or logit).
    For several outputs the prediction is the index of the largest one
    (argmax), compared with an int label. Runs under ``no_grad()``.

    Labels follow the losses' rule (``nn.labels``): integers of any type;
    a one-hot vector is refused, naming the class index to pass instead (Keras
    would pick categorical accuracy for one-hot targets); so is a label
    that no output can predict (10 for 10 outputs, 2 for one output).
    """
    X, y = checks.samples(X, y, "accuracy()", "labels")
    if threshold is None:
        threshold = getattr(model, "threshold", None)
    if threshold is None:
        threshold = 0.5 if checks.outputs_probabilities(model) else 0.0
    with no_grad():
        outputs = [model(x) for x in X]
    for i, (output, label) in enumerate(zip(outputs, y)):
        where = f"accuracy() on y[{i}]"
        if isinstance(output, (list, tuple)):
            class_index(label, len(output), where)
        else:
            binary_class(label, where)
    return sum(is_correct(o, label, threshold) for o, label in zip(outputs, y)) / len(X)


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


def _progress_bar(epochs, progress):
    """A tqdm bar over the epochs: on a terminal or in a notebook, or as ``progress`` forces."""
    from tqdm.std import TqdmWarning

    with warnings.catch_warnings():
        # Without ipywidgets, tqdm.auto warns in a notebook, then uses its text bar: fine here.
        warnings.simplefilter("ignore", TqdmWarning)
        from tqdm.auto import tqdm
    return tqdm(total=epochs, desc="training", unit="epoch",
                disable=None if progress is None else not progress)

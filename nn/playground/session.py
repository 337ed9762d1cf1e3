"""The playground without a screen: data, model, optimizer, and the run, driven by actions.

``Session`` is what the widget's buttons call, and what a test or a notebook
drives directly: ``step()``, ``epoch()``, ``train(epochs)``, ``reset()``,
``update(lr=0.03)``, ``add_point([x1, x2], label)``. It trains with
``nn.training.Training``, the loop ``nn.fit`` runs, with the test set as
fit's ``validation_data``: the same settings, seed and data give the same
weights and the same history as ``nn.fit``.

    >>> from nn.playground import Session
    >>> session = Session()
    >>> session.train(epochs=2)
    >>> session.epochs, len(session.history["loss"]), len(session.history["val_loss"])
    (2, 2, 2)
"""

from __future__ import annotations

import copy
import random
from collections.abc import Sequence
from typing import Any

import autograd
import nn
from nn.optim import after_backward
from nn.training import Training

from . import settings as _settings
from .settings import Settings


class Session:
    """One playground: ``settings``, the data split in train and test, ``model``, ``history``.

    ``X``, ``y``: your own data (then ``settings.dataset`` is "own");
    ``features``: which two input columns the pictures show (others are held
    at their mean there). ``compile``: train and draw with the static mode
    (``autograd.compile``), the fast path; False runs the dynamic graph.
    """

    def __init__(self, settings: Settings | None = None, X: Sequence | None = None,
                 y: Sequence | None = None, features: tuple[int, int] = (0, 1),
                 compile: bool = True) -> None:
        """Check the settings, make or take the data, build the model; no step taken yet."""
        self.settings = _settings.check(copy.deepcopy(settings) if settings else Settings())
        self.compile = compile
        self.own: tuple[list, list] | None = None
        self.added: list[tuple[list[float], Any]] = []
        self.status = ""
        self.edits: list[str] = []  # changes made after training began: the export says so
        self._training: Training | None = None
        if X is not None or y is not None:
            self.use_data(X, y, features, rebuild=False)
        else:
            self.features = features
        self._make_data()
        self._build_model()

    # --- data ---------------------------------------------------------------------------------

    def use_data(self, X: Sequence | None, y: Sequence | None,
                 features: tuple[int, int] = (0, 1), rebuild: bool = True) -> None:
        """Train on your own ``(X, y)``: two or more features, ``features`` the two drawn."""
        if X is None or y is None:
            raise ValueError("use_data() needs both X (inputs) and y (targets)")
        X = [[float(c) for c in x] for x in (X.tolist() if hasattr(X, "tolist") else X)]
        y = list(y.tolist() if hasattr(y, "tolist") else y)
        width = len(X[0]) if X else 0
        if width < 2 or len(set(features)) != 2 or not all(0 <= f < width for f in features):
            raise ValueError(f"the playground draws two input features: X needs at least 2 "
                             f"columns and features two different columns of X, got {width} "
                             f"column(s) and features={features!r}")
        self.own, self.features = (X, y), (features[0], features[1])
        self.settings.dataset = "own"
        if rebuild:
            self.added = []
            self._make_data()
            self._build_model()

    def _make_data(self) -> None:
        s = self.settings
        X, y = self.own if self.own is not None else _settings.make_data(s)
        X, y = list(X), list(y)
        if s.test_fraction > 0:
            split = nn.data.train_test_split(X, y, test_size=s.test_fraction, seed=s.data_seed)
            self.X_train, self.X_test, self.y_train, self.y_test = split
        else:
            self.X_train, self.X_test, self.y_train, self.y_test = X, [], y, []
        self.means = [sum(column) / len(column) for column in zip(*self.X_train)]
        for point, label in self.added:
            self.X_train.append(point)
            self.y_train.append(label)

    def full_input(self, a: float, b: float) -> list[float]:
        """A model input with the two drawn features at ``a``, ``b``, the others at their mean."""
        x = list(self.means)
        x[self.features[0]], x[self.features[1]] = a, b
        return x

    def add_point(self, point: Sequence[float], label: Any) -> None:
        """Add a training point at ``point`` (the two drawn features) with ``label``; model kept."""
        x = self.full_input(float(point[0]), float(point[1]))
        self.added.append((x, label))
        self.X_train.append(x)
        self.y_train.append(label)
        self._training = None  # the next step starts a run on the new data
        if self.steps:
            self.edits.append(f"a point was added after {self.steps} steps")

    # --- the model and its run ------------------------------------------------------------

    def _build_model(self) -> None:
        s = self.settings
        self.model = _settings.build_model(s, len(self.X_train[0]),
                                           _settings.outputs(s, self.y_train))
        self.optimizer = _settings.build_optimizer(s, self.model)
        self.history: dict[str, list[float]] = {}
        self.epochs = self.steps = 0
        self.edits, self.status, self.diverged = [], "", False
        self.shuffles = random.Random(s.seed)  # fit(seed=s.seed)'s stream of shuffles
        self._training = None
        self._activations: Any = None

    @property
    def training(self) -> Training:
        """The run (``nn.training.Training``), made on first use and after the data changed."""
        if self._training is None:
            s = self.settings
            validation = (self.X_test, self.y_test) if self.X_test else None
            self._training = Training(
                self.model, self.X_train, self.y_train, loss=_settings.loss_name(s),
                optimizer=self.optimizer, batch_size=s.batch_size, seed=self.shuffles,
                compile=self.compile, validation_data=validation)
        return self._training

    def step(self) -> bool:
        """One step on the next batch; an epoch's record once its last step is done.

        False, and ``status`` saying why, when the step would make a loss or
        gradient nan or inf (the parameters stay as they were).
        """
        try:
            self.training.step()
        except FloatingPointError as error:
            self.status, self.diverged = str(error), True
            return False
        self.steps += 1
        if not self.training.in_epoch:
            self._end_epoch()
        return True

    def epoch(self) -> bool:
        """The steps left in this epoch (a whole epoch between epochs); False if it diverged."""
        self.training.next_batch()
        while self.training.in_epoch:
            if not self.step():
                return False
        return True

    def train(self, epochs: int = 1) -> None:
        """``epochs`` epochs, or until a step diverges."""
        for _ in range(epochs):
            if not self.epoch():
                return

    def _end_epoch(self) -> None:
        record = self.training.end_epoch()
        self.epochs += 1
        for key, value in record.items():
            self.history.setdefault(key, []).append(value)

    def reset(self) -> None:
        """Back to epoch 0: the model rebuilt from its seed, the history cleared."""
        self._build_model()

    def update(self, **changes: Any) -> str:
        """Change settings; return what it did: "data", "model" or "optimizer".

        Data settings make the data again (and the model); model settings
        (hidden, activations, task, seed) rebuild the model; the others (lr,
        l2, batch_size, optimizer) change the next steps and keep the model.
        """
        s = copy.deepcopy(self.settings)
        for name, value in changes.items():
            if not hasattr(s, name):
                raise ValueError(f"unknown playground setting {name!r}")
            setattr(s, name, value)
        if s.dataset == "own" and self.own is None:
            raise ValueError("dataset='own' needs your data first: playground.use_data(X, y)")
        _settings.check(s)
        names = set(changes)
        if names & (_settings.DATA_SETTINGS | {"task"}):
            labels = _settings.make_data(s)[1] if names & _settings.DATA_SETTINGS \
                and s.dataset != "own" else self.y_train
            names |= self._fit_task(s, labels, "task" in changes)
        self.settings = s
        status = self.status if "task" in names - set(changes) else ""
        if names & _settings.DATA_SETTINGS:
            if "dataset" in changes and changes["dataset"] != "own":
                self.own = None
                self.features = (0, 1)
            self.added = []
            self._make_data()
            self._build_model()
            self.status = status
            return "data"
        if names & _settings.MODEL_SETTINGS:
            self._build_model()
            return "model"
        self._change_steps(names)
        return "optimizer"

    def _fit_task(self, s: Settings, labels: Sequence, asked: bool) -> set[str]:
        """Two classes for "binary": more switch the task to "classes", or (asked for) refuse."""
        classes = {label for label in labels if float(label).is_integer()}
        if s.task != "binary" or classes <= {0, 1}:
            return set()
        if asked:
            raise ValueError(f"task 'binary' takes labels 0 and 1, but these data have "
                             f"{len(classes)} classes: choose task='classes' (K outputs, "
                             f"cross-entropy)")
        s.task = "classes"
        self.status = f"{len(classes)} classes: the task is now 'classes' (K outputs)"
        return {"task"}

    def _change_steps(self, names: set[str]) -> None:
        s = self.settings
        if "optimizer" in names:
            self.optimizer = _settings.build_optimizer(s, self.model)
        self.optimizer.lr, self.optimizer.weight_decay = float(s.lr), float(s.l2)
        if self._training is not None:
            self._training.optimizer = self.optimizer
            self._training.size = s.batch_size or len(self.X_train)
        if self.steps:
            self.edits.append(f"{', '.join(sorted(names))} changed after {self.steps} steps")
        self.status, self.diverged = "", False

    # --- what the views show -------------------------------------------------------------------

    def activations(self, x: Sequence[float]) -> list[float]:
        """Every neuron's activation for input ``x``, layer by layer: hidden ones, then outputs.

        The model's forward pass compiled once per model (``autograd.compile``),
        reading the parameters as they are now.
        """
        if self._activations is None:
            model = self.model

            def every_activation(x):
                out = []
                for layer in model.layers:
                    x = [neuron.forward(x) for neuron in layer.neurons]
                    out.extend(x)
                return out

            self._activations = autograd.compile(every_activation, argnums=())
        return self._activations(list(x))[0]

    def preview(self) -> list[tuple[float, float]]:
        """``(gradient, step)`` per parameter: the next step's, before it is taken.

        The gradient of the next batch's loss, and the change the optimizer
        would make to each parameter (its own ``step()``, run and undone), so
        momentum and Adam's averages count. NaNs when that step would diverge.
        """
        params, optimizer = self.model.parameters(), self.optimizer
        try:
            self.training.gradients(self.training.next_batch())
        except Exception:  # noqa: BLE001 - a diverged loss: nothing to preview
            return [(float("nan"), float("nan"))] * len(params)
        grads = [p.grad for p in params]
        before = [p.data for p in params]
        state = copy.deepcopy({k: v for k, v in vars(optimizer).items() if k != "params"})
        with after_backward(optimizer):
            optimizer.step()
        steps = [p.data - old for p, old in zip(params, before)]
        for p, old in zip(params, before):
            p.data = old
        vars(optimizer).update(state)
        return list(zip(grads, steps))

    def affine_map(self) -> tuple[list[list[float]], list[float]] | None:
        """``(A, B)`` with ``model(x) = A x + B`` when every activation is linear, else None.

        The course's recursion with α = 1, β = 0: ``A(0) = I``, ``B(0) = 0``,
        ``A(l) = W(l) A(l−1)``, ``B(l) = W(l) B(l−1) + b(l)``.
        """
        layers = self.model.layers
        if any(layer.activation != "linear" for layer in layers):
            return None
        nin = layers[0].nin
        A = [[float(i == j) for j in range(nin)] for i in range(nin)]
        B = [0.0] * nin
        for layer in layers:
            W = [[w.data for w in neuron.w] for neuron in layer.neurons]
            A = [[sum(row[k] * A[k][j] for k in range(len(A))) for j in range(nin)] for row in W]
            B = [sum(row[k] * B[k] for k in range(len(B))) + neuron.b.data
                 for row, neuron in zip(W, layer.neurons)]
        return A, B

    def dead_neurons(self) -> list[tuple[int, int]]:
        """``(layer, index)`` of every hidden ReLU that is 0 on every training point: dead.

        Its gradient is 0 on every sample, so no step will ever revive it.
        """
        hidden = self.settings.hidden
        values = [self.activations(x) for x in self.X_train]
        dead, start = [], 0
        for layer, (width, name) in enumerate(zip(hidden, self.settings.activations), start=1):
            if name == "relu":
                dead += [(layer, j) for j in range(width)
                         if all(row[start + j] == 0.0 for row in values)]
            start += width
        return dead

"""One training run, step by step: what ``fit`` does, for a loop that stops between steps.

``fit`` is a loop over ``Training.epoch()``; the playground (``nn.playground``)
calls ``step()`` and ``epoch()`` one click at a time. Both go through the same
code, so a run in the playground and ``nn.fit`` with the same seed, data,
optimizer and batch size make the same steps, number for number::

    >>> import nn
    >>> X, y = nn.data.make_moons(20)
    >>> model = nn.MLP(2, [4, 1], seed=0)
    >>> run = Training(model, X, y, loss="hinge",
    ...                optimizer=nn.SGD(model.parameters(), lr=0.1), batch_size=5, seed=0)
    >>> batch = run.next_batch()    # the indices of the 5 samples the next step will use
    >>> len(batch), run.in_epoch    # and 4 steps in this epoch of 20 samples
    (5, 4)
    >>> loss = run.step()           # one step on them: θ ← θ − η ∇L(θ)
    >>> record = run.epoch()        # the three other steps of epoch 1
    >>> run.epochs_done, sorted(record)
    (1, ['accuracy', 'loss'])

An epoch's batches are drawn when its first step is taken (or looked at with
``next_batch``): with ``seed`` an int, the same stream as ``fit(seed=...)``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

from autograd import no_grad

from . import checks
from .activations import make_rng
from .compiled import CompiledPasses, DynamicPasses
from .module import Module
from .optim import after_backward
from .reading import class_threshold, is_correct


class Training:
    """A model, its data, its loss and optimizer, and where the run stands.

    Arguments as for ``nn.fit`` (which checks them the same way, here): the
    samples and labels are checked before anything changes, the model is
    traced now when ``compile=True``. ``epochs_done`` counts finished epochs,
    ``steps_done`` every step taken.
    """

    def __init__(self, model: Module, X: Sequence, y: Sequence, *, loss: str | Callable,
                 optimizer: Any, batch_size: int | None = None, shuffle: bool = True,
                 seed: int | random.Random | None = None, threshold: float | None = None,
                 compile: bool = False, validation_data: tuple | None = None) -> None:
        """Check everything, set ``model.threshold``; no step is taken yet."""
        self.loss_fn = checks.loss_function(loss, model)
        checks.optimizer(optimizer, model)
        nin = getattr(model, "nin", None)
        nin = nin if isinstance(nin, int) and not isinstance(nin, bool) else None
        X, y = checks.training_data(X, y, "fit()", nin)
        checks.labels(self.loss_fn, y, model)
        if validation_data is not None:
            validation_data = checks.training_data(validation_data[0], validation_data[1],
                                                   "fit() validation_data", nin)
            checks.labels(self.loss_fn, validation_data[1], model, "fit() validation_data")
        self.size = checks.batch_size_of(batch_size, len(X))
        self.model, self.optimizer, self.y = model, optimizer, y
        model.threshold = class_threshold(model, y, self.loss_fn, threshold)
        self.passes = CompiledPasses(model, X) if compile else DynamicPasses(model)
        self.X = self.passes.inputs(X)
        self.validation_data = None if validation_data is None else (
            self.passes.inputs(validation_data[0]), validation_data[1])
        self.rng = make_rng(seed) if shuffle and self.size < len(X) else None
        self.epochs_done = self.steps_done = 0
        self._batches: list[list[int]] = []  # the steps left in the current epoch
        self._total_loss, self._correct = 0.0, 0

    def next_batch(self) -> list[int]:
        """The sample indices of the next step (drawing the next epoch's batches if needed)."""
        if not self._batches:
            self._batches = _batches(len(self.X), self.size, self.rng)
        return self._batches[0]

    def step(self) -> float:
        """One step of gradient descent on the next batch; return the batch's loss before it.

        A loss or gradient that is nan or inf raises FloatingPointError naming
        the epoch, before this step changes any parameter.
        """
        batch = self.next_batch()
        targets = [self.y[i] for i in batch]
        try:
            with after_backward(self.optimizer):
                outputs, loss = self.gradients(batch)
                checks.gradients(self.optimizer)  # finite: one nan would spoil every parameter
                self.optimizer.step()             # θ ← θ − η ∇L(θ)
        except checks.Diverged as problem:
            raise FloatingPointError(
                problem.explain(self.epochs_done + 1, self.model, self.optimizer)) from None
        self._batches.pop(0)
        self.steps_done += 1
        self._total_loss += loss * len(batch)
        if self.model.threshold is not None:
            self._correct += sum(is_correct(o, t, self.model.threshold)
                                 for o, t in zip(outputs, targets))
        return loss

    def gradients(self, batch: Sequence[int]) -> tuple[list, float]:
        """``∇L(θ)`` on ``batch`` into every parameter's ``grad``: ``(outputs, loss)``, no step.

        The forward pass, the loss, ``zero_grad()``, ``loss.backward()`` (and
        the compiled backward pass): everything of a step but the update.
        """
        inputs = [self.X[i] for i in batch]
        outputs = self.passes.forward(inputs)                  # the forward pass
        loss = self.loss_fn(outputs, [self.y[i] for i in batch])  # L(θ) on this batch
        checks.loss_value(loss, self.loss_fn)                  # a Value holding a finite number
        self.optimizer.zero_grad()
        loss.backward()                                        # ∇L(θ), by the chain rule
        self.passes.backward(inputs, outputs)                  # compiled: on through the model
        return outputs, loss.data

    def epoch(self) -> dict[str, float]:
        """The steps left in this epoch; its record: mean loss (and accuracy) seen in its steps."""
        self.next_batch()
        while self._batches:
            self.step()
        return self.end_epoch()

    def end_epoch(self) -> dict[str, float]:
        """Close the epoch whose last step was just taken: its record (and validation)."""
        record = {"loss": self._total_loss / len(self.X)}
        if self.model.threshold is not None:
            record["accuracy"] = self._correct / len(self.X)
        self._total_loss, self._correct = 0.0, 0
        self.epochs_done += 1
        if self.validation_data is not None:
            record.update(self.evaluate(*self.validation_data, prefix="val_"))
        return record

    def position(self) -> dict[str, Any]:
        """Where the run stands inside an epoch, as JSON-able data: ``resume`` takes it back.

        The batches still to come (drawn already, so the shuffling stream has
        moved past them) and the epoch's running sums.
        """
        return {"batches": [list(batch) for batch in self._batches],
                "total_loss": self._total_loss, "correct": self._correct}

    def resume(self, position: dict[str, Any]) -> None:
        """Continue from ``position()``'s data: the same steps come next."""
        self._batches = [list(batch) for batch in position["batches"]]
        self._total_loss, self._correct = position["total_loss"], position["correct"]

    @property
    def in_epoch(self) -> int:
        """How many steps of the current epoch are still to come (0 between epochs)."""
        return len(self._batches)

    def evaluate(self, X: Sequence, y: Sequence, prefix: str = "") -> dict[str, float]:
        """The loss (and accuracy) of the model on ``X``, ``y`` now, under ``no_grad()``.

        ``X`` as this run takes it (``passes.inputs``): the loss is the loss
        function's over the whole set, as fit's validation reports it.
        """
        with no_grad():
            outputs = self.passes.forward(X)
            record = {prefix + "loss": self.loss_fn(outputs, list(y)).data}
        if self.model.threshold is not None:
            threshold = self.model.threshold
            correct = sum(is_correct(o, label, threshold) for o, label in zip(outputs, y))
            record[prefix + "accuracy"] = correct / len(X)
        return record


def _batches(n: int, size: int, rng: Any) -> list[list[int]]:
    """The sample indices of each step: in order, or shuffled by ``rng`` when it is given."""
    order = list(range(n))
    if rng is not None:
        rng.shuffle(order)
    return [order[start:start + size] for start in range(0, n, size)]

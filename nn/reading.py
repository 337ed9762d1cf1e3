"""Reading one output as a class: where a single output splits the classes, and a right guess.

Shared by ``fit`` (``nn.training``) and ``accuracy`` (``nn.train``).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

from . import checks
from . import losses as _losses
from .labels import is_class_label


def class_threshold(model: Any, y: Sequence, loss_fn: Callable,
                    threshold: float | None) -> float | None:
    """Where one output splits class 0 from class 1; None when the targets are not labels.

    A sigmoid output is a probability: 0.5. A loss that fits the labels
    themselves (mse) splits halfway between them: 0.5 for labels 0/1, 0 for
    −1/+1. The classification losses take scores or logits: 0, their sign.
    """
    if threshold is not None:
        return checks.finite_number(threshold, "threshold")
    if not all(is_class_label(t) for t in y):
        return None  # regression targets: no accuracy
    if checks.outputs_probabilities(model):
        return 0.5
    if loss_fn is _losses.mse_loss:
        return 0.5 if min(y) >= 0 else 0.0
    own_loss = loss_fn not in checks.LOSSES.values()
    if own_loss and set(y) <= {0, 1} and getattr(model, "nout", 1) == 1:
        warnings.warn("fit() cannot tell from a loss function of your own whether the model's "
                      "output is a score (class 1 above 0) or fits the labels 0/1 (class 1 "
                      "above 0.5); the accuracy uses 0: pass threshold= to say which",
                      stacklevel=4)  # fit -> Training -> here: the warning names fit's caller
    return 0.0


def is_correct(output: Any, label: Any, threshold: float) -> bool:
    """Whether ``output`` predicts ``label``: argmax of several outputs, or one above threshold."""
    if isinstance(output, (list, tuple)):
        scores = [o.data for o in output]
        return scores.index(max(scores)) == label
    return (output.data > threshold) == (label > 0)

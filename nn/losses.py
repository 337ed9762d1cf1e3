"""Losses: functions of Values that measure how wrong a prediction is.

Every loss takes one prediction and its target, or a list of predictions
and a list of targets, and makes one term ``lₙ`` per sample (per output, for
mse). ``reduction`` says how the terms become the loss, as PyTorch's
``reduction=`` does: ``"mean"`` (the default) ``L = (1/N) Σₙ lₙ``, ``"sum"``
``L = Σₙ lₙ``. The course's logistic loss is a sum: its gradient is N times
the mean's, so a step η on the sum is ``lr = N·η`` on the mean. PyTorch's
``"none"`` (the terms themselves) is not offered: a loss here is one Value
to call ``backward()`` on; ``[loss(p, t) for p, t in zip(preds, targets)]``
gives the terms.

A loss is drawn as its formula: a node per term (a square, a softplus, a
relu), one Σ node over the terms, and for the mean a ``/ N`` node.

The classification losses take *logits* or *scores*: the raw outputs of a
linear last layer, before any sigmoid or softmax; probabilities given
instead are warned about (the squashing would be applied twice).

Labels follow one rule in every loss, in ``nn.accuracy`` and in ``nn.fit``
(``nn/labels.py``): a class label is an integer of any type (NumPy's int64
included), a one-hot vector is refused with the index to pass instead.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from numbers import Real
from typing import Any

import autograd
from autograd import Value

from .labels import (
    binary_label,
    class_index,
    hinge_label,
    one_hot_index,
    one_hot_message,
    plain,
    single_output_message,
)

# What the losses take, named for the reader: one output or target (a Value or a number), or
# one sample's outputs or a batch's (lists of them). The losses sort these out at run time, so
# for the type checker they are Any: a union would have to be narrowed at every line.
Scalar = Any
Outputs = Any
REDUCTIONS = ("mean", "sum")


def softmax(logits: Scalar | Sequence[Scalar]) -> list[Value]:
    """``softmax(z)ᵢ = e^(zᵢ - m) / Σⱼ e^(zⱼ - m)`` with m = max z: a list of Values summing to 1.

    Subtracting the largest logit changes nothing mathematically and keeps
    every exponent ≤ 0, so logits of ±1000 give no overflow and no nan.
    Its output is a probability: give the losses the logits themselves.
    """
    logits = _values(logits, "softmax()")
    m = max(z.data for z in logits)
    exps = [(z - m).exp() for z in logits]
    total = autograd.sum(exps)
    return [e / total for e in exps]


def mse_loss(preds: Outputs, targets: Outputs, *, reduction: str = "mean") -> Value:
    """Mean squared error ``L = (1/N) Σₙ (f(xₙ) − yₙ)²``;  ∂L/∂f(xₙ) = (2/N)(f(xₙ) − yₙ).

    ``preds`` and ``targets``: two numbers/Values, or two lists of the same
    length (of numbers/Values, or of lists for several outputs: every output
    counts as one term). ``reduction="sum"``: ``L = Σₙ (f(xₙ) − yₙ)²``.
    Drawn as written: a square per term, one Σ, then ``/ N``.
    """
    _check_reduction(reduction, "mse_loss()")
    preds, targets = _flat(preds, "preds"), _flat(targets, "targets")
    if len(preds) != len(targets):
        raise ValueError(f"mse_loss() got {len(preds)} predictions but {len(targets)} targets")
    return _reduce([(p - y) ** 2 for p, y in zip(preds, targets)], reduction)


def binary_cross_entropy(logits: Outputs, labels: Scalar | Sequence[Scalar], *,
                         reduction: str = "mean") -> Value:
    """Logistic-regression loss from logits: ``l = log(1 + e^z) − y z = −log σ(±z)``.

    For a logit z (the score w·x + b, before the sigmoid) and a label y ∈ {0, 1},
    ``l = −y log σ(z) − (1 − y) log(1 − σ(z))``; with labels y ∈ {−1, +1}
    (the course's convention, −1 is read as 0) this is ``l = −log σ(y z)``.
    Labels between 0 and 1 are soft targets. ``∂l/∂z = σ(z) − y``.
    Batched: lists of logits and labels; ``reduction="sum"`` gives the
    course's ``L = −Σₙ log σ(yₙ zₙ)``.

    One stable expression per sample, ``z.softplus() − y z``: the engine's
    softplus is ``max(z, 0) + log1p(e^(−|z|))``, which never takes exp of a
    large positive number or log of 0, and its derivative is σ(z) exactly.
    (PyTorch's ``binary_cross_entropy_with_logits``; Keras's
    ``binary_crossentropy`` takes probabilities unless ``from_logits=True``.)

    Fed the output of a sigmoid (a probability, not a logit), it warns: the
    sigmoid would be applied twice and training would stall. ``fit`` refuses
    that pair outright.
    """
    _check_reduction(reduction, "binary_cross_entropy()")
    logits, labels = _pairs(logits, labels, "binary_cross_entropy()")
    if any(z.op == "sigmoid" for z in logits):
        warnings.warn("binary_cross_entropy() takes logits (the scores before any sigmoid), but "
                      "got the output of a sigmoid: the sigmoid is applied twice and training "
                      "stalls. Give the model a linear output (output_activation='linear'); "
                      "the loss applies the sigmoid itself", stacklevel=2)
    terms = []
    for z, label in zip(logits, labels):
        y = binary_label(label)
        terms.append(z.softplus() - y * z if y else z.softplus())
    return _reduce(terms, reduction)


def cross_entropy(logits: Outputs, label: object, *, reduction: str = "mean") -> Value:
    """Softmax then negative log-likelihood: ``l = −log softmax(z)_y = log Σⱼ e^(zⱼ) − z_y``.

    ``logits``: the K ≥ 2 scores z of one sample; ``label``: its class, an
    integer in 0…K−1 (any integer type, see the module docstring). The
    log-sum-exp is one node, ``autograd.logsumexp(z)``, taken as
    ``m + log Σⱼ e^(zⱼ − m)``, m = max z, so logits of ±1000 are fine. The
    gradient is exactly ``∂l/∂z = softmax(z) − e(y)``, e(y) the one-hot
    vector of the label. Batched: a list of logit lists and a list of
    labels, reduced by ``reduction``.

    Refused, where PyTorch would differ: a one-hot vector as the label
    (PyTorch reads a float vector as class probabilities; here the class
    index is asked for, as Keras's sparse_categorical_crossentropy does) and
    a single logit per sample (softmax of one number is 1: the loss is 0
    whatever the model does; use ``binary_cross_entropy`` or 2 outputs).
    Given probabilities (every sample's outputs computed, in (0, 1), summing
    to 1: the output of ``nn.softmax`` or of a model ending in a softmax) it
    warns, as ``binary_cross_entropy`` warns on a sigmoid: the softmax would
    be applied twice and training would stall.
    """
    _check_reduction(reduction, "cross_entropy()")
    label = plain(label)
    if not isinstance(label, (list, tuple)):  # one sample
        logits = _values(logits, "cross_entropy()")
        _warn_if_probabilities([logits])
        return _cross_entropy_one(logits, label)
    rows = list(logits)
    if rows and not isinstance(rows[0], (list, tuple)):  # one list of logits, a list of labels
        raise _flat_logits_error(rows, label)
    if len(rows) != len(label):
        raise ValueError(f"cross_entropy() got {len(rows)} logit lists but {len(label)} labels")
    if not rows:
        raise ValueError("cross_entropy() got an empty batch")
    rows = [_values(z, "cross_entropy()") for z in rows]
    _warn_if_probabilities(rows)
    return _reduce([_cross_entropy_one(z, y) for z, y in zip(rows, label)], reduction)


def hinge_loss(scores: Outputs, labels: Scalar | Sequence[Scalar], *,
               reduction: str = "mean") -> Value:
    """Max-margin (SVM) loss ``l = max(0, 1 − y s)`` for a score s and a label y ∈ {−1, +1}.

    Zero once the sample is on the right side of the boundary with margin
    1; ``∂l/∂s = −y`` while ``y s < 1``, else 0. Labels 0 are read as −1,
    so {0, 1} labels work too. Batched: lists, reduced by ``reduction``
    (micrograd's demo loss is the mean, without its L2 term: use the
    optimizer's ``weight_decay``).
    """
    _check_reduction(reduction, "hinge_loss()")
    scores, labels = _pairs(scores, labels, "hinge_loss()")
    terms = [(1.0 - s).relu() if hinge_label(y) == 1 else (1.0 + s).relu()
             for s, y in zip(scores, labels)]
    return _reduce(terms, reduction)


# --- helpers ------------------------------------------------------------------------------

def _cross_entropy_one(logits, label):
    y = class_index(label, len(logits), "cross_entropy()")
    return autograd.logsumexp(logits) - logits[y]


def _flat_logits_error(logits, labels):
    """The error for one list of logits with a list of labels: a one-hot label, or 1 output."""
    index = one_hot_index(labels)
    if index is not None and len(labels) == len(logits):
        return ValueError(
            one_hot_message(labels, index, "cross_entropy()") + f". (If these are "
            f"{len(logits)} samples of a model with 1 output, cross_entropy cannot train it: "
            "use binary_cross_entropy, or give the model 2 outputs)")
    if len(labels) == len(logits):
        return ValueError(single_output_message("cross_entropy()"))
    return TypeError(f"cross_entropy() takes one sample's logits and its class index, or a list "
                     f"of logit lists and a list of class indices; got one list of "
                     f"{len(logits)} logits and {len(labels)} labels")


def _warn_if_probabilities(rows):
    """Warn when every sample's outputs look like a softmax's: computed, in (0, 1), summing to 1.

    Leaves (numbers typed in, or a compiled forward pass's outputs) are not
    judged: [0.2, 0.8] typed by hand to try the loss is a fine pair of logits.
    """
    for row in rows:
        numbers = [z.data for z in row]
        if len(numbers) < 2 or all(z.is_leaf for z in row) \
                or not all(0.0 < p < 1.0 for p in numbers) or abs(math.fsum(numbers) - 1.0) > 1e-9:
            return
    warnings.warn("cross_entropy() takes logits (the scores before any softmax), but every "
                  "sample's outputs are between 0 and 1 and sum to 1: probabilities, such as the "
                  "output of nn.softmax. The softmax is applied twice and training stalls. Give "
                  "the model linear outputs (output_activation='linear'); the loss applies the "
                  "softmax itself", stacklevel=3)


def _check_reduction(reduction, where):
    if isinstance(reduction, str) and reduction in REDUCTIONS:
        return
    hint = (": 'none' (PyTorch's terms, one per sample) is not offered, as a loss here is one "
            "Value; [loss(p, t) for p, t in zip(preds, targets)] gives the terms"
            if reduction == "none" else "")
    raise ValueError(f"{where} takes reduction='mean' (the default, L = (1/N) Σ lₙ) or "
                     f"reduction='sum' (L = Σ lₙ), got {reduction!r:.40}{hint}")


def _reduce(terms, reduction):
    """The loss from its terms: one Σ node over them, then ``/ N`` for the mean."""
    if len(terms) == 1:
        total = terms[0]  # one term: it is its own sum and mean, no node for either
    else:
        total = autograd.sum(terms)
        if reduction == "mean":
            total = total / len(terms)
    return total if isinstance(total, Value) else Value(total)


def _values(xs, where):
    xs = plain(xs)
    xs = list(xs) if isinstance(xs, (list, tuple)) else [xs]
    if not xs:
        raise ValueError(f"{where} needs at least one logit")
    return [x if isinstance(x, Value) else Value(x) for x in xs]


def _pairs(outputs, labels, where):
    """(list of Values, list of labels) from one output and label, or two lists."""
    outputs, labels = plain(outputs), plain(labels)
    _check_one_output_per_sample(outputs, labels, where)
    if isinstance(outputs, (list, tuple)) != isinstance(labels, (list, tuple)):
        hint = (f"; got {len(outputs)} outputs and one label (for a model with {len(outputs)} "
                "outputs, use loss='cross_entropy')" if isinstance(outputs, (list, tuple)) else "")
        raise TypeError(f"{where} takes one output and one label, or a list of each{hint}")
    outputs, labels = _values(outputs, where), _flat(labels, "labels")
    if len(outputs) != len(labels):
        raise ValueError(f"{where} got {len(outputs)} outputs but {len(labels)} labels")
    for x in labels:
        if isinstance(x, Value):
            raise TypeError(f"{where} takes labels as plain numbers, got a Value")
    return outputs, labels


def _check_one_output_per_sample(outputs, labels, where):
    """A ValueError when the outputs come from a model with several outputs per sample."""
    if not isinstance(outputs, (list, tuple)) or not isinstance(labels, (list, tuple)):
        return
    rows = [o for o in outputs if isinstance(o, (list, tuple))]
    width = len(rows[0]) if rows else 1
    if width > 1:
        raise ValueError(
            f"{where} takes one score per sample (a model with 1 output), got {width} outputs per "
            f"sample: for {width} classes use loss='cross_entropy' (labels 0..{width - 1}) on "
            f"the {width} outputs, or build the model with 1 output")


def _flat(xs, name):
    """``xs`` (one number or Value, a list of them, or a list of rows) as one flat list."""
    xs = plain(xs)
    if not isinstance(xs, (list, tuple)):
        xs = [xs]
    flat = []
    for x in xs:
        if type(x) is not Value and type(x) is not float:  # (the usual items skip the call)
            x = plain(x)
        if isinstance(x, (list, tuple)):
            flat.extend(x)
        else:
            flat.append(x)
    for x in flat:
        if type(x) is not float and not isinstance(x, (Value, Real)):
            raise TypeError(f"{name} must be numbers or Values, got {type(x).__name__} {x!r:.40}")
    if not flat:
        raise ValueError(f"got no {name}: a loss needs at least one")
    return flat

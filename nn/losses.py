"""Losses: functions of Values that measure how wrong a prediction is.

Every loss takes one prediction and its target, or a list of predictions
and a list of targets; the batched form returns the average over the list,
``L = (1/N) Σₙ lₙ`` (PyTorch's ``reduction="mean"``). The classification
losses take *logits* or *scores*: the raw outputs of a linear last layer,
before any sigmoid or softmax.
"""

import warnings
from numbers import Integral, Real

import autograd
from autograd import Value


def softmax(logits):
    """``softmax(z)ᵢ = e^(zᵢ - m) / Σⱼ e^(zⱼ - m)`` with m = max z: a list of Values summing to 1.

    Subtracting the largest logit changes nothing mathematically and keeps
    every exponent ≤ 0, so logits of ±1000 give no overflow and no nan.
    """
    logits = _values(logits, "softmax()")
    m = max(z.data for z in logits)
    exps = [(z - m).exp() for z in logits]
    total = autograd.sum(exps)
    return [e / total for e in exps]


def mse_loss(preds, targets):
    """Mean squared error ``L = (1/N) Σₙ (f(xₙ) − yₙ)²``;  ∂L/∂f(xₙ) = (2/N)(f(xₙ) − yₙ).

    ``preds`` and ``targets``: two numbers/Values, or two lists of the same
    length (of numbers/Values, or of lists for several outputs: every output
    counts as one term of the mean).
    """
    preds, targets = _flat(preds, "preds"), _flat(targets, "targets")
    if len(preds) != len(targets):
        raise ValueError(f"mse_loss() got {len(preds)} predictions but {len(targets)} targets")
    errors = [p - y for p, y in zip(preds, targets)]
    return autograd.dot(errors, errors) * (1.0 / len(errors))  # Σ e² as one node


def binary_cross_entropy(logits, labels):
    """Logistic-regression loss from logits: ``l = log(1 + e^z) − y z = −log σ(±z)``.

    For a logit z (the score w·x + b, before the sigmoid) and a label y ∈ {0, 1},
    ``l = −y log σ(z) − (1 − y) log(1 − σ(z))``; with labels y ∈ {−1, +1}
    (the course's convention, −1 is read as 0) this is ``l = −log σ(y z)``.
    Labels between 0 and 1 are soft targets. ``∂l/∂z = σ(z) − y``.

    One stable expression per sample, ``z.softplus() − y z``: the engine's
    softplus is ``max(z, 0) + log1p(e^(−|z|))``, which never takes exp of a
    large positive number or log of 0, and its derivative is σ(z) exactly.
    Batched: lists of logits and labels, averaged.

    Fed the output of a sigmoid (a probability, not a logit), it warns: the
    sigmoid would be applied twice and training would stall. ``fit`` refuses
    that pair outright.
    """
    logits, labels = _pairs(logits, labels, "binary_cross_entropy()")
    if any(z.op == "sigmoid" for z in logits):
        warnings.warn("binary_cross_entropy() takes logits (the scores before any sigmoid), but "
                      "got the output of a sigmoid: the sigmoid is applied twice and training "
                      "stalls. Give the model a linear output (output_activation='linear'); "
                      "the loss applies the sigmoid itself", stacklevel=2)
    terms = []
    for z, y in zip(logits, labels):
        y = 0.0 if y == -1 else y
        if not 0 <= y <= 1:
            raise ValueError(f"binary_cross_entropy() labels are 0 or 1 (or -1 for 0), got {y!r}")
        terms.append(z.softplus() - y * z if y else z.softplus())
    return _mean(terms)


def cross_entropy(logits, label):
    """Softmax then negative log-likelihood: ``l = −log softmax(z)_y = log Σⱼ e^(zⱼ) − z_y``.

    ``logits``: the K scores z of one sample; ``label``: its class, an int
    in 0…K−1. The log-sum-exp is one node, ``autograd.logsumexp(z)``, taken
    as ``m + log Σⱼ e^(zⱼ − m)``, m = max z, so logits of ±1000 are fine. The
    gradient is exactly
    ``∂l/∂z = softmax(z) − e(y)``, e(y) the one-hot vector of the label.
    Batched: a list of logit lists and a list of labels, averaged.
    """
    if isinstance(label, (list, tuple)):
        logits = list(logits)
        if len(logits) != len(label):
            raise ValueError(
                f"cross_entropy() got {len(logits)} logit lists but {len(label)} labels")
        if not logits:
            raise ValueError("cross_entropy() got an empty batch")
        return _mean([_cross_entropy_one(z, y) for z, y in zip(logits, label)])
    return _cross_entropy_one(logits, label)


def hinge_loss(scores, labels):
    """Max-margin (SVM) loss ``l = max(0, 1 − y s)`` for a score s and a label y ∈ {−1, +1}.

    Zero once the sample is on the right side of the boundary with margin
    1; ``∂l/∂s = −y`` while ``y s < 1``, else 0. Labels 0 are read as −1,
    so {0, 1} labels work too. Batched: lists, averaged (micrograd's demo
    loss, without its L2 term: use the optimizer's ``weight_decay``).
    """
    scores, labels = _pairs(scores, labels, "hinge_loss()")
    terms = []
    for s, y in zip(scores, labels):
        if y not in (-1, 0, 1):
            raise ValueError(f"hinge_loss() labels are -1 or +1 (or 0 for -1), got {y!r}")
        terms.append((1.0 - s).relu() if y == 1 else (1.0 + s).relu())
    return _mean(terms)


# --- helpers ------------------------------------------------------------------------------

def _cross_entropy_one(logits, label):
    logits = _values(logits, "cross_entropy()")
    k = len(logits)
    if isinstance(label, bool) or not (isinstance(label, Integral) or
                                       (isinstance(label, float) and label.is_integer())):
        raise TypeError(f"cross_entropy() takes a class index as the label, an int in 0..{k - 1}, "
                        f"got {type(label).__name__} {label!r:.40}")
    if not 0 <= label < k:
        raise ValueError(
            f"label {label!r} is not a class of {k} logits: expected an int in 0..{k - 1}")
    return autograd.logsumexp(logits) - logits[int(label)]


def _values(xs, where):
    xs = list(xs) if isinstance(xs, (list, tuple)) else [xs]
    if not xs:
        raise ValueError(f"{where} needs at least one logit")
    return [x if isinstance(x, Value) else Value(x) for x in xs]


def _pairs(outputs, labels, where):
    """(list of Values, list of labels) from one output and label, or two lists."""
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
    if not isinstance(xs, (list, tuple)):
        xs = [xs]
    flat = []
    for x in xs:
        if isinstance(x, (list, tuple)):
            flat.extend(x)
        else:
            flat.append(x)
    for x in flat:
        if not isinstance(x, (Value, Real)):
            raise TypeError(f"{name} must be numbers or Values, got {type(x).__name__} {x!r:.40}")
    if not flat:
        raise ValueError(f"got no {name}: a loss needs at least one")
    return flat


def _mean(terms):
    return autograd.sum(terms) * (1.0 / len(terms))

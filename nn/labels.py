"""Labels: one rule for every loss, for ``nn.accuracy`` and for ``nn.fit``.

A class label is an integer of any type (``int``, NumPy's ``int64``, …) or
a float holding a whole number (2.0, as arrays of labels often hold); NumPy
arrays and numbers are read as the Python numbers they hold (``plain``). A
one-hot vector is refused, naming the class index to pass instead:
``cross_entropy`` is Keras's ``sparse_categorical_crossentropy`` (from
logits), not its ``categorical_crossentropy``, and ``accuracy`` compares
indices. The binary losses read their two conventions, 0/1 and −1/+1.

Where PyTorch differs: it reads a float vector given to ``cross_entropy``
as class probabilities; here that is almost always a one-hot vector typed
by mistake, so the index is asked for. Like PyTorch, a bool is no class index.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from autograd import Value

_PLAIN = frozenset({int, float, bool, list, tuple, Value})  # types plain() gives back as they are


def plain(x: Any) -> Any:
    """A NumPy array or number (or an ``array.array``) as the Python list or number it holds."""
    if type(x) in _PLAIN:  # the usual case, first: a loss calls this once per label
        return x
    return x.tolist() if hasattr(x, "tolist") and not isinstance(x, Value) else x


def is_class_label(label: Any) -> bool:
    """True when ``label`` can name a class: an integer of any type, or a float holding one."""
    label = plain(label)
    if isinstance(label, Integral):
        return True
    return isinstance(label, Real) and float(label).is_integer()


def class_index(label: Any, classes: int | None, where: str) -> int:
    """``label`` as a class index in 0 … classes − 1 (``classes`` None: not known yet).

    A one-hot vector, a model with one output (``classes`` 1) or a label out
    of range is a ValueError that says what to pass instead; a label that is
    not an integer (a bool included) is a TypeError.
    """
    if type(label) is int and classes is not None and 1 < classes and 0 <= label < classes:
        return label  # the usual case, without the checks below
    label = plain(label)
    index = one_hot_index(label)
    if index is not None:
        raise ValueError(one_hot_message(label, index, where))
    check_classes(classes, where)
    span = "" if classes is None else f" in 0..{classes - 1}"
    if isinstance(label, bool) or not is_class_label(label):
        raise TypeError(f"{where} takes a class index as the label, an int{span}, got "
                        f"{type(label).__name__} {label!r:.40}")
    if label < 0 or (classes is not None and label >= classes):
        raise ValueError(f"{where}: label {label!r} is not a class of {classes} logits: expected "
                         f"an int{span} (the first class is 0)")
    return int(label)


def binary_class(label: Any, where: str) -> int:
    """The class, 0 or 1, of a label of a model with one output: 0/1, or −1/+1 (−1 is 0).

    Any other number is refused: with one output, labels 1 and 2 would both
    read as class 1.
    """
    label = plain(label)
    index = one_hot_index(label)
    if index is not None:
        raise ValueError(one_hot_message(label, index, where))
    if is_class_label(label) and label in (-1, 0, 1):
        return 1 if label == 1 else 0
    raise ValueError(f"{where}: a model with 1 output reads labels 0/1 or -1/+1, got "
                     f"{label!r:.40}; for more classes, give the model one output per class "
                     "and use loss='cross_entropy'")


def check_classes(classes: int | None, where: str) -> None:
    """A ValueError for one logit per sample: its softmax is always 1, the loss always 0."""
    if classes == 1:
        raise ValueError(single_output_message(where))


def single_output_message(where: str) -> str:
    """Why cross-entropy cannot train a model with one output, and the two ways out."""
    return (f"{where} got 1 logit per sample (a model with 1 output): the softmax of one logit "
            "is always 1, so cross_entropy is always 0 and nothing trains. For two classes, "
            "use nn.binary_cross_entropy on the one output (labels 0/1), or give the model "
            "2 outputs (nn.MLP(nin, [..., 2])) and keep cross_entropy")


def one_hot_index(label: Any) -> int | None:
    """The position of the 1 when ``label`` is a one-hot vector (0s and a single 1), else None."""
    label = plain(label)
    if not isinstance(label, (list, tuple)) or len(label) < 2:
        return None
    if not all(isinstance(v, Real) and v in (0, 1) for v in label):
        return None
    return label.index(1) if sum(v == 1 for v in label) == 1 else None


def one_hot_message(label: Any, index: int, where: str) -> str:
    """The message for a one-hot vector given where a class index is expected."""
    return (f"{where} got the one-hot vector {label!r:.60} as a label: pass the class index "
            f"instead ({index} here). Convert all the labels with "
            "y = [row.index(1) for row in y] (NumPy: y.argmax(axis=1))")


def binary_label(label: Any, where: str = "binary_cross_entropy()") -> float:
    """A label of ``binary_cross_entropy`` as its target in [0, 1]: 0 or 1 (−1 read as 0).

    A number between 0 and 1 is a soft target, kept as it is.
    """
    if type(label) is int and 0 <= label <= 1:  # (the usual labels, without the checks below)
        return float(label)
    label = plain(label)
    if isinstance(label, Real) and (label == -1 or 0 <= float(label) <= 1):
        return 0.0 if label == -1 else float(label)
    raise ValueError(f"{where} labels are 0 or 1 (or -1 for 0), got {label!r:.40}")


def hinge_label(label: Any, where: str = "hinge_loss()") -> float:
    """A label of ``hinge_loss`` as its sign, +1.0 or −1.0 (0 read as −1)."""
    if type(label) is int and -1 <= label <= 1:  # (the usual labels, without the checks below)
        return 1.0 if label == 1 else -1.0
    label = plain(label)
    if isinstance(label, Real) and label in (-1, 0, 1):
        return 1.0 if label == 1 else -1.0
    raise ValueError(f"{where} labels are -1 or +1 (or 0 for -1), got {label!r:.40}")

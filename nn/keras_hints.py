"""Keras's spellings, and what to write here instead: the errors for code written the Keras way.

The course shows Keras (``Sequential()``, ``Dense(units, input_dim=p,
activation=...)``), and a learner's first ``nn`` code often follows it. Two
differences matter: a layer here takes its number of inputs first, then its
units (as PyTorch's ``nn.Linear(in_features, out_features)`` does), because
a layer is built at once, with its weights, not when it first sees data; and
the losses take logits, never probabilities (Keras's ``from_logits=True``),
because they compute the sigmoid or softmax stably inside. Each error shows
both signatures and the call to write.
"""

from __future__ import annotations

from typing import Any

NN_DENSE = "nn.Dense(nin, nout, activation='relu', init='uniform', seed=None)"
KERAS_DENSE = ("Dense(units, activation=None, use_bias=True, "
               "kernel_initializer='glorot_uniform', input_dim=None)")

KERAS_INITS = {  # Keras's kernel_initializer: the init of the same family here
    "glorot_uniform": "xavier", "glorot_normal": "xavier",
    "he_uniform": "he", "he_normal": "he", "random_uniform": "uniform",
}
KERAS_LOSSES = {  # Keras's loss name: what to write here instead
    "mean_squared_error": "loss='mse'",
    "binary_crossentropy": "loss='binary_cross_entropy', which takes logits (Keras's "
                           "from_logits=True): give the model a linear output",
    "sparse_categorical_crossentropy": "loss='cross_entropy', which takes logits (Keras's "
                                       "from_logits=True): give the model linear outputs",
    "categorical_crossentropy": "loss='cross_entropy' with class indices as labels, not one-hot "
                                "vectors, and logits (linear outputs), not a softmax",
}
KERAS_OPTIMIZERS = {"sgd": "nn.SGD(model.parameters(), lr=0.01)",
                    "adam": "nn.Adam(model.parameters(), lr=0.001)"}
_DENSE_KEYWORDS = {"units", "input_dim", "input_shape", "kernel_initializer", "use_bias", "name"}


def dense_error(nin: object, nout: object, activation: object,
                keywords: dict[str, object]) -> TypeError:
    """The TypeError for a Dense/Layer call that is not ``nn.Dense(nin, nout, ...)``.

    ``nin``, ``nout`` and ``activation`` as the call gave them (None when
    missing), ``keywords`` the other keyword arguments.
    """
    wrote = _call("nn.Dense", nin, nout, activation, keywords)
    unknown = sorted(set(keywords) - _DENSE_KEYWORDS)
    if unknown and isinstance(nin, int) and isinstance(nout, int):  # a typo, not Keras
        return TypeError(f"{wrote}: unknown keyword {unknown[0]!r}; the layer is {NN_DENSE}")
    units, inputs, activation, notes = _translate(nin, nout, activation, keywords)
    init = keywords.get("kernel_initializer")
    init = f", init={KERAS_INITS[init]!r}" if init in KERAS_INITS else ""
    write = f"nn.Dense({inputs}, {units}, activation={activation!r}{init})"
    what = "is written the Keras way" if keywords or nin is not None else \
        "needs its number of inputs and of units"
    return TypeError(
        f"{wrote} {what}; here a layer takes its number of inputs first, "
        f"then its units, as PyTorch's nn.Linear(in_features, out_features) does:\n"
        f"    Keras: {KERAS_DENSE}\n"
        f"    nn:    {NN_DENSE}\n"
        f"Write {write}." + "".join(f" {note}" for note in notes))


def sequential_list_error(layers: Any) -> TypeError:
    """The TypeError for ``nn.Sequential([layer, layer])``, Keras's list of layers."""
    return TypeError(
        f"nn.Sequential takes the layers themselves, as PyTorch's nn.Sequential does, not a "
        f"list as Keras's Sequential([...]) does:\n"
        f"    Keras: Sequential([Dense(...), Dense(...)])\n"
        f"    nn:    nn.Sequential(nn.Dense(...), nn.Dense(...))\n"
        f"Unpack the list: nn.Sequential(*layers) (got a {type(layers).__name__} of "
        f"{len(layers)} layers).")


def _translate(nin, nout, activation, keywords):
    """(units, inputs, activation, notes): the Keras call read as nn.Dense's arguments."""
    notes = []
    if isinstance(nout, int) and not isinstance(nout, bool):  # nn's order, with Keras keywords
        units, inputs = nout, nin
    else:  # Keras's Dense(units, activation): the first number is the units
        units = keywords.get("units", nin)
        inputs = keywords.get("input_dim")
        if isinstance(nout, str):
            activation = nout
        shape = keywords.get("input_shape")
        if inputs is None and isinstance(shape, (tuple, list)) and len(shape) == 1:
            inputs = shape[0]
    if units is None:
        units = "nout"
    if inputs is None:
        inputs = "nin"
        notes.append("nin is the number of inputs: the previous layer's units, or the number "
                     "of features.")
    if activation in (None, "softmax"):
        if activation == "softmax":
            notes.append("Softmax mixes all the units, so it is no per-unit activation here: "
                         "give the layer linear outputs and train with loss='cross_entropy', "
                         "which applies the softmax itself (call nn.softmax for probabilities).")
        activation = "linear"
    elif activation == "relu":
        notes.append("(Keras's Dense has no activation unless given one; nn's default is "
                     "'relu': write activation='linear' for none.)")
    if keywords.get("use_bias") is False:
        notes.append("Every neuron here has a bias (use_bias=False has no equivalent).")
    return units, inputs, activation, notes


def _call(name, nin, nout, activation, keywords):
    """The call as the learner wrote it, near enough: ``nn.Dense(64, input_dim=20)``."""
    parts = [repr(a) for a in (nin, nout) if a is not None]
    if activation not in (None, "relu"):
        parts.append(f"activation={activation!r}")
    parts += [f"{key}={value!r}" for key, value in keywords.items()]
    return f"{name}({', '.join(parts)})"

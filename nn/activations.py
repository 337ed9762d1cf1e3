"""Activations and weight initialisers, by name: what a neuron applies and how it starts.

Activations (the course's σ, applied to each unit's weighted sum s):

* ``"linear"``: σ(s) = s;  σ′ = 1.  For outputs that are scores or logits.
* ``"relu"``: σ(s) = max(0, s);  σ′ = 1 if s > 0 else 0.  The usual hidden activation.
* ``"tanh"``: σ(s) = 2/(1 + e^(−2s)) − 1;  σ′ = 1 − σ².
* ``"sigmoid"``: σ(s) = 1/(1 + e^(−s));  σ′ = σ(1 − σ).  A probability.

Initialisers draw each weight (biases start at 0); ``fan_in`` is the
number of inputs of the neuron, ``fan_out`` the number of units of its layer:

* ``"uniform"``: w ~ U(−1, 1), micrograd's choice;
* ``"xavier"``: w ~ U(−a, a), a = √(6 / (fan_in + fan_out)) (Glorot & Bengio 2010, tanh/sigmoid);
* ``"he"``: w ~ N(0, 2 / fan_in) (He et al. 2015, ReLU).
"""

import math
import random

from autograd import Value


def linear(s):
    """The identity σ(s) = s: the weighted sum itself, with no extra graph node."""
    return s


ACTIVATIONS = {"linear": linear, "relu": Value.relu, "tanh": Value.tanh, "sigmoid": Value.sigmoid}


def _uniform(rng, fan_in, fan_out):
    return rng.uniform(-1.0, 1.0)


def _xavier(rng, fan_in, fan_out):
    bound = math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-bound, bound)


def _he(rng, fan_in, fan_out):
    return rng.gauss(0.0, math.sqrt(2.0 / fan_in))


INITS = {"uniform": _uniform, "xavier": _xavier, "he": _he}


def resolve_activation(activation):
    """``(name, function)`` for an activation given by name, as None (linear) or as a function.

    A function that is not one of the named ones keeps itself as its "name":
    such a model works, but cannot be rebuilt from a saved file.
    """
    if activation is None:
        activation = "linear"
    if isinstance(activation, str):
        if activation in ACTIVATIONS:
            return activation, ACTIVATIONS[activation]
        hint = (" (softmax mixes all the units, so it is not a per-unit activation: use "
                "'linear' outputs with nn.cross_entropy, or call nn.softmax on them)"
                if activation.lower() == "softmax" else "")
        valid = ", ".join(repr(name) for name in ACTIVATIONS)
        raise ValueError(f"unknown activation {activation!r}; valid names: {valid}, "
                         f"or pass a function of one Value{hint}")
    if callable(activation):
        for name, function in ACTIVATIONS.items():
            if activation is function:
                return name, function
        return activation, activation
    raise TypeError(f"activation must be a name such as 'relu' or a function, got "
                    f"{type(activation).__name__} {activation!r:.40}")


def resolve_init(init):
    """The weight-drawing function ``f(rng, fan_in, fan_out) -> float`` for ``init``."""
    return by_name(init, INITS, "init", "pass a function f(rng, fan_in, fan_out)")


def by_name(choice, table, kind, otherwise):
    """``choice`` itself if it is a function, else ``table[choice]``.

    An unknown name raises ValueError listing the valid names and ``otherwise``
    (what else the learner may pass).
    """
    if callable(choice):
        return choice
    if choice in table:
        return table[choice]
    valid = ", ".join(repr(name) for name in table)
    raise ValueError(f"unknown {kind} {choice!r}; valid names: {valid}, or {otherwise}")


def make_rng(seed):
    """A random stream: the ``random`` module for None, else ``random.Random(seed)``.

    With None, ``random.seed()`` applies. A ``random.Random`` is used as it
    is, so several models can share one stream.
    """
    if seed is None or seed is random:
        return random
    if isinstance(seed, random.Random):
        return seed
    if isinstance(seed, int) and not isinstance(seed, bool):
        return random.Random(seed)
    raise TypeError(f"seed must be an int, a random.Random or None, got {type(seed).__name__}")

"""Activations and weight initialisers, by name: what a neuron applies and how it starts.

Activations (the course's σ, applied to each unit's weighted sum s):

* ``"linear"``: σ(s) = s;  σ′ = 1.  For outputs that are scores or logits.
* ``"relu"``: σ(s) = max(0, s);  σ′ = 1 if s > 0 else 0.  The usual hidden activation.
* ``"tanh"``: σ(s) = 2/(1 + e^(−2s)) − 1;  σ′ = 1 − σ².
* ``"sigmoid"``: σ(s) = 1/(1 + e^(−s));  σ′ = σ(1 − σ).  A probability.
* ``"softplus"``: σ(s) = ln(1 + e^s);  σ′ = 1/(1 + e^(−s)).  A smooth ReLU.

Initialisers draw each weight (biases start at 0); ``fan_in`` is the
number of inputs of the neuron, ``fan_out`` the number of units of its layer:

* ``"uniform"``: w ~ U(−1, 1), micrograd's choice;
* ``"xavier"``: w ~ U(−a, a), a = √(6 / (fan_in + fan_out)) (Glorot & Bengio 2010, tanh/sigmoid);
* ``"he"``: w ~ N(0, 2 / fan_in) (He et al. 2015, ReLU).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

from autograd import Value

from .keras_hints import KERAS_INITS


def linear(s: Value) -> Value:
    """The identity σ(s) = s: the weighted sum itself, with no extra graph node."""
    return s


ACTIVATIONS = {"linear": linear, "relu": Value.relu, "tanh": Value.tanh, "sigmoid": Value.sigmoid,
               "softplus": Value.softplus}


def _uniform(rng, fan_in, fan_out):
    return rng.uniform(-1.0, 1.0)


def _xavier(rng, fan_in, fan_out):
    bound = math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-bound, bound)


def _he(rng, fan_in, fan_out):
    return rng.gauss(0.0, math.sqrt(2.0 / fan_in))


INITS = {"uniform": _uniform, "xavier": _xavier, "he": _he}


def resolve_activation(
        activation: str | Callable[[Value], Value] | None,
) -> tuple[str | Callable, Callable[[Value], Value]]:
    """``(name, function)`` for an activation given by name, as None (linear) or as a function.

    A function that is not one of the named ones keeps itself as its "name":
    such a model works, but cannot be rebuilt from a saved file. It must take
    a Value and return a Value (checked at every call: a plain number would
    stop the gradient); the math module's functions, which take floats, are
    refused at once.
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
        _refuse_float_functions(activation)
        return activation, _returning_values(activation)
    raise TypeError(f"activation must be a name such as 'relu' or a function, got "
                    f"{type(activation).__name__} {activation!r:.40}")


def _refuse_float_functions(activation):
    """A TypeError for math.tanh and its kind: they take floats, so the gradient would be lost."""
    if getattr(activation, "__module__", None) != "math":
        return
    name = activation.__name__
    instead = f"activation='{name}'" if name in ACTIVATIONS else f"lambda s: s.{name}()"
    raise TypeError(f"activation math.{name} works on plain floats, not Values: it would drop the "
                    f"gradient through every neuron. Use {instead} (a function of one Value).")


def _returning_values(activation):
    """``activation`` checked at every call: it must return a Value, or the gradient stops there."""
    name = getattr(activation, "__name__", None) or type(activation).__name__

    def activate(s):
        try:
            out = activation(s)
        except TypeError as error:
            raise TypeError(f"activation {name} failed on a Value: {error}") from error
        if not isinstance(out, Value):
            raise TypeError(
                f"activation {name} returned {type(out).__name__} {out!r:.40}, not a Value: the "
                "gradient would stop there. Build it from Value operations, such as "
                "lambda s: s.tanh() or lambda s: s * s.sigmoid().")
        return out
    return activate


def resolve_init(init: str | Callable[[random.Random, int, int], float],
                 ) -> Callable[[random.Random, int, int], float]:
    """The weight-drawing function ``f(rng, fan_in, fan_out) -> float`` for ``init``.

    Keras's initializer names are answered with this library's: "glorot_uniform"
    is "xavier", "he_normal" is "he".
    """
    if isinstance(init, str) and init in KERAS_INITS:
        raise ValueError(f"unknown init {init!r}: that is Keras's name; here write "
                         f"init={KERAS_INITS[init]!r}")
    return by_name(init, INITS, "init", "pass a function f(rng, fan_in, fan_out)")


def by_name(choice: object, table: dict[str, Callable], kind: str, otherwise: str) -> Callable:
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


def make_rng(seed: object) -> Any:  # random.Random, or the random module itself
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

"""Layers of neurons: Neuron, Layer (alias Dense), Sequential and MLP.

A neuron computes ``σ(w·x + b)``: the weighted sum ``s = w·x + b`` is one
graph node (``autograd.dot``), the activation ``σ`` a second one, so the
linear map and the non-linearity stay separate blocks in the graph. A layer
is ``nout`` neurons reading the same inputs, ``x(l) = σ(W(l) x(l-1) + b(l))``;
an MLP is layers applied one after the other.

Calling any of them: a list of numbers or Values in (a bare number is fine
for one input), a list of Values out, or one Value when the last layer has
a single unit.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import autograd
from autograd import Value

from .activations import make_rng, resolve_activation, resolve_init
from .keras_hints import dense_error, sequential_list_error
from .module import Module, build, register

Activation = str | Callable[[Value], Value] | None  # a name such as "relu", or a function
Init = str | Callable[[random.Random, int, int], float]
Seed = int | random.Random | None
# A sample in (one number, or a list of numbers or Values) and what a layer gives back (one Value,
# or a list of them): sorted out at run time, so Any for the type checker.
Inputs = Any
Outputs = Any


class Neuron(Module):
    """One unit: ``σ(w·x + b) = σ(b + w₁x₁ + … + wₙxₙ)``.

    ``activation``: "linear", "relu", "tanh", "sigmoid" (None is linear), or
    any function of one Value. ``init``: "uniform" (w ~ U(-1, 1), micrograd's),
    "xavier" or "he" (see ``nn.activations``), or ``f(rng, fan_in, fan_out)``;
    the bias starts at 0. ``seed``: an int, a ``random.Random``, or None to
    draw from the ``random`` module (so ``random.seed(1337)`` applies, as in
    micrograd). ``fan_out`` is the width of the neuron's layer (set by Layer).

    Parameters, in order: ``w.0 … w.(nin-1)``, then ``b``.
    """

    nout = 1  # one unit: a Neuron is a Layer of width 1 in a Sequential

    def __init__(self, nin: int, activation: Activation = "relu", init: Init = "uniform",
                 seed: Seed = None, *, fan_out: int = 1) -> None:
        """``nin`` weights drawn by ``init``, and a bias 0 (see the class docstring)."""
        _check_count(nin, "nin", "inputs")
        self.nin = nin
        self.activation, self._activate = resolve_activation(activation)
        draw, rng = resolve_init(init), make_rng(seed)
        self.w = [Value(float(draw(rng, nin, fan_out)), f"w{i}") for i in range(nin)]
        self.b = Value(0.0, "b")

    def __call__(self, x: Inputs) -> Value:
        """``σ(w·x + b)`` for ``x``, a list of ``nin`` numbers or Values (or one number)."""
        return self.forward(_inputs(x, self.nin, "Neuron"))

    def forward(self, x: Sequence[Value | float]) -> Value:
        """``σ(w·x + b)`` for ``x`` already a list of ``nin`` numbers or Values."""
        return self._activate(autograd.dot(self.w, x, self.b))

    def config(self) -> dict | None:
        return _named_config({"nin": self.nin, "activation": self.activation})

    def summary(self) -> str:
        return _table("Neuron", [_row("neuron", self, 1, self.nin)], self.num_parameters())

    def __repr__(self) -> str:
        """``Neuron(nin=2, activation='relu')``."""
        return f"Neuron(nin={self.nin}, activation={self.activation!r})"


class Layer(Module):
    """``nout`` neurons on the same ``nin`` inputs: ``x ↦ σ(W x + b)``, W of shape nout × nin.

    ``(nin + 1) · nout`` parameters; ``activation``, ``init`` and ``seed`` as
    for Neuron. Named ``neurons.j.w.i`` (W[j][i]) and ``neurons.j.b``.
    Keras calls this ``Dense``, and so can you: ``nn.Dense`` is this class.
    Unlike Keras's ``Dense(units, input_dim=...)``, it takes its number of
    inputs first, then its units (PyTorch's ``nn.Linear(in, out)`` order),
    and its activation is "relu" unless told (Keras's is none): a layer is
    built with its weights at once, not when it first sees data. A call
    written the Keras way gets an error showing both signatures.
    """

    def __init__(self, nin: int | None = None, nout: int | None = None,
                 activation: Activation = "relu", init: Init = "uniform", seed: Seed = None,
                 **keras: object) -> None:
        """``nout`` neurons of ``nin`` inputs each, drawn from one random stream.

        Both counts are required: they default to None, and ``**keras`` takes
        any other keyword, only so that a Keras-style call
        (``nn.Dense(64, input_dim=20)``) is answered with both signatures
        (``nn.keras_hints``) instead of Python's "missing argument".
        """
        if keras or nin is None or nout is None or isinstance(nout, str):
            raise dense_error(nin, nout, activation, keras)
        _check_count(nin, "nin", "inputs")
        _check_count(nout, "nout", "units")
        self.nin, self.nout = nin, nout
        self.activation, _ = resolve_activation(activation)
        rng = make_rng(seed)
        self.neurons = [
            Neuron(nin, activation, init, rng, fan_out=nout) for _ in range(nout)
        ]

    def __call__(self, x: Inputs) -> Outputs:
        """``σ(W x + b)``: a list of ``nout`` Values, or one Value when ``nout`` is 1."""
        x = _inputs(x, self.nin, "Layer")  # checked once here, not again in every neuron
        out = [neuron.forward(x) for neuron in self.neurons]
        return out[0] if len(out) == 1 else out

    def config(self) -> dict | None:
        return _named_config({"nin": self.nin, "nout": self.nout, "activation": self.activation})

    def summary(self) -> str:
        return _table("Layer", [_row("layer", self, self.nout, self.nin)], self.num_parameters())

    def __repr__(self) -> str:
        """``Layer(nin=2, nout=16, activation='relu')``."""
        return f"Layer(nin={self.nin}, nout={self.nout}, activation={self.activation!r})"


Dense = Layer


class Sequential(Module):
    """Modules applied one after the other: ``f(x) = layer_L(… layer_1(x))``.

    Each module's output (a list of Values, or one Value) is the next one's
    input. Parameters are named ``layers.l.…``, layer by layer.
    """

    def __init__(self, *layers: Module) -> None:
        """Chain ``layers`` (Modules); each one's ``nout`` must be the next one's ``nin``."""
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            raise sequential_list_error(layers[0])
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(f"Sequential() takes Modules such as nn.Layer(2, 16), "
                                f"got {type(layer).__name__} as layer {i}")
        for i in range(1, len(layers)):
            gives, wants = getattr(layers[i - 1], "nout", None), getattr(layers[i], "nin", None)
            if gives is not None and wants is not None and gives != wants:
                raise ValueError(
                    f"layer {i} takes {wants} inputs but layer {i - 1} gives {gives} outputs: "
                    f"make layer {i}'s nin equal {gives}"
                )
        self.layers: list[Any] = list(layers)  # Modules: Layers and Neurons have nin, nout

    def __call__(self, x: Inputs) -> Outputs:
        """Each layer applied to the last one's output; one Value if the last has one output."""
        for layer in self.layers:
            x = layer(x)
            if isinstance(x, Value):
                x = [x]
        return x[0] if len(x) == 1 else x

    @property
    def nin(self) -> int | None:
        """The number of inputs of the first layer (None if it has no ``nin``)."""
        return getattr(self.layers[0], "nin", None) if self.layers else None

    @property
    def nout(self) -> int | None:
        """The number of outputs of the last layer (None if it has no ``nout``)."""
        return getattr(self.layers[-1], "nout", None) if self.layers else None

    @property
    def output_activation(self) -> Activation:
        """The activation of the last layer, e.g. "linear" (None without layers)."""
        return getattr(self.layers[-1], "output_activation", None) if self.layers else None

    def config(self) -> dict | None:
        specs = [layer.architecture() for layer in self.layers]
        return None if None in specs else {"layers": specs}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Sequential:
        return cls(*[build(spec) for spec in config["layers"]])

    def summary(self) -> str:
        rows = []
        for i, layer in enumerate(self.layers):
            rows.append(_row(f"layers.{i}", layer, getattr(layer, "nout", None),
                             getattr(layer, "nin", None)))
        return _table(type(self).__name__, rows, self.num_parameters())

    def __repr__(self) -> str:
        """``Sequential(Layer(...), Layer(...))``."""
        return f"Sequential({', '.join(map(repr, self.layers))})"


class MLP(Sequential):
    """A multilayer perceptron: ``nin`` inputs, then one Layer per entry of ``nouts``.

    ``MLP(p, [H, K])`` has one hidden layer of H units and K outputs:
    (p+1)H + (H+1)K parameters. Hidden layers use ``activation``, the last
    layer ``output_activation`` ("linear" by default: the outputs are scores
    or logits, ready for the losses). ``init`` and ``seed`` as for Neuron;
    one random stream is drawn layer by layer, neuron by neuron, weights in
    order, so ``MLP(2, [16, 16, 1], seed=s)`` has exactly the parameters of
    micrograd's ``MLP(2, [16, 16, 1])`` after ``random.seed(s)``.
    """

    def __init__(self, nin: int, nouts: Sequence[int], activation: Activation = "relu",
                 output_activation: Activation = "linear", init: Init = "uniform",
                 seed: Seed = None) -> None:
        """One Layer per entry of ``nouts``: ``activation`` inside, ``output_activation`` last."""
        _check_count(nin, "nin", "inputs")
        nouts = list(nouts) if isinstance(nouts, (list, tuple)) else nouts
        if not isinstance(nouts, list) or not nouts:
            raise TypeError("MLP() takes nouts, a non-empty list of layer widths such as "
                            f"[16, 1], got {nouts!r}")
        self.activation, _ = resolve_activation(activation)  # both checked before building anything
        resolve_activation(output_activation)
        rng, sizes = make_rng(seed), [nin, *nouts]
        super().__init__(*[
            Layer(sizes[i], sizes[i + 1], activation if i < len(nouts) - 1 else output_activation,
                  init, rng)
            for i in range(len(nouts))
        ])

    def config(self) -> dict | None:
        return _named_config({
            "nin": self.layers[0].nin,
            "nouts": [layer.nout for layer in self.layers],
            "activation": self.activation,
            "output_activation": self.output_activation,
        })

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MLP:
        return cls(**config)  # MLP(nin, nouts, ...), not Sequential's list of layers

    def __repr__(self) -> str:
        """``MLP(nin=2, nouts=[16, 1], activation='relu', output_activation='linear')``."""
        nouts = [layer.nout for layer in self.layers]
        return (f"MLP(nin={self.layers[0].nin}, nouts={nouts}, activation={self.activation!r}, "
                f"output_activation={self.output_activation!r})")


for _cls in (Neuron, Layer, Sequential, MLP):
    register(_cls)


# --- helpers --------------------------------------------------------------------------

def _check_count(n, name, what):
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{name} is the number of {what}, a positive int; got {n!r:.40}")


def _inputs(x, nin, where):
    """``x`` as a list of nin numbers or Values; a bare number counts as a list of one."""
    if isinstance(x, (Value, int, float)):
        x = [x]
    elif not isinstance(x, list):
        try:
            x = list(x)
        except TypeError:
            raise TypeError(f"{where} takes a list of {nin} numbers or Values, got "
                            f"{type(x).__name__}") from None
    if len(x) != nin:
        raise ValueError(f"{where} expects {nin} inputs (nin={nin}), got {len(x)}: {x!r:.80}")
    return x


def _named_config(config):
    """``config``, or None when an activation is a custom function (not writable as JSON)."""
    names = (config.get("activation"), config.get("output_activation", "linear"))
    return config if all(isinstance(name, str) for name in names) else None


def _row(name, layer, units, nin):
    params = layer.num_parameters()
    count = f"({nin}+1)×{units}" if isinstance(layer, (Layer, Neuron)) else ""
    activation = getattr(layer, "activation", "")
    if not isinstance(activation, str):
        activation = getattr(activation, "__name__", "custom")
    return (f"{name} ({type(layer).__name__})", "" if units is None else str(units),
            activation or "", str(params), count)


def _table(title, rows, total):
    header = ("Layer (type)", "Units", "Activation", "Param #", "= (in+1)×units")
    widths = [max(len(row[c]) for row in [header, *rows]) for c in range(len(header))]
    rule = "─" * (sum(widths) + 3 * (len(widths) - 1))

    def line(row):
        cells = [row[0].ljust(widths[0]), row[1].rjust(widths[1]), row[2].ljust(widths[2]),
                 row[3].rjust(widths[3]), row[4].ljust(widths[4])]
        return "   ".join(cells).rstrip()

    return "\n".join([f"Model: {title}", rule, line(header), rule.replace("─", "═"),
                      *map(line, rows), rule.replace("─", "═"), f"Total params: {total}"])

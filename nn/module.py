"""Module: the base class of every layer and model, and saving models as JSON.

A Module owns parameters (``autograd.Value`` leaves) and child Modules as
ordinary attributes. ``named_parameters()`` finds them by walking the
attributes in the order ``__init__`` assigned them, looking inside lists and
tuples, so a Neuron that sets ``self.w = [...]`` then ``self.b = Value(0)``
lists ``w.0, w.1, ..., b``: weights first, then the bias.

Saved files are JSON, never pickle, so loading one can never run code::

    {"format": "gradschool-model", "version": 1,
     "architecture": {"type": "MLP", "config": {"nin": 2, "nouts": [16, 1], ...}},
     "parameters": {"layers.0.neurons.0.w.0": 0.25, ...}, "threshold": 0.5}

(``threshold``, the model's ``threshold`` set by ``fit``, only when there is
one.) ``nn.load(path)`` rebuilds the model from ``architecture`` and fills in the
parameters; ``model.load(path)`` fills in an existing model. How a file is
written (atomically, finite numbers only) and read (strictly) is ``files.py``,
how a save replaces a file ``atomic.py``, and what ``nn.load`` checks before
it builds a model ``sizes.py``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from autograd import Value, no_grad

from . import files, sizes

SomeModule = TypeVar("SomeModule", bound="Module")  # a Module subclass, in type hints

_ARCHITECTURES: dict = {}  # type name written in files -> Module subclass with from_config()


class Module:
    """Base class of layers and models: parameters, gradients, saving.

    Subclasses set their parameters (Values) and sub-Modules as attributes in
    ``__init__`` and define ``__call__``; everything else comes from here.
    Every Value held in an attribute (or in a list or tuple there) counts as
    a parameter, so keep intermediate results in local variables.

    ``threshold``: where a single output splits class 0 from class 1 for
    ``nn.accuracy``. ``fit`` sets it from its loss and labels (0.5 after
    mse on labels 0/1, 0 for scores and logits); None until then.
    """

    threshold: float | None = None

    if TYPE_CHECKING:  # each subclass defines it: x -> its output(s)
        def __call__(self, x: Any) -> Any: ...

    def named_parameters(self) -> list[tuple[str, Value]]:
        """``[(name, Value), ...]``: every parameter with its dotted path.

        Attributes are visited in the order they were assigned, list items in
        index order; a parameter shared by two places is listed once, under
        its first name. Example: ``layers.0.neurons.3.w.1`` is weight 1 of
        neuron 3 of layer 0.
        """
        found: list = []
        seen: set = set()
        for name, value in vars(self).items():
            _collect(value, name, found, seen)
        return found

    def parameters(self) -> list[Value]:
        """All parameters as a list of Values, in ``named_parameters()`` order."""
        return [p for _, p in self.named_parameters()]

    def num_parameters(self) -> int:
        """The number of parameters (scalars): for ``MLP(p, [H, K])`` it is (p+1)H + (H+1)K."""
        return len(self.named_parameters())

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to 0: call it before each ``loss.backward()``."""
        for p in self.parameters():
            p.grad = 0.0

    def predict(self, X: Sequence[Any]) -> list[Any]:
        """The outputs for every sample of ``X``, as plain floats, computed under ``no_grad()``.

        A list with one float per sample for a model with one output, one
        list of floats per sample for several. ``X`` is a list of samples: for
        one sample ``x``, ``model.predict([x])[0]``.

            >>> import nn
            >>> model = nn.Neuron(2, activation="linear", init=lambda *args: 0.5)
            >>> model.predict([[1.0, 3.0], [0.0, -2.0]])   # 0.5·x₁ + 0.5·x₂ + 0
            [2.0, -1.0]
        """
        with no_grad():
            return [_numbers(self(x)) for x in X]

    def state_dict(self) -> dict[str, float]:
        """``{name: float}`` for every parameter, in ``named_parameters()`` order."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, float]) -> None:
        """Copy the numbers of ``state`` (``{name: float}``) into the parameters.

        Every name and value is checked first; if anything is missing, extra
        or not a number, ``ValueError`` names the first problem and no
        parameter has changed.
        """
        named = self.named_parameters()
        files.check_state(state, [name for name, _ in named])
        for name, p in named:
            p.data = float(state[name])

    def architecture(self) -> dict[str, Any] | None:
        """``{"type": ..., "config": {...}}`` to rebuild this model, or None if it cannot be.

        Built-in layers and models return their constructor arguments; a
        Module subclass can define ``config()`` and ``from_config()`` and be
        passed to ``nn.register`` to become loadable by ``nn.load``.
        """
        kind = type(self).__name__
        if _ARCHITECTURES.get(kind) is not type(self):
            return None
        config = self.config()
        return None if config is None else {"type": kind, "config": config}

    def config(self) -> dict[str, Any] | None:
        """The constructor arguments as plain JSON data, or None (the default)."""
        return None

    @classmethod
    def from_config(cls: type[SomeModule], config: Mapping[str, Any]) -> SomeModule:
        """A new model built from ``config()``'s data: ``cls(**config)``."""
        return cls(**config)

    @property
    def output_activation(self) -> Any:
        """The activation of the model's outputs, e.g. "linear" (None if it has none)."""
        return getattr(self, "activation", None)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the model to ``path`` as JSON: architecture, parameters and threshold.

        The file is written atomically: to a temporary file in the same
        folder, then renamed over ``path``. An interrupted save leaves the
        old file as it was, never a half-written one; an existing file keeps
        its permissions, a symbolic link keeps pointing to the file it names
        (which is what gets replaced), a read-only file is refused, and a
        hard link is split from its other names (``nn/atomic.py`` says why).
        A parameter or threshold that is nan or inf (after training diverged)
        is refused with a ValueError naming it, and nothing is written: JSON
        has no nan, and such a model predicts nothing.
        """
        files.write(path, self.architecture(), self.state_dict(), self.threshold)

    def load(self: SomeModule, path: str | os.PathLike[str]) -> SomeModule:
        """Load the parameters saved in ``path`` into this model, and return the model.

        The file must come from a model of the same shape (same parameter
        names). If the file records an architecture that differs from this
        model's, ``ValueError`` says so; on any error the model is unchanged.
        """
        document = files.read(path)
        saved, mine = document["architecture"], self.architecture()
        if saved is not None and mine is not None and saved != mine:
            raise ValueError(f"{os.fspath(path)!r} holds a model with architecture {saved!r:.300}, "
                             f"but this model is {mine!r:.300}; build the right model or use "
                             "nn.load(path)")
        try:
            self.load_state_dict(document["parameters"])
        except ValueError as error:
            raise ValueError(f"cannot load {os.fspath(path)!r}: {error}") from None
        self.threshold = document.get("threshold", self.threshold)
        return self

    def summary(self) -> str:
        """A Keras-style table of the layers: type, units, activation, parameter count."""
        return f"Model: {type(self).__name__}\nTotal params: {self.num_parameters()}"

    def __str__(self) -> str:
        """The summary table: ``print(model)`` shows the layers and the parameter counts."""
        return self.summary()


def register(cls: type[SomeModule]) -> type[SomeModule]:
    """Make a Module subclass loadable by ``nn.load``: it needs ``config()`` and ``from_config()``.

    Use as a class decorator. Only registered classes can be built from a
    file, and only from the plain JSON data of their config. ``nn.load``
    checks a file against a built-in architecture before building it; a
    registered class is your own code, and is built from the config as it
    is: make its ``from_config`` refuse (ValueError) what it should not build.
    """
    kind = cls.__name__
    if _ARCHITECTURES.get(kind, cls) is not cls:
        raise ValueError(f"a model type named {kind!r} is already registered")
    _ARCHITECTURES[kind] = cls
    return cls


def build(architecture: Mapping[str, Any]) -> Module:
    """The Module described by ``{"type": ..., "config": {...}}`` (fresh parameters)."""
    if not isinstance(architecture, Mapping) or set(architecture) != {"type", "config"}:
        raise ValueError(
            f"an architecture is {{'type': ..., 'config': ...}}, got {architecture!r:.100}")
    kind = architecture["type"]
    if not isinstance(kind, str):
        raise ValueError(f"a model type is a name such as 'MLP', got {type(kind).__name__} "
                         f"{kind!r:.60}")
    if kind not in _ARCHITECTURES:
        known = ", ".join(sorted(_ARCHITECTURES))
        raise ValueError(f"unknown model type {kind!r:.60}; known: {known}")
    try:
        return _ARCHITECTURES[kind].from_config(architecture["config"])
    except (TypeError, ValueError, KeyError) as error:
        raise ValueError(f"bad config for {kind}: {error}") from None


def load(path: str | os.PathLike[str]) -> Module:
    """Read a model saved by ``model.save(path)`` and return it, rebuilt and filled in.

    Needs the architecture in the file (built-in layers and models always
    have one). For a custom model, build it yourself and call ``model.load(path)``.
    The file's parameters are checked against its architecture before the
    model is built (``nn.sizes``), so a damaged or hostile file is refused
    with a ValueError naming the path, and nothing is built for it.
    """
    document = files.read(path)
    if document["architecture"] is None:
        raise ValueError(
            f"{os.fspath(path)!r} does not say how to rebuild its model (a custom Module "
            "or activation): build the model in code, then call model.load(path)"
        )
    try:
        sizes.check_before_building(document["architecture"], document["parameters"])
        model = build(document["architecture"])
        model.load_state_dict(document["parameters"])
    except ValueError as error:
        raise ValueError(f"cannot load {os.fspath(path)!r}: {error}") from None
    model.threshold = document.get("threshold")
    return model


# --- helpers -------------------------------------------------------------------------

def _numbers(output):
    """A model's output as plain floats: one float, or a list of them."""
    if isinstance(output, Value):
        return output.data
    return [_numbers(item) for item in output]


def _collect(value, name, found, seen):
    if isinstance(value, Value):
        if value not in seen:
            seen.add(value)
            found.append((name, value))
    elif isinstance(value, Module):
        for child, item in vars(value).items():
            _collect(item, f"{name}.{child}", found, seen)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _collect(item, f"{name}.{i}", found, seen)

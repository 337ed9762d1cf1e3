"""What an architecture holds, read from its description alone: no model is built.

``nn.load`` checks a file's parameters against its architecture before it
builds anything, so that a file of 141 bytes describing a network of nine
million parameters is refused at once instead of filling the memory. For the
built-in layers the count and the names follow from the config:

    Neuron(nin)                 nin + 1           w.0 ... w.(nin-1), b
    Layer(nin, nout)            (nin + 1)·nout    neurons.j.w.i, neurons.j.b
    MLP(nin, [n1, ..., nL])     Σ (n(l-1) + 1)·nl layers.l.neurons.j.w.i, ...
    Sequential(layers)          the sum           layers.l.<the layer's names>

and each layer of a Sequential must take as many inputs as the one before
gives. A Module registered by the user (``nn.register``) says nothing about
its size until it is built: its class is the user's own code, trusted as
such, and only the built-in parts around it are checked.

Even a file that lists every parameter is refused above ``MAX_PARAMETERS``:
a model of Values takes about 200 bytes a parameter, so ten million fill
2 GB. Raise ``nn.sizes.MAX_PARAMETERS`` to load a bigger model on purpose.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any, NamedTuple

from . import files

MAX_PARAMETERS = 10_000_000


def check_before_building(architecture: Any, parameters: Any) -> None:
    """Raise ValueError unless ``parameters`` fits ``architecture``, without building it.

    Built-in architectures: the same names, in any order (the numbers are
    checked by ``Module.load_state_dict``). With a registered custom Module
    inside: at least as many parameters as the built-in parts have.
    """
    part = _describe(architecture)
    if part.count > MAX_PARAMETERS:
        raise ValueError(f"its architecture has {_amount(part.count)} parameters, more than the "
                         f"{MAX_PARAMETERS:,} nn.load builds (a model of Values needs about 200 "
                         "bytes a parameter); if you mean it, raise nn.sizes.MAX_PARAMETERS")
    if part.names is not None:
        files.check_names(parameters, ParameterNames(part.count, part.names))
    elif isinstance(parameters, Mapping) and len(parameters) < part.count:
        raise ValueError(f"the file has {len(parameters)} parameters, but its architecture has "
                         f"at least {_amount(part.count)}")


def parameter_names(architecture: Any) -> ParameterNames | None:
    """The names of the parameters ``architecture`` describes, in ``named_parameters()`` order.

    None when a registered custom Module is part of it: only building it tells.
    """
    part = _describe(architecture)
    return None if part.names is None else ParameterNames(part.count, part.names)


class ParameterNames(Collection):
    """The names of a model's ``count`` parameters in order, made each time they are read."""

    def __init__(self, count: int, make: Callable[[], Iterator[str]]) -> None:
        self.count, self.make = count, make

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[str]:
        return self.make()

    def __contains__(self, name: object) -> bool:
        return any(name == mine for mine in self)


# --- helpers -------------------------------------------------------------------------

class _Part(NamedTuple):
    count: int  # type: ignore[assignment]  # parameters (built-in ones only, when names is None)
    names: Callable[[], Iterator[str]] | None  # None: a custom Module inside, names unknown
    nin: int | None  # inputs and outputs, when known
    nout: int | None


def _describe(architecture):
    """The ``_Part`` that ``architecture`` (``{"type": ..., "config": {...}}``) describes."""
    if not isinstance(architecture, Mapping) or set(architecture) != {"type", "config"}:
        raise ValueError(
            f"an architecture is {{'type': ..., 'config': ...}}, got {architecture!r:.100}")
    kind, config = architecture["type"], architecture["config"]
    if not isinstance(kind, str):
        raise ValueError(f"a model type is a name such as 'MLP', got {type(kind).__name__} "
                         f"{kind!r:.60}")
    if kind not in _BUILT_IN:
        return _Part(0, None, None, None)  # registered by the user, or unknown: build() says
    if not isinstance(config, Mapping):
        raise ValueError(f"bad config for {kind}: a dict of its arguments, got "
                         f"{type(config).__name__} {config!r:.60}")
    return _BUILT_IN[kind](config)


def _neuron(config):
    nin = _positive(config, "nin", "Neuron")
    return _Part(nin + 1, lambda: _neuron_names(nin), nin, 1)


def _layer(config):
    nin, nout = _positive(config, "nin", "Layer"), _positive(config, "nout", "Layer")
    return _Part((nin + 1) * nout, lambda: _layer_names(nin, nout), nin, nout)


def _mlp(config):
    nin, nouts = _positive(config, "nin", "MLP"), config.get("nouts")
    if (not isinstance(nouts, list) or not nouts
            or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in nouts)):
        raise ValueError(f"bad config for MLP: 'nouts' must be a non-empty list of positive "
                         f"ints such as [16, 1], got {nouts!r:.60}")
    sizes = [nin, *nouts]
    layers = [_Part((a + 1) * b, lambda a=a, b=b: _layer_names(a, b), a, b)
              for a, b in zip(sizes, sizes[1:])]
    return _chain(layers)


def _sequential(config):
    layers = config.get("layers")
    if not isinstance(layers, list):
        raise ValueError(f"bad config for Sequential: 'layers' must be a list of architectures, "
                         f"got {layers!r:.60}")
    parts = [_describe(layer) for layer in layers]
    for i in range(1, len(parts)):
        gives, wants = parts[i - 1].nout, parts[i].nin
        if gives is not None and wants is not None and gives != wants:
            raise ValueError(f"bad config for Sequential: layer {i} takes {wants} inputs but "
                             f"layer {i - 1} gives {gives} outputs")
    return _chain(parts)


def _chain(parts):
    """Layers one after the other, their names under ``layers.l.``."""
    known = all(part.names is not None for part in parts)

    def names():
        for i, part in enumerate(parts):
            yield from (f"layers.{i}.{name}" for name in part.names())

    return _Part(sum(part.count for part in parts), names if known else None,
                 parts[0].nin if parts else None, parts[-1].nout if parts else None)


def _neuron_names(nin):
    yield from (f"w.{i}" for i in range(nin))
    yield "b"


def _layer_names(nin, nout):
    for j in range(nout):
        yield from (f"neurons.{j}.{name}" for name in _neuron_names(nin))


def _positive(config, key, kind):
    value = config.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"bad config for {kind}: {key!r} must be a positive int, "
                         f"got {value!r:.40}")
    return value


def _amount(count):
    """``count`` for a message: with thousands separators, or as a power of ten when huge."""
    return f"{count:,}" if count < 10**15 else f"about 10^{len(str(count)) - 1}"


_BUILT_IN = {"Neuron": _neuron, "Layer": _layer, "MLP": _mlp, "Sequential": _sequential}

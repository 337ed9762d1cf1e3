"""The bridge to PyTorch: the same network as a ``torch.nn.Sequential``, and back.

    model.to_torch()        # nn.MLP / nn.Sequential -> torch.nn.Sequential(Linear, Tanh, ...)
    nn.from_torch(module)   # torch.nn.Sequential of Linear + activations -> nn.MLP / nn.Sequential

A Layer of ``nout`` neurons on ``nin`` inputs is ``torch.nn.Linear(nin, nout)``
in float64: row ``i`` of its ``weight`` is neuron ``i``'s weights ``w``,
``bias[i]`` its bias ``b``, so ``x @ W.T + b`` computes every ``w·x + b`` at
once. Its activation becomes the module of the same meaning ("linear" has
none). The numbers are copied, not shared: training one does not move the other.

PyTorch is optional: importing ``nn`` never imports it; it is imported when
one of these functions is called.
"""

from .layers import MLP, Layer, Neuron, Sequential

# Our activation name -> the torch.nn module of the same meaning ("linear" is no module).
TORCH_ACTIVATIONS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}
_OUR_ACTIVATIONS = {module: name for name, module in TORCH_ACTIVATIONS.items()}
_OUR_ACTIVATIONS["Identity"] = "linear"


def to_torch(model):
    """A float64 ``torch.nn.Sequential`` computing exactly what ``model`` computes.

    ``model``: an nn.MLP, an nn.Sequential of Layers, Neurons (and nested
    Sequentials), or a single Layer or Neuron. Each becomes a
    ``Linear(nin, nout)`` with ``weight[i][j] = neurons[i].w[j].data`` and
    ``bias[i] = neurons[i].b.data``, followed by ``ReLU()``, ``Tanh()`` or
    ``Sigmoid()`` unless the activation is "linear". A custom activation
    function raises ValueError: PyTorch has no module known to mean the same.
    """
    torch = _import_torch("to_torch()")
    modules = []
    for index, layer in enumerate(_dense_layers(model)):
        modules.append(_linear(torch, layer))
        name = layer.activation
        if name == "linear":
            continue
        if not isinstance(name, str) or name not in TORCH_ACTIVATIONS:
            shown = getattr(name, "__name__", repr(name))
            raise ValueError(
                f"layer {index} has the activation {shown}, which has no PyTorch module of the "
                f"same meaning; to_torch() knows 'linear', "
                f"{', '.join(map(repr, TORCH_ACTIVATIONS))}")
        modules.append(getattr(torch.nn, TORCH_ACTIVATIONS[name])())
    return torch.nn.Sequential(*modules)


def from_torch(module):
    """The nn model computing what ``module`` computes: the reverse of ``model.to_torch()``.

    ``module``: a ``torch.nn.Sequential`` (or one ``Linear``) of ``Linear``
    layers with a bias, each followed by at most one of ``ReLU``, ``Tanh``,
    ``Sigmoid`` or ``Identity``. The weights are copied as float64 numbers.
    Returns an ``nn.MLP`` when the hidden layers share one activation (as
    ``to_torch()`` of an MLP does), else an ``nn.Sequential`` of Layers.
    Anything else raises ValueError naming the first module that cannot be read.
    """
    torch = _import_torch("from_torch()")
    children = list(module) if isinstance(module, torch.nn.Sequential) else [module]
    specs = _layer_specs(torch, children)
    sizes = [specs[0][0].in_features] + [linear.out_features for linear, _ in specs]
    activations = [activation for _, activation in specs]
    if len(set(activations[:-1])) <= 1:
        model = MLP(sizes[0], sizes[1:], activation=(activations[:-1] or ["relu"])[0],
                    output_activation=activations[-1], init=_zero)
    else:
        model = Sequential(*[Layer(sizes[i], sizes[i + 1], activations[i], init=_zero)
                             for i in range(len(specs))])
    for layer, (linear, _) in zip(model.layers, specs):
        weight, bias = linear.weight.detach().double().tolist(), linear.bias.detach().double()
        for neuron, row, b in zip(layer.neurons, weight, bias.tolist()):
            for w, number in zip(neuron.w, row):
                w.data = number
            neuron.b.data = b
    return model


# --- helpers ---------------------------------------------------------------------------

def _import_torch(what):
    """``torch``, or an ImportError that says how to install it."""
    try:
        import torch
    except ImportError:
        raise ImportError(
            f"{what} needs PyTorch, which this library does not install by itself: "
            "pip install torch (or pip install 'gradschool[bench]', the extra that installs it)"
        ) from None
    return torch


def _dense_layers(model):
    """The Layers and Neurons of ``model``, first to last (nested Sequentials flattened)."""
    if isinstance(model, (Layer, Neuron)):
        return [model]
    if not isinstance(model, Sequential):
        raise TypeError(f"to_torch() takes an nn.MLP, nn.Sequential, nn.Layer or nn.Neuron, "
                        f"got {type(model).__name__}")
    layers = []
    for index, layer in enumerate(model.layers):
        if not isinstance(layer, (Layer, Neuron, Sequential)):
            raise TypeError(f"to_torch() cannot translate layer {index}, a "
                            f"{type(layer).__name__}: only nn.Layer, nn.Neuron and nested "
                            "nn.Sequential have a PyTorch counterpart here")
        layers.extend(_dense_layers(layer))
    return layers


def _linear(torch, layer):
    """``torch.nn.Linear(nin, nout)`` in float64 holding ``layer``'s weights and biases."""
    neurons = layer.neurons if isinstance(layer, Layer) else [layer]
    # skip_init: no random initialisation, so torch's global random stream is left untouched
    linear = torch.nn.utils.skip_init(torch.nn.Linear, layer.nin, len(neurons),
                                      dtype=torch.float64)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in neurons],
                                         dtype=torch.float64))
        linear.bias.copy_(torch.tensor([n.b.data for n in neurons], dtype=torch.float64))
    return linear


def _layer_specs(torch, children):
    """``[(Linear, activation name), ...]`` read from a list of torch modules, checked."""
    specs = []  # [Linear, activation name or None while none has been read]
    for index, child in enumerate(children):
        kind = type(child).__name__
        if type(child) is torch.nn.Linear:
            if child.bias is None:
                raise ValueError(f"module {index}, {child}, has no bias; nn layers always have "
                                 "one: build it with bias=True")
            specs.append([child, None])
        elif (kind in _OUR_ACTIVATIONS and type(child) is getattr(torch.nn, kind)
              and specs and specs[-1][1] is None):
            specs[-1][1] = _OUR_ACTIVATIONS[kind]
        else:
            raise ValueError(
                f"from_torch() cannot translate module {index}, {child!r}: it reads Linear "
                f"layers, each followed by at most one of {', '.join(_OUR_ACTIVATIONS)}")
    if not specs:
        raise ValueError("from_torch() got no Linear layer: nothing to translate")
    return [(linear, activation or "linear") for linear, activation in specs]


def _zero(rng, fan_in, fan_out):
    """An initialiser that draws nothing: the weights are overwritten at once."""
    return 0.0

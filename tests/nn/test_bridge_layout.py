"""The PyTorch bridge's layout, tested without PyTorch: row i of a Linear's weight is neuron i.

``make test`` installs no PyTorch, so the parity tests of test_bridge.py are
skipped on a newcomer's machine. These run everywhere, on a stand-in for the
few pieces of ``torch`` the bridge touches: tensors that only hold nested
lists, a Linear whose numbers start as nan (``skip_init`` leaves memory
uninitialised: a number the bridge forgets to copy shows), a Sequential, and
activation modules that are only names. It computes nothing, so it can only
answer where each number went. The same tests run on the real PyTorch when
it is installed, which keeps the stand-in honest.
"""

import math
import sys
import types

import pytest

import nn


class Tensor:
    """Nested lists of floats with the four methods the bridge calls."""

    def __init__(self, data):
        self.data = [list(map(float, row)) for row in data] if data and isinstance(
            data[0], list) else [float(x) for x in data]

    def tolist(self):
        return [list(row) if isinstance(row, list) else row for row in self.data]

    def copy_(self, other):
        assert shape(self.data) == shape(other.data), "copy_ of another shape"
        self.data = other.tolist()
        return self

    def detach(self):
        return self

    def double(self):
        return self


def shape(data):
    return (len(data), len(data[0])) if data and isinstance(data[0], list) else (len(data),)


class Module:
    def __repr__(self):
        return f"{type(self).__name__}()"


class Linear(Module):
    def __init__(self, in_features, out_features, bias=True, dtype=None):
        self.in_features, self.out_features = in_features, out_features
        self.weight = Tensor([[math.nan] * in_features for _ in range(out_features)])
        self.bias = Tensor([math.nan] * out_features) if bias else None


class Sequential(Module):
    def __init__(self, *modules):
        self.modules = list(modules)

    def __iter__(self):
        return iter(self.modules)

    def __getitem__(self, index):
        return self.modules[index]


class NoGrad:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def stand_in():
    """A module object that answers ``import torch`` with the pieces above."""
    torch = types.ModuleType("torch")
    torch.float64 = "float64"
    torch.no_grad = NoGrad
    torch.tensor = lambda data, dtype=None: Tensor(data)
    layers = {name: type(name, (Module,), {}) for name in ("ReLU", "Tanh", "Sigmoid", "Identity")}
    torch.nn = types.SimpleNamespace(
        Linear=Linear, Sequential=Sequential, **layers,
        utils=types.SimpleNamespace(skip_init=lambda cls, *args, **kwargs: cls(*args, **kwargs)))
    return torch


@pytest.fixture(params=["stand-in", pytest.param("pytorch", marks=pytest.mark.torch)])
def torch(request, monkeypatch):
    if request.param == "pytorch":
        return pytest.importorskip("torch")
    fake = stand_in()
    monkeypatch.setitem(sys.modules, "torch", fake)
    return fake


def numbered_model():
    """An MLP 3 → 2 → 4 whose every number says where it is: weight j of neuron i of layer k
    is k·100 + i·10 + j + 1, its bias −(k·100 + i·10 + 1): none is 0, no two are equal."""
    model = nn.MLP(3, [2, 4], activation="tanh", output_activation="sigmoid", seed=0)
    for k, layer in enumerate(model.layers):
        for i, neuron in enumerate(layer.neurons):
            for j, w in enumerate(neuron.w):
                w.data = float(k * 100 + i * 10 + j + 1)
            neuron.b.data = -float(k * 100 + i * 10 + 1)
    return model


def test_to_torch_puts_neuron_i_in_row_i_and_its_bias_in_bias_i(torch):
    # the suite without PyTorch could not see a bias set to 0, or a weight matrix transposed
    module = numbered_model().to_torch()
    linears = [m for m in module if type(m) is torch.nn.Linear]
    assert [type(m).__name__ for m in module] == ["Linear", "Tanh", "Linear", "Sigmoid"]
    assert [(m.in_features, m.out_features) for m in linears] == [(3, 2), (2, 4)]
    assert linears[0].weight.tolist() == [[1.0, 2.0, 3.0], [11.0, 12.0, 13.0]]
    assert linears[0].bias.tolist() == [-1.0, -11.0]
    assert linears[1].weight.tolist() == [[101.0, 102.0], [111.0, 112.0], [121.0, 122.0],
                                          [131.0, 132.0]]
    assert linears[1].bias.tolist() == [-101.0, -111.0, -121.0, -131.0]


def test_from_torch_reads_row_i_into_neuron_i_and_bias_i_into_its_bias(torch):
    module = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Tanh(), torch.nn.Linear(2, 4),
                                 torch.nn.Sigmoid())
    numbered = numbered_model()
    with torch.no_grad():
        for linear, layer in zip((module[0], module[2]), numbered.layers):
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons],
                                             dtype=torch.float64))
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons],
                                           dtype=torch.float64))
    model = nn.from_torch(module)
    assert type(model) is nn.MLP and model.architecture() == numbered.architecture()
    assert model.state_dict() == numbered.state_dict()
    assert model.layers[1].neurons[2].b.data == -121.0
    assert [w.data for w in model.layers[1].neurons[3].w] == [131.0, 132.0]


def test_a_round_trip_keeps_every_number_in_its_place(torch):
    model = numbered_model()
    back = nn.from_torch(model.to_torch())
    assert list(back.state_dict().items()) == list(model.state_dict().items())


def test_a_single_neuron_and_a_sequential_of_layers_keep_their_layout(torch):
    neuron = nn.Neuron(2, "relu", seed=0)
    neuron.w[0].data, neuron.w[1].data, neuron.b.data = 0.5, -2.0, 3.0
    [linear, relu] = list(nn.bridge.to_torch(neuron))
    assert linear.weight.tolist() == [[0.5, -2.0]] and linear.bias.tolist() == [3.0]
    assert type(relu).__name__ == "ReLU"
    mixed = nn.Sequential(nn.Layer(2, 3, "relu", seed=1), nn.Layer(3, 1, "linear", seed=2))
    mixed.layers[1].neurons[0].b.data = 0.75
    module = nn.bridge.to_torch(mixed)
    assert [type(m).__name__ for m in module] == ["Linear", "ReLU", "Linear"]  # linear: no module
    assert module[2].bias.tolist() == [0.75]
    assert module[0].weight.tolist() == [[w.data for w in n.w] for n in mixed.layers[0].neurons]
    back = nn.from_torch(module)
    assert list(back.state_dict().values()) == list(mixed.state_dict().values())

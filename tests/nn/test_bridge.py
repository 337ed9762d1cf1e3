"""model.to_torch() and nn.from_torch(): the same network in PyTorch, weights and gradients equal.

Tests marked ``torch`` are skipped when PyTorch is not installed (CI installs it);
the import tests below run without it.
"""

import math
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

import nn

ROOT = Path(__file__).resolve().parents[2]
N, NIN, K = 6, 3, 4


def needs_torch():
    return pytest.importorskip("torch")


def sample(seed, classes):
    """N random inputs, with targets (one output) or class labels (K outputs)."""
    rng = random.Random(seed)
    X = [[rng.uniform(-2, 2) for _ in range(NIN)] for _ in range(N)]
    if classes == 1:
        return X, [rng.uniform(-1, 1) for _ in range(N)]
    return X, [rng.randrange(classes) for _ in range(N)]


def our_loss(model, X, y, outputs):
    preds = [model(x) for x in X]
    return nn.mse_loss(preds, y) if outputs == 1 else nn.cross_entropy(preds, y)


def torch_loss(torch, module, X, y, outputs):
    out = module(torch.tensor(X, dtype=torch.float64))
    if outputs == 1:
        return torch.nn.functional.mse_loss(out, torch.tensor(y, dtype=torch.float64)[:, None])
    return torch.nn.functional.cross_entropy(out, torch.tensor(y))


def in_our_order(module, field):
    """Per Linear, per row (neuron): its weights, then its bias; ``field`` is "data" or "grad"."""
    flat = []
    linears = [m for m in module if type(m).__name__ == "Linear"]
    for linear in linears:
        W, b = getattr(linear.weight, field), getattr(linear.bias, field)
        for row, bias in zip(W.tolist(), b.tolist()):
            flat.extend(row)
            flat.append(bias)
    return flat


CASES = [(activation, depth, outputs) for activation in ("tanh", "relu", "sigmoid", "linear")
         for depth in (1, 2, 3) for outputs in (1, K)]


@pytest.mark.torch
@pytest.mark.parametrize("activation, depth, outputs", CASES)
def test_round_trip_outputs_and_gradients_equal_pytorch(activation, depth, outputs):
    torch = needs_torch()
    model = nn.MLP(NIN, [5] * depth + [outputs], activation=activation, seed=depth)
    module = model.to_torch()
    assert [p.dtype for p in module.parameters()] == [torch.float64] * (2 * depth + 2)
    back = nn.from_torch(module)
    assert back.state_dict() == model.state_dict()  # identical, not merely close
    assert back.architecture() == model.architecture()

    X, y = sample(depth, outputs)
    ours = [model(x) for x in X]
    ours = [[v.data] for v in ours] if outputs == 1 else [[v.data for v in o] for o in ours]
    theirs = module(torch.tensor(X, dtype=torch.float64)).tolist()
    assert max(abs(a - b) for r, s in zip(ours, theirs) for a, b in zip(r, s)) <= 1e-12

    our_loss(model, X, y, outputs).backward()
    torch_loss(torch, module, X, y, outputs).backward()
    grads = [p.grad for p in model.parameters()]
    assert any(g != 0.0 for g in grads)  # a test that could fail: there are gradients to compare
    for name, ours_g, theirs_g in zip(model.state_dict(), grads, in_our_order(module, "grad")):
        assert abs(ours_g - theirs_g) <= 1e-12, f"{name}: ours {ours_g!r}, torch {theirs_g!r}"


@pytest.mark.torch
def test_row_i_of_a_linear_weight_is_neuron_i():
    needs_torch()
    model = nn.MLP(2, [3, 1], seed=0)
    linear = model.to_torch()[0]
    assert linear.weight.tolist() == [[w.data for w in n.w] for n in model.layers[0].neurons]
    assert linear.bias.tolist() == [n.b.data for n in model.layers[0].neurons]


@pytest.mark.torch
def test_the_copies_are_independent_and_torch_random_stream_untouched():
    torch = needs_torch()
    model = nn.MLP(2, [3, 1], seed=0)
    torch.manual_seed(7)
    expected = torch.rand(1).item()
    torch.manual_seed(7)
    module = model.to_torch()
    assert torch.rand(1).item() == expected  # no random initialisation was drawn
    with torch.no_grad():
        module[0].weight.add_(1.0)
    assert model.state_dict() == nn.MLP(2, [3, 1], seed=0).state_dict()


@pytest.mark.torch
@pytest.mark.parametrize("ours, theirs", [
    pytest.param(lambda p: nn.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.01),
                 lambda torch, p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.01),
                 id="sgd-momentum"),
    pytest.param(lambda p: nn.Adam(p, lr=0.05, betas=(0.8, 0.99), weight_decay=0.01),
                 lambda torch, p: torch.optim.Adam(p, lr=0.05, betas=(0.8, 0.99),
                                                   weight_decay=0.01),
                 id="adam"),
])
@pytest.mark.parametrize("outputs", [1, K])
def test_five_training_steps_end_with_equal_weights(ours, theirs, outputs):
    torch = needs_torch()
    model = nn.MLP(NIN, [5, 5, outputs], activation="tanh", seed=3)
    start = model.state_dict()
    module = model.to_torch()
    optimizer, torch_optimizer = ours(model.parameters()), theirs(torch, module.parameters())
    X, y = sample(5, outputs)
    for _ in range(5):
        optimizer.zero_grad()
        our_loss(model, X, y, outputs).backward()
        optimizer.step()
        torch_optimizer.zero_grad()
        torch_loss(torch, module, X, y, outputs).backward()
        torch_optimizer.step()
    after = [p.data for p in model.parameters()]
    assert max(abs(a - b) for a, b in zip(after, start.values())) > 1e-3  # training moved them
    for name, a, b in zip(start, after, in_our_order(module, "data")):
        assert math.isclose(a, b, rel_tol=0, abs_tol=1e-10), f"{name}: ours {a!r}, torch {b!r}"


@pytest.mark.torch
def test_sequential_with_mixed_activations_and_neuron_round_trips():
    needs_torch()
    model = nn.Sequential(nn.Layer(2, 3, "relu", seed=1), nn.Layer(3, 2, "tanh", seed=2),
                          nn.Neuron(2, "sigmoid", seed=3))
    back = nn.from_torch(model.to_torch())
    assert type(back) is nn.Sequential
    assert [layer.activation for layer in back.layers] == ["relu", "tanh", "sigmoid"]
    assert list(back.state_dict().values()) == list(model.state_dict().values())


@pytest.mark.torch
def test_a_custom_activation_is_refused_by_name():
    needs_torch()

    def swish(s):
        return s * s.sigmoid()

    with pytest.raises(ValueError, match="layer 0 has the activation swish, which has no PyTorch"):
        nn.MLP(2, [3, 1], activation=swish, seed=0).to_torch()


@pytest.mark.torch
def test_from_torch_names_the_first_unsupported_module():
    torch = needs_torch()
    module = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Softmax(dim=1))
    with pytest.raises(ValueError, match=r"module 2, Softmax\(dim=1\)"):
        nn.from_torch(module)
    doubled = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Tanh())
    with pytest.raises(ValueError, match="module 2, Tanh"):
        nn.from_torch(doubled)
    with pytest.raises(ValueError, match="has no bias"):
        nn.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 3, bias=False)))


@pytest.mark.torch
def test_from_torch_reads_float32_modules_exactly():
    torch = needs_torch()
    torch.manual_seed(0)
    module = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Sigmoid())
    model = nn.from_torch(module)
    assert type(model) is nn.MLP and model.layers[0].activation == "sigmoid"
    assert [w.data for w in model.layers[0].neurons[1].w] == module[0].weight[1].tolist()


def test_importing_nn_does_not_import_torch():
    code = "import sys, nn; assert 'torch' not in sys.modules, 'nn imported torch'"
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_without_torch_both_directions_say_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # what `import torch` meets when it is missing
    model = nn.MLP(2, [3, 1], seed=0)
    for call in (model.to_torch, lambda: nn.from_torch(object())):
        with pytest.raises(ImportError, match=r"pip install torch .*gradschool\[bench\]"):
            call()

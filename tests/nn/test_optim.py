"""SGD and Adam: the formulas by hand, PyTorch parity over 5 steps, no graph nodes built."""

import math

import pytest

import nn
from autograd import Value

X = [[0.5, -1.0, 2.0], [-1.5, 0.25, 0.0], [1.0, 1.0, -0.5], [0.0, -2.0, 1.5]]
Y = [[1.0, -0.5], [0.0, 2.0], [-1.0, 0.5], [0.5, 0.0]]


def quadratic(p, target):
    return (p - target) ** 2  # d/dp = 2 (p - target)


def test_plain_sgd_step_by_hand():
    a, b = Value(1.0), Value(-2.0)
    opt = nn.SGD([a, b], lr=0.1)
    (quadratic(a, 3.0) + quadratic(b, 0.0)).backward()
    opt.step()
    assert (a.data, b.data) == (1.0 - 0.1 * 2 * (1.0 - 3.0), -2.0 - 0.1 * 2 * (-2.0))
    opt.zero_grad()
    assert a.grad == b.grad == 0.0


def test_sgd_momentum_and_weight_decay_by_hand():
    p = Value(1.0)
    opt = nn.SGD([p], lr=0.1, momentum=0.9, weight_decay=0.5)
    expected, velocity = 1.0, None
    for _ in range(3):
        opt.zero_grad()
        quadratic(p, 2.0).backward()
        g = 2 * (expected - 2.0) + 0.5 * expected
        velocity = g if velocity is None else 0.9 * velocity + g
        expected -= 0.1 * velocity
        opt.step()
        assert p.data == pytest.approx(expected, rel=1e-15)


def test_adam_first_step_moves_each_parameter_by_lr():
    # after one step m̂ = g and v̂ = g², so the step is lr · g / (|g| + eps) ≈ lr · sign(g)
    params = [Value(1.0), Value(-3.0), Value(0.5)]
    opt = nn.Adam(params, lr=0.01)
    (quadratic(params[0], 5.0) + quadratic(params[1], -4.0) + quadratic(params[2], 0.0)).backward()
    opt.step()
    assert [p.data for p in params] == pytest.approx([1.01, -3.01, 0.49], rel=1e-9)


def test_steps_build_no_graph_nodes():
    model = nn.MLP(2, [3, 1], seed=0)
    for opt in (nn.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=0.1),
                nn.Adam(model.parameters(), lr=0.1, weight_decay=0.1)):
        model([1.0, 2.0]).backward()
        opt.step()
        for p in model.parameters():
            assert type(p.data) is float and p.is_leaf


def test_optimizer_argument_errors():
    with pytest.raises(ValueError, match="empty parameter list"):
        nn.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="takes Values"):
        nn.SGD([1.0], lr=0.1)
    with pytest.raises(ValueError, match="lr >= 0"):
        nn.Adam([Value(1.0)], lr=-1)
    with pytest.raises(ValueError, match="betas"):
        nn.Adam([Value(1.0)], betas=(0.9, 1.0))
    p = Value(1.0)
    with pytest.raises(ValueError, match="same parameter twice"):
        nn.SGD([p, p], lr=0.1)
    model = nn.MLP(2, [2, 1], seed=0)
    assert nn.SGD(model, lr=0.1).params == model.parameters()  # a Module is read as its parameters


# --- a step with every gradient exactly 0 ---------------------------------------------------

@pytest.mark.parametrize("make", [lambda ps: nn.SGD(ps, lr=0.1), lambda ps: nn.Adam(ps)],
                         ids=["sgd", "adam"])
def test_a_step_without_backward_warns_once_asking_for_backward(make):
    # the step changed nothing, in silence: the loss was built, backward() never called
    model = nn.MLP(2, [3, 1], seed=0)
    opt = make(model.parameters())
    before = model.state_dict()
    model([1.0, 2.0])  # the loss is built...
    with pytest.warns(UserWarning, match=r"every gradient is exactly 0.*loss\.backward\(\)"):
        opt.step()    # ...but never back-propagated
    assert model.state_dict() == before
    opt.step()  # once per optimizer: pytest turns a second warning into an error
    model([1.0, 2.0]).backward()
    opt.step()
    assert model.state_dict() != before


def test_one_nonzero_gradient_is_enough_for_no_warning():
    params = [Value(1.0), Value(2.0), Value(3.0)]
    params[2].grad = -0.5
    nn.SGD(params, lr=0.1).step()  # (warnings are errors here)
    assert [p.data for p in params] == [1.0, 2.0, 3.05]


def test_fit_never_asks_about_backward_and_leaves_the_question_to_later_steps():
    # a legitimate gradient of exactly 0 everywhere: w = 0 and targets 0, so every error is 0
    model = nn.Neuron(1, activation="linear", init=lambda *a: 0.0)
    opt = nn.SGD(model.parameters(), lr=0.1)
    history = nn.fit(model, [[1.0], [2.0]], [0.0, 0.0], loss="mse", optimizer=opt, epochs=3)
    assert history["loss"] == [0.0, 0.0, 0.0]
    model.zero_grad()
    with pytest.warns(UserWarning, match="every gradient is exactly 0"):
        opt.step()  # outside fit, the optimizer still asks


def test_the_warning_state_is_not_shown_in_repr():
    assert repr(nn.SGD([Value(1.0)], lr=0.1)) == \
        "SGD(1 parameters, lr=0.1, weight_decay=0.0, momentum=0.0)"


# --- PyTorch parity ---------------------------------------------------------------------

def torch_mlp_loss(torch, weights, x, y):
    """The same tanh MLP and MSE as ``nn.MLP(3, [4, 2], "tanh")`` + ``nn.mse_loss``, in PyTorch."""
    (W1, b1), (W2, b2) = weights
    h = torch.tanh(x @ W1.T + b1)
    return torch.nn.functional.mse_loss(h @ W2.T + b2, y)


def torch_weights(torch, model):
    """One (W, b) pair of float64 leaf tensors per layer, with the model's current values."""
    weights = []
    for layer in model.layers:
        W = [[w.data for w in neuron.w] for neuron in layer.neurons]
        b = [neuron.b.data for neuron in layer.neurons]
        weights.append((torch.tensor(W, dtype=torch.float64, requires_grad=True),
                        torch.tensor(b, dtype=torch.float64, requires_grad=True)))
    return weights


@pytest.mark.torch
@pytest.mark.parametrize("ours, theirs", [
    pytest.param(
        lambda params: nn.SGD(params, lr=0.1, momentum=0.9, weight_decay=0.01),
        lambda torch, params: torch.optim.SGD(params, lr=0.1, momentum=0.9, weight_decay=0.01),
        id="sgd-momentum"),
    pytest.param(
        lambda params: nn.SGD(params, lr=0.2),
        lambda torch, params: torch.optim.SGD(params, lr=0.2),
        id="sgd"),
    pytest.param(
        lambda params: nn.Adam(params, lr=0.05, betas=(0.8, 0.99), eps=1e-8, weight_decay=0.01),
        lambda torch, params: torch.optim.Adam(params, lr=0.05, betas=(0.8, 0.99), eps=1e-8,
                                               weight_decay=0.01),
        id="adam"),
    pytest.param(
        lambda params: nn.Adam(params), lambda torch, params: torch.optim.Adam(params),
        id="adam-defaults"),
])
def test_five_steps_equal_pytorch(ours, theirs):
    torch = pytest.importorskip("torch")
    model = nn.MLP(3, [4, 2], activation="tanh", seed=0)
    weights = torch_weights(torch, model)
    opt = ours(model.parameters())
    torch_opt = theirs(torch, [t for pair in weights for t in pair])
    x, y = torch.tensor(X, dtype=torch.float64), torch.tensor(Y, dtype=torch.float64)
    for _ in range(5):
        opt.zero_grad()
        nn.mse_loss([model(x) for x in X], Y).backward()
        opt.step()
        torch_opt.zero_grad()
        torch_mlp_loss(torch, weights, x, y).backward()
        torch_opt.step()
    ours_after = [p.data for p in model.parameters()]
    theirs_after = torch_weights_in_our_order(weights)
    moved = max(abs(a - b) for a, b in zip(ours_after, [p.data for p in nn.MLP(
        3, [4, 2], activation="tanh", seed=0).parameters()]))
    assert moved > 1e-3  # the optimizer really changed the parameters
    for a, b in zip(ours_after, theirs_after):
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def torch_weights_in_our_order(weights):
    """Per layer, per neuron: its weights, then its bias, as plain floats."""
    flat = []
    for W, b in weights:
        for row, bias in zip(W.tolist(), b.tolist()):
            flat.extend(row)
            flat.append(bias)
    return flat

"""Every update rule of SGD and Adam, step by step, against numbers worked out by hand.

No PyTorch needed: the parity tests in test_optim.py and test_bridge.py are
skipped without it, and these must catch on their own a wrong rule, a wrong
step count or a state that is not kept. The gradients are set by hand and
change from step to step (with a constant gradient Adam's bias corrections
cancel, and a wrong step count would go unseen). The reference is the
textbook form (Kingma & Ba 2015, Algorithm 1; torch.optim's docs), computed
in exact fractions, not the library's own arithmetic.
"""

import math
from fractions import Fraction

import pytest

import nn
from autograd import Value


def run(optimizer, params, gradients):
    """Step ``optimizer`` once per row of ``gradients`` (one number per parameter);
    return the parameters' values after each step."""
    history = []
    for row in gradients:
        for p, g in zip(params, row):
            p.grad = g
        optimizer.step()
        history.append([p.data for p in params])
        assert [p.grad for p in params] == list(row)  # a step reads the gradients, never writes
    return history


# --- SGD -----------------------------------------------------------------------------------

def test_sgd_moves_each_parameter_by_lr_times_its_gradient():
    # θ ← θ − lr·g, with lr = 0.5 and gradients exact in binary
    a, b = Value(1.0), Value(-2.0)
    history = run(nn.SGD([a, b], lr=0.5), [a, b], [(4.0, -1.0), (0.5, 2.0), (-8.0, 0.0)])
    assert history == [[-1.0, -1.5], [-1.25, -2.5], [2.75, -2.5]]


def test_sgd_weight_decay_adds_decay_times_theta_to_the_gradient():
    # g ← ∇ + wd·θ (the gradient of (wd/2)·θ²), wd = 0.5, lr = 0.25
    p = Value(2.0)
    with pytest.warns(UserWarning, match="every gradient is exactly 0"):  # step 2, on purpose
        history = run(nn.SGD([p], lr=0.25, weight_decay=0.5), [p], [(1.0,), (0.0,), (-3.0,)])
    # 2 − 0.25·(1 + 1) = 1.5;  1.5 − 0.25·(0 + 0.75) = 1.3125;  1.3125 − 0.25·(−3 + 0.65625)
    assert history == [[1.5], [1.3125], [1.3125 - 0.25 * (-3.0 + 0.65625)]]
    assert history[2] == [1.8984375]


def test_sgd_momentum_velocity_starts_at_the_first_gradient_and_accumulates():
    # v₁ = g₁ (PyTorch: no dampening on the first step), v ← μ·v + g, θ ← θ − lr·v
    p, q = Value(0.0), Value(10.0)
    optimizer = nn.SGD([p, q], lr=0.5, momentum=0.5)
    history = run(optimizer, [p, q], [(2.0, -4.0), (2.0, 0.0), (-4.0, 1.0)])
    # p: v = 2 → −1;  v = 1 + 2 = 3 → −2.5;  v = 1.5 − 4 = −2.5 → −1.25
    # q: v = −4 → 12;  v = −2 + 0 = −2 → 13;  v = −1 + 1 = 0 → 13
    assert history == [[-1.0, 12.0], [-2.5, 13.0], [-1.25, 13.0]]
    assert optimizer.velocity == [-2.5, 0.0]


def test_sgd_momentum_with_weight_decay_decays_before_the_velocity():
    # g = ∇ + wd·θ first, then v ← μ·v + g (torch.optim.SGD's order)
    p = Value(4.0)
    history = run(nn.SGD([p], lr=0.5, momentum=0.5, weight_decay=0.25), [p],
                  [(1.0,), (-1.0,)])
    # g = 1 + 1 = 2, v = 2, θ = 3;  g = −1 + 0.75 = −0.25, v = 1 − 0.25 = 0.75, θ = 2.625
    assert history == [[3.0], [2.625]]


def test_sgd_zero_grad_clears_every_gradient_and_nothing_else():
    params = [Value(1.0), Value(2.0)]
    optimizer = nn.SGD(params, lr=0.1, momentum=0.9)
    run(optimizer, params, [(1.0, -1.0)])
    velocity, data = list(optimizer.velocity), [p.data for p in params]
    optimizer.zero_grad()
    assert [p.grad for p in params] == [0.0, 0.0]
    assert optimizer.velocity == velocity and [p.data for p in params] == data


# --- Adam ----------------------------------------------------------------------------------

def adam_by_hand(theta, gradients, lr, betas, eps, weight_decay=0.0):
    """The values of one parameter after each step of Adam, from the textbook algorithm:
    g ← ∇ + wd·θ;  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  m̂ = m/(1−β₁ᵗ);  v̂ = v/(1−β₂ᵗ);
    θ ← θ − lr·m̂/(√v̂ + eps), with t = 1, 2, …; exact fractions except the square root."""
    beta1, beta2 = Fraction(betas[0]), Fraction(betas[1])
    theta, m, v, history = Fraction(theta), Fraction(0), Fraction(0), []
    for t, gradient in enumerate(gradients, start=1):
        g = Fraction(gradient) + Fraction(weight_decay) * theta
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
        theta -= Fraction(lr) * m_hat / (Fraction(math.sqrt(v_hat)) + Fraction(eps))
        history.append(float(theta))
    return history


def close(ours, hand):
    """Equal to rounding: the library computes in floats, in another order."""
    return all(math.isclose(a, b, rel_tol=1e-13, abs_tol=1e-15) for a, b in zip(ours, hand))


def test_adam_first_step_is_lr_times_the_sign_of_the_gradient_whatever_the_betas():
    # m̂₁ = g and v̂₁ = g²: the bias corrections of step t = 1 undo the zero start exactly
    params = [Value(1.0), Value(-3.0)]
    optimizer = nn.Adam(params, lr=0.25, betas=(0.5, 0.75), eps=0.0)
    assert optimizer.t == 0
    [after] = run(optimizer, params, [(8.0, -0.125)])
    assert after == [0.75, -2.75] and optimizer.t == 1
    assert optimizer.m == [4.0, -0.0625] and optimizer.v == [16.0, 0.00390625]


def test_adam_second_step_by_hand():
    # g₁ = 2, g₂ = −4, β = (0.5, 0.75), lr = 1, eps = 0:
    # m₂ = 0.5·1 − 0.5·4 = −1.5, m̂₂ = −1.5/0.75 = −2;  v₂ = 0.75·1 + 0.25·16 = 4.75,
    # v̂₂ = 4.75/0.4375 = 76/7;  θ₂ = θ₁ + 2/√(76/7), θ₁ = 1 − 1 = 0
    p = Value(1.0)
    history = run(nn.Adam([p], lr=1.0, betas=(0.5, 0.75), eps=0.0), [p], [(2.0,), (-4.0,)])
    assert history[0] == [0.0]
    assert history[1][0] == pytest.approx(2 / math.sqrt(76 / 7), rel=1e-15)


@pytest.mark.parametrize("lr, betas, eps, weight_decay", [
    (0.1, (0.9, 0.999), 1e-8, 0.0),  # PyTorch's defaults but lr
    (0.5, (0.5, 0.75), 0.0, 0.0),
    (0.01, (0.8, 0.99), 0.5, 0.0),  # a large eps: where it is added shows
    (0.05, (0.9, 0.999), 1e-8, 0.5),  # L2 weight decay, added to the gradient
    (0.2, (0.0, 0.0), 0.0, 0.0),  # no averaging: θ ← θ − lr·sign(g)
])
def test_adam_steps_follow_the_textbook_with_the_step_count_and_bias_corrections(
        lr, betas, eps, weight_decay):
    gradients = [(3.0, -0.5), (-1.0, 0.25), (0.5, 2.0), (2.0, 2.0), (-0.25, -4.0)]
    params = [Value(1.5), Value(-0.75)]
    optimizer = nn.Adam(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
    history = run(optimizer, params, gradients)
    assert optimizer.t == len(gradients)
    for i, start in enumerate((1.5, -0.75)):
        ours = [step[i] for step in history]
        hand = adam_by_hand(start, [row[i] for row in gradients], lr, betas, eps, weight_decay)
        assert close(ours, hand), f"parameter {i}: ours {ours}, by hand {hand}"


def test_adam_without_averaging_steps_by_lr_times_the_sign():
    params = [Value(0.0), Value(0.0)]
    history = run(nn.Adam(params, lr=0.25, betas=(0.0, 0.0), eps=0.0), params,
                  [(3.0, -0.5), (-1.0, 0.25)])
    assert history == [[-0.25, 0.25], [0.0, 0.0]]


def test_adam_keeps_its_averages_and_step_count_between_steps():
    # a second optimizer on the same parameters starts again at t = 0 and m = v = 0
    p = Value(1.0)
    first = nn.Adam([p], lr=0.1, betas=(0.5, 0.75), eps=0.0)
    run(first, [p], [(2.0,), (-4.0,)])
    assert first.t == 2 and first.m == [-1.5] and first.v == [4.75]
    fresh = nn.Adam([p], lr=0.1, betas=(0.5, 0.75), eps=0.0)
    before = p.data
    [[after]] = run(fresh, [p], [(-4.0,)])
    assert after == before + 0.1  # a first step: lr·sign(g), whatever came before


def test_adam_zero_grad_leaves_its_averages():
    p = Value(1.0)
    optimizer = nn.Adam([p], lr=0.1)
    run(optimizer, [p], [(2.0,)])
    m, v, t = list(optimizer.m), list(optimizer.v), optimizer.t
    optimizer.zero_grad()
    assert p.grad == 0.0 and (optimizer.m, optimizer.v, optimizer.t) == (m, v, t)

"""Losses and softmax: hand computations, PyTorch, stability at ±1000, and their gradients."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
import nn
from autograd import Value

logit = st.floats(min_value=-1000, max_value=1000, allow_nan=False)


def values(xs):
    return [Value(x) for x in xs]


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


# --- hand computations ----------------------------------------------------------------

def test_mse_by_hand():
    preds, targets = values([1.0, 2.0, 4.0]), [1.5, 2.0, 1.0]
    loss = nn.mse_loss(preds, targets)
    assert loss.data == pytest.approx((0.25 + 0 + 9) / 3)
    loss.backward()
    assert [p.grad for p in preds] == pytest.approx([2 / 3 * -0.5, 0.0, 2 / 3 * 3.0])
    assert nn.mse_loss(Value(3.0), 1.0).data == 4.0
    multi = nn.mse_loss([values([1.0, 2.0]), values([0.0, 0.0])], [[0.0, 0.0], [1.0, 1.0]])
    assert multi.data == pytest.approx((1 + 4 + 1 + 1) / 4)


def test_binary_cross_entropy_by_hand_both_label_conventions():
    zs, ys = [0.5, -1.0, 2.0], [1, 0, 0]
    expected = -(math.log(sigmoid(0.5)) + math.log(1 - sigmoid(-1.0))
                 + math.log(1 - sigmoid(2.0))) / 3
    for labels in (ys, [1, -1, -1]):
        logits = values(zs)
        loss = nn.binary_cross_entropy(logits, labels)
        assert loss.data == pytest.approx(expected, rel=1e-12)
        loss.backward()
        assert [z.grad for z in logits] == pytest.approx(
            [(sigmoid(z) - y) / 3 for z, y in zip(zs, ys)], rel=1e-12)


def test_binary_cross_entropy_gradient_at_zero_logit_is_sigma_minus_y():
    # a zero-initialised logistic regression starts at z = 0 exactly
    for y in (0, 1):
        z = Value(0.0)
        nn.binary_cross_entropy(z, y).backward()
        assert z.grad == 0.5 - y


def test_logistic_regression_gradient_matches_the_course_formula():
    # L = -Σ log σ(yₙ(w·xₙ + b)),  ∂L/∂w_d = -Σ x_{n,d} yₙ σ(-yₙ(w·xₙ + b)),
    # ∂L/∂b = -Σ yₙ σ(-yₙ(w·xₙ + b))
    X, y = [[1.0, 2.0], [-0.5, 1.5], [2.0, -1.0], [0.0, -2.0]], [1, -1, 1, -1]
    neuron = nn.Neuron(2, activation="linear", init=lambda rng, fi, fo: 0.3)
    neuron.b.data = -0.2
    loss = nn.binary_cross_entropy([neuron(x) for x in X], y, reduction="sum")  # the course's Σ
    loss.backward()
    margins = [yn * (0.3 * x[0] + 0.3 * x[1] - 0.2) for x, yn in zip(X, y)]
    assert loss.data == pytest.approx(-sum(math.log(sigmoid(m)) for m in margins))
    for d in range(2):
        grad = -sum(x[d] * yn * sigmoid(-m) for x, yn, m in zip(X, y, margins))
        assert neuron.w[d].grad == pytest.approx(grad, rel=1e-12)
    assert neuron.b.grad == pytest.approx(-sum(yn * sigmoid(-m) for yn, m in zip(y, margins)))


def test_cross_entropy_by_hand():
    zs = [1.0, 2.0, 0.5]
    logits = values(zs)
    loss = nn.cross_entropy(logits, 1)
    total = sum(math.exp(z) for z in zs)
    assert loss.data == pytest.approx(-math.log(math.exp(2.0) / total), rel=1e-12)
    loss.backward()
    assert [z.grad for z in logits] == pytest.approx(
        [math.exp(z) / total - (i == 1) for i, z in enumerate(zs)], rel=1e-12)
    batch = nn.cross_entropy([values([0.0, 0.0]), values([3.0, 0.0])], [0, 1])
    assert batch.data == pytest.approx((math.log(2) + (math.log(1 + math.exp(3.0)) - 0.0)) / 2)


def test_hinge_by_hand_both_label_conventions():
    scores = [2.0, 0.5, -0.25, -3.0]
    for labels in ([1, 1, 1, -1], [1, 1, 1, 0]):
        s = values(scores)
        loss = nn.hinge_loss(s, labels)
        assert loss.data == pytest.approx((0 + 0.5 + 1.25 + 0) / 4)
        loss.backward()
        assert [v.grad for v in s] == [0.0, -0.25, -0.25, 0.0]


def test_softmax_sums_to_one_and_is_stable():
    probs = nn.softmax(values([1000.0, 0.0, -1000.0]))
    assert [p.data for p in probs] == [1.0, 0.0, 0.0]
    probs = nn.softmax([1.0, 2.0, 3.0])
    total = math.exp(1) + math.exp(2) + math.exp(3)
    assert [p.data for p in probs] == pytest.approx([math.exp(k) / total for k in (1, 2, 3)])
    assert sum(p.data for p in probs) == pytest.approx(1.0)


@pytest.mark.parametrize("call, message", [
    (lambda: nn.cross_entropy(values([1.0, 2.0]), 2), "expected an int in 0..1"),
    (lambda: nn.cross_entropy(values([1.0, 2.0]), 0.5), "class index"),
    (lambda: nn.binary_cross_entropy(values([1.0]), [2]), "labels are 0 or 1"),
    (lambda: nn.hinge_loss(values([1.0]), [0.5]), "labels are -1 or \\+1"),
    (lambda: nn.mse_loss(values([1.0, 2.0]), [1.0]), "2 predictions but 1 targets"),
    (lambda: nn.hinge_loss(values([1.0, 2.0]), 1), "or a list of each"),
])
def test_loss_errors_say_what_was_expected(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


# --- reduction: the mean or the sum of the terms -----------------------------------------

def batch_cases(n):
    """(loss, a function making n fresh outputs, the n targets), one per loss."""
    zs = [0.25 * k - 0.6 for k in range(n)]
    labels01 = [k % 2 for k in range(n)]
    cases = [
        (nn.mse_loss, lambda: values(zs), [0.1 * k for k in range(n)]),
        (nn.binary_cross_entropy, lambda: values(zs), labels01),
        (nn.hinge_loss, lambda: values(zs), labels01),
        (nn.cross_entropy, lambda: [values([z, -z, 0.5 * z]) for z in zs],
         [k % 3 for k in range(n)]),
    ]
    return [pytest.param(*case, id=case[0].__name__) for case in cases]


def loss_and_grads(loss_fn, make_outputs, targets, reduction):
    outputs = make_outputs()
    loss = loss_fn(outputs, targets, reduction=reduction)
    loss.backward()
    leaves = [v for row in outputs for v in (row if isinstance(row, list) else [row])]
    return loss.data, [v.grad for v in leaves]


@pytest.mark.parametrize("loss_fn, make_outputs, targets", batch_cases(4))
def test_reduction_sum_is_n_times_the_mean_bit_for_bit_when_n_is_a_power_of_two(
        loss_fn, make_outputs, targets):
    # with N = 4, dividing by N and multiplying by N are exact: the sum is 4 × the mean, every bit
    mean, mean_grads = loss_and_grads(loss_fn, make_outputs, targets, "mean")
    total, total_grads = loss_and_grads(loss_fn, make_outputs, targets, "sum")
    assert total == 4 * mean and total != mean
    assert total_grads == [4 * g for g in mean_grads] and any(mean_grads)


@pytest.mark.parametrize("loss_fn, make_outputs, targets", batch_cases(3))
def test_reduction_sum_is_n_times_the_mean_to_rounding(loss_fn, make_outputs, targets):
    mean, mean_grads = loss_and_grads(loss_fn, make_outputs, targets, "mean")
    total, total_grads = loss_and_grads(loss_fn, make_outputs, targets, "sum")
    assert total == pytest.approx(3 * mean, rel=1e-15)
    assert total_grads == pytest.approx([3 * g for g in mean_grads], rel=1e-15)


def test_mse_sum_and_mean_by_hand():
    preds, targets = [1.0, 2.0, 4.0], [1.5, 2.0, 1.0]
    squares = [(p - y) ** 2 for p, y in zip(preds, targets)]  # 0.25, 0, 9
    assert nn.mse_loss(values(preds), targets, reduction="sum").data == 9.25
    assert nn.mse_loss(values(preds), targets).data == (0.25 + 0.0 + 9.0) / 3 == sum(squares) / 3


def test_one_sample_is_its_own_sum_and_mean():
    for reduction in ("mean", "sum"):
        assert nn.mse_loss(Value(3.0), 1.0, reduction=reduction).data == 4.0
        assert nn.hinge_loss(Value(0.25), 1, reduction=reduction).data == 0.75
        assert nn.cross_entropy(values([0.0, 0.0]), 1, reduction=reduction).data == math.log(2)


@pytest.mark.parametrize("loss_fn, make_outputs, targets", batch_cases(2))
@pytest.mark.parametrize("reduction", ["none", "average", None, "MEAN"])
def test_every_loss_refuses_a_reduction_other_than_mean_or_sum(loss_fn, make_outputs, targets,
                                                                 reduction):
    with pytest.raises(ValueError, match="reduction='mean' .* or reduction='sum'"):
        loss_fn(make_outputs(), targets, reduction=reduction)


# --- drawn as the formula -------------------------------------------------------------------

def ops_of(loss):
    return [node.op for node in autograd.topological_order(loss) if node.parents]


def test_mse_loss_is_drawn_as_squares_a_sum_and_a_mean_not_as_a_dot_node():
    # it was dot(errors, errors) * (1/N): a node labelled w·x+b, a neuron inside the loss
    loss = nn.mse_loss(values([1.0, 2.0, 4.0]), [1.5, 2.0, 1.0])
    assert loss.op == "div" and loss.parents[0].op == "sum"
    assert [square.op for square in loss.parents[0].parents] == ["pow"] * 3
    assert "dot" not in ops_of(loss)
    assert ops_of(nn.mse_loss(Value(3.0), 1.0)) == ["sub", "pow"]  # one term: no Σ, no / 1


@pytest.mark.parametrize("loss_fn, make_outputs, targets", batch_cases(3))
def test_every_loss_is_drawn_as_one_sum_of_its_terms_then_a_division(loss_fn, make_outputs,
                                                                     targets):
    loss = loss_fn(make_outputs(), targets)
    assert loss.op == "div" and loss.parents[0].op == "sum" and len(loss.parents[0].parents) == 3
    assert loss_fn(make_outputs(), targets, reduction="sum").op == "sum"
    assert "dot" not in ops_of(loss)


# --- labels: one rule -----------------------------------------------------------------------

def test_numpy_labels_of_any_integer_type_are_class_labels_in_every_loss():
    numpy = pytest.importorskip("numpy")
    logits = [[0.5, -1.0, 2.0], [1.0, 0.0, 0.0]]
    expected = nn.cross_entropy([values(z) for z in logits], [2, 0]).data
    for labels in (numpy.array([2, 0]), [numpy.int64(2), numpy.int32(0)], numpy.array([2.0, 0.0])):
        assert nn.cross_entropy([values(z) for z in logits], labels).data == expected
    assert nn.cross_entropy(values(logits[0]), numpy.int64(2)).data == \
        nn.cross_entropy(values(logits[0]), 2).data
    scores = [0.3, -0.4]
    for loss_fn in (nn.hinge_loss, nn.binary_cross_entropy):
        plain = loss_fn(values(scores), [1, 0]).data
        assert loss_fn(values(scores), numpy.array([1, 0])).data == plain
        assert loss_fn(values(scores), numpy.array([True, False])).data == plain
    assert nn.mse_loss([values([1.0, 2.0])], numpy.array([[0.5, 1.0]])).data == 0.625


def test_cross_entropy_refuses_one_hot_labels_naming_the_class_index():
    # it said "label 1.0 is not a class of 1 logits"
    with pytest.raises(ValueError, match=r"one-hot vector \[0, 0, 1\].*class index.*\(2 here\)"):
        nn.cross_entropy(values([0.1, 0.2, 0.3]), [0, 0, 1])
    with pytest.raises(ValueError, match=r"one-hot vector \[0.0, 1.0\].*\(1 here\)"):
        nn.cross_entropy([values([0.1, 0.2]), values([0.3, 0.4])], [[0.0, 1.0], [1.0, 0.0]])
    numpy = pytest.importorskip("numpy")
    with pytest.raises(ValueError, match=r"one-hot vector.*\(1 here\)"):
        nn.cross_entropy([values([0.1, 0.2])], numpy.eye(2)[[1]])


def test_cross_entropy_on_one_output_suggests_binary_cross_entropy_or_two_outputs():
    # the softmax of one logit is 1: the loss was 0 whatever the model did, and nothing trained
    for logits, labels in ((Value(0.3), 0), (values([0.3]), 0), (values([0.3, -0.2]), [0, 1]),
                           ([values([0.3]), values([-0.2])], [0, 1])):
        with pytest.raises(ValueError, match="1 output.*binary_cross_entropy.*2 outputs"):
            nn.cross_entropy(logits, labels)


def test_cross_entropy_warns_on_probabilities_but_not_on_logits_typed_by_hand():
    logits = values([2.0, -1.0, 0.5])
    with pytest.warns(UserWarning, match="takes logits.*softmax is applied twice"):
        nn.cross_entropy(nn.softmax(logits), 0)
    with pytest.warns(UserWarning, match="applied twice"):
        nn.cross_entropy([nn.softmax(logits), nn.softmax(values([0.0, 1.0, 2.0]))], [0, 2])
    nn.cross_entropy(values([0.2, 0.8]), 1)  # leaves: numbers typed in, fine as logits
    # one sample that happens to look like probabilities among logits: no warning
    nn.cross_entropy([nn.softmax(logits), [z * 3.0 for z in logits]], [0, 1])


# --- stability and the softmax − onehot gradient ---------------------------------------

@given(st.lists(logit, min_size=2, max_size=6), st.data())  # 1 logit: refused
def test_cross_entropy_gradient_is_softmax_minus_onehot(zs, data):
    label = data.draw(st.integers(0, len(zs) - 1))
    logits = values(zs)
    loss = nn.cross_entropy(logits, label)
    assert math.isfinite(loss.data) and loss.data >= 0
    loss.backward()
    m = max(zs)
    exps = [math.exp(z - m) for z in zs]
    softmax = [e / math.fsum(exps) for e in exps]
    # The engine's softmax is PyTorch's e^(zᵢ − logsumexp): exact up to the rounding of the
    # logsumexp, a few ulps of the largest logit, which shows in p − 1 when p is close to 1.
    slack = 4 * math.ulp(max(map(abs, zs)) + 1.0)
    for i, z in enumerate(logits):
        assert not math.isnan(z.grad)
        assert z.grad == pytest.approx(softmax[i] - (i == label), rel=1e-12, abs=slack)


@given(logit, st.sampled_from([0, 1]))
def test_binary_cross_entropy_is_finite_with_gradient_sigma_minus_y(z, y):
    v = Value(z)
    loss = nn.binary_cross_entropy(v, y)
    assert math.isfinite(loss.data) and loss.data >= 0
    assert loss.data == pytest.approx(math.log1p(math.exp(-abs(z))) + max(z, 0) - y * z, abs=1e-12)
    loss.backward()
    s = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
    assert v.grad == pytest.approx(s - y, rel=1e-12, abs=1e-15)


def test_extreme_logits_give_exact_losses():
    assert nn.cross_entropy(values([1000.0, -1000.0]), 1).data == 2000.0
    assert nn.cross_entropy(values([1000.0, -1000.0]), 0).data == 0.0
    assert nn.binary_cross_entropy(Value(-1000.0), 1).data == 1000.0
    assert nn.binary_cross_entropy(Value(1000.0), 1).data == 0.0


# --- against PyTorch ----------------------------------------------------------------------

@pytest.mark.torch
def test_losses_match_pytorch():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    zs, ys = [0.3, -2.0, 5.0, 0.0, -0.7], [1, 0, 1, 0, 0]

    def ours(loss_fn, inputs, targets):
        xs = values(inputs)
        loss = loss_fn(xs, targets)
        loss.backward()
        return loss.data, [x.grad for x in xs]

    def theirs(loss_fn, inputs, targets):
        xs = torch.tensor(inputs, dtype=torch.float64, requires_grad=True)
        loss = loss_fn(xs, torch.tensor(targets, dtype=torch.float64))
        loss.backward()
        return loss.item(), xs.grad.tolist()

    cases = [
        (nn.mse_loss, F.mse_loss, [1.0, 2.5, -1.0, 0.0, 3.0]),
        (nn.binary_cross_entropy, F.binary_cross_entropy_with_logits, ys),
        (nn.hinge_loss, lambda s, y: torch.relu(1 - (2 * y - 1) * s).mean(), ys),
    ]
    for our_fn, torch_fn, targets in cases:
        (ours_loss, ours_grad), (torch_loss, torch_grad) = ours(our_fn, zs, targets), \
            theirs(torch_fn, zs, targets)
        assert ours_loss == pytest.approx(torch_loss, rel=1e-12)
        assert ours_grad == pytest.approx(torch_grad, rel=1e-12, abs=1e-15)

    batch = [[0.5, -1.0, 2.0], [1000.0, -1000.0, 0.0], [0.0, 0.0, 0.0]]
    labels = [2, 1, 0]
    logits = [values(row) for row in batch]
    loss = nn.cross_entropy(logits, labels)
    loss.backward()
    t = torch.tensor(batch, dtype=torch.float64, requires_grad=True)
    t_loss = F.cross_entropy(t, torch.tensor(labels))
    t_loss.backward()
    assert loss.data == pytest.approx(t_loss.item(), rel=1e-12)
    assert [[z.grad for z in row] for row in logits] == [
        pytest.approx(row, rel=1e-12, abs=1e-15) for row in t.grad.tolist()]

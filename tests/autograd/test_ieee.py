"""IEEE 754 results, as PyTorch float64 gives them: never a Python exception."""


import math

import pytest

import autograd
from autograd import Value, gradients
from tests.strategies import IEEE_CASES, same

# --- IEEE 754 ----------------------------------------------------------------------------------

@pytest.mark.parametrize("case", IEEE_CASES, ids=[c.expr for c in IEEE_CASES])
def test_ieee_edge_case_value_and_local_derivatives(case):
    node, inputs = case.build()
    assert same(node.data, case.value), f"{case.expr} = {node.data!r}, expected {case.value!r}"
    assert len(node.local_grads) == len(case.grads)
    for got, expected in zip(node.local_grads, case.grads):
        assert same(got, expected), f"d({case.expr}): {node.local_grads!r}, expected {case.grads!r}"
    node.backward()
    assert all(same(v.grad, g) for v, g in zip(inputs, case.grads))


@pytest.mark.parametrize("case", IEEE_CASES, ids=[c.expr for c in IEEE_CASES])
def test_ieee_edge_case_first_derivatives_under_create_graph(case):
    # the same rules evaluated on Values (for second derivatives) give the same numbers
    node, inputs = case.build()
    grads = gradients(node, inputs, create_graph=True)
    assert all(isinstance(g, Value) for g in grads)
    assert all(same(g.data, expected) for g, expected in zip(grads, case.grads)), (
        f"d({case.expr}) with create_graph: {[g.data for g in grads]}, expected {case.grads}")


def test_abs_at_zero_has_derivative_zero_also_under_create_graph():
    # regression: abs's rule was x/|x|, which is 0/0 = nan at 0 once evaluated on Values
    x = Value(0.0)
    (first,) = gradients(abs(x), [x], create_graph=True)
    assert first.data == 0.0
    assert gradients(first, [x]) == [0.0]
    y = Value(0.0)
    y.abs().backward(create_graph=True)
    assert isinstance(y.grad, Value) and y.grad.data == 0.0


def test_sign_at_zero_and_nan_is_zero_with_derivative_zero():
    for x in (0.0, -0.0, math.nan):
        v = Value(x)
        s = v.sign()
        s.backward()
        assert s.data == 0.0 and v.grad == 0.0


def test_softplus_log1p_expm1_logsumexp_at_their_edges_as_a_learner_writes_them():
    # the same edges as IEEE_CASES, through the Value methods and autograd.logsumexp
    assert Value(1000.0).softplus().data == 1000.0  # not ln(1 + inf) = inf
    assert Value(-1000.0).softplus().data == 0.0
    assert Value(-1.0).log1p().data == -math.inf
    assert math.isnan(Value(-2.0).log1p().data)
    assert Value(710.0).expm1().data == math.inf
    assert Value(-1000.0).expm1().data == -1.0
    assert autograd.logsumexp([Value(1000.0), 1000.0]).data == 1000.0 + math.log(2)
    assert autograd.logsumexp([-math.inf, Value(-math.inf)]).data == -math.inf
    assert autograd.logsumexp([Value(math.inf), Value(0.0)]).data == math.inf


ISSUE_CASES = {
    "log(0)": (lambda: Value(0.0).log(), -math.inf),
    "log(-1)": (lambda: Value(-1.0).log(), math.nan),
    "sqrt(-1)": (lambda: Value(-1.0).sqrt(), math.nan),
    "x/0": (lambda: Value(1.0) / 0, math.inf),
    "-1/x": (lambda: -1 / Value(0.0), -math.inf),
    "0/0": (lambda: Value(0.0) / Value(0.0), math.nan),
    "(-8)**(1/3)": (lambda: Value(-8.0) ** (1 / 3), math.nan),
    "0**-1": (lambda: Value(0.0) ** -1, math.inf),
    "exp(1000)": (lambda: Value(1000.0).exp(), math.inf),
    "10**400": (lambda: Value(10.0) ** 400, math.inf),
    "10**x": (lambda: 10 ** Value(400.0), math.inf),
    "sin(inf)": (lambda: Value(math.inf).sin(), math.nan),
}


@pytest.mark.parametrize("build, expected", ISSUE_CASES.values(), ids=ISSUE_CASES.keys())
def test_ieee_results_from_the_issue_written_as_operators(build, expected):
    assert same(build().data, expected)


def test_sigmoid_and_tanh_are_stable_far_out():
    for x, sigmoid, tanh in [(-1000.0, 0.0, -1.0), (1000.0, 1.0, 1.0), (-1e308, 0.0, -1.0)]:
        s, t = Value(x).sigmoid(), Value(x).tanh()
        assert s.data == sigmoid and s.local_grads == (0.0,)
        assert t.data == tanh and t.local_grads == (0.0,)


# --- a zero local derivative times an infinite or nan upstream gradient ------------------------
# PyTorch computes some derivatives with a mask, where(mask, 0, grad): the contribution is 0
# even when grad is inf or nan. Others are products, and 0 × inf is nan there too.
UPSTREAM_CASES = {  # name: (the op on a leaf x, x, masked by PyTorch?)
    "relu(-1)": (lambda x: x.relu(), -1.0, True),
    "relu(0)": (lambda x: x.relu(), 0.0, True),
    "sign(3)": (lambda x: x.sign(), 3.0, True),
    "sign(0)": (lambda x: x.sign(), 0.0, True),
    "x**0": (lambda x: x ** 0, 3.0, True),
    "0**x": (lambda x: Value(0.0) ** x, 2.0, False),  # d/dy x^y is a 0 PyTorch multiplies
    "abs(0)": (lambda x: abs(x), 0.0, False),
    "tanh(40)": (lambda x: x.tanh(), 40.0, False),  # 1 − tanh² is exactly 0 there
    "x*0": (lambda x: x * 0.0, 5.0, False),
}


@pytest.mark.parametrize("upstream", [math.inf, -math.inf, math.nan])
@pytest.mark.parametrize("op, x, masked", UPSTREAM_CASES.values(), ids=UPSTREAM_CASES.keys())
def test_zero_local_derivative_times_infinite_upstream_is_zero_where_pytorch_masks(
        op, x, masked, upstream):
    # x.relu() * inf left x.grad nan; PyTorch gives 0.0 (issue 18)
    leaf = Value(x)
    (op(leaf) * upstream).backward()
    assert same(leaf.grad, 0.0) if masked else math.isnan(leaf.grad)
    (through_gradients,) = gradients(op(Value(x)) * upstream, [Value(x)])  # an unrelated input
    assert through_gradients == 0.0
    other = Value(x)
    assert same(gradients(op(other) * upstream, [other])[0], leaf.grad)


@pytest.mark.torch
@pytest.mark.parametrize("op, x, masked", UPSTREAM_CASES.values(), ids=UPSTREAM_CASES.keys())
def test_zero_local_derivative_times_infinite_upstream_matches_pytorch(op, x, masked):
    torch = pytest.importorskip("torch")
    leaf = Value(x)
    (op(leaf) * math.inf).backward()
    tensor = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    torch_op = {"relu(-1)": torch.relu, "relu(0)": torch.relu, "sign(3)": torch.sign,
                "sign(0)": torch.sign, "x**0": lambda t: t ** 0, "0**x": lambda t: 0.0 ** t,
                "abs(0)": torch.abs, "tanh(40)": torch.tanh, "x*0": lambda t: t * 0.0}
    name = next(key for key, case in UPSTREAM_CASES.items() if case[0] is op)
    (torch_op[name](tensor) * math.inf).backward()
    assert same(leaf.grad, tensor.grad.item())

"""IEEE 754 results, as PyTorch float64 gives them: never a Python exception."""


import math

import pytest

from autograd import Value
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

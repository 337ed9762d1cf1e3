"""autograd.sum, dot and logsumexp: one node, one edge per Value, numbers folded in."""

import math

import pytest

import autograd
from autograd import Value

# --- sum and dot ---------------------------------------------------------------------------------

def test_sum_is_one_node_with_one_edge_per_value():
    x, y, z = Value(1.0), Value(2.0), Value(4.0)
    s = autograd.sum([x, y, z])
    assert s.data == 7.0
    assert s.parents == (x, y, z) and s.local_grads == (1.0, 1.0, 1.0)
    assert s.op == "sum"
    s.backward()
    assert (x.grad, y.grad, z.grad) == (1.0, 1.0, 1.0)


def test_sum_folds_numbers_into_one_constant():
    x, y = Value(1.0), Value(2.0)
    s = autograd.sum([x, 2, y, 3.5])
    assert s.data == 8.5
    assert s.parents == (x, y) and s.constant == 5.5


def test_sum_accepts_a_generator_and_repeated_nodes():
    x = Value(1.5)
    s = autograd.sum(v for v in [x, x, x])
    s.backward()
    assert s.data == 4.5 and x.grad == 3.0


def test_sum_rejects_a_non_number_naming_its_type():
    with pytest.raises(TypeError, match="str"):
        autograd.sum([Value(1.0), "a"])


def test_dot_is_one_node_with_one_edge_per_value():
    w1, w2, x1, x2, b = Value(2.0), Value(-1.0), Value(3.0), Value(4.0), Value(0.5)
    d = autograd.dot([w1, w2], [x1, x2], b)
    assert d.data == 2.0 * 3.0 - 4.0 + 0.5
    assert d.parents == (w1, w2, x1, x2, b)
    assert d.local_grads == (3.0, 4.0, 2.0, -1.0, 1.0)  # d/dw = x, d/dx = w, d/db = 1
    assert d.op == "dot"
    d.backward()
    assert [v.grad for v in (w1, w2, x1, x2, b)] == [3.0, 4.0, 2.0, -1.0, 1.0]


def test_dot_without_bias():
    w, x = Value(2.0), Value(3.0)
    d = autograd.dot([w], [x])
    assert d.data == 6.0
    assert d.parents == (w, x) and d.local_grads == (3.0, 2.0)
    assert d.constant is None


def test_dot_folds_numbers_and_keeps_only_values_as_parents():
    w, x = Value(2.0), Value(4.0)
    d = autograd.dot([w, 5.0], [3.0, x], 1.5)  # 2*3 + 5*4 + 1.5
    assert d.data == 27.5
    assert d.parents == (w, x) and d.local_grads == (3.0, 5.0)
    assert d.constant == (None, 5.0, 3.0, None, 1.5)  # the plain operands, for the drawing


def test_dot_with_a_value_bias_and_number_weights():
    x, b = Value(4.0), Value(1.0)
    d = autograd.dot([2.0], [x], b)
    assert d.data == 9.0 and d.parents == (x, b) and d.local_grads == (2.0, 1.0)


def test_dot_with_value_weights_and_bias_fed_plain_numbers():
    # a neuron in the first layer: its inputs are data, not nodes
    w1, w2, b = Value(2.0), Value(-1.0), Value(0.5)
    d = autograd.dot([w1, w2], [3.0, 4], b)
    assert d.data == 6.0 - 4.0 + 0.5
    assert d.parents == (w1, w2, b) and d.local_grads == (3.0, 4.0, 1.0)
    assert d.constant == (None, None, 3.0, 4.0, None)  # the drawing shows them as x₀, x₁
    assert type(d.constant[3]) is float


def test_dot_with_value_weights_and_bias_and_mixed_inputs():
    w1, w2, x2, b = Value(2.0), Value(-1.0), Value(4.0), Value(0.5)
    d = autograd.dot([w1, w2], [3.0, x2], b)
    assert d.data == 2.5
    assert d.parents == (w1, w2, x2, b) and d.local_grads == (3.0, 4.0, -1.0, 1.0)
    assert d.constant == (None, None, 3.0, None, None)


def test_dot_with_a_node_on_both_sides():
    x = Value(3.0)
    d = autograd.dot([x], [x])
    d.backward()  # x^2
    assert d.data == 9.0 and x.grad == 6.0


def test_dot_length_mismatch_says_what_was_wrong():
    with pytest.raises(ValueError, match="2 weights.*3 inputs"):
        autograd.dot([Value(1.0), Value(2.0)], [Value(1.0)] * 3)


@pytest.mark.parametrize("bad", ["a", None, 1j, [1.0]], ids=["str", "None", "complex", "list"])
def test_dot_rejects_a_non_number_input_even_with_value_weights_and_bias(bad):
    # the neuron's fast path must not let a bad input through (nor turn it into a node)
    with pytest.raises(TypeError, match=type(bad).__name__):
        autograd.dot([Value(1.0)], [bad], Value(0.0))


def test_dot_rejects_a_non_number_weight_or_bias():
    with pytest.raises(TypeError, match="str"):
        autograd.dot(["a"], [Value(1.0)])
    with pytest.raises(TypeError, match="str"):
        autograd.dot([Value(1.0)], [Value(1.0)], "a")


def test_builtin_sum_over_values_works():
    x, y, z = Value(1.0), Value(2.0), Value(4.0)
    s = sum([x, y * y, z])
    s.backward()
    assert s.data == 9.0
    assert (x.grad, y.grad, z.grad) == (1.0, 4.0, 1.0)


def test_dot_fed_int_inputs_stores_float_local_derivatives():
    # regression: the first-layer fast path kept the ints themselves as d/dw
    w, b = Value(0.5), Value(1.0)
    node = autograd.dot([w], [2], b)
    assert node.local_grads == (2.0, 1.0)
    assert all(type(d) is float for d in node.local_grads)


# --- logsumexp ------------------------------------------------------------------------------

def test_logsumexp_is_one_node_whose_local_derivatives_are_the_softmax():
    x, y = Value(0.0), Value(math.log(3.0))
    node = autograd.logsumexp([x, y])
    assert node.op == "logsumexp" and node.parents == (x, y)
    assert math.isclose(node.data, math.log(4.0), rel_tol=1e-15)
    assert [round(d, 15) for d in node.local_grads] == [0.25, 0.75]


def test_logsumexp_folds_numbers_into_one_constant():
    # ln(e^x + e^1 + e^2) = ln(e^x + e^c) with c = ln(e^1 + e^2): one constant, one edge
    x = Value(0.5)
    node = autograd.logsumexp([1.0, x, 2])
    assert node.parents == (x,)
    assert math.isclose(node.constant, math.log(math.e + math.e**2), rel_tol=1e-15)
    expected = math.log(math.exp(0.5) + math.e + math.e**2)
    assert math.isclose(node.data, expected, rel_tol=1e-15)
    assert math.isclose(node.local_grads[0], math.exp(0.5 - expected), rel_tol=1e-14)


def test_logsumexp_of_nothing_says_why_it_refuses():
    with pytest.raises(ValueError, match="at least one value"):
        autograd.logsumexp([])


def test_logsumexp_accepts_a_generator_and_repeated_nodes():
    x = Value(1.0)
    node = autograd.logsumexp(v for v in [x, x])  # ln(2eˣ) = x + ln 2, d/dx = 1
    node.backward()
    assert math.isclose(node.data, 1.0 + math.log(2.0), rel_tol=1e-15)
    assert math.isclose(x.grad, 1.0, rel_tol=1e-15)


# --- the n-ary ops' rules evaluated on Values (create_graph), whatever their operands --------

def _second(node_of, x):
    leaf = Value(x)
    (first,) = autograd.gradients(node_of(leaf), [leaf], create_graph=True)
    return first.data, autograd.gradients(first, [leaf])[0]


@pytest.mark.parametrize("form, node_of, first, second", [
    ("dot([x], [x])", lambda x: autograd.dot([x], [x]), 6.0, 2.0),  # no bias: 0.0 put in
    ("dot([x], [x], 1.0)", lambda x: autograd.dot([x], [x], 1.0), 6.0, 2.0),
    ("dot([2, x], [x, 3])", lambda x: autograd.dot([2.0, x], [x, 3.0]), 5.0, 0.0),
    ("dot([x, x], [4, 5], x)", lambda x: autograd.dot([x, x], [4, 5], x), 10.0, 0.0),  # a neuron
    ("dot([x], [x], x * x)", lambda x: autograd.dot([x], [x], x * x), 12.0, 4.0),
    ("sum([x, 2, x * x])", lambda x: autograd.sum([x, 2, x * x]), 7.0, 2.0),
    ("logsumexp([x, x])", lambda x: autograd.logsumexp([x, x]), 1.0, 0.0),
    ("logsumexp([2x, 6])", lambda x: autograd.logsumexp([2 * x, 6.0]), 1.0, 1.0),  # 4p(1 − p)
], ids=lambda v: v if isinstance(v, str) else "")
def test_nary_second_derivatives_with_numbers_folded_in(form, node_of, first, second):
    # at x = 3: the rules see the numbers put back in their places (ops.operands)
    got_first, got_second = _second(node_of, 3.0)
    assert math.isclose(got_first, first, rel_tol=1e-15), f"d/dx {form} = {got_first}"
    assert math.isclose(got_second, second, rel_tol=1e-15, abs_tol=1e-15), (
        f"d²/dx² {form} = {got_second}")

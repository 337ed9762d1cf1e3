"""autograd.sum and autograd.dot: one node, one edge per Value, numbers folded in."""



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

"""autograd.gradients and autograd.backward over many outputs and nested inputs (tape.py)."""

import math
from collections import namedtuple

import pytest

import autograd
from autograd import Value


def _softmax_layer():
    """The course's one layer softmax(xW + b), p = 2 inputs, K = 3 classes (COURSE.md §6)."""
    W = [[Value(0.1 * (i + k) - 0.2) for k in range(3)] for i in range(2)]
    b = [Value(0.05 * k) for k in range(3)]
    x = [0.5, -1.5]
    z = [autograd.sum([x[i] * W[i][k] for i in range(2)] + [b[k]]) for k in range(3)]
    total = autograd.logsumexp(z)
    return W, b, x, z, [(zk - total).exp() for zk in z]


def test_gradients_of_a_matrix_and_a_vector_come_back_in_their_shapes():
    # gradients(y, [W, b]) with W a list of lists raised: a list is not a Value
    W, b, x, z, _ = _softmax_layer()
    dW, db = autograd.gradients(z[1], [W, b])
    assert dW == [[0.0, x[0], 0.0], [0.0, x[1], 0.0]]  # dz₁/dW[i][k] = x_i where k = 1
    assert db == [0.0, 1.0, 0.0]


def test_gradients_of_a_list_of_outputs_is_the_gradient_of_their_sum_as_tensorflow_gives():
    # the course's tape.gradient(f, [W, b]) with f = softmax: each row sums to 1, so it is 0
    W, b, _, z, probabilities = _softmax_layer()
    dW, db = autograd.gradients(probabilities, [W, b])
    assert all(abs(g) < 1e-15 for g in db + dW[0] + dW[1])
    single = autograd.gradients(z, [b])  # Σ z_k: d/db_k = 1
    assert single == [[1.0, 1.0, 1.0]]
    assert autograd.gradients([[z[0]], (z[1],)], b) == [1.0, 1.0, 0.0]  # nested outputs too


def test_gradients_with_create_graph_keeps_structures_and_graphs():
    x = [Value(1.0), Value(2.0)]
    (dx,) = autograd.gradients([x[0] * x[1], x[0] ** 3], [x], create_graph=True)
    assert [g.data for g in dx] == [2.0 + 3.0, 1.0]
    assert autograd.gradients(dx[0], x) == [6.0, 1.0]  # d/dx (x₁ + 3x₀²)


def test_gradients_accepts_a_namedtuple_of_inputs():
    P = namedtuple("P", "w b")
    p = P(Value(2.0), Value(1.0))
    grads = autograd.gradients((p.w * 3.0 + p.b).tanh(), p)
    assert type(grads) is P and grads.b == pytest.approx(1 - math.tanh(7.0) ** 2)


def test_backward_of_a_list_of_outputs_fills_the_grads_of_their_sum():
    x, w = Value(2.0), Value(-1.0)
    outputs = [x * w, x + w, (x * x).tanh()]
    autograd.backward(outputs)
    assert x.grad == pytest.approx(-1.0 + 1.0 + 4.0 * (1 - math.tanh(4.0) ** 2))
    assert w.grad == 2.0 + 1.0
    with pytest.raises(RuntimeError, match="already gone through"):
        autograd.backward(outputs)
    with pytest.raises(RuntimeError, match="already gone through"):
        outputs[0].backward()


def test_backward_of_a_list_with_retain_graph_can_go_again():
    x = Value(3.0)
    outputs = [x * x, x * 2.0]
    autograd.backward(outputs, retain_graph=True)
    autograd.backward(outputs)
    assert x.grad == 2 * (6.0 + 2.0)


@pytest.mark.parametrize("call", [autograd.backward, lambda o: autograd.gradients(o, [])])
def test_outputs_that_are_not_values_are_named(call):
    with pytest.raises(TypeError, match=r"got float 2.0 among the outputs.*no graph"):
        call([Value(1.0) * 2, 2.0])
    with pytest.raises(ValueError, match="no outputs"):
        call([])

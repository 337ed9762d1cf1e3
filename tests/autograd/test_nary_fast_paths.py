"""The fast paths of autograd.dot and autograd.sum: the same node, bit for bit, as the checked ones.

``dot`` of Value weights with a Value bias or none (a neuron) and ``sum`` of
Values only skip the per-item checks. Each is compared here with the
reference it must equal: ``_dot_any`` (dot's path for any mix, checking
every item) and the definition ``b + w₁x₁ + … + wₙxₙ`` summed left to right.
Floats are compared with ``float.hex``, so that −0.0 ≠ 0.0 and nan = nan.
"""

import operator

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Value
from autograd.core import nary

FLOATS = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0, 1.0])


def bits(numbers):
    """Each float as its exact hex form (−0.0 and 0.0 differ; None and ints kept as they are)."""
    return [n.hex() if isinstance(n, float) else n for n in numbers]


def same_dot(a, b):
    """True when two dot nodes hold the same bits, the same parents and the same constant."""
    return (bits([a.data]) == bits([b.data]) and a.op == b.op == "dot"
            and len(a.parents) == len(b.parents)
            and all(p is q for p, q in zip(a.parents, b.parents))
            and bits(a.local_grads) == bits(b.local_grads)
            and bits(a.constant or [None]) == bits(b.constant or [None]))


@st.composite
def neurons(draw):
    """(weights, inputs, bias): Value weights, Value or plain inputs, a Value bias or None."""
    n = draw(st.integers(1, 6))
    weights = [Value(w) for w in draw(st.lists(FLOATS, min_size=n, max_size=n))]
    inputs = draw(st.lists(FLOATS, min_size=n, max_size=n))
    if draw(st.booleans()):  # a hidden layer: its inputs are nodes
        inputs = [Value(x) for x in inputs]
    bias = draw(st.one_of(st.none(), FLOATS.map(Value)))
    return weights, inputs, bias


@given(neurons())
def test_dot_fast_path_gives_the_checked_paths_node_bit_for_bit(neuron):
    # dot(w, x) without a bias took the checked path, 3× slower than with a bias
    assert same_dot(autograd.dot(*neuron), nary._dot_any(*neuron))


@given(neurons())
def test_dot_is_its_definition_summed_left_to_right_from_the_bias(neuron):
    weights, inputs, bias = neuron
    data = [x.data if isinstance(x, Value) else x for x in inputs]
    start = 0.0 if bias is None else bias.data
    expected = sum(map(operator.mul, [w.data for w in weights], data), start)
    assert bits([autograd.dot(*neuron).data]) == bits([expected])


def test_dot_without_bias_does_not_take_the_checked_path(monkeypatch):
    # a neuron written dot(w, x) + b made the benchmark step 7.3× the floor instead of ~4×
    def refuse(*args):
        raise AssertionError("dot(w, x) of Values took the checked path")

    monkeypatch.setattr(nary, "_dot_any", refuse)
    w, x = [Value(1.0), Value(2.0)], [Value(3.0), Value(-4.0)]
    hidden = autograd.dot(w, x)
    first_layer = autograd.dot(w, [3.0, -4])
    assert hidden.data == first_layer.data == -5.0
    assert hidden.parents == (*w, *x) and hidden.constant is None
    assert first_layer.parents == tuple(w) and first_layer.constant == (None, None, 3.0, -4.0,
                                                                          None)


def test_dot_without_bias_of_negative_zero_products_is_positive_zero():
    # the documented start at b = 0.0: -0.0 · 1 + (nothing) is +0.0, as torch.dot gives
    d = autograd.dot([Value(-0.0), Value(0.0)], [Value(1.0), Value(-1.0)])
    assert bits([d.data]) == bits([0.0])
    d.backward()  # and the node is an ordinary one: an even number of parents, no constant
    assert len(d.parents) == 4 and d.constant is None


def test_dot_without_bias_gives_operands_the_absent_bias_as_zero():
    # ops.operands() recognises an all-Value dot without bias by its even parent count
    from autograd.core.ops import operands
    w, x = [Value(1.0), Value(2.0)], [Value(3.0), Value(-4.0)]
    flat, positions = operands(autograd.dot(w, x))
    assert flat == [*w, *x, 0.0] and list(positions) == [0, 1, 2, 3]


def test_dot_fast_path_hands_a_number_hidden_among_values_to_the_checks():
    numpy = pytest.importorskip("numpy")
    w, x = [Value(2.0), Value(3.0)], Value(5.0)
    d = autograd.dot(w, [x, numpy.float64(7.0)])  # a NumPy float has a .data too (a memoryview)
    assert d.data == 31.0
    assert d.parents == (*w, x) and d.constant == (None, None, None, 7.0, None)


def test_dot_fast_path_still_rejects_a_value_of_another_library_by_name():
    class Tensorish:  # like a torch tensor: a .data that multiplies into more of itself
        data = property(lambda self: self)

        def __mul__(self, other):
            return self

        __rmul__ = __radd__ = __add__ = __mul__

    with pytest.raises(TypeError, match="Tensorish"):
        autograd.dot([Value(1.0), Tensorish()], [Value(2.0), Value(3.0)])


@given(st.lists(FLOATS, max_size=8))
def test_sum_of_values_is_the_left_to_right_sum_from_zero(numbers):
    # autograd.sum of Values built three lists it did not need
    values = [Value(n) for n in numbers]
    s = autograd.sum(iter(values))
    assert bits([s.data]) == bits([sum(numbers, 0.0)])
    assert s.parents == tuple(values) and s.local_grads == (1.0,) * len(values)
    assert s.constant is None and s.op == "sum"


def test_sum_of_values_does_not_take_the_path_for_numbers(monkeypatch):
    def refuse(values):
        raise AssertionError("a sum of Values took the path for numbers")

    monkeypatch.setattr(nary, "_sum_with_numbers", refuse)
    x = Value(2.0)
    assert autograd.sum([x, x]).data == 4.0

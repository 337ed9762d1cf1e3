"""autograd.compile's two additions for training a model: ``wrt`` and a list of outputs.

``wrt``: gradients with respect to Values f reads from outside its arguments
(a model's parameters), equal to ``autograd.gradients`` on the dynamic graph.
A list of outputs: a forward pass, when no gradient is asked for.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Value
from tests.autograd.test_compile import same_bits

NUMBERS = st.floats(-3, 3)


def unit(params):
    """tanh(w·x + b) and a relu of its square: a small model over the Values ``params``."""
    w0, w1, b, _unused = params

    def f(x, y):
        s = autograd.dot([w0, w1], x, b).tanh()
        return (s * y - 0.25).relu() + s * s
    return f


@given(st.lists(NUMBERS, min_size=4, max_size=4), st.lists(NUMBERS, min_size=2, max_size=2),
       NUMBERS)
def test_wrt_gives_the_gradients_backward_gives_the_values_from_outside(numbers, x, y):
    params = [Value(n) for n in numbers]
    f = unit(params)
    value, (no_argument, grads) = autograd.compile(f, argnums=(), wrt=params)(x, y)
    expected = f(x, y)
    assert no_argument == ()
    assert same_bits(value, expected.data)
    assert same_bits(grads, autograd.gradients(expected, params))
    assert grads[3] == 0.0  # a Value of wrt that f does not use


def test_wrt_with_argnums_gives_the_pair_of_gradients():
    params = [Value(0.5), Value(-1.0), Value(0.25), Value(2.0)]
    f = unit(params)
    value, (dx, dparams) = autograd.compile(f, argnums=0, wrt=params)([0.3, -0.7], 1.5)
    inputs = [Value(0.3), Value(-0.7)]
    expected = autograd.gradients(f(inputs, 1.5), inputs + params)
    assert same_bits(dx + dparams, expected)


def test_wrt_sum_equals_adding_up_per_sample_calls_and_reads_the_current_numbers():
    params = [Value(0.5), Value(-1.0), Value(0.25), Value(2.0)]
    g = autograd.compile(unit(params), argnums=(), wrt=params)
    batch = [([0.1 * i, 1 - 0.2 * i], (-1.0) ** i) for i in range(6)]
    for _ in range(2):
        total, grads = 0.0, [0.0] * 4
        for x, y in batch:
            value, (_, sample_grads) = g(x, y)
            total += value
            grads = [a + b for a, b in zip(grads, sample_grads)]
        assert same_bits(g.sum(batch=batch), (total, ((), grads)))
        for p, grad in zip(params, grads):  # a step of gradient descent: g reads the new numbers
            p.data -= 0.5 * grad
    assert "G_c1" in g.traces[next(iter(g.traces))].sum_source(0)


@pytest.mark.parametrize("wrt, error, message", [
    (Value(1.0), TypeError, "list of Values"),
    ([Value(1.0), 2.0], TypeError, "takes Values"),
    ([Value(1.0) * 2.0], ValueError, "leaf Values"),
])
def test_wrt_takes_a_list_of_leaf_values(wrt, error, message):
    with pytest.raises(error, match=message):
        autograd.compile(lambda x: x, wrt=wrt)


# --- a list of outputs: a forward pass --------------------------------------------------------

def layer(weights):
    def f(x):
        s = autograd.dot(weights, x)
        return [s.relu(), (s.tanh(), s * 2.0), s]
    return f


@given(st.lists(NUMBERS, min_size=2, max_size=2))
def test_a_list_of_outputs_gives_their_numbers_in_the_same_structure(x):
    weights = [Value(0.5), Value(-1.5)]
    outputs, gradient = autograd.compile(layer(weights), argnums=())(x)
    expected = layer(weights)(x)
    assert gradient == ()
    assert same_bits(outputs, [expected[0].data, (expected[1][0].data, expected[1][1].data),
                               expected[2].data])


def test_a_gradient_or_a_sum_of_a_list_of_outputs_is_refused():
    weights = [Value(0.5), Value(-1.5)]
    with pytest.raises(TypeError, match="a gradient is of one number"):
        autograd.compile(layer(weights))([1.0, 2.0])
    with pytest.raises(TypeError, match="a gradient is of one number"):
        autograd.compile(layer(weights), argnums=(), wrt=weights)([1.0, 2.0])
    with pytest.raises(TypeError, match="must return one Value"):
        autograd.compile(layer(weights), argnums=()).sum(batch=[([1.0, 2.0],)])


def test_returning_other_nodes_when_the_numbers_change_is_caught():
    def picks(x):  # the same nodes, but which one is returned depends on x.data
        a = x * 2.0
        b = a * 3.0
        return [b, a] if x.data > 0 else [b, b]

    def drops(x):  # returns one node less for negative numbers
        a = x * 2.0
        return [a, a * 3.0] if x.data > 0 else [a, a]

    for f, message in ((picks, "returns other ones of them"), (drops, "has 2 nodes, then 1")):
        g = autograd.compile(f, argnums=())
        g(1.0)
        with pytest.raises(autograd.TraceError, match=message):
            g(-1.0)

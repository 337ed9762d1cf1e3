"""Neuron, Layer/Dense, Sequential, MLP: what they compute, how they are called, how they start."""

import math
import random
import statistics

import pytest

import nn
from autograd import Value


def fixed(values):
    """An init that hands out the given weights in order (for hand-checkable networks)."""
    it = iter(values)
    return lambda rng, fan_in, fan_out: next(it)


@pytest.mark.parametrize("activation, sigma", [
    ("linear", lambda s: s),
    ("relu", lambda s: max(0.0, s)),
    ("tanh", lambda s: 2 / (1 + math.exp(-2 * s)) - 1),
    ("sigmoid", lambda s: 1 / (1 + math.exp(-s))),
    (None, lambda s: s),
])
@pytest.mark.parametrize("x", [[1.5, -2.0], [-0.5, 0.25]])
def test_neuron_computes_activation_of_weighted_sum(activation, sigma, x):
    neuron = nn.Neuron(2, activation=activation, init=fixed([0.5, 0.75]))
    neuron.b.data = 0.1
    s = 0.1 + 0.5 * x[0] + 0.75 * x[1]
    assert neuron(x).data == pytest.approx(sigma(s), rel=1e-12, abs=1e-15)


def test_neuron_weighted_sum_is_one_node_and_activation_another():
    neuron = nn.Neuron(3, activation="tanh", seed=0)
    out = neuron([Value(1.0), Value(2.0), Value(3.0)])
    assert out.op == "tanh"
    assert out.parents[0].op == "dot"
    assert len(out.parents[0].parents) == 3 + 3 + 1
    assert nn.Neuron(2, activation="linear", seed=0)([1.0, 2.0]).op == "dot"


def test_custom_activation_function():
    neuron = nn.Neuron(1, activation=lambda s: s * s, init=fixed([3.0]))
    assert neuron([2.0]).data == 36.0


def test_math_tanh_as_activation_is_refused_instead_of_giving_zero_grads():
    # it was accepted, the summary said tanh, and every first-layer grad came out 0
    with pytest.raises(TypeError, match=r"math\.tanh .*activation='tanh'"):
        nn.MLP(2, [3, 1], activation=math.tanh)
    with pytest.raises(TypeError, match=r"lambda s: s\.sin\(\)"):
        nn.Neuron(2, activation=math.sin)


def test_activation_returning_a_plain_number_is_rejected_with_its_name():
    def leaky(s):
        return s if s.data > 0 else 0.01 * s.data  # the negative side forgets the graph

    neuron = nn.Neuron(1, activation=leaky, init=fixed([1.0]))
    assert neuron([2.0]).data == 2.0
    with pytest.raises(TypeError, match=r"activation leaky returned float .*not a Value"):
        neuron([-2.0])
    with pytest.raises(TypeError, match=r"activation .*lambda.* failed on a Value.*x\.sin\(\)"):
        nn.Neuron(1, activation=lambda s: math.sin(s))([1.0])


def test_unknown_activation_lists_the_valid_names():
    with pytest.raises(ValueError) as error:
        nn.MLP(2, [3, 1], activation="rleu")
    for name in ("'linear'", "'relu'", "'tanh'", "'sigmoid'"):
        assert name in str(error.value)
    with pytest.raises(ValueError, match="nn.cross_entropy"):
        nn.Layer(3, 3, activation="softmax")
    with pytest.raises(TypeError, match="activation"):
        nn.Neuron(2, activation=3)


def test_layer_computes_sigma_of_W_x_plus_b():
    W = [[1.0, -1.0], [0.5, 2.0], [-3.0, 0.0]]
    layer = nn.Layer(2, 3, activation="relu", init=fixed([w for row in W for w in row]))
    for j, bias in enumerate([0.5, -10.0, 1.0]):
        layer.neurons[j].b.data = bias
    out = layer([2.0, 1.0])
    assert [v.data for v in out] == [max(0.0, 2 - 1 + 0.5), 0.0, max(0.0, -6 + 1.0)]
    assert nn.Dense is nn.Layer


def test_calling_conventions():
    model = nn.MLP(2, [4, 3], seed=0)
    out = model([1.0, Value(2.0)])
    assert isinstance(out, list) and len(out) == 3 and all(isinstance(v, Value) for v in out)
    single = nn.MLP(2, [4, 1], seed=0)([1.0, 2.0])
    assert isinstance(single, Value)
    assert isinstance(nn.Layer(2, 1, seed=0)([1.0, 2.0]), Value)
    assert isinstance(nn.Layer(2, 2, seed=0)((1.0, 2.0)), list)


def test_one_one_one_network_the_course_first_exercise():
    # f(x) = w2 · relu(w1 x + b1) + b2, loss (y - f(x))²: the four gradients by hand
    model = nn.MLP(1, [1, 1], init=fixed([0.5, -1.5]))
    hidden, out = model.layers[0].neurons[0], model.layers[1].neurons[0]
    hidden.b.data, out.b.data = 0.25, 0.1
    x, y = 2.0, 1.0
    f = model(x)  # a bare number is one input
    h = max(0.0, 0.5 * x + 0.25)
    assert f.data == pytest.approx(-1.5 * h + 0.1)
    loss = (y - f) ** 2
    loss.backward()
    dl_df = -2 * (y - f.data)
    assert out.w[0].grad == pytest.approx(dl_df * h)
    assert out.b.grad == pytest.approx(dl_df)
    assert hidden.w[0].grad == pytest.approx(dl_df * -1.5 * x)  # relu is active: σ' = 1
    assert hidden.b.grad == pytest.approx(dl_df * -1.5)


def test_wrong_number_of_inputs_says_what_was_expected():
    with pytest.raises(ValueError, match="expects 2 inputs"):
        nn.MLP(2, [3, 1], seed=0)([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="nin is the number of inputs"):
        nn.Layer(0, 3)
    with pytest.raises(TypeError, match="nouts"):
        nn.MLP(2, 3)


def test_sequential_chains_layers_and_checks_sizes():
    a, b = nn.Dense(2, 3, "tanh", seed=0), nn.Dense(3, 1, "linear", seed=1)
    model = nn.Sequential(a, b)
    x = [0.3, -0.9]
    assert model(x).data == b(a(x)).data
    assert [name for name, _ in model.named_parameters()][0] == "layers.0.neurons.0.w.0"
    assert model.num_parameters() == 3 * 3 + 4
    with pytest.raises(ValueError, match="layer 1 takes 4 inputs but layer 0 gives 3"):
        nn.Sequential(nn.Dense(2, 3), nn.Dense(4, 1))
    with pytest.raises(TypeError, match="Modules"):
        nn.Sequential(nn.Dense(2, 3), math.tanh)


def test_mlp_uses_activation_for_hidden_and_output_activation_last():
    model = nn.MLP(2, [4, 4, 2], activation="tanh", output_activation="sigmoid", seed=0)
    assert [layer.activation for layer in model.layers] == ["tanh", "tanh", "sigmoid"]
    assert model.output_activation == "sigmoid"
    assert nn.MLP(2, [4, 1]).layers[-1].activation == "linear"


def test_same_seed_same_network_different_seed_different_network():
    assert nn.MLP(3, [5, 2], seed=7).state_dict() == nn.MLP(3, [5, 2], seed=7).state_dict()
    assert nn.MLP(3, [5, 2], seed=7).state_dict() != nn.MLP(3, [5, 2], seed=8).state_dict()
    shared = random.Random(7)
    assert nn.MLP(3, [5, 2], seed=shared).state_dict() == nn.MLP(3, [5, 2], seed=7).state_dict()


@pytest.mark.parametrize("init, nin, nout, check", [
    ("uniform", 30, 40,
     lambda ws, nin, nout: max(map(abs, ws)) <= 1 and statistics.pstdev(ws) > 0.5),
    ("xavier", 30, 40, lambda ws, nin, nout: max(map(abs, ws)) <= math.sqrt(6 / (nin + nout))),
    ("he", 50, 40, lambda ws, nin, nout: abs(statistics.pstdev(ws) / math.sqrt(2 / nin) - 1) < 0.1),
])
def test_initialisers_have_their_documented_scale(init, nin, nout, check):
    layer = nn.Layer(nin, nout, init=init, seed=0)
    weights = [w.data for neuron in layer.neurons for w in neuron.w]
    assert check(weights, nin, nout)
    assert all(neuron.b.data == 0.0 for neuron in layer.neurons)
    assert len(set(weights)) == nin * nout


def test_unknown_init_and_bad_seed():
    with pytest.raises(ValueError, match="'uniform', 'xavier', 'he'"):
        nn.Layer(2, 2, init="glorot")
    with pytest.raises(TypeError, match="seed"):
        nn.Layer(2, 2, seed="abc")


# --- a layer written the Keras way ------------------------------------------------------------

@pytest.mark.parametrize("keras_call, nin, nout, activation", [
    ("nn.Dense(64, input_dim=20)", 20, 64, "relu"),
    ("nn.Dense(units=64, activation='tanh', input_dim=100)", 100, 64, "tanh"),
    ("nn.Dense(8, input_shape=(3,), activation='sigmoid')", 3, 8, "sigmoid"),
    ("nn.Dense(64, 'relu', input_dim=2)", 2, 64, "relu"),
    ("nn.Dense(10, activation='softmax', input_dim=4)", 4, 10, "linear"),
    ("nn.Dense(2, 16, input_dim=2)", 2, 16, "relu"),
])
def test_the_call_a_keras_style_error_suggests_builds_the_layer_keras_meant(keras_call, nin,
                                                                           nout, activation):
    with pytest.raises(TypeError) as error:
        eval(keras_call)
    message = str(error.value)
    assert "Keras: Dense(units" in message and "nn:    nn.Dense(nin, nout" in message
    suggested = message[message.index("Write ") + len("Write "):message.index(").") + 1]
    layer = eval(suggested)
    assert (layer.nin, layer.nout, layer.activation) == (nin, nout, activation)


def test_nn_dense_in_its_own_order_is_the_layer():
    layer = nn.Dense(20, 64, activation="linear", init="he", seed=0)
    assert type(layer) is nn.Layer and (layer.nin, layer.nout) == (20, 64)
    assert nn.Layer(nin=3, nout=2).num_parameters() == 8

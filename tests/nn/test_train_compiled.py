"""fit(..., compile=True): the dynamic run's history and parameters, from generated code.

Every test trains two copies of a model from the same seed, one with
``compile=False`` and one with ``compile=True``, and compares every number
of the histories and every parameter at the end to 1e-12. The compiled
run adds each gradient's terms in another order than the engine's
backward(), so equal to rounding, not always bit for bit.
"""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn

TOLERANCE = 1e-12
X_MOONS, Y_MOONS = nn.data.make_moons(40, noise=0.2, seed=3)
X_BLOBS, Y_BLOBS = nn.data.make_blobs(36, centers=3, seed=4)


def train_both(build, X, y, optimizer=nn.SGD, options=None, **fit_options):
    """(dynamic run, compiled run), each (history, parameters, optimizer, model)."""
    runs = []
    for compile in (False, True):
        model = build()
        opt = optimizer(model.parameters(), **(options or {"lr": 0.05}))
        history = nn.fit(model, X, y, optimizer=opt, progress=False, compile=compile,
                         **fit_options)
        runs.append((history, [p.data for p in model.parameters()], opt, model))
    return runs


def assert_same_run(dynamic, compiled):
    (history, params, *_), (history_c, params_c, *_) = dynamic, compiled
    assert history.keys() == history_c.keys()
    for key in history:
        assert len(history[key]) == len(history_c[key]), key
        for epoch, (a, b) in enumerate(zip(history[key], history_c[key])):
            assert abs(a - b) <= TOLERANCE, f"{key} of epoch {epoch + 1}: {a} and {b}"
    assert max(abs(a - b) for a, b in zip(params, params_c)) <= TOLERANCE


def mlp(nouts=(8, 1), **options):
    return lambda: nn.MLP(2, list(nouts), seed=7, **options)


OPTIMIZERS = {
    "sgd": (nn.SGD, {"lr": 0.05}),
    "momentum_decay": (nn.SGD, {"lr": 0.05, "momentum": 0.9, "weight_decay": 1e-3}),
    "adam": (nn.Adam, {"lr": 0.01}),
}
# loss name -> (model, inputs, targets): the labels each loss takes
PROBLEMS = {
    "hinge": (mlp(), X_MOONS, Y_MOONS),
    "binary_cross_entropy": (mlp(activation="tanh"), X_MOONS, [max(t, 0) for t in Y_MOONS]),
    "mse": (mlp(output_activation="sigmoid"), X_MOONS, [max(t, 0) for t in Y_MOONS]),
    "cross_entropy": (mlp((8, 3)), X_BLOBS, Y_BLOBS),
}


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("loss", PROBLEMS)
@pytest.mark.parametrize("batch_size", [None, 7])
def test_every_loss_and_optimizer_gives_the_dynamic_history(loss, optimizer, batch_size):
    build, X, y = PROBLEMS[loss]
    cls, options = OPTIMIZERS[optimizer]
    dynamic, compiled = train_both(build, X, y, cls, options, loss=loss, epochs=4,
                                   batch_size=batch_size, seed=11,
                                   validation_data=(X[:10], y[:10]))
    assert_same_run(dynamic, compiled)
    assert "val_accuracy" in compiled[0]  # the labels are classes: accuracy was compared too


@settings(max_examples=15)
@given(batch_size=st.integers(1, 45), seed=st.integers(0, 2**16), shuffle=st.booleans(),
       epochs=st.integers(1, 3), validate=st.booleans())
def test_batches_shuffles_and_validation_give_the_dynamic_history(batch_size, seed, shuffle,
                                                                    epochs, validate):
    X, y = X_MOONS[:20], Y_MOONS[:20]
    dynamic, compiled = train_both(mlp(), X, y, loss="hinge", epochs=epochs, seed=seed,
                                   batch_size=batch_size, shuffle=shuffle,
                                   validation_data=(X_MOONS[20:], Y_MOONS[20:]) if validate
                                   else None)
    assert_same_run(dynamic, compiled)


def test_a_callback_that_changes_the_learning_rate_and_stops_early():
    def schedule(optimizer):
        def callback(epoch, record):
            optimizer.lr *= 0.5
            return epoch < 3  # stop after epoch 3
        return callback

    runs = []
    for compile in (False, True):
        model = mlp()()
        optimizer = nn.SGD(model.parameters(), lr=0.2)
        history = nn.fit(model, X_MOONS, Y_MOONS, loss="hinge", optimizer=optimizer, epochs=10,
                         callbacks=[schedule(optimizer)], progress=False, compile=compile)
        runs.append((history, [p.data for p in model.parameters()], optimizer))
    assert_same_run(*runs)
    assert len(runs[1][0]["loss"]) == 3 and runs[1][2].lr == 0.2 / 8


def test_a_loss_of_ones_own_with_a_penalty_on_the_weights_and_a_sum_not_a_mean():
    # the loss uses the parameters directly too (an L2 penalty) and is a sum over the batch:
    # the compiled step adds the penalty's gradient to the one through the model
    model_holder = {}

    def build():
        model_holder["model"] = nn.MLP(2, [6, 1], activation="tanh", seed=2)
        return model_holder["model"]

    def loss(outputs, targets):
        params = model_holder["model"].parameters()
        errors = [(o - t) ** 2 for o, t in zip(outputs, targets)]
        return autograd.sum(errors) + 1e-3 * autograd.dot(params, params)

    dynamic, compiled = train_both(build, X_MOONS, Y_MOONS, loss=loss, epochs=3, batch_size=9,
                                   seed=0, threshold=0.0)
    assert_same_run(dynamic, compiled)


def test_several_outputs_regression_without_accuracy_and_a_custom_activation():
    def swish(v):
        return v * v.sigmoid()

    X = [[x / 10, 1 - x / 20] for x in range(15)]
    y = [[math.sin(a), a * b] for a, b in X]  # two real targets per sample: no accuracy
    build = lambda: nn.MLP(2, [5, 2], activation=swish, seed=5)  # noqa: E731
    dynamic, compiled = train_both(build, X, y, loss="mse", epochs=3, batch_size=4, seed=1)
    assert_same_run(dynamic, compiled)
    assert list(compiled[0]) == ["loss"]


@pytest.mark.parametrize("build", [
    lambda: nn.Neuron(2, activation="linear", seed=0),
    lambda: nn.Layer(2, 1, activation="tanh", seed=0),
    lambda: nn.Sequential(nn.Layer(2, 4, activation="sigmoid", seed=0),
                          nn.Neuron(4, "linear", seed=1)),
], ids=["Neuron", "Layer", "Sequential"])
def test_every_kind_of_layer_compiles(build):
    assert_same_run(*train_both(build, X_MOONS, Y_MOONS, loss="hinge", epochs=3))


def test_a_layer_over_many_inputs_is_written_over_lists_and_gives_the_dynamic_history():
    X = [[math.sin(i * j) for j in range(80)] for i in range(12)]  # 80 inputs: wide dots
    y = [1 if sum(x[:40]) > sum(x[40:]) else -1 for x in X]
    assert_same_run(*train_both(lambda: nn.MLP(80, [3, 1], seed=2), X, y, loss="hinge",
                                epochs=3))
    model = nn.MLP(80, [3, 1], seed=2)
    g = autograd.compile(lambda x: model(x), argnums=(), wrt=model.parameters())
    g(X[0])
    assert "sum(map(mul, (c1, c2, c3," in g.source and ", x), c81)  # dot, over lists" in g.source


def test_inputs_given_as_ints_and_tuples_give_the_dynamic_history():
    X = [(i % 5, (i * 7) % 4 - 2) for i in range(20)]
    y = [1 if a - b > 1 else -1 for a, b in X]
    assert_same_run(*train_both(mlp(), X, y, loss="hinge", epochs=3, threshold=0.25))


def test_the_model_is_traced_once_per_fit_not_per_step():
    class Counted(nn.Module):
        def __init__(self):
            self.calls, self.inner = 0, nn.MLP(2, [4, 1], seed=0)

        def __call__(self, x):
            self.calls += 1
            return self.inner(x)

    calls = []
    for epochs in (0, 1, 5):  # 0: fit traces the model, then trains for no epoch
        model = Counted()
        points = [tuple(x) for x in X_MOONS]  # converted to lists before the trace
        nn.fit(model, points, Y_MOONS, loss="hinge", epochs=epochs, batch_size=5, compile=True,
               optimizer=nn.SGD(model.parameters(), lr=0.1), progress=False)
        calls.append(model.calls)
    assert calls[0] == calls[1] == calls[2]  # the traces before training, then generated code


def test_a_diverging_compiled_run_stops_like_the_dynamic_one():
    for compile in (False, True):
        model = nn.MLP(2, [4, 1], seed=0)
        with pytest.raises(FloatingPointError, match="epoch"):
            nn.fit(model, X_MOONS, [t * 1e200 for t in Y_MOONS], loss="mse", epochs=3,
                   optimizer=nn.SGD(model.parameters(), lr=1e10), progress=False,
                   compile=compile)


# --- a model that cannot be traced ----------------------------------------------------------

class Gated(nn.Module):
    """A leaky unit written with Python's `if` on a Value: fine dynamically, not traceable."""

    def __init__(self):
        self.layer = nn.Layer(2, 1, activation="linear", seed=0)

    def __call__(self, x):
        s = self.layer(x)
        if s > 0:
            return s
        return 0.1 * s


class ReadsData(Gated):
    """The same leaky unit, deciding on ``s.data``: the trace cannot see it, the checks do."""

    def __call__(self, x):
        s = self.layer(x)
        return s * (1.0 if s.data > 0 else 0.1)


class ScalesByData(Gated):
    """Multiplies by a number read from ``s.data``: a constant that changes with the input."""

    def __call__(self, x):
        s = self.layer(x)
        return s * abs(s.data)


@pytest.mark.parametrize("model_class", [Gated, ReadsData, ScalesByData])
def test_regression_an_untraceable_model_is_refused_before_any_parameter_changes(model_class):
    model = model_class()
    optimizer = nn.Adam(model.parameters(), lr=0.1)
    before = [p.data for p in model.parameters()]
    trains = model_class()  # dynamically, the same model trains
    nn.fit(trains, X_MOONS, Y_MOONS, loss="hinge", epochs=1, progress=False,
           optimizer=nn.SGD(trains.parameters(), lr=0.1))
    assert [p.data for p in trains.parameters()] != before
    with pytest.raises(autograd.TraceError) as error:
        nn.fit(model, X_MOONS, Y_MOONS, loss="hinge", optimizer=optimizer, epochs=2,
               batch_size=1, progress=False, compile=True)
    message = str(error.value)
    assert "fit(compile=True) could not trace the model" in message
    assert "compile=False" in message
    assert isinstance(error.value.__cause__, autograd.TraceError)  # the reason, kept
    assert [p.data for p in model.parameters()] == before
    assert optimizer.t == 0 and all(p.grad == 0.0 for p in model.parameters())


def test_regression_the_error_for_an_if_names_the_line_of_the_model():
    model = Gated()
    with pytest.raises(autograd.TraceError) as error:
        nn.fit(model, X_MOONS, Y_MOONS, loss="hinge", optimizer=nn.SGD(model.parameters(), 0.1),
               epochs=1, progress=False, compile=True)
    assert "if s > 0:" in str(error.value)
    assert error.value.filename == __file__ and error.value.lineno is not None

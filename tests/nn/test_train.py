"""Training: models that must really learn, and what fit() and accuracy() report."""

import array
import math
import random

import pytest

import autograd
import nn


def zeros(rng, fan_in, fan_out):
    return 0.0


def separable_points(n=100, margin=0.5, seed=0):
    """n points of [-2, 2]², labelled ±1 by their side of the line 1.5 x₁ − x₂ + 0.3 = 0."""
    rng = random.Random(seed)
    X, y = [], []
    while len(X) < n:
        x = [rng.uniform(-2, 2), rng.uniform(-2, 2)]
        score = 1.5 * x[0] - x[1] + 0.3
        if abs(score) > margin:
            X.append(x)
            y.append(1 if score > 0 else -1)
    return X, y


def test_logistic_regression_on_100_separable_points_reaches_100_percent():
    # the course's worked example: 100 points, gradient descent with η = 0.1, from w = 0
    X, y = separable_points()
    model = nn.Neuron(2, activation="linear", init=zeros)
    assert nn.accuracy(model, X, y) < 0.7  # w = 0 calls everything class 0: no free pass
    history = nn.fit(model, X, y, loss=nn.binary_cross_entropy,
                     optimizer=nn.SGD(model.parameters(), lr=0.1), epochs=300)
    assert nn.accuracy(model, X, y) == 1.0
    assert history["loss"][-1] < history["loss"][0] / 5
    w = [p.data for p in model.w]
    cosine = (1.5 * w[0] - w[1]) / (math.hypot(*w) * math.hypot(1.5, -1))
    assert cosine > 0.95  # the boundary found is the true one's direction


def test_a_line_cannot_separate_the_moons_but_the_mlp_does():
    X, y = nn.data.make_moons(100, noise=0.1, seed=0)
    line = nn.Neuron(2, activation="linear", init=zeros)
    nn.fit(line, X, y, loss=nn.hinge_loss, optimizer=nn.SGD(line.parameters(), lr=0.1), epochs=100)
    assert nn.accuracy(line, X, y) < 0.95

    model = nn.MLP(2, [16, 16, 1], seed=1337)
    assert nn.accuracy(model, X, y) < 0.9
    history = nn.fit(model, X, y, loss=nn.hinge_loss, epochs=100,
                     optimizer=nn.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4))
    assert nn.accuracy(model, X, y) == 1.0
    assert history["accuracy"][0] < 0.9 and history["loss"][-1] < 0.05


def test_one_hidden_layer_tanh_network_fits_sin():
    X, y = nn.data.sample_function(math.sin, 40, -3, 3)
    model = nn.MLP(1, [10, 1], activation="tanh", init="xavier", seed=0)
    assert nn.mse_loss([model(x) for x in X], y).data > 0.1
    history = nn.fit(model, X, y, loss=nn.mse_loss, epochs=300,
                     optimizer=nn.Adam(model.parameters(), lr=0.05))
    assert history["loss"][-1] < 0.01
    # between the training points too: the fit is a function, not a lookup table
    X_mid, y_mid = nn.data.sample_function(math.sin, 39, -3 + 3 / 39, 3 - 3 / 39)
    assert nn.mse_loss([model(x) for x in X_mid], y_mid).data < 0.01
    assert "accuracy" not in history


def test_softmax_classifier_on_blobs_with_cross_entropy():
    X, y = nn.data.make_blobs(60, centers=[[-4, 0], [4, 0], [0, 5]], seed=2)
    model = nn.MLP(2, [3], seed=0)  # K = 3 linear outputs: the logits
    history = nn.fit(model, X, y, loss="cross_entropy", epochs=30,
                     optimizer=nn.Adam(model.parameters(), lr=0.1))
    assert nn.accuracy(model, X, y) == 1.0
    assert history["loss"][-1] < history["loss"][0] / 4


# --- what fit() reports and does ------------------------------------------------------------

class CountingSGD(nn.SGD):
    def __init__(self, params, lr):
        super().__init__(params, lr)
        self.steps = 0

    def step(self):
        self.steps += 1
        super().step()


def test_history_has_one_entry_per_epoch_and_full_batch_is_one_step():
    X, y = nn.data.make_moons(20)
    model = nn.MLP(2, [4, 1], seed=0)
    opt = CountingSGD(model.parameters(), lr=0.05)
    history = nn.fit(model, X, y, loss="hinge", optimizer=opt, epochs=3)
    assert set(history) == {"loss", "accuracy"}
    assert len(history["loss"]) == len(history["accuracy"]) == 3
    assert opt.steps == 3
    assert all(0 <= a <= 1 for a in history["accuracy"])


def test_first_epoch_loss_is_the_loss_before_training():
    X, y = nn.data.make_moons(20)
    model = nn.MLP(2, [4, 1], seed=0)
    before = nn.hinge_loss([model(x) for x in X], y).data
    accuracy_before = nn.accuracy(model, X, y)
    history = nn.fit(model, X, y, loss=nn.hinge_loss, epochs=1,
                     optimizer=nn.SGD(model.parameters(), lr=0.05))
    assert history["loss"] == [pytest.approx(before, rel=1e-12)]
    assert history["accuracy"] == [accuracy_before]


def test_mini_batches_are_seeded_and_count_their_steps():
    X, y = nn.data.make_moons(25)

    def run(seed):
        model = nn.MLP(2, [4, 1], seed=0)
        opt = CountingSGD(model.parameters(), lr=0.05)
        history = nn.fit(model, X, y, loss="hinge", optimizer=opt, epochs=2, batch_size=10,
                         seed=seed)
        return opt.steps, history, model.state_dict()

    steps, history, state = run(seed=0)
    assert steps == 2 * 3  # batches of 10, 10 and 5
    assert run(seed=0)[1:] == (history, state)
    assert run(seed=1)[2] != state


def test_validation_data_is_reported_after_each_epoch():
    X, y = nn.data.make_moons(40)
    X_train, X_val, y_train, y_val = nn.data.train_test_split(X, y)
    model = nn.MLP(2, [4, 1], seed=0)
    history = nn.fit(model, X_train, y_train, loss="hinge", epochs=2,
                     optimizer=nn.SGD(model.parameters(), lr=0.05), validation_data=(X_val, y_val))
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert history["val_accuracy"][-1] == nn.accuracy(model, X_val, y_val)
    val_loss = nn.hinge_loss([model(x) for x in X_val], y_val).data
    assert history["val_loss"][-1] == pytest.approx(val_loss)


@pytest.mark.parametrize("progress, shown", [(True, True), (False, False), (None, False)])
def test_progress_bar_only_when_asked_or_on_a_terminal(capsys, progress, shown):
    X, y = nn.data.make_moons(10)
    model = nn.MLP(2, [2, 1], seed=0)
    nn.fit(model, X, y, loss="hinge", optimizer=nn.SGD(model.parameters(), lr=0.1),
           epochs=2, progress=progress)
    err = capsys.readouterr().err
    assert ("2/2" in err) is shown  # pytest's captured stderr is not a terminal
    if shown:
        assert "loss=" in err and "accuracy=" in err


def test_fit_argument_errors():
    X, y = nn.data.make_moons(10)
    model = nn.MLP(2, [2, 1], seed=0)
    opt = nn.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="'mse', 'binary_cross_entropy', 'cross_entropy', 'hinge'"):
        nn.fit(model, X, y, loss="mae", optimizer=opt, epochs=1)
    with pytest.raises(ValueError, match="10 inputs but 9 targets"):
        nn.fit(model, X, y[:-1], loss="hinge", optimizer=opt, epochs=1)
    with pytest.raises(ValueError, match="batch_size"):
        nn.fit(model, X, y, loss="hinge", optimizer=opt, epochs=1, batch_size=0)


def test_accuracy_thresholds_and_argmax():
    class Fixed(nn.Module):
        """Returns the input itself as the output(s)."""
        output_activation = "linear"

        def __call__(self, x):
            return nn.softmax(x) if len(x) > 1 else nn.Neuron(1, "linear", init=lambda *a: 1.0)(x)

    model = Fixed()
    assert nn.accuracy(model, [[0.2], [-0.1], [3.0]], [1, 0, -1]) == pytest.approx(2 / 3)
    assert nn.accuracy(model, [[0.2], [0.7]], [0, 1], threshold=0.5) == 1.0
    assert nn.accuracy(model, [[0.1, 0.9, 0.0], [2.0, 1.0, 0.0]], [1, 1]) == 0.5
    sigmoid_model = nn.MLP(1, [1], output_activation="sigmoid", init=lambda *a: 1.0)
    # σ(0.2) ≈ 0.55 > 0.5 is class 1, σ(-0.1) ≈ 0.48 is class 0: the 0.5 threshold is automatic
    assert nn.accuracy(sigmoid_model, [[0.2], [-0.1]], [1, 0]) == 1.0


# --- the accuracy of one output: where it splits the classes -------------------------------

def test_fit_reports_the_accuracy_of_mse_on_0_1_labels_at_threshold_one_half():
    # fit thresholded at 0 whatever the loss: an MSE fit of labels 0/1 that was right
    # everywhere (by 0.5) was reported as 88% here (71% in the run)
    X, y = nn.data.make_moons(60, noise=0.1, seed=0)
    model = nn.MLP(2, [8, 8, 1], seed=1)
    history = nn.fit(model, X, y, loss="mse", optimizer=nn.Adam(model.parameters(), lr=0.05),
                     epochs=60)
    by_half = sum((model(x).data > 0.5) == (label == 1) for x, label in zip(X, y)) / len(y)
    assert by_half == 1.0 and nn.accuracy(model, X, y, threshold=0.0) < 0.9  # no free pass
    assert history["accuracy"][-1] == nn.accuracy(model, X, y) == by_half
    assert model.threshold == 0.5


@pytest.mark.parametrize("loss, labels, output_activation, threshold", [
    ("mse", [0, 1], "linear", 0.5),           # fits the labels: halfway between them
    ("mse", [-1, 1], "linear", 0.0),
    ("mse", [0, 1], "sigmoid", 0.5),          # a probability
    ("hinge", [0, 1], "linear", 0.0),         # a score: its sign
    ("hinge", [-1, 1], "linear", 0.0),
    ("binary_cross_entropy", [0, 1], "linear", 0.0),  # a logit: its sign
])
def test_threshold_follows_the_loss_and_the_labels(loss, labels, output_activation, threshold):
    X, y = [[0.0], [1.0]] * 3, labels * 3
    model = nn.MLP(1, [2, 1], output_activation=output_activation, seed=0)
    nn.fit(model, X, y, loss=loss, optimizer=nn.SGD(model.parameters(), lr=0.1), epochs=0)
    assert model.threshold == threshold


def test_threshold_can_be_given_to_fit_and_to_accuracy():
    X, y = [[-1.0], [0.2], [0.4], [2.0]], [0, 0, 1, 1]
    model = nn.Neuron(1, activation="linear", init=lambda *a: 1.0)  # the output is x itself
    history = nn.fit(model, X, y, loss="hinge", optimizer=nn.SGD(model.parameters(), lr=0.0),
                     epochs=1, threshold=0.3)
    assert history["accuracy"] == [1.0] and model.threshold == 0.3
    assert nn.accuracy(model, X, y) == 1.0  # fit's threshold is kept on the model
    assert nn.accuracy(model, X, y, threshold=0.0) == 0.75
    with pytest.raises(ValueError, match="threshold must be a finite number"):
        nn.fit(model, X, y, loss="hinge", optimizer=nn.SGD(model.parameters(), lr=0.1),
               epochs=1, threshold=math.nan)


def test_a_loss_function_of_ones_own_on_0_1_labels_warns_that_the_threshold_is_a_guess():
    X, y = nn.data.make_moons(10)
    model = nn.MLP(2, [2, 1], seed=0)
    with pytest.warns(UserWarning, match="pass threshold="):
        nn.fit(model, X, y, loss=lambda outs, ys: nn.mse_loss(outs, ys),
               optimizer=nn.SGD(model.parameters(), lr=0.1), epochs=1)
    nn.fit(model, X, y, loss=lambda outs, ys: nn.mse_loss(outs, ys),  # no warning when told
           optimizer=nn.SGD(model.parameters(), lr=0.1), epochs=1, threshold=0.5)


# --- nan and inf: refused before training, or training stops at once -----------------------

def test_nan_in_the_data_is_refused_before_training_with_the_first_bad_index():
    X, y = nn.data.make_moons(20)
    model = nn.MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    bad_X = [list(x) for x in X]
    bad_X[7][1], bad_X[12][0] = math.nan, math.inf
    opt = nn.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match=r"X\[7\] is \[.*nan\]: fix or drop sample 7"):
        nn.fit(model, bad_X, y, loss="hinge", optimizer=opt, epochs=1)
    with pytest.raises(ValueError, match=r"y\[3\] is inf"):
        nn.fit(model, X, y[:3] + [math.inf] + y[4:], loss="mse", optimizer=opt, epochs=1)
    with pytest.raises(ValueError, match=r"validation_data.*X\[7\]"):
        nn.fit(model, X, y, loss="hinge", optimizer=opt, epochs=1, validation_data=(bad_X, y))
    assert model.state_dict() == before


def test_the_finite_check_takes_any_sequence_of_numbers_as_a_sample():
    # a row of a NumPy array or an array.array is a sample too, not "not a finite number"
    X, y = nn.data.make_moons(10)
    rows = [array.array("d", x) for x in X]
    model = nn.MLP(2, [2, 1], seed=0)
    history = nn.fit(model, rows, y, loss="hinge", optimizer=nn.SGD(model.parameters(), lr=0.1),
                     epochs=1)
    assert len(history["loss"]) == 1
    with pytest.raises(ValueError, match=r"X\[2\] is 'ab'"):
        nn.fit(model, X[:2] + ["ab"] + X[3:], y, loss="hinge", epochs=1,
               optimizer=nn.SGD(model.parameters(), lr=0.1))


def test_diverging_learning_rate_stops_at_the_first_inf_loss_with_the_parameters_before_it():
    # the loss used to grow to 1e58, then every parameter became nan, without a word
    X, y = nn.data.sample_function(lambda x: 3 * x, 10, -2, 2)
    model = nn.MLP(1, [4, 1], activation="linear", seed=0)
    states = []
    with pytest.raises(FloatingPointError) as error:
        nn.fit(model, X, y, loss="mse", optimizer=nn.SGD(model.parameters(), lr=1.0),
               epochs=200, callbacks=lambda epoch, record: states.append(model.state_dict()))
    message = str(error.value)
    epoch = len(states) + 1  # full batch: one step per epoch, and no record for the bad one
    assert f"training stopped in epoch {epoch}: the loss is inf" in message or (
        f"training stopped in epoch {epoch}: the loss is nan" in message)
    assert "lr=1.0" in message and "NaN or inf in X or y" in message
    assert 3 < epoch < 200
    assert model.state_dict() == states[-1]  # the bad step changed nothing
    assert all(math.isfinite(p.data) for p in model.parameters())


def test_nan_gradient_with_a_finite_loss_stops_before_the_step_and_names_the_parameter():
    model = nn.Neuron(1, activation="linear", init=lambda *a: 0.5)
    root_mse = lambda outs, ys: nn.mse_loss(outs, ys).sqrt()  # noqa: E731 - √ has slope inf at 0
    with pytest.raises(FloatingPointError, match=r"the gradient of parameter 'w\.0' is nan"):
        nn.fit(model, [[1.0], [3.0]], [0.5, 1.5], loss=root_mse,  # fitted exactly: the loss is 0
               optimizer=nn.SGD(model.parameters(), lr=0.1), epochs=1)
    assert model.state_dict() == {"w.0": 0.5, "b": 0.0}


# --- random streams and callbacks ----------------------------------------------------------

class Recorder(nn.Module):
    """A model of one parameter that records the order in which it sees the samples."""

    def __init__(self):
        self.w, self.seen = autograd.Value(0.0), []

    def __call__(self, x):
        self.seen.append(x[0])
        return self.w * x[0]


def shuffled_orders(calls, **options):
    """The order of the samples in each of ``calls`` successive one-epoch fits."""
    model = Recorder()
    orders = []
    for _ in range(calls):
        model.seen = []
        nn.fit(model, [[float(i)] for i in range(8)], [0.0] * 8, loss="mse", epochs=1,
               optimizer=nn.SGD(model.parameters(), lr=0.0), batch_size=2, **options)
        orders.append(model.seen)
    return orders


def test_successive_fits_continue_one_random_stream():
    # each call replayed the same shuffle with the default seed
    first, second = shuffled_orders(2)
    assert sorted(first) == sorted(second) and first != second
    random.seed(5)
    replay = shuffled_orders(2)
    random.seed(5)
    assert shuffled_orders(2) == replay  # random.seed makes the stream repeatable
    assert shuffled_orders(1, seed=3) == shuffled_orders(1, seed=3)  # a fixed seed: the same run


def test_callbacks_see_each_epoch_and_returning_false_stops_training():
    X, y = nn.data.make_moons(10)
    model = nn.MLP(2, [2, 1], seed=0)
    seen = []

    def record(epoch, numbers):
        seen.append((epoch, dict(numbers)))

    history = nn.fit(model, X, y, loss="hinge", optimizer=nn.SGD(model.parameters(), lr=0.1),
                     epochs=10, callbacks=[record, lambda epoch, numbers: epoch < 3])
    assert [epoch for epoch, _ in seen] == [1, 2, 3]
    assert len(history["loss"]) == 3
    assert [numbers["loss"] for _, numbers in seen] == history["loss"]


# --- every sample checked before the first step --------------------------------------------

def test_fit_names_the_sample_holding_a_number_too_large_for_a_float():
    # it failed with a bare "int too large to convert to float", naming no sample
    X, y = nn.data.make_moons(10)
    model = nn.MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    opt = nn.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match=r"X\[6\] holds about 10\^400, too large for a float"):
        nn.fit(model, X[:6] + [[0.5, 10**400]] + X[7:], y, loss="hinge", optimizer=opt, epochs=1)
    with pytest.raises(ValueError, match=r"y\[2\] holds about 10\^500.*drop sample 2"):
        nn.fit(model, X, y[:2] + [-10**500] + y[3:], loss="mse", optimizer=opt, epochs=1)
    assert model.state_dict() == before


@pytest.mark.parametrize("compile", [False, True])
def test_a_ragged_row_is_refused_before_the_first_step_changes_any_parameter(compile):
    # it was found only when training reached it, after earlier steps had changed the model
    X, y = nn.data.make_moons(20)
    model = nn.MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    ragged = X[:17] + [X[17] + [0.0]] + X[18:]
    with pytest.raises(ValueError, match=r"3 numbers in X\[17\].*nin=2.*drop sample 17"):
        nn.fit(model, ragged, y, loss="hinge", optimizer=nn.SGD(model.parameters(), lr=0.1),
               epochs=1, batch_size=2, shuffle=False, compile=compile)
    assert model.state_dict() == before


def test_without_a_nin_every_sample_must_be_as_wide_as_the_first():
    model = Recorder()  # a model of one's own, with no nin
    with pytest.raises(ValueError, match=r"X\[2\].*but X\[0\] has 1"):
        nn.fit(model, [[1.0], [2.0], [3.0, 4.0]], [0.0] * 3, loss="mse", epochs=1,
               optimizer=nn.SGD(model.parameters(), lr=0.1))
    with pytest.raises(ValueError, match=r"y\[1\].*but y\[0\] has 2"):
        nn.fit(model, [[1.0], [2.0]], [[0.0, 1.0], [0.0]], loss="mse", epochs=1,
               optimizer=nn.SGD(model.parameters(), lr=0.1))


@pytest.mark.parametrize("loss, bad, message", [
    ("hinge", 2, r"y\[23\]: hinge_loss\(\) labels are -1 or \+1"),
    ("binary_cross_entropy", 3, r"y\[23\]: binary_cross_entropy\(\) labels are 0 or 1"),
])
def test_a_bad_label_late_in_the_data_is_refused_before_training(loss, bad, message):
    X, y = nn.data.make_moons(24)
    model = nn.MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    with pytest.raises(ValueError, match=message):
        nn.fit(model, X, y[:23] + [bad], loss=loss, epochs=1, batch_size=4, shuffle=False,
               optimizer=nn.SGD(model.parameters(), lr=0.1))
    assert model.state_dict() == before


def test_a_label_beyond_the_last_class_is_refused_before_training():
    # labels 1..3 for 3 outputs: the 3 had no logit, found only at its batch
    X, y = nn.data.make_blobs(12, centers=3, seed=0)
    model = nn.MLP(2, [3], seed=0)
    before = model.state_dict()
    with pytest.raises(ValueError, match=r"y\[\d+\]: cross_entropy\(\): label 3 is not a class"):
        nn.fit(model, X, [label + 1 for label in y], loss="cross_entropy", epochs=1,
               batch_size=2, optimizer=nn.SGD(model.parameters(), lr=0.1))
    with pytest.raises(ValueError, match=r"validation_data y\[0\]: .*one-hot vector"):
        nn.fit(model, X, y, loss="cross_entropy", optimizer=nn.SGD(model.parameters(), lr=0.1),
               epochs=1, validation_data=(X, [[1, 0, 0]] * len(y)))
    assert model.state_dict() == before


# --- labels of any integer type, booleans -----------------------------------------------------

def test_fit_with_numpy_integer_labels_keeps_accuracy_in_the_history():
    # NumPy's int64 labels were not "class labels": the accuracy silently left the history
    numpy = pytest.importorskip("numpy")
    X, y = nn.data.make_moons(20)
    runs = []
    for labels in (y, numpy.array(y), numpy.array(y, dtype=numpy.int32)):
        model = nn.MLP(2, [3, 1], seed=0)
        runs.append(nn.fit(model, numpy.array(X), labels, loss="hinge", epochs=2,
                           optimizer=nn.SGD(model.parameters(), lr=0.1)))
    assert "accuracy" in runs[0] and runs[0] == runs[1] == runs[2]


def test_accuracy_takes_numpy_labels_and_refuses_one_hot_ones():
    numpy = pytest.importorskip("numpy")
    X, y = nn.data.make_blobs(12, centers=3, seed=0)
    model = nn.MLP(2, [3], seed=0)
    assert nn.accuracy(model, X, numpy.array(y)) == nn.accuracy(model, X, y)
    with pytest.raises(ValueError, match=r"one-hot vector \[.*\].*class index.*argmax"):
        nn.accuracy(model, X, numpy.eye(3)[y])  # it returned 0.0


@pytest.mark.parametrize("compile", [False, True])
def test_booleans_are_read_as_0_and_1_with_or_without_compile(compile):
    # compile=False trained on booleans, compile=True refused them; NumPy's refused in both
    numpy = pytest.importorskip("numpy")
    X, y = nn.data.make_moons(16)
    as_bools = [[x[0] > 0.5, x[1] > 0.0] for x in X]
    runs = []
    for data in (as_bools, [[float(a), float(b)] for a, b in as_bools], numpy.array(as_bools)):
        model = nn.MLP(2, [4, 1], seed=0)
        history = nn.fit(model, data, y, loss="hinge", epochs=3, compile=compile,
                         optimizer=nn.SGD(model.parameters(), lr=0.1))
        runs.append((history, model.state_dict()))
    assert runs[0] == runs[1] == runs[2]

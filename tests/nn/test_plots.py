"""nn.plots: what each helper computes and draws (matplotlib's Agg backend, no window)."""

import subprocess
import sys

import pytest

pytest.importorskip("matplotlib")
import matplotlib  # noqa: E402

matplotlib.use("Agg")

import nn  # noqa: E402
from autograd import Value  # noqa: E402
from nn import plots  # noqa: E402


def test_import_nn_does_not_import_matplotlib():
    code = "import sys, nn; sys.exit('matplotlib' in sys.modules or 'nn.plots' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_descent_takes_the_engines_gradient_in_1d_and_2d():
    assert plots.descent(lambda w: w * w, 1.0, lr=0.125, steps=2) == [1.0, 0.75, 0.5625]
    path = plots.descent(lambda a, b: a * a + 3 * b * b, (1.0, 1.0), lr=0.1, steps=1)
    assert path == [(1.0, 1.0), (0.8, pytest.approx(0.4))]   # ∇ = (2a, 6b)


def test_the_derivative_of_an_activation_comes_from_backward():
    assert plots.derivative_by_the_engine(Value.relu, 2.0) == 1.0
    assert plots.derivative_by_the_engine(Value.relu, -2.0) == 0.0
    assert plots.derivative_by_the_engine(Value.tanh, 0.0) == 1.0


def test_activation_and_derivative_plots_the_engines_numbers():
    axes = plots.activation_and_derivative("sigmoid", points=5, low=-2, high=2)
    xs, slopes = axes[1].lines[0].get_data()
    assert list(xs) == [-2.0, -1.0, 0.0, 1.0, 2.0] and slopes[2] == 0.25   # σ′(0) = ¼
    assert axes[0].get_title() == "sigmoid(x)"
    matplotlib.pyplot.close("all")


def test_predicted_classes_read_one_output_by_its_sign_and_several_by_argmax():
    one = nn.Neuron(2, activation="linear", init=lambda *args: 1.0)      # x₁ + x₂ (b = 0)
    assert plots.predicted_classes(one, [(1.0, 0.0), (-3.0, 0.0), (0.0, 0.0)]) == [1, 0, 0]
    three = nn.Dense(1, 3, activation="linear", init=lambda *args: 0.0)
    three.neurons[2].b.data = 1.0                                          # output 2 largest
    assert plots.predicted_classes(three, [(5.0,)]) == [2]


def test_decision_boundary_draws_the_data_and_the_boundary():
    model = nn.Neuron(2, activation="linear", init=lambda *args: 1.0)
    X, y = [(1.0, 0.0), (-3.0, 0.0), (1.0, 1.0)], [1, 0, 1]
    ax = plots.decision_boundary(model, X, y, resolution=20, title="t")
    assert [c.get_label() for c in ax.collections if c.get_label().startswith("class")] \
        == ["class 0", "class 1"]
    assert ax.get_title() == "t"
    matplotlib.pyplot.close("all")


def test_history_curves_draw_validation_beside_training_and_skip_a_missing_accuracy():
    axes = plots.history_curves({"loss": [3, 2, 1], "val_loss": [3, 3, 2],
                                 "accuracy": [0.5, 0.7, 0.9], "val_accuracy": [0.5, 0.6, 0.8]})
    assert [line.get_label() for line in axes[0].lines] == ["training loss", "validation loss"]
    assert len(plots.history_curves({"loss": [1.0, 0.5]})) == 1
    matplotlib.pyplot.close("all")

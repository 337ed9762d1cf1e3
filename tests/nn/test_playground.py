"""The playground's Python side: its numbers are the library's (nn.fit, the engine, draw_graph)."""

import json
import math
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

import autograd
import nn
from nn.playground import Session, Settings
from nn.playground.chain import chain

np = pytest.importorskip("numpy")
from nn.playground import exporting, presets, views  # noqa: E402 - needs NumPy
from nn.playground.picture import Picture, png  # noqa: E402


def fit_like(session, epochs, compile=False):
    """nn.fit on the session's data and settings, from a fresh model: the reference run."""
    s = session.settings
    model = nn.playground.settings.build_model(s, 2, nn.playground.settings.outputs(
        s, session.y_train))
    optimizer = nn.playground.settings.build_optimizer(s, model)
    history = nn.fit(model, session.X_train, session.y_train, loss=exporting.loss_name(s),
                     optimizer=optimizer, epochs=epochs, batch_size=s.batch_size, seed=s.seed,
                     validation_data=(session.X_test, session.y_test), progress=False,
                     compile=compile)
    return model, history


def largest_difference(a, b):
    return max(abs(p.data - q.data) for p, q in zip(a.parameters(), b.parameters()))


@pytest.mark.parametrize("optimizer, l2", [("sgd", 0.0), ("momentum", 0.01), ("adam", 0.001)])
def test_the_playground_trains_to_the_weights_and_history_nn_fit_gives(optimizer, l2):
    session = Session(Settings(optimizer=optimizer, l2=l2, lr=0.05, batch_size=16))
    session.train(4)
    model, history = fit_like(session, 4)          # the dynamic graph, one Value per number
    assert largest_difference(model, session.model) <= 1e-12
    for key in history:
        assert history[key] == pytest.approx(session.history[key], abs=1e-12)


def test_steps_one_click_at_a_time_are_the_epochs_fit_takes():
    session = Session(Settings(batch_size=40, activations=["relu", "tanh"]))
    for _ in range(3 * 4):                         # 160 training samples, 4 steps an epoch
        assert session.step()
    assert session.epochs == 3 and session.steps == 12
    model, history = fit_like(session, 3, compile=True)
    assert largest_difference(model, session.model) == 0.0
    assert history == session.history


def test_a_new_learning_rate_keeps_the_model_and_a_new_architecture_rebuilds_it():
    session = Session()
    session.train(2)
    params, numbers = session.model.parameters(), session.model.state_dict()
    assert session.update(lr=0.3, l2=0.01, batch_size=20) == "optimizer"
    assert session.model.parameters() == params and session.model.state_dict() == numbers
    assert session.optimizer.lr == 0.3 and session.optimizer.weight_decay == 0.01
    assert session.epochs == 2 and session.edits
    assert session.update(hidden=[4], activations=["relu"]) == "model"
    assert session.epochs == 0 and session.model.num_parameters() == (2 + 1) * 4 + (4 + 1)


@pytest.mark.parametrize("activations", [["tanh", "relu"], ["sigmoid", "linear"]])
def test_every_heatmap_pixel_is_the_models_own_activation_there(activations):
    session = Session(Settings(activations=activations))
    session.train(2)
    grid = views.Grid(session)
    values = views.grid_activations(session, grid)
    for k in (0, 777, 1599):
        x = grid.points[k]
        h, expected = x, []
        for layer in session.model.layers:        # the engine's Values, layer by layer
            h = [neuron(h) for neuron in layer.neurons]
            expected += [v.data for v in h]
        assert values[k] == pytest.approx(expected, abs=1e-12)
        assert session.activations(x) == pytest.approx(expected, abs=1e-12)  # compiled


@pytest.mark.parametrize("layer, index", [(1, 2), (2, 5), (3, 0)])
def test_the_chain_rule_panel_gives_the_gradients_of_the_whole_sample_graph(layer, index):
    session = Session()
    session.train(2)
    c = chain(session, layer, index, sample=7)
    neuron = session.model.layers[layer - 1].neurons[index]
    x, label = session.X_train[7], session.y_train[7]
    loss = nn.binary_cross_entropy(session.model(x), label)
    expected = autograd.gradients(loss, [*neuron.w, neuron.b])
    assert c.weight_grads(neuron) == pytest.approx(expected, abs=1e-12)
    start = [0, 8, 16][layer - 1]                  # hidden layers of 8, then the output
    assert c.activation.data == pytest.approx(session.activations(x)[start + index], abs=1e-12)
    assert c.loss == pytest.approx(loss.data, abs=1e-12)


def test_opening_the_chain_rule_leaves_every_parameter_grad_as_it_was():
    session = Session()
    session.train(1)
    before = [p.grad for p in session.model.parameters()]
    chain(session, 2, 1, sample=3).steps()
    assert [p.grad for p in session.model.parameters()] == before


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_the_step_shown_on_hover_is_the_step_the_optimizer_then_takes(optimizer):
    session = Session(Settings(optimizer=optimizer, lr=0.05))
    session.train(1)
    session.step()
    preview = session.preview()
    before = [p.data for p in session.model.parameters()]
    session.step()
    taken = [p.data - old for p, old in zip(session.model.parameters(), before)]
    assert [step for _, step in preview] == pytest.approx(taken, abs=1e-15)


def test_the_affine_preset_is_one_affine_map():
    session = Session()
    presets.apply(session, "affine")
    session.train(5)
    A, B = session.affine_map()
    for x in ([0.3, -0.2], [2.0, 1.5], [-1.0, 0.25]):
        assert session.model(x).data == pytest.approx(A[0][0] * x[0] + A[0][1] * x[1] + B[0],
                                                      abs=1e-12)
    session.update(activations=["tanh", "linear"])
    assert session.affine_map() is None


def test_a_diverging_run_stops_with_a_message_and_its_last_finite_parameters():
    session = Session()
    presets.apply(session, "diverge")
    session.train(400)
    assert session.diverged and "the loss is inf" in session.status
    assert session.epochs < 400
    assert all(math.isfinite(p.data) for p in session.model.parameters())


def test_a_relu_that_is_zero_on_every_point_is_counted_dead():
    session = Session(Settings(activations=["relu", "relu"]))
    assert (1, 3) not in session.dead_neurons()
    session.model.layers[0].neurons[3].b.data = -100.0
    assert (1, 3) in session.dead_neurons()


def test_the_exported_code_reproduces_the_model(tmp_path):
    session = Session(Settings(activations=["tanh", "relu"], optimizer="momentum", l2=0.001))
    session.add_point([0.5, 0.5], 1)
    session.train(3)
    source = exporting.code(session)
    assert "nn.Sequential(" in source and "nn.fit(" in source and "Not reproduced" not in source
    scope = {}
    exec(compile(source, "playground.py", "exec"), scope)
    assert largest_difference(scope["model"], session.model) <= 1e-12
    session.update(lr=0.2)
    session.step()
    assert "Not reproduced exactly: lr changed after" in exporting.code(session)


def test_the_saved_state_reopens_and_goes_on_exactly(tmp_path):
    session = Session(Settings(optimizer="adam", lr=0.01))
    session.add_point([0.1, -0.4], 0)
    session.train(2)
    path = exporting.save_state(session, tmp_path / "state.json")
    again = exporting.load_state(path)
    assert again.model.state_dict() == session.model.state_dict()
    assert again.history == session.history and again.added == session.added
    session.train(2)
    again.train(2)
    assert largest_difference(again.model, session.model) == 0.0


def test_a_file_that_is_not_a_playground_state_is_refused(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"format": "gradschool-model"}), encoding="utf-8")
    with pytest.raises(ValueError, match="not a playground state"):
        exporting.load_state(path)


def test_the_model_download_is_a_model_file_nn_load_reads(tmp_path):
    session = Session()
    session.train(1)
    exported = exporting.download(session, "model", 0)
    (tmp_path / exported["name"]).write_text(exported["text"], encoding="utf-8")
    loaded = nn.load(tmp_path / exported["name"])
    assert loaded.state_dict() == session.model.state_dict()


def test_your_own_data_with_more_features_draws_two_and_holds_the_others_at_their_mean():
    X, y = nn.data.make_blobs(60, centers=2, dim=3, seed=1)
    session = Session(X=X, y=y, features=(0, 2))
    assert session.settings.dataset == "own"
    x = session.full_input(1.0, 2.0)
    assert (x[0], x[2]) == (1.0, 2.0) and x[1] == pytest.approx(session.means[1])
    session.train(1)
    assert views.point_list(session)[0][:2] == [session.X_train[0][0], session.X_train[0][2]]


def test_settings_a_learner_cannot_use_are_refused_saying_which():
    with pytest.raises(ValueError, match="activations has one name per hidden layer"):
        Session(Settings(hidden=[4, 4], activations=["tanh"]))
    with pytest.raises(ValueError, match="lr is a number from 0"):
        Session().update(lr=-1)
    with pytest.raises(ValueError, match="dataset is one of"):
        Session().update(dataset="mnist")


def test_the_picture_of_the_last_state_shows_every_neuron_and_the_data():
    session = Session()
    session.train(2)
    picture = Picture(session, views.Grid(session))
    root = ET.fromstring(picture.svg)
    images = root.findall(".//{http://www.w3.org/2000/svg}image")
    assert len(images) == 8 + 8 + 1 + 1     # a heatmap per neuron, and the decision surface
    assert "epoch 2" in picture.title and "test loss" in picture.title
    bundle = picture._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "text/plain"}


def test_png_writes_a_picture_of_the_right_size():
    data = png(np.zeros((3, 5, 3), dtype=np.uint8))
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == 5 and int.from_bytes(data[20:24], "big") == 3


def test_import_nn_loads_no_numpy_no_widget_and_no_playground():
    code = ("import sys, nn; print(sorted(m for m in ('numpy', 'anywidget', 'ipywidgets', "
            "'matplotlib', 'nn.playground') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("steps", [0, 5])
def test_a_state_saved_after_the_next_batches_were_drawn_reopens_on_the_same_batches(
        tmp_path, steps):
    # the views' preview draws the next epoch's batches from the shuffling stream before a save:
    # a reopened playground drew them again, and went on with other batches
    session = Session()
    session.train(2)
    for _ in range(steps):
        session.step()
    session.preview()
    again = exporting.load_state(exporting.save_state(session, tmp_path / "state.json"))
    session.train(2)
    again.train(2)
    assert largest_difference(again.model, session.model) == 0.0
    assert again.history == session.history


def test_choosing_data_with_more_classes_switches_a_binary_task_to_classes():
    session = Session()
    assert session.update(dataset="spirals", classes=3) == "data"
    assert session.settings.task == "classes" and session.model.layers[-1].nout == 3
    assert "3 classes" in session.status
    session.train(1)
    assert session.history["accuracy"]

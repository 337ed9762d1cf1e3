"""Module: parameter counts and names, state dicts, saving and loading JSON files."""

import json
import math
import os
import random
import re

import pytest

import autograd
import nn
from autograd import Value

SHAPES = [(1, [1, 1]), (2, [3, 1]), (2, [16, 16, 1]), (4, [5, 3]), (3, [7, 2, 5])]


def formula_count(nin, nouts):
    """(p+1)H + (H+1)K for one hidden layer, and the same sum for any depth."""
    sizes = [nin, *nouts]
    return sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))


@pytest.mark.parametrize("nin, nouts", SHAPES)
def test_parameter_count_matches_the_formula(nin, nouts):
    model = nn.MLP(nin, nouts, seed=0)
    assert model.num_parameters() == formula_count(nin, nouts)
    assert len(model.parameters()) == formula_count(nin, nouts)
    assert len({id(p) for p in model.parameters()}) == formula_count(nin, nouts)


def test_course_examples_counts():
    p, H, K = 5, 7, 3
    assert nn.MLP(p, [H, K], activation="tanh").num_parameters() == (p + 1) * H + (H + 1) * K
    H1, H2 = 4, 6
    model = nn.MLP(p, [H1, H2, 1], output_activation="sigmoid")
    assert model.num_parameters() == (p + 1) * H1 + (H1 + 1) * H2 + (H2 + 1)


def test_named_parameters_follow_layers_neurons_weights_then_bias():
    model = nn.MLP(2, [3, 1], seed=0)
    names = [name for name, _ in model.named_parameters()]
    expected = [f"layers.0.neurons.{j}.{w}" for j in range(3) for w in ("w.0", "w.1", "b")]
    expected += [f"layers.1.neurons.0.w.{i}" for i in range(3)] + ["layers.1.neurons.0.b"]
    assert names == expected
    by_name = dict(model.named_parameters())
    assert by_name["layers.0.neurons.2.w.1"] is model.layers[0].neurons[2].w[1]
    assert [p for _, p in model.named_parameters()] == model.parameters()


def test_named_parameters_of_a_custom_module_and_shared_parameter():
    class Line(nn.Module):
        def __init__(self):
            self.slope = Value(2.0)
            self.pair = (Value(1.0), self.slope)  # shared: listed once, under its first name
            self.inner = nn.Neuron(1)

    names = [name for name, _ in Line().named_parameters()]
    assert names == ["slope", "pair.0", "inner.w.0", "inner.b"]


def test_zero_grad_clears_every_parameter():
    model = nn.MLP(2, [4, 1], seed=0)
    model([1.0, -2.0]).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_state_dict_round_trip_between_two_models():
    a, b = nn.MLP(2, [4, 1], seed=1), nn.MLP(2, [4, 1], seed=2)
    assert a([0.3, 0.7]).data != b([0.3, 0.7]).data
    b.load_state_dict(a.state_dict())
    assert b([0.3, 0.7]).data == a([0.3, 0.7]).data
    assert all(isinstance(v, float) for v in a.state_dict().values())


def test_summary_is_a_table_with_the_course_counts():
    p, H, K = 4, 10, 3
    text = str(nn.MLP(p, [H, K], activation="tanh"))
    assert nn.MLP(p, [H, K]).summary().splitlines()[0] == "Model: MLP"
    rows = [line for line in text.splitlines() if line.startswith("layers.")]
    assert len(rows) == 2
    assert str((p + 1) * H) in rows[0].split() and "tanh" in rows[0]
    assert str((H + 1) * K) in rows[1].split() and "linear" in rows[1]
    assert text.splitlines()[-1] == f"Total params: {(p + 1) * H + (H + 1) * K}"


# --- saving and loading ------------------------------------------------------------------

def inputs(n=5, seed=0):
    rng = random.Random(seed)
    return [[rng.uniform(-2, 2), rng.uniform(-2, 2)] for _ in range(n)]


def outputs(model, xs):
    """Every output number of ``model`` on each input of ``xs``."""
    results = [model(x) for x in xs]
    return [[v.data for v in r] if isinstance(r, list) else r.data for r in results]


@pytest.mark.parametrize("model", [
    nn.MLP(2, [16, 16, 1], seed=3),
    nn.MLP(2, [5, 3], activation="tanh", output_activation="sigmoid", init="xavier", seed=4),
    nn.Sequential(nn.Dense(2, 4, "tanh", seed=5), nn.Layer(4, 1, "linear", seed=6)),
    nn.Layer(2, 1, "sigmoid", seed=7),
])
def test_save_then_load_gives_identical_outputs(tmp_path, model):
    path = tmp_path / "model.json"
    model.save(path)
    loaded = nn.load(path)
    assert type(loaded) is type(model)
    assert loaded.architecture() == model.architecture()
    assert loaded.state_dict() == model.state_dict()
    assert outputs(loaded, inputs()) == outputs(model, inputs())


def test_model_load_fills_an_existing_model(tmp_path):
    model, other = nn.MLP(2, [16, 16, 1], seed=3), nn.MLP(2, [16, 16, 1], seed=4)
    model.save(tmp_path / "m.json")
    assert outputs(other, inputs()) != outputs(model, inputs())
    assert other.load(tmp_path / "m.json") is other
    assert outputs(other, inputs()) == outputs(model, inputs())


def test_saved_file_is_json_with_architecture_and_parameters(tmp_path):
    model = nn.MLP(2, [3, 1], seed=0)
    model.save(tmp_path / "m.json")
    document = json.loads((tmp_path / "m.json").read_text())
    assert document["format"] == "gradschool-model"
    assert document["architecture"] == {
        "type": "MLP",
        "config": {"nin": 2, "nouts": [3, 1], "activation": "relu", "output_activation": "linear"},
    }
    assert list(document["parameters"]) == [name for name, _ in model.named_parameters()]


def test_custom_activation_saves_parameters_but_nn_load_explains(tmp_path):
    model = nn.MLP(1, [3, 1], activation=lambda s: s * s, seed=0)
    model.save(tmp_path / "m.json")
    with pytest.raises(ValueError, match="model.load"):
        nn.load(tmp_path / "m.json")
    twin = nn.MLP(1, [3, 1], activation=lambda s: s * s, seed=1)
    twin.load(tmp_path / "m.json")
    assert outputs(twin, [[0.5], [2.0]]) == outputs(model, [[0.5], [2.0]])


def test_load_into_a_different_architecture_is_refused(tmp_path):
    nn.MLP(2, [3, 1], activation="tanh", seed=0).save(tmp_path / "m.json")
    model = nn.MLP(2, [3, 1], activation="relu", seed=1)
    before = model.state_dict()
    with pytest.raises(ValueError, match="architecture"):
        model.load(tmp_path / "m.json")
    assert model.state_dict() == before


def corrupt(document, how):  # noqa: C901 - one branch per kind of damage: a table
    """A copy of a saved model's JSON text, damaged in one way."""
    params = document["parameters"]
    first, last = list(params)[0], list(params)[-1]
    if how == "missing key":
        del params[last]
    elif how == "extra key":
        params["layers.9.neurons.0.b"] = 0.5
    elif how == "wrong type":
        params[first] = "0.5"
    elif how == "boolean":
        params[first] = True
    elif how == "null":
        params[first] = None
    elif how == "renamed":
        params["layers.0.neurons.0.w.7"] = params.pop(first)
    elif how == "parameters not a dict":
        document["parameters"] = list(params.values())
    elif how == "no parameters":
        del document["parameters"]
    elif how == "not a model file":
        document = {"hello": "world"}
    text = json.dumps(document)
    if how == "truncated":
        text = text[: len(text) // 2]
    elif how == "not JSON":
        text = "this is not JSON at all"
    elif how == "empty":
        text = ""
    return text


PROBLEMS = {
    "missing key": "missing parameter 'layers.1.neurons.0.b'",
    "extra key": "unexpected key 'layers.9.neurons.0.b'",
    "wrong type": "parameter 'layers.0.neurons.0.w.0' must be a number, got str",
    "boolean": "parameter 'layers.0.neurons.0.w.0' must be a number, got bool",
    "null": "parameter 'layers.0.neurons.0.w.0' must be a number, got NoneType",
    "renamed": "missing parameter 'layers.0.neurons.0.w.0'",
    "parameters not a dict": "must be a dict",
    "no parameters": "no 'parameters' entry",
    "not a model file": "not a model file",
    "truncated": "not valid JSON",
    "not JSON": "not valid JSON",
    "empty": "not valid JSON",
}


@pytest.mark.parametrize("how", list(PROBLEMS))
def test_every_load_failure_names_the_problem_and_leaves_the_model_untouched(tmp_path, how):
    path = tmp_path / "model.json"
    nn.MLP(2, [3, 1], seed=0).save(path)
    path.write_text(corrupt(json.loads(path.read_text()), how))
    model = nn.MLP(2, [3, 1], seed=1)
    before, out_before = model.state_dict(), outputs(model, inputs())
    with pytest.raises(ValueError) as error:
        model.load(path)
    assert PROBLEMS[how] in str(error.value)
    assert model.state_dict() == before
    assert outputs(model, inputs()) == out_before
    with pytest.raises(ValueError) as error:
        nn.load(path)
    assert PROBLEMS[how] in str(error.value)


def test_load_state_dict_checks_everything_before_changing_anything():
    model = nn.MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    state = {name: 0.0 for name in before}
    state["layers.1.neurons.0.b"] = "oops"  # the last entry is bad: nothing before it may change
    with pytest.raises(ValueError, match="layers.1.neurons.0.b"):
        model.load_state_dict(state)
    assert model.state_dict() == before
    with pytest.raises(ValueError, match=r"it has 12 entries, the model has 13 parameters"):
        model.load_state_dict({name: 0.0 for name in list(before)[:-1]})


def test_a_failing_save_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    old = nn.MLP(2, [3, 1], seed=0)
    old.save(path)
    old_text = path.read_text()

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        nn.MLP(2, [3, 1], seed=1).save(path)
    assert path.read_text() == old_text
    assert os.listdir(tmp_path) == ["model.json"]  # no temporary file left behind
    assert nn.load(path).state_dict() == old.state_dict()


def test_save_replaces_the_file_and_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "model.json"
    nn.MLP(2, [3, 1], seed=0).save(path)
    new = nn.MLP(2, [3, 1], seed=1)
    new.save(str(path))
    assert os.listdir(tmp_path) == ["model.json"]
    assert nn.load(path).state_dict() == new.state_dict()


def test_save_refuses_a_nan_parameter_by_name_and_writes_nothing(tmp_path):
    # it wrote a literal NaN: not JSON, so other tools rejected the file
    path = tmp_path / "model.json"
    model = nn.MLP(2, [3, 1], seed=0)
    model.save(path)
    old_text = path.read_text()
    model.layers[0].neurons[1].w[0].data = math.nan
    with pytest.raises(ValueError, match=r"parameter 'layers\.0\.neurons\.1\.w\.0' is nan"):
        model.save(path)
    model.layers[0].neurons[1].w[0].data = -math.inf
    with pytest.raises(ValueError, match="is -inf"):
        model.save(tmp_path / "other.json")
    assert path.read_text() == old_text and os.listdir(tmp_path) == ["model.json"]


def test_saved_file_is_strict_json(tmp_path):
    def no_constants(name):
        raise AssertionError(f"{name} is not JSON")

    model = nn.MLP(2, [3, 1], seed=0)
    model.layers[1].neurons[0].b.data = 1e308  # large, but finite: written and read back exactly
    model.save(tmp_path / "m.json")
    document = json.loads((tmp_path / "m.json").read_text(), parse_constant=no_constants)
    assert document["parameters"] == model.state_dict()
    assert nn.load(tmp_path / "m.json").state_dict() == model.state_dict()


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_loading_a_file_with_nan_is_refused(tmp_path, constant):
    path = tmp_path / "m.json"
    nn.MLP(2, [3, 1], seed=0).save(path)
    text = path.read_text()
    first = json.dumps(list(json.loads(text)["parameters"])[0])
    path.write_text(re.sub(first + r": [^,]+,", f"{first}: {constant},", text, count=1))
    model = nn.MLP(2, [3, 1], seed=1)
    before = model.state_dict()
    with pytest.raises(ValueError, match=f"holds {constant}, which is not valid JSON"):
        model.load(path)
    assert model.state_dict() == before
    with pytest.raises(ValueError, match="is nan"):
        model.load_state_dict({**before, "layers.0.neurons.0.b": math.nan})


@pytest.mark.parametrize("where, kind, words", [
    ("no/such/folder/m.json", FileNotFoundError, "folder 'no/such/folder' does not exist"),
    (".", IsADirectoryError, "it is a folder"),
])
def test_save_errors_name_the_users_path_never_the_temporary_file(tmp_path, monkeypatch,
                                                                 where, kind, words):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(kind) as error:
        nn.MLP(2, [3, 1], seed=0).save(where)
    message = str(error.value)
    assert f"cannot save the model to {where!r}" in message and words in message
    assert ".tmp" not in message
    assert os.listdir(tmp_path) == []


def test_disk_errors_during_save_name_the_users_path(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "replace", lambda *paths: (_ for _ in ()).throw(
        PermissionError(13, "Permission denied", paths[0], None, paths[1])))
    with pytest.raises(PermissionError) as error:
        nn.MLP(2, [3, 1], seed=0).save(tmp_path / "m.json")
    assert str(error.value).endswith(f"cannot save the model to {str(tmp_path / 'm.json')!r}: "
                                     "Permission denied")
    assert os.listdir(tmp_path) == []


def test_the_threshold_fit_chose_is_saved_with_the_model(tmp_path):
    # after loading, accuracy read an mse model's outputs at 0 instead of fit's 0.5
    X, y = nn.data.make_moons(20)
    model = nn.MLP(2, [3, 1], seed=0)
    nn.fit(model, X, y, loss="mse", optimizer=nn.SGD(model.parameters(), lr=0.1), epochs=0)
    model.save(tmp_path / "m.json")
    assert nn.load(tmp_path / "m.json").threshold == 0.5
    assert nn.MLP(2, [3, 1], seed=1).load(tmp_path / "m.json").threshold == 0.5
    fresh = tmp_path / "fresh.json"
    nn.MLP(2, [3, 1], seed=0).save(fresh)
    assert "threshold" not in json.loads(fresh.read_text()) and nn.load(fresh).threshold is None
    document = json.loads((tmp_path / "m.json").read_text())
    document["threshold"] = "half"
    (tmp_path / "m.json").write_text(json.dumps(document))
    with pytest.raises(ValueError, match="threshold must be a number, got str"):
        nn.load(tmp_path / "m.json")


def test_predict_gives_plain_floats_without_building_a_graph():
    model = nn.MLP(2, [3, 2], seed=0)
    X = inputs(4)
    predictions = model.predict(X)
    assert predictions == outputs(model, X)
    assert all(type(number) is float for row in predictions for number in row)
    assert nn.MLP(2, [3, 1], seed=0).predict(X) == outputs(nn.MLP(2, [3, 1], seed=0), X)

    class Spy(nn.Module):
        def __call__(self, x):
            self.recording = autograd.is_grad_enabled()
            return Value(x[0]) * 2

    spy = Spy()
    assert spy.predict([[1.5]]) == [3.0] and spy.recording is False


def test_micrograd_network_has_the_same_parameters_in_the_same_order():
    micrograd_nn = pytest.importorskip("micrograd.nn")
    random.seed(1337)
    theirs = micrograd_nn.MLP(2, [16, 16, 1])
    ours = nn.MLP(2, [16, 16, 1], init="uniform", seed=1337)
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    random.seed(1337)
    assert nn.MLP(2, [16, 16, 1]).state_dict() == ours.state_dict()  # seed=None: the random module

    # loading their values into a differently seeded model, in order, gives their function
    other = nn.MLP(2, [16, 16, 1], seed=5)
    names = [name for name, _ in other.named_parameters()]
    other.load_state_dict(dict(zip(names, [p.data for p in theirs.parameters()])))
    for x in inputs(20, seed=1):
        assert other(x).data == pytest.approx(theirs(x).data, rel=1e-12, abs=1e-12)

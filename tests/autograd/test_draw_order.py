"""Where things sit in a drawing: a neuron's weights in operand order, box labels left clear.

A neuron ``w·x + b`` takes its operands in the order w₀, w₁, …, x₀, x₁, …, b;
the picture shows them in that order, left to right (top to bottom when the
graph runs left to right), with or without the boxes of ``cluster=``. Dot
had drawn w₁ left of w₀, and, inside boxes, a layer's weights as w₁, w₀, b,
w₂. So do the logits into logΣexp, and a number folded into an op (the 1 of
1 - y·s on the left). A box's name sits in its top left corner, where no edge runs through it
("layers.1" was struck through). These tests read positions from the SVG.
"""

import re
import xml.etree.ElementTree as ET

import pytest

from autograd import Value, draw_graph, logsumexp, topological_order
from autograd import dot as weighted_sum
from tests.autograd.test_draw import StandIn
from tests.autograd.test_draw_labels import SVG, curve_points, text_box


def centres(svg):
    """Node id -> (x, y) of the middle of its outline; y grows downwards, as on screen."""
    found = {}
    for group in ET.fromstring(svg.encode()).iter(SVG + "g"):
        if group.get("class") == "node":
            shape = next(shape for shape in group.iter()
                         if shape.tag in (SVG + "polygon", SVG + "path", SVG + "ellipse"))
            if shape.tag == SVG + "ellipse":  # an op
                found[group.find(SVG + "title").text] = (float(shape.get("cx")),
                                                         float(shape.get("cy")))
                continue
            numbers = [float(n) for n in
                       re.findall(r"-?\d+(?:\.\d+)?", shape.get("points") or shape.get("d"))]
            xs, ys = numbers[::2], numbers[1::2]  # a card, or a constant's rounded box
            found[group.find(SVG + "title").text] = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return found


def in_order(svg, ids, rankdir):
    """Whether the nodes ``ids`` are drawn in this order: left to right in a picture drawn
    top to bottom, top to bottom in one drawn left to right."""
    where = centres(svg)
    across = [where[i][0 if rankdir == "TB" else 1] for i in ids]
    return across == sorted(across) and len(set(across)) == len(across)


def two_samples():
    """Notebook 04's picture: one neuron's w₀, w₁, b applied to two samples."""
    w, b = [Value(0.3, "w0"), Value(-0.2, "w1")], Value(0.1, "b")
    terms = [(weighted_sum(w, x, b) * y).sigmoid().log()
             for x, y in (([0.74, 0.74], 1.0), ([-0.41, -0.92], -1.0))]
    return -(terms[0] + terms[1]), w + [b]


@pytest.mark.parametrize("rankdir", ["TB", "LR"])
def test_a_neurons_weights_are_drawn_in_operand_order_regression(rankdir):
    # regression: notebook 04 drew w1 left of w0
    loss, parameters = two_samples()
    n = {value: f"n{i}" for i, value in enumerate(topological_order(loss))}
    assert in_order(draw_graph(loss, rankdir=rankdir).svg(backend="wasm"),
                    [n[p] for p in parameters], rankdir)


def cross_entropy_head():
    """Notebook 05's cross-entropy on three logits: logΣexp(z) - z₂."""
    z = [Value(-0.43, "z0"), Value(0.31, "z1"), Value(0.24, "z2")]
    head = logsumexp(z) - z[2]
    head.backward()
    return head, z


def test_the_logits_into_logsumexp_come_in_operand_order():
    # notebook 05 drew z1 above z0. (Only left to right, as there: the order is a wish that
    # dot grants unless other edges pull a Value elsewhere, and top to bottom z2's edge into
    # the minus pulls it to the left.)
    head, z = cross_entropy_head()
    n = {value: f"n{i}" for i, value in enumerate(topological_order(head))}
    assert in_order(draw_graph(head).svg(backend="wasm"), [n[v] for v in z], "LR")


def hinge_of_a_2_2_1_network():
    """Notebook 10's graph: relu(1 - y·s) for a 2-2-1 ReLU network, its Values named as there."""
    w = [Value(v, f"w_{i}") for i, v in enumerate([0.5, -0.4, 0.1, -0.3, 0.8, 0.2, 1.0, -0.7,
                                                   0.05])]
    x = [Value(1.0, "x_0"), Value(0.5, "x_1")]
    hidden = [weighted_sum(w[3 * j:3 * j + 2], x, w[3 * j + 2]).relu() for j in range(2)]
    ys = Value(1.0, "y") * weighted_sum(w[6:8], hidden, w[8])
    return (1.0 - ys).relu(), ys


@pytest.mark.parametrize("rankdir", ["TB", "LR"])
def test_a_number_folded_into_an_op_sits_on_its_side_regression(rankdir):
    # regression: notebook 10 drew the 1 of 1 - y·s to the right of y·s
    loss, ys = hinge_of_a_2_2_1_network()
    n = {value: f"n{i}" for i, value in enumerate(topological_order(loss))}
    margin = loss.parents[0]
    svg = draw_graph(loss, rankdir=rankdir).svg(backend="wasm")
    assert in_order(svg, [n[margin] + "_c", n[ys]], rankdir)


def two_layers():
    """A 2-3-3 network on one sample, its parameters named as nn names them."""
    x = [Value(0.8, "x0"), Value(-0.4, "x1")]
    named, h = [], x
    for layer, (fan_in, width) in enumerate(((2, 3), (3, 3))):
        out = []
        for j in range(width):
            w = [Value(0.1 * (i + 1) - 0.05 * j) for i in range(fan_in)]
            b = Value(0.01 * (j + 1))
            named += [(f"layers.{layer}.neurons.{j}.w.{i}", wi) for i, wi in enumerate(w)]
            named.append((f"layers.{layer}.neurons.{j}.b", b))
            total = weighted_sum(w, h, b)
            out.append(total.tanh() if layer == 0 else total)
        h = out
    loss = sum(z * z for z in h)
    loss.backward()
    return loss, named


@pytest.mark.parametrize("rankdir", ["TB", "LR"])
def test_inside_the_boxes_each_neurons_weights_are_in_operand_order_regression(rankdir):
    # regression: notebook 05 drew the output neurons' weights as w1, w0, b, w2
    loss, named = two_layers()
    n = {value: f"n{i}" for i, value in enumerate(topological_order(loss))}
    svg = draw_graph(loss, rankdir=rankdir, cluster=StandIn(named)).svg(backend="wasm")
    neurons = {}
    for name, value in named:  # in nn's order: w.0, w.1, ..., b
        neurons.setdefault(name.rsplit(".", 2 if ".w." in name else 1)[0], []).append(n[value])
    assert len(neurons) == 6
    for neuron, ids in neurons.items():
        assert in_order(svg, ids, rankdir), neuron


def box_labels_crossed(svg):
    """The names of boxes that an edge's line runs through."""
    root = ET.fromstring(svg.encode())
    lines = [curve_points(path.get("d")) for group in root.iter(SVG + "g")
             if group.get("class") == "edge" for path in group.iter(SVG + "path")]
    crossed = []
    for group in root.iter(SVG + "g"):
        if group.get("class") == "cluster":
            for text in group.iter(SVG + "text"):
                left, top, right, bottom = text_box(text)
                if any(left <= x <= right and top <= y <= bottom
                       for points in lines for x, y in points):
                    crossed.append("".join(text.itertext()))
    return crossed


@pytest.mark.parametrize("rankdir", ["TB", "LR"])
def test_no_edge_runs_through_the_name_of_a_box_regression(rankdir):
    # regression: notebook 05's "layers.1" was struck through by the edges into its neurons
    loss, named = two_layers()
    svg = draw_graph(loss, rankdir=rankdir, cluster=StandIn(named)).svg(backend="wasm")
    assert len(re.findall(r'class="cluster"', svg)) == 8
    assert box_labels_crossed(svg) == []

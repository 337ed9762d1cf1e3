"""nn.draw_network: neurons in layer columns, an edge per weight, colour = sign, width = |w|."""

import xml.etree.ElementTree as ET

import pytest

import nn
from nn import draw

SVG = "{http://www.w3.org/2000/svg}"


def lines_and_circles(svg):
    root = ET.fromstring(svg)
    return root.findall(f".//{SVG}line"), root.findall(f".//{SVG}g/{SVG}circle")


def test_one_edge_per_weight_and_one_circle_per_neuron():
    model = nn.MLP(2, [8, 8, 1], seed=0)
    lines, circles = lines_and_circles(nn.draw_network(model).svg())
    assert len(lines) == 2 * 8 + 8 * 8 + 8 * 1
    assert len(circles) == 2 + 8 + 8 + 1


def test_columns_are_evenly_spaced_and_each_column_is_centred():
    positions, width, height = draw.layout([2, 5, 1])
    xs = [column[0][0] for column in positions]
    assert xs[1] - xs[0] == xs[2] - xs[1] == draw.COLUMN
    for column in positions:
        assert {x for x, _ in column} == {column[0][0]}
        ys = [y for _, y in column]
        assert sum(ys) / len(ys) == pytest.approx(height / 2)
        assert all(b - a == pytest.approx(draw.ROW) for a, b in zip(ys, ys[1:]))
    # the picture holds every circle with its margin
    assert min(y for column in positions for _, y in column) - draw.RADIUS == draw.MARGIN
    assert width - xs[-1] - draw.RADIUS == pytest.approx(draw.MARGIN)


def test_edge_colour_is_the_sign_and_width_grows_with_the_magnitude():
    assert draw.edge_style(0.3, 1.0)[0] == draw.POSITIVE
    assert draw.edge_style(-0.3, 1.0)[0] == draw.NEGATIVE
    assert draw.edge_style(0.0, 1.0) == (draw.ZERO, draw.MIN_WIDTH)
    assert draw.edge_style(-2.0, 2.0)[1] == draw.MAX_WIDTH
    widths = [draw.edge_style(w, 2.0)[1] for w in (0.1, 0.5, -1.0, 1.5)]
    assert widths == sorted(widths) and len(set(widths)) == 4
    assert draw.edge_style(1.0, 0.0)[1] == draw.MIN_WIDTH   # every weight 0: no division


def test_each_edge_carries_its_own_weight_from_its_own_neurons():
    model = nn.MLP(2, [3, 1], seed=4)
    scene = draw.scene_of(model)
    for edge in scene.edges:
        neuron = model.layers[edge.layer - 1].neurons[edge.j]
        assert edge.weight == neuron.w[edge.i].data
        assert edge.name == f"layers.{edge.layer - 1}.neurons.{edge.j}.w.{edge.i}"
        start, end = scene.node(edge.layer - 1, edge.i), scene.node(edge.layer, edge.j)
        assert (edge.x1, edge.y1) == (start.x + start.r, start.y)
        assert (edge.x2, edge.y2) == (end.x - end.r, end.y)
    heaviest = max(scene.edges, key=lambda edge: abs(edge.weight))
    assert heaviest.width == draw.MAX_WIDTH


def test_a_neuron_shows_its_bias_and_an_input_has_none():
    model = nn.MLP(2, [2, 1], seed=0)
    model.layers[0].neurons[1].b.data = -0.25
    scene = draw.scene_of(model, input_names=["age", "height"])
    assert scene.node(0, 1).label == "height" and scene.node(0, 1).bias is None
    assert scene.node(1, 1).bias == -0.25 and scene.node(1, 1).name == "layers.0.neurons.1.b"
    assert scene.activations == ["relu", "linear"]


def test_a_neuron_picture_is_clipped_to_its_circle():
    svg = nn.draw_network(nn.MLP(2, [1], seed=0),
                          images={(1, 0): "data:image/png;base64,AAAA"}).svg()
    root = ET.fromstring(svg)
    (image,) = root.findall(f".//{SVG}image")
    assert image.get("clip-path") == "url(#clip-1-0)"
    assert root.find(f".//{SVG}clipPath[@id='clip-1-0']") is not None


def test_a_single_layer_and_a_single_neuron_are_drawn_too():
    assert len(draw.scene_of(nn.Layer(3, 2, seed=0)).edges) == 6
    assert len(draw.scene_of(nn.Neuron(4, seed=0)).edges) == 4


def test_save_writes_svg_and_refuses_another_suffix(tmp_path):
    drawing = nn.draw_network(nn.MLP(2, [2, 1], seed=0))
    path = drawing.save(tmp_path / "net.svg")
    assert path.read_text(encoding="utf-8") == drawing.svg() == drawing._repr_svg_()
    with pytest.raises(ValueError, match="ending in .svg"):
        drawing.save(tmp_path / "net.png")


def test_a_model_without_neurons_is_refused_with_what_it_draws():
    class Free(nn.Module):
        def __call__(self, x):
            return x

    with pytest.raises(TypeError, match="MLP, Sequential of Layers"):
        nn.draw_network(Free())

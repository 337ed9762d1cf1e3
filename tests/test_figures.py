"""make figures: every lecture figure is written, whole, in each format, at slide proportions.

Each file is read as its format says it must be: an SVG is XML whose root is an
<svg> 1280 × 720 (16:9); a PNG has its signature and an IHDR chunk of
1280 × 720 pixels; a PDF starts with %PDF, ends with %%EOF and has one page
whose MediaBox is 16:9. Graph drawings (autograd.draw_graph) are SVG only.
"""

import re
import struct
import xml.etree.ElementTree as ElementTree

import pytest

pytest.importorskip("matplotlib")

from nn import figures  # noqa: E402 - only with matplotlib

PLOTS = ["activations", "gradient_descent_eta_0.125", "logistic_regression_steps",
         "forward_backward_blocks"]
DRAWINGS = ["chain_rule_two_paths", "network_1_1_1_graph"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("figures")
    assert figures.main(["--out", str(out)]) == 0
    return out


def svg_size(path):
    root = ElementTree.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
    if root.get("viewBox"):
        _, _, width, height = map(float, root.get("viewBox").split())
    else:
        width, height = (float(re.match(r"[\d.]+", root.get(side)).group()) for side in
                         ("width", "height"))
    return width, height


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def pdf_size(path):
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.\s]+)\]", data)
    assert len(boxes) == 1, "one page"
    x0, y0, x1, y1 = map(float, boxes[0].split())
    return x1 - x0, y1 - y0


def sixteen_by_nine(width, height):
    return abs(width / height - 16 / 9) < 0.01


@pytest.mark.parametrize("name", PLOTS)
def test_each_plot_is_written_as_svg_png_and_pdf_of_a_slide(folder, name):
    assert sixteen_by_nine(*svg_size(folder / f"{name}.svg"))
    assert png_size(folder / f"{name}.png") == (1280, 720)
    assert sixteen_by_nine(*pdf_size(folder / f"{name}.pdf"))


@pytest.mark.parametrize("name", DRAWINGS)
def test_each_graph_drawing_is_an_svg_in_a_slide_frame(folder, name):
    assert svg_size(folder / f"{name}.svg") == (1280.0, 720.0)
    text = (folder / f"{name}.svg").read_text(encoding="utf-8")
    assert text.count("<svg") == 2 and "data" in text and "grad" in text


def test_the_backward_pass_has_one_frame_per_step(folder):
    frames = sorted(folder.glob("backward_frame_*.svg"))
    assert len(frames) == 6       # o, s, b, the product x·w, x and w: every Value once
    for frame in frames:
        assert svg_size(frame) == (1280.0, 720.0)
    assert "step 1 of 6" in frames[0].read_text(encoding="utf-8")


def test_no_file_is_left_half_written(folder):
    assert not list(folder.glob(".*.part"))


def test_the_figures_are_the_same_bytes_run_after_run(folder, tmp_path):
    assert figures.main(["forward", "--out", str(tmp_path)]) == 0
    for suffix in ("svg", "pdf"):
        name = f"forward_backward_blocks.{suffix}"
        assert (tmp_path / name).read_bytes() == (folder / name).read_bytes()


def test_an_unknown_figure_is_refused_with_the_list(capsys, tmp_path):
    assert figures.main(["nonsense", "--out", str(tmp_path)]) == 1
    assert "activations" in capsys.readouterr().err


def test_a_drawing_keeps_its_shape_in_the_frame():
    framed = figures.in_frame('<?xml version="1.0"?>\n<svg width="300pt" height="100pt" '
                              'viewBox="0 0 300 100"><rect width="300" height="100"/></svg>')
    root = ElementTree.fromstring(framed)
    inner = root.find("{http://www.w3.org/2000/svg}svg")
    assert inner.get("preserveAspectRatio") == "xMidYMid meet"
    assert inner.get("viewBox") == "0 0 300 100" and inner.get("width") == "1232"

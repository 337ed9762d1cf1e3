"""Drawing.save("g.pdf") without the system dot: svglib and reportlab, vector (viz/vector.py)."""

import base64
import re
import zlib

import pytest

import autograd
from autograd import Value, draw_graph

pytest.importorskip("svglib")
pytest.importorskip("reportlab")


@pytest.fixture
def no_system_dot(monkeypatch):
    import autograd.viz.renderers as renderers

    monkeypatch.setattr(renderers.shutil, "which", lambda name: None)


def _page_size(pdf):
    box = re.search(rb"/MediaBox \[ ?([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) ?\]", pdf)
    return float(box[3]) - float(box[1]), float(box[4]) - float(box[2])


def _text(pdf):
    """Every text string the PDF's content streams draw (inflated where compressed)."""
    text = b""
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        for decode in (lambda s: s, lambda s: base64.a85decode(s.strip().removesuffix(b"~>"))):
            try:  # Flate, or ASCII85 then Flate (reportlab's page content)
                text += zlib.decompressobj().decompress(decode(stream))
                break
            except (zlib.error, ValueError):
                continue
    return text


def test_a_drawing_saves_as_pdf_without_the_system_dot(no_system_dot, tmp_path):
    # PDF needed Graphviz's dot: a slide or a handout could not have the course's graphs
    x = Value(0.5, "x")
    y = (x * 2).tanh()
    y.label = "y"
    drawing = draw_graph(y)
    path = drawing.save(tmp_path / "y.pdf")
    pdf = path.read_bytes()
    assert pdf.startswith(b"%PDF")
    width, height = (float(n) for n in re.search(
        r'width="([\d.]+)pt" height="([\d.]+)pt"', drawing.svg()).groups())
    assert _page_size(pdf) == pytest.approx((width, height), abs=1.5)  # the picture's own size
    assert b"DejaVuSans" in pdf  # the font that has the subscripts, embedded


def test_the_pdf_writes_the_drawings_words_as_text(no_system_dot, tmp_path):
    drawing = draw_graph(autograd.dot([Value(1.0, "w")], [3.0], Value(0.5, "b")))
    text = _text(drawing.save(tmp_path / "n.pdf").read_bytes())
    labels = drawing.svg().count("<text")
    assert text.count(b"BT") >= labels > 5  # each label a text object, not curves or a bitmap
    assert b" Tj" in text or b"TJ" in text


def test_pdf_without_svglib_says_what_to_install(no_system_dot, tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_svglib(name, *args, **kwargs):
        if name.startswith("svglib"):
            raise ImportError("No module named 'svglib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_svglib)
    with pytest.raises(autograd.DrawingError, match=r"svglib.*gradschool\[figures\]"):
        draw_graph(Value(1.0) + 2).save(tmp_path / "g.pdf")

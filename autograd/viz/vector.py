"""SVG to PDF without Graphviz's ``dot``: ``svglib`` and ``reportlab`` (PyPI), vector all the way.

A slide or a printed handout wants the drawing as PDF, which the WebAssembly
Graphviz cannot write. ``svglib`` reads the SVG it writes into ``reportlab``'s
drawing objects, and ``reportlab`` writes them as PDF: lines, shapes and text
stay vector. Graphviz sets its text in Helvetica, and reportlab's built-in
Helvetica has no subscripts (x₀, x₁): the text is set in DejaVu Sans instead
(matplotlib's, or the system's; embedded in the PDF), 14% smaller because it
is wider and the boxes were sized for Helvetica (as ``raster.py`` does).
``pip install "gradschool[figures]"`` brings both packages.
"""

from __future__ import annotations

import io
import re

from .raster import DEJAVU_NARROWER, NoFont, dejavu


def pdf(svg: str) -> bytes:
    """The SVG written by Graphviz, as the bytes of a one-page PDF of the picture's size."""
    from reportlab.graphics import renderPDF
    from svglib.fonts import register_font
    from svglib.svglib import svg2rlg

    font = dejavu().get("sans")
    if font is None:
        raise NoFont("no font for the PDF's text: pip install matplotlib (its DejaVu Sans is used)")
    name, registered = register_font("DejaVuSans", font)
    if not registered:
        raise NoFont(f"reportlab could not read the font {font}")
    svg = re.sub(r'font-family="[^"]*"', f'font-family="{name}"', svg)
    svg = re.sub(r'font-size="([\d.]+)"',
                 lambda m: f'font-size="{float(m[1]) * DEJAVU_NARROWER:.2f}"', svg)
    drawing = svg2rlg(io.BytesIO(svg.encode("utf-8")))
    if drawing is None:
        raise ValueError("svglib could not read the SVG")
    out = io.BytesIO()
    renderPDF.drawToFile(drawing, out)
    return out.getvalue()

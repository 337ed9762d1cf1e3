"""The playground's last state as one SVG picture, for pages and notebooks with no kernel.

A saved notebook cannot run the widget, and an exported page has no kernel
at all: ``Picture(session, grid)`` shows there what the widget last showed.
The network (``nn.draw``'s SVG, each neuron holding its heatmap as a PNG),
the decision surface with the training and test points, and the loss
curves. Pure Python and NumPy: the PNGs are written by ``png`` below.
"""

from __future__ import annotations

import base64
import html
import struct
import zlib
from typing import Any

import numpy as np

from nn import draw

from . import views

SURFACE, CHART, GAP, HEADER = 300.0, 120.0, 24.0, 30.0


def png(rgb: np.ndarray) -> bytes:
    """``rgb`` (height × width × 3 bytes) as a PNG file: one IDAT chunk, no filtering."""
    height, width, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[row].tobytes() for row in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def data_uri(rgb: np.ndarray) -> str:
    """``rgb`` as a ``data:image/png;base64,…`` URI, for an ``<image>`` inside the SVG."""
    return "data:image/png;base64," + base64.b64encode(png(rgb)).decode("ascii")


class Picture:
    """The playground as it stands, drawn: Jupyter shows it as SVG, with a line of text."""

    def __init__(self, session: Any, grid: views.Grid) -> None:
        """Compute the frame now (the picture keeps it, whatever the session does next)."""
        self.session, self.grid = session, grid
        self.svg = self._svg()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"image/svg+xml": self.svg, "text/plain": f"<playground picture: {self.title}>"}

    @property
    def title(self) -> str:
        """``epoch 12 · training loss 0.31 · test loss 0.35``: the state in words."""
        history, words = self.session.history, [f"epoch {self.session.epochs}"]
        for key, name in (("loss", "training loss"), ("val_loss", "test loss")):
            if history.get(key):
                words.append(f"{name} {history[key][-1]:.4g}")
        return " · ".join(words)

    def _svg(self) -> str:
        session, grid = self.session, self.grid
        values = views.grid_activations(session, grid)
        scales = views.neuron_scales(session, values)
        maps = np.frombuffer(views.heatmap_bytes(values, scales), dtype=np.uint8)
        maps = maps.reshape(values.shape[1], grid.size, grid.size)
        scene = draw.scene_of(session.model)
        images, k = {}, 0
        for node in scene.nodes:
            if node.layer > 0:
                images[(node.layer, node.index)] = data_uri(views.PALETTE[maps[k]])
                k += 1
        nout = session.model.layers[-1].nout
        surface = views.surface_rgb(session, values[:, -nout:]).reshape(grid.size, grid.size, 3)
        left = scene.width + GAP
        width, height = left + SURFACE + GAP, HEADER + max(scene.height, SURFACE + CHART + GAP)
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
                 f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
                 f'font-family="sans-serif">',
                 '<rect width="100%" height="100%" fill="white"/>',
                 f'<text x="8" y="20" font-size="14">Playground, last state: '
                 f'{html.escape(self.title)}</text>',
                 draw.svg_of(scene, images, 0.0, HEADER),
                 self._surface_svg(surface, left, HEADER),
                 self._chart_svg(left, HEADER + SURFACE + GAP),
                 "</svg>"]
        return "\n".join(parts)

    def _surface_svg(self, surface: np.ndarray, x: float, y: float) -> str:
        x0, x1, y0, y1 = self.grid.extent
        colours = views.CLASS_COLOURS
        dots = []
        for a, b, label, test in views.point_list(self.session):
            px = x + (a - x0) / (x1 - x0) * SURFACE
            py = y + (y1 - b) / (y1 - y0) * SURFACE
            fill = colours[int(label) % len(colours)] if float(label).is_integer() else "#111827"
            stroke = 'stroke="#111827" stroke-width="1.5"' if test else 'stroke="white"'
            dots.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.2" fill="{fill}" {stroke}/>')
        return (f'<image href="{data_uri(surface)}" x="{x:.1f}" y="{y:.1f}" '
                f'width="{SURFACE:.0f}" height="{SURFACE:.0f}" preserveAspectRatio="none"/>'
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{SURFACE:.0f}" height="{SURFACE:.0f}" '
                f'fill="none" stroke="#9ca3af"/>' + "".join(dots))

    def _chart_svg(self, x: float, y: float) -> str:
        history = self.session.history
        curves = [(key, colour) for key, colour in (("loss", "#111827"), ("val_loss", "#db2777"))
                  if history.get(key)]
        frame = (f'<rect x="{x:.1f}" y="{y:.1f}" width="{SURFACE:.0f}" height="{CHART:.0f}" '
                 f'fill="none" stroke="#9ca3af"/>')
        if not curves:
            return frame + (f'<text x="{x + 8:.1f}" y="{y + 20:.1f}" font-size="12">'
                            f'no epoch yet</text>')
        top = max(max(history[key]) for key, _ in curves) or 1.0
        lines = [frame]
        for key, colour in curves:
            values = history[key]
            step = SURFACE / max(1, len(values) - 1)
            points = " ".join(f"{x + i * step:.1f},{y + CHART - min(v / top, 1.0) * CHART:.1f}"
                              for i, v in enumerate(values))
            lines.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                         f'stroke-width="1.5"/>')
        lines.append(f'<text x="{x:.1f}" y="{y - 5:.1f}" font-size="11">loss by epoch: '
                     f'training (black), test (pink)</text>')
        return "".join(lines)

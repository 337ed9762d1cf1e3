"""SVG to PNG without Graphviz's ``dot``: ``resvg-py`` (resvg, a Rust SVG renderer, from PyPI).

A PNG beside each drawing's SVG is what an untrusted notebook, a notebook
viewer on the web and a PDF export can show. Graphviz writes its text in
``Helvetica,sans-Serif`` and sizes every box for Helvetica's letter widths;
no font of that name is on most machines, and resvg reads ``sans-Serif``
(capital S) as a family name, not as the generic family, so without help the
PNG has no text at all. The text is given, in this order:

1. a font with Helvetica's letter widths (Liberation Sans, Arimo, Arial,
   Helvetica) where the system has one: the text fills its boxes as Graphviz
   planned;
2. else DejaVu Sans from matplotlib (``pip install matplotlib``; the plots,
   notebooks and test extras bring it), or from the system: it is about 14%
   wider than Helvetica, so its text is drawn 14% smaller to stay inside the
   boxes.

DejaVu Sans is loaded in every case, for the characters the first font lacks
(the subscripts of x₀, x₁). Without any of these fonts, :func:`png` raises
:class:`NoFont` rather than draw a picture without words.
"""

from __future__ import annotations

import functools
import math
import os
import re
import sys
from importlib.util import find_spec
from pathlib import Path

PIXELS = 96 / 72  # Graphviz measures in points; a browser draws 96 pixels to 72 points
DEJAVU_NARROWER = 0.86  # Helvetica's width / DejaVu Sans's, over the labels a drawing has
# (family, file names): fonts with Helvetica's letter widths, looked for in the system's folders
METRIC_FONTS = (("Liberation Sans", ("LiberationSans-Regular.ttf",)),
                ("Arimo", ("Arimo-Regular.ttf", "Arimo[wght].ttf")),
                ("Arial", ("Arial.ttf", "arial.ttf")),
                ("Helvetica", ("Helvetica.ttc",)))
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
                "/System/Library/Fonts", "/Library/Fonts", "~/Library/Fonts",
                os.path.join(os.environ.get("WINDIR", "C:\\Windows"), "Fonts"))


class NoFont(RuntimeError):
    """No font to write a drawing's text with was found."""


def png(svg: str, scale: float = 2.0, max_pixels: int = 40_000_000) -> bytes:
    """The SVG written by Graphviz, as PNG bytes.

    ``scale``: pixels per pixel of the SVG as a browser shows it (96 per inch):
    1 for the same size, 2 for sharp on a high-resolution screen or in print.
    A picture over ``max_pixels`` is made at a smaller scale instead (40
    million pixels take 160 MB while being drawn).
    """
    import resvg_py

    if not (scale > 0 and math.isfinite(scale)):
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    width, height = size_in_points(svg)
    scale = min(scale, (max_pixels / max(width * height * PIXELS ** 2, 1.0)) ** 0.5)
    while math.ceil(width * PIXELS * scale) * math.ceil(height * PIXELS * scale) > max_pixels:
        scale *= 0.99  # the pixels are whole: a fraction rounded up can pass the limit
    families, files, narrower = fonts()
    svg = _in_pixels(svg, width, height)
    svg = re.sub(r'font-family="([^"]*)"', lambda m: f'font-family="{_generic(m[1])}"', svg)
    if narrower:
        svg = re.sub(r'font-size="([\d.]+)"',
                     lambda m: f'font-size="{float(m[1]) * DEJAVU_NARROWER:.2f}"', svg)
    return bytes(resvg_py.svg_to_bytes(
        svg_string=svg, zoom=scale, skip_system_fonts=True, font_files=list(files),
        font_family=families[0], sans_serif_family=families[0], serif_family=families[1],
        monospace_family=families[2]))


def size_in_points(svg: str) -> tuple[float, float]:
    """``(width, height)`` of the picture, in points, from the ``<svg>`` element Graphviz wrote."""
    found = re.search(r'<svg\b[^>]*?\bwidth="([\d.]+)pt"[^>]*?\bheight="([\d.]+)pt"', svg)
    if found is None:
        raise ValueError("not an SVG written by Graphviz: its <svg> has no width and height "
                         "in points")
    return float(found[1]), float(found[2])


def _in_pixels(svg: str, width: float, height: float) -> str:
    """resvg-py refuses sizes in points: say the same size in pixels."""
    return re.sub(r'(<svg\b[^>]*?\bwidth=")[\d.]+pt("[^>]*?\bheight=")[\d.]+pt"',
                  lambda m: f'{m[1]}{width * PIXELS:.2f}{m[2]}{height * PIXELS:.2f}"', svg,
                  count=1)


def _generic(families: str) -> str:
    """``Helvetica,sans-Serif`` -> ``Helvetica,sans-serif``: generic names as SVG spells them."""
    generic = {"sans-serif", "serif", "monospace"}
    return ",".join(name.lower() if name.strip().lower() in generic else name
                    for name in families.split(","))


@functools.lru_cache(maxsize=1)
def fonts() -> tuple[tuple[str, str, str], tuple[str, ...], bool]:
    """``((sans, serif, monospace) families, font files, narrower)``: see the module's text.

    ``narrower`` is True when DejaVu Sans stands in for Helvetica. Looked up
    once per process; raises :class:`NoFont` when there is nothing to use.
    """
    found = dejavu()
    metric = _metric_font()
    if metric is None and "sans" not in found:
        raise NoFont("no font to write the drawing's text with: pip install matplotlib (its "
                     "DejaVu Sans is used), or install Liberation Sans (apt install "
                     "fonts-liberation)")
    sans = metric[0] if metric else "DejaVu Sans"
    files = ([metric[1]] if metric else []) + list(found.values())
    families = (sans, "DejaVu Serif" if "serif" in found else sans,
                "DejaVu Sans Mono" if "mono" in found else sans)
    return families, tuple(files), metric is None


def dejavu() -> dict[str, str]:
    """DejaVu Sans (and Serif, Sans Mono) from matplotlib's package, else from the system."""
    names = {"sans": "DejaVuSans.ttf", "serif": "DejaVuSerif.ttf", "mono": "DejaVuSansMono.ttf"}
    spec = find_spec("matplotlib")  # finds the package without importing it
    folders = [Path(place, "mpl-data", "fonts", "ttf")
               for place in (spec.submodule_search_locations or [])] if spec else []
    found = {}
    for kind, name in names.items():
        path = next((folder / name for folder in folders if (folder / name).is_file()), None)
        path = path or _system_font((name,))
        if path is not None:
            found[kind] = str(path)
    return found


def _metric_font() -> tuple[str, str] | None:
    for family, names in METRIC_FONTS:
        path = _system_font(names)
        if path is not None:
            return family, str(path)
    return None


def _system_font(names: tuple[str, ...]) -> Path | None:
    """The first file called one of ``names`` in the system's font folders, or None."""
    index = _font_files()
    return next((index[name] for name in names if name in index), None)


@functools.lru_cache(maxsize=1)
def _font_files() -> dict[str, Path]:
    """File name -> path of every font file in the system's folders (the first of a name)."""
    index: dict[str, Path] = {}
    for folder in _font_folders():
        for root, _, files in os.walk(folder):
            for name in files:
                if name.lower().endswith((".ttf", ".ttc", ".otf")):
                    index.setdefault(name, Path(root, name))
    return index


def _font_folders() -> list[Path]:
    folders = [Path(os.path.expanduser(place)) for place in FONT_FOLDERS]
    if sys.platform == "darwin":
        folders.append(Path("/System/Library/Fonts/Supplemental"))
    return [folder for folder in folders if folder.is_dir()]

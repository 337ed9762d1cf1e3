"""The options every drawing takes, checked before anything is drawn.

``draw_graph`` and ``backward_steps`` take the same options; a bad one is a
ValueError (or a TypeError) naming it and what it takes, raised before a
picture is built or a frame replayed.
"""

from __future__ import annotations

import math
from typing import Any

from .clusters import parameter_names

_CHOICES = {"rankdir": ("LR", "TB"), "show": ("local", "chain"), "color": ("role", "grad")}
_RATIOS = ("fill", "compress", "expand", "auto")


def check_options(rankdir: str = "LR", show: str = "local", color: str = "role",
                  cluster: Any = None, max_nodes: int | None = 300,
                  size: float | tuple[float, float] | str | None = None,
                  ratio: float | str | None = None,
                  font_size: float | None = None) -> dict[str, Any]:
    """The drawing options as a dict, or a ValueError/TypeError naming the bad one.

        >>> check_options(rankdir="TB")["rankdir"]
        'TB'
        >>> check_options(size=(6, 4))["size"], check_options(size="6!")["size"]
        ('6,4', '6!')
    """
    options = {"rankdir": rankdir, "show": show, "color": color}
    for name, value in options.items():
        if value not in _CHOICES[name]:
            raise ValueError(f"{name} must be one of {_CHOICES[name]}, got {value!r}")
    if max_nodes is not None and not (isinstance(max_nodes, int) and max_nodes > 0):
        raise ValueError(f"max_nodes must be a positive int or None, got {max_nodes!r}")
    if ratio is not None and ratio not in _RATIOS and not _positive(ratio):
        raise ValueError(f"ratio must be one of {_RATIOS}, a positive number (height / width) "
                         f"or None, got {ratio!r}")
    if font_size is not None and not _positive(font_size):
        raise ValueError(f"font_size must be a positive number of points or None, "
                         f"got {font_size!r}")
    return {**options, "names": parameter_names(cluster), "max_nodes": max_nodes,
            "size": _size(size), "ratio": None if ratio is None else str(ratio),
            "font_size": font_size}


def _positive(number: Any) -> bool:
    return isinstance(number, (int, float)) and not isinstance(number, bool) and number > 0 \
        and math.isfinite(number)


def _size(size: Any) -> str | None:
    """Graphviz's ``size``: at most this many inches wide and high ("7,5"; "7,5!" to fill it)."""
    if size is None:
        return None
    if _positive(size):
        return f"{size:g}"
    if isinstance(size, (tuple, list)) and len(size) == 2 and all(map(_positive, size)):
        return f"{size[0]:g},{size[1]:g}"
    text = size.replace(" ", "") if isinstance(size, str) else ""
    parts = text.rstrip("!").split(",")
    if 1 <= len(parts) <= 2 and all(_positive(_number(part)) for part in parts):
        return text
    raise ValueError(f"size is the largest picture in inches: a number, (width, height) or "
                     f"Graphviz's text such as '7,5' ('7,5!' to scale up to it too), "
                     f"got {size!r}")


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None

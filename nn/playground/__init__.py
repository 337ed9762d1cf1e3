"""The playground: watch a network learn, live in Jupyter, down to one chain-rule edge.

    from nn.playground import Playground
    Playground()                     # in a notebook: the widget

``Playground`` is the widget (``widget.py``, anywidget, its browser code in
``widget.js`` beside it); ``Session`` is the same playground without a screen
(``session.py``), which the widget's buttons drive and tests and notebooks
can drive too. It is imported only when used: ``import nn`` does not load it,
nor NumPy or the widget libraries.
"""

from __future__ import annotations

from typing import Any

from .session import Session
from .settings import Settings

__all__ = ["Playground", "Session", "Settings"]


def __getattr__(name: str) -> Any:
    # The widget needs anywidget (the notebooks extra); Session and Settings do not.
    if name == "Playground":
        from .widget import Playground

        return Playground
    raise AttributeError(f"module 'nn.playground' has no attribute {name!r}")

"""``nn.fit(..., live=True)``: the training drawn as it goes.

In Jupyter, one picture redrawn in place after each epoch (at most every
``interval`` seconds, and once more at the end): the loss curves (training,
and validation when given) and, for 2-D inputs, the decision surface with the
training points. The surface is the model's output on a 40×40 grid, computed
by a forward pass compiled once (``autograd.compile``), so drawing costs a few
milliseconds, not a graph per grid point. In a terminal (or anywhere without
a notebook's display), a line of text now and then: the epoch, the numbers,
and the loss so far as a sparkline.

matplotlib and NumPy are imported here only, and only in Jupyter.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import Any

import autograd

SPARKS = "▁▂▃▄▅▆▇█"
GRID = 40


class LiveView:
    """fit's callback: ``view(epoch, record)`` after each epoch, ``view.finish()`` at the end.

    ``X``, ``y``: the training data (2-D inputs get a decision surface);
    ``epochs``: how many epochs fit was asked for; ``validation_data``: the
    validation samples, or None. ``interval``: seconds between redraws.
    """

    def __init__(self, model: Any, X: Sequence, y: Sequence, epochs: int,
                 validation_data: tuple | None = None, interval: float = 0.3) -> None:
        """Remember what to draw; nothing is shown before the first epoch ends."""
        self.model, self.X, self.y, self.epochs = model, list(X), list(y), epochs
        self.interval = interval
        self.history: dict[str, list[float]] = {}
        self.notebook = in_notebook()
        self.plane = self.notebook and all(len(x) == 2 for x in self.X[:1])
        self._handle: Any = None
        self._drawn, self._epoch = -math.inf, 0
        self._surface: Surface | None = None

    def __call__(self, epoch: int, record: dict[str, float]) -> None:
        """Record the epoch; redraw when ``interval`` has passed (text: every tenth of the run)."""
        self._epoch = epoch
        for key, value in record.items():
            self.history.setdefault(key, []).append(value)
        if self.notebook:
            if time.monotonic() - self._drawn >= self.interval:
                self._draw()
        elif epoch == 1 or epoch % max(1, self.epochs // 10) == 0:
            print(text_line(epoch, self.epochs, self.history), flush=True)

    def finish(self) -> None:
        """The last epoch's picture (or line), whatever the interval."""
        if not self._epoch:
            return
        if self.notebook:
            self._draw()
        elif self._epoch != 1 and self._epoch % max(1, self.epochs // 10) != 0:
            print(text_line(self._epoch, self.epochs, self.history), flush=True)

    def _draw(self) -> None:
        from IPython.display import Image, display

        picture = Image(data=self.png(), format="png")
        if self._handle is None:
            self._handle = display(picture, display_id=True)
        else:
            self._handle.update(picture)
        self._drawn = time.monotonic()

    def png(self) -> bytes:
        """The picture now, as PNG bytes: loss curves, and the decision surface for 2-D inputs."""
        import io

        from matplotlib.figure import Figure

        figure = Figure(figsize=(9.0 if self.plane else 5.0, 3.4), dpi=90)
        axes = figure.subplots(1, 2 if self.plane else 1, squeeze=False)[0]
        _loss_axes(axes[0], self.history, self._epoch, self.epochs)
        if self.plane:
            self._surface_axes(axes[1])
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()

    def _surface_axes(self, axes: Any) -> None:
        import numpy as np

        if self._surface is None:
            self._surface = Surface(self.model, self.X)
        surface = self._surface
        extent = surface.extent
        from matplotlib.colors import TwoSlopeNorm

        values = surface.values()
        middle = self.model.threshold if self.model.threshold is not None else float(values.mean())
        low, high = float(values.min()), float(values.max())
        norm = TwoSlopeNorm(middle, min(low, middle - 1e-9), max(high, middle + 1e-9))
        axes.imshow(values, origin="lower", extent=extent, cmap="RdBu", norm=norm,
                    aspect="auto", alpha=0.75, interpolation="bilinear")
        points, labels = np.asarray(self.X, dtype=float), np.asarray(self.y)
        if labels.ndim == 1:
            axes.scatter(points[:, 0], points[:, 1], c=labels, cmap="RdBu", s=12,
                         edgecolors="black", linewidths=0.4)
        axes.set_title("the model's output over the inputs")
        axes.set_xlim(extent[0], extent[1])
        axes.set_ylim(extent[2], extent[3])


class Surface:
    """The model's first output on a grid around ``X``, by a forward pass compiled once."""

    def __init__(self, model: Any, X: Sequence, size: int = GRID) -> None:
        """Trace ``model``'s forward pass; the grid spans X with a margin of a tenth."""
        xs, ys = [x[0] for x in X], [x[1] for x in X]
        pad_x, pad_y = 0.1 * (max(xs) - min(xs) or 1.0), 0.1 * (max(ys) - min(ys) or 1.0)
        self.extent = (min(xs) - pad_x, max(xs) + pad_x, min(ys) - pad_y, max(ys) + pad_y)
        left, right, bottom, top = self.extent
        self.size = size
        self.points = [[left + (right - left) * i / (size - 1), bottom + (top - bottom) * j /
                        (size - 1)] for j in range(size) for i in range(size)]
        self.forward = autograd.compile(lambda x: model(x), argnums=())

    def values(self) -> Any:
        """A size × size array: row j, column i is the output at grid point (i, j).

        With several outputs, the winning class's index (argmax).
        """
        import numpy as np

        outputs = [self.forward(point)[0] for point in self.points]
        if isinstance(outputs[0], list):
            outputs = [row.index(max(row)) for row in outputs]
        return np.asarray(outputs, dtype=float).reshape(self.size, self.size)


def _loss_axes(axes: Any, history: dict[str, list[float]], epoch: int, epochs: int) -> None:
    for key, style in (("loss", "-"), ("val_loss", "--")):
        if key in history:
            values = history[key]
            marker = "." if len(values) < 2 else ""
            axes.plot(range(1, len(values) + 1), values, style, marker=marker,
                      label="training loss" if key == "loss" else "validation loss")
    axes.set_xlabel("epoch")
    axes.set_xlim(0, max(epochs, 1))
    axes.set_title(f"epoch {epoch} of {epochs}: loss {history['loss'][-1]:.4g}")
    if min(min(v) for k, v in history.items() if k.endswith("loss")) > 0:
        axes.set_yscale("log")
    axes.legend(loc="upper right")


def text_line(epoch: int, epochs: int, history: dict[str, list[float]]) -> str:
    """``epoch 10/100  loss 0.3412 ▇▅▃▂▁  accuracy 0.950``: the terminal's view of the run."""
    numbers = "  ".join(f"{key} {values[-1]:.4g}" for key, values in history.items())
    return f"epoch {epoch}/{epochs}  {numbers}  {sparkline(history['loss'])}"


def sparkline(values: Sequence[float], width: int = 20) -> str:
    """``values`` as a line of block characters, the lowest ▁ and the highest █ (last ``width``).

        >>> sparkline([4.0, 2.0, 1.0, 0.5])
        '█▄▂▁'
    """
    values = [v for v in values[-width:] if math.isfinite(v)]
    if not values:
        return ""
    low, high = min(values), max(values)
    span = high - low or 1.0
    return "".join(SPARKS[round((v - low) / span * (len(SPARKS) - 1))] for v in values)


def in_notebook() -> bool:
    """Whether this runs in a Jupyter kernel (IPython's ZMQ shell), where pictures display."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"

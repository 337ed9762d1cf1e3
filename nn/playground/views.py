"""What the playground's views show, computed from a ``Session``: one ``frame`` per update.

* every hidden and output neuron's activation over the input plane: a
  ``GRID × GRID`` heatmap, each layer's ``σ(W x + b)`` for the whole grid at
  once (``grid_activations``), one byte per grid point on a diverging scale
  (``PALETTE``: orange below the neuron's centre value, white at it, blue above);
* the decision surface: the colour of the predicted class, paler where the
  model is less sure (binary: σ(logit); K classes: the softmax's largest
  probability), or of the predicted number for regression;
* the network (``nn.draw``'s Scene), with each weight's gradient and the step
  the optimizer is about to take (``Session.preview``);
* the points, the loss curves, the epoch.

NumPy is used here, and only here in the playground's Python side.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from nn import draw

GRID = 40
WHITE = (255, 255, 255)
CLASS_COLOURS = [draw.NEGATIVE, draw.POSITIVE, "#16a34a", "#9333ea", "#db2777", "#0891b2",
                 "#ca8a04", "#4b5563"]


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def palette() -> list[list[int]]:
    """256 colours from ``draw.NEGATIVE`` (0) through white (127.5) to ``draw.POSITIVE`` (255)."""
    low, high = _rgb(draw.NEGATIVE), _rgb(draw.POSITIVE)
    colours = []
    for k in range(256):
        t = (k - 127.5) / 127.5
        end = high if t > 0 else low
        colours.append([round(w + (e - w) * abs(t)) for w, e in zip(WHITE, end)])
    return colours


PALETTE = np.array(palette(), dtype=np.uint8)


class Grid:
    """The input plane the pictures cover: ``GRID × GRID`` points spanning the data, padded."""

    def __init__(self, session: Any, size: int = GRID) -> None:
        """Span the drawn features of all the data (train and test) with a margin of 15%."""
        f0, f1 = session.features
        points = session.X_train + session.X_test
        xs, ys = [x[f0] for x in points], [x[f1] for x in points]
        pad_x = 0.15 * (max(xs) - min(xs) or 1.0)
        pad_y = 0.15 * (max(ys) - min(ys) or 1.0)
        self.extent = [min(xs) - pad_x, max(xs) + pad_x, min(ys) - pad_y, max(ys) + pad_y]
        self.size = size
        left, right, bottom, top = self.extent
        # row 0 is the top of the picture (largest y), as a canvas draws it
        self.points = [session.full_input(left + (right - left) * i / (size - 1),
                                          top - (top - bottom) * j / (size - 1))
                       for j in range(size) for i in range(size)]
        self.array = np.array(self.points, dtype=float)


ACTIVATIONS: dict[str, Any] = {  # σ on a whole array: the same formulas as the engine's ops
    "linear": lambda s: s,
    "relu": lambda s: np.maximum(s, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda s: 1.0 / (1.0 + np.exp(-s)),
    "softplus": lambda s: np.logaddexp(0.0, s),
}


def grid_activations(session: Any, grid: Grid) -> np.ndarray:
    """``(GRID², neurons)``: every neuron's activation at every grid point, hidden then outputs.

    The fast path: each layer's ``σ(W x + b)`` for all 1,600 points at once, as
    a matrix product (notebook 08's tensors), from the parameters' numbers as
    they are now. The tests check it against the model's own forward pass
    (the engine's Values) to 1e-12; only the order of the sums differs.
    """
    h, columns = grid.array, []
    with np.errstate(over="ignore", invalid="ignore"):
        for layer in session.model.layers:
            W = np.array([[w.data for w in neuron.w] for neuron in layer.neurons])
            b = np.array([neuron.b.data for neuron in layer.neurons])
            h = ACTIVATIONS[layer.activation](h @ W.T + b)
            columns.append(h)
    return np.hstack(columns)


def neuron_scales(session: Any, values: np.ndarray) -> list[tuple[float, float]]:
    """``(centre, half range)`` of each neuron's heatmap: fixed for tanh and σ, else its span."""
    names = [name for name, width in zip(session.settings.activations, session.settings.hidden)
             for _ in range(width)]
    names += ["linear"] * (values.shape[1] - len(names))
    scales = []
    for k, name in enumerate(names):
        if name == "tanh":
            scales.append((0.0, 1.0))
        elif name == "sigmoid":
            scales.append((0.5, 0.5))
        else:
            span = float(np.nanmax(np.abs(values[:, k]))) if values.size else 0.0
            scales.append((0.0, span if span > 0 and math.isfinite(span) else 1.0))
    return scales


def heatmap_bytes(values: np.ndarray, scales: list[tuple[float, float]]) -> bytes:
    """Each neuron's grid as bytes (neuron after neuron, row after row): 0 … 255 by its scale."""
    centres = np.array([c for c, _ in scales])
    halves = np.array([h for _, h in scales])
    scaled = 127.5 + 127.5 * (values - centres) / halves
    scaled = np.nan_to_num(scaled, nan=127.5, posinf=255.0, neginf=0.0)
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8).T.tobytes()


def surface_rgb(session: Any, outputs: np.ndarray) -> np.ndarray:
    """``(GRID², 3)`` colours of the decision surface from the output neurons' values."""
    task = session.settings.task
    if task == "classes":
        shifted = np.exp(outputs - outputs.max(axis=1, keepdims=True))
        probabilities = shifted / shifted.sum(axis=1, keepdims=True)
        k = outputs.shape[1]
        colours = np.array([_rgb(c) for c in CLASS_COLOURS[:k]], dtype=float)
        sure = (probabilities.max(axis=1) - 1 / k) / (1 - 1 / k)
        chosen = colours[probabilities.argmax(axis=1)]
        return _paler(chosen, sure)
    z = outputs[:, 0]
    if task == "binary":
        index = 255 / (1 + np.exp(-np.clip(z, -50, 50)))           # σ(z): P(class 1)
    else:
        span = max(1e-12, float(np.max(np.abs(session.y_train))))
        index = 127.5 + 127.5 * np.clip(z / span, -1, 1)
    index = np.nan_to_num(index, nan=127.5)
    return _paler(PALETTE[np.rint(index).astype(int)].astype(float), np.ones(len(z)))


def _paler(colours: np.ndarray, strength: np.ndarray) -> np.ndarray:
    """Colours mixed with white: all colour where ``strength`` is 1, at most 75% of it."""
    mix = 0.75 * np.clip(strength, 0, 1)[:, None]
    return np.rint(255 + (colours - 255) * mix).astype(np.uint8)


def point_list(session: Any) -> list[list[Any]]:
    """``[a, b, label, is_test]`` for every point, ``a``, ``b`` its two drawn features."""
    f0, f1 = session.features
    rows = [[x[f0], x[f1], label, 0] for x, label in zip(session.X_train, session.y_train)]
    rows += [[x[f0], x[f1], label, 1] for x, label in zip(session.X_test, session.y_test)]
    return rows


def scene_json(session: Any, preview: list[tuple[float, float]]) -> dict[str, Any]:
    """The network's Scene as JSON, each weight and bias with its gradient and next step."""
    scene = draw.scene_of(session.model).to_json()
    numbers = dict(zip((name for name, _ in session.model.named_parameters()), preview))
    for item in scene["edges"] + scene["nodes"]:
        grad, step = numbers.get(item["name"], (None, None))
        item["grad"], item["step"] = _finite(grad), _finite(step)
    return scene


def _finite(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) else None


def frame(session: Any, grid: Grid) -> dict[str, Any]:
    """Everything one update of the views sends: heatmaps, surface, network, curves, numbers."""
    values = grid_activations(session, grid)
    scales = neuron_scales(session, values)
    nout = session.model.layers[-1].nout
    return {
        "heatmaps": heatmap_bytes(values, scales),
        "surface": surface_rgb(session, values[:, -nout:]).tobytes(),
        "scales": scales,
        "scene": scene_json(session, session.preview()),
        # JSON has no inf: a diverging run's last losses go to the browser as null ("–")
        "history": {key: [_finite(v) for v in values] for key, values in session.history.items()},
        "epochs": session.epochs,
        "steps": session.steps,
        "status": session.status,
    }

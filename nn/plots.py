"""Plots a lecture or a notebook needs again and again (matplotlib, from the ``plots`` extra).

    >>> import nn.plots                            # imports matplotlib only when a plot is drawn
    >>> nn.plots.descent(lambda w: w * w, 1.0, lr=0.125, steps=3)   # w ← w − η·2w = 0.75·w
    [1.0, 0.75, 0.5625, 0.421875]

- ``decision_boundary(model, X, y)``: the classes a model predicts over the plane, its
  boundary, and the data on top;
- ``history_curves(history)``: loss and accuracy per epoch from ``nn.fit``'s history
  (validation curves too when there are some);
- ``activation_and_derivative(activation)``: a function beside its derivative, the
  derivative computed by the engine (``backward()`` at each point), not by a formula;
- ``descent_path(f, start, lr, steps)``: gradient descent's iterates on a 1-D curve or on
  the contour lines of a 2-D function, gradients again from the engine.

Each draws into ``ax`` (or ``axes``) when given, else into a new figure sized for a 16:9
slide, and returns what it drew into. ``import nn`` does not import this module, so
matplotlib stays optional (``pip install -e '.[plots]'``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from autograd import Value, no_grad, value_and_grad

from .activations import ACTIVATIONS

SLIDE = (12.8, 7.2)       # inches: 1280 × 720 px at 100 dpi, a 16:9 slide
HALF_SLIDE = (12.8, 4.8)  # two panels side by side, with room for a title on the slide
CLASS_COLOURS = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
                 "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]


def pyplot() -> Any:
    """matplotlib.pyplot, or an ImportError saying which extra installs it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError("nn.plots draws with matplotlib: pip install -e '.[plots]'") from error
    return plt


def _axes(ax: Any, size: tuple[float, float] = SLIDE) -> Any:
    if ax is not None:
        return ax
    _figure, ax = pyplot().subplots(figsize=size, layout="constrained")
    return ax


def predicted_classes(model: Callable, points: Sequence[Sequence[float]],
                      threshold: float | None = None) -> list[int]:
    """The class ``model`` predicts for each point, as ``nn.accuracy`` reads its outputs.

    One output: class 1 when it exceeds ``threshold`` (by default ``model.threshold``
    as set by ``fit``, else 0). Several outputs: the index of the largest (argmax).
    """
    return _classes(_outputs(model, points), _threshold(model, threshold))


def _outputs(model: Callable, points: Sequence[Sequence[float]]) -> list[Any]:
    """Each point's output as a float, or a list of floats for several outputs (no graph)."""
    with no_grad():
        found = [model(list(point)) for point in points]
    return [[o.data for o in out] if isinstance(out, (list, tuple)) else out.data
            for out in found]


def _threshold(model: Callable, threshold: float | None) -> float:
    if threshold is None:
        threshold = getattr(model, "threshold", None)
    return 0.0 if threshold is None else threshold


def _classes(outputs: list[Any], threshold: float) -> list[int]:
    return [max(range(len(out)), key=out.__getitem__) if isinstance(out, list)
            else int(out > threshold) for out in outputs]


def decision_boundary(model: Callable, X: Sequence[Sequence[float]], y: Sequence[Any],
                      ax: Any = None, resolution: int = 120, padding: float = 0.5,
                      threshold: float | None = None, title: str | None = None,
                      probability: bool = False) -> Any:
    """Shade the plane by the class ``model`` predicts, and draw the samples ``X`` by label ``y``.

    The grid spans the data plus ``padding`` on each side, ``resolution`` points a
    side (each a forward pass under ``no_grad()``). Labels −1/+1 are drawn as 0/1.
    ``probability=True`` (a model with one output, a logit z) shades by P(class 1) = σ(z)
    instead, so that a boundary growing sharper shows.
    """
    import numpy as np
    from matplotlib.colors import ListedColormap

    ax = _axes(ax)
    points = np.asarray(X, dtype=float)
    labels = [int(label > 0) if len(set(y)) <= 2 and min(y) < 0 else int(label) for label in y]
    low, high = points.min(axis=0) - padding, points.max(axis=0) + padding
    xs, ys = np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution)
    grid = [(a, b) for b in ys for a in xs]
    outputs = _outputs(model, grid)                  # one forward pass per grid point
    level = _threshold(model, threshold)
    classes = np.array(_classes(outputs, level)).reshape(resolution, resolution)
    count = max(max(labels), int(classes.max())) + 1
    colours = CLASS_COLOURS[:count]
    scores = None if isinstance(outputs[0], list) else np.array(outputs)
    if probability and scores is not None:
        chance = 1 / (1 + np.exp(-np.clip(scores, -50, 50)))
        ax.contourf(xs, ys, chance.reshape(resolution, resolution), levels=np.linspace(0, 1, 11),
                    cmap="RdBu", alpha=0.35, vmin=0, vmax=1)
    else:
        ax.contourf(xs, ys, classes, levels=np.arange(count + 1) - 0.5,
                    cmap=ListedColormap(colours), alpha=0.25)
    if scores is not None:  # one output: the boundary is where the score crosses the threshold
        ax.contour(xs, ys, scores.reshape(resolution, resolution), levels=[level],
                   colors="black", linewidths=1)
    else:
        ax.contour(xs, ys, classes, levels=np.arange(count) + 0.5, colors="black",
                   linewidths=1)
    for label in sorted(set(labels)):
        chosen = points[np.array(labels) == label]
        ax.scatter(chosen[:, 0], chosen[:, 1], color=colours[label], edgecolors="white",
                   s=30, label=f"class {label}")
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.legend(loc="best")
    if title:
        ax.set_title(title)
    return ax


def history_curves(history: Mapping[str, Sequence[float]], axes: Any = None,
                   title: str | None = None) -> Any:
    """Loss (left) and accuracy (right) per epoch, from the dict ``nn.fit`` returns.

    "val_loss" and "val_accuracy" are drawn beside them when present; with no
    accuracy in the history, only the loss panel is drawn.
    """
    has_accuracy = "accuracy" in history
    if axes is None:
        _figure, axes = pyplot().subplots(1, 2 if has_accuracy else 1, figsize=HALF_SLIDE,
                                          layout="constrained", squeeze=False)
        axes = list(axes[0])
    panels = [("loss", "loss")] + ([("accuracy", "accuracy")] if has_accuracy else [])
    for ax, (key, name) in zip(axes, panels):
        epochs = range(1, len(history[key]) + 1)
        ax.plot(epochs, history[key], label=f"training {name}")
        if f"val_{key}" in history:
            ax.plot(epochs, history[f"val_{key}"], label=f"validation {name}")
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.legend(loc="best")
    if title:
        axes[0].figure.suptitle(title)
    return axes


def derivative_by_the_engine(activation: Callable[[Value], Value], x: float) -> float:
    """d activation/dx at ``x``: one forward pass on a Value, one ``backward()``."""
    point = Value(float(x))
    activation(point).backward()
    return float(point.grad)


def activation_and_derivative(activation: str | Callable[[Value], Value], axes: Any = None,
                              low: float = -4.0, high: float = 4.0, points: int = 401,
                              name: str | None = None) -> Any:
    """The activation σ(x) (left) beside σ′(x) (right), σ′ computed by the engine at each x.

    ``activation``: a name of ``nn.ACTIVATIONS`` ("tanh", "relu", "sigmoid") or a
    function of one Value.
    """
    if isinstance(activation, str):
        name = name or activation
        activation = ACTIVATIONS[activation]
    name = name or getattr(activation, "__name__", "σ")
    if axes is None:
        _figure, axes = pyplot().subplots(1, 2, figsize=HALF_SLIDE, layout="constrained")
    xs = [low + (high - low) * i / (points - 1) for i in range(points)]
    with no_grad():
        ys = [activation(Value(x)).data for x in xs]
    slopes = [derivative_by_the_engine(activation, x) for x in xs]
    for ax, values, label in ((axes[0], ys, f"{name}(x)"), (axes[1], slopes, f"{name}′(x)")):
        ax.plot(xs, values, color="#1f77b4")
        ax.axhline(0, color="grey", linewidth=0.5)
        ax.axvline(0, color="grey", linewidth=0.5)
        ax.set_title(label)
        ax.set_xlabel("x")
    axes[1].set_title(f"{name}′(x), by backward()")
    return axes


def descent(f: Callable[..., Value], start: float | Sequence[float], lr: float,
            steps: int) -> list[Any]:
    """Gradient descent's iterates w₀, w₁, …, w_steps with w_{t+1} = w_t − lr·∇f(w_t).

    ``f`` takes one Value per coordinate; ``start`` is a number (1-D) or a
    sequence of numbers. Each iterate is a float, or a tuple of floats.
    """
    one_d = not isinstance(start, (list, tuple))
    point = [float(x) for x in start] if isinstance(start, (list, tuple)) \
        else [float(start)]  # type: ignore[arg-type]  # a number, the 1-D case
    step = value_and_grad(f, argnums=tuple(range(len(point))))
    path = [point]
    for _ in range(steps):
        _value, gradient = step(*point)
        gradient = gradient if isinstance(gradient, (list, tuple)) else [gradient]
        point = [x - lr * g for x, g in zip(point, gradient)]
        path.append(point)
    return [p[0] for p in path] if one_d else [tuple(p) for p in path]


def descent_path(f: Callable[..., Value], start: float | Sequence[float], lr: float,
                 steps: int, ax: Any = None, span: tuple[float, float] | None = None,
                 title: str | None = None) -> Any:
    """Gradient descent from ``start`` drawn on ``f``: a curve (1-D) or contour lines (2-D).

    The iterates are ``descent(f, start, lr, steps)``, numbered from w₀, joined
    by arrows. ``span``: the range of each axis (by default the iterates', padded).
    """
    import numpy as np

    ax = _axes(ax)
    path = descent(f, start, lr, steps)
    with no_grad():
        if not isinstance(start, (list, tuple)):
            low, high = span or _padded([min(path), max(path)])
            xs = np.linspace(low, high, 400)
            ax.plot(xs, [f(Value(x)).data for x in xs], color="#1f77b4")
            heights = [f(Value(w)).data for w in path]
            ax.plot(path, heights, "o-", color="#d62728", markersize=5,
                    label=f"η = {lr:g}, {steps} steps")
            ax.set_xlabel("w")
            ax.set_ylabel("f(w)")
        else:
            xs_path, ys_path = zip(*path)
            low, high = span or _padded([*xs_path, *ys_path])
            grid = np.linspace(low, high, 160)
            surface = np.array([[f(Value(a), Value(b)).data for a in grid] for b in grid])
            ax.contour(grid, grid, surface, levels=20, cmap="viridis", linewidths=0.8)
            ax.plot(xs_path, ys_path, "o-", color="#d62728", markersize=4,
                    label=f"η = {lr:g}, {steps} steps")
            ax.set_xlabel("w₁")
            ax.set_ylabel("w₂")
            ax.set_aspect("equal")
    ax.legend(loc="best")
    if title:
        ax.set_title(title)
    return ax


def _padded(numbers: Sequence[float]) -> tuple[float, float]:
    low, high = min(numbers), max(numbers)
    pad = 0.15 * (high - low) or 1.0
    return low - pad, high + pad

"""The lecture figures, sized for a 16:9 slide: ``make figures`` (``python -m nn.figures``).

    python -m nn.figures --out out/figures      # every figure
    python -m nn.figures activations --out DIR  # only those whose name contains "activations"

Plots are drawn with matplotlib (``nn.plots``) at 12.8 × 7.2 inches and written as SVG,
PNG (1280 × 720 at 100 dpi, or 2560 × 1440 with ``--dpi 200``) and PDF. Computation
graphs are drawn by ``autograd.draw_graph`` and written as SVG only, placed in a 16:9
frame (a drawing keeps its own shape; the frame centres it): PNG and PDF of a drawing
need a renderer the library does not have yet.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import autograd
from autograd import Value

FRAME = (1280, 720)  # the slide, in SVG user units (px)
FORMATS = ("svg", "png", "pdf")


def activations(out: Path, dpi: int) -> list[Path]:
    """tanh, ReLU and the sigmoid (top) above their derivatives by the engine (bottom)."""
    from . import plots

    plt = plots.pyplot()
    figure, axes = plt.subplots(2, 3, figsize=plots.SLIDE, layout="constrained")
    for column, name in enumerate(("tanh", "relu", "sigmoid")):
        plots.activation_and_derivative(name, axes=[axes[0][column], axes[1][column]])
    figure.suptitle("Activations (top) and their derivatives computed by backward() (bottom)")
    return save_plot(figure, out / "activations", dpi)


def gradient_descent_1d(out: Path, dpi: int) -> list[Path]:
    """η = 0.125 on f(w) = (w² − 1)² + w/2 from two starts: each finds the minimum on its side."""
    from . import plots

    plt = plots.pyplot()

    def f(w: Value) -> Value:
        return (w * w - 1) ** 2 + 0.5 * w

    figure, axes = plt.subplots(1, 2, figsize=plots.SLIDE, layout="constrained", sharey=True)
    for ax, start, found in zip(axes, (-1.6, 1.4), ("the global minimum", "a local minimum")):
        end = plots.descent(f, start, lr=0.125, steps=12)[-1]
        plots.descent_path(f, start, lr=0.125, steps=12, ax=ax, span=(-1.9, 1.9),
                           title=f"from w₀ = {start}: w₁₂ = {end:.3f}, {found}")
    figure.suptitle("Gradient descent w ← w − η f′(w), η = 0.125, on f(w) = (w² − 1)² + w/2")
    return save_plot(figure, out / "gradient_descent_eta_0.125", dpi)


def logistic_regression(out: Path, dpi: int) -> list[Path]:
    """Logistic regression on 100 points, η = 0.1: the boundary after 1, 10, 100, 1,000 steps."""
    from . import data, plots

    plt = plots.pyplot()
    # Two overlapping clouds: the first step finds the direction, the next ones sharpen the
    # boundary (|w| grows), which the shading by σ(w·x + b) shows.
    X, y = data.make_blobs(100, centers=[[-0.5, -0.3], [0.9, 0.9]], std=0.8, seed=1)
    labels = [1.0 if label == 1 else -1.0 for label in y]
    snapshots = logistic_steps(X, labels, lr=0.1, keep=(1, 10, 100, 1000))
    figure, axes = plt.subplots(2, 2, figsize=plots.SLIDE, layout="constrained")
    for ax, (steps, (w, b, loss)) in zip(axes.flat, snapshots.items()):
        plots.decision_boundary(_linear(w, b), X, y, ax=ax, resolution=80, probability=True,
                                title=f"after {steps:,} step{'s' if steps > 1 else ''}: "
                                      f"L = {loss:.1f}")
    figure.suptitle("Logistic regression on 100 points, L = −Σ log σ(yₙ(w·xₙ + b)), η = 0.1: "
                    "shading P(y = 1 | x) = σ(w·x + b), boundary σ = ½")
    return save_plot(figure, out / "logistic_regression_steps", dpi)


def logistic_steps(X: Sequence[Sequence[float]], y: Sequence[float], lr: float,
                   keep: Sequence[int]) -> dict[int, tuple[list[float], float, float]]:
    """Gradient descent on L = −Σ log σ(yₙ(w·xₙ + b)) from 0: (w, b, L) after each step in keep.

    The gradient is the engine's, compiled once (``autograd.compile``), so that
    1,000 steps on 100 points take a second.
    """
    def loss(w: list[Value], b: Value) -> Value:
        return autograd.sum([-(yn * (autograd.dot(w, xn) + b)).sigmoid().log()
                             for xn, yn in zip(X, y)])

    step = autograd.compile(loss, argnums=(0, 1))
    w, b, kept = [0.0] * len(X[0]), 0.0, {}
    for t in range(1, max(keep) + 1):
        _value, (grad_w, grad_b) = step(w, b)
        w, b = [wi - lr * gi for wi, gi in zip(w, grad_w)], b - lr * grad_b
        if t in keep:
            kept[t] = (w, b, step(w, b)[0])
    return kept


def _linear(w: Sequence[float], b: float) -> Callable[[Sequence[float]], Value]:
    def score(x: Sequence[float]) -> Value:
        return Value(sum(wi * xi for wi, xi in zip(w, x)) + b)
    return score


def forward_backward_blocks(out: Path, dpi: int) -> list[Path]:
    """One layer as blocks: x(l−1) → W, b → s(l) → σ → x(l), forward above, backward below."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from . import plots

    plt = plots.pyplot()
    figure, ax = plt.subplots(figsize=plots.SLIDE, layout="constrained")
    ax.set_xlim(0, 16)
    ax.set_ylim(0, 9)
    ax.axis("off")
    values = [(1.0, "x⁽ˡ⁻¹⁾"), (6.0, "s⁽ˡ⁾"), (11.0, "x⁽ˡ⁾"), (15.0, "l")]
    blocks = [(3.5, "W⁽ˡ⁾, b⁽ˡ⁾", "s = W x + b"), (8.5, "σ", "x = σ(s)")]
    for x, text in values:
        ax.text(x, 6.0, text, ha="center", va="center", fontsize=24)
    for x, name, formula in blocks:
        ax.add_patch(FancyBboxPatch((x - 1.1, 5.2), 2.2, 1.6, boxstyle="round,pad=0.1",
                                    facecolor="#fff2cc", edgecolor="#7f6000"))
        ax.text(x, 6.0, name, ha="center", va="center", fontsize=22)
        ax.text(x, 7.4, formula, ha="center", va="center", fontsize=16, color="#444444")
    for start, end in ((1.6, 2.3), (4.7, 5.4), (6.6, 7.3), (9.7, 10.4), (11.6, 14.4)):
        ax.add_patch(FancyArrowPatch((start, 6.0), (end, 6.0), arrowstyle="-|>",
                                     mutation_scale=20, color="#1f77b4", linewidth=2))
    ax.text(8.0, 8.5, "forward pass: keep every s⁽ˡ⁾ and x⁽ˡ⁾", ha="center", fontsize=18,
            color="#1f77b4")
    backward = [(14.4, 11.6, "∂l/∂x⁽ˡ⁾"), (10.4, 6.6, "∂l/∂s⁽ˡ⁾ = ∂l/∂x⁽ˡ⁾ ⊙ σ′(s⁽ˡ⁾)"),
                (5.4, 1.6, "∂l/∂x⁽ˡ⁻¹⁾ = W⁽ˡ⁾ᵀ ∂l/∂s⁽ˡ⁾")]
    for start, end, text in backward:
        ax.add_patch(FancyArrowPatch((start, 4.2), (end, 4.2), arrowstyle="-|>",
                                     mutation_scale=20, color="#d62728", linewidth=2))
        ax.text((start + end) / 2, 3.5, text, ha="center", fontsize=15, color="#d62728")
    ax.text(3.5, 2.0, "∂l/∂W⁽ˡ⁾ = ∂l/∂s⁽ˡ⁾ x⁽ˡ⁻¹⁾ᵀ      ∂l/∂b⁽ˡ⁾ = ∂l/∂s⁽ˡ⁾", ha="left",
            fontsize=16, color="#d62728")
    ax.text(8.0, 0.8, "backward pass: the chain rule, block by block, right to left",
            ha="center", fontsize=18, color="#d62728")
    return save_plot(figure, out / "forward_backward_blocks", dpi)


def chain_rule_two_paths(out: Path, dpi: int) -> list[Path]:
    """x reaches f along two paths, u = x·y and v = tanh(x): df/dx is the sum over both."""
    x, y = Value(0.5, "x"), Value(-1.5, "y")
    u = x * y
    u.label = "u"
    v = x.tanh()
    v.label = "v"
    f = u * v
    f.label = "f"
    f.backward()
    return save_drawing(autograd.draw_graph(f, show="chain"), out / "chain_rule_two_paths")


def network_1_1_1_graph(out: Path, dpi: int) -> list[Path]:
    """The course's 1-1-1 ReLU network and its squared loss, the chain rule on every edge."""
    leaves = {name: Value(value, name) for name, value in
              (("x", 1.5), ("w1", 0.8), ("b1", -0.2), ("w2", 1.5), ("b2", 0.3), ("y", 2.0))}
    s = leaves["w1"] * leaves["x"] + leaves["b1"]
    s.label = "s"
    h = s.relu()
    h.label = "h"
    f = leaves["w2"] * h + leaves["b2"]
    f.label = "f"
    loss = (leaves["y"] - f) ** 2
    loss.label = "l"
    loss.backward()
    return save_drawing(autograd.draw_graph(loss, show="chain"), out / "network_1_1_1_graph")


def backward_frames(out: Path, dpi: int) -> list[Path]:
    """The backward pass of the neuron tanh(x·w + b), one frame per node, as SVG files."""
    x, w, b = Value(2.0, "x"), Value(-3.0, "w"), Value(6.5, "b")
    s = x * w + b
    s.label = "s"
    o = s.tanh()
    o.label = "o"
    written = []
    for index, step in enumerate(autograd.backward_steps(o), 1):
        written += save_drawing(step, out / f"backward_frame_{index:02d}")
    return written


FIGURES: dict[str, Callable[[Path, int], list[Path]]] = {
    "activations": activations,
    "gradient_descent_eta_0.125": gradient_descent_1d,
    "logistic_regression_steps": logistic_regression,
    "chain_rule_two_paths": chain_rule_two_paths,
    "network_1_1_1_graph": network_1_1_1_graph,
    "forward_backward_blocks": forward_backward_blocks,
    "backward_frames": backward_frames,
}


def save_plot(figure: Any, stem: Path, dpi: int) -> list[Path]:
    """Write a matplotlib figure as stem.svg, stem.png and stem.pdf; close it."""
    import matplotlib
    import matplotlib.pyplot as plt

    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix in FORMATS:
        path = stem.with_name(f"{stem.name}.{suffix}")
        partial = path.with_name(f".{path.name}.part")  # a figure is whole, or not there
        with matplotlib.rc_context({"svg.hashsalt": "gradschool"}):  # ids from the content
            figure.savefig(partial, format=suffix, dpi=dpi, metadata=_metadata(suffix))
        partial.replace(path)
        written.append(path)
    plt.close(figure)
    return written


def _metadata(suffix: str) -> dict[str, Any]:
    # No date in the files: the same figure is the same bytes, run after run.
    return {"svg": {"Date": None}, "pdf": {"CreationDate": None}, "png": {}}[suffix]


def save_drawing(drawing: Any, stem: Path) -> list[Path]:
    """Write ``drawing`` as stem.svg, centred in a 16:9 frame of 1280 × 720 (its shape kept)."""
    svg = in_frame(drawing.svg())
    path = stem.with_name(f"{stem.name}.svg")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.part")
    partial.write_text(svg, encoding="utf-8")
    partial.replace(path)
    return [path]


def in_frame(svg: str, frame: tuple[int, int] = FRAME, margin: int = 24) -> str:
    """The SVG document ``svg`` scaled into a white frame of ``frame`` px, centred, shape kept."""
    start = svg.index("<svg")
    inner = re.sub(r'\s(width|height)="[^"]*"', "", svg[start:], count=2)
    width, height = frame
    inner = inner.replace("<svg", f'<svg x="{margin}" y="{margin}" width="{width - 2 * margin}" '
                          f'height="{height - 2 * margin}" preserveAspectRatio="xMidYMid meet"', 1)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">\n'
            f'<rect width="{width}" height="{height}" fill="white"/>\n{inner}</svg>\n')


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only figures whose name contains these")
    parser.add_argument("--out", type=Path, default=Path("out/figures"))
    parser.add_argument("--dpi", type=int, default=100, help="PNG pixels per inch (100: 1280 wide)")
    args = parser.parse_args(argv)
    import matplotlib

    matplotlib.use("Agg")  # files only, no window
    chosen = [name for name in FIGURES if not args.names or any(n in name for n in args.names)]
    if not chosen:
        print(f"no figure matches {args.names}; the figures: {', '.join(FIGURES)}",
              file=sys.stderr)
        return 1
    for name in chosen:
        for path in FIGURES[name](args.out, args.dpi):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

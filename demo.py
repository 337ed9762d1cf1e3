"""The main job: train micrograd's network on two moons and watch it learn.

Run it with ``make demo``. An MLP with two hidden layers of 16 ReLU units
(``MLP(2, [16, 16, 1])``, 337 parameters) learns to separate 100 points of
two interleaving half moons with the hinge loss and gradient descent, to
100% training accuracy. Writes into ``out/``:

* ``decision_boundary.png``: the data and the regions the model assigns to each class;
* ``model.json``: the trained model (``nn.load("out/model.json")`` gives it back).
"""

import sys
import time
from pathlib import Path

import nn
from autograd import no_grad

OUT = Path(__file__).resolve().parent / "out"
EPOCHS = 100


def main():
    X, y = nn.data.make_moons(100, noise=0.1, seed=0)
    model = nn.MLP(2, [16, 16, 1], seed=1337)  # micrograd's network, after random.seed(1337)
    print(model, end="\n\n")

    optimizer = nn.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    start = time.perf_counter()
    history = nn.fit(model, X, y, loss=nn.hinge_loss, optimizer=optimizer, epochs=EPOCHS)
    seconds = time.perf_counter() - start

    final_loss = nn.hinge_loss([model(x) for x in X], y).data
    accuracy = nn.accuracy(model, X, y)
    reached = next((i + 1 for i, a in enumerate(history["accuracy"]) if a == 1.0), None)
    print(f"trained {EPOCHS} epochs of full-batch SGD in {seconds:.1f} s "
          f"({seconds / EPOCHS * 1000:.0f} ms per epoch)")
    print(f"final loss     {final_loss:.6f}  (hinge, mean over {len(X)} points)")
    print(f"final accuracy {accuracy:.0%}" +
          (f"  (first 100% at epoch {reached})" if reached else ""))

    OUT.mkdir(exist_ok=True)
    model.save(OUT / "model.json")
    assert nn.load(OUT / "model.json").state_dict() == model.state_dict()
    print(f"wrote {OUT / 'model.json'}")
    picture = draw_decision_boundary(model, X, y, OUT / "decision_boundary.png")
    if picture:
        print(f"wrote {picture}")
    return 0 if accuracy == 1.0 else 1


def draw_decision_boundary(model, X, y, path, steps=80):
    """Colour the plane by the model's class, with the data on top; None without matplotlib."""
    try:
        import matplotlib
        import numpy as np
    except ImportError:
        print("matplotlib and numpy are not installed: no picture "
              "(pip install -e '.[plots]' or use make demo)", file=sys.stderr)
        return None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = np.array(X)
    low, high = points.min(axis=0) - 0.5, points.max(axis=0) + 0.5
    xs, ys = np.linspace(low[0], high[0], steps), np.linspace(low[1], high[1], steps)
    with no_grad():  # evaluation only: no graph to keep
        scores = np.array([[model([a, b]).data for a in xs] for b in ys])

    figure, axes = plt.subplots(figsize=(6, 5))
    axes.contourf(xs, ys, scores > 0, levels=[-0.5, 0.5, 1.5], colors=["#f4c7c3", "#c6dbef"])
    axes.contour(xs, ys, scores, levels=[0.0], colors="black", linewidths=1)
    labels = np.array(y)
    for label, colour, name in ((0, "#d62728", "class 0"), (1, "#1f77b4", "class 1")):
        chosen = points[labels == label]
        axes.scatter(chosen[:, 0], chosen[:, 1], c=colour, edgecolors="white", s=30, label=name)
    axes.set_title("MLP(2, [16, 16, 1]) on two moons: score = 0 is the boundary")
    axes.set_xlabel("x₁")
    axes.set_ylabel("x₂")
    axes.legend(loc="upper right")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path


if __name__ == "__main__":
    sys.exit(main())

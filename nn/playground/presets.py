"""The course's experiments, one click each: settings, and what to watch for.

Each preset puts the playground in the settings of one experiment of the
course (``COURSE.md``) and says in a sentence what a learner will see; the
notebook ``11_playground`` runs each one and asserts what it says.
``apply(session, name)`` sets them; ``width_sweep`` is the error-against-width
experiment's training of several widths.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .settings import Settings


@dataclass(frozen=True)
class Preset:
    """One experiment: its title, its settings, and what it shows."""

    title: str
    settings: dict[str, Any]
    text: str
    widths: list[int] = field(default_factory=list)  # the sweep's widths, for "width"


PRESETS = {
    "affine": Preset(
        "An affine activation collapses the network",
        dict(dataset="moons", hidden=[4, 4], activations=["linear", "linear"], task="binary",
             optimizer="sgd", lr=0.1, batch_size=10),
        "Two hidden layers with the activation σ(s) = s: the whole network is one affine map "
        "f(x) = A x + B, A = W₃W₂W₁ and B = W₃(W₂b₁ + b₂) + b₃. However long it trains, its "
        "decision boundary is a straight line, and every neuron's heatmap a linear ramp."),
    "diverge": Preset(
        "A learning rate that diverges",
        dict(dataset="moons", hidden=[8, 8], activations=["relu", "relu"], task="regression",
             optimizer="sgd", lr=6.0, batch_size=None),
        "Gradient descent with lr = 6 on the mean squared error: each step overshoots the "
        "minimum by more than the last, so the loss grows tenfold every few epochs until it is "
        "inf, where training stops. Lower lr to 0.05 and press reset: it converges."),
    "dead_relus": Preset(
        "Dead ReLUs",
        dict(dataset="moons", hidden=[8, 8], activations=["relu", "relu"], task="binary",
             optimizer="sgd", lr=3.0, batch_size=10),
        "ReLU layers trained with a large step, lr = 3: after a few epochs most units output 0 "
        "on every point (their heatmaps go blank). A dead ReLU has gradient 0 on every sample, "
        "so no later step can revive it. Try lr = 0.3."),
    "width": Preset(
        "Error against width (universal approximation)",
        dict(dataset="circles", hidden=[1], activations=["relu"], task="binary",
             optimizer="adam", lr=0.01, batch_size=20),
        "One hidden layer of H ReLUs on the circles: each unit is a line across the plane, and "
        "the output adds them up. One line cannot enclose a circle; three make a triangle; more "
        "make a rounder boundary. The sweep trains H = 1, 2, 3, 4, 8, 16 and plots the error.",
        widths=[1, 2, 3, 4, 8, 16]),
    "deep_narrow": Preset(
        "Deep and narrow: width p + K + 2",
        dict(dataset="circles", hidden=[5] * 6, activations=["tanh"] * 6, task="binary",
             optimizer="adam", lr=0.01, batch_size=20),
        "p = 2 inputs and K = 1 output: six hidden layers of p + K + 2 = 5 tanh units each "
        "(Kidger & Lyons 2020: this width, with depth enough, approximates any continuous "
        "function). Narrow, yet it learns the circles."),
    "spirals_depth": Preset(
        "Spirals that need depth",
        dict(dataset="spirals", classes=3, samples=300, noise=0.1, hidden=[6, 6, 6],
             activations=["tanh"] * 3, task="classes", optimizer="adam", lr=0.03,
             batch_size=20),
        "Three spiral arms, three classes. With six tanh units, one layer leaves points of "
        "every arm misclassified after 300 epochs; three layers of six fold the plane enough "
        "to separate all three. Remove two layers and compare."),
}


def apply(session: Any, name: str) -> str:
    """Put ``session`` in the preset's settings (from the defaults); return what to watch."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; presets: {', '.join(PRESETS)}")
    preset = PRESETS[name]
    settings = {**vars(Settings()), **preset.settings}
    session.own = None
    session.update(**settings)
    session.status = ""
    return preset.text


def width_sweep(session: Any, widths: list[int], epochs: int = 300) -> list[dict[str, float]]:
    """Train one hidden layer of each width for ``epochs``; the training error of each.

    Every width starts from the session's seed and data; the session is
    left with the last (widest) one trained, so its picture is the best fit.
    """
    results = []
    activation = session.settings.activations[0] if session.settings.activations else "relu"
    for width in widths:
        session.update(hidden=[width], activations=[activation])
        session.train(epochs)
        accuracy = session.history.get("accuracy", [0.0])[-1]
        results.append({"width": width, "loss": session.history["loss"][-1],
                        "error": 1.0 - accuracy})
    return results

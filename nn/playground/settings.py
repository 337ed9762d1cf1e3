"""What a learner sets in the playground, checked, and what it builds: data, model, optimizer.

Every setting has a name a learner reads on the screen and in the exported
code. ``build_model`` and ``build_optimizer`` make the library's own objects
(``nn.MLP`` or ``nn.Sequential`` of ``nn.Layer``, ``nn.SGD``, ``nn.Adam``), so
the code the playground exports makes the same ones.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import nn

DATASETS = ("moons", "circles", "spirals", "xor", "blobs", "own")
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
TASKS = {  # task -> (loss name for nn.fit, what it means)
    "binary": ("binary_cross_entropy", "two classes, one output: a logit"),
    "classes": ("cross_entropy", "K classes, K outputs: logits for a softmax"),
    "regression": ("mse", "a number per point, one output"),
}
OPTIMIZERS = ("sgd", "momentum", "adam")
MOMENTUM = 0.9
# What changing a setting does: these rebuild the data (and the model), these the model; the
# others (lr, l2, batch size, optimizer) change how the next steps are taken and keep the model.
DATA_SETTINGS = {"dataset", "samples", "noise", "test_fraction", "classes", "data_seed"}
MODEL_SETTINGS = {"hidden", "activations", "task", "seed"}


@dataclass
class Settings:
    """Every choice the playground's controls make; defaults: moons, 2-8-8-1 tanh, SGD 0.1."""

    dataset: str = "moons"
    samples: int = 200
    noise: float = 0.1
    test_fraction: float = 0.2
    classes: int = 2
    data_seed: int = 0
    hidden: list[int] = field(default_factory=lambda: [8, 8])
    activations: list[str] = field(default_factory=lambda: ["tanh", "tanh"])
    task: str = "binary"
    optimizer: str = "sgd"
    lr: float = 0.1
    batch_size: int | None = 10
    l2: float = 0.0
    seed: int = 0

    def to_json(self) -> dict[str, Any]:
        """The settings as plain JSON data."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Settings:
        """Settings from ``to_json``'s data, checked; unknown names are refused."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown playground settings {unknown}; known: {sorted(known)}")
        return check(cls(**data))


def check(settings: Settings) -> Settings:
    """``settings`` if every value is one the playground takes; else a ValueError saying which."""
    s = settings
    _choice(s.dataset, DATASETS, "dataset")
    _choice(s.task, TASKS, "task")
    _choice(s.optimizer, OPTIMIZERS, "optimizer")
    _count(s.samples, "samples", 4, 5000)
    _count(s.classes, "classes", 2, 8)
    _count(s.seed, "seed", 0, 2**31)
    _count(s.data_seed, "data_seed", 0, 2**31)
    if not isinstance(s.hidden, list) or not all(_is_int(h) and 1 <= h <= 32 for h in s.hidden):
        raise ValueError(f"hidden is a list of layer widths from 1 to 32, got {s.hidden!r}")
    if len(s.hidden) > 8:
        raise ValueError(f"the playground draws at most 8 hidden layers, got {len(s.hidden)}")
    if not isinstance(s.activations, list) or len(s.activations) != len(s.hidden):
        raise ValueError(f"activations has one name per hidden layer ({len(s.hidden)}), "
                         f"got {s.activations!r}")
    for name in s.activations:
        _choice(name, ACTIVATIONS, "activation")
    for name, value, top in (("noise", s.noise, 2.0), ("test_fraction", s.test_fraction, 0.9),
                             ("lr", s.lr, 100.0), ("l2", s.l2, 10.0)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not 0 <= value <= top:
            raise ValueError(f"{name} is a number from 0 to {top}, got {value!r}")
    if s.batch_size is not None:
        _count(s.batch_size, "batch_size", 1, 5000)
    return settings


def make_data(s: Settings) -> tuple[list[list[float]], list[Any]]:
    """The built-in data set the settings name: ``(X, y)`` from ``nn.data``, as the code says."""
    if s.dataset == "moons":
        return nn.data.make_moons(s.samples, noise=s.noise, seed=s.data_seed)
    if s.dataset == "circles":
        return nn.data.make_circles(s.samples, noise=s.noise, seed=s.data_seed)
    if s.dataset == "spirals":
        return nn.data.make_spirals(s.samples, classes=s.classes, noise=s.noise,
                                    seed=s.data_seed)
    if s.dataset == "xor":
        return nn.data.make_xor(s.samples, noise=s.noise, seed=s.data_seed)
    if s.dataset == "blobs":
        return nn.data.make_blobs(s.samples, centers=blob_centers(s.classes), std=s.noise,
                                  seed=s.data_seed)
    raise ValueError("dataset='own' takes your data: Playground(X=..., y=...), or "
                     "playground.use_data(X, y)")


def blob_centers(k: int) -> list[list[float]]:
    """K blob centres evenly on the unit circle (inputs of the scale the other sets have)."""
    return [[round(math.cos(2 * math.pi * c / k), 12), round(math.sin(2 * math.pi * c / k), 12)]
            for c in range(k)]


def outputs(s: Settings, y: Sequence[Any]) -> int:
    """The number of outputs the task needs: K for K classes (from the labels), else 1."""
    if s.task == "classes":
        return max(2, max(int(label) for label in y) + 1)
    return 1


def build_model(s: Settings, nin: int, nout: int) -> nn.Sequential:
    """``nn.MLP`` when every hidden layer has one activation, else ``nn.Sequential`` of Layers.

    Both draw their weights from one ``random.Random(seed)``, layer by layer,
    so they start from the same numbers; the outputs are linear (logits, or
    the number itself for regression).
    """
    if len(set(s.activations)) <= 1:
        activation = s.activations[0] if s.activations else "relu"
        return nn.MLP(nin, [*s.hidden, nout], activation=activation, seed=s.seed)
    rng = random.Random(s.seed)
    sizes = [nin, *s.hidden, nout]
    layers = [nn.Layer(sizes[i], sizes[i + 1], activation=name, seed=rng)
              for i, name in enumerate([*s.activations, "linear"])]
    return nn.Sequential(*layers)


def build_optimizer(s: Settings, model: nn.Module) -> nn.Optimizer:
    """The optimizer the settings name, on ``model``'s parameters; L2 as its weight decay."""
    if s.optimizer == "adam":
        return nn.Adam(model.parameters(), lr=s.lr, weight_decay=s.l2)
    momentum = MOMENTUM if s.optimizer == "momentum" else 0.0
    return nn.SGD(model.parameters(), lr=s.lr, momentum=momentum, weight_decay=s.l2)


def loss_name(s: Settings) -> str:
    """The name ``nn.fit`` takes for the task's loss."""
    return TASKS[s.task][0]


def _choice(value: Any, choices: Any, name: str) -> None:
    if value not in choices:
        raise ValueError(f"{name} is one of {', '.join(map(repr, choices))}; got {value!r}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(value: Any, name: str, low: int, high: int) -> None:
    if not _is_int(value) or not low <= value <= high:
        raise ValueError(f"{name} is a whole number from {low} to {high}, got {value!r}")

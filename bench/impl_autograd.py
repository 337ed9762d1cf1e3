"""The training step on this project's engine, dynamic graph, written with its public API only.

Each neuron's weighted sum is one ``autograd.dot(weights, inputs, bias)``
node (``AutogradMLP``), or two nodes, ``autograd.dot(weights, inputs) + bias``,
the way a learner first writes it (``AutogradDotPlusBiasMLP``); ReLU is
``Value.relu()``; the hinge terms are added by one ``autograd.sum`` node and
the penalty Σ p² is one ``autograd.dot`` of the parameters with themselves.
The MLP is written out here (not taken from ``nn``) so the benchmark
measures the engine and nothing else.
"""

import autograd
from autograd import Value

from .workload import L2, LEARNING_RATE


class AutogradMLP:
    """The shared MLP as Values; ``step()`` runs one training step and returns the loss."""

    name = "autograd dynamic, dot(w, x, b)"
    slow = False  # True: timed for --slow-steps steps rather than --steps

    def __init__(self, weights, data):
        self.layers = [
            [([Value(w) for w in neuron_weights], Value(bias)) for neuron_weights, bias in layer]
            for layer in weights
        ]
        self.params = [p for layer in self.layers for ws, b in layer for p in (*ws, b)]
        self.points, self.labels = data

    def score(self, x):
        """The network's output for one point: plain floats in, one Value out."""
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            x = [autograd.dot(ws, x, b) for ws, b in layer]
            if i != last:
                x = [pre.relu() for pre in x]
        return x[0]

    def step(self):
        """Forward, backward, SGD update and zeroed grads; returns the loss before the update."""
        hinges = [(1.0 - y * self.score(x)).relu() for x, y in zip(self.points, self.labels)]
        penalty = autograd.dot(self.params, self.params)  # Σ p², one node: d/dp = p + p
        loss = autograd.sum(hinges) / len(hinges) + L2 * penalty
        loss.backward()
        for p in self.params:
            p.data -= LEARNING_RATE * p.grad
            p.grad = 0.0
        return loss.data

    def parameters(self):
        return [p.data for p in self.params]


class AutogradDotPlusBiasMLP(AutogradMLP):
    """The same MLP with each neuron written ``autograd.dot(ws, x) + b``: two nodes, not one."""

    name = "autograd dynamic, dot(w, x) + b"

    def score(self, x):
        """The network's output for one point: plain floats in, one Value out."""
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            x = [autograd.dot(ws, x) + b for ws, b in layer]
            if i != last:
                x = [pre.relu() for pre in x]
        return x[0]

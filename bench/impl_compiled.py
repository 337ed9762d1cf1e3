"""The training step compiled: ``autograd.compile`` traces one sample's loss once, then replays it.

``hinge(params, x, y)`` is one sample's loss relu(1 − y·score(x)) written
with the engine's public API, the network's 337 parameters given as one flat
list in the workload's order (each neuron ``autograd.dot(ws, x, b)``, ReLU
on the hidden layers, as ``impl_autograd``). ``autograd.compile(hinge)``
traces it on the first call and generates straight-line Python over floats
for its forward and backward pass; later calls run that code, with no Value
and no graph. Two forms:

* ``CompiledMLP``: the generated function called once per sample, its
  gradients added up sample by sample;
* ``CompiledBatchMLP``: ``g.sum(params, batch=samples)``, whose generated
  code loops over the samples itself.

The penalty λ Σ p² is compiled the same way, and the step is then
loss = Σ hinge / N + λ Σ p² and the SGD update, on plain floats.

The first step of a fresh compiled function also traces ``hinge`` (twice,
then again at its first calls, to check that the graph does not depend on the
numbers) and generates and loads the code: ``CompiledMLP.compile_seconds``
measures that extra time.
"""

import statistics
import time
from operator import add

import autograd

from .workload import L2, LAYER_SIZES, LEARNING_RATE, flatten


def hinge(params, x, y):
    """relu(1 − y·score(x)): one sample's hinge loss; ``params`` flat, in the workload's order."""
    start, last = 0, len(LAYER_SIZES) - 2
    for layer, (n_in, n_out) in enumerate(zip(LAYER_SIZES, LAYER_SIZES[1:])):
        outputs = []
        for _ in range(n_out):
            outputs.append(autograd.dot(params[start:start + n_in], x, params[start + n_in]))
            start += n_in + 1
        x = outputs if layer == last else [pre.relu() for pre in outputs]
    return (1.0 - y * x[0]).relu()


def penalty(params):
    """λ Σ p², as the dynamic step writes it: one dot of the parameters with themselves."""
    return L2 * autograd.dot(params, params)


class CompiledMLP:
    """The shared MLP as a flat list of floats; ``step()`` calls the compiled hinge per sample."""

    name = "autograd compiled, per sample"
    slow = False  # True: timed for --slow-steps steps rather than --steps

    def __init__(self, weights, data):
        self.params = flatten(weights)
        self.points, self.labels = data
        self.samples = list(zip(self.points, self.labels))
        self.hinge = autograd.compile(hinge, argnums=0)  # traced at the first step
        self.penalty = autograd.compile(penalty, argnums=0)

    def hinges(self):
        """(Σ hinge, Σ its gradient) over the samples, one generated call per sample."""
        total, grads = 0.0, [0.0] * len(self.params)
        for x, y in self.samples:
            value, grad = self.hinge(self.params, x, y)
            total += value
            grads = list(map(add, grads, grad))
        return total, grads

    def step(self):
        """Forward and backward (generated code), SGD update; returns the loss before it."""
        total, grads = self.hinges()
        square, square_grads = self.penalty(self.params)
        n = len(self.samples)
        self.params = [p - LEARNING_RATE * (g / n + d)
                       for p, g, d in zip(self.params, grads, square_grads)]
        return total / n + square

    def parameters(self):
        return list(self.params)

    @classmethod
    def compile_seconds(cls, weights, data, repeats):
        """Median over ``repeats`` fresh compiles of what a first step costs more than a second.

        That is tracing ``hinge`` and ``penalty`` (with the checks of the
        first calls), generating their code and loading it.
        """
        extras = []
        for _ in range(repeats):
            impl = cls(weights, data)
            first, second = _timed(impl.step), _timed(impl.step)
            extras.append(first - second)
        return statistics.median(extras)


class CompiledBatchMLP(CompiledMLP):
    """The same, with the loop over the samples generated too: ``g.sum``."""

    name = "autograd compiled, batched"

    def hinges(self):
        """(Σ hinge, Σ its gradient) over the samples, in one generated loop."""
        return self.hinge.sum(self.params, batch=self.samples)


def _timed(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start

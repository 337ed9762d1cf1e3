"""The training step on micrograd 0.1.0, exactly as published on PyPI.

``micrograd.nn.MLP(2, [16, 16, 1])`` is built as the package builds it, then
its parameters' ``data`` are overwritten with the shared starting weights
(its parameter order is the one ``workload.flatten`` uses). Nothing of
micrograd is copied or changed; the loss is written with its ``Value``
operators the way its demo notebook writes it.
"""

from micrograd.nn import MLP

from .workload import L2, LEARNING_RATE, flatten


class MicrogradMLP:
    """micrograd's MLP loaded with the shared weights; ``step()`` returns the loss."""

    name = "micrograd 0.1.0"
    slow = True  # True: timed for --slow-steps steps rather than --steps

    def __init__(self, weights, data):
        sizes = [len(layer[0][0]) for layer in weights] + [len(weights[-1])]
        self.model = MLP(sizes[0], sizes[1:])
        self.params = self.model.parameters()
        shared = flatten(weights)
        if len(shared) != len(self.params):
            raise RuntimeError(
                f"micrograd's MLP has {len(self.params)} parameters, the workload {len(shared)}"
            )
        for p, value in zip(self.params, shared):
            p.data = value
        self.points, self.labels = data

    def step(self):
        """Forward, backward, SGD update and zeroed grads; returns the loss before the update."""
        model = self.model
        hinges = [(1.0 - y * model(x)).relu() for x, y in zip(self.points, self.labels)]
        loss = sum(hinges) / len(hinges) + L2 * sum(p * p for p in self.params)
        loss.backward()
        for p in self.params:
            p.data -= LEARNING_RATE * p.grad
        self.model.zero_grad()
        return loss.data

    def parameters(self):
        return [float(p.data) for p in self.params]

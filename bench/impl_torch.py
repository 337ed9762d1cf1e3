"""The training step on PyTorch, one 0-dim float64 tensor per scalar.

The same Python loops as the scalar engines (a neuron's weighted sum is
``b + w₁x₁ + … + wₙxₙ``, one tensor op per term), so this measures what
PyTorch's autograd costs per scalar operation, not what its vectorised
kernels can do. One intra-op thread, so that it does not compete with the
other implementations for the machine's cores.
"""

import torch

from .workload import L2, LEARNING_RATE

torch.set_num_threads(1)


def _parameter(x):
    return torch.tensor(x, dtype=torch.float64, requires_grad=True)


class TorchMLP:
    """The shared MLP as 0-dim tensors; ``step()`` returns the loss."""

    name = "PyTorch, 0-dim float64"
    slow = True  # True: timed for --slow-steps steps rather than --steps

    def __init__(self, weights, data):
        self.layers = [
            [([_parameter(w) for w in neuron_weights], _parameter(bias))
             for neuron_weights, bias in layer]
            for layer in weights
        ]
        self.params = [p for layer in self.layers for ws, b in layer for p in (*ws, b)]
        self.points, self.labels = data

    def score(self, x):
        """The network's output for one point: plain floats in, a 0-dim tensor out."""
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            outputs = []
            for ws, b in layer:
                pre = b
                for w, xi in zip(ws, x):
                    pre = pre + w * xi
                outputs.append(pre if i == last else pre.relu())
            x = outputs
        return x[0]

    def step(self):
        """Forward, backward, SGD update and zeroed grads; returns the loss before the update."""
        hinges = [(1.0 - y * self.score(x)).relu() for x, y in zip(self.points, self.labels)]
        loss = sum(hinges) / len(hinges) + L2 * sum(p * p for p in self.params)
        loss.backward()
        with torch.no_grad():
            for p in self.params:
                p -= LEARNING_RATE * p.grad
                p.grad = None  # zero_grad(set_to_none=True), PyTorch's default
        return loss.item()

    def parameters(self):
        return [p.item() for p in self.params]

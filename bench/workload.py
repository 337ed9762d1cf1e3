"""The shared workload: data, starting weights and hyper-parameters.

Everything is generated once, in pure Python, from fixed seeds, and handed
to all four implementations, so that they start from the same numbers and do
the same arithmetic. The training step they all implement:

    score(x) = MLP(x)                     2 inputs -> 16 ReLU -> 16 ReLU -> 1 linear
    loss     = (1/N) Σᵢ relu(1 − yᵢ·score(xᵢ))  +  λ Σₚ p²       (N = 100, λ = 1e-4)
    p       <- p − lr · dloss/dp,  then the gradients are zeroed   (lr = 0.1)

Weights are stored layer by layer, as a list of neurons ``(weights, bias)``;
``flatten`` lists them in micrograd's parameter order (each neuron's weights,
then its bias), which every implementation's ``parameters()`` follows.
"""

import math
import random

LAYER_SIZES = (2, 16, 16, 1)
N_POINTS = 100
LEARNING_RATE = 0.1
L2 = 1e-4  # λ, the weight of the L2 penalty λ Σ p²
DATA_SEED = 2
WEIGHT_SEED = 1337
NOISE = 0.1  # standard deviation of the Gaussian noise added to the moons


def two_moons(n=N_POINTS, noise=NOISE, seed=DATA_SEED):
    """``n`` points on two interleaved half circles, and their labels ±1.

    Even-numbered points lie on the upper moon (cos t, sin t), label +1; odd
    ones on the lower moon (1 − cos t, ½ − sin t), label −1; t is uniform in
    [0, π] and both coordinates get Gaussian noise. Returns ``(points,
    labels)``: a list of ``(x₁, x₂)`` tuples and a list of floats.
    """
    rng = random.Random(seed)
    points, labels = [], []
    for i in range(n):
        t = math.pi * rng.random()
        if i % 2 == 0:
            x1, x2, label = math.cos(t), math.sin(t), 1.0
        else:
            x1, x2, label = 1.0 - math.cos(t), 0.5 - math.sin(t), -1.0
        points.append((x1 + rng.gauss(0.0, noise), x2 + rng.gauss(0.0, noise)))
        labels.append(label)
    return points, labels


def initial_weights(sizes=LAYER_SIZES, seed=WEIGHT_SEED):
    """Starting weights: uniform in [−1, 1], biases 0 (micrograd's initialisation).

    Returns one list per layer, of one ``(weights, bias)`` pair per neuron,
    ``weights`` holding one float per input of the layer.
    """
    rng = random.Random(seed)
    return [
        [([rng.uniform(-1.0, 1.0) for _ in range(n_in)], 0.0) for _ in range(n_out)]
        for n_in, n_out in zip(sizes, sizes[1:])
    ]


def flatten(weights):
    """All parameters as one list of floats: layer by layer, neuron by neuron, weights, bias."""
    return [p for layer in weights for neuron, bias in layer for p in (*neuron, bias)]

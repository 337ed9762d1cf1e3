"""The floor: the training step on plain Python floats, backward pass written by hand.

No graph, no nodes, no per-operation objects: the forward pass keeps the
pre-activations each layer needs, and the backward pass applies the chain
rule by hand. It is what the scalar engines would cost if the graph were
free, so the other implementations are reported as multiples of it.

Notation, for layer l = 1 … L (L = 3 here), unit j, input k:

    a⁰ = x                              the point's two coordinates
    zˡⱼ = bˡⱼ + Σₖ Wˡⱼₖ aˡ⁻¹ₖ           pre-activation
    aˡⱼ = relu(zˡⱼ)                      hidden layers only; score s = zᴸ₁
    loss = (1/N) Σᵢ relu(1 − yᵢ sᵢ) + λ Σₚ p²

The floor does the same arithmetic as the graph engines: every multiply-add
of the backward pass is done even where a ReLU or the hinge is inactive
(its derivative is 0), so its work does not drift as training moves units
in and out of their active region.
"""

from operator import mul

from .workload import L2, LEARNING_RATE


class FloatMLP:
    """The shared MLP as lists of floats; ``step()`` returns the loss."""

    name = "plain floats (floor)"
    slow = False  # True: timed for --slow-steps steps rather than --steps

    def __init__(self, weights, data):
        # weights[l][j][k]: layer l, unit j, input k;  biases[l][j]
        self.weights = [[list(neuron_weights) for neuron_weights, _ in layer] for layer in weights]
        self.biases = [[bias for _, bias in layer] for layer in weights]
        self.points, self.labels = data

    def step(self):
        """Forward and backward over all points, then the SGD update; returns the loss.

        Per point, with margin m = 1 − y·s and hinge relu(m):

            dloss/ds = −y/N  if m > 0,  else 0     (d/dm relu(m) = [m > 0], dm/ds = −y)

        then ``_backward`` carries it down the layers. The penalty λ Σ p² adds
        dloss/dp = 2λp to every parameter's gradient.
        """
        n = len(self.points)
        grad_w = [[[0.0] * len(row) for row in layer] for layer in self.weights]
        grad_b = [[0.0] * len(layer) for layer in self.biases]
        hinge_total = 0.0
        for x, y in zip(self.points, self.labels):
            inputs, pre_activations = self._forward(x)
            margin = 1.0 - y * pre_activations[-1][0]
            if margin > 0:
                hinge_total += margin
                d_score = -y / n
            else:
                d_score = 0.0
            self._backward(inputs, pre_activations, [d_score], grad_w, grad_b)

        penalty = 0.0
        for w_layer, b_layer in zip(self.weights, self.biases):
            for row, bias in zip(w_layer, b_layer):
                penalty += sum(map(mul, row, row)) + bias * bias
        loss = hinge_total / n + L2 * penalty

        for w_layer, b_layer, gw_layer, gb_layer in zip(self.weights, self.biases, grad_w, grad_b):
            for j, (row, grad_row) in enumerate(zip(w_layer, gw_layer)):
                for k, w in enumerate(row):
                    row[k] = w - LEARNING_RATE * (grad_row[k] + 2.0 * L2 * w)
                bias = b_layer[j]
                b_layer[j] = bias - LEARNING_RATE * (gb_layer[j] + 2.0 * L2 * bias)
        return loss

    def _forward(self, x):
        """Returns the input aˡ⁻¹ and the pre-activations zˡ of every layer l."""
        inputs, pre_activations = [], []
        a = x
        last = len(self.weights) - 1
        for layer_index, (w_layer, b_layer) in enumerate(zip(self.weights, self.biases)):
            z = [sum(map(mul, row, a), bias) for row, bias in zip(w_layer, b_layer)]
            inputs.append(a)
            pre_activations.append(z)
            if layer_index != last:
                a = [zj if zj > 0 else 0.0 for zj in z]
        return inputs, pre_activations

    def _backward(self, inputs, pre_activations, delta, grad_w, grad_b):
        """Adds one point's gradients into ``grad_w``, ``grad_b``.

        ``delta`` starts as dloss/dzᴸ (the output's) and goes down a layer at a time:

            dloss/dWˡⱼₖ += δˡⱼ aˡ⁻¹ₖ        dloss/dbˡⱼ += δˡⱼ
            dloss/daˡ⁻¹ₖ = Σⱼ δˡⱼ Wˡⱼₖ       δˡ⁻¹ₖ = dloss/daˡ⁻¹ₖ · [zˡ⁻¹ₖ > 0]

        the last factor being d/dz relu(z) = 1 if z > 0 else 0. (At the first
        layer dloss/dx is computed and dropped: 32 of the backward's ~600 multiply-adds
        per point, kept to have one loop for every layer.)
        """
        for layer in range(len(self.weights) - 1, -1, -1):
            a, w_layer = inputs[layer], self.weights[layer]
            gw_layer, gb_layer = grad_w[layer], grad_b[layer]
            d_inputs = [0.0] * len(a)
            for j, d in enumerate(delta):
                gb_layer[j] += d
                grad_row, row = gw_layer[j], w_layer[j]
                for k, ak in enumerate(a):
                    grad_row[k] += d * ak
                    d_inputs[k] += d * row[k]
            if layer:
                z = pre_activations[layer - 1]
                delta = [dk if zk > 0 else 0.0 for dk, zk in zip(d_inputs, z)]

    def parameters(self):
        return [
            p
            for w_layer, b_layer in zip(self.weights, self.biases)
            for row, bias in zip(w_layer, b_layer)
            for p in (*row, bias)
        ]

"""Down to the chain rule: one neuron's computation graph for one sample, step by step.

A click on a neuron (or on an edge into it) opens the graph of that neuron
for one training sample: its inputs (the sample's features, or the previous
layer's activations for it), its weights and bias (the model's own
parameters), ``s = w·x + b`` and ``a = σ(s)``; for an output neuron, the
sample's loss on top. The backward pass is replayed on it by
``autograd.backward_steps(..., show="chain")``, one frame per node, every
edge labelled ``upstream grad × local derivative = contribution``:

* an output neuron's graph ends in the sample's loss ``l``, whose grad is 1;
* a hidden neuron's graph ends in its activation ``a``; the backward pass
  starts from ``∂l/∂a``, which the layers after it hand back (computed here on
  the sample's whole graph with ``autograd.gradients``).

Either way the last frame's grads are ``∂l/∂w`` of this sample, the numbers
``autograd`` gives on the whole network; no parameter's ``grad`` is touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import autograd
from autograd import Value
from nn.checks import LOSSES

from .settings import loss_name


@dataclass
class Chain:
    """The pieces of a chain-rule panel: the graph's root, where its backward pass starts, …"""

    layer: int              # 1 … L (layer 0 is the inputs)
    index: int
    sample: int             # index into the training set
    root: Value             # the neuron's activation, or the sample's loss for an output neuron
    gradient: float         # ∂l/∂root: where the backward pass starts
    inputs: list[Value]     # the neuron's inputs for this sample, as leaves
    activation: Value       # a = σ(w·x + b) for this sample
    loss: float             # the sample's loss l

    def steps(self) -> list[Any]:
        """The backward pass, one ``autograd.BackwardStep`` per node (drawn on demand)."""
        return list(autograd.backward_steps(self.root, gradient=self.gradient, show="chain"))

    def weight_grads(self, neuron: Any) -> list[float]:
        """``∂l/∂w`` for each of the neuron's weights, then ``∂l/∂b``, from the replay."""
        grads = self.steps()[-1].grads
        return [grads.get(w, 0.0) for w in neuron.w] + [grads.get(neuron.b, 0.0)]


def chain(session: Any, layer: int, index: int, sample: int) -> Chain:
    """The chain-rule panel of neuron ``index`` of ``layer`` (1 … L) for training ``sample``."""
    model = session.model
    if not 1 <= layer <= len(model.layers) or not 0 <= index < model.layers[layer - 1].nout:
        raise ValueError(f"no neuron {index} in layer {layer}: the layers after the inputs are "
                         f"1 … {len(model.layers)}")
    if not 0 <= sample < len(session.X_train):
        raise ValueError(f"sample is a training sample's index, 0 … {len(session.X_train) - 1}; "
                         f"got {sample}")
    x, label = session.X_train[sample], session.y_train[sample]
    loss_fn = LOSSES[loss_name(session.settings)]
    # The sample's whole graph, kept layer by layer, to know ∂l/∂a for the chosen neuron.
    values, h = [], [Value(c) for c in x]
    for part in model.layers:
        h = [neuron.forward(h) for neuron in part.neurons]
        values.append(h)
    full_loss = loss_fn(_outputs(h), label)
    (upstream,) = autograd.gradients(full_loss, [values[layer - 1][index]])
    # The neuron alone: its inputs as leaves holding the numbers the whole graph had.
    before = x if layer == 1 else [v.data for v in values[layer - 2]]
    names = [f"x{k + 1}" for k in range(len(before))] if layer == 1 else \
        [f"h{layer - 1}.{k + 1}" for k in range(len(before))]
    inputs = [Value(v, name) for v, name in zip(before, names)]
    neuron = model.layers[layer - 1].neurons[index]
    a = neuron.forward(inputs)
    a.label = f"a (layer {layer}, neuron {index + 1})"
    if layer < len(model.layers):
        return Chain(layer, index, sample, a, float(upstream), inputs, a, full_loss.data)
    outputs = [a if k == index else Value(v.data, f"z{k + 1}") for k, v in enumerate(h)]
    loss = loss_fn(_outputs(outputs), label)
    loss.label = "l"
    return Chain(layer, index, sample, loss, 1.0, inputs, a, full_loss.data)


def _outputs(h: list[Value]) -> Value | list[Value]:
    return h[0] if len(h) == 1 else h


def panel(session: Any, c: Chain, steps: list[Any], step: int, svg: str,
          weight: int | None = None) -> dict[str, Any]:
    """What the side panel shows at backward ``step``: the picture, its caption, the numbers."""
    layer, index = c.layer, c.index
    neuron = session.model.layers[layer - 1].neurons[index]
    grads = steps[step].grads
    rows = [{"name": f"w{k}", "input": x.data, "weight": w.data, "grad": grads.get(w, 0.0)}
            for k, (x, w) in enumerate(zip(c.inputs, neuron.w))]
    rows.append({"name": "b", "input": 1.0, "weight": neuron.b.data,
                 "grad": grads.get(neuron.b, 0.0)})
    sample = session.X_train[c.sample]
    where = (f"∂l/∂a = {c.gradient:.4g}, handed back by the layers after it"
             if layer < len(session.model.layers) else "the sample's loss l, whose grad is 1")
    return {"open": True, "layer": layer, "index": index, "sample": c.sample,
            "samples": len(session.X_train), "weight": weight,
            "point": [sample[session.features[0]], sample[session.features[1]]],
            "label": session.y_train[c.sample], "activation": c.activation.data, "loss": c.loss,
            "step": step, "total": len(steps), "caption": steps[step].caption, "svg": svg,
            "start": where, "rows": rows}

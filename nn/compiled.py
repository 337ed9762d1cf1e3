"""``fit(..., compile=True)``: the model's passes as generated code, the loss as a graph.

The chain rule splits at the model's outputs. For a batch with outputs
``oₙ = model(xₙ)`` and the loss ``L(o₁, …, o_N)`` (the mean the loss
function takes, and any term of a loss of your own)::

    ∂L/∂θ = Σₙ δₙ · ∂oₙ/∂θ,   δₙ = ∂L/∂oₙ

A step makes three passes, where the dynamic run makes one graph:

1. forward: every ``oₙ``, by the code ``autograd.compile`` generated for the
   model (no Value, no graph);
2. the loss, exactly as the dynamic run computes it, on a leaf Value per
   output: a few nodes per sample. Its ``backward()`` leaves ``δₙ`` in the
   leaves' ``grad`` (and adds into any parameter the loss uses itself, as a
   penalty on the weights does);
3. backward: ``Σₙ δₙ · ∂oₙ/∂θ``, by the generated code of
   ``weighted(x, δ) = Σₖ δₖ oₖ(x)`` summed over the batch (``g.sum``) and
   differentiated with respect to the parameters (``wrt``). Its forward pass
   computes ``oₙ`` again: cheaper than keeping every sample's numbers.

Why not compile the loss too: the losses decide on the labels in Python (the
hinge of a label +1 is relu(1 − s), of −1 relu(1 + s)), which one trace cannot
follow, and a loss of your own may be any function of the whole batch. Split
at the outputs, every loss works as it is, the loss values are the dynamic
run's bit for bit (the same graph on the same numbers), and the gradients
differ from it only in the order their terms are added (about 1e-16 relative).
"""

from numbers import Real

import autograd
from autograd import TraceError, Value, tree


class DynamicPasses:
    """The dynamic graph: the forward pass builds it, ``loss.backward()`` runs through it all."""

    def __init__(self, model):
        self.model = model

    def inputs(self, X):
        """The samples as the forward pass takes them: as they are."""
        return X

    def forward(self, inputs):
        """The model's outputs, Values with the graph that made them."""
        return [self.model(x) for x in inputs]

    def backward(self, inputs, outputs):
        """Nothing: ``loss.backward()`` has filled in every parameter's ``grad`` already."""


class CompiledPasses:
    """The model's forward and backward pass, traced once and generated as Python over floats.

    Tracing happens here, on the first samples of ``X``, with every check
    ``autograd.compile`` makes of the first calls, so a model that cannot be
    traced fails before training changes any parameter: a ``TraceError``
    saying why, and to use ``compile=False``.
    """

    def __init__(self, model, X):
        """Trace ``model`` on the first samples of ``X``."""
        self.params = model.parameters()

        def model_outputs(x):
            return model(x)

        def weighted(x, deltas):  # Σₖ δₖ oₖ(x): its gradient is Σₖ δₖ ∂oₖ/∂θ
            outputs = model(x)
            if isinstance(outputs, Value):
                return deltas * outputs
            return autograd.dot(tree.leaves(deltas), tree.leaves(outputs))

        self.outputs_of = autograd.compile(model_outputs, argnums=())
        self.gradient_of = autograd.compile(weighted, argnums=(), wrt=self.params)
        try:
            self._trace(self.inputs(X[:self.gradient_of.checked_samples]))
        except TraceError as error:
            raise TraceError(
                f"fit(compile=True) could not trace the model's forward pass (f below is the "
                f"model), so it cannot train it compiled:\n{error}\n"
                f"Train it with compile=False (the dynamic graph follows any Python code), or "
                f"write its forward pass with the engine's ops alone.",
                error.filename, error.lineno) from error

    def _trace(self, X):
        """Trace both functions and run all of their first-call checks now, on ``X``."""
        outputs = [self.outputs_of(x)[0] for x in X[:self.outputs_of.checked_calls + 1]]
        zeros = tree.map(lambda output: 0.0, outputs[0])
        self.gradient_of.sum(batch=[(x, zeros) for x in X[:self.gradient_of.checked_samples]])

    def inputs(self, X):
        """The samples as plain floats (ints, NumPy numbers and arrays converted): traced inputs."""
        return [_floats(x) for x in X]

    def forward(self, inputs):
        """The model's outputs by the generated code, each a leaf Value (or a list of them)."""
        return [tree.map(Value, self.outputs_of(x)[0]) for x in inputs]

    def backward(self, inputs, outputs):
        """Add ``Σₙ δₙ · ∂oₙ/∂θ`` into each parameter's ``grad``; ``δₙ``: the outputs' grads."""
        deltas = [tree.map(lambda leaf: leaf.grad, output) for output in outputs]
        _, (_, grads) = self.gradient_of.sum(batch=zip(inputs, deltas))
        for p, grad in zip(self.params, grads):
            p.grad += grad


def _floats(x):
    """``x`` with every number a float: a bool is 0.0 or 1.0, as ``Value(True)`` is 1.0.

    (So booleans train alike with and without ``compile``; a NumPy boolean
    arrives here as a Python bool, through ``tolist()``.)
    """
    if isinstance(x, Real):
        return float(x)
    if hasattr(x, "tolist"):  # a NumPy array or number
        return _floats(x.tolist())
    if isinstance(x, (list, tuple)):
        return [_floats(item) for item in x]
    return x  # autograd.compile names what it cannot take

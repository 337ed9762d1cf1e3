"""nn: a small neural-network library built on ``autograd.Value``.

    >>> import nn
    >>> model = nn.MLP(2, [16, 16, 1], seed=1337)    # (2+1)·16 + (16+1)·16 + (16+1)·1
    >>> model.num_parameters()
    337
    >>> X, y = nn.data.make_moons(100, noise=0.1)
    >>> history = nn.fit(model, X, y, loss=nn.hinge_loss,
    ...                  optimizer=nn.SGD(model.parameters(), lr=0.1), epochs=3)
    >>> len(history["loss"])
    3

Layers and models (``layers.py``, ``module.py``), activations and
initialisers (``activations.py``), losses (``losses.py``),
optimizers (``optim.py``), datasets (``nn.data``) and the training loop
(``train.py``, stepped by ``training.py``), the network drawn as neurons and
weighted edges (``draw.py``: ``nn.draw_network(model)``), and the bridge to
PyTorch (``bridge.py``: ``model.to_torch()``, ``nn.from_torch(module)``,
PyTorch optional). Plain Python floats throughout, no NumPy.

For teaching, imported only when used (``import nn.plots``): ``nn.plots`` (matplotlib
plots a lecture needs), ``nn.figures`` (``make figures``), ``nn.solutions`` and
``nn.feedback`` (the notebooks' ``%%solution`` and ``%%check`` cells) and
``nn.engine_lab`` (the checks of notebook 02b, where learners build the engine); and
``nn.playground``, the live playground of notebook 11.
"""

from . import data
from .activations import ACTIVATIONS, INITS
from .bridge import from_torch, to_torch
from .draw import draw_network
from .layers import MLP, Dense, Layer, Neuron, Sequential
from .losses import binary_cross_entropy, cross_entropy, hinge_loss, mse_loss, softmax
from .module import Module, load, register
from .optim import SGD, Adam, Optimizer
from .train import accuracy, fit

# model.to_torch() for nn.Sequential and nn.MLP: attached here, so that layers.py and
# bridge.py (which builds layers) do not import each other.
setattr(Sequential, "to_torch", to_torch)  # noqa: B010 - layers.py does not declare it

__all__ = [
    "Module", "Neuron", "Layer", "Dense", "Sequential", "MLP", "ACTIVATIONS", "INITS",
    "load", "register",
    "softmax", "mse_loss", "binary_cross_entropy", "cross_entropy", "hinge_loss",
    "Optimizer", "SGD", "Adam",
    "fit", "accuracy", "data", "from_torch", "draw_network",
]
